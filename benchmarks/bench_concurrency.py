"""Concurrent writers and readers on one framework in PostgreSQL (loopback), for a bounded time.

W writer processes import, one after another as fast as they can, changed versions of the
bundled default (4 variants: each changes one indicator's title *and* its observations, with a
marker that ties the two together); R reader processes load the framework as fast as they can
and check that what they read is one variant (title marker = observation marker). Afterwards the
whole history is checked: every change left the framework exactly as one variant (nothing mixed),
and changes are in time order.

Usage: python benchmarks/bench_concurrency.py [--seconds 60] [--writers 8] [--readers 8]
       [--url postgresql://postgres@127.0.0.1:5432/test]
A database of its own is created beside --url's and dropped at the end. Prints imports/s,
reads/s, "try again" refusals, and the history check.
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing as mp
import os
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_SECONDS = 600
VARIANTS = 4
MARKED = "digitale-innbyggertjenester"  # the indicator whose title and observations vary


def variants():  # type: ignore[no-untyped-def]
    import veikart
    from veikart.package.reader import read_package

    base = read_package(Path(veikart.__file__).parent / "data" / "default")
    ind_id = MARKED if MARKED in base.indicators else next(iter(base.observations))
    out = []
    for k in range(VARIANTS):
        v = copy.deepcopy(base)
        ind = v.indicators[ind_id]
        v.indicators[ind_id] = ind.model_copy(update={"title": f"{ind.title} [{k}]"})
        table = v.observations[ind_id]
        _lo, hi = ind.bounds()
        for i, value in enumerate(table.values):
            if value is not None:
                # the marker k in the values' last decimals, within the indicator's limits
                new = round(value, 1) + k / 1000
                table.values[i] = min(new, hi) if hi is not None else new
        table.note = [f"variant {k}"] * len(table)
        out.append(v)
    return ind_id, out


def _marker(data, ind_id: str) -> tuple[str, set[str]]:  # type: ignore[no-untyped-def]
    title = data.indicators[ind_id].title
    return title[title.rindex("[") + 1 : -1], {n.split()[-1] for n in data.observations[ind_id].note}


def writer(url: str, w: int, deadline: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from veikart.store.store import Store, StoreError

    _ind, cases = variants()
    imports = retries = 0
    store = Store(url)
    i = w
    while time.time() < deadline:
        try:
            summary = store.import_data(cases[i % VARIANTS], actor=f"writer-{w}")
            imports += summary.changeset_id is not None
        except StoreError:
            retries += 1
        i += 1 + (w % 3)
    store.close()
    out.put(("writer", imports, retries, 0))


def reader(url: str, r: int, deadline: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from veikart.store.store import Store

    ind_id, _cases = variants()
    reads = mixed = 0
    store = Store(url)
    while time.time() < deadline:
        title_k, obs_k = _marker(store.load(), ind_id)
        reads += 1
        mixed += obs_k != {title_k}
    store.close()
    out.put(("reader", reads, 0, mixed))


def check_history(url: str) -> tuple[int, int, bool]:
    """(changes, mixed changes, in time order)."""
    from veikart.package.writer import render_package
    from veikart.store.store import Store

    _ind, cases = variants()
    wanted = {tuple(sorted(render_package(c).items())) for c in cases}
    with Store(url) as store:
        changes = store.changes()
        ordered = [at for _cs, at in changes] == sorted(at for _cs, at in changes)
        mixed = 0
        for cs, _at in changes:
            mixed += tuple(sorted(render_package(store.load(change=cs)).items())) not in wanted
    return len(changes), mixed, ordered


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--url", default=os.environ.get("VEIKART_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()
    seconds = min(max(args.seconds, 1.0), MAX_SECONDS)
    sys.path.insert(0, str(HERE.parent))
    import psycopg

    from benchmarks.machine import loop_seconds
    from veikart.store.store import Store

    name = f"veikart_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(args.url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = args.url.rsplit("/", 1)[0] + "/" + name
    try:
        print(f"machine loop: {loop_seconds():.2f} s; {args.writers} writers, {args.readers} readers, {seconds:g} s")
        with Store(url) as s:
            s.migrate()
            s.import_data(variants()[1][0], actor="setup")
        ctx = mp.get_context("fork")
        out = ctx.Queue()
        deadline = time.time() + 2.0 + seconds  # 2 s for the processes to start
        procs = [ctx.Process(target=writer, args=(url, w, deadline, out)) for w in range(args.writers)]
        procs += [ctx.Process(target=reader, args=(url, r, deadline, out)) for r in range(args.readers)]
        for p in procs:
            p.start()
        results = [out.get(timeout=seconds + 120) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        imports = sum(r[1] for r in results if r[0] == "writer")
        retries = sum(r[2] for r in results if r[0] == "writer")
        reads = sum(r[1] for r in results if r[0] == "reader")
        mixed_reads = sum(r[3] for r in results if r[0] == "reader")
        print(f"imports: {imports} ({imports / seconds:.1f}/s), 'try again' refusals: {retries}")
        print(f"reads:   {reads} ({reads / seconds:.1f}/s), reads that saw a mixed framework: {mixed_reads}")
        t0 = time.perf_counter()
        changes, mixed, ordered = check_history(url)
        print(
            f"history: {changes} changes, {mixed} mixed, in time order: {ordered} "
            f"(checked in {time.perf_counter() - t0:.1f} s)"
        )
        failed = mixed or mixed_reads or not ordered or any(p.exitcode != 0 for p in procs)
        print("OK: the history is a sequence of complete imports" if not failed else "FAILED")
        sys.exit(1 if failed else 0)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
