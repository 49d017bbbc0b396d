"""Times the Python package's Cox fit on a benchmark CSV (bench_generate), the counterpart of
`api_time FILE coxmodel6`: the data frame is read first (untimed), then hazard.cox is called REPS
times and the best time printed ("python_cox6 seconds"); also the conversion of the frame alone.
Usage: python3 bench/bindings_time.py FILE REPS"""

import sys
import time

import pandas as pd

import hazard

path, reps = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(path, float_precision="round_trip")
covs = ["x1", "x2", "x3", "x4", "x5"]


def best(f):
    t = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


fit = hazard.cox(df, time="time", event="status", group="arm", ref="control", covariates=covs)
print(f"python_cox6 {best(lambda: hazard.cox(df, time='time', event='status', group='arm', ref='control', covariates=covs)):.6g}")
print(f"python_columns {best(lambda: hazard._columns(df, ['time', 'status', 'arm', *covs])):.6g}")
print(f"python_coef {fit.params_.iloc[0]:.17g}")
