# Writes the format fixtures the data-layer tests read: the same data as CSV, SAS transport v5 and
# v8 (.xpt), SAS data set (.sas7bdat), CDISC Dataset-JSON v1.1 (.json) and Dataset-NDJSON (.ndjson),
# each written by R's haven (ReadStat) or jsonlite from R's own data. The tests check that every
# format reads into exactly the same Table and SurvData as the CSV.
#
# Run: cd tests/reference/formats && Rscript make_formats.R
suppressPackageStartupMessages({
  library(survival)
  library(haven)
  library(jsonlite)
})

versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 haven = as.character(packageVersion("haven")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# ---- lung as an ADaM-like ADTTE: one row per subject and parameter ----
lung <- survival::lung
n <- nrow(lung)
sas_date <- function(d) as.numeric(d - as.Date("1960-01-01"))  # SAS date: days since 1960-01-01
start <- as.Date("2019-01-01") + ((seq_len(n) * 37) %% 400)
adtte <- data.frame(
  STUDYID = "LUNG01",
  USUBJID = sprintf("LUNG01-%03d", seq_len(n)),
  PARAMCD = "OS",
  AVAL = as.numeric(lung$time),
  CNSR = as.numeric(2 - lung$status),          # ADaM: 0 = event, 1 = censored
  STATUS = as.numeric(lung$status),
  AGE = as.numeric(lung$age),
  SEX = ifelse(lung$sex == 1, "Male", "Female"),
  ECOG = ifelse(is.na(lung$ph.ecog), "", paste0("ECOG ", lung$ph.ecog)),  # blank = missing
  INST = as.numeric(lung$inst),
  WTLOSS = as.numeric(lung$wt.loss),
  AVALM = lung$time / 30.4375,                  # a non-integer number
  STARTDT = sas_date(start),
  ADT = sas_date(start + lung$time),
  stringsAsFactors = FALSE)
# A few character values with characters outside ASCII (UTF-8 in every file).
adtte$SITE <- c("Zürich", "Genève", "Köln", "Malmö")[(seq_len(n) %% 4) + 1]

labels <- c(STUDYID = "Study Identifier", USUBJID = "Unique Subject Identifier",
            PARAMCD = "Parameter Code", AVAL = "Analysis Value (days)",
            CNSR = "Censor", STATUS = "Status (1=censored, 2=dead)", AGE = "Age (years)", SEX = "Sex",
            ECOG = "ECOG performance score", INST = "Institution code",
            WTLOSS = "Weight loss in last six months (pounds)", AVALM = "Analysis Value (months)",
            STARTDT = "Time-to-Event Origin Date", ADT = "Analysis Date", SITE = "Site")

# SAS special missing values in WTLOSS: .A for odd rows with NA, .Z for even rows (haven::tagged_na);
# INST keeps plain missing. Every missing value is missing in every format.
with_sas_types <- function(d) {
  na_rows <- which(is.na(d$WTLOSS))
  w <- d$WTLOSS
  w[na_rows[na_rows %% 2 == 1]] <- haven::tagged_na("A")
  w[na_rows[na_rows %% 2 == 0]] <- haven::tagged_na("Z")
  d$WTLOSS <- w
  d$STARTDT <- as.Date(d$STARTDT, origin = "1960-01-01")  # SAS date variables (format DATE9.)
  d$ADT <- as.Date(d$ADT, origin = "1960-01-01")
  for (v in names(labels)) attr(d[[v]], "label") <- labels[[v]]
  d
}

# CSV with every number in 17 significant digits, so that it holds exactly the stored double.
write_csv_exact <- function(d, file, ...) {
  for (v in names(d)) if (is.numeric(d[[v]]))
    d[[v]] <- ifelse(is.na(d[[v]]), NA, sprintf("%.17g", d[[v]]))
  write.csv(d, file, row.names = FALSE, na = "", ...)
}
sas <- with_sas_types(adtte)
write_csv_exact(adtte, "lung.csv")
write_xpt(sas, "lung_v5.xpt", version = 5, name = "ADTTE")
write_xpt(sas, "lung_v8.xpt", version = 8, name = "ADTTE")
suppressWarnings(write_sas(sas, "lung.sas7bdat"))

# v8 only: a name longer than 8 characters and a label longer than 40.
long <- data.frame(SUBJECT_IDENTIFIER = adtte$USUBJID, TIME_TO_EVENT_DAYS = adtte$AVAL,
                   EVENT_INDICATOR = adtte$STATUS - 1)
attr(long$TIME_TO_EVENT_DAYS, "label") <-
  "Time from randomisation to death from any cause, in days (long label)"
write_xpt(long, "long_v8.xpt", version = 8, name = "LONGNAME")
write_csv_exact(long, "long.csv")

# ---- Dataset-JSON v1.1: dates as ISO 8601 text (dataType date), numbers as numbers ----
data_type <- function(x, v) {
  if (v %in% c("STARTDT", "ADT")) return("date")
  if (is.character(x)) return("string")
  if (v %in% c("AVALM", "AGE", "WTLOSS")) return("double")
  "integer"
}
columns <- lapply(names(adtte), function(v) {
  col <- list(itemOID = paste0("IT.ADTTE.", v), name = v, label = labels[[v]],
              dataType = data_type(adtte[[v]], v))
  if (col$dataType == "date") col$targetDataType <- "integer"
  col
})
json_rows <- lapply(seq_len(n), function(i) {
  lapply(names(adtte), function(v) {
    x <- adtte[[v]][i]
    if (v %in% c("STARTDT", "ADT")) return(format(as.Date(x, origin = "1960-01-01")))
    if (is.character(x)) return(x)                       # "" stays "" (missing)
    if (is.na(x)) return(NULL)                           # null
    structure(sprintf("%.17g", x), class = "json")       # every digit of the double
  })
})
meta <- list(datasetJSONCreationDateTime = "2026-01-01T00:00:00", datasetJSONVersion = "1.1.0",
             fileOID = "www.example.org/LUNG01/ADTTE", originator = "hazard tests",
             sourceSystem = list(name = "R", version = versions$R),
             studyOID = "LUNG01", metaDataVersionOID = "MDV.LUNG01", itemGroupOID = "IG.ADTTE",
             records = n, name = "ADTTE", label = "Time to Event Analysis Dataset",
             columns = columns)
to_json <- function(x) toJSON(x, auto_unbox = TRUE, null = "null", digits = NA, na = "null", json_verbatim = TRUE)
writeLines(to_json(c(meta, list(rows = json_rows))), "lung.json", useBytes = TRUE)
ndjson <- c(to_json(meta), vapply(json_rows, function(r) to_json(r), ""))
writeLines(ndjson, "lung.ndjson", useBytes = TRUE)

# ---- ADSL join: ADTTE (two parameters) + ADSL (arm, strata, population flag) ----
set.seed(20260101)
adsl <- data.frame(STUDYID = "LUNG01", USUBJID = adtte$USUBJID,
                   TRT01P = ifelse(seq_len(n) %% 2 == 0, "Drug", "Placebo"),
                   STRAT1 = adtte$SEX,
                   ITTFL = ifelse(seq_len(n) %% 10 == 0, "N", "Y"),
                   stringsAsFactors = FALSE)
adsl <- adsl[sample.int(n), ]                          # ADSL in another order than ADTTE
adtte2 <- rbind(adtte[, c("STUDYID", "USUBJID", "PARAMCD", "AVAL", "CNSR", "STARTDT", "ADT")],
                transform(adtte[, c("STUDYID", "USUBJID", "PARAMCD", "AVAL", "CNSR", "STARTDT", "ADT")],
                          PARAMCD = "PFS", AVAL = pmax(1, round(AVAL * 0.6)), ADT = STARTDT + pmax(1, round(AVAL * 0.6))))
write_xpt(adsl, "adsl.xpt", version = 5, name = "ADSL")
write_xpt(adtte2, "adtte.xpt", version = 5, name = "ADTTE")
merged <- merge(adtte2, adsl, by = c("STUDYID", "USUBJID"), sort = FALSE)
merged <- merged[match(paste(adtte2$USUBJID, adtte2$PARAMCD), paste(merged$USUBJID, merged$PARAMCD)), ]
write_csv_exact(merged, "adtte_adsl.csv")

# Latin-1 CSV: the same bytes as lung.csv's header and SITE column, encoded in ISO 8859-1.
latin <- adtte[, c("AVAL", "STATUS", "SITE")]
write_csv_exact(latin, "site_utf8.csv", fileEncoding = "UTF-8")
write_csv_exact(latin, "site_latin1.csv", fileEncoding = "latin1")

writeLines(to_json(list(versions = versions,
                        call = "see make_formats.R: write_xpt(version = 5/8), write_sas, write.csv, jsonlite")),
           "versions.json")

# ---- hand-built edge cases for the ADaM checks ----
writeLines(c("USUBJID,PARAMCD,AVAL,CNSR,ARM", "S1,OS,10,0,A", "S2,OS,12,1,B", "S1,OS,15,0,A", "S1,PFS,5,0,A"),
           "dup_subject.csv")                           # S1 twice within PARAMCD=OS
writeLines(c("USUBJID,ARM", "S2,B"), "adsl_part.csv")   # S1 is missing
