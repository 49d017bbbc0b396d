"""hazard.reconstruct against the independent R implementation of Guyot's algorithm
(tests/reference/reconstruct/guyot_reference.json, guyot_reference.R) and `hazard reconstruct --json`."""

import pandas as pd
import pytest

import hazard
from conftest import assert_same_as_cli, cli_json, reference

# the hand-built case of guyot_reference.R (hand_t, hand_s; at-risk table; 7 reported events)
CURVE = pd.DataFrame({"time": [0, 1.0, 1.0, 2.1, 2.0, 3.5, 3.5, 4.2, 5.0, 5.1, 9.5, 9.5, 11, 11.8, 4.0],
                      "surv": [100, 100, 95, 95, 96, 95, 88, 88, 80, 81, 80, 70, 70, 65, 88]})
AT_RISK = pd.DataFrame({"time": [0, 3, 6, 9, 12, 15], "n_risk": [20, 18, 14, 12, 8, 8]})


def test_matches_the_r_implementation():
    ref = reference("reconstruct/guyot_reference.json")["hand_sparse"]
    r = hazard.reconstruct(CURVE, AT_RISK, events=7)
    iv = r.intervals("all")
    assert iv["events"].astype(int).tolist() == ref["events_per_interval"]
    assert iv["censored"].astype(int).tolist() == ref["censored_per_interval"]
    assert iv["n_risk_rebuilt"].tolist() == ref["n_risk_rebuilt"]
    assert r.summary.loc["all", "events"] == ref["events"]
    assert r.summary.loc["all", "max_distance"] == pytest.approx(ref["max_distance"], rel=1e-12)
    assert len(r.data) == 20 and r.data["event"].sum() == ref["events"]


def test_equals_the_command(tmp_path):
    two_arms = pd.concat([CURVE.assign(arm="A"), CURVE.assign(arm="B", surv=CURVE.surv * 0.98)])
    risk = pd.concat([AT_RISK.assign(arm="A"), AT_RISK.assign(arm="B")])
    two_arms.to_csv(tmp_path / "curve.csv", index=False)
    risk.to_csv(tmp_path / "risk.csv", index=False)
    r = hazard.reconstruct(two_arms, risk, events={"A": 7})
    cli = cli_json("reconstruct", "--curve", tmp_path / "curve.csv", "--at-risk", tmp_path / "risk.csv",
                   "--events", "A=7", "--out", tmp_path / "ipd.csv")
    assert_same_as_cli(r.to_dict(), cli)
    ipd = pd.read_csv(tmp_path / "ipd.csv")
    assert ipd["time"].tolist() == r.data["time"].tolist() and ipd["arm"].tolist() == r.data["arm"].tolist()
