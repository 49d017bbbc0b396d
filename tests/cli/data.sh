#!/usr/bin/env bash
# The shared data flags through a real command (`hazard km --json`): every input format gives the
# same output as the CSV (the fixtures of tests/reference/formats/, written by make_formats.R with
# R's haven), the ADaM flags work, and each kind of failure ends with its documented exit code
# (docs/exit-codes.md) and one message naming the file.
# Usage: data.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
f=${HAZARD_SOURCE_DIR:?}/tests/reference/formats
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
"$hazard" km --help >/dev/null 2>&1 || { echo "SKIP: no km command in this build"; exit 77; }

km() { "$hazard" km --json --cnsr CNSR --group SEX --ref Male "$@"; }

km --data "$f/lung.csv" --time AVAL >"$tmp/csv.json" 2>"$tmp/err" || { echo "FAIL csv"; cat "$tmp/err"; fail=1; }
for x in lung_v5.xpt lung_v8.xpt lung.sas7bdat lung.json lung.ndjson; do
  # The JSON names the data source; everything else must be identical.
  if km --data "$f/$x" --time AVAL 2>"$tmp/err" | sed "s#$x#lung.csv#g" >"$tmp/out.json" &&
     cmp -s <(sed "s#lung.csv#X#g" "$tmp/csv.json") <(sed "s#lung.csv#X#g" "$tmp/out.json"); then
    echo "ok   $x gives the CSV's result"
  else
    echo "FAIL $x differs from the CSV"; cat "$tmp/err"; diff <(sed "s#lung.csv#X#g" "$tmp/csv.json") \
      <(sed "s#lung.csv#X#g" "$tmp/out.json") | head -5; fail=1
  fi
done

expect() {  # CODE PATTERN ARGS...: exit code and a message matching PATTERN on stderr
  local code=$1 pattern=$2; shift 2
  "$hazard" km "$@" >/dev/null 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" "$tmp/err"; }; then
    echo "ok   exit $code: $(head -c 150 "$tmp/err")"
  else
    echo "FAIL expected exit $code and /$pattern/, got $rc: $(cat "$tmp/err")"; fail=1
  fi
}

head -c 10040 "$f/lung_v5.xpt" >"$tmp/trunc.xpt"
head -c 13600 "$f/lung_v5.xpt" >"$tmp/trunc80.xpt"   # a multiple of 80 bytes, inside an observation
head -c 20000 "$f/lung.sas7bdat" >"$tmp/trunc.sas7bdat"
head -c 5000 "$f/lung.json" >"$tmp/trunc.json"
head -n 10 "$f/lung.csv" >"$tmp/trunc.csv"; sed -n 11p "$f/lung.csv" | cut -d, -f1-5 | tr -d '\n' >>"$tmp/trunc.csv"
sed 's/LIBRARY HEADER/LIBRXRY HEADER/' "$f/lung_v5.xpt" >"$tmp/header.xpt"
printf 'AVAL,CNSR,SEX\n1,0,Male\n2,1,"Female\n' >"$tmp/quote.csv"
printf 'AVAL,CNSR,AVAL\n1,0,2\n' >"$tmp/dupcol.csv"
iconv -f UTF-8 -t UTF-16 "$f/lung.csv" >"$tmp/utf16.csv"

# Issue 7's malformed inputs: exit 3 and one message naming the file, the record (line or
# observation), the variable and the value (docs/exit-codes.md).
rec="[0-9][0-9]*"
expect 3 "trunc.xpt: observation $rec: column '[A-Z]*': value '10040': the file ends inside this value.*truncated" \
  --data "$tmp/trunc.xpt" --time AVAL --cnsr CNSR
expect 3 "trunc80.xpt: observation $rec: column '[A-Z]*': value '13600': the file ends inside this value.*truncated" \
  --data "$tmp/trunc80.xpt" --time AVAL --cnsr CNSR
expect 3 "trunc.sas7bdat: observation $rec: column 'STUDYID': value '$rec': .*sas7bdat" \
  --data "$tmp/trunc.sas7bdat" --time AVAL --cnsr CNSR
expect 3 "trunc.json: record $rec: column '[A-Z]*': value '[^']*': invalid JSON: .*(a truncated file?)" \
  --data "$tmp/trunc.json" --time AVAL --cnsr CNSR
expect 3 "trunc.csv:11: column 'STATUS': value '\"LUNG01\",\"LUNG01-010\",\"OS\",\"166\",\"0\"': wrong number of fields: 5 instead of the header's 15" \
  --data "$tmp/trunc.csv" --time AVAL --cnsr CNSR
expect 3 "header.xpt" --data "$tmp/header.xpt" --time AVAL --cnsr CNSR
expect 3 "no such column in the header" --data "$f/lung.csv" --time NOPE --cnsr CNSR
expect 3 "quote.csv:3: column 'SEX': value '\"Female': unterminated quoted field" --data "$tmp/quote.csv" --time AVAL --cnsr CNSR
expect 3 "dupcol.csv:1: column 'AVAL': value 'AVAL': duplicate column name (columns 1 and 3)" \
  --data "$tmp/dupcol.csv" --time AVAL --cnsr CNSR
expect 3 "observation 1: column 'SEX': value 'Male': the time column is character" \
  --data "$f/lung_v5.xpt" --time SEX --cnsr CNSR
expect 3 "lung.json: record 1: column 'SEX': value 'Male': the time column is character" \
  --data "$f/lung.json" --time SEX --cnsr CNSR
expect 3 "lung.csv:2: column 'SEX': value 'Male': time is not a finite number" --data "$f/lung.csv" --time SEX --cnsr CNSR
expect 3 "site_latin1.csv:2: column 'SITE': value 'Gen\\\\xE8ve': the file is not UTF-8 text.*--encoding latin1" \
  --data "$f/site_latin1.csv" --time AVAL --event STATUS=2
expect 3 "utf16.csv:1: value '[^']*': the file is UTF-16LE text, not UTF-8 or Latin-1" \
  --data "$tmp/utf16.csv" --time AVAL --cnsr CNSR
expect 3 "utf16.csv:1: value '[^']*': the file is UTF-16LE text" --data "$tmp/utf16.csv" --encoding latin1 --time AVAL --cnsr CNSR
expect 0 "" --data "$f/site_latin1.csv" --encoding latin1 --time AVAL --event STATUS=2 --group SITE
expect 3 "dup_subject.csv:4: column 'USUBJID': value 'S1': subject appears twice within PARAMCD=OS" \
  --data "$f/dup_subject.csv" --time AVAL --cnsr CNSR
expect 3 "dup_subject.csv:2: column 'USUBJID': value 'S1': subject S1 is not in the ADSL file" \
  --data "$f/dup_subject.csv" --adsl "$f/adsl_part.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR --group ARM
expect 2 "--time-from and --time-to go together" --data "$f/lung.csv" --time-from STARTDT --cnsr CNSR
expect 2 "units" --data "$f/lung.csv" --time-from STARTDT --time-to ADT --units fortnights --cnsr CNSR
expect 5 "cannot open" --data "$tmp/no-such-file.csv" --time AVAL --cnsr CNSR
expect 0 "" --data "$f/adtte.xpt" --adsl "$f/adsl.xpt" --population ITTFL --where PARAMCD=PFS \
  --time-from STARTDT --time-to ADT --units months --cnsr CNSR --group TRT01P --ref Placebo
exit $fail
