#!/usr/bin/env bash
# Integration test on real trial data: RADIANT-4 progression-free survival (reconstructed
# patient-level data, ../shared/data/published-curves/RADIANT4_2A.csv, not part of the
# repository). R survival computes the reference on the spot (tests/reference/km/km_reference.R)
# and `hazard km --json` must agree with it (counts exactly, the rest to 1e-10): the tables, medians
# and quartiles with CIs, 6- and 12-month PFS, RMST to 24 months and its difference.
# Skipped (exit 77, with a message) when the data or R are absent.
set -u
hazard=$1
src=${HAZARD_SOURCE_DIR:?}
shared=${HAZARD_SHARED_DIR:-$src/../shared}
data=$shared/data/published-curves/RADIANT4_2A.csv
[[ -f $data ]] || { echo "SKIP: $data not found (RADIANT-4 integration test not run)"; exit 77; }
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

Rscript - "$src/tests/reference/km/km_reference.R" "$data" "$tmp/ref.json" <<'RSCRIPT' || exit 1
a <- commandArgs(TRUE)
source(a[1])
d <- read.csv(a[2], stringsAsFactors = FALSE)
cases <- lapply(c("log-log", "log", "plain"), function(ct)
  run_case(paste0("radiant4_pfs_", ct), "RADIANT4_2A", d, "event == 1", group = "arm", ref = "placebo",
           conf_type = ct, times = c(6, 12), tau = 24))
writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, na = "null"), a[3])
RSCRIPT

fail=0
for ct in log-log log plain; do
  if ! "$hazard" km --data "$data" --time time --event event --group arm --ref placebo \
       --conf-type "$ct" --times 6,12 --rmst 24 --json >"$tmp/out.json"; then
    echo "FAIL radiant4 $ct: hazard exited non-zero"; fail=1; continue
  fi
  if Rscript "$src/tests/cli/km_compare.R" "$tmp/ref.json" "radiant4_pfs_$ct" "$tmp/out.json"; then
    echo "ok   radiant4 PFS, conf-type $ct"
  else
    echo "FAIL radiant4 PFS, conf-type $ct"; fail=1
  fi
done
exit $fail
