# Compares hazard's `km --json` output with one reference case written by km_reference.R.
# Usage: Rscript km_compare.R REFERENCE.json CASE_NAME HAZARD_OUTPUT.json
# Counts exactly, everything else to 1e-10 relative (tol::closed_form); null (R's NA) must match.
# Exit 0 = agree, 1 = a mismatch (each printed).
suppressPackageStartupMessages(library(jsonlite))
a <- commandArgs(TRUE)
ref <- fromJSON(a[1], simplifyVector = FALSE)
ref <- ref[[which(vapply(ref, function(x) x$name, "") == a[2])]]
got <- fromJSON(a[3], simplifyVector = FALSE)
nn <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
bad <- 0
chk <- function(what, g, r, exact = FALSE) {
  g <- nn(g); r <- nn(r)
  ok <- if (is.na(r)) is.na(g) else if (is.na(g)) FALSE else if (exact) g == r else
    abs(g - r) <= 1e-10 * abs(r) || abs(g - r) <= 1e-14
  if (!ok) { cat("MISMATCH", a[2], what, ": hazard", format(g, digits = 17), "R", format(r, digits = 17), "\n"); bad <<- bad + 1 }
}
if (length(got$groups) != length(ref$groups)) { cat("group count differs\n"); quit(status = 1) }
for (i in seq_along(ref$groups)) {
  R <- ref$groups[[i]]; G <- got$groups[[i]]
  if (!identical(if (is.null(R$group)) NULL else R$group, G$group)) { cat("group label differs\n"); bad <- bad + 1 }
  chk("n", G$n, R$n, TRUE); chk("events", G$events, R$events, TRUE)
  if (length(G$table) != length(R$table$time)) { cat("table length differs\n"); quit(status = 1) }
  for (k in seq_along(G$table)) for (col in names(R$table))
    chk(paste0("table[", k, "].", col), G$table[[k]][[col]], R$table[[col]][[k]],
        col %in% c("time", "n_risk", "n_event", "n_censor"))
  for (col in c("estimate", "lower", "upper")) chk(paste0("median.", col), G$median[[col]], R$median[[col]])
  for (k in seq_along(R$quantiles$p)) for (col in c("p", "estimate", "lower", "upper"))
    chk(paste0("quantiles[", k, "].", col), G$quantiles[[k]][[col]], R$quantiles[[col]][[k]])
  if (!is.null(R$at)) for (k in seq_along(R$at$time)) for (col in names(R$at))
    chk(paste0("at[", k, "].", col), G$at[[k]][[col]], R$at[[col]][[k]], col %in% c("time", "n_risk"))
  if (!is.null(R$rmst)) for (col in names(R$rmst)) chk(paste0("rmst.", col), G$rmst[[col]], R$rmst[[col]])
}
if (!is.null(ref$rmst_difference)) for (col in c("estimate", "std_err", "lower", "upper", "p"))
  chk(paste0("rmst_difference.", col), got$rmst_difference[[col]], ref$rmst_difference[[col]])
for (key in c("n", "excluded", "conf_type", "conf_level", "groups", "rmst_difference"))
  if (!(key %in% names(got))) { cat("missing key", key, "\n"); bad <- bad + 1 }
if (got$conf_type != ref$options$conf_type) { cat("conf_type differs\n"); bad <- bad + 1 }
if (!is.null(ref$options$variance) && !identical(got$variance, ref$options$variance)) {
  cat("variance differs: hazard", got$variance, "R", ref$options$variance, "\n"); bad <- bad + 1
}
quit(status = if (bad > 0) 1 else 0)
