#!/usr/bin/env bash
# Times the CABINET-like simulation (10,000 trials, N = 216, 2:1, O'Brien-Fleming looks at
# 61/122/183 events) in hazard (1 and 2 threads) and in rpact's getSimulationSurvival (R is
# single-threaded), and writes bench/RESULTS_simulate.md with the ratios and the machine load.
# Usage: bench/simulate_bench.sh [path/to/hazard]   (default build/hazard)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
HAZARD=${1:-$SRC/build/hazard}
REPS=${REPS:-10000}
OUT=$SRC/bench/RESULTS_simulate.md
FLAGS="--n 216 --ratio 2 --median-control 6 --hr 0.6 --accrual-time 12 --events 61,122,183 --looks 3 --spending obf --alpha 0.025 --reps $REPS --seed 1 --json"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
TIMEFORMAT='%R %U %S'
t1=$( { time "$HAZARD" simulate $FLAGS --threads 1 > /tmp/hazard_sim_bench1.json; } 2>&1 )
t2=$( { time "$HAZARD" simulate $FLAGS --threads 2 > /tmp/hazard_sim_bench2.json; } 2>&1 )
r=$(Rscript -e "suppressPackageStartupMessages(library(rpact));
d <- getDesignGroupSequential(kMax = 3, alpha = 0.025, sided = 1, typeOfDesign = 'asOF', informationRates = c(61, 122, 183) / 183)
t0 <- proc.time()
s <- getSimulationSurvival(design = d, directionUpper = FALSE, lambda2 = log(2) / 6, hazardRatio = 0.6, plannedEvents = c(61, 122, 183), maxNumberOfSubjects = 216, allocation1 = 2, allocation2 = 1, accrualTime = c(0, 12), maxNumberOfIterations = $REPS, seed = 1)
t <- proc.time() - t0
cat(t[['elapsed']], t[['user.self']] + t[['sys.self']], s\$overallReject, as.character(packageVersion('rpact')), '\n')")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

read -r h1_wall h1_user h1_sys <<< "$t1"
read -r h2_wall h2_user h2_sys <<< "$t2"
read -r r_wall r_cpu r_power r_version <<< "$r"
h1_power=$(python3 -c "import json; print(json.load(open('/tmp/hazard_sim_bench1.json'))['power'])")
python3 - "$OUT" <<PY
import sys
h1w, h1c = $h1_wall, $h1_user + $h1_sys
h2w, h2c = $h2_wall, $h2_user + $h2_sys
rw, rc = $r_wall, $r_cpu
with open(sys.argv[1], "w") as f:
    f.write(f"""# hazard simulate vs rpact getSimulationSurvival

CABINET-like scenario: $REPS trials, N = 216, ratio 2:1, control median 6, HR 0.6, uniform accrual over
12, O'Brien-Fleming (Lan-DeMets) looks at 61/122/183 events, one-sided alpha 0.025.
Produced by \`bench/simulate_bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average
$load_before (before) / $load_after (after): the machine is shared, so wall times are inflated by
other users' work; CPU time (user + sys) is the fairer single-core comparison.

| run | wall s | CPU s | power |
|---|---|---|---|
| hazard, 1 thread | {h1w:.2f} | {h1c:.2f} | $h1_power |
| hazard, 2 threads | {h2w:.2f} | {h2c:.2f} | $h1_power |
| rpact $r_version (R, one core) | {rw:.2f} | {rc:.2f} | $r_power |

Speed-up, hazard 1 thread vs rpact: {rw / h1w:.1f}x wall, {rc / h1c:.1f}x CPU.
Speed-up, hazard 2 threads vs rpact: {rw / h2w:.1f}x wall.
(Target: at least 5x on one core.) The hazard wall time includes process start and the boundary
computation; the powers differ by Monte-Carlo error only (different random streams).
""")
print(open(sys.argv[1]).read())
PY
