"""hazard.design against rpact getSampleSizeSurvival (tests/reference/design/survival.json, whose
cases carry the equivalent flags) and against `hazard design --json`."""

import pytest

import hazard
from conftest import TOL, assert_near, assert_same_as_cli, cli_json, reference

CASES = reference("design/survival.json")["cases"]


def kwargs(flags: str) -> dict:
    out, it = {}, iter(flags.split())
    for flag in it:
        key = flag[2:].replace("-", "_")
        if flag == "--binding":
            out["binding"] = True
        elif flag in ("--looks",):
            out[key] = int(next(it))
        elif flag in ("--method", "--spending", "--futility"):
            out[key] = next(it)
        elif flag in ("--info", "--accrual-time", "--accrual-rate"):
            out[key] = [float(x) for x in next(it).split(",")]
        else:
            out[key] = float(next(it))
    return out


def vec(x):
    return x if isinstance(x, list) else [x]


@pytest.mark.parametrize("case", CASES, ids=[c["flags"] for c in CASES])
def test_matches_rpact(case):
    d = hazard.design(**kwargs(case["flags"]))
    s = d.summary
    tol = TOL["design"]
    assert_near(s["events"].tolist(), vec(case["events"]), tol, "events")
    assert_near(d.events_fixed, case["events_fixed"], tol, "events_fixed")
    assert_near(s["hr_boundary"].tolist(), vec(case["hr_boundary"]), tol, "hr_boundary")
    assert_near(d.sample_size, case["sample_size"], tol, "sample_size")
    assert_near(s["time"].tolist(), vec(case["time"]), tol, "time")
    assert_near(s["subjects"].tolist(), vec(case["subjects"]), tol, "subjects")
    assert_near(d.follow_up, case["follow_up"], tol, "follow_up")
    assert_near(d.accrual_end, case["accrual_end"], tol, "accrual_end")
    for key in ("expected_events_h1", "expected_events_h0", "expected_events_h01", "expected_duration_h1",
                "expected_sample_size_h1"):
        if key in case:
            assert_near(d.to_dict()[key], case[key], tol, key)


@pytest.mark.parametrize("case", CASES[::4], ids=[c["flags"] for c in CASES[::4]])
def test_equals_the_command(case):
    cli = cli_json("design", *case["flags"].split())
    assert_same_as_cli(hazard.design(**kwargs(case["flags"])).to_dict(), cli, ignore=("warnings",))


def test_errors_and_warnings():
    with pytest.raises(hazard.UsageError, match="the effect is required"):
        hazard.design()
    d = hazard.design(hr=0.7, median_control=8, accrual_time=12, accrual_rate=40, follow_up=6)
    assert d.warnings == ["the accrual rates fix the sample size; the follow-up is computed and "
                          "--follow-up 6 is ignored (as rpact)"]
