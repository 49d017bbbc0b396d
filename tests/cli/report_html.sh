#!/usr/bin/env bash
# report.html in a real browser (headless Chromium): the page loads with no console message and no
# request leaving the file (the only requests allowed are the browser's own background traffic,
# which the net log marks with initiator "not an origin"); the medians and hazard ratios on the
# page equal results.json; a full-page screenshot is not blank.
#
# Usage: report_html.sh HAZARD_BINARY   (env HAZARD_SOURCE_DIR = the source tree)
#   REPORT_DIR=DIR report_html.sh ...   checks an existing report directory instead of running
#                                       `hazard report` on examples/cabinet.
# Exit: 0 pass, 1 fail, 77 skip (no chromium / Rscript, or `hazard report` not built yet).
# Before checking the report, the detectors are run on a deliberately bad page (an external image
# and a console message) and must flag it: a check that cannot fail proves nothing.
set -euo pipefail
hazard=$1
src=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v chromium >/dev/null || { echo "skip: chromium is not installed (scripts/bootstrap)"; exit 77; }
command -v Rscript >/dev/null || { echo "skip: Rscript is not installed"; exit 77; }
Rscript -e 'library(jsonlite); library(png)' >/dev/null 2>&1 || { echo "skip: R packages jsonlite/png missing"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${REPORT_DIR:-}" ]; then
  dir=$REPORT_DIR
else
  if ! "$hazard" --help 2>&1 | grep -qE '^[[:space:]]+report([[:space:]]|$)'; then
    echo "skip: 'hazard report' is not available in this build"; exit 77
  fi
  dir=$tmp/report
  "$hazard" report --data "$src/examples/cabinet/adtte.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR \
    --group TRT01P --ref Placebo --by COHORT --strata STRAT1R,STRAT2R --times 6,12 --out "$dir"
fi
[ -f "$dir/report.html" ] || { echo "FAIL: $dir/report.html missing"; exit 1; }
[ -f "$dir/results.json" ] || { echo "FAIL: $dir/results.json missing"; exit 1; }

# One browser run: screenshot, net log, console messages on stderr. Name resolution is disabled
# (every host maps to NOTFOUND), so nothing can leave the machine even if the page asked.
browse() {  # browse PAGE OUTPREFIX [extra flags...]
  local page=$1 out=$2
  shift 2
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$tmp/profile-$(basename "$out")" --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-default-apps --disable-extensions \
    --host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0 \
    --log-net-log="$out.netlog.json" "$@" "file://$page" >"$out.stdout" 2>"$out.stderr" || true
}

# Page requests in a net log: URL_REQUEST_START_JOB events not started by the browser itself.
cat >"$tmp/check.R" <<'RS'
args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]
suppressMessages({library(jsonlite); library(png)})
page_requests <- function(netlog) {
  j <- fromJSON(netlog, simplifyVector = FALSE)
  type <- j$constants$logEventTypes$URL_REQUEST_START_JOB
  urls <- character()
  for (e in j$events) {
    if (e$type != type || is.null(e$params$url)) next
    if (identical(e$params$initiator, "not an origin")) next
    urls <- c(urls, e$params$url)
  }
  unique(urls)
}
console <- function(stderr_file) grep("CONSOLE", readLines(stderr_file, warn = FALSE), value = TRUE)
non_background <- function(png_file) {
  img <- readPNG(png_file)
  d <- pmax(abs(img[, , 1] - img[1, 1, 1]), abs(img[, , 2] - img[1, 1, 2]), abs(img[, , 3] - img[1, 1, 3]))
  sum(d > 0.02)
}
if (mode == "selftest") {
  req <- page_requests(args[2]); con <- console(args[3])
  ok <- any(grepl("example.invalid", req)) && any(grepl("hazard-selftest", con))
  if (!ok) { cat("FAIL: the detectors missed the bad page's request or console message\n"); quit(status = 1) }
  cat("selftest: detectors flag an external request and a console message\n")
} else {
  prefix <- args[2]; results <- args[3]
  fail <- character()
  req <- page_requests(paste0(prefix, ".netlog.json"))
  if (length(req)) fail <- c(fail, paste("page made requests:", paste(req, collapse = " ")))
  con <- console(paste0(prefix, ".stderr"))
  if (length(con)) fail <- c(fail, paste("console messages:", paste(con, collapse = " | ")))
  shot <- paste0(prefix, ".png")
  if (!file.exists(shot)) fail <- c(fail, "no screenshot") else {
    nb <- non_background(shot)
    cat(sprintf("screenshot: %d non-background pixels\n", nb))
    if (nb < 20000) fail <- c(fail, sprintf("screenshot nearly blank (%d pixels)", nb))
  }
  # Numbers read off the rendered DOM: each table cell carries cohort, arm, statistic and the
  # unrounded value; the visible text must show the rounded value.
  dom <- paste(readLines(paste0(prefix, ".dom.stdout"), warn = FALSE), collapse = "\n")
  cells <- regmatches(dom, gregexpr("<td[^>]*data-stat=\"(median|hr_stratified|hr_unstratified)\"[^>]*>[^<]*</td>", dom))[[1]]
  attr <- function(x, name) sub(paste0(".*", name, "=\"([^\"]*)\".*"), "\\1", x)
  res <- fromJSON(results, simplifyVector = FALSE)$results
  lookup <- function(cohort, arm, stat) {
    for (r in res) if (r$cohort == cohort && r$arm == arm && r$statistic == stat)
      return(if (is.null(r$value)) NA_real_ else r$value)
    NULL
  }
  checked <- 0
  for (cell in cells) {
    cohort <- attr(cell, "data-cohort"); arm <- attr(cell, "data-arm"); stat <- attr(cell, "data-stat")
    shown <- suppressWarnings(as.numeric(attr(cell, "data-value")))
    text <- sub(".*>([^<]*)</td>$", "\\1", cell)
    want <- lookup(cohort, arm, stat)
    if (is.null(want)) { fail <- c(fail, paste("not in results.json:", cohort, arm, stat)); next }
    if (!identical(is.na(shown), is.na(want)) || (!is.na(want) && shown != want))
      fail <- c(fail, sprintf("%s %s %s: page %s, results.json %s", cohort, arm, stat, shown, want))
    digits <- if (stat == "median") 1 else 2
    if (!is.na(want) && !startsWith(text, formatC(want, format = "f", digits = digits)))
      fail <- c(fail, sprintf("%s %s %s: cell text '%s' does not show %s", cohort, arm, stat, text, want))
    checked <- checked + 1
  }
  cat(sprintf("numbers checked against results.json: %d\n", checked))
  if (checked == 0) fail <- c(fail, "no medians or hazard ratios found on the page")
  if (length(fail)) { cat(paste0("FAIL: ", fail, "\n"), sep = ""); quit(status = 1) }
  cat("PASS\n")
}
RS

# 1. The detectors must catch a bad page.
cat >"$tmp/bad.html" <<'HTML'
<!DOCTYPE html><html><body><p>bad</p><img src="http://example.invalid/x.png">
<script>console.error("hazard-selftest")</script></body></html>
HTML
browse "$tmp/bad.html" "$tmp/bad" --screenshot="$tmp/bad.png" --window-size=400,300
Rscript "$tmp/check.R" selftest "$tmp/bad.netlog.json" "$tmp/bad.stderr" || exit 1

# 2. The report.
page=$(cd "$dir" && pwd)/report.html
browse "$page" "$tmp/page" --screenshot="$tmp/page.png" --window-size=1200,4000
browse "$page" "$tmp/page.dom" --dump-dom
Rscript "$tmp/check.R" report "$tmp/page" "$dir/results.json"
