"""Import benchmark: the bundled default, and a synthetic framework of 250 indicators x 20 years
x 20 dimension combinations (100,000 observations), into a fresh SQLite store.

Each step runs in a fresh subprocess so that its peak memory (max RSS) is its own.
Usage: python benchmarks/bench_import.py [--indicators 250]
Prints wall time, rows/s and peak memory beside the issue's targets, as ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 3.0
TARGET_MIB = 500.0

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from veikart.package.reader import read_package
from veikart.store.store import Store
pkg, url = Path(sys.argv[1]), sys.argv[2]
store = Store(url); store.migrate()
t1 = time.perf_counter()
data = read_package(pkg)
t2 = time.perf_counter()
summary = store.import_data(data, actor="benchmark")
t3 = time.perf_counter()
print(json.dumps({"rows": summary.observations_added, "read": t2 - t1, "store": t3 - t2,
                  "total": t3 - t1, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(pkg: Path, url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(pkg), url], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--indicators", type=int, default=250)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE.parent))
    from benchmarks.synthetic import write_synthetic

    import veikart

    default = Path(veikart.__file__).parent / "data" / "default"
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        pkg = tmpd / "synthetic"
        write_synthetic(pkg, indicators=args.indicators)
        rows = [("bundled default", run(default, f"sqlite:///{tmpd / 'default.db'}"))]
        rows.append((f"synthetic {args.indicators} indicators", run(pkg, f"sqlite:///{tmpd / 'synthetic.db'}")))
    print(f"{'case':34} {'rows':>8} {'read s':>7} {'store s':>8} {'total s':>8} {'rows/s':>9} "
          f"{'target s':>8} {'ratio':>6} {'peak MiB':>9} {'target':>7} {'ratio':>6}")
    for name, r in rows:
        rate = r["rows"] / r["total"] if r["total"] else 0
        print(
            f"{name:34} {r['rows']:>8} {r['read']:>7.2f} {r['store']:>8.2f} {r['total']:>8.2f} {rate:>9,.0f} "
            f"{TARGET_SECONDS:>8.1f} {r['total'] / TARGET_SECONDS:>6.2f} {r['rss_mib']:>9.0f} {TARGET_MIB:>7.0f} "
            f"{r['rss_mib'] / TARGET_MIB:>6.2f}"
        )
    print("ratio = measured / target (<= 1 meets the target). Peak memory is the child's max RSS.")


if __name__ == "__main__":
    main()
