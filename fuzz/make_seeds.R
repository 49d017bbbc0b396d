# Writes the seed corpora of the fuzzing targets (fuzz/corpus/<target>/), small valid files of every
# format made by R's haven and jsonlite from the first rows of survival::lung, each prefixed with
# the option byte(s) the target reads first (see targets.hpp). Run: cd fuzz && Rscript make_seeds.R
suppressPackageStartupMessages({ library(survival); library(haven); library(jsonlite) })
lung <- head(survival::lung, 6)
d <- data.frame(USUBJID = sprintf("S%02d", 1:6), AVAL = as.numeric(lung$time), CNSR = 2 - lung$status,
                TRT = ifelse(lung$sex == 1, "A", "B"), ECOG = ifelse(is.na(lung$ph.ecog), "", "E1"),
                WT = c(1.5, haven::tagged_na("A"), 2, NA, 0.25, 3), ADT = as.Date("2020-01-01") + 0:5)
attr(d$AVAL, "label") <- "Analysis Value"
tmp <- tempfile()
seed <- function(target, name, prefix, file) {
  bytes <- readBin(file, "raw", file.info(file)$size)
  writeBin(c(as.raw(prefix), bytes), file.path("corpus", target, name))
}
write_xpt(d, tmp, version = 5, name = "ADTTE"); seed("sas", "v5.xpt", 0, tmp); seed("sas", "v5_latin1.xpt", 2, tmp)
write_xpt(d, tmp, version = 8, name = "ADTTE"); seed("sas", "v8.xpt", 0, tmp)
suppressWarnings(write_sas(d, tmp)); seed("sas", "small.sas7bdat", 1, tmp)
dc <- d; dc$WT <- as.numeric(dc$WT); dc$ADT <- as.numeric(dc$ADT - as.Date("1960-01-01"))
write.csv(dc, tmp, row.names = FALSE, na = "")
seed("csv", "lung.csv", 0, tmp); seed("csv", "lung_latin1.csv", 1, tmp)
seed("survdata", "roles1.csv", c(1, 2, 1, 0, 7, 3, 3, 1), tmp)
seed("survdata", "roles2.csv", c(1, 2, 2, 0, 0, 0, 0, 6), tmp)
seed("survdata", "roles3.csv", c(1, 3, 0, 1, 9, 0, 1, 0), tmp)
writeLines(c('"a";"b"', '1;"x ""q"""', '2;"multi', 'line"'), tmp); seed("csv", "quoted.csv", 2, tmp)
meta <- list(datasetJSONVersion = "1.1.0", itemGroupOID = "IG.ADTTE", records = 2, name = "ADTTE",
             columns = list(list(itemOID = "IT.A", name = "USUBJID", label = "Subject", dataType = "string"),
                            list(itemOID = "IT.B", name = "AVAL", label = "Value", dataType = "double"),
                            list(itemOID = "IT.C", name = "ADT", label = "Date", dataType = "date",
                                 targetDataType = "integer"),
                            list(itemOID = "IT.D", name = "DEC", label = "Decimal", dataType = "decimal"),
                            list(itemOID = "IT.E", name = "FL", label = "Flag", dataType = "boolean"),
                            list(itemOID = "IT.F", name = "DTM", label = "Datetime", dataType = "datetime")))
rows <- list(list("S1", 1.5, "2020-01-31", "0.1", TRUE, "2020-01-31T10:00:00"),
             list("S2", NULL, NULL, NULL, FALSE, NULL))
j <- function(x) toJSON(x, auto_unbox = TRUE, null = "null", digits = NA)
writeLines(j(c(meta, list(rows = rows))), tmp); seed("dataset_json", "v11.json", 0, tmp)
writeLines(c(j(meta), vapply(rows, j, "")), tmp); seed("dataset_json", "v11.ndjson", 1, tmp)
# stream: a data file read from a file (option byte 0) or a pipe (1), against the same bytes in memory
writeLines(j(c(list(rows = rows), meta)), tmp); seed("stream", "rows_first.json", 0, tmp)
writeLines(c(j(meta), vapply(rows, j, "")), tmp); seed("stream", "v11.ndjson", 1, tmp)
write.csv(dc, tmp, row.names = FALSE, na = ""); seed("stream", "lung.csv", 1, tmp)
write_xpt(d, tmp, version = 5, name = "ADTTE"); seed("stream", "v5.xpt", 0, tmp)
# csv_write: cells separated by 0x1F, rows by 0x1E; option byte 0 = guarded, 1 = --csv-raw
cells <- function(rows) charToRaw(paste(vapply(rows, paste, "", collapse = "\x1f"), collapse = "\x1e"))
evil <- list(c("=1+1", "-1.5", "@SUM(A1)"), c("+cmd|' /C calc'!A0", "a,b", "say \"hi\""),
             c("\tx", "two\nlines", "-"), c("NA", "", " 1"))
writeBin(c(as.raw(0), cells(evil)), file.path("corpus", "csv_write", "evil"))
writeBin(c(as.raw(1), cells(evil)), file.path("corpus", "csv_write", "evil_raw"))
