#!/usr/bin/env bash
# CLI test of `hazard report --design FILE --look K`: the inference after a group-sequential stop
# for the bundled example trial (examples/cabinet, SIMULATED data) against rpact and R survival
# (tests/reference/design/report_after_stop.json, make_report_after_stop.R): per case the design
# is written by `hazard design --json`, the report is run on a cohort (or on both with --by) at look
# K, and results.json's after_stop is compared with R's stratified log-rank z and events and with
# rpact's stage-wise p-value, median-unbiased HR, final CI, repeated p-value and repeated CI. Then:
# the same numbers as `hazard monitor` for those events and z; the rows in report.html, efficacy.rtf
# and results.csv; notes for cohorts that are not a look of the design; the errors (a design that is
# not JSON or lacks a key: exit 3 naming file and line; a missing file: 5; --look out of range,
# --look without --design and the reverse, three arms: 2).
# Usage: report_design.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail)
set -uo pipefail
HAZARD=${1:?usage: report_design.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
EX=$SRC/examples/cabinet
REF=$SRC/tests/reference/design/report_after_stop.json

# 1. Every reference case through the command line.
python3 - "$HAZARD" "$REF" "$EX" "$TMP" <<'PY' || fail=1
import json, math, os, shlex, shutil, subprocess, sys
hazard, ref, ex, tmp = sys.argv[1:5]
hazard = os.path.abspath(hazard) if os.sep in hazard else shutil.which(hazard)
doc = json.load(open(ref))
# Tolerances as tests/tolerances.hpp: after_stop 1e-8 (stage-wise values, repeated CI),
# repeated_p 1e-7, design 1e-6 (bounds, rpact's maximum number of events).
bad, worst = 0, {}
def close(what, a, b, tol):
    global bad
    if a is None or b is None or not math.isfinite(a):
        print("FAIL", what, a, b); bad += 1; return
    d = abs(a - b) / abs(b)
    worst[tol] = max(worst.get(tol, 0.0), d)
    if d > tol:
        print("FAIL %s: hazard %.17g reference %.17g (relative %.3g > %.3g)" % (what, a, b, d, tol)); bad += 1
for i, c in enumerate(doc["cases"]):
    name = c["name"]
    design = os.path.join(tmp, "design%d.json" % i)
    out = subprocess.run([hazard, "design", *shlex.split(c["design_flags"]), "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        print("FAIL design", name, out.stderr); bad += 1; continue
    open(design, "w").write(out.stdout)
    d = json.loads(out.stdout)
    # the design's maximum: rpact's getSampleSizeSurvival (tolerance of the design tests), or given
    close(name + ": design events", d["events"], c["max_events"], 1e-6)
    rdir = os.path.join(tmp, "report%d" % i)
    run = subprocess.run([hazard, "report", "--data", os.path.join(ex, "adtte.csv"), *shlex.split(c["report_flags"]),
                          "--design", design, "--look", str(c["look"]), "--out", rdir], capture_output=True, text=True)
    if run.returncode != 0:
        print("FAIL report", name, run.stderr); bad += 1; continue
    res = json.load(open(os.path.join(rdir, "results.json")))
    a = res["after_stop"]
    if a is None or a["look"] != c["look"] or a["design"]["file"] != design:
        print("FAIL after_stop header", name, a and {k: a[k] for k in ("look", "looks")}); bad += 1; continue
    got = {r["cohort"]: r for r in a["cohorts"]}
    for k in c["cohorts"]:
        # a single cohort selected with --where is the report's "Overall"
        r = got.get(k["cohort"]) or (got.get("Overall") if len(got) == 1 else None)
        w = name + ": " + k["cohort"]
        if r is None or not r["computed"]:
            print("FAIL no after_stop for", w, r and r["note"]); bad += 1; continue
        for key in ("look", "boundary_crossed", "p_stagewise", "hr_median_unbiased", "ci_lower", "ci_upper",
                    "repeated_p", "method"):
            if key not in r: print("FAIL key", key, "missing"); bad += 1
        if r["events"] != k["events"]: print("FAIL events", w, r["events"], k["events"]); bad += 1
        if abs(r["z"] + k["z_logrank"]) > 1e-12 * abs(k["z_logrank"]):
            print("FAIL z (R survdiff)", w, r["z"], -k["z_logrank"]); bad += 1
        close(w + " z_bound", r["z_bound"], k["critical_value"], 1e-6)
        if r["boundary_crossed"] != k["boundary_crossed"]:
            print("FAIL boundary_crossed", w, r["boundary_crossed"]); bad += 1
        close(w + " repeated_p", r["repeated_p"], k["repeated_p"], 1e-7)
        close(w + " rci_lower", r["rci_lower"], k["rci_lower"], 1e-8)
        close(w + " rci_upper", r["rci_upper"], k["rci_upper"], 1e-8)
        if k["final_stage"] is None:
            if r["p_stagewise"] is not None or "no bound crossed" not in r["note"]:
                print("FAIL not crossed: no stage-wise values expected", w, r["p_stagewise"], r["note"]); bad += 1
        else:
            for key in ("p_stagewise", "hr_median_unbiased", "ci_lower", "ci_upper"):
                close(w + " " + key, r[key], k[key], 1e-8)
        # the same numbers in the HTML table (data-value) and in results.csv
        html = open(os.path.join(rdir, "report.html")).read()
        for stat in ("hr_median_unbiased", "p_stagewise", "repeated_p", "hr_logrank"):
            needle = 'data-stat="%s" data-value="%s"' % (stat, "NA" if r[stat] is None else repr(r[stat]))
            if needle not in html:
                print("FAIL report.html has no", needle, w); bad += 1
        csv = open(os.path.join(rdir, "results.csv")).read()
        for stat in ("p_stagewise", "hr_median_unbiased", "hr_median_unbiased_lower", "repeated_p",
                     "hr_logrank_repeated_upper", "boundary_crossed"):
            if (",%s," % stat) not in csv:
                print("FAIL results.csv has no", stat, w); bad += 1
        rows = [x for x in res["results"] if x["statistic"] == "p_stagewise"]
        if not rows or rows[0]["value"] != r["p_stagewise"]:
            print("FAIL results rows p_stagewise", w); bad += 1
    for cohort, text in (c["notes"] or {}).items():
        r = got.get(cohort)
        if r is None or r["computed"] or text not in r["note"]:
            print("FAIL note for", name, cohort, r and r["note"]); bad += 1
        elif text not in open(os.path.join(rdir, "report.html")).read().replace("&#39;", "'"):
            print("FAIL note not in report.html", cohort); bad += 1
print("report --design: %d rpact cases; max relative difference by tolerance: %s" %
      (len(doc["cases"]), ", ".join("%.3g (tol %g)" % (v, k) for k, v in sorted(worst.items()))))
sys.exit(1 if bad else 0)
PY

# 2. The numbers are hazard monitor's for the same events and z (earlier look at the planned events,
#    z 0 there: no bound crossed), to the last bit.
"$HAZARD" design --hr 0.5 --power 0.9 --ratio 2 --looks 3 --spending obf --json >"$TMP/d.json"
"$HAZARD" report --data "$EX/adtte.csv" --where PARAMCD=PFS --where COHORT=pNET --time AVAL --cnsr CNSR \
  --group TRT01P --ref Placebo --strata STRAT1R,STRAT2R --design "$TMP/d.json" --look 2 --out "$TMP/r" >/dev/null ||
  { echo "FAIL: report --design"; fail=1; }
python3 - "$HAZARD" "$TMP" <<'PY' || fail=1
import json, subprocess, sys
hazard, tmp = sys.argv[1:3]
d = json.load(open(tmp + "/d.json"))
r = json.load(open(tmp + "/r/results.json"))["after_stop"]["cohorts"][0]
m = json.loads(subprocess.run([hazard, "monitor", "--hr", "0.5", "--power", "0.9", "--ratio", "2", "--looks", "3",
                               "--spending", "obf", "--events", "%r,%r" % (d["looks"][0]["events"], r["events"]),
                               "--z", "0,%r" % r["z"], "--json"], capture_output=True, text=True, check=True).stdout)
a = m["after_stop"]
pairs = [("p_stagewise", a["p_value"]), ("hr_median_unbiased", a["hr_median_unbiased"]), ("ci_lower", a["ci_lower"]),
         ("ci_upper", a["ci_upper"]), ("repeated_p", m["repeated_p_value"]), ("rci_lower", m["rci_lower"]),
         ("rci_upper", m["rci_upper"]), ("hr_logrank", m["hr"]), ("z_bound", m["z_efficacy"])]
bad = [(k, r[k], v) for k, v in pairs if r[k] != v]
if bad or a["look"] != 2:
    print("FAIL: report differs from hazard monitor:", bad); sys.exit(1)
PY
grep -q "HR, median-unbiased, stage-wise ordering (95% final CI)" "$TMP/r/report.html" || { echo "FAIL: row label not in report.html"; fail=1; }
grep -q "naive hazard ratio, confidence interval and p-value" "$TMP/r/report.html" || { echo "FAIL: bias footnote not in report.html"; fail=1; }
grep -q "O'Brien" "$TMP/r/report.html" || grep -q "O&#39;Brien" "$TMP/r/report.html" || { echo "FAIL: design footnote not in report.html"; fail=1; }
for text in "HR, median-unbiased, stage-wise ordering" "p, stage-wise ordering, one-sided" "Repeated p-value, one-sided" \
            "naive hazard ratio, confidence interval and p-value"; do
  grep -q "$text" "$TMP/r/efficacy.rtf" || { echo "FAIL: '$text' not in efficacy.rtf"; fail=1; }
done
grep -q '"path": ".*d.json"' "$TMP/r/results.json" || { echo "FAIL: the design file is not among the inputs"; fail=1; }
# Without --design: no section, after_stop null.
"$HAZARD" report --data "$EX/adtte.csv" --where PARAMCD=PFS --where COHORT=pNET --time AVAL --cnsr CNSR \
  --group TRT01P --ref Placebo --out "$TMP/plain" >/dev/null || { echo "FAIL: report without --design"; fail=1; }
grep -q '"after_stop": null' "$TMP/plain/results.json" || { echo "FAIL: after_stop not null without --design"; fail=1; }
grep -q "stage-wise" "$TMP/plain/report.html" && { echo "FAIL: stage-wise rows without --design"; fail=1; }

# 3. Errors.
expect() {  # code "message part" args...
  local code=$1 msg=$2; shift 2
  "$HAZARD" report --data "$EX/adtte.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR --group TRT01P --ref Placebo \
    --out "$TMP/err" "$@" >"$TMP/out" 2>"$TMP/err.txt"
  local got=$?
  if [ "$got" != "$code" ] || ! grep -qF -- "$msg" "$TMP/err.txt"; then
    echo "FAIL: report $* -> exit $got (want $code), stderr: $(cat "$TMP/err.txt") (want '$msg')"; fail=1
  fi
  [ -e "$TMP/err" ] && { echo "FAIL: output written after an error ($*)"; fail=1; rm -rf "$TMP/err"; }
}
printf '{\n  "alpha": 0.025,\n  "sided": 1,,\n}\n' >"$TMP/broken.json"
expect 3 "broken.json:3: not a JSON document: character 14 of the line" --design "$TMP/broken.json" --look 1
grep -v '"hr0"' "$TMP/d.json" >"$TMP/nohr0.json"
expect 3 "nohr0.json: column 'hr0': key missing" --design "$TMP/nohr0.json" --look 1
sed 's/"spending": "obf"/"spending": "obf2"/' "$TMP/d.json" >"$TMP/badspend.json"
expect 3 "column 'spending': value '\"obf2\"'" --design "$TMP/badspend.json" --look 1
expect 5 "no-such-design.json" --design "$TMP/no-such-design.json" --look 1
expect 2 "--look 4: the design $TMP/d.json has 3 looks: expected 1 to 3" --design "$TMP/d.json" --look 4
expect 2 "--look" --design "$TMP/d.json" --look 0
expect 2 "--look needs --design FILE" --look 2
expect 2 "--design needs --look K" --design "$TMP/d.json"
# three arms: the design compares two
awk -F, 'NR == 1 {print; next} NR % 3 == 0 {sub(/"Placebo"/, "\"Lower dose\"")} {print}' "$EX/adtte.csv" >"$TMP/three.csv"
"$HAZARD" report --data "$TMP/three.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR --group TRT01P --ref Placebo \
  --design "$TMP/d.json" --look 1 --out "$TMP/err" >/dev/null 2>"$TMP/err.txt"
code=$?
{ [ "$code" = 2 ] && grep -q "the design compares two arms, and TRT01P has 3 levels" "$TMP/err.txt"; } ||
  { echo "FAIL: three arms -> exit $code: $(cat "$TMP/err.txt")"; fail=1; }

[ "$fail" = 0 ] && echo "report_design: all passed"
exit "$fail"
