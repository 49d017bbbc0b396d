#!/usr/bin/env bash
# CLI test of `hazard reconstruct` and `hazard published` (docs/cli/reconstruct.md, published.md).
# $1 = path of the hazard binary. Exit 0 pass, 1 fail.
set -u
HAZARD="$1"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# ---- published: CABINET pNET, HR 0.23 (0.12-0.42) at 2:1 implies 44.06 events ----
out=$("$HAZARD" published --hr 0.23 --lower 0.12 --upper 0.42 --ratio 2 --json) || fail "published exit $?"
events=$(echo "$out" | awk -F': ' '/"events"/ {gsub(/,/, "", $2); print $2}')
awk -v e="$events" 'BEGIN { exit !(e > 44.0586 && e < 44.0587) }' || fail "published events $events"
p=$(echo "$out" | awk -F': ' '/"p_value"/ {gsub(/,/, "", $2); print $2}')
awk -v p="$p" 'BEGIN { exit !(p > 4.2522e-06 && p < 4.2523e-06) }' || fail "published p $p"
"$HAZARD" published --hr 0.23 --lower 0.12 --upper 0.42 --ratio 2 | grep -q "implied events *44.1" || fail "published text"
"$HAZARD" published --hr 0.5 --lower 0.12 --upper 0.42 >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "HR outside its interval should exit 2, got $rc"

# ---- reconstruct: two arms in one file, percent scale, unsorted, a reported total ----
cat > "$TMP/points.csv" <<'CSV'
arm,time,surv
A,0,100
A,2,100
A,2,90
A,5,90
A,5,80
A,8,80
A,8,70
A,11,70
B,0,100
B,1,100
B,1,75
B,3,75
B,3,50
B,4,49.8
B,4.2,50.2
B,9,50
B,9,25
B,10,25
CSV
cat > "$TMP/nrisk.csv" <<'CSV'
arm,time,n_risk
A,0,10
A,6,8
B,0,8
B,6,4
CSV
"$HAZARD" reconstruct --curve "$TMP/points.csv" --at-risk "$TMP/nrisk.csv" --events A=3,B=5 \
  --out "$TMP/ipd.csv" --json > "$TMP/fit.json" || fail "reconstruct exit $?"
[ "$(head -1 "$TMP/ipd.csv")" = "arm,time,event" ] || fail "ipd header"
[ "$(grep -c '^A,' "$TMP/ipd.csv")" = 10 ] || fail "arm A rows"
[ "$(grep -c '^B,' "$TMP/ipd.csv")" = 8 ] || fail "arm B rows"
[ "$(grep -c '^A,.*,1$' "$TMP/ipd.csv")" = 3 ] || fail "arm A events"
[ "$(grep -c '^B,.*,1$' "$TMP/ipd.csv")" = 5 ] || fail "arm B events"
grep -q '"max_distance"' "$TMP/fit.json" || fail "fit json"
grep -q '"at_risk_matched": 2' "$TMP/fit.json" || fail "at risk matched"

# Without an arm column: one arm, labelled by --arm-name.
printf 'time,surv\n0,1\n1,1\n1,0.5\n2,0.5\n' > "$TMP/one.csv"
printf 'time,n_risk\n0,4\n' > "$TMP/one_risk.csv"
"$HAZARD" reconstruct --curve "$TMP/one.csv" --at-risk "$TMP/one_risk.csv" --events 2 \
  --arm-name solo --out "$TMP/one_ipd.csv" >/dev/null 2>&1 || fail "single arm"
[ "$(grep -c '^solo,1,1$' "$TMP/one_ipd.csv")" = 2 ] || fail "single arm events"

# Errors: a rising at-risk table is bad data (3); so is an unknown arm in --events (3, as an
# unknown --ref level in every command).
printf 'arm,time,n_risk\nA,0,10\nA,6,12\nB,0,8\n' > "$TMP/bad.csv"
"$HAZARD" reconstruct --curve "$TMP/points.csv" --at-risk "$TMP/bad.csv" --out "$TMP/x.csv" 2>/dev/null
rc=$?; [ "$rc" = 3 ] || fail "rising at-risk should exit 3, got $rc"
"$HAZARD" reconstruct --curve "$TMP/points.csv" --at-risk "$TMP/nrisk.csv" --events C=3 --out "$TMP/x.csv" 2>/dev/null
rc=$?; [ "$rc" = 3 ] || fail "unknown arm in --events should exit 3, got $rc"

# A text value in a numeric column names its file and line (and does not crash).
printf 'time,surv\n0,1\n1,abc\n' > "$TMP/text.csv"
msg=$("$HAZARD" reconstruct --curve "$TMP/text.csv" --at-risk "$TMP/one_risk.csv" --out "$TMP/x.csv" 2>&1)
rc=$?; [ "$rc" = 3 ] || fail "text survival value should exit 3, got $rc"
echo "$msg" | grep -q "text.csv:3: column 'surv': value 'abc'" || fail "text value message: $msg"
printf 'time,n_risk\n0,4\n3,-1\n' > "$TMP/neg.csv"
msg=$("$HAZARD" reconstruct --curve "$TMP/one.csv" --at-risk "$TMP/neg.csv" --out "$TMP/x.csv" 2>&1)
rc=$?; [ "$rc" = 3 ] || fail "negative at-risk should exit 3, got $rc"
echo "$msg" | grep -q "neg.csv" || fail "negative at-risk message names no file: $msg"

# ---- CheckMate 067 raw clicks (kmdata's files), when ../shared is present ----
S="${HAZARD_SHARED_DIR:-}/data/published-curves"
if [ -f "$S/Checkmate_067_S3A_Nivolumab.csv" ]; then
  "$HAZARD" reconstruct --curve "$S/Checkmate_067_S3A_Nivolumab.csv" \
    --at-risk "$S/Checkmate_067_At_Risk.csv" --out "$TMP/cm.csv" > "$TMP/cm.txt" 2>&1 \
    || fail "CheckMate 067 exit $?"
  [ "$(tail -n +2 "$TMP/cm.csv" | wc -l)" = 80 ] || fail "CheckMate rows"
  [ "$(grep -c ',1$' "$TMP/cm.csv")" = 32 ] || fail "CheckMate events"
  grep -q "at risk matched 15/16" "$TMP/cm.txt" || fail "CheckMate at risk"
else
  echo "note: ../shared/data/published-curves absent, CheckMate 067 part skipped"
fi
echo "PASS"
