#!/usr/bin/env bash
# Reading input safely (issue 19): very wide headers are read in linear time, pipes, FIFOs and
# standard input (`--data -`) are read like files, large CSV files are cut into chunks where the
# tokenizer sees record ends, and Dataset-JSON is read as a stream. Each case states the
# independent truth it checks (exit code, message, a count or a time bound).
# Usage: input.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
f=${HAZARD_SOURCE_DIR:?}/tests/reference/formats
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# cpu_under NAME SECONDS CMD...: CMD exits 0 within SECONDS of CPU time (user + system: the bound
# holds on a machine busy with other jobs, where wall time does not). Output in $tmp/out.
cpu_under() {
  local name=$1 limit=$2; shift 2
  [ -n "${ASAN_OPTIONS:-}" ] && limit=$((limit * 6))  # the sanitizer build runs several times slower
  if [ ! -x /usr/bin/time ]; then check "$name" 0 "" "$@"; return; fi
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? t
  t=$(tail -1 "$tmp/time")
  if [ "$rc" = 0 ] && awk -v t="$t" -v l="$limit" 'BEGIN { split(t, a, " "); exit !(a[2] + a[3] < l) }'; then
    ok "$name: exit 0, $(echo "$t" | awk '{ printf "%.2f s CPU (%.2f s wall)", $2 + $3, $1 }') < $limit s"
  else
    bad "$name: exit $rc, time $t (wall user system), limit $limit s CPU: $(head -c 300 "$tmp/err")"
  fi
}

# check NAME CODE PATTERN CMD...: the exit code and a line of stderr matching PATTERN (grep -E).
check() {
  local name=$1 code=$2 pattern=$3; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && { [ -z "$pattern" ] || grep -Eq -- "$pattern" "$tmp/err"; }; then
    ok "$name (exit $rc)"
  else
    bad "$name: expected exit $code and /$pattern/, got $rc: $(head -c 400 "$tmp/err")"
  fi
}

# ---- a 1,000,000-column header: the duplicate-name check is linear (it took 17 minutes) ----
seq -f 'c%.0f' 1 1000000 | paste -sd, >"$tmp/wide.csv"
yes 1 | head -n 1000000 | paste -sd, >>"$tmp/wide.csv"
cpu_under "1e6-column CSV header" 5 timeout 120 "$hazard" km --data "$tmp/wide.csv" --time c1 --event c2 --json
grep -q '"n": 1' "$tmp/out" && ok "1e6-column CSV: the one row is analysed" || bad "1e6-column CSV: n is not 1"
# the same header with the last name equal to the first
sed '1s/,c1000000$/,c1/' "$tmp/wide.csv" >"$tmp/widedup.csv"
check "1e6-column CSV header, duplicate name" 3 "widedup.csv:1: column 'c1': value 'c1': duplicate column name \(columns 1 and 1000000\)" \
  timeout 60 "$hazard" km --data "$tmp/widedup.csv" --time c2 --event c3
check "a missing column among 1e6 lists 20 names and the count" 3 \
  "no such column in the header \(columns: c1, c2, .*, c20, \.\.\. \(1000000 columns\)\)" \
  timeout 60 "$hazard" km --data "$tmp/wide.csv" --time nope --event c3

# ---- the same 1e6-column header in Dataset-JSON ----
awk 'BEGIN { printf "{\"columns\":["; for (i = 1; i <= 1000000; i++) printf "%s{\"name\":\"c%d\",\"dataType\":\"integer\"}", (i > 1 ? "," : ""), i
             printf "],\"rows\":[["; for (i = 1; i <= 1000000; i++) printf "%s1", (i > 1 ? "," : ""); print "]]}" }' >"$tmp/wide.json"
cpu_under "1e6-column Dataset-JSON" 5 timeout 120 "$hazard" km --data "$tmp/wide.json" --time c1 --event c2 --json
grep -q '"n": 1' "$tmp/out" && ok "1e6-column Dataset-JSON: the one row is analysed" || bad "1e6-column Dataset-JSON: n is not 1"

# ---- Dataset-JSON is read as a stream: peak memory within 2x of the same data read as CSV (a
# tree of the whole file took 3x on this file, 14x on others) ----
awk 'BEGIN { srand(7); print "TRT01P,SEX,AVAL,CNSR,AGE"
             for (i = 1; i <= 500000; i++) printf "%s,%s,%.4f,%d,%d\n", (rand() < 0.5 ? "Placebo" : "Drug X"), (rand() < 0.5 ? "M" : "F"), -log(rand()) * 12, (rand() < 0.3), 40 + int(rand() * 40) }' >"$tmp/m.csv"
awk -v types=string,string,double,integer,integer -f "${HAZARD_SOURCE_DIR}/tests/tools/csv_to_dataset_json.awk" "$tmp/m.csv" >"$tmp/m.json"
if [ -x /usr/bin/time ]; then
  for x in csv json; do
    /usr/bin/time -f %M -o "$tmp/rss.$x" "$hazard" km --data "$tmp/m.$x" --time AVAL --cnsr CNSR --group TRT01P --json >"$tmp/km.$x" 2>"$tmp/err.$x" ||
      bad "km on m.$x failed: $(cat "$tmp/err.$x")"
  done
  csv_kb=$(tail -1 "$tmp/rss.csv"); json_kb=$(tail -1 "$tmp/rss.json")
  # (not in a sanitizer build: its shadow memory and allocator quarantine distort peak memory)
  if [ "${HAZARD_SANITIZED:-0}" = 1 ]; then echo "sanitizer build: peak memory not compared ($json_kb vs $csv_kb KB)"
  elif [ "$json_kb" -le $((2 * csv_kb)) ]; then ok "Dataset-JSON peak memory $json_kb KB <= 2 x CSV's $csv_kb KB"
  else bad "Dataset-JSON peak memory $json_kb KB > 2 x CSV's $csv_kb KB"; fi
  cmp -s <(sed 's/m\.csv/X/' "$tmp/km.csv") <(sed 's/m\.json/X/' "$tmp/km.json") && ok "the JSON and the CSV give the same km output" ||
    bad "km output differs between m.csv and m.json"
else
  echo "skip /usr/bin/time not found: peak memory not compared"
fi

# ---- out of memory: exit 1 and a message naming the file, never a signal (AddressSanitizer
# reserves terabytes of address space: no ulimit -v under it). 40 MB of address space: the program
# starts in ~15 MB (session 14: 60 MB became enough for the JSON file once cairo and pango were no
# longer mapped at start), reading either file needs more ----
if [ -z "${ASAN_OPTIONS:-}" ]; then
  for x in csv json; do
    ( ulimit -v 40000; exec "$hazard" km --data "$tmp/m.$x" --time AVAL --cnsr CNSR --group TRT01P ) >/dev/null 2>"$tmp/err"
    rc=$?
    if [ "$rc" = 1 ] && grep -q "^hazard: out of memory: " "$tmp/err"; then ok "out of memory reading m.$x: exit 1: $(head -c 200 "$tmp/err")"
    else bad "out of memory reading m.$x: exit $rc: $(head -c 300 "$tmp/err")"; fi
  done
fi

# ---- standard input (--data -), pipes and FIFOs: read once, like a file; the format is found
# without seeking. Truth: the output of the same command on the file itself. ----
ex=${HAZARD_SOURCE_DIR}/examples/cabinet
km() { timeout 60 "$hazard" km --json --cnsr CNSR --group SEX --ref Male --time AVAL "$@"; }
km --data "$f/lung.csv" >"$tmp/file.json" 2>"$tmp/err" || bad "km on lung.csv: $(cat "$tmp/err")"
same_as_file() {  # NAME: $tmp/got.json equals $tmp/file.json but for the data's name
  if cmp -s <(grep -v '"data"' "$tmp/file.json") <(grep -v '"data"' "$tmp/got.json"); then ok "$1 gives the file's result"
  else bad "$1 differs from the file's result: $(diff <(grep -v '"data"' "$tmp/file.json") <(grep -v '"data"' "$tmp/got.json") | head -5)"; fi
}
for x in lung.csv lung.json lung.ndjson lung_v5.xpt lung_v8.xpt lung.sas7bdat; do
  km --data - <"$f/$x" >"$tmp/got.json" 2>"$tmp/err" || bad "--data - < $x: $(cat "$tmp/err")"
  same_as_file "--data - < $x (a file as standard input)"
  cat "$f/$x" | km --data - >"$tmp/got.json" 2>"$tmp/err" || bad "cat $x | --data -: $(cat "$tmp/err")"
  same_as_file "cat $x | --data - (a pipe)"
  km --data <(cat "$f/$x") >"$tmp/got.json" 2>"$tmp/err" || bad "--data <(cat $x): $(cat "$tmp/err")"
  same_as_file "--data <(cat $x) (a pipe by name)"
done
mkfifo "$tmp/fifo"
( cat "$f/lung.csv" >"$tmp/fifo" & )
km --data "$tmp/fifo" >"$tmp/got.json" 2>"$tmp/err" || bad "--data FIFO: $(cat "$tmp/err")"
same_as_file "--data FIFO"
printf 'AVAL,CNSR,SEX\n1,0,Male\n-2,1,Female\n' | km --data - >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 3 ] && grep -q "^hazard: data error: <stdin>:3: column 'AVAL': value '-2'" "$tmp/err" &&
  ok "a data error on standard input names <stdin> and the line" || bad "stdin data error: exit $rc: $(cat "$tmp/err")"
check "an empty pipe is an empty file" 3 "<stdin>: the file is empty: no header row" \
  timeout 60 "$hazard" km --data - --time AVAL --cnsr CNSR </dev/null
check "--data - with --adsl -" 2 "standard input holds one file" \
  timeout 60 "$hazard" km --data - --adsl - --time AVAL --cnsr CNSR --group TRT01P </dev/null
# hazard report reads its data once per cohort and hashes it: from a pipe and from a FIFO
report() {
  timeout 120 "$hazard" report --adsl "$ex/adsl.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR --group TRT01P \
    --ref Placebo --by COHORT --strata STRAT1R,STRAT2R --times 6,12 --units months "$@"
}
report --data "$ex/adtte.csv" --out "$tmp/rep_file" >/dev/null 2>"$tmp/err" || bad "report on the file: $(cat "$tmp/err")"
cat "$ex/adtte.csv" | report --data - --out "$tmp/rep_pipe" >/dev/null 2>"$tmp/err" || bad "report --data -: $(cat "$tmp/err")"
( cat "$ex/adtte.csv" >"$tmp/fifo" & )
report --data "$tmp/fifo" --out "$tmp/rep_fifo" >/dev/null 2>"$tmp/err" || bad "report --data FIFO: $(cat "$tmp/err")"
sum=$(sha256sum "$ex/adtte.csv" | cut -c1-64)
for r in rep_pipe rep_fifo; do
  if cmp -s "$tmp/rep_file/results.csv" "$tmp/$r/results.csv"; then ok "report from $r: results.csv as from the file"
  else bad "report from $r: results.csv differs from the file's"; fi
  grep -q "$sum" "$tmp/$r/results.json" && ok "report from $r records the input's SHA-256" || bad "report from $r: no SHA-256 $sum"
done

# ---- CSV over 8 MB (read in parallel chunks): a quote inside an unquoted field (5" = five inches)
# before quoted multi-line fields; the chunk cuts must not fall inside a quoted field ----
{ echo 'time,status,note'; echo '1,1,5"'
  awk 'BEGIN { for (i = 0; i < 400000; i++) printf "%d,%d,\"line one\nline %d\"\n", i % 100 + 1, i % 2, i }'; } >"$tmp/big.csv"
[ "$(stat -c %s "$tmp/big.csv")" -gt $((8 << 20)) ] || bad "big.csv is not over 8 MB"
check "CSV > 8 MB with a stray quote and quoted line breaks" 0 "" "$hazard" km --data "$tmp/big.csv" --time time --event status --json
grep -q '"n": 400001' "$tmp/out" && ok "every one of the 400001 rows is read" || bad "big.csv: n is not 400001"

exit $fail
