#!/usr/bin/env bash
# CLI test of `hazard simulate --analysis` (docs/cli/simulate.md, docs/methods/simulation.md):
#  1. --analysis logrank is the default, byte for byte (text and JSON);
#  2. under HR = 1 every analysis rejects at rate alpha within 3 Monte-Carlo SEs (one look);
#  3. a delayed effect (HR 1 for 6 months, then 0.5): FH(0,1) and MaxCombo have higher power
#     than the log-rank on the same simulated trials (by more than 3 SEs);
#  4. log-rank power with piecewise hazards agrees with rpact's getSimulationSurvival
#     (tests/reference/simulate/nph_sim.json, make_nph_sim.R) within 3 combined MC SEs;
#  5. the scenario key "analysis" equals the flag (also in a --scenarios grid line); bad values exit
#     2 naming the value;
#  6. group-sequential type I error (2 and 3 looks, O'Brien-Fleming and Pocock spending) of every
#     analysis with each trial's bounds from its statistic's information, within 3 MC SEs;
#  7. --boundaries design|information: defaults, the scenario key, errors.
# Usage: simulate_nph.sh /path/to/hazard
set -u
HAZARD=${1:?usage: simulate_nph.sh HAZARD_BINARY}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
power() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["power"], j["mc_se"], j["analysis"])' "$1"; }

# 1. the default analysis, byte for byte
FLAGS="--n 216 --ratio 2 --median-control 6 --hr 0.6 --accrual-time 12 --events 61,122,183 --seed 3 --reps 300"
"$HAZARD" simulate $FLAGS --json > "$TMP/d.json" || fail=1
"$HAZARD" simulate $FLAGS --json --analysis logrank > "$TMP/l.json" || fail=1
cmp -s "$TMP/d.json" "$TMP/l.json" || { echo "FAIL: --analysis logrank differs from the default (JSON)"; fail=1; }
"$HAZARD" simulate $FLAGS > "$TMP/d.txt" || fail=1
"$HAZARD" simulate $FLAGS --analysis logrank > "$TMP/l.txt" || fail=1
cmp -s "$TMP/d.txt" "$TMP/l.txt" || { echo "FAIL: --analysis logrank differs from the default (text)"; fail=1; }

# 2. type I error under HR = 1, one look, alpha 0.025 (fewer trials in a sanitizer build, where a
# MaxCombo trial costs ~10x more: the band below widens with them; the statistics are checked by
# the Release run)
h0_reps=4000 delay_reps=1000
if [ "${HAZARD_SANITIZED:-0}" = 1 ]; then h0_reps=1000 delay_reps=500; fi
H0="--n 200 --median-control 12 --hr 1 --accrual-time 12 --events 150 --alpha 0.025 --seed 11 --reps $h0_reps"
for a in logrank fh:0,1 fh:1,0 maxcombo rmst:12 milestone:9 cox; do
  "$HAZARD" simulate $H0 --analysis "$a" --json > "$TMP/h0.json" || { echo "FAIL: $a under H0 did not run"; fail=1; continue; }
  python3 - "$TMP/h0.json" "$a" <<'PY' || fail=1
import json, sys, math
j = json.load(open(sys.argv[1]))
assert j["analysis"] == sys.argv[2], j["analysis"]
se = math.sqrt(0.025 * 0.975 / j["reps"])
ok = abs(j["power"] - 0.025) <= 3 * se
print(f"H0 {sys.argv[2]:<12} type I {j['power']:.4f} (alpha 0.025, 3 SE {3 * se:.4f}){'' if ok else '  FAIL'}")
sys.exit(0 if ok else 1)
PY
done

# 3. delayed effect: weighted tests beat the log-rank on the same trials
cat > "$TMP/delay.json" <<'J'
{"n": 400, "control": {"median": 12}, "experimental": {"start": [0, 6], "hr": [1, 0.5]},
 "accrual": {"time": 12}, "looks": {"events": [250]}}
J
for a in logrank fh:0,1 maxcombo; do
  "$HAZARD" simulate --scenario "$TMP/delay.json" --analysis "$a" --reps "$delay_reps" --seed 5 --json > "$TMP/delay_$a.json" || fail=1
done
python3 - "$TMP/delay_logrank.json" "$TMP/delay_fh:0,1.json" "$TMP/delay_maxcombo.json" <<'PY' || fail=1
import json, sys, math
lr, fh, mc = (json.load(open(f)) for f in sys.argv[1:4])
bad = 0
for name, j in (("fh:0,1", fh), ("maxcombo", mc)):
    se = math.hypot(lr["mc_se"], j["mc_se"])
    ok = j["power"] - lr["power"] > 3 * se
    print(f"delayed effect: {name} power {j['power']:.4f} > logrank {lr['power']:.4f} by > 3 SE {3 * se:.4f}: {ok}")
    bad += not ok
sys.exit(1 if bad else 0)
PY

# 4. log-rank with piecewise hazards vs rpact
REF="$SRC/tests/reference/simulate/nph_sim.json"
for name in delayed_effect crossing; do
  python3 -c 'import json,sys; c=[c for c in json.load(open(sys.argv[1]))["cases"] if c["name"]==sys.argv[2]][0]; json.dump(c["scenario"], open(sys.argv[3], "w"))' "$REF" "$name" "$TMP/$name.json"
  "$HAZARD" simulate --scenario "$TMP/$name.json" --reps 10000 --seed 7 --json > "$TMP/$name.out.json" || { fail=1; continue; }
  python3 - "$TMP/$name.out.json" "$REF" "$name" <<'PY' || fail=1
import json, sys, math
j = json.load(open(sys.argv[1]))
ref = [c for c in json.load(open(sys.argv[2]))["cases"] if c["name"] == sys.argv[3]][0]
for a, b in zip(j["z_efficacy"], ref["critical_values"]):
    assert abs(a - b) < 1e-6, (a, b)
se = math.hypot(j["mc_se"], ref["mc_se"])
d = abs(j["power"] - ref["power"])
ok = d <= 3 * se
print(f"{sys.argv[3]}: power hazard {j['power']:.4f} rpact {ref['power']:.4f} diff {d:.4f} (3 SE {3 * se:.4f}){'' if ok else '  FAIL'}")
sys.exit(0 if ok else 1)
PY
done

# 5. the scenario key equals the flag; errors
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s["analysis"]="fh:0,1"; json.dump(s, open(sys.argv[2], "w"))' "$TMP/delay.json" "$TMP/delay_key.json"
"$HAZARD" simulate --scenario "$TMP/delay_key.json" --reps 200 --seed 5 --json > "$TMP/k1.json" || fail=1
"$HAZARD" simulate --scenario "$TMP/delay.json" --analysis fh:0,1 --reps 200 --seed 5 --json > "$TMP/k2.json" || fail=1
cmp -s "$TMP/k1.json" "$TMP/k2.json" || { echo "FAIL: scenario key analysis differs from --analysis"; fail=1; }
# a --scenarios grid line with "analysis" gives the same numbers as the scenario alone
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s["name"]="fh"; print(json.dumps(s))' "$TMP/delay_key.json" > "$TMP/grid.jsonl"
"$HAZARD" simulate --scenarios "$TMP/grid.jsonl" --reps 200 --seed 5 --json > "$TMP/g.json" || fail=1
python3 - "$TMP/g.json" "$TMP/k1.json" <<'PY' || fail=1
import json, sys
g = json.load(open(sys.argv[1]))["scenarios"][0]
k = json.load(open(sys.argv[2]))
ok = g["analysis"] == "fh:0,1" and g["power"] == k["power"] and g["stagewise_rejection"] == k["stagewise_rejection"]
print(f"grid line with analysis fh:0,1: power {g['power']} vs scenario alone {k['power']}{'' if ok else '  FAIL'}")
sys.exit(0 if ok else 1)
PY
for bad in "fh:0" "fh:a,1" "fh:-1,0" "rmst" "rmst:0" "milestone:x" "maxcombo:1" "wilcoxon"; do
  "$HAZARD" simulate --scenario "$TMP/delay.json" --analysis "$bad" --reps 10 > /dev/null 2> "$TMP/err"
  rc=$?
  [ $rc -eq 2 ] || { echo "FAIL: --analysis $bad exit $rc (expected 2)"; fail=1; }
  grep -q -- "--analysis $bad" "$TMP/err" || { echo "FAIL: --analysis $bad: message does not name the value: $(cat "$TMP/err")"; fail=1; }
done
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s["analysis"]="rmst:-2"; json.dump(s, open(sys.argv[2], "w"))' "$TMP/delay.json" "$TMP/bad_key.json"
"$HAZARD" simulate --scenario "$TMP/bad_key.json" --reps 10 > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] && grep -q "analysis rmst:-2" "$TMP/err" || { echo "FAIL: scenario analysis rmst:-2: exit $rc, $(cat "$TMP/err")"; fail=1; }

# 6. group-sequential type I error with each trial's bounds from its statistic's information
# (--boundaries information, the default for these analyses): HR = 1, O'Brien-Fleming spending
# with 2 looks and Pocock spending with 3 looks, alpha 0.025, within 3 Monte-Carlo SEs. MaxCombo
# solves multivariate normal bounds per trial (~0.2 s a trial with 2 looks, ~0.7 s with 3), so it
# runs fewer trials; in a sanitizer build (~10x slower) it only runs (no rate checked).
gs_reps=4000 mc_reps_2=600 mc_reps_3=200
if [ "${HAZARD_SANITIZED:-0}" = 1 ]; then gs_reps=400 mc_reps_2=6 mc_reps_3=3; fi
GS="--n 300 --median-control 12 --hr 1 --accrual-time 12 --alpha 0.025 --seed 3"
check_h0() {  # json, label, reps-threshold-for-checking
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, math
j = json.load(open(sys.argv[1]))
assert j["boundaries"] == "information", j.get("boundaries")
se = math.sqrt(0.025 * 0.975 / j["reps"])
checked = j["reps"] >= int(sys.argv[3])
ok = abs(j["power"] - 0.025) <= 3 * se or not checked
print(f"H0 {sys.argv[2]:<34} type I {j['power']:.4f} by look {j['stagewise_rejection']} "
      f"(3 SE {3 * se:.4f}{'' if checked else ', not checked'}){'' if ok else '  FAIL'}")
sys.exit(0 if ok else 1)
PY
}
for design in "obf --events 100,200" "pocock --events 70,140,210"; do
  for a in fh:0,1 fh:1,0 rmst:18 milestone:12 maxcombo; do
    reps=$gs_reps
    if [ "$a" = maxcombo ]; then case $design in obf*) reps=$mc_reps_2 ;; *) reps=$mc_reps_3 ;; esac; fi
    "$HAZARD" simulate $GS --spending $design --analysis "$a" --reps "$reps" --json > "$TMP/gs.json" \
      || { echo "FAIL: $a --spending $design did not run"; fail=1; continue; }
    check_h0 "$TMP/gs.json" "$a ${design%% *} ${design##* } looks" 100 || fail=1
  done
done

# 7. --boundaries: the flag, the scenario's design key, the defaults and the errors
"$HAZARD" simulate $GS --events 100,200 --analysis fh:0,1 --reps 200 --json > "$TMP/b_default.json" || fail=1
"$HAZARD" simulate $GS --events 100,200 --analysis fh:0,1 --boundaries information --reps 200 --json > "$TMP/b_info.json" || fail=1
cmp -s "$TMP/b_default.json" "$TMP/b_info.json" || { echo "FAIL: fh default is not --boundaries information"; fail=1; }
"$HAZARD" simulate $GS --events 100,200 --analysis fh:0,1 --boundaries design --reps 200 --json > "$TMP/b_design.json" || fail=1
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["boundaries"] == "design" else 1)' "$TMP/b_design.json" \
  || { echo "FAIL: --boundaries design not stated in the JSON"; fail=1; }
"$HAZARD" simulate $FLAGS --json --boundaries design > "$TMP/lb.json" || fail=1
cmp -s "$TMP/d.json" "$TMP/lb.json" || { echo "FAIL: logrank --boundaries design differs from the default"; fail=1; }
"$HAZARD" simulate $FLAGS --json --analysis logrank --boundaries information > "$TMP/li.json" || fail=1
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["boundaries"] == "information" else 1)' "$TMP/li.json" \
  || { echo "FAIL: logrank --boundaries information not stated"; fail=1; }
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s["analysis"]="fh:0,1"; s["design"]={"boundaries": "design"}; json.dump(s, open(sys.argv[2], "w"))' "$TMP/delay.json" "$TMP/bkey.json"
"$HAZARD" simulate --scenario "$TMP/bkey.json" --reps 100 --seed 5 --json > "$TMP/bk1.json" || fail=1
"$HAZARD" simulate --scenario "$TMP/delay.json" --analysis fh:0,1 --boundaries design --reps 100 --seed 5 --json > "$TMP/bk2.json" || fail=1
cmp -s "$TMP/bk1.json" "$TMP/bk2.json" || { echo "FAIL: scenario design.boundaries differs from --boundaries"; fail=1; }
for bad in "--boundaries events" "--analysis maxcombo --futility obf" "--analysis maxcombo --spending hp:0.001" "--analysis fh:0,1 --spending user:0.001,0.025"; do
  # shellcheck disable=SC2086
  "$HAZARD" simulate $GS --events 100,200 $bad --reps 10 > /dev/null 2> "$TMP/err"
  rc=$?
  [ $rc -eq 2 ] && grep -q -- "--boundaries" "$TMP/err" || { echo "FAIL: $bad: exit $rc (expected 2 naming --boundaries): $(cat "$TMP/err")"; fail=1; }
done

[ $fail -eq 0 ] && echo "simulate_nph: all passed"
exit $fail
