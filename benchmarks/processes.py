"""Running a benchmark's command: wall time, CPU time, and the peak memory of the whole
process tree (the command and the workers it starts), sampled from /proc."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    wall: float
    tree_mib: float  # peak sum of PSS over the process tree (sampled)
    max_mib: float  # largest single process's max RSS (rusage)
    cpu: float  # user + system CPU seconds of the process and its workers (rusage)
    out: str
    err: str = ""
    extra: dict = field(default_factory=dict)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


def _read_kib(path: str, key: str) -> int | None:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_kib(pid: int) -> int:
    return _read_kib(f"/proc/{pid}/status", "VmRSS:") or 0


def _pss_kib(pid: int) -> int:
    """The process's proportional set size: its own pages, and its share of the pages it shares
    (with the workers it forked, say), so that the sum over a tree is the memory the tree uses.
    Its resident set size where the kernel does not say."""
    pss = _read_kib(f"/proc/{pid}/smaps_rollup", "Pss:")
    return pss if pss is not None else _rss_kib(pid)


#: Seconds between PSS readings: the kernel walks a process's page tables for each (about 18 ms
#: for 700 MB), which at 50 ms would take most of a core from the process measured
PSS_EVERY = 1.0


class Sampler(threading.Thread):
    """The largest total memory of a process and all its descendants: the sum of their
    proportional set sizes, every `PSS_EVERY` seconds, and four times as often while the sum of
    their resident set sizes (read every 50 ms, cheaply) is reaching new highs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.rss_peak_kib, self.done = pid, 0, 0, threading.Event()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            pids.append(p)
            todo += _children(p)
        return pids

    def run(self) -> None:
        last_pss = 0.0
        while not self.done.is_set():
            pids = self._tree()
            rss = sum(_rss_kib(p) for p in pids)
            now = time.monotonic()
            if now - last_pss >= (PSS_EVERY / 4 if rss > self.rss_peak_kib else PSS_EVERY):
                self.rss_peak_kib = max(self.rss_peak_kib, rss)
                self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in pids))
                last_pss = now
            self.done.wait(0.05)


def run(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run to the end; wall time, sampled tree peak and the child's own rusage max RSS."""
    with tempfile.TemporaryFile("w+") as so, tempfile.TemporaryFile("w+") as se:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, cwd=cwd, env=env)
        sampler = Sampler(proc.pid)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        so.seek(0), se.seek(0)
        out, err = so.read(), se.read()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    # ru_maxrss of wait4: the largest of the child and the descendants it waited for (KiB)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, sampler.peak_kib / 1024, usage.ru_maxrss / 1024, cpu, out, err)


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


