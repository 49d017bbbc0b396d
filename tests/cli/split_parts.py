#!/usr/bin/env python3
"""Shuffles a CSV's data rows (seed 1) and cuts them into K parts of unequal size.

Usage: split_parts.py IN.csv PREFIX K  ->  PREFIX-part0.csv ... PREFIX-part{K-1}.csv, and
PREFIX-all.csv (the shuffled rows in one file, the one-process reference of tests/cli/mpi.sh).
Part k holds about (k + 1) / (K (K + 1) / 2) of the rows, so the parts differ in size.
"""
import csv
import random
import sys

src, prefix, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
random.Random(1).shuffle(body)
total = k * (k + 1) // 2
cuts, at = [0], 0
for part in range(k):
    at += len(body) * (part + 1) // total
    cuts.append(at if part < k - 1 else len(body))
for part in range(k):
    with open(f"{prefix}-part{part}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body[cuts[part]:cuts[part + 1]])
with open(f"{prefix}-all.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    w.writerows(body)
