"""Shared pieces of the Python package's tests.

Environment: HAZARD_SOURCE_DIR (the repository; default: two folders up), HAZARD_BIN (the hazard
command, for the comparisons with its JSON output; default <source>/build/hazard). Tolerances are
read from tests/tolerances.hpp, the project's one list of them (each with its reason).
"""

import json
import math
import os
import re
import subprocess
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("HAZARD_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = SOURCE / "tests" / "reference"
HAZARD_BIN = os.environ.get("HAZARD_BIN", str(SOURCE / "build" / "hazard"))


def _tolerances() -> dict:
    text = (SOURCE / "tests" / "tolerances.hpp").read_text()
    return {m[1]: float(m[2]) for m in re.finditer(r"inline constexpr double (\w+) = ([0-9.eE+-]+);", text)}


TOL = _tolerances()


def reference(relative: str):
    with open(REFERENCE / relative) as f:
        return json.load(f)


def cli_json(*args) -> dict:
    """The JSON output of `hazard ARGS --json`."""
    if not os.access(HAZARD_BIN, os.X_OK):
        pytest.skip(f"no hazard command at {HAZARD_BIN} (set HAZARD_BIN)")
    out = subprocess.run([HAZARD_BIN, *map(str, args), "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def near(a, b, tol) -> bool:
    """Relative agreement as tests/test_util.hpp's near_rel: None/NaN match each other (R's NA,
    JSON's null), infinities by sign, |a - b| <= tol |b| or <= 1e-14."""
    if a is None or b is None:
        return (a is None or (isinstance(a, float) and math.isnan(a))) and (
            b is None or (isinstance(b, float) and math.isnan(b)))
    a, b = float(a), float(b)
    if math.isnan(a) and math.isnan(b):
        return True
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol * abs(b) or abs(a - b) <= 1e-14


def assert_near(a, b, tol, where=""):
    """Every number of `b` (a reference: nested dicts and lists) matches `a`."""
    if isinstance(b, dict):
        for k, v in b.items():
            assert k in a, f"{where}.{k} missing"
            assert_near(a[k], v, tol, f"{where}.{k}")
    elif isinstance(b, list):
        a = list(a)
        assert len(a) == len(b), f"{where}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_near(x, y, tol, f"{where}[{i}]")
    elif isinstance(b, str) or isinstance(b, bool):
        assert a == b, f"{where}: {a!r} vs {b!r}"
    else:
        assert near(a, b, tol), f"{where}: {a!r} vs reference {b!r} (tol {tol})"


def assert_same_as_cli(py: dict, cli: dict, where="", ignore=()):
    """The package's to_dict() and the command's JSON agree on every key the package gives
    (exactly: the same library on the same numbers), and the package has no key the command lacks."""
    assert isinstance(py, dict) and isinstance(cli, dict), where
    for k, v in py.items():
        if k in ignore:
            continue
        assert k in cli, f"{where}.{k} is not a key of the command's JSON"
        c = cli[k]
        if isinstance(v, dict):
            assert_same_as_cli(v, c, f"{where}.{k}", ignore)
        elif isinstance(v, list):
            assert isinstance(c, list) and len(c) == len(v), f"{where}.{k}: {v!r} vs {c!r}"
            for i, (x, y) in enumerate(zip(v, c)):
                if isinstance(x, dict):
                    assert_same_as_cli(x, y, f"{where}.{k}[{i}]", ignore)
                else:
                    assert x == y, f"{where}.{k}[{i}]: {x!r} vs {y!r}"
        else:
            assert v == c, f"{where}.{k}: {v!r} vs command {c!r}"


def kwargs_from_flags(flags) -> dict:
    """The keyword arguments of hazard.km/logrank/cox for the command line's flags."""
    out, it = {}, iter(map(str, flags))
    for flag in it:
        key = flag[2:].replace("-", "_")
        if flag == "--robust":
            out["robust"] = True
            continue
        value = next(it)
        if flag == "--event" and "=" in value:
            out["event"], out["event_value"] = value.split("=", 1)
        elif flag == "--cnsr":
            out["event"], out["event_is_censor"] = value, True
        elif flag == "--where":
            col, val = value.split("=", 1)
            out.setdefault("where", {})[col] = val
        elif flag in ("--strata", "--covariates"):
            out[key] = value.split(",")
        elif flag in ("--rho", "--gamma", "--conf-level"):
            out[key] = float(value)
        else:
            out[key] = value
    return out
