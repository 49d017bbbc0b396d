#!/usr/bin/env bash
# Issue 26: the same commands under `mpirun` (a build with -DHAZARD_MPI=ON; skipped otherwise).
# Each case runs on 1, 2 and 3 ranks of this machine (--oversubscribe) and must print exactly what
# the program prints as one process (bit-identical), write the same files, and, when one rank
# fails, end every rank with the failing rank's exit status and message.
# Usage: mpi.sh /path/to/hazard
set -u
hazard=${1:?usage: mpi.sh HAZARD_BINARY}
if ! command -v mpirun >/dev/null; then echo "mpirun not installed: skipped"; exit 77; fi
# an MPI build has its MPI module next to the program (loaded when started by mpirun)
if [ ! -f "$(dirname "$hazard")/libhazard-mpi.so" ]; then echo "$hazard is not an MPI build: skipped"; exit 77; fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# no network interfaces needed: shared memory and loopback between the local ranks
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
run_np() {  # run_np NP OUT ARGS...: mpirun on NP ranks, stdout to OUT, stderr to OUT.err
  local np=$1 out=$2; shift 2
  timeout 120 mpirun -np "$np" "$hazard" "$@" >"$out" 2>"$out.err"
}

# ---- simulate: trials over the ranks, output bit-identical to one process ----
sim=(simulate --n 400 --median-control 12 --hr 0.7 --accrual-time 24 --events 120,180,240
     --spending obf --futility obf --reps 2500 --seed 11)
"$hazard" "${sim[@]}" --json >"$tmp/one.json" 2>/dev/null || bad "simulate (one process) failed"
"$hazard" "${sim[@]}" --trials-out "$tmp/one.csv" >"$tmp/one.txt" 2>/dev/null || bad "simulate --trials-out failed"
for np in 1 2 3; do
  if run_np "$np" "$tmp/mpi$np.json" "${sim[@]}" --json && cmp -s "$tmp/one.json" "$tmp/mpi$np.json"; then
    ok "simulate --json on $np ranks: identical to one process"
  else
    bad "simulate --json on $np ranks differs or failed: $(head -c 300 "$tmp/mpi$np.json.err")"
  fi
  rm -f "$tmp/mpi$np.csv"
  if run_np "$np" "$tmp/mpi$np.txt" "${sim[@]}" --trials-out "$tmp/mpi$np.csv" &&
     cmp -s "$tmp/one.txt" "$tmp/mpi$np.txt" && cmp -s "$tmp/one.csv" "$tmp/mpi$np.csv"; then
    ok "simulate --trials-out on $np ranks: same table and same per-trial file"
  else
    bad "simulate --trials-out on $np ranks differs"
  fi
done
# more ranks than chunks of trials: the idle ranks still take part
if run_np 3 "$tmp/few.json" "${sim[@]:0:${#sim[@]}-4}" --reps 40 --seed 3 --json &&
   "$hazard" "${sim[@]:0:${#sim[@]}-4}" --reps 40 --seed 3 --json >"$tmp/few1.json" && cmp -s "$tmp/few.json" "$tmp/few1.json"; then
  ok "simulate with 40 trials on 3 ranks (two chunks): identical"
else
  bad "simulate with few trials on 3 ranks"
fi

# a scenario grid: every scenario over all the ranks, one table, identical to one process
cat > "$tmp/grid.jsonl" <<'G'
{"name": "PH 0.7", "n": 400, "control": {"median": 12}, "experimental": {"hr": 0.7}, "accrual": {"end": [24]}, "looks": {"events": [150, 250]}}
{"name": "delayed", "n": 300, "ratio": 2, "control": {"median": 6}, "experimental": {"start": [0, 3], "hr": [1, 0.6]}, "accrual": {"end": [12]}, "looks": {"events": [100, 160, 220]}}
G
"$hazard" simulate --scenarios "$tmp/grid.jsonl" --reps 1200 --json > "$tmp/grid1.json"
if run_np 3 "$tmp/grid3.json" simulate --scenarios "$tmp/grid.jsonl" --reps 1200 --json && cmp -s "$tmp/grid1.json" "$tmp/grid3.json"; then
  ok "simulate --scenarios on 3 ranks: one table, identical to one process"
else
  bad "simulate --scenarios on 3 ranks differs"
fi

# ---- a failing rank ends the job with its status and message ----
run_np 3 "$tmp/fail.txt" "${sim[@]}" --trials-out "$tmp/no/such/dir/t.csv"
rc=$?
if [ "$rc" = 5 ] && grep -q "rank 0 of 3): i/o error: .*t.csv" "$tmp/fail.txt.err"; then
  ok "unwritable --trials-out on rank 0: exit 5 for the job, message names the rank and the file"
else
  bad "failing rank: exit $rc, stderr: $(head -c 300 "$tmp/fail.txt.err")"
fi
run_np 2 "$tmp/usage.txt" "${sim[@]}" --reps 2.5
rc=$?
if [ "$rc" = 2 ] && [ "$(grep -c "hazard: error: --reps" "$tmp/usage.txt.err")" = 1 ]; then
  ok "usage error under mpirun: exit 2, printed once (rank 0)"
else
  bad "usage error under mpirun: exit $rc, stderr: $(head -c 300 "$tmp/usage.txt.err")"
fi

# a command that does not share its work over ranks refuses to run N times over (exit 2, once)
printf 'time,status,arm\n5,1,A\n7,0,B\n9,1,A\n3,1,B\n' > "$tmp/d.csv"
run_np 2 "$tmp/cuminc.txt" cuminc --data "$tmp/d.csv" --time time --status status --cause 1 --group arm
rc=$?
if [ "$rc" = 2 ] && [ "$(grep -c "does not share its work over MPI ranks" "$tmp/cuminc.txt.err")" = 1 ] && [ ! -s "$tmp/cuminc.txt" ]; then
  ok "cuminc under mpirun -np 2: exit 2, one message, no output"
else
  bad "cuminc under mpirun -np 2: exit $rc, stderr: $(head -c 300 "$tmp/cuminc.txt.err")"
fi
if run_np 1 "$tmp/km1.txt" km --data "$tmp/d.csv" --time time --event status --group arm &&
   "$hazard" km --data "$tmp/d.csv" --time time --event status --group arm > "$tmp/km0.txt" && cmp -s "$tmp/km0.txt" "$tmp/km1.txt"; then
  ok "km under mpirun -np 1: the one-process output"
else
  bad "km under mpirun -np 1"
fi

# ---- km, logrank, cox over files read by different ranks: equal to one process on one file ----
# R's colon (deaths and recurrences, 1858 rows), lung and veteran, rows shuffled and cut into 3
# parts of unequal size (tests/cli/split_parts.py); each rank reads its own files.
src=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ref=$src/tests/reference
python3 "$src/tests/cli/split_parts.py" "$ref/report/colon.csv" "$tmp/colon" 3 || bad "split colon"
python3 "$src/tests/cli/split_parts.py" "$ref/cox/lung.csv" "$tmp/lung" 3 || bad "split lung"
python3 "$src/tests/cli/split_parts.py" "$ref/cox/veteran.csv" "$tmp/veteran" 3 || bad "split veteran"
same_json() {  # same_json A B TOL: every number within TOL relative, everything else equal
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
a, b, tol = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), float(sys.argv[3])
bad = []
def walk(x, y, path):
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y): bad.append((path, sorted(set(x) ^ set(y))))
        for k in x:
            if k in y and k != "data": walk(x[k], y[k], path + "." + k)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y): bad.append((path, len(x), len(y))); return
        for i, (u, v) in enumerate(zip(x, y)): walk(u, v, f"{path}[{i}]")
    elif isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
        if abs(x - y) > tol * max(abs(y), 1e-300): bad.append((path, x, y))
    elif x != y: bad.append((path, x, y))
walk(a, b, "")
print(bad[:5])
sys.exit(1 if bad else 0)
PY
}
dist_case() {  # dist_case NAME TOL PATTERN WHOLE ARGS...: 1-4 ranks over PATTERN vs one process on WHOLE
  local name=$1 tol=$2 pattern=$3 whole=$4; shift 4
  "$hazard" "$@" --data "$whole" --json > "$tmp/whole.json" 2>"$tmp/whole.err" || { bad "$name: one file failed: $(head -c 300 "$tmp/whole.err")"; return; }
  "$hazard" "$@" --data "$pattern" --json > "$tmp/glob.json" 2>"$tmp/glob.err" &&
    same_json "$tmp/glob.json" "$tmp/whole.json" "$tol" >/dev/null && ok "$name: the files in one process" ||
    bad "$name: the files in one process differ: $(same_json "$tmp/glob.json" "$tmp/whole.json" "$tol") $(head -c 300 "$tmp/glob.err")"
  for np in 2 3 4; do
    [ "$name" != "${name#cox}" ] && [ "$np" = 4 ] && continue  # cox wants a file per rank
    if run_np "$np" "$tmp/d$np.json" "$@" --data "$pattern" --json && same_json "$tmp/d$np.json" "$tmp/whole.json" "$tol" >/dev/null; then
      ok "$name on $np ranks: equal to one process (relative $tol)"
    else
      bad "$name on $np ranks: $(same_json "$tmp/d$np.json" "$tmp/whole.json" "$tol") $(head -c 300 "$tmp/d$np.json.err")"
    fi
  done
}
# km and logrank: frequency tables of integer counts, so equal to the last bit (tolerance 0)
dist_case "km (colon, by rx, landmarks, follow-up)" 0 "$tmp/colon-part*.csv" "$tmp/colon-all.csv" \
  km --time time --event status --group rx --times 365,1000 --followup --rmst 2000
dist_case "logrank (colon, strata sex and node4)" 0 "$tmp/colon-part*.csv" "$tmp/colon-all.csv" \
  logrank --time time --event status --group rx --strata sex,node4 --where etype=2
dist_case "logrank FH(1,1) (veteran, --ref)" 0 "$tmp/veteran-part*.csv" "$tmp/veteran-all.csv" \
  logrank --time time --event status --group celltype --ref squamous --rho 1 --gamma 1
dist_case "logrank maxcombo (lung)" 0 "$tmp/lung-part*.csv" "$tmp/lung-all.csv" \
  logrank --time time --event status --group sex --test maxcombo
dist_case "logrank rmst (lung)" 0 "$tmp/lung-part*.csv" "$tmp/lung-all.csv" \
  logrank --time time --event status --group sex --test rmst --tau 500
# cox: the fit's sums reduced over the ranks: equal to 1e-12 relative (order of summation aside)
dist_case "cox (colon, rx + age + nodes, strata sex)" 1e-11 "$tmp/colon-part*.csv" "$tmp/colon-all.csv" \
  cox --time time --event status --group rx --covariates age,nodes --strata sex --where etype=2
dist_case "cox breslow (lung, factor ph.ecog)" 1e-11 "$tmp/lung-part*.csv" "$tmp/lung-all.csv" \
  cox --time time --event status --covariates age,sex,ph.ecog --ref ph.ecog=0 --ties breslow --where "ph.ecog<3"

# the whole's checks, and errors on one rank end every rank
run_np 3 "$tmp/noev.txt" km --data "$tmp/lung-part*.csv" --time time --event status=9 --group sex
rc=$?
if [ "$rc" = 3 ] && grep -q "no events" "$tmp/noev.txt.err"; then ok "no events in any file: exit 3"; else bad "no events: exit $rc $(head -c 300 "$tmp/noev.txt.err")"; fi
run_np 2 "$tmp/w.txt" km --data "$tmp/lung-part*.csv" --time time --event status --group sex --weights age
rc=$?
if [ "$rc" = 2 ] && grep -q "case weights are not counts" "$tmp/w.txt.err"; then ok "km --weights over ranks: exit 2"; else bad "km --weights: exit $rc"; fi
printf 'time,status,sex\n5,1,x\n' > "$tmp/lung-part9.csv"
run_np 2 "$tmp/kind.txt" km --data "$tmp/lung-part*.csv" --time time --event status --group sex
rc=$?
if [ "$rc" = 3 ] && grep -q "numeric in some of the files and text in others" "$tmp/kind.txt.err"; then
  ok "a column numeric in one file and text in another: exit 3"
else
  bad "kind mismatch: exit $rc $(head -c 300 "$tmp/kind.txt.err")"
fi
printf 'time,status,sex\n-5,1,1\n' > "$tmp/lung-part9.csv"
run_np 2 "$tmp/neg.txt" logrank --data "$tmp/lung-part*.csv" --time time --event status --group sex
rc=$?
if [ "$rc" = 3 ] && grep -q "lung-part9.csv:2" "$tmp/neg.txt.err"; then
  ok "a bad value in one rank's file: exit 3, the message names that file and line"
else
  bad "bad value on one rank: exit $rc $(head -c 300 "$tmp/neg.txt.err")"
fi
rm -f "$tmp/lung-part9.csv"
run_np 2 "$tmp/res.txt" cox --data "$tmp/lung-part*.csv" --time time --event status --covariates age --residuals martingale --out "$tmp/r.csv"
rc=$?
if [ "$rc" = 2 ] && grep -q "need every row in one process" "$tmp/res.txt.err"; then ok "cox --residuals over ranks: exit 2"; else bad "cox --residuals: exit $rc"; fi
"$hazard" km --data "$tmp/none-*.csv" --time time --event status > /dev/null 2>"$tmp/none.err"
rc=$?
if [ "$rc" = 5 ] && grep -q "no file matches" "$tmp/none.err"; then ok "a pattern matching no file: exit 5"; else bad "no file: exit $rc"; fi

exit $fail
