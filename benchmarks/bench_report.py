"""Report benchmark: all three formats (PPTX, PDF, HTML) for the bundled default and for a
synthetic framework of 250 indicators, each built twice: cold (empty chart cache) and again
after changing one indicator (only its chart is rendered anew).

Each build runs in a fresh subprocess so that its peak memory (max RSS) is its own.
Usage: python benchmarks/bench_report.py [--indicators 250]
Prints wall time and peak memory beside the issue's targets, as ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {"default": 5.0, "synthetic": 60.0, "rebuild": 2.0}
TARGET_MIB = 1024.0

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from veikart.store.store import Store
from veikart.report.build import build_report
url, out, period = sys.argv[1], Path(sys.argv[2]), sys.argv[3] or None
t0 = time.perf_counter()
result = build_report(Store(url), period_id=period, out_dir=out)
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "charts": result.charts_rendered, "slides": len(result.manifest["slides"]),
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(url: str, out: Path, period: str, env: dict[str, str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(out), period], capture_output=True, text=True, env=env, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--indicators", type=int, default=250)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE.parent))
    from benchmarks.synthetic import synthetic

    from veikart.package.reader import read_package
    from veikart.store.store import Store

    import veikart

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        env = dict(os.environ, XDG_CACHE_HOME=str(tmpd / "cache"), SOURCE_DATE_EPOCH="1769644800")
        # The vega-embed bundle is built once per machine (cached); warm it so no case pays for it.
        subprocess.run([sys.executable, "-c", "from veikart.views.render import vega_embed_bundle as b; b()"], env=env, check=True)

        default_db = f"sqlite:///{tmpd / 'default.db'}"
        with Store(default_db) as s:
            s.migrate()
            s.import_data(read_package(Path(veikart.__file__).parent / "data" / "default"), actor="bench")
        rows.append(("bundled default, cold cache", build(default_db, tmpd / "d1", "2026-01", env), TARGETS["default"]))
        with Store(default_db) as s:
            d = s.load()
            t = d.observations["velferdsteknologi"]
            t.values[-1] = (t.values[-1] or 0) + 0.5  # one indicator changes: one chart to redraw
            s.import_data(d, actor="bench")
        rows.append(("bundled default, after changing 1 indicator", build(default_db, tmpd / "d2", "2026-01", env), TARGETS["rebuild"]))

        data = synthetic(indicators=args.indicators, years=20, regions=4, groups=1)
        syn_db = f"sqlite:///{tmpd / 'syn.db'}"
        with Store(syn_db) as s:
            s.migrate()
            s.import_data(data, actor="bench")
        rows.append((f"synthetic {args.indicators} indicators, cold", build(syn_db, tmpd / "s1", "", env), TARGETS["synthetic"]))
        # Change one indicator: one value of its first series.
        first = next(iter(data.observations.values()))
        first.values[0] = (first.values[0] or 0) + 1.0
        with Store(syn_db) as s:
            s.import_data(data, actor="bench")
        rows.append(("synthetic, after changing 1 indicator", build(syn_db, tmpd / "s2", "", env), TARGETS["synthetic"]))

    print(f"{'case':42} {'slides':>6} {'charts':>7} {'wall s':>7} {'target s':>8} {'ratio':>6} {'peak MiB':>9} {'target':>7} {'ratio':>6}")
    for name, r, target in rows:
        print(
            f"{name:42} {r['slides']:>6} {r['charts']:>7} {r['seconds']:>7.2f} {target:>8.1f} {r['seconds'] / target:>6.2f} "
            f"{r['rss_mib']:>9.0f} {TARGET_MIB:>7.0f} {r['rss_mib'] / TARGET_MIB:>6.2f}"
        )
    print("charts = chart images rendered (not found in the cache). ratio = measured / target (<= 1 meets it).")


if __name__ == "__main__":
    main()
