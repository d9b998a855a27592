"""A/B: the one-shot rerun of `veikart export-data --from-opensdg` after one changed CSV, on an
earlier commit and on this working tree, run in turns.

    .venv/bin/python benchmarks/ab_rerun.py [--base REV] [--rounds 8] [--csv indicator_8-5-1.csv]

This machine's speed drifts by a factor of up to two within minutes (benchmarks/machine.py), so
two figures measured one after the other say little about a change. Here each round runs the
base and this tree (in alternating order), each after a change of its own to the same CSV of its
own copy of the corpus, so that both see the same phases of the machine. The base is checked out into a
temporary git worktree and run with this virtual environment, its `src/` first on the path.
Each copy is exported once, untimed, before the rounds (the build cache is then warm, as for a
user). Prints, per side, the median, fastest and slowest wall time and every run, then the
ratio of the medians (this tree / base) and the 1 s target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = Path("/work/shared/corpora/opensdg-uk")
TARGET_S = 1.0


def bump(csv: Path) -> None:
    """Add 1 to the last column (Value) of the first data row, keeping the file's line ends."""
    raw = csv.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    lines = raw.split(newline)
    cells = lines[1].split(b",")
    cells[-1] = repr(round(float(cells[-1]) + 1, 6)).encode()
    lines[1] = b",".join(cells)
    csv.write_bytes(newline.join(lines))


def export(src: Path, work: Path) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "XDG_CACHE_HOME": str(work / "cache"),
        "XDG_DATA_HOME": str(work / "data"),
    }
    cmd = [sys.executable, "-m", "veikart", "export-data", str(work / "out"), "--from-opensdg",
           str(work / "repo"), "--default-direction", "higher_is_better", "--json"]  # fmt: skip
    started = time.perf_counter()
    # cwd: `python -m` puts the working folder first on the path, before PYTHONPATH; started
    # from a src/ folder, both sides would run that code
    done = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"export-data failed for {src}:\n{done.stderr}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="HEAD", help="the commit to compare with (default: HEAD)")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--csv", default="indicator_8-5-1.csv", help="the data file changed before each run")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.machine import describe

    print(describe())
    with tempfile.TemporaryDirectory(prefix="ab-rerun-") as tmp:
        base_tree = Path(tmp) / "base-tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base_tree), args.base],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        try:
            sides = {"base": base_tree / "src", "this tree": ROOT / "src"}
            works = {}
            for name, src in sides.items():
                work = Path(tmp) / name.replace(" ", "-")
                shutil.copytree(args.corpus, work / "repo")
                export(src, work)  # cold, untimed
                works[name] = work
            times: dict[str, list[float]] = {name: [] for name in sides}
            for k in range(args.rounds):
                order = list(sides) if k % 2 == 0 else list(reversed(sides))  # neither always first
                for name in order:
                    bump(works[name] / "repo" / "data" / args.csv)
                    times[name].append(export(sides[name], works[name]))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)],
                           check=False, capture_output=True)  # fmt: skip
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.base], capture_output=True,
                         text=True).stdout.strip()  # fmt: skip
    print(f"rerun after {args.csv} changed, {args.rounds} rounds in turns (wall s):")
    for name, walls in times.items():
        label = f"{name} ({rev})" if name == "base" else name
        print(f"  {label:18} median {statistics.median(walls):.2f}  fastest {min(walls):.2f}  "
              f"slowest {max(walls):.2f}  target {TARGET_S:.0f}   " + " ".join(f"{w:.2f}" for w in walls))  # fmt: skip
    ratio = statistics.median(times["this tree"]) / statistics.median(times["base"])
    print(f"  this tree / base (medians): {ratio:.2f}")
    print(describe())


if __name__ == "__main__":
    main()
