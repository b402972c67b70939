"""Figures of backfill-demo.sh's load, from pgbench per-transaction log lines on stdin.

Arguments: the change's start and end (epoch nanoseconds). Prints one line,
"n|worst ms|p99 ms|% over 1 s|longest pause ms": over the transactions scheduled while the change
ran (scheduled start = completion - latency, pgbench -R counts latency from it), their number, the
worst and 99th-percentile latency, the share that took over 1 s; and the longest time between the
change's start (or a completed write) and the next completed write, until 5 s after its end.
"""
import sys

start_us, end_us = int(sys.argv[1]) // 1000, int(sys.argv[2]) // 1000
lat, done = [], []
for line in sys.stdin:
    f = line.split()
    if len(f) < 6 or f[2] == 'skipped':
        continue
    latency, finished = int(float(f[2])), int(f[4]) * 1_000_000 + int(f[5])
    if start_us <= finished - latency <= end_us:
        lat.append(latency)
    if start_us <= finished <= end_us + 5_000_000:
        done.append(finished)
if not lat:
    print("0|-|-|-|-")
    sys.exit(0)
lat.sort()
done.sort()
gap, prev = 0, start_us
for t in done:
    gap, prev = max(gap, t - prev), t
p99 = lat[max(0, int(len(lat) * 0.99) - 1)]
slow = sum(1 for v in lat if v > 1_000_000)
print(f"{len(lat)}|{lat[-1] // 1000}|{p99 // 1000}|{100 * slow / len(lat):.2f}|{gap // 1000}")
