# The formula interface, as survival's: Surv(time, status) ~ terms, or Surv(start, stop, status)
# for counting-process data; strata(...), cluster(...) and offset(...) terms. The formula is read,
# not evaluated: neither survival nor its Surv() is needed. Each variable is evaluated in `data`
# (then in the formula's environment) and handed to the library as a column named by its
# expression ("status == 2", "log(age)"), so that the library's messages name it.

# Surv()'s arguments in the order survival takes them
.surv_formals <- function(time, time2, event, type, origin = 0) NULL

.hz_eval <- function(expr, data, env) eval(expr, data, env)

# R's Surv() status coding: logical, 0/1, or 1/2 (2 = event).
.hz_event <- function(ev, label, call) {
  if (is.logical(ev)) return(list(values = as.numeric(ev), coding = "indicator"))
  if (is.factor(ev)) .hz_stop(sprintf("the status '%s' is a factor: hazard takes 0/1, 1/2 or logical status (no multi-state data)", label), call)
  if (!is.numeric(ev)) .hz_stop(sprintf("the status '%s' must be logical or numeric", label), call)
  if (any(!is.na(ev)) && max(ev, na.rm = TRUE) == 2 && all(ev == 1 | ev == 2, na.rm = TRUE))
    return(list(values = as.numeric(ev), coding = "equals", event_value = "2"))
  list(values = as.numeric(ev), coding = "indicator")
}

# A grouping or categorical variable as a factor with R's level order (factor(), as model.frame).
.hz_factor <- function(x) {
  if (is.factor(x)) return(droplevels(x))
  if (is.logical(x)) return(factor(x, levels = c(FALSE, TRUE)))
  factor(x)
}

.hz_numeric <- function(x, label, call) {
  if (inherits(x, "difftime")) x <- unclass(x)
  if (!is.numeric(x) && !is.logical(x)) .hz_stop(sprintf("'%s' must be numeric", label), call)
  as.double(x)
}

# Reads the formula: the response's columns and roles, and the right-hand side's terms.
.hz_model <- function(formula, data, env, call, start_allowed = FALSE) {
  if (!inherits(formula, "formula") || length(formula) != 3)
    .hz_stop("the formula must be Surv(time, status) ~ terms", call)
  lhs <- formula[[2]]
  fun <- if (is.call(lhs)) paste(deparse(lhs[[1]]), collapse = "") else ""
  if (!fun %in% c("Surv", "survival::Surv"))
    .hz_stop("the left-hand side must be Surv(time, status) or Surv(start, stop, status)", call)
  lhs[[1]] <- quote(.surv_formals)
  a <- as.list(match.call(.surv_formals, lhs))[-1]
  if (!is.null(a$type) || !is.null(a$origin)) .hz_stop("Surv(): type and origin are not supported", call)
  label <- function(e) paste(deparse(e, width.cutoff = 500L), collapse = " ")
  columns <- list()
  roles <- list()
  if (is.null(a$event)) {  # Surv(time, status)
    if (is.null(a$time2)) .hz_stop("Surv(): the status is missing", call)
    time <- a$time
    event <- a$time2
  } else {  # Surv(start, stop, status)
    if (!start_allowed) .hz_stop("Surv(start, stop, status): (start, stop] data are for hz_cox", call)
    roles$start <- label(a$time)
    columns[[roles$start]] <- .hz_numeric(.hz_eval(a$time, data, env), roles$start, call)
    time <- a$time2
    event <- a$event
  }
  roles$time <- label(time)
  columns[[roles$time]] <- .hz_numeric(.hz_eval(time, data, env), roles$time, call)
  roles$event <- label(event)
  ev <- .hz_event(.hz_eval(event, data, env), roles$event, call)
  columns[[roles$event]] <- ev$values
  roles$coding <- ev$coding
  roles$event_value <- ev$event_value

  tt <- terms(formula, specials = c("strata", "cluster", "offset"), data = if (is.data.frame(data)) data else NULL)
  if (attr(tt, "response") != 1) .hz_stop("the formula needs a response Surv(...)", call)
  vars <- attr(tt, "variables")
  specials <- attr(tt, "specials")
  # the right-hand side's variables (index into `vars`, whose first element is list, then the response)
  rhs <- seq_len(length(vars) - 2) + 1
  is_special <- function(i, name) i %in% specials[[name]]
  strata <- character(0)
  cluster <- NULL
  offset <- NULL
  terms <- character(0)
  for (i in rhs) {
    e <- vars[[i + 1]]
    if (is_special(i, "strata")) {
      args <- as.list(e)[-1]
      if (!is.null(names(args))) args <- args[names(args) == ""]  # strata(a, b, na.group = ) options dropped
      for (s in args) {
        name <- label(s)
        columns[[name]] <- .hz_factor(.hz_eval(s, data, env))
        strata <- c(strata, name)
      }
    } else if (is_special(i, "cluster")) {
      name <- label(e[[2]])
      columns[[name]] <- .hz_factor(.hz_eval(e[[2]], data, env))
      cluster <- name
    } else if (is_special(i, "offset")) {
      name <- label(e[[2]])
      columns[[name]] <- .hz_numeric(.hz_eval(e[[2]], data, env), name, call)
      offset <- name
    } else {
      terms <- c(terms, label(e))
    }
  }
  labels <- attr(tt, "term.labels")
  inter <- labels[grepl(":", labels, fixed = TRUE)]
  if (length(inter))
    .hz_stop(sprintf("the term %s is an interaction: hazard's Cox model takes main effects only", inter[1]), call)
  if (attr(tt, "intercept") == 0) .hz_stop("a Cox model has no intercept to remove (- 1)", call)
  roles$strata <- strata
  roles$cluster <- cluster
  roles$offset <- offset
  list(columns = columns, roles = roles, terms = terms, label = label)
}

# A right-hand-side variable: a factor for categorical data (character, logical, factor), else a
# number; matrices (spline bases) are refused.
.hz_term <- function(expr_text, data, env, call) {
  x <- .hz_eval(str2lang(expr_text), data, env)
  if (is.matrix(x)) .hz_stop(sprintf("the term %s is a matrix: give its columns as separate variables", expr_text), call)
  if (is.character(x) || is.logical(x) || is.factor(x)) return(.hz_factor(x))
  .hz_numeric(x, expr_text, call)
}

# subset = as survival takes it: rows of `data` where the condition holds (NA: dropped).
.hz_subset <- function(data, subset, env, call) {
  if (is.null(subset)) return(data)
  if (!is.data.frame(data)) .hz_stop("subset = needs data = (a data frame)", call)
  keep <- .hz_eval(subset, data, env)
  if (!is.logical(keep)) .hz_stop("subset must be a logical condition", call)
  data[!is.na(keep) & keep, , drop = FALSE]
}

# weights = as survival takes it (evaluated in data): the column "(weights)".
.hz_weights <- function(m, data, env, weights, call) {
  if (is.null(weights)) return(m)
  m$columns[["(weights)"]] <- .hz_numeric(.hz_eval(weights, data, env), "(weights)", call)
  m$roles$weights <- "(weights)"
  m
}

.hz_source <- function(data_expr) {
  s <- paste(deparse(data_expr, width.cutoff = 500L), collapse = " ")
  if (identical(s, "")) "data" else s
}
