#!/usr/bin/env bash
# The readout commands read every supported format through the shared readers: the example's
# ADSL and ADAE written as SAS transport (XPORT v5, haven::write_xpt), ADRS as CDISC Dataset-JSON
# v1.1 and ADQS as a SAS data set (haven::write_sas) give the same output as the CSV files.
# Usage: readout_formats.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: readout_formats.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples/cabinet
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(haven); library(jsonlite)' >/dev/null 2>&1 || { echo "R packages haven/jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

EX="$EX" TMP="$TMP" Rscript --vanilla - <<'RS' || { echo "FAIL: writing the converted files"; exit 1; }
suppressMessages({ library(haven); library(jsonlite) })
ex <- Sys.getenv("EX"); tmp <- Sys.getenv("TMP")
rd <- function(f) read.csv(file.path(ex, f), stringsAsFactors = FALSE, na.strings = "")
blank <- function(d) { for (v in names(d)) if (is.character(d[[v]])) d[[v]][is.na(d[[v]])] <- ""; d }
write_xpt(blank(rd("adsl.csv")), file.path(tmp, "adsl.xpt"), version = 5, name = "ADSL")
adae <- blank(rd("adae.csv")); adae$AETOXGR <- as.character(adae$AETOXGR)
write_xpt(adae, file.path(tmp, "adae.xpt"), version = 5, name = "ADAE")
suppressWarnings(write_sas(blank(rd("adqs.csv")), file.path(tmp, "adqs.sas7bdat")))
adrs <- rd("adrs.csv")
columns <- lapply(names(adrs), function(v)
  list(itemOID = paste0("IT.ADRS.", v), name = v, label = v,
       dataType = if (is.character(adrs[[v]])) "string" else if (all(adrs[[v]] == round(adrs[[v]]), na.rm = TRUE)) "integer" else "double"))
rows <- lapply(seq_len(nrow(adrs)), function(i) lapply(names(adrs), function(v) {
  x <- adrs[[v]][i]
  if (is.na(x)) return(NULL)
  if (is.character(x)) return(x)
  structure(sprintf("%.17g", x), class = "json")
}))
meta <- list(datasetJSONCreationDateTime = "2026-01-01T00:00:00", datasetJSONVersion = "1.1.0",
             fileOID = "CABINET-SIM/ADRS", originator = "hazard tests", studyOID = "CABINET-SIM",
             metaDataVersionOID = "MDV.1", itemGroupOID = "IG.ADRS", records = nrow(adrs), name = "ADRS",
             label = "Tumor Response Analysis Dataset", columns = columns)
writeLines(toJSON(c(meta, list(rows = rows)), auto_unbox = TRUE, null = "null", digits = NA, na = "null",
                  json_verbatim = TRUE), file.path(tmp, "adrs.json"), useBytes = TRUE)
RS

same() {  # same NAME ARGS_CSV -- ARGS_OTHER: the two outputs must be identical
  local name=$1; shift
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  local x y
  x=$("$HAZARD" "${a[@]}" 2>&1) || { echo "FAIL $name (CSV): $x"; fail=1; return; }
  y=$("$HAZARD" "${b[@]}" 2>&1) || { echo "FAIL $name (converted): $y"; fail=1; return; }
  [ "$x" = "$y" ] || { echo "FAIL $name: outputs differ"; diff <(echo "$x") <(echo "$y") | head -10; fail=1; }
}
same "safety, XPORT" safety --data "$EX/adae.csv" --adsl "$EX/adsl.csv" --group TRT01A --ref Placebo --by COHORT --csv -- \
  safety --data "$TMP/adae.xpt" --adsl "$TMP/adsl.xpt" --group TRT01A --ref Placebo --by COHORT --csv
same "response, Dataset-JSON" response --data "$EX/adrs.csv" --where PARAMCD=BOR --group TRT01P --ref Placebo --strata STRAT1R --csv -- \
  response --data "$TMP/adrs.json" --where PARAMCD=BOR --group TRT01P --ref Placebo --strata STRAT1R --csv
same "deterioration, sas7bdat" deterioration --data "$EX/adqs.csv" --param PARAMCD=GHS --mid 10 --group TRT01P --csv -- \
  deterioration --data "$TMP/adqs.sas7bdat" --param PARAMCD=GHS --mid 10 --group TRT01P --csv
exit $fail
