#!/usr/bin/env bash
# CLI test of `hazard design` and `hazard monitor`: the JSON contract, agreement with rpact through
# the command line (tests/reference/design/*.json carry the flags equivalent to each rpact call),
# and exit codes for bad options. Usage: design.sh /path/to/hazard
set -u
HAZARD=${1:?usage: design.sh HAZARD_BINARY}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
REF=$SRC/tests/reference/design
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
fail=0

# 1. JSON contract and agreement with rpact for every survival case (events, N, look times).
python3 - "$HAZARD" "$REF" <<'PY' || fail=1
import json, subprocess, sys, shlex
hazard, ref = sys.argv[1], sys.argv[2]
cases = json.load(open(f"{ref}/survival.json"))["cases"]
bad = 0
worst = 0.0
def close(a, b, tol):
    global worst
    if a is None or b is None:
        return a is None and b is None
    d = abs(a - b) / max(abs(b), 1e-300)
    worst = max(worst, d)
    return d <= tol
def L(x):
    return x if isinstance(x, list) else [x]
for c in cases:
    for key in ("events", "hr_boundary", "time"):
        if key in c:
            c[key] = L(c[key])
    out = subprocess.run([hazard, "design", *shlex.split(c["flags"]), "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("FAIL (exit %d): %s\n%s" % (out.returncode, c["flags"], out.stderr)); bad += 1; continue
    j = json.loads(out.stdout)
    for key in ("events", "sample_size", "looks"):
        if key not in j:
            print("FAIL: key", key, "missing"); bad += 1
    for look in j["looks"]:
        for key in ("info", "events", "z_efficacy", "z_futility", "p_nominal", "cum_alpha",
                    "hr_boundary", "cum_power", "time"):
            if key not in look:
                print("FAIL: look key", key, "missing"); bad += 1
    K = len(j["looks"])
    if not close(j["events"], c["events"][-1], 1e-6):
        print("FAIL events", c["flags"], j["events"], c["events"][-1]); bad += 1
    for k in range(K):
        if not close(j["looks"][k]["events"], c["events"][k], 1e-6):
            print("FAIL look events", k, c["flags"]); bad += 1
        if not close(j["looks"][k]["hr_boundary"], c["hr_boundary"][k], 1e-6):
            print("FAIL hr_boundary", k, c["flags"]); bad += 1
    if "sample_size" in c:
        if not close(j["sample_size"], c["sample_size"], 1e-6):
            print("FAIL sample_size", c["flags"], j["sample_size"], c["sample_size"]); bad += 1
        for k in range(K):
            if not close(j["looks"][k]["time"], c["time"][k], 1e-6):
                print("FAIL time", k, c["flags"], j["looks"][k]["time"], c["time"][k]); bad += 1
print("design CLI: %d rpact cases, max relative difference %.3g" % (len(cases), worst))
sys.exit(1 if bad else 0)
PY

# 1b. design breadth through the command line (breadth.json, make_design_breadth.R): margins,
#     two-sided, WT and user spending, accrual as a rate, power for --events / --n, the rounded
#     design, subjects per arm; and the JSON keys documented in docs/cli/design.md.
python3 - "$HAZARD" "$REF" <<'PY' || fail=1
import json, subprocess, sys, shlex
hazard, ref = sys.argv[1], sys.argv[2]
doc = json.load(open(f"{ref}/breadth.json"))
bad = 0
worst = 0.0
def L(x):
    return x if isinstance(x, list) else [x]
def close(a, b, tol=1e-6):
    global worst
    d = abs(a - b) / abs(b)
    worst = max(worst, d)
    return d <= tol
def run(flags):
    out = subprocess.run([hazard, "design", *shlex.split(flags), "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        print("FAIL (exit %d): %s\n%s" % (out.returncode, flags, out.stderr))
        return None
    return json.loads(out.stdout)
for c in doc["survival"]:
    j = run(c["flags"])
    if j is None: bad += 1; continue
    for key in ("mode", "hr0", "sided", "sample_size_1", "sample_size_2", "rounded", "drift_h1"):
        if key not in j: print("FAIL: key", key, "missing"); bad += 1
    if j["mode"] != "sample size": print("FAIL mode", j["mode"]); bad += 1
    if not close(j["events"], L(c["events"])[-1]): print("FAIL events", c["flags"]); bad += 1
    if not close(j["sample_size"], c["sample_size"]): print("FAIL N", c["flags"]); bad += 1
    if isinstance(c["sample_size_1"], (int, float)) and not close(j["sample_size_1"], c["sample_size_1"]):
        print("FAIL N1", c["flags"]); bad += 1
    for k, look in enumerate(j["looks"]):
        if not close(look["hr_boundary"], L(c["hr_boundary"])[k]): print("FAIL hr_boundary", k, c["flags"]); bad += 1
        if not close(look["time"], L(c["time"])[k]): print("FAIL time", k, c["flags"]); bad += 1
        if isinstance(c["hr_boundary_other"], (list, int, float)) and \
           not close(look["hr_boundary_other"], L(c["hr_boundary_other"])[k]):
            print("FAIL hr_boundary_other", k, c["flags"]); bad += 1
for c in doc["power"]:
    j = run(c["flags"])
    if j is None: bad += 1; continue
    if j["mode"] != "power": print("FAIL mode", j["mode"]); bad += 1
    if not close(j["power_achieved"], c["power"]): print("FAIL power", j["power_achieved"], c["power"], c["flags"]); bad += 1
    if not close(j["expected_events_h1"], c["expected_events_h1"]): print("FAIL E events", c["flags"]); bad += 1
    if not close(j["follow_up"], c["follow_up"]): print("FAIL follow-up", c["flags"]); bad += 1
    for k, look in enumerate(j["looks"]):
        if not close(look["reject_h1"], L(c["reject"])[k]): print("FAIL reject", k, c["flags"]); bad += 1
        if not close(look["time"], L(c["time"])[k]): print("FAIL time", k, c["flags"]); bad += 1
for c in doc["rounded"]:
    j = run(c["flags"])
    if j is None: bad += 1; continue
    r = j["rounded"]
    if r["events"] != L(c["events"])[-1] or r["sample_size"] != c["sample_size"]:
        print("FAIL rounded numbers", r["events"], r["sample_size"]); bad += 1
    if r["sample_size_1"] + r["sample_size_2"] != r["sample_size"]:
        print("FAIL rounded arms", r); bad += 1
    if not close(r["power"], c["power"]): print("FAIL rounded power", r["power"], c["power"]); bad += 1
    if not close(r["follow_up"], c["follow_up"]): print("FAIL rounded follow-up"); bad += 1
    for k, look in enumerate(r["looks"]):
        if not close(look["time"], L(c["time"])[k]): print("FAIL rounded time", k); bad += 1
print("design breadth CLI: %d rpact cases, max relative difference %.3g" %
      (len(doc["survival"]) + len(doc["power"]) + len(doc["rounded"]), worst))
sys.exit(1 if bad else 0)
PY

# 2. monitor against rpact's getAnalysisResults (conditional power, repeated CI).
python3 - "$HAZARD" "$REF" <<'PY' || fail=1
import json, subprocess, sys, shlex
hazard, ref = sys.argv[1], sys.argv[2]
bad = 0
for c in json.load(open(f"{ref}/analysis.json"))["cases"]:
    out = subprocess.run([hazard, "monitor", *shlex.split(c["flags"]), "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("FAIL (exit %d): %s\n%s" % (out.returncode, c["flags"], out.stderr)); bad += 1; continue
    j = json.loads(out.stdout)
    for key, ref_v in (("cp_h1", c["cp_h1"]), ("cp_trend", c["cp_trend"])):
        if abs(j[key] - ref_v) > 1e-6 * abs(ref_v):
            print("FAIL", key, j[key], ref_v); bad += 1
    lo = c["rci_lower"] if isinstance(c["rci_lower"], list) else [c["rci_lower"]]
    if abs(j["looks"][-1]["rci_lower"] - lo[-1]) > 1e-6 * lo[-1]:
        print("FAIL rci_lower", j["looks"][-1]["rci_lower"], lo[-1]); bad += 1
    for key in ("decision", "z_efficacy", "info", "cp_h1", "cp_trend", "rci_lower", "rci_upper"):
        if key not in j:
            print("FAIL: key", key, "missing"); bad += 1
sys.exit(1 if bad else 0)
PY

# 2b. monitor after a stop against rpact (after_stop.json, make_after_stop.R): stage-wise p-value,
#     median-unbiased HR, final CI, repeated p-values, through the command line; and the looks cut
#     from patient data (--looks-events, --looks-dates) against survdiff + rpact.
python3 - "$HAZARD" "$REF" <<'PY' || fail=1
import json, subprocess, sys, shlex, math, os, shutil
hazard, ref = sys.argv[1], sys.argv[2]
hazard = os.path.abspath(hazard) if os.sep in hazard else shutil.which(hazard)  # runs in $REF
doc = json.load(open(f"{ref}/after_stop.json"))
bad = 0
worst = 0.0
def close(a, b, tol):
    global worst
    d = abs(a - b) / abs(b)
    worst = max(worst, d)
    return d <= tol
def L(x):
    return x if isinstance(x, list) else [x]
for c in doc["cases"] + doc["data_cases"]:
    out = subprocess.run([hazard, "monitor", *shlex.split(c["flags"]), "--json"],
                         capture_output=True, text=True, cwd=ref)
    if out.returncode != 0:
        print("FAIL (exit %d): %s\n%s" % (out.returncode, c["flags"], out.stderr)); bad += 1; continue
    j = json.loads(out.stdout)
    a = j["after_stop"]
    if a is None:
        print("FAIL: no after_stop:", c["flags"], j["after_stop_note"]); bad += 1; continue
    for key in ("look", "reason", "overrun", "ordering", "method", "z_test", "p_value",
                "hr_median_unbiased", "ci_lower", "ci_upper", "ci_level", "p_naive", "hr_naive",
                "naive_ci_lower", "naive_ci_upper"):
        if key not in a:
            print("FAIL: after_stop key", key, "missing"); bad += 1
    if a["look"] != c["final_stage"]:
        print("FAIL look", a["look"], c["final_stage"], c["flags"]); bad += 1
    for key, rk in (("p_value", "p_final"), ("hr_median_unbiased", "median_unbiased"),
                    ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper")):
        if not close(a[key], c[rk], 1e-8):
            print("FAIL", key, a[key], c[rk], c["flags"]); bad += 1
    for look, want in zip(j["looks"], L(c["repeated_p"])):
        if want is None or look["repeated_p"] is None:
            continue
        want = min(want, 0.5)
        if not close(look["repeated_p"], want, 1e-7):
            print("FAIL repeated_p", look["repeated_p"], want, c["flags"]); bad += 1
    if "looks" in c:  # cut from data
        for cut, look, want in zip(j["data_cuts"], j["looks"], c["looks"]):
            if cut["events"] != want["events"] or cut["subjects"] != want["subjects"] or \
               cut["not_yet_randomized"] != want["not_yet_randomized"]:
                print("FAIL data cut", cut, want); bad += 1
            if abs(look["z"] + want["z"]) > 1e-12:
                print("FAIL data cut z", look["z"], -want["z"]); bad += 1
            if "cut_date" in want and cut.get("cut_date") != want["cut_date"]:
                print("FAIL cut_date", cut.get("cut_date"), want["cut_date"]); bad += 1
print("monitor after-stop CLI: %d rpact cases, max relative difference %.3g" %
      (len(doc["cases"]) + len(doc["data_cases"]), worst))
sys.exit(1 if bad else 0)
PY

# 2c. --logrank takes rpact's overallLogRanks sign: the same analysis as --z with the sign flipped.
a=$("$HAZARD" monitor --hr 0.6 --power 0.9 --ratio 2 --looks 3 --max-events 180 --events 60,120 --z 2.1,2.9 --json)
b=$("$HAZARD" monitor --hr 0.6 --power 0.9 --ratio 2 --looks 3 --max-events 180 --events 60,120 --logrank -2.1,-2.9 --json)
[ "$a" = "$b" ] || { echo "FAIL: --logrank differs from --z"; fail=1; }

# 3. monitor --data: the current analysis from data by the log-rank kernel. R's aml data set;
#    survdiff(Surv(time, status) ~ x, aml): (O - E)/sqrt(V) of Maintained = -1.842929379812911,
#    18 events; with Maintained as the experimental arm and hr < 1 the efficacy z is +1.8429...
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/aml.csv" <<'CSV'
time,status,x
9,1,Maintained
13,1,Maintained
13,0,Maintained
18,1,Maintained
23,1,Maintained
28,0,Maintained
31,1,Maintained
34,1,Maintained
45,0,Maintained
48,1,Maintained
161,0,Maintained
5,1,Nonmaintained
5,1,Nonmaintained
8,1,Nonmaintained
8,1,Nonmaintained
12,1,Nonmaintained
16,0,Nonmaintained
23,1,Nonmaintained
27,1,Nonmaintained
30,1,Nonmaintained
33,1,Nonmaintained
43,1,Nonmaintained
45,1,Nonmaintained
CSV
"$HAZARD" monitor --hr 0.5 --looks 2 --max-events 40 --data "$tmp/aml.csv" --time time \
  --event status --group x --ref Nonmaintained --json > "$tmp/m.json" || { echo "FAIL: monitor --data"; fail=1; }
python3 - "$tmp/m.json" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1]))
ok = abs(j["z"] - 1.842929379812911) < 1e-9 and j["events"] == 18
if not ok: print("FAIL monitor --data: z", j["z"], "events", j["events"])
sys.exit(0 if ok else 1)
PY

# 4. exit codes: bad options are usage errors (2).
expect_exit() {
  local want=$1; shift
  "$HAZARD" "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: exit $got (want $want): hazard $*"; fail=1; fi
}
expect_exit 0 design --hr 0.6 --power 0.9 --ratio 2 --looks 3 --spending hp:0.001
expect_exit 2 design --power 0.9
expect_exit 2 design --hr 0.6 --spending wt
expect_exit 2 design --hr 0.6 --looks 3 --info 0.5,1
expect_exit 2 design --hr 0.6 --binding
expect_exit 2 design --hr 0.6 --method logrank
expect_exit 0 design --hr 0.6 --median-control 6 --accrual-time 12 --accrual-rate 20 --follow-up 12
expect_exit 2 design --hr 0.6 --median-control 6 --accrual-time 12 --accrual-rate 10,20,30
expect_exit 0 design --hr 0.7 --looks 3 --spending wt:0.25
expect_exit 0 design --hr 0.7 --looks 3 --spending user:0.001,0.01,0.025
expect_exit 2 design --hr 0.7 --looks 3 --spending user:0.001,0.025
expect_exit 2 design --hr 0.7 --looks 3 --spending user:0.001,0.01,0.02
expect_exit 2 design --hr 0.7 --looks 3 --spending wt:0.25 --futility obf
expect_exit 0 design --hr 0.7 --sided 2 --alpha 0.05 --looks 3
expect_exit 2 design --hr 0.7 --sided 3
expect_exit 2 design --hr 0.7 --sided 2 --alpha 0.05 --looks 3 --futility obf
expect_exit 0 design --hr 1 --hr0 1.3 --looks 2
expect_exit 2 design --hr 1.3 --hr0 1.3
expect_exit 2 design --hr 1 --hr0 1.3 --method freedman
expect_exit 0 design --hr 0.7 --events 99
expect_exit 2 design --hr 0.7 --events -5
expect_exit 2 design --hr 0.7 --n 100
expect_exit 2 design --hr 0.7 --n 100 --median-control 10 --accrual-time 12
expect_exit 2 design --hr 0.7 --n 100 --median-control 10 --accrual-time 12 --accrual-rate 5
expect_exit 2 monitor --hr 0.6 --looks 3 --events 60,50 --z 1,2
expect_exit 0 monitor --hr 0.6 --looks 3 --events 60 --z 1.5
expect_exit 0 monitor --hr 0.6 --hr0 1.2 --looks 3 --events 60 --z 1.5
expect_exit 2 monitor --hr 0.6 --hr0 0.6 --looks 3 --events 60 --z 1.5
MD=$REF/monitor_data.csv
expect_exit 0 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --entry entry --looks-events 40,80
expect_exit 2 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --looks-events 40,80
expect_exit 2 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --entry entry --looks-events 80,40
expect_exit 2 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --entry entry --looks-events 40,500
expect_exit 2 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --entry entry --looks-events 40 --events 30 --z 1
expect_exit 2 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --entry entry --looks-dates 2021-13-01
expect_exit 3 monitor --hr 0.6 --looks 3 --max-events 120 --data "$MD" --time time --event status --group arm --entry arm --looks-events 40
expect_exit 2 monitor --hr 0.6 --looks 3 --events 60 --z 1.5 --entry entry
expect_exit 2 monitor --hr 0.6 --looks 3 --events 60 --z 1.5 --logrank -1.5

# 5. the human-readable table mentions every look.
out=$("$HAZARD" design --hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf \
      --median-control 4.4 --accrual-time 24 --follow-up 12)
for k in 1 2 3; do
  echo "$out" | grep -Eq "^ +$k +" || { echo "FAIL: table row $k missing"; fail=1; }
done

exit $fail
