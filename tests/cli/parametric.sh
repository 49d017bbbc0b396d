#!/usr/bin/env bash
# `hazard parametric` end to end: JSON against R on the same CSV files (survreg for the four
# survreg families; R's optimisation of the written-out likelihood in
# tests/reference/parametric/optim.json for gengamma, rp-*, delayed entry and --strata-shape), the
# keys issue 22 names, reproducible draws and the files of --out, and the usage and data errors.
# Usage: parametric.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
ref=${HAZARD_SOURCE_DIR:?}/tests/reference/parametric
here=$(dirname "$0")
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found (needed to compare JSON)"; exit 77; }
Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' ||
  { echo "SKIP: R package jsonlite not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

run_case() {  # NAME CSV RHS "OPTIM..." ARGS...
  local name=$1 csv=$2 rhs=$3 optim=$4; shift 4
  if ! "$hazard" parametric --data "$csv" "$@" --json >"$tmp/$name.json" 2>"$tmp/$name.err"; then
    bad "$name: hazard exited non-zero"; cat "$tmp/$name.err"; return
  fi
  # shellcheck disable=SC2086
  if Rscript "$here/parametric_compare.R" "$tmp/$name.json" "$csv" "$rhs" $optim; then ok "$name"; else bad "$name"; fi
}

run_case lung_survreg "$ref/lung.csv" "factor(sex)" "" --time time --event status --group sex \
  --dist exponential,weibull,lognormal,loglogistic --rmst 365 --horizon 2000
run_case colon_survreg "$ref/colon.csv" "factor(rx, levels = c('Obs', 'Lev', 'Lev+5FU')) + age + nodes" "" --time time --event status --group rx --ref Obs \
  --covariates age,nodes --dist exponential,weibull,lognormal,loglogistic
run_case lung_null_optim "$ref/lung.csv" 1 "gengamma=lung_null_gengamma rp-hazard:1=lung_null_rp_hazard_1 rp-odds:1=lung_null_rp_odds_1 gompertz=lung_null_gompertz" \
  --time time --event status --dist gengamma,rp-hazard:1,rp-odds:1,gompertz
run_case entry_optim "$ref/sim_entry.csv" 1 "gengamma=entry_gengamma rp-hazard:2=entry_rp_hazard_2 gompertz=entry_gompertz" \
  --time time --start entry --event status --group arm --dist gengamma,rp-hazard:2,gompertz
run_case veteran_anc "$ref/veteran.csv" 1 "gengamma=veteran_anc_gengamma gompertz=veteran_anc_gompertz" \
  --time time --event status --group trt --strata-shape --dist gengamma,gompertz

# --draws: reproducible for a seed, different for another; --out files
args=(--data "$ref/lung.csv" --time time --event status --group sex --dist weibull,rp-hazard:1 --horizon 1500
      --draws 50 --plot-format svg,png,pdf)
if "$hazard" parametric "${args[@]}" --seed 11 --out "$tmp/o1" >/dev/null &&
   "$hazard" parametric "${args[@]}" --seed 11 --out "$tmp/o2" >/dev/null &&
   "$hazard" parametric "${args[@]}" --seed 12 --out "$tmp/o3" >/dev/null &&
   cmp -s "$tmp/o1/draws.csv" "$tmp/o2/draws.csv" && ! cmp -s "$tmp/o1/draws.csv" "$tmp/o3/draws.csv" &&
   [ "$(head -1 "$tmp/o1/draws.csv")" = "dist,draw,term,value" ] &&
   [ "$(grep -c '^weibull,50,log(shape),' "$tmp/o1/draws.csv")" = 1 ]; then
  ok "draws reproducible"
else
  bad "draws reproducible"
fi
files_ok=1
for f in extrapolation.csv coefficients.csv survival.svg hazard.svg logcumhaz.svg survival.png hazard.pdf logcumhaz.png; do
  [ -s "$tmp/o1/$f" ] || { echo "missing $f"; files_ok=0; }
done
head -c 8 "$tmp/o1/survival.png" | od -An -c | grep -q 'P   N   G' || files_ok=0
if ((files_ok)); then ok "out files"; else bad "out files"; fi

# errors: exit code and message
expect_error() {  # NAME CODE PATTERN ARGS...
  local name=$1 code=$2 pattern=$3; shift 3
  "$hazard" parametric "$@" >/dev/null 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$tmp/err"; then ok "$name"; else bad "$name (exit $rc)"; cat "$tmp/err"; fi
}
printf 'time,status\n5,1\n0,0\n7,1\n' >"$tmp/zero.csv"
expect_error "time 0 is a data error" 3 "zero.csv:3: column 'time': value '0'" --data "$tmp/zero.csv" --time time --event status
expect_error "unknown distribution" 2 "weibul" --data "$ref/lung.csv" --time time --event status --dist weibul
expect_error "strata refused" 2 "does not stratify" --data "$ref/lung.csv" --time time --event status --strata sex
expect_error "strata-shape needs group" 2 "needs --group" --data "$ref/lung.csv" --time time --event status --strata-shape
expect_error "bad horizon" 2 "horizon" --data "$ref/lung.csv" --time time --event status --horizon -1
expect_error "bad plot format" 2 "plot-format" --data "$ref/lung.csv" --time time --event status --plot-format gif
expect_error "unknown column" 3 "column 'nodes': no such column" --data "$ref/lung.csv" --time time --event status --covariates nodes
printf 'time,status\n5,0\n7,0\n' >"$tmp/noev.csv"
expect_error "no events" 3 "no events" --data "$tmp/noev.csv" --time time --event status
exit $fail
