"""Times the Python package's Cox fit on a benchmark CSV (bench_generate), the counterpart of
`api_time FILE coxmodel6`: the data frame is read first (untimed), then hazard.cox is called REPS
times and the best wall and CPU times printed ("python_cox6 s", "python_cox6.cpu s"); also the
conversion of the frame's columns alone.
Usage: python3 bench/bindings_time.py FILE REPS"""

import sys
import time

import pandas as pd

import hazard

path, reps = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(path, float_precision="round_trip")
covs = ["x1", "x2", "x3", "x4", "x5"]


def best(name, f):
    wall = cpu = float("inf")
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - t0)
    print(f"{name} {wall:.6g}\n{name}.cpu {cpu:.6g}")


fit = hazard.cox(df, time="time", event="status", group="arm", ref="control", covariates=covs)
best("python_cox6", lambda: hazard.cox(df, time="time", event="status", group="arm", ref="control", covariates=covs))
best("python_columns", lambda: hazard._columns(df, ["time", "status", "arm", *covs]))
print(f"python_coef {fit.params_.iloc[0]:.17g}")
