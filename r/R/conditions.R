# hazard's errors as R conditions: class c("hazard_<kind>_error", "hazard_error", "error",
# "condition") with kind data, usage, numerical or io (docs/exit-codes.md), the library's message,
# and for data errors the row (1-based), column and value.
#   tryCatch(hz_km(Surv(t, e) ~ 1, d), hazard_data_error = function(e) e$row)

.hz_check <- function(res, call) {
  if (is.list(res) && !is.null(res$hazard_error)) {
    cond <- list(message = res$message, call = call)
    if (res$hazard_error == "data") {
      cond$row <- res$row
      cond$column <- res$column
      cond$value <- res$value
      cond$reason <- res$reason
    }
    class(cond) <- c(paste0("hazard_", res$hazard_error, "_error"), "hazard_error", "error", "condition")
    stop(cond)
  }
  res
}

.hz_stop <- function(message, call) {
  stop(structure(class = c("hazard_usage_error", "hazard_error", "error", "condition"),
                 list(message = message, call = call)))
}

# The version of the hazard library (with text = TRUE: compiler, flags and libraries), to record
# with results.
hz_version <- function(text = FALSE) .hz_version(text)
