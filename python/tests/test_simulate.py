"""hazard.simulate: rpact's critical values and (within Monte-Carlo error) its power for the cases
of tests/reference/simulate/simulate.json; the same numbers as `hazard simulate --json` with the
same seed, for any number of threads."""

import math

import pytest

import hazard
from conftest import TOL, assert_near, assert_same_as_cli, cli_json, reference

CASES = reference("simulate/simulate.json")["cases"]
REPS = 2000


def settings(h: dict) -> dict:
    return dict(n=h["n"], ratio=h["ratio"], median_control=h["median_control"], hr=h["hr"],
                accrual_time=h["accrual_time"], events=h["events"], spending=h["spending"],
                alpha=h["alpha"], dropout=h["dropout"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_rpact(case):
    s = hazard.simulate(**settings(case["hazard"]), reps=REPS, seed=7)
    assert_near(s.z_efficacy.tolist(), case["critical_values"], TOL["design"], "critical values")
    sd = math.sqrt(s.mc_se ** 2 + case["mc_se"] ** 2)
    assert abs(s.power - case["power"]) <= TOL["mc_sigmas"] * sd, (s.power, case["power"], sd)


def test_equals_the_command_for_any_threads():
    h = CASES[2]["hazard"]
    one = hazard.simulate(**settings(h), reps=500, seed=3, threads=1)
    two = hazard.simulate(**settings(h), reps=500, seed=3, threads=2)
    assert one.to_dict() == two.to_dict()
    cli = cli_json("simulate", "--n", h["n"], "--ratio", h["ratio"], "--median-control", h["median_control"],
                   "--hr", h["hr"], "--accrual-time", h["accrual_time"],
                   "--events", ",".join(map(str, h["events"])), "--spending", h["spending"], "--alpha", h["alpha"],
                   "--dropout", h["dropout"], "--reps", 500, "--seed", 3)
    assert_same_as_cli(one.to_dict(), cli)


def test_scenario_dict_and_trials():
    scenario = {"n": 200, "ratio": 1, "control": {"median": 8}, "experimental": {"start": [0, 3], "hr": [1, 0.6]},
                "accrual": {"end": [12], "rate": [1]}, "looks": {"events": [80, 120]},
                "design": {"spending": "pocock"}}
    s = hazard.simulate(scenario=scenario, reps=200, seed=1, keep_trials=True)
    assert s.spending == "pocock" and list(s.summary.index) == [1, 2]
    assert len(s.trials) == 200 and s.trials["reject"].mean() == pytest.approx(s.power)
    with pytest.raises(hazard.UsageError, match="unknown|scenario"):
        hazard.simulate(scenario={**scenario, "nonsense": 1}, reps=10)
