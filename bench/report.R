# Writes bench/RESULTS.md and bench/scaling.png from the timings bench/run collected (raw.tsv:
# kind, task, n, seconds[, peak RSS kB]). Base R only.
# Usage: Rscript bench/report.R RAW DATA_DIR RESULTS.md PLOT.png LOAD_BEFORE LOAD_AFTER CP_ROWS CP_EVENTS QUICK
args <- commandArgs(trailingOnly = TRUE)
raw <- utils::read.table(args[1], sep = "\t", fill = TRUE, col.names = c("kind", "task", "n", "s", "kb"),
                         colClasses = c("character", "character", "numeric", "numeric", "numeric"))
data_dir <- args[2]; out <- args[3]; plot_file <- args[4]
load_before <- args[5]; load_after <- args[6]
cp_rows <- as.numeric(args[7]); cp_events <- as.numeric(args[8]); quick <- args[9] == "1"

get <- function(kind, task, n) {
  v <- raw$s[raw$kind == kind & raw$task == task & raw$n == n]
  if (length(v)) v[1] else NA_real_
}
rss <- function(task, n) {
  v <- raw$kb[raw$kind == "command" & raw$task == task & raw$n == n]
  if (length(v)) v[1] else NA_real_
}
f3 <- function(x) ifelse(is.na(x), "—", formatC(x, digits = 3, format = "fg", flag = "#"))
ratio <- function(r, h) ifelse(is.na(r) | is.na(h), "—", sprintf("%.1f×", r / h))
cpu <- tryCatch(sub(".*: ", "", grep("model name", readLines("/proc/cpuinfo"), value = TRUE)[1]),
                error = function(e) "unknown")
mem <- tryCatch(sub("MemTotal: *", "", grep("MemTotal", readLines("/proc/meminfo"), value = TRUE)),
                error = function(e) "unknown")
sizes <- sort(unique(raw$n[raw$kind == "hazard" & raw$task == "cox6"]))
big_cox <- 1e6
big_km <- max(sizes)
L <- character()
add <- function(...) L <<- c(L, paste0(...))

add("# Benchmarks: hazard and R survival side by side")
add("")
add("Produced by `bash bench/run", if (quick) " --quick" else "", "` on ", format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC"),
    ". Every ratio below comes from this one run, on the same generated files.")
add("")
add("- Machine: ", parallel::detectCores(), " cores (", cpu, "), ", mem, " RAM; load average ", load_before,
    " before, ", load_after, " after (other work on the machine inflates both sides).")
add("- Versions: ", R.version.string, ", survival ", as.character(packageVersion("survival")),
    "; hazard built by CMake Release (g++ -O3), `bench/api_time` and `hazard` from this commit.")
add("- Data: `bench_generate N 1 FILE` (bench/generate.cpp): exponential times, arms 2:1, five normal",
    " covariates, ~30% censored, times rounded to 4 decimals (ties). Counting process:",
    " `bench_generate ", format(cp_rows, scientific = FALSE), " 1 FILE --cp 42`.")
add("- R: the call alone on an in-memory data frame (`bench/r_bench.R`; best of 3 runs up to 1e5 rows, of",
    " 2 from 1e6). hazard API: the same model through the C++ API on data already in memory (`bench/api_time`,",
    " best of the same number of runs). hazard command: the whole process, CSV read and JSON output included",
    " (best of 3 runs; peak RSS the largest of the 3).")
add("- Whole commands (read included) against R's fit alone and R's whole path (fread or read.csv, fit,",
    " print), interleaved run by run, with the CSV read throughput (issue 27): bench/RESULTS_read.md,",
    " written by `bash bench/read_path.sh`.")
add("")
add("## Compute: C++ API vs R (data in memory; R single-threaded, hazard uses both cores where a kernel splits: CSV chunks, the Cox concordance sweeps and information matrix)")
add("")
add("| task | n | R s | hazard s | ratio | target |")
add("|---|---|---|---|---|---|")
row <- function(label, task, n, target) {
  r <- get("R", task, n); h <- get("hazard", task, n)
  add("| ", label, " | ", format(n, big.mark = ",", scientific = FALSE), " | ", f3(r), " | ", f3(h), " | ",
      ratio(r, h), " | ", target, " |")
}
row("`coxph(Surv(time, status) ~ arm + x1 + ... + x5)` Efron", "cox6", big_cox, "≥ 20×")
row("`coxph(Surv(time, status) ~ arm)`", "cox1", big_cox, "")
row("`survfit(Surv(time, status) ~ arm)`", "survfit", big_km, "≥ 30×")
row("`survdiff(Surv(time, status) ~ arm)`", "survdiff", big_km, "≥ 30×")
if (big_km != big_cox) {
  row("`survfit(Surv(time, status) ~ arm)`", "survfit", big_cox, "")
  row("`survdiff(Surv(time, status) ~ arm)`", "survdiff", big_cox, "")
}
add("")
add("## Whole command vs R's fit alone")
add("")
add("`hazard` reads the CSV (memory-mapped, only the used columns, both cores), validates every row, fits,",
    " and prints JSON; R's time excludes `read.csv`. Peak memory is the process's maximum resident set,",
    " which includes the pages of the mapped file it touched.")
add("")
add("| command | n | file MB | R fit s | hazard command s | ratio | peak RSS MB | used columns as doubles MB | RSS / (2 × columns + file) |")
add("|---|---|---|---|---|---|---|---|---|")
cmd_row <- function(label, task, n, rtask, ncols, file) {
  r <- get("R", rtask, n); h <- get("command", task, n); kb <- rss(task, n)
  fmb <- file.size(file.path(data_dir, file)) / 2^20
  cols <- ncols * n * 8 / 2^20
  add("| ", label, " | ", format(n, big.mark = ",", scientific = FALSE), " | ", sprintf("%.0f", fmb), " | ", f3(r), " | ", f3(h), " | ",
      ratio(r, h), " | ", sprintf("%.0f", kb / 1024), " | ", sprintf("%.0f", cols), " | ",
      sprintf("%.2f", (kb / 1024) / (2 * cols + fmb)), " |")
}
cmd_row("`hazard cox --covariates x1,...,x5 --group arm` (target ≥ 10×)", "cox6", big_cox, "cox6", 8,
        sprintf("surv_%d.csv", as.integer(big_cox)))
cmd_row("`hazard cox --group arm`", "cox1", big_cox, "cox1", 3, sprintf("surv_%d.csv", as.integer(big_cox)))
cmd_row("`hazard km --group arm`", "survfit", big_km, "survfit", 3, sprintf("surv_%d.csv", as.integer(big_km)))
cmd_row("`hazard logrank --group arm`", "survdiff", big_km, "survdiff", 3, sprintf("surv_%d.csv", as.integer(big_km)))
add("")
add("## Counting-process Cox, Nurses' Health Study shape")
add("")
add(format(cp_rows, big.mark = ",", scientific = FALSE), " (start, stop] rows, 42 covariates, ",
    format(cp_events, big.mark = ","), " events (R's `coxph` took 97 s on the simulated NHS of Therneau's",
    " \"SAS comparisons\" vignette: 1.83 million rows, 42 covariates, 30,677 events).")
add("")
add("| what | R s | hazard s | ratio | target |")
add("|---|---|---|---|---|")
r <- get("R", "coxcp", cp_rows); h <- get("hazard", "coxcp", cp_rows); hc <- get("command", "coxcp", cp_rows)
add("| `coxph(Surv(start, stop, status) ~ z1 + ... + z42)` vs C++ API | ", f3(r), " | ", f3(h), " | ", ratio(r, h), " | ≥ 10× |")
add("| the same vs whole `hazard cox --start start --time stop ...` (CSV read included) | ", f3(r), " | ", f3(hc), " | ", ratio(r, hc), " | |")
add("")
add("## Cost grows as n log n")
add("")
add("hazard API seconds by n (and R's where it was run); the last column is hazard's time per n·log2(n),",
    " in nanoseconds, for the Cox Efron fit: flat means n log n. Plot: `bench/scaling.png`.")
add("")
tasks <- c("read", "survfit", "survdiff", "cox1", "cox6")
add("| n | ", paste(paste0("hazard ", tasks), collapse = " | "), " | R survfit | R survdiff | R cox6 | cox6 ns / (n log2 n) |")
add("|", strrep("---|", length(tasks) + 5))
for (n in sizes) {
  h <- vapply(tasks, function(t) get("hazard", t, n), 0)
  add("| ", format(n, big.mark = ",", scientific = FALSE), " | ", paste(f3(h), collapse = " | "), " | ",
      f3(get("R", "survfit", n)), " | ", f3(get("R", "survdiff", n)), " | ", f3(get("R", "cox6", n)), " | ",
      sprintf("%.1f", 1e9 * h[["cox6"]] / (n * log2(n))), " |")
}
add("")
add("![scaling](scaling.png)")
add("")
kern <- function(file) {
  p <- file.path(data_dir, file)
  if (!file.exists(p) || file.size(p) == 0) return(NULL)
  k <- tryCatch(utils::read.csv(p), error = function(e) NULL)
  if (is.null(k) || !nrow(k)) return(NULL)
  k
}
k <- rbind(kern("kernels.csv"), kern("logrank_kernels.csv"))
if (!is.null(k)) {
  add("## Kernels (Google Benchmark, one thread unless the name says otherwise)")
  add("")
  add("| benchmark | time ms | throughput |")
  add("|---|---|---|")
  for (i in seq_len(nrow(k))) {
    ms <- k$real_time[i] * switch(k$time_unit[i], ns = 1e-6, us = 1e-3, ms = 1, s = 1e3)
    tp <- if (!is.na(k$bytes_per_second[i])) sprintf("%.0f MB/s", k$bytes_per_second[i] / 1e6)
          else if (!is.na(k$items_per_second[i])) sprintf("%.1f M rows/s", k$items_per_second[i] / 1e6) else ""
    add("| `", k$name[i], "` | ", sprintf("%.3f", ms), " | ", tp, " |")
  }
  add("")
}
sim <- file.path(dirname(out), "RESULTS_simulate.md")
if (file.exists(sim)) {
  add("## Trial simulation vs rpact")
  add("")
  add("From `bench/simulate_bench.sh` (its own side-by-side run; copied here from bench/RESULTS_simulate.md):")
  add("")
  body <- readLines(sim)
  add(paste(body[-1], collapse = "\n"))
  add("")
}
bnd <- file.path(dirname(out), "RESULTS_bindings.md")
if (file.exists(bnd)) {
  add("## Bindings: Cox fit from C++, Python and R")
  add("")
  add("From `bench/bindings.sh` (its own side-by-side run; copied here from bench/RESULTS_bindings.md):")
  add("")
  add(paste(readLines(bnd), collapse = "\n"))
  add("")
}
add("## Reproduce")
add("")
add("```")
add("bash bench/simulate_bench.sh build/hazard   # first: the trial simulation against rpact")
add("bash bench/bindings.sh   # first: the Cox fit from C++, Python and R (bench/RESULTS_bindings.md)")
add("bash bench/run", if (quick) " --quick" else "", "   # writes bench/RESULTS.md and bench/scaling.png")
add("```")
add("")
add("What limits each kernel, and how far from that limit it runs: docs/performance.md.")
writeLines(L, out)

# the n log n plot
png(plot_file, width = 900, height = 600, res = 110)
hz <- raw[raw$kind == "hazard" & raw$task %in% tasks, ]
rr <- raw[raw$kind == "R" & raw$task %in% c("survfit", "survdiff", "cox6"), ]
ylim <- range(c(hz$s, rr$s), na.rm = TRUE)
plot(NA, log = "xy", xlim = range(sizes), ylim = ylim, xlab = "n (rows)", ylab = "seconds",
     main = "hazard (solid) and R survival (dashed): time by n")
cols <- c(read = "grey40", survfit = "#1b9e77", survdiff = "#d95f02", cox1 = "#7570b3", cox6 = "#e7298a")
for (t in tasks) {
  d <- hz[hz$task == t, ]; d <- d[order(d$n), ]
  lines(d$n, d$s, col = cols[[t]], lwd = 2, type = "o", pch = 19)
  d <- rr[rr$task == t, ]; d <- d[order(d$n), ]
  if (nrow(d)) lines(d$n, d$s, col = cols[[t]], lwd = 2, lty = 2, type = "o", pch = 1)
}
# n log n through hazard's cox6 at the smallest size
c6 <- hz[hz$task == "cox6", ]; c6 <- c6[order(c6$n), ]
if (nrow(c6)) {
  nn <- 10^seq(log10(min(sizes)), log10(max(sizes)), length.out = 50)
  lines(nn, c6$s[nrow(c6)] * nn * log2(nn) / (c6$n[nrow(c6)] * log2(c6$n[nrow(c6)])), col = "black", lty = 3)
}
legend("topleft", c(tasks, "n log n (through cox6 at the largest n)"), col = c(cols, "black"),
       lwd = c(rep(2, length(tasks)), 1), lty = c(rep(1, length(tasks)), 3), bty = "n")
invisible(dev.off())
