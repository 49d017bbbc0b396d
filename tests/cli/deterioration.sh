#!/usr/bin/env bash
# CLI test of `hazard deterioration` on the simulated example (examples/cabinet/adqs.csv): every
# case of tests/reference/qol/deterioration.json (an independent base-R derivation of the rule and
# survfit / survdiff; see make_deterioration.R) is run through the command line: every subject's
# AVAL and CNSR, and per arm N, events and the KM median with its CI are compared with R's (counts
# exactly, the rest to 1e-10 relative, tol::closed_form). The derived file (--out) is then read
# by `hazard km` and `hazard logrank` as an ADTTE, and their results compared with R's too. Then
# the error paths.
# Usage: deterioration.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: deterioration.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples/cabinet
REF=$SRC/tests/reference/qol
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

HAZARD="$HAZARD" REF="$REF" EX="$EX" TMP="$TMP" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ex <- Sys.getenv("EX"); tmp <- Sys.getenv("TMP")
ref <- fromJSON(file.path(Sys.getenv("REF"), "deterioration.json"), simplifyVector = FALSE)
tol <- 1e-10
bad <- 0
check <- function(what, ok) if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 }
near <- function(a, b) {
  if (is.null(b)) return(is.null(a))
  !is.null(a) && abs(a - b) <= max(tol * abs(b), 1e-14)
}
run <- function(args) {
  out <- suppressWarnings(system2(hazard, args, stdout = TRUE, stderr = TRUE))
  if (!is.null(attr(out, "status"))) { cat("FAIL exit", attr(out, "status"), args, out, sep = "\n"); bad <<- bad + 1; return(NULL) }
  fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
}
subjects <- 0
for (cs in ref$cases) {
  cli <- unlist(cs$cli)
  cli[cli == "ADSL"] <- file.path(ex, "adsl.csv")
  ttd <- file.path(tmp, paste0(cs$name, ".csv"))
  h <- run(c("deterioration", "--data", shQuote(file.path(ex, "adqs.csv")), shQuote(cli), "--out", shQuote(ttd), "--json"))
  if (is.null(h)) next
  check(paste(cs$name, "n"), h$n == cs$n)
  r <- cs$rows
  hid <- sapply(h$rows, `[[`, "USUBJID")
  m <- match(unlist(r$USUBJID), hid)
  check(paste(cs$name, "same subjects"), !anyNA(m) && length(hid) == length(r$USUBJID))
  if (anyNA(m)) next
  aval <- sapply(h$rows, `[[`, "AVAL")[m]; cnsr <- sapply(h$rows, `[[`, "CNSR")[m]
  ra <- unlist(r$AVAL); rc <- unlist(r$CNSR)
  check(paste(cs$name, "CNSR of", sum(cnsr != rc), "subjects"), all(cnsr == rc))
  check(paste(cs$name, "AVAL"), all(abs(aval - ra) <= tol * abs(ra)))
  subjects <- subjects + length(ra)
  for (k in seq_along(cs$analyses)) {
    ra <- cs$analyses[[k]]; ha <- h$analyses[[k]]
    check(paste(cs$name, "label", ra$label), identical(ha$label, ra$label))
    for (j in seq_along(ra$arms)) {
      p <- paste(cs$name, ra$label, ra$arms[[j]]$group)
      check(paste(p, "n"), ha$arms[[j]]$n == ra$arms[[j]]$n)
      check(paste(p, "events"), ha$arms[[j]]$events == ra$arms[[j]]$events)
      for (q in c("estimate", "lower", "upper"))
        check(paste(p, "median", q), near(ha$arms[[j]]$median[[q]], ra$arms[[j]]$median[[q]]))
    }
  }
  # The derived file as an ADTTE: km and logrank on it give R's numbers.
  km <- run(c("km", "--data", shQuote(ttd), "--time", "AVAL", "--cnsr", "CNSR", "--group", "TRT01P", "--json"))
  ov <- cs$analyses[[length(cs$analyses)]]$arms
  if (!is.null(km))
    for (g in km$groups) {
      ra <- ov[[which(sapply(ov, `[[`, "group") == g$group)]]
      check(paste(cs$name, "km median", g$group), near(g$median$estimate, ra$median$estimate))
      check(paste(cs$name, "km events", g$group), g$events == ra$events)
    }
  lr <- run(c("logrank", "--data", shQuote(ttd), "--time", "AVAL", "--cnsr", "CNSR", "--group", "TRT01P", "--json"))
  if (!is.null(lr)) check(paste(cs$name, "logrank chisq"), near(lr$chisq, cs$logrank_chisq))
}
cat(length(ref$cases), "cases,", subjects, "derived subject rows compared with R\n")
if (bad > 0) quit(status = 1)
RS

expect_error() {  # expect_error EXIT PATTERN hazard-args...
  local want=$1 pattern=$2; shift 2
  local msg
  msg=$("$HAZARD" "$@" 2>&1 >/dev/null)
  local got=$?
  if [ "$got" -ne "$want" ]; then echo "FAIL exit $got (want $want): hazard $*"; echo "$msg"; fail=1; return; fi
  if ! grep -qE -- "$pattern" <<<"$msg"; then echo "FAIL message (want /$pattern/): $msg"; fail=1; fi
}
ADQS=$EX/adqs.csv
# Duplicate baseline records: the baseline row of one subject written twice.
base=$(grep '"GHS"' "$ADQS" | grep ',"Y","BASELINE"' | head -1)
{ cat "$ADQS"; echo "$base"; } >"$TMP/dup_base.csv"
n=$(wc -l <"$TMP/dup_base.csv")
first=$(grep -nF "$base" "$ADQS" | head -1 | cut -d: -f1)
expect_error 3 "dup_base.csv:$n: column 'USUBJID': value 'CABSIM-[a-zA-Z]+-[0-9]+': subject has two baseline records \(ABLFL = Y; also at line $first\)" \
  deterioration --data "$TMP/dup_base.csv" --param PARAMCD=GHS --mid 10 --group TRT01P
# Without --param the two parameters' baselines collide.
expect_error 3 "subject has two baseline records" deterioration --data "$ADQS" --mid 10 --group TRT01P
# A baseline flag other than Y/N/blank.
sed '3s/,"Y","BASELINE"/,"X","BASELINE"/' "$ADQS" >"$TMP/bad_flag.csv"
expect_error 3 "bad_flag.csv:3: column 'ABLFL': value 'X': the baseline flag must be Y, N or blank" \
  deterioration --data "$TMP/bad_flag.csv" --param PARAMCD=GHS --mid 10 --group TRT01P
# A subject missing from ADSL.
grep -v 'CABSIM-epNET-0097' "$EX/adsl.csv" >"$TMP/adsl_short.csv"
expect_error 3 "adqs.csv:[0-9]+: column 'USUBJID': value 'CABSIM-epNET-0097': subject (CABINET-SIM/)?CABSIM-epNET-0097 is not in the ADSL file" \
  deterioration --data "$ADQS" --adsl "$TMP/adsl_short.csv" --param PARAMCD=GHS --mid 10 --group TRT01P
# Usage errors.
expect_error 2 "mid" deterioration --data "$ADQS" --param PARAMCD=GHS --group TRT01P
expect_error 2 "mid" deterioration --data "$ADQS" --param PARAMCD=GHS --mid -5 --group TRT01P
expect_error 2 "either --confirmed or --definitive" deterioration --data "$ADQS" --param PARAMCD=GHS --mid 10 \
  --confirmed --definitive --group TRT01P
expect_error 2 "--param" deterioration --data "$ADQS" --param GHS --mid 10 --group TRT01P
expect_error 5 "cannot (open|write)" deterioration --data "$ADQS" --param PARAMCD=GHS --mid 10 --group TRT01P \
  --out "$TMP/no/such/dir/ttd.csv"

# The text output states the rule; the CSV has one row per subject with ADTTE columns.
out=$("$HAZARD" deterioration --data "$ADQS" --param PARAMCD=GHS --mid 10 --confirmed --group TRT01P --ref Placebo)
grep -q "time to confirmed deterioration: the first post-baseline assessment with a decrease (BASE - AVAL) of at least 10 points" <<<"$out" \
  || { echo "FAIL: rule not stated"; echo "$out"; fail=1; }
csv=$("$HAZARD" deterioration --data "$ADQS" --param PARAMCD=GHS --mid 10 --group TRT01P --csv)
head -1 <<<"$csv" | grep -q '^STUDYID,USUBJID,TRT01P,PARAMCD,PARAM,AVAL,AVALU,CNSR,EVNTDESC,CNSDTDSC,ADY,BASE,AVALSCR,CHG,NASSESS$' \
  || { echo "FAIL csv header: $(head -1 <<<"$csv")"; fail=1; }
exit $fail
