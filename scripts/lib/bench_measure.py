"""Runs one command as scripts/bench-run.sh measures it: bench_measure.py OUT CMD [ARG...]

The command's stdout and stderr go to the file OUT, its stdin is /dev/null. Prints one line
`RC MS KIB`: its exit code, its wall time in milliseconds (from just before the fork to its
exit, so Python's own start is not counted) and the peak resident set size of the whole process
(ru_maxrss from wait4: the largest of the process and the descendants it waited for, in KiB).
"""
import os
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
with open(out, 'wb') as f:
    t0 = time.monotonic_ns()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(p.pid, 0)
    ms = (time.monotonic_ns() - t0) // 1_000_000
    p.returncode = os.waitstatus_to_exitcode(status)
print(p.returncode, ms, usage.ru_maxrss)
