#!/usr/bin/env bash
# Issue 26: the same commands under `mpirun` (a build with -DHAZARD_MPI=ON; skipped otherwise).
# Each case runs on 1, 2 and 3 ranks of this machine (--oversubscribe) and must print exactly what
# the program prints as one process (bit-identical), write the same files, and, when one rank
# fails, end every rank with the failing rank's exit status and message.
# Usage: mpi.sh /path/to/hazard
set -u
hazard=${1:?usage: mpi.sh HAZARD_BINARY}
if ! command -v mpirun >/dev/null; then echo "mpirun not installed: skipped"; exit 77; fi
if ! ldd "$hazard" 2>/dev/null | grep -q libmpi; then echo "$hazard is not an MPI build: skipped"; exit 77; fi
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
run_np 2 "$tmp/km.txt" km --data "$tmp/d.csv" --time time --event status --group arm
rc=$?
if [ "$rc" = 2 ] && [ "$(grep -c "does not share its work over MPI ranks" "$tmp/km.txt.err")" = 1 ] && [ ! -s "$tmp/km.txt" ]; then
  ok "km under mpirun -np 2: exit 2, one message, no output"
else
  bad "km under mpirun -np 2: exit $rc, stderr: $(head -c 300 "$tmp/km.txt.err")"
fi
if run_np 1 "$tmp/km1.txt" km --data "$tmp/d.csv" --time time --event status --group arm &&
   "$hazard" km --data "$tmp/d.csv" --time time --event status --group arm > "$tmp/km0.txt" && cmp -s "$tmp/km0.txt" "$tmp/km1.txt"; then
  ok "km under mpirun -np 1: the one-process output"
else
  bad "km under mpirun -np 1"
fi

exit $fail
