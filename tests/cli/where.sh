#!/usr/bin/env bash
# CLI test of the --where forms (docs/cli/data.md): every case of tests/reference/data/where.json
# (R's own %in%, >=, >, <, <=, != select the rows; survdiff on them; see make_where.R) is run
# through `hazard logrank --json` and compared with R (counts exactly, chi-square to 1e-10
# relative, tol::closed_form). Then hand-worked cases on a small file (a value containing '=' and
# ',' in the COL=VALUE form, a backquoted column name) and the usage errors (exit 2, naming --where).
# Usage: where.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: where.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
REF=$SRC/tests/reference/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

if command -v Rscript >/dev/null && Rscript -e 'library(jsonlite)' >/dev/null 2>&1; then
HAZARD="$HAZARD" REF="$REF" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref_dir <- Sys.getenv("REF")
bad <- 0
near <- function(a, b) isTRUE(all(abs(a - b) <= pmax(1e-10 * abs(b), 1e-14)))
ref <- fromJSON(file.path(ref_dir, "where.json"), simplifyVector = FALSE)
for (c in ref$cases) {
  args <- c("logrank", "--data", shQuote(file.path(ref_dir, c$file)), shQuote(unlist(c$cli)), "--json")
  err <- tempfile()
  out <- suppressWarnings(system2(hazard, args, stdout = TRUE, stderr = err))
  if (!is.null(attr(out, "status"))) { cat("FAIL", c$name, readLines(err), "\n"); bad <- bad + 1; next }
  h <- fromJSON(paste(out, collapse = "\n"))
  ok <- h$n == c$n && identical(as.character(h$groups$group), unlist(c$levels)) &&
    all(h$groups$n == unlist(c$n_per_group)) && all(h$groups$observed == unlist(c$events)) &&
    h$df == c$df && near(h$chisq, c$chisq)
  if (!isTRUE(ok)) { cat("FAIL", c$name, ": n", h$n, "vs", c$n, "chisq", h$chisq, "vs", c$chisq, "\n"); bad <- bad + 1 }
  else cat("ok  ", c$name, ": n", h$n, "chisq", format(h$chisq, digits = 15), "\n")
}
quit(status = if (bad > 0) 1 else 0)
RS
else
  echo "Rscript or jsonlite not found: the R comparisons are skipped"
fi

# Hand-worked: 6 rows; tag values contain '=' and ','; the column 'a<b' needs backquotes.
cat >"$tmp/d.csv" <<'CSV'
t,e,g,tag,a<b,x
1,1,A,"k=1,2",1,10
2,0,A,"k=1,2",2,20
3,1,B,plain,1,30
4,1,B,"k=1",2,
5,0,A,plain,1,50
6,1,B,"k=1,2",2,60
CSV
n_of() { "$HAZARD" km --data "$tmp/d.csv" --time t --event e --json "$@" 2>"$tmp/err" | jq -r '.n'; }
expect_n() {  # N ARGS...: the number of rows analysed
  local want=$1; shift
  local got; got=$(n_of "$@")
  if [ "$got" = "$want" ]; then echo "ok   n = $want: $*"; else echo "FAIL n = $got, expected $want: $* $(cat "$tmp/err")"; fail=1; fi
}
expect_n 3 --where 'tag=k=1,2'          # COL=VALUE splits at the first '=': value "k=1,2"
expect_n 1 --where 'tag=k=1'
expect_n 4 --where 'tag in "k=1,2",k=1'  # a quoted item keeps its comma
expect_n 3 --where '`a<b`=1'             # backquoted column name
expect_n 3 --where '`a<b` >= 2'
expect_n 4 --where 'x!=30'               # the missing x (row 4) never matches, not even !=
expect_n 2 --where 'x>20' --where 'g in B'
expect_n 5 --where 'x in 10,20,30,50,60,70'

expect() {  # CODE PATTERN ARGS...
  local code=$1 pattern=$2; shift 2
  "$HAZARD" km --data "$tmp/d.csv" --time t --event e "$@" >/dev/null 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$tmp/err"; then
    echo "ok   exit $code: $(head -c 160 "$tmp/err")"
  else
    echo "FAIL expected exit $code and /$pattern/, got $rc: $(cat "$tmp/err")"; fail=1
  fi
}
expect 2 "--where x>=old: column 'x' is numeric but 'old' is not a number" --where 'x>=old'
expect 2 "--where x in 1,b: column 'x' is numeric but 'b' is not a number" --where 'x in 1,b'
expect 2 "--where g>=B: column 'g' is categorical" --where 'g>=B'
expect 2 "--where g in : an empty value" --where 'g in '
expect 2 "--where g in A,,B: an empty value" --where 'g in A,,B'
expect 2 "--where x: expected COL=VALUE" --where 'x'
expect 2 "--where >=3: the column name is missing" --where '>=3'
expect 2 "--where x>=: the value is missing" --where 'x>='
exit $fail
