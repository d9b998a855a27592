"""Open SDG corpus benchmark: import + progress + export-data, then a rerun after one changed CSV.

    .venv/bin/python benchmarks/bench_opensdg.py [--corpus DIR] [--direction both|none|higher_is_better]

The corpus (default /work/shared/corpora/opensdg-uk, ONS's sdg-data) is copied to a temporary
folder, so nothing of it is touched. Every step runs in a fresh process, the way a user runs it:

* import: `import_opensdg` alone (a child process);
* progress: `assess_framework` + the progress records of every indicator (a child process; the
  time printed is that of the progress step alone, after the import);
* export-data: the real command, `veikart export-data OUT --from-opensdg REPO --json`, which
  imports, computes progress and writes every file; cold (no previous export, best of --repeat),
  then rerun with nothing changed, then rerun after one value of one CSV changed (a typical file,
  and the largest); each rerun row is the median of --reruns runs (each after a change of its
  own), with the fastest and slowest beside it;
* --watch: the real command left running; the time from writing the changed CSV to the
  rebuilt export being in place (the command prints a line when it is).

Wall time is measured from outside; CPU time (user + system, of the process and its workers)
beside it says how much of the wall time other work on the machine may have added. Peak memory
is the largest sum of the proportional set sizes of the command's process and its worker
processes, sampled every 50 ms (a page shared with forked workers counts once in all), beside
the largest single process's max RSS. The machine's speed varies (benchmarks/machine.py, printed
before and after). The reference point is Open SDG's own data build (sdg-build) of this corpus: about
120 s on this kind of machine.

The corpus has no indicator asking for progress (auto_progress_calculation), so with the
importer's default direction `none` progress gives "not assessed" for all; the run with
`default_direction="higher_is_better"` makes the progress step do real work. Both are run unless
--direction says otherwise, and each row says which.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from benchmarks.processes import Run, Sampler, last_json, run  # noqa: E402
VEIKART = [sys.executable, "-m", "veikart", "--lang", "nb"]
CORPUS = Path("/work/shared/corpora/opensdg-uk")
SDG_BUILD_S = 120.0  # Open SDG's data build of this corpus on this kind of machine (reference)
TARGET_COLD_S = 12.0
TARGET_RERUN_S = 1.0
TARGET_MIB = 1024.0
TYPICAL_CSV = "indicator_1-2-1.csv"

CHILD_IMPORT = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from veikart.opensdg import import_opensdg
t1 = time.perf_counter()
data, report = import_opensdg(Path(sys.argv[1]), default_direction=sys.argv[2])
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "startup": t1 - t0, "indicators": len(data.indicators),
                  "rows": data.observation_count()}))
"""

CHILD_PROGRESS = r"""
import json, sys, time
from pathlib import Path
from veikart.opensdg import import_opensdg
from veikart.core.assess import assess_framework
from veikart.views.records import indicator_record
data, report = import_opensdg(Path(sys.argv[1]), default_direction=sys.argv[2])
t1 = time.perf_counter()
results = assess_framework(data)
records = [indicator_record(r) for r in results]
t2 = time.perf_counter()
assessed = sum(r.status.value not in ("not_assessed", "unable_to_assess") for r in results)
print(json.dumps({"seconds": t2 - t1, "indicators": len(results), "assessed": assessed,
                  "series": sum(len(r.series) for r in results)}))
"""

def change_one_value(path: Path, delta: float) -> str:
    """Add `delta` to the first non-blank Value of the CSV; returns a description."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = [h.strip().lower() for h in rows[0]].index("value")
    for i in range(1, len(rows)):
        if len(rows[i]) > col and rows[i][col].strip():
            old = rows[i][col]
            rows[i][col] = repr(round(float(old) + delta, 6))
            break
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return f"{path.name} line {i + 1}: {old} -> {rows[i][col]}"


def watch_latency(
    repo: Path, out: Path, direction: str, csv_path: Path, samples: int = 3
) -> tuple[list[float], Run]:
    """Start the watching command, let it build, then change a value `samples` times and time
    each change until the command reports the rebuilt export."""
    cmd = [*VEIKART, "export-data", str(out), "--from-opensdg", str(repo), "--default-direction", direction,
           "--watch", "--interval", "0.1", "--json"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    sampler = Sampler(proc.pid)
    sampler.start()
    latencies = []
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        for k in range(samples):
            time.sleep(0.3)
            t0 = time.perf_counter()
            change_one_value(csv_path, 0.5 + k)
            line = json.loads(proc.stdout.readline())
            latencies.append(time.perf_counter() - t0)
            assert line["rebuilt"] and line["import"]["mode"] == "changed", line
    finally:
        proc.send_signal(signal.SIGTERM)  # our own child, by its pid
        proc.wait(timeout=60)
        sampler.done.set()
        sampler.join()
    return latencies, Run(0.0, sampler.peak_kib / 1024, 0.0, 0.0, "", extra={"first": first})


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the upper one of an even number)."""
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def spread(runs: list[Run]) -> str:
    if len(runs) == 1:
        return "one run"
    walls = [r.wall for r in runs]
    return f"median of {len(runs)}, {min(walls):.2f}-{max(walls):.2f} s"


def row(
    name: str,
    seconds: float,
    target: float | None,
    mib: float | None,
    max_mib: float | None = None,
    cpu: float | None = None,
) -> None:
    t = f"{target:>6.1f} {seconds / target:>6.2f}" if target else f"{'-':>6} {'-':>6}"
    m = f"{mib:>8.0f} {mib / TARGET_MIB:>6.2f}" if mib is not None else f"{'-':>8} {'-':>6}"
    mm = f"{max_mib:>8.0f}" if max_mib else f"{'-':>8}"
    c = f"{cpu:>7.2f}" if cpu else f"{'-':>7}"
    print(f"{name:58} {seconds:>7.2f} {t} {seconds / SDG_BUILD_S:>8.3f} {c} {m} {mm}", flush=True)


def header(title: str) -> None:
    print(f"\n{title}")
    print(f"{'step':58} {'wall s':>7} {'target':>6} {'ratio':>6} {'/sdg-bld':>8} {'cpu s':>7} {'peak MiB':>8} "
          f"{'ratio':>6} {'max proc':>8}")  # fmt: skip


def bench(corpus: Path, direction: str, tmp: Path, repeat: int = 1, reruns: int = 5) -> None:
    repo = tmp / direction / corpus.name
    shutil.copytree(corpus, repo)
    out = tmp / direction / "open-data"
    header(f"default_direction={direction}")
    imp = run([sys.executable, "-c", CHILD_IMPORT, str(repo), direction])
    info = last_json(imp.out)
    row(
        f"import (import_opensdg; {info['indicators']} ind., {info['rows']:,} rows)",
        info["seconds"],
        None,
        imp.tree_mib,
    )
    prog = run([sys.executable, "-c", CHILD_PROGRESS, str(repo), direction])
    pinfo = last_json(prog.out)
    row(f"progress (assess + records; {pinfo['assessed']} of {pinfo['indicators']} assessed)", pinfo["seconds"], None,
        prog.tree_mib)  # fmt: skip

    cmd = [
        *VEIKART,
        "export-data",
        str(out),
        "--from-opensdg",
        str(repo),
        "--default-direction",
        direction,
        "--json",
    ]
    colds = []
    for _ in range(repeat):  # each from nothing: no previous export, no cache
        shutil.rmtree(out, ignore_errors=True)
        colds.append(run(cmd))
    cold = min(colds, key=lambda r: r.wall)
    cj = json.loads(cold.out)
    label = "export-data cold: import + progress + files (the command)"
    if repeat > 1:
        label = f"export-data cold, best of {repeat} (median {statistics.median(r.wall for r in colds):.2f} s)"
    row(label, cold.wall, TARGET_COLD_S, cold.tree_mib, cold.max_mib, cold.cpu)
    t = cj["timings"]
    print(
        f"{'':4}inside the command: import {t['import']:.2f} s, build {t['build']:.2f} s "
        f"(progress, charts, files; {len(cj['rebuilt'])} indicators), index {t['index']:.2f} s, "
        f"zip {t['zip']:.2f} s; start-up and imports {cold.wall - t['command']:.2f} s"
    )
    sames = [run(cmd) for _ in range(reruns)]
    same = median_run(sames)
    row(f"rerun, nothing changed (the command; {spread(sames)})", same.wall, TARGET_RERUN_S, same.tree_mib,
        same.max_mib, same.cpu)  # fmt: skip

    sizes = sorted((p.stat().st_size, p.name) for p in (repo / "data").glob("*.csv"))
    typical = (
        repo
        / "data"
        / (TYPICAL_CSV if (repo / "data" / TYPICAL_CSV).is_file() else sizes[len(sizes) // 2][1])
    )
    largest = repo / "data" / sizes[-1][1]
    for label, path in (("typical", typical), ("largest", largest)):
        runs, whats = [], []
        for _ in range(reruns):
            whats.append(change_one_value(path, 1.0))
            runs.append(run(cmd))
            rj = json.loads(runs[-1].out)
            assert rj["import"]["mode"] == "changed" and len(rj["rebuilt"]) == 1, rj
        rerun = median_run(runs)
        row(f"rerun after one changed CSV, {label} ({spread(runs)})", rerun.wall, TARGET_RERUN_S, rerun.tree_mib,
            rerun.max_mib, rerun.cpu)  # fmt: skip
        rj = json.loads(rerun.out)
        rt = rj["timings"]
        print(
            f"{'':4}{whats[runs.index(rerun)]} (the median run); inside the command {rt['command']:.2f} s "
            f"(import {rt['import']:.2f}, build {rt['build']:.2f} in the {rj['built_in']}, "
            f"zip {rt['zip']:.2f}); start-up and imports {rerun.wall - rt['command']:.2f} s"
        )

    latencies, w = watch_latency(repo, out, direction, typical)
    row(f"--watch: changed CSV -> export in place (median of {len(latencies)})", statistics.median(latencies),
        TARGET_RERUN_S, w.tree_mib)  # fmt: skip
    print(
        f"{'':4}each: {', '.join(f'{x:.2f} s' for x in latencies)}; peak MiB covers the whole watch session"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--direction", choices=["both", "none", "higher_is_better"], default="both")
    ap.add_argument("--repeat", type=int, default=3, help="cold runs of export-data (the best is shown)")
    ap.add_argument("--reruns", type=int, default=5, help="runs of each rerun row (the median is shown)")
    args = ap.parse_args()
    from benchmarks.machine import describe

    print(describe())
    if not (args.corpus / "data").is_dir():
        sys.exit(f"no Open SDG corpus at {args.corpus}")
    print(f"Open SDG corpus {args.corpus}: {len(list((args.corpus / 'data').glob('*.csv')))} data files; "
          f"{os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(
        f"Targets: cold {TARGET_COLD_S:.0f} s, rerun {TARGET_RERUN_S:.0f} s, peak {TARGET_MIB:.0f} MiB; "
        f"reference: sdg-build ~{SDG_BUILD_S:.0f} s ('/sdg-bld' = wall / {SDG_BUILD_S:.0f} s)."
    )
    directions = ["none", "higher_is_better"] if args.direction == "both" else [args.direction]
    with tempfile.TemporaryDirectory(prefix="bench-opensdg-") as tmp:
        for d in directions:
            bench(args.corpus, d, Path(tmp), args.repeat, args.reruns)
    print(
        f"\nratio = measured / target (<= 1 meets it). Load average at end {os.getloadavg()[0]:.2f} "
        f"(other work on the machine slows every figure)."
    )
    print(describe())


if __name__ == "__main__":
    main()
