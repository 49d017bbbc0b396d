"""hazard.km against R survfit (tests/reference/km/km.json, make_km.R) and against `hazard km --json`."""

import pandas as pd
import pytest

import hazard
from conftest import REFERENCE, TOL, assert_near, assert_same_as_cli, cli_json, reference

CASES = reference("km/km.json")


def frame(data: dict) -> pd.DataFrame:
    df = pd.DataFrame({"time": data["time"], "status": data["status"]})
    if data["weight"]:
        df["w"] = data["weight"]
    if data["group"]:
        df["arm"] = pd.Categorical.from_codes(data["group"], data["levels"])
    return df


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_survfit(case):
    o = case["options"]
    data = case["data"]
    fit = hazard.km(frame(data), time="time", event="status", group="arm" if data["group"] else None,
                    weights="w" if data["weight"] else None, conf_type=o["conf_type"],
                    conf_level=o["conf_level"], times=o["times"], rmst_tau=o["tau"],
                    quantiles=o["quantiles"], robust=o.get("robust"))
    tol = TOL["closed_form"]
    table, quantiles, at = fit.table, fit.quantiles, fit.at
    assert len(fit.groups) == len(case["groups"])
    for got, want in zip(fit.to_dict()["groups"], case["groups"]):
        assert got["group"] == want["group"]
        assert_near(got["n"], want["n"], 0)
        assert_near(got["events"], want["events"], tol)
        rows = table[table.group.isna()] if want["group"] is None else table[table.group == want["group"]]
        assert_near({k: rows[k].tolist() for k in want["table"]}, want["table"], tol, "table")
        assert_near(got["median"], want["median"], tol, "median")
        q = quantiles[quantiles.group.isna()] if want["group"] is None else quantiles[quantiles.group == want["group"]]
        assert_near({k: q[k].tolist() for k in want["quantiles"]}, want["quantiles"], tol, "quantiles")
        if "at" in want:  # cases without landmark times have none
            a = at[at.group.isna()] if want["group"] is None else at[at.group == want["group"]]
            assert_near({k: a[k].tolist() for k in want["at"]}, want["at"], tol, "at")
        if "rmst" in want:  # cases without tau have none
            assert_near(got["rmst"], want["rmst"], tol, "rmst")
    if case.get("rmst_difference"):
        assert_near(fit.to_dict()["rmst_difference"], case["rmst_difference"], tol, "rmst_difference")


@pytest.mark.parametrize("args", [
    dict(event="status", event_value=2, group="sex", times=[100, 365], rmst_tau=500),
    dict(event="status", event_value=2, conf_type="plain", conf_level=0.9, quantiles=[0.1, 0.5]),
    dict(event="status", event_value=2, group="sex", where={"wt": 1}, conf_type="log"),
])
def test_equals_the_command(args):
    csv = REFERENCE / "km" / "lung.csv"
    fit = hazard.km(pd.read_csv(csv, float_precision="round_trip"), time="time", **args)
    flags = ["km", "--data", csv, "--time", "time", "--event", f"status={args['event_value']}"]
    if "group" in args:
        flags += ["--group", args["group"]]
    if "times" in args:
        flags += ["--times", ",".join(map(str, args["times"]))]
    if "rmst_tau" in args:
        flags += ["--rmst", args["rmst_tau"]]
    if "conf_type" in args:
        flags += ["--conf-type", args["conf_type"]]
    if "conf_level" in args:
        flags += ["--conf-level", args["conf_level"]]
    if "quantiles" in args:
        flags += ["--quantiles", ",".join(map(str, args["quantiles"]))]
    for k, v in args.get("where", {}).items():
        flags += ["--where", f"{k}={v}"]
    assert_same_as_cli(fit.to_dict(), cli_json(*flags))


def test_lifelines_names():
    df = pd.read_csv(REFERENCE / "km" / "lung.csv")
    one = hazard.km(df, time="time", event="status", event_value=2)
    assert isinstance(one.median_survival_time_, float)
    assert one.median_survival_time_ == one.summary["median"].iloc[0]
    assert list(one.survival_function_.columns) == ["KM_estimate"]
    assert one.survival_function_.index.name == "timeline"
    assert list(one.confidence_interval_.columns) == ["KM_estimate_lower_0.95", "KM_estimate_upper_0.95"]
    two = hazard.km(df, time="time", event="status", event_value=2, group="sex")
    assert list(two.median_survival_time_.index) == ["1", "2"]
    assert two.survival_function_.index.names == ["sex", "timeline"]
