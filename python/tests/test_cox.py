"""hazard.cox against R coxph on the same CSV files (tests/reference/cox/cox_cli.json, make_cox.R)
and against `hazard cox --json` with the same flags."""

import numpy as np
import pandas as pd
import pytest

import hazard
from conftest import REFERENCE, TOL, assert_near, assert_same_as_cli, cli_json, kwargs_from_flags, reference

REF = reference("cox/cox_cli.json")
# the flags of tests/cli/cox.sh for each case of cox_cli.json
CASES = {
    "lung": ["lung.csv", "--time", "time", "--event", "status", "--covariates", "age,sex,ph.ecog"],
    "veteran_breslow": ["veteran.csv", "--time", "time", "--event", "status", "--covariates", "trt,karno,celltype",
                        "--ties", "breslow", "--ph-test", "km"],
    "bladder2_cluster": ["bladder2.csv", "--start", "start", "--time", "stop", "--event", "event",
                         "--covariates", "rx,number,size", "--cluster", "id", "--ph-test", "rank"],
    "aml_exact": ["aml.csv", "--time", "time", "--event", "status", "--group", "x", "--ties", "exact"],
    "bladder2_rx2_exact": ["bladder2.csv", "--where", "rx=2", "--start", "start", "--time", "stop", "--event", "event",
                           "--covariates", "number,size", "--cluster", "id", "--ties", "exact"],
    "lung_strata_weights": ["lung.csv", "--time", "time", "--event", "status", "--covariates", "age,sex",
                            "--strata", "ph.ecog", "--weights", "w"],
}


def fit(name):
    file, *flags = CASES[name]
    data = pd.read_csv(REFERENCE / "cox" / file, float_precision="round_trip")
    return hazard.cox(data, **kwargs_from_flags(flags))


def vec(x):
    return x if isinstance(x, list) else [x]


@pytest.mark.parametrize("name", list(CASES))
def test_matches_coxph(name):
    r, want = fit(name), REF[name]
    tol = TOL["iterative"]
    s = r.summary
    assert_near(r.params_.tolist(), vec(want["coef"]), tol, "coef")
    assert_near(r.standard_errors_.tolist(), vec(want["se"]), tol, "se")
    if want["robust_se"] is not None:
        assert_near(s["robust se(coef)"].tolist(), vec(want["robust_se"]), tol, "robust_se")
    assert_near(r.hazard_ratios_.tolist(), vec(want["hr"]), tol, "hr")
    assert_near(s["exp(coef) lower 95%"].tolist(), vec(want["lower"]), tol, "lower")
    assert_near(s["exp(coef) upper 95%"].tolist(), vec(want["upper"]), tol, "upper")
    d = r.to_dict()
    assert_near(d["loglik"], want["loglik"], tol, "loglik")
    assert_near(d["tests"]["score"]["stat"], want["score"], tol, "score")
    assert_near(d["tests"]["wald"]["stat"], want["wald"], tol, "wald")
    if want["rscore"] is not None:
        assert_near(d["tests"]["robust_score"]["stat"], want["rscore"], tol, "robust score")
    assert_near([r.concordance_index_, d["concordance"]["std_err"]], want["concordance"], tol, "concordance")
    assert r.n == want["n"] and d["events"] == want["nevent"] and d["iterations"] == want["iter"]
    if want["ph_test"] is not None:
        z = r.ph_test
        assert_near(z["chisq"].tolist(), want["ph_test"]["chisq"], TOL["derived"], "cox.zph chisq")
        assert_near(z["p"].tolist(), want["ph_test"]["p"], TOL["derived"], "cox.zph p")


@pytest.mark.parametrize("name", list(CASES))
def test_equals_the_command(name):
    file, *flags = CASES[name]
    cli = cli_json("cox", "--data", REFERENCE / "cox" / file, *flags)
    assert_same_as_cli(fit(name).to_dict(), cli)


def test_baseline_equals_the_command():
    csv = REFERENCE / "cox" / "lung.csv"
    r = hazard.cox(pd.read_csv(csv, float_precision="round_trip"), time="time", event="status",
                   covariates=["age", "sex"], strata="ph.ecog", baseline=True)
    cli = cli_json("cox", "--data", csv, "--time", "time", "--event", "status", "--covariates", "age,sex",
                   "--strata", "ph.ecog", "--baseline")
    assert_same_as_cli(r.to_dict(), cli)
    assert r.baseline_cumulative_hazard_["baseline cumulative hazard"].tolist() == [
        x for s in cli["baseline"] for x in s["cumhaz"]]


def test_lifelines_names_and_arm():
    df = pd.read_csv(REFERENCE / "cox" / "aml.csv")
    r = hazard.cox(df, time="time", event="status", group="x", ref="Nonmaintained")
    assert list(r.hazard_ratios_.index) == ["x[Maintained]"]
    default = hazard.cox(df, time="time", event="status", group="x")  # reference: Maintained, first sorted
    assert list(default.hazard_ratios_.index) == ["x[Nonmaintained]"]
    assert_near(r.params_.iloc[0], -default.params_.iloc[0], TOL["iterative"])
    assert r.ties == "efron"
    assert list(r.summary.columns) == ["coef", "exp(coef)", "se(coef)", "exp(coef) lower 95%",
                                       "exp(coef) upper 95%", "z", "p"]
    assert isinstance(r.variance_matrix_, pd.DataFrame) and isinstance(r.log_likelihood_, float)
    sas = hazard.cox(df, time="time", event="status", group="x", compat="sas")
    assert sas.ties == "breslow"
