"""How fast this machine runs Python right now, to read the other figures against.

The development machine is a virtual one: the loop below has taken from 0.35 s to 0.62 s
within a few minutes, with nothing else running in it (the host's load shows neither in the
load average nor as steal time). Each benchmark prints this figure before and after its runs; compare
figures taken at different times only when these agree.
"""

from __future__ import annotations

import time

#: The loop's best time seen on the development machine (27.11.2026)
REFERENCE_S = 0.35


def loop_seconds(repeat: int = 3) -> float:
    """Best of `repeat` runs of a fixed pure-Python loop (10 million additions)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def cpu_model() -> str:
    """The processor's name as the kernel reports it (a virtual machine may run on another
    host's processor from one session to the next)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown processor"


def describe() -> str:
    seconds = loop_seconds()
    return (
        f"machine speed: reference loop {seconds:.2f} s (quiet machine {REFERENCE_S:.2f} s; "
        f"{seconds / REFERENCE_S:.2f}x; {cpu_model()})"
    )


if __name__ == "__main__":
    print(describe())
