#!/usr/bin/env bash
# CLI test of `hazard simulate`: the JSON contract with the acceptance-suite flags, agreement with
# rpact (tests/reference/simulate/simulate.json) through the command line, determinism across
# thread counts, --trials-out / --patients outputs, a scenario file, and exit codes.
# Usage: simulate.sh /path/to/hazard
set -u
HAZARD=${1:?usage: simulate.sh HAZARD_BINARY}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
FLAGS="--n 216 --ratio 2 --median-control 6 --hr 0.6 --accrual-time 12 --events 61,122,183 --looks 3 --spending obf --alpha 0.025 --seed 1"

# 1. contract keys, determinism (threads 1 vs 2), agreement with rpact within 3 combined MC SEs
"$HAZARD" simulate $FLAGS --reps 2000 --threads 1 --json > "$TMP/t1.json" || { echo "simulate failed"; exit 1; }
"$HAZARD" simulate $FLAGS --reps 2000 --threads 2 --json > "$TMP/t2.json" || { echo "simulate failed"; exit 1; }
cmp -s "$TMP/t1.json" "$TMP/t2.json" || { echo "FAIL: threads 1 and 2 differ"; fail=1; }
python3 - "$TMP/t1.json" "$SRC/tests/reference/simulate/simulate.json" <<'PY' || fail=1
import json, sys, math
j = json.load(open(sys.argv[1]))
for k in ("power", "mc_se", "stagewise_rejection", "expected_events", "expected_n", "expected_duration"):
    assert k in j, k
assert len(j["stagewise_rejection"]) == 3
ref = [c for c in json.load(open(sys.argv[2]))["cases"] if c["name"] == "cabinet_obf_h1"][0]
se = math.hypot(j["mc_se"], ref["mc_se"])
d = abs(j["power"] - ref["power"])
print(f"power hazard {j['power']:.4f} rpact {ref['power']:.4f} diff {d:.4f} (3 SE {3*se:.4f})")
if d > 3 * se:
    print("FAIL: power disagrees with rpact"); sys.exit(1)
PY

# 2. per-trial CSV and ADaM patients
"$HAZARD" simulate $FLAGS --reps 50 --trials-out "$TMP/trials.csv" --patients "$TMP/adtte.csv" > /dev/null || fail=1
[ "$(wc -l < "$TMP/trials.csv")" -eq 51 ] || { echo "FAIL: trials.csv rows"; fail=1; }
head -1 "$TMP/adtte.csv" | grep -q "STUDYID,USUBJID.*TRT01P.*STRAT1R.*PARAMCD.*AVAL,CNSR" || { echo "FAIL: ADaM columns"; fail=1; }

# 3. scenario file (delayed effect, strata, calendar looks)
cat > "$TMP/s.json" <<'J'
{"n": 200, "ratio": 1, "control": {"median": 8},
 "experimental": {"start": [0, 3], "hr": [1, 0.5]},
 "strata": [{"name": "ECOG0", "prevalence": 0.6}, {"name": "ECOG1", "prevalence": 0.4, "hazard_multiplier": 1.5}],
 "accrual": {"end": [4, 12], "rate": [5, 20]}, "dropout": {"rate": 0.05, "time": 12},
 "looks": {"times": [18, 30]}, "design": {"alpha": 0.025, "spending": "pocock"}}
J
"$HAZARD" simulate --scenario "$TMP/s.json" --reps 200 --json > "$TMP/s.out" || { echo "FAIL: scenario"; fail=1; }
python3 -c "import json,sys; j=json.load(open('$TMP/s.out')); assert 0<j['power']<=1 and j['look_type']=='calendar'" || fail=1

# 3b. --hr-estimator cox: the estimator is named, the power is unchanged (same trials, same z)
"$HAZARD" simulate $FLAGS --reps 200 --json --hr-estimator cox > "$TMP/cox.out" || { echo "FAIL: --hr-estimator cox"; fail=1; }
"$HAZARD" simulate $FLAGS --reps 200 --json > "$TMP/pike.out" || { echo "FAIL: pike"; fail=1; }
python3 -c "
import json; c=json.load(open('$TMP/cox.out')); p=json.load(open('$TMP/pike.out'))
assert c['hr_estimate']['estimator']=='cox' and p['hr_estimate']['estimator']=='pike'
assert c['power']==p['power'] and c['hr_estimate']['median']!=p['hr_estimate']['median']" || { echo "FAIL: hr estimator JSON"; fail=1; }
"$HAZARD" simulate $FLAGS --reps 10 --hr-estimator wald >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: bad --hr-estimator should exit 2"; fail=1; }

# 4. exit codes
"$HAZARD" simulate --n 216 --median-control 6 --hr 0.6 --accrual-time 12 --json >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: missing looks should exit 2"; fail=1; }
"$HAZARD" simulate ${FLAGS/--looks 3/--looks 2} --reps 10 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --looks mismatch should exit 2"; fail=1; }
exit $fail
