#!/usr/bin/env bash
# hazard simulate --scenarios (issue 26): a grid of scenarios, one JSON object per line, run with
# the command's flags and written as one table. Each grid row must equal the run of the same
# scenario alone (same seed and trials: the same streams), and a bad line is an error naming the
# file and line.
# Usage: simulate_grid.sh /path/to/hazard
set -u
hazard=${1:?usage: simulate_grid.sh HAZARD_BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
a='{"n": 400, "control": {"median": 12}, "experimental": {"hr": 0.7}, "accrual": {"end": [24]}, "looks": {"events": [150, 250]}}'
b='{"n": 300, "ratio": 2, "control": {"median": 6}, "experimental": {"start": [0, 3], "hr": [1, 0.6]}, "accrual": {"end": [12]}, "looks": {"events": [100, 160, 220]}, "design": {"spending": "pocock"}}'
{ echo "{\"name\": \"proportional\", ${a:1}"; echo; echo "$b"; } > "$tmp/grid.jsonl"
echo "$a" > "$tmp/a.json"
echo "$b" > "$tmp/b.json"
"$hazard" simulate --scenarios "$tmp/grid.jsonl" --reps 1500 --seed 5 --json > "$tmp/grid.json" || bad "grid run failed"
"$hazard" simulate --scenario "$tmp/a.json" --reps 1500 --seed 5 --json > "$tmp/a.out" || bad "scenario a failed"
"$hazard" simulate --scenario "$tmp/b.json" --reps 1500 --seed 5 --json > "$tmp/b.out" || bad "scenario b failed"
python3 - "$tmp" <<'PY' || fail=1
import json, sys
d = sys.argv[1]
grid = json.load(open(f"{d}/grid.json"))["scenarios"]
ok = True
def check(cond, what):
    global ok
    print(("ok: " if cond else "FAIL: ") + what)
    ok &= cond
check(len(grid) == 2, "two scenario rows (the blank line skipped)")
for row, name, line, f in ((grid[0], "proportional", 1, "a.out"), (grid[1], "line 3", 3, "b.out")):
    alone = json.load(open(f"{d}/{f}"))
    check(row.pop("name") == name and row.pop("line") == line, f"row '{name}' is named and gives its line {line}")
    check(row == alone, f"row '{name}' equals the scenario run alone (every key, every digit)")
sys.exit(0 if ok else 1)
PY
"$hazard" simulate --scenarios "$tmp/grid.jsonl" --reps 1500 --seed 5 > "$tmp/grid.txt" || bad "grid text failed"
if grep -q "^proportional " "$tmp/grid.txt" && grep -q "^line 3 " "$tmp/grid.txt"; then ok "text table names the rows"; else bad "text table"; fi

# errors: the file and the line, exit 2 (a scenario's content is an option, as for --scenario)
{ echo "$a"; echo '{"n": 400, "control": {"median": 12}, "bogus": 1}'; } > "$tmp/bad.jsonl"
"$hazard" simulate --scenarios "$tmp/bad.jsonl" --reps 100 2> "$tmp/err"; rc=$?
if [ $rc = 2 ] && grep -q "bad.jsonl:2: .*bogus" "$tmp/err"; then ok "unknown key: exit 2, file:line named"; else bad "unknown key: exit $rc $(cat "$tmp/err")"; fi
{ echo "$a"; echo '{"n": 400,'; } > "$tmp/bad2.jsonl"
"$hazard" simulate --scenarios "$tmp/bad2.jsonl" --reps 100 2> "$tmp/err"; rc=$?
if [ $rc = 2 ] && grep -q "bad2.jsonl:2: not a JSON object" "$tmp/err"; then ok "broken JSON line: exit 2, line named"; else bad "broken JSON: exit $rc $(cat "$tmp/err")"; fi
printf '\n\n' > "$tmp/empty.jsonl"
"$hazard" simulate --scenarios "$tmp/empty.jsonl" 2> "$tmp/err"; rc=$?
if [ $rc = 2 ] && grep -q "no scenario lines" "$tmp/err"; then ok "empty grid: exit 2"; else bad "empty grid: exit $rc"; fi
"$hazard" simulate --scenarios "$tmp/grid.jsonl" --trials-out "$tmp/t.csv" 2> "$tmp/err"; rc=$?
if [ $rc = 2 ] && grep -q "single --scenario" "$tmp/err"; then ok "--scenarios with --trials-out: exit 2"; else bad "--trials-out: exit $rc"; fi
"$hazard" simulate --scenarios "$tmp/grid.jsonl" --scenario "$tmp/a.json" 2> "$tmp/err"; rc=$?
if [ $rc = 2 ]; then ok "--scenarios with --scenario: exit 2"; else bad "--scenario with --scenarios: exit $rc"; fi
"$hazard" simulate --scenarios "$tmp/none.jsonl" 2> "$tmp/err"; rc=$?
if [ $rc = 5 ]; then ok "missing grid file: exit 5"; else bad "missing grid: exit $rc"; fi
exit $fail
