#!/usr/bin/env python3
"""bench_time.py RUNS ERRFILE CMD... -- runs CMD RUNS times (stdout to
/dev/null, stderr to ERRFILE) and prints the best wall time in seconds.
Timed around fork and wait only, so the figure is the whole process's time
without the cost of timing shell tools (date, bc, /usr/bin/time) around
it. Exits 1 when CMD fails."""
import os
import sys
import time


def main():
    runs, errfile, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    best = None
    for _ in range(runs):
        with open(os.devnull, "wb") as out, open(errfile, "wb") as err:
            t0 = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                try:
                    os.execvp(cmd[0], cmd)
                finally:
                    os._exit(127)
            _, status = os.waitpid(pid, 0)
            secs = time.perf_counter() - t0
        if status != 0:
            sys.exit(1)
        if best is None or secs < best:
            best = secs
    print(f"{best:.4f}")


main()
