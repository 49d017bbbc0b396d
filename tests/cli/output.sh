#!/usr/bin/env bash
# Output safety (issue 19): every CSV the program writes quotes fields that need it (RFC 4180) and
# guards text cells that a spreadsheet would run as formulas (OWASP: a leading apostrophe before
# = + - @ tab CR, never before a number such as -1.5), unless --csv-raw; writes are atomic (a
# failed command leaves no partial file); an output path equal to an input is refused (exit 2); a
# write error, also on standard output, is exit 5. Expected cells are written out by hand from
# these rules.
# Usage: output.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
ex=${HAZARD_SOURCE_DIR:?}/examples/cabinet
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
check() {  # NAME CODE PATTERN CMD...: exit code and a line of stderr matching PATTERN (grep -E)
  local name=$1 code=$2 pattern=$3; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && { [ -z "$pattern" ] || grep -Eq -- "$pattern" "$tmp/err"; }; then ok "$name (exit $rc)"
  else bad "$name: expected exit $code and /$pattern/, got $rc: $(head -c 300 "$tmp/err")"; fi
}
has_line() {  # NAME FILE LINE: FILE has exactly this line
  if grep -qxF -- "$3" "$2"; then ok "$1"; else bad "$1: no line [$3] in $(basename "$2"): $(head -5 "$2")"; fi
}

# ---- formula injection: arm names from the data ----
printf 'time,status,arm\n1,1,=HYPERLINK("http://x";"y")\n2,0,=HYPERLINK("http://x";"y")\n3,1,-1.5\n4,1,-1.5\n5,0,@SUM(A1)\n6,1,@SUM(A1)\n' >"$tmp/evil.csv"
"$hazard" km --data "$tmp/evil.csv" --time time --event status --group arm --csv >"$tmp/km.csv" 2>"$tmp/err" ||
  bad "km --csv: $(cat "$tmp/err")"
# (hand-worked rows: =HYPERLINK has an event at 1 of 2 at risk: S = 0.5; @SUM(A1) a censoring at 5:
# S = 1, SE 0, log-log limits undefined (NA); -1.5 an event at 3 of 2 at risk)
has_line "km --csv: a formula level gets an apostrophe (inside the quotes)" "$tmp/km.csv" \
  "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",1,2,1,0,0.5,0.3535533905932738,0.005983087639145737,0.9104100848367374,0.5,log-log,0.95"
has_line "km --csv: @ gets an apostrophe" "$tmp/km.csv" "'@SUM(A1),5,2,0,1,1,0,NA,NA,0,log-log,0.95"
has_line "km --csv: a numeric level -1.5 is not a formula" "$tmp/km.csv" \
  "-1.5,3,2,1,0,0.5,0.3535533905932738,0.005983087639145737,0.9104100848367374,0.5,log-log,0.95"
"$hazard" km --data "$tmp/evil.csv" --time time --event status --group arm --csv --csv-raw >"$tmp/km_raw.csv" 2>"$tmp/err" ||
  bad "km --csv --csv-raw: $(cat "$tmp/err")"
has_line "km --csv --csv-raw: no apostrophe" "$tmp/km_raw.csv" "@SUM(A1),5,2,0,1,1,0,NA,NA,0,log-log,0.95"

# reconstruct: the arm names of the curve file
printf 'arm,time,surv\n=cmd|x,0,1\n=cmd|x,1,1\n=cmd|x,1,0.5\n=cmd|x,2,0.5\n' >"$tmp/curve.csv"
printf 'arm,time,n_risk\n=cmd|x,0,4\n' >"$tmp/risk.csv"
"$hazard" reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --events 2 --out "$tmp/ipd.csv" >/dev/null 2>"$tmp/err" ||
  bad "reconstruct: $(cat "$tmp/err")"
has_line "reconstruct --out: the arm gets an apostrophe" "$tmp/ipd.csv" "'=cmd|x,1,1"
"$hazard" reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --events 2 --out - --csv-raw >"$tmp/ipd_raw.csv" 2>"$tmp/err" ||
  bad "reconstruct --out - --csv-raw: $(cat "$tmp/err")"
has_line "reconstruct --out - --csv-raw: as it is, on standard output" "$tmp/ipd_raw.csv" "=cmd|x,1,1"
check "reconstruct --out equal to --curve" 2 "^hazard: error: --out .*curve.csv: this is the input file" \
  "$hazard" reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --events 2 --out "$tmp/./curve.csv"
grep -qx 'arm,time,surv' <(head -1 "$tmp/curve.csv") && ok "the input was not touched" || bad "curve.csv was overwritten"

# report: results.csv, with a cohort and an arm that look like formulas
for f in adtte adsl; do sed 's/"Placebo"/"-Placebo"/g' "$ex/$f.csv" >"$tmp/$f.csv"; done
grep -q "\"-Placebo\"" "$tmp/adtte.csv" || bad "no -Placebo in the test's adtte.csv"
report() {
  "$hazard" report --data "$tmp/adtte.csv" --adsl "$tmp/adsl.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR \
    --group TRT01P --ref=-Placebo --strata STRAT1R --times 6 --units months "$@"
}
report --out "$tmp/rep" >/dev/null 2>"$tmp/err" || bad "report: $(cat "$tmp/err")"
grep -q "^PFS,Overall,'-Placebo,n," "$tmp/rep/results.csv" && ok "results.csv: the arm -Placebo gets an apostrophe" ||
  bad "results.csv: $(grep -m2 Placebo "$tmp/rep/results.csv")"
report --out "$tmp/rep_raw" --csv-raw >/dev/null 2>"$tmp/err" || bad "report --csv-raw: $(cat "$tmp/err")"
grep -q "^PFS,Overall,-Placebo,n," "$tmp/rep_raw/results.csv" && ok "results.csv --csv-raw: as it is" ||
  bad "results.csv --csv-raw: $(grep -m2 Placebo "$tmp/rep_raw/results.csv")"
ls -A "$tmp/rep" | grep -q '^\.' && bad "report left hidden temporary files: $(ls -A "$tmp/rep")" || ok "no temporary file left in the report folder"

# a failed report leaves no partial files: results.json cannot be written (a folder of that name)
mkdir -p "$tmp/rep_fail/results.json"
check "report that cannot write results.json" 5 "^hazard: i/o error: .*results.json: is a directory" report --out "$tmp/rep_fail"
[ "$(ls -A "$tmp/rep_fail")" = "results.json" ] && ok "the failed report left no file" ||
  bad "the failed report left: $(ls -A "$tmp/rep_fail")"
# ... and an existing report is not half replaced
cp -r "$tmp/rep" "$tmp/rep_old"
mkdir -p "$tmp/rep_dir" && cp "$tmp/rep/"* "$tmp/rep_dir/" && rm "$tmp/rep_dir/results.json" && mkdir "$tmp/rep_dir/results.json"
check "report over an old one that fails" 5 "results.json: is a directory" report --out "$tmp/rep_dir" --title "New title"
grep -q "New title" "$tmp/rep_dir/report.html" && bad "report.html was replaced by a failed run" || ok "the old report.html is intact"
# a report that fails (no rows) creates no folder
check "a report that fails before writing" 3 "" report --out "$tmp/rep_new" --where COHORT=nope
[ -e "$tmp/rep_new" ] && bad "a failed report created its folder" || ok "a failed report created no folder"
# the input in the output folder under a name the report writes
mkdir -p "$tmp/rep_in" && cp "$tmp/adtte.csv" "$tmp/rep_in/results.csv"
check "report --out holding the input as results.csv" 2 "^hazard: error: --out .*results.csv: this is the input file" \
  "$hazard" report --data "$tmp/rep_in/results.csv" --adsl "$tmp/adsl.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR \
  --group TRT01P --ref=-Placebo --out "$tmp/rep_in"
cmp -s "$tmp/adtte.csv" "$tmp/rep_in/results.csv" && ok "the input was not touched" || bad "the input was overwritten"

# simulate: --patients quotes and guards; --trials-out to a full disk is exit 5
SIM="--n 40 --median-control 6 --hr 0.7 --accrual-time 6 --events 20 --looks 1 --spending obf --alpha 0.025 --seed 3 --reps 20"
"$hazard" simulate $SIM --patients "$tmp/pts.csv" --trials-out "$tmp/trials.csv" >/dev/null 2>"$tmp/err" ||
  bad "simulate: $(cat "$tmp/err")"
has_line "simulate --patients header" "$tmp/pts.csv" \
  "STUDYID,USUBJID,SUBJID,TRT01P,TRT01PN,RANDFL,STRAT1R,RANDT,DCUTDT,PARAMCD,PARAM,AVAL,CNSR,EVNTDESC,CNSDTDSC"
[ "$(wc -l <"$tmp/trials.csv")" = 21 ] && ok "simulate --trials-out: 20 trials" || bad "trials.csv: $(wc -l <"$tmp/trials.csv") lines"
if [ -w /dev/full ]; then
  check "simulate --trials-out /dev/full" 5 "^hazard: i/o error: /dev/full: cannot write: No space left on device" \
    "$hazard" simulate $SIM --trials-out /dev/full
  check "simulate --patients /dev/full" 5 "^hazard: i/o error: /dev/full: cannot write" \
    "$hazard" simulate $SIM --patients /dev/full
  check "km --json to a full standard output" 5 "^hazard: i/o error: standard output: cannot write: No space left on device" \
    sh -c "exec \"$hazard\" km --data \"$tmp/evil.csv\" --time time --event status --json >/dev/full"
  check "km --csv to a full standard output" 5 "^hazard: i/o error: -: cannot write: No space left on device" \
    sh -c "exec \"$hazard\" km --data \"$tmp/evil.csv\" --time time --event status --csv >/dev/full"
else
  echo "skip /dev/full not writable"
fi
check "simulate --trials-out into a missing folder fails before the run" 5 "cannot create a file in" \
  "$hazard" simulate $SIM --trials-out "$tmp/no/such/dir/t.csv"
"$hazard" simulate $SIM --trials-out /dev/stdout >"$tmp/stdout.csv" 2>"$tmp/err" || bad "simulate --trials-out /dev/stdout: $(cat "$tmp/err")"
grep -q '^trial,stop_look' "$tmp/stdout.csv" && ok "simulate --trials-out /dev/stdout writes to standard output" ||
  bad "--trials-out /dev/stdout: $(head -2 "$tmp/stdout.csv")"

# cox: --out and --survfit-out must not name an input
check "cox --out equal to --data" 2 "^hazard: error: --out .*evil.csv: this is the input file" \
  "$hazard" cox --data "$tmp/evil.csv" --time time --event status --group arm --residuals martingale --out "$tmp/evil.csv"
check "cox --survfit-out equal to --data" 2 "^hazard: error: --survfit-out" \
  "$hazard" cox --data "$tmp/evil.csv" --time time --event status --group arm --survfit --survfit-out "$tmp/evil.csv"
head -1 "$tmp/evil.csv" | grep -qx 'time,status,arm' && ok "the data file is intact" || bad "evil.csv was overwritten"

# ---- text that is not UTF-8, control characters from the data ----
check "report --title with a byte that is not UTF-8" 2 "^hazard: error: --title '\\\\xFF bad': not UTF-8 text" \
  report --out "$tmp/rep_title" --title $'\xff bad'
[ -e "$tmp/rep_title" ] && bad "a refused report created its folder" || ok "the refused report wrote nothing"
check "report --notice with a byte that is not UTF-8" 2 "^hazard: error: --notice" report --out "$tmp/rep_title" --notice $'x\xe8'
badname=$'bad\xffname.csv'
cp "$tmp/adtte.csv" "$tmp/$badname"
"$hazard" cox --data "$tmp/$badname" --time AVAL --cnsr CNSR --where PARAMCD=PFS --group TRT01P --json >"$tmp/bad.json" 2>"$tmp/err"
rc=$?
if [ "$rc" = 0 ] && grep -q $'"data": "/.*bad\xef\xbf\xbdname.csv"' "$tmp/bad.json" && tail -c 2 "$tmp/bad.json" | grep -q '}'; then
  ok "cox --json with a Latin-1 file name: whole JSON, the byte as U+FFFD"
else bad "cox --json with a Latin-1 file name: exit $rc: $(cat "$tmp/err") $(grep '"data"' "$tmp/bad.json")"; fi
"$hazard" km --data "$tmp/$badname" --time AVAL --cnsr CNSR --where PARAMCD=PFS >"$tmp/bad.txt" 2>&1 &&
  grep -q 'data: .*bad\\xFFname.csv' "$tmp/bad.txt" && ok "km text output: the file name escaped" ||
  bad "km text with a Latin-1 file name: $(head -2 "$tmp/bad.txt" | cat -v)"
check "a data error names the file escaped" 3 "^hazard: data error: .*bad\\\\xFFname.csv:1: column 'NOPE'" \
  "$hazard" km --data "$tmp/$badname" --time NOPE --cnsr CNSR
"$hazard" report --data "$tmp/$badname" --adsl "$tmp/adsl.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR \
  --group TRT01P --ref=-Placebo --out "$tmp/rep_badname" >/dev/null 2>"$tmp/err" &&
  [ -s "$tmp/rep_badname/results.json" ] && [ -s "$tmp/rep_badname/report.html" ] &&
  ok "report from a Latin-1 file name: every file written" || bad "report from a Latin-1 file name: $(cat "$tmp/err")"
# ESC, BEL and NUL in Dataset-JSON strings: data, shown escaped in messages and text tables
printf '{"columns":[{"name":"T","dataType":"double"},{"name":"E","dataType":"integer"},{"name":"G","dataType":"string"}],"rows":[[1,1,"\\u001b[31mred"],[2,0,"\\u001b[31mred"],[3,1,"b\\u0007\\u0000x"],[4,1,"b\\u0007\\u0000x"]]}' >"$tmp/ctl.json"
"$hazard" km --data "$tmp/ctl.json" --time T --event E --group G >"$tmp/ctl.txt" 2>"$tmp/err" || bad "km on ctl.json: $(cat "$tmp/err")"
if grep -q $'\x1b' "$tmp/ctl.txt" || grep -q $'\a' "$tmp/ctl.txt"; then bad "km text output holds a raw ESC or BEL"
elif grep -Eq 'G ?= ?\\x1B\[31mred' "$tmp/ctl.txt" && grep -Eq 'G ?= ?b\\x07\\x00x' "$tmp/ctl.txt"; then ok "km text: ESC, BEL, NUL escaped"
else bad "km text output: $(grep 'G = ' "$tmp/ctl.txt" | cat -v)"; fi
"$hazard" logrank --data "$tmp/ctl.json" --time T --event E --group G >"$tmp/ctl.txt" 2>"$tmp/err" || bad "logrank on ctl.json: $(cat "$tmp/err")"
grep -q $'\x1b' "$tmp/ctl.txt" && bad "logrank text holds a raw ESC" || ok "logrank text: no raw ESC"
"$hazard" km --data "$tmp/ctl.json" --time T --event E --group G --ref nope >/dev/null 2>"$tmp/err"
grep -q $'\x1b' "$tmp/err" && bad "the message holds a raw ESC" ||
  { grep -q 'levels: .*\\x1B\[31mred' "$tmp/err" && ok "a message listing the levels escapes ESC" || bad "message: $(cat -v "$tmp/err")"; }
"$hazard" km --data "$tmp/ctl.json" --time T --event E --group G --csv >"$tmp/ctl.csv" 2>"$tmp/err" || bad "km --csv on ctl.json: $(cat "$tmp/err")"
grep -q $'^b\a' "$tmp/ctl.csv" && ok "km --csv keeps the data as it is (BEL is data; CSV is not a terminal)" || bad "km --csv: $(cat -v "$tmp/ctl.csv" | head -3)"

exit $fail
