#!/usr/bin/env python3
"""Times a whole hazard command and R's fit alone side by side, interleaved (issue 27).

Usage: side_by_side.py FILE TASK REPS -- HAZARD_COMMAND...
Prints one line: "hazard_best_s r_best_s hazard_peak_kB hazard_first_best_s".

R (bench/r_serve.R) reads FILE once and keeps the data frame in memory; then, REPS times, R fits
TASK once (gc() first, system.time()'s elapsed) and the hazard command runs twice (child
processes, standard output to /dev/null, wall clock around each). Alternating the two puts both
under the same machine conditions (on a shared 2-core machine either side's times drift by a
third within minutes), so the ratio of the best times does not depend on which side ran in a
quiet minute.

hazard's first run after each R fit is timed apart ("first"): on this kind of VM the memory a
process frees goes back to the host within seconds, and a process that starts after R's fit
takes its fresh pages from there, at a higher cost per page than the pages of a run a moment
before. R's fits reuse the memory of the warm R process. The hazard time the ratios use is the
best of the second runs (one untimed warm-up per timed run, as a benchmark tool's warm-up); the
first runs' best is reported beside it. The peak resident set is the largest over hazard's runs.
"""
import os
import subprocess
import sys
import time


def main():
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") != 3:
        sys.exit("usage: side_by_side.py FILE TASK REPS -- HAZARD_COMMAND...")
    path, task, reps = argv[0], argv[1], int(argv[2])
    cmd = argv[4:]
    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.Popen(["Rscript", os.path.join(here, "r_serve.R"), path],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    if r.stdout.readline().strip() != "ready":
        sys.exit("r_serve.R did not start")
    best_h = best_r = best_first = float("inf")
    peak = 0
    for _ in range(reps):
        r.stdin.write(task + "\n")
        r.stdin.flush()
        best_r = min(best_r, float(r.stdout.readline()))
        for first in (True, False):
            seconds, kb = run_hazard(cmd)
            if first:
                best_first = min(best_first, seconds)
            else:
                best_h = min(best_h, seconds)
            peak = max(peak, kb)
    r.stdin.close()
    if r.wait() != 0:
        sys.exit("r_serve.R failed")
    print(f"{best_h:.4g} {best_r:.4g} {peak} {best_first:.4g}")


def run_hazard(cmd):
    """One run of cmd, standard output to /dev/null: (wall seconds, its own peak RSS in kB)."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)  # exec failed: the child must not go on running this script
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed")
    return seconds, usage.ru_maxrss


if __name__ == "__main__":
    main()
