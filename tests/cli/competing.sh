#!/usr/bin/env bash
# Competing risks end to end (issue 24): `hazard cuminc`, `hazard finegray` and `hazard cox --cause`
# on mgus2 and pbc, their --json output against R (tests/reference/competing/competing_cli.json,
# written by make_competing_cli.R: cmprsk 2.2-11 cuminc/timepoints/crr, survival 3.5-3 survfit and
# coxph); the stacked CIF figure; the usage and data errors (docs/exit-codes.md).
# Usage: competing.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
ref=${HAZARD_SOURCE_DIR:?}/tests/reference/competing
here=$(dirname "$0")
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found (needed to compare JSON)"; exit 77; }
Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' ||
  { echo "SKIP: R package jsonlite not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# --- every case of competing_cli.json: the command line it records, compared with R ---
cases=$(Rscript -e 'x <- jsonlite::fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)$cases
  for (c in x) cat(c$name, c$command, c$data, unlist(c$args), "\n", sep = "\t")' "$ref/competing_cli.json")
[ "$(printf '%s\n' "$cases" | grep -c .)" -ge 8 ] || bad "reference cases missing"
while IFS=$'\t' read -r -a f; do
  [ ${#f[@]} -ge 3 ] || continue
  name=${f[0]} cmd=${f[1]} data=${f[2]}
  args=("${f[@]:3}")
  file=$ref/$data
  if [[ $data == *'*'* ]]; then  # FILE*N: the header, then FILE's rows N times
    base=${data%'*'*} times=${data##*'*'}
    file=$tmp/${base%.csv}_x$times.csv
    { head -1 "$ref/$base"; for ((k = 0; k < times; k++)); do tail -n +2 "$ref/$base"; done; } >"$file"
  fi
  if ! "$hazard" "$cmd" --data "$file" "${args[@]}" --json >"$tmp/$name.json" 2>"$tmp/$name.err"; then
    bad "$name: hazard exited non-zero"; cat "$tmp/$name.err"; continue
  fi
  if Rscript "$here/competing_compare.R" "$ref/competing_cli.json" "$name" "$tmp/$name.json"; then
    ok "$name"
  else
    bad "$name"
  fi
done <<<"$cases"

# --- the method is stated: CI type, variance, test, Fine-Gray and cause-specific methods ---
mg=(--data "$ref/mgus2_cr.csv" --time etime --status event --censor censor)
pbc=(--data "$ref/pbc_cr.csv" --time time --status status)
if "$hazard" cuminc "${mg[@]}" --cause pcm --group sex --json >"$tmp/m.json" &&
   grep -q '"conf_type": "log-log"' "$tmp/m.json" && grep -q "Gray's K-sample test" "$tmp/m.json" &&
   grep -q '"method": "Aalen-Johansen' "$tmp/m.json"; then ok "cuminc states its methods"; else bad "cuminc states its methods"; fi
out=$("$hazard" cuminc "${mg[@]}" --cause pcm --group sex --times 120 2>&1)
if grep -q "95% CI (log-log)" <<<"$out" && grep -q "Gray's K-sample test" <<<"$out" &&
   grep -q "event = pcm: 59 failures" <<<"$out"; then ok "cuminc text"; else bad "cuminc text"; echo "$out"; fi
out=$("$hazard" finegray "${pbc[@]}" --cause 2 --covariates age,logbili 2>&1)
if grep -q "as cmprsk::crr" <<<"$out" && grep -q "^logbili" <<<"$out"; then ok "finegray text"; else bad "finegray text"; echo "$out"; fi
out=$("$hazard" cox "${pbc[@]}" --cause 2 --covariates age 2>&1)
if grep -q "cause-specific hazard of status = 2: failures from other causes censored" <<<"$out"; then
  ok "cox --cause text"; else bad "cox --cause text"; echo "$out"; fi

# --- exclusions counted by reason (pbc: trt missing for 106 patients) ---
"$hazard" cuminc "${pbc[@]}" --cause 2 --group trt --json >"$tmp/x.json" 2>/dev/null
if grep -q '"missing group": 106' "$tmp/x.json" && grep -q '"n": 312' "$tmp/x.json"; then
  ok "cuminc exclusions by reason"; else bad "cuminc exclusions by reason"; fi

printf 'time,status,arm\n1,1,A\n2,NA,A\n3,2,B\n4,0,B\n,1,A\n5,1,\n6,2,B\n7,1,A\n' >"$tmp/na.csv"
"$hazard" cuminc --data "$tmp/na.csv" --time time --status status --cause 1 --group arm --json >"$tmp/na.json" 2>/dev/null
if Rscript -e 'x <- jsonlite::fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)
  r <- x$excluded$reasons; quit(status = !(x$n == 5 && x$excluded$count == 3 && identical(r[["missing status"]], 1L) &&
    identical(r[["missing time"]], 1L) && identical(r[["missing group"]], 1L)))' "$tmp/na.json"; then
  ok "cuminc exclusions: missing status, time, group"; else bad "cuminc exclusions: missing status, time, group"; cat "$tmp/na.json" | head -30; fi

# --- --units/--display-units: the time converted before the analysis (365.25 days = 12 months) ---
"$hazard" cuminc "${pbc[@]}" --cause 2 --units days --display-units months --times 12 --json >"$tmp/u1.json" 2>/dev/null
"$hazard" cuminc "${pbc[@]}" --cause 2 --times 365.25 --json >"$tmp/u2.json" 2>/dev/null
if Rscript -e 'a <- commandArgs(TRUE); f <- function(p) jsonlite::fromJSON(p, simplifyVector = FALSE)
  x <- f(a[1]); y <- f(a[2]); e <- function(j) vapply(j$groups[[1]]$at, function(p) p$estimate, 0)
  ok <- identical(x$time_units, "months") && length(e(x)) == 2 && max(abs(e(x) - e(y))) < 1e-12 && e(x)[2] > 0
  quit(status = !ok)' "$tmp/u1.json" "$tmp/u2.json"; then ok "cuminc --units"; else bad "cuminc --units"; fi

# --- stacked CIF figure: SVG and PNG ---
if "$hazard" cuminc "${mg[@]}" --cause pcm --group sex --plot "$tmp/cif.svg" >/dev/null &&
   grep -q '<svg' "$tmp/cif.svg" && [ "$(wc -c <"$tmp/cif.svg")" -gt 20000 ] &&
   "$hazard" cuminc "${mg[@]}" --cause pcm --plot "$tmp/cif.png" >/dev/null &&
   head -c 8 "$tmp/cif.png" | od -An -c | grep -q 'P   N   G'; then
  ok "cuminc --plot svg, png"
else
  bad "cuminc --plot svg, png"
fi

# --- errors: exit code and message ---
expect_error() {  # NAME CODE PATTERN COMMAND ARGS...
  local name=$1 code=$2 pattern=$3; shift 3
  "$hazard" "$@" >"$tmp/e.out" 2>"$tmp/e.err"
  local rc=$?
  if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$tmp/e.err"; then ok "$name"; else
    bad "$name (exit $rc, want $code)"; cat "$tmp/e.err"; fi
}
expect_error "cuminc unknown cause" 3 "causes present: 1, 2" cuminc "${pbc[@]}" --cause 3
expect_error "cuminc unknown text cause" 3 "causes present: death, pcm" cuminc "${mg[@]}" --cause relapse
expect_error "finegray unknown cause" 3 "causes present: 1, 2" finegray "${pbc[@]}" --cause 7 --covariates age
expect_error "cox unknown cause" 3 "causes present: 1, 2" cox "${pbc[@]}" --cause 9 --covariates age
expect_error "cuminc cause = censor" 2 "censoring value" cuminc "${pbc[@]}" --cause 0
expect_error "cox cause = censor" 2 "censoring value" cox "${pbc[@]}" --cause 0 --covariates age
expect_error "cuminc without --status" 2 "status" cuminc --data "$ref/pbc_cr.csv" --time time --cause 2
expect_error "cox --cause without --status" 2 "needs --status" cox --data "$ref/pbc_cr.csv" --time time --cause 2 --covariates age
expect_error "cox --cause with --event" 2 "do not apply" cox "${pbc[@]}" --event status=2 --cause 2 --covariates age
expect_error "cuminc --event" 2 "do not apply" cuminc "${pbc[@]}" --event status --cause 2
expect_error "cuminc text censor on numeric status" 2 "not a number" cuminc "${pbc[@]}" --censor none --cause 2
expect_error "cuminc bad conf-type" 2 "conf-type" cuminc "${pbc[@]}" --cause 2 --conf-type arcsin
expect_error "cuminc bad plot name" 2 "svg" cuminc "${pbc[@]}" --cause 2 --plot "$tmp/cif.gif"
expect_error "cuminc missing column" 3 "nosuch" cuminc "${pbc[@]}" --cause 2 --group nosuch
expect_error "cuminc negative time" 3 "time" cuminc --data <(printf 'time,status\n1,1\n-2,0\n3,2\n') --time time --status status --cause 1
expect_error "cuminc no failures" 3 "no failure" cuminc --data <(printf 'time,status\n1,0\n2,0\n') --time time --status status --cause 1
expect_error "cuminc --strata without --group" 2 "give --group" cuminc "${pbc[@]}" --cause 2 --strata sex
expect_error "finegray without covariates" 2 "covariates" finegray "${pbc[@]}" --cause 2
expect_error "cuminc missing data file" 5 "nosuch.csv" cuminc --data "$tmp/nosuch.csv" --time time --status status --cause 1

exit $fail
