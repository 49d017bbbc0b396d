"""hazard.logrank against R survdiff / weighted coxph score tests (tests/reference/logrank/logrank.json,
make_logrank.R) and against `hazard logrank --json`, on the same CSV files and flags."""

import numpy as np
import pandas as pd
import pytest

import hazard
from conftest import REFERENCE, TOL, assert_near, assert_same_as_cli, cli_json, kwargs_from_flags, reference

CASES = reference("logrank/logrank.json")["cases"]


def run(case):
    csv = REFERENCE / "logrank" / case["file"]
    return hazard.logrank(pd.read_csv(csv, float_precision="round_trip"), **kwargs_from_flags(case["cli"]))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_r(case):
    r = run(case)
    tol = TOL["closed_form"]
    g = r.groups
    assert list(g.index) == case["groups"]
    assert g["N"].tolist() == case["n_per_group"]
    assert_near(g["Observed"].tolist(), case["observed"], tol, "observed")
    assert_near(g["Expected"].tolist(), case["expected"], tol, "expected")
    assert_near(np.asarray(r.variance).tolist(), case["variance"], tol, "variance")
    assert_near(r.test_statistic, case["chisq"], tol, "chisq")
    assert r.degrees_of_freedom == case["df"]
    assert_near(r.p_value, case["p"], tol, "p")
    assert_near(r.z, case["z"], tol, "z")
    assert_near(r.p_one_sided, case["p_one_sided"], tol, "p_one_sided")
    assert r.n == case["n"] and r.excluded["count"] == case["n_excluded"]


@pytest.mark.parametrize("case", CASES[:25:3], ids=[c["name"] for c in CASES[:25:3]])
def test_equals_the_command(case):
    cli = cli_json("logrank", "--data", REFERENCE / "logrank" / case["file"], *case["cli"])
    assert_same_as_cli(run(case).to_dict(), cli)
