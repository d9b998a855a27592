"""Concurrent imports into one framework, by real processes, on SQLite and PostgreSQL.

Every trial starts several processes at the same moment (a barrier), each importing one of a
few variants of the minimal package that differ in metadata *and* observations (one variant
widens an indicator's natural limit and stores values only that limit admits). Afterwards:

- every change in the store's history left the framework exactly as one whole variant
  (nothing mixed: no old indicators with another import's observations);
- the history read by time (`as_of`) agrees with the history read by change: changes are in
  time order;
- the package exported from the store validates;
- no process died of a traceback (a StoreError asking to try again would be allowed).
"""

from __future__ import annotations

import copy
import multiprocessing as mp
import traceback
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from veikart.core.dataset import FrameworkData
from veikart.core.model import NaturalLimit
from veikart.package.reader import check_package, read_package
from veikart.package.writer import render_package, write_package
from veikart.store.store import Store, StoreError

TRIALS = 20
WRITERS = 4


def variants() -> list[FrameworkData]:
    base = read_package(MINIMAL)
    out = [base]
    for k in (1, 2):
        v = copy.deepcopy(base)
        ind = v.indicators["ventetid"]
        # The natural limit admits the values of this variant only; with the base's limit
        # they would not validate (a mixed store shows at once in the export).
        v.indicators["ventetid"] = ind.model_copy(
            update={"title": f"Ventetid {k}", "natural_limit": NaturalLimit(lower=100.0 * k, upper=100.0 * k + 50)}
        )
        table = v.observations["ventetid"]
        table.values = [100.0 * k + 10 + i for i in range(len(table))]
        v.observations["andel-digital"].values[0] = 40.0 + k
        out.append(v)
    return out


def _worker(url: str, barrier: mp.Barrier, worker: int, results: mp.Queue) -> None:  # type: ignore[type-arg]
    cases = variants()
    try:
        for trial in range(TRIALS):
            barrier.wait(timeout=60)
            store = Store(url)
            try:
                store.import_data(cases[(worker + trial) % len(cases)], actor=f"w{worker}")
            except StoreError as exc:
                results.put(("store-error", str(exc)))
            finally:
                store.close()
        results.put(("done", ""))
    except BaseException:  # noqa: BLE001 - reported to the test
        barrier.abort()  # the others stop waiting for this one
        results.put(("crash", traceback.format_exc()))


def check_history(store: Store, candidates: list[FrameworkData]) -> int:
    """Every change left one whole candidate; `as_of` agrees; returns the number of changes."""
    wanted = [render_package(c) for c in candidates]
    changes = store.changes()
    ats = [at for _cs, at in changes]
    assert ats == sorted(ats), "changes are not in time order"
    for i, (cs, at) in enumerate(changes):
        state = render_package(store.load(change=cs))
        assert state in wanted, f"change {cs} left a mixed framework"
        if i + 1 == len(changes) or changes[i + 1][1] != at:  # the last change at that time
            assert render_package(store.load(as_of=at)) == state, f"as_of {at} differs from change {cs}"
    return len(changes)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_concurrent_imports_leave_a_history_of_whole_imports(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}" if engine == "sqlite" else request.getfixturevalue("pg_url")
    with Store(url) as s:
        s.migrate()
        s.import_data(variants()[0], actor="setup")
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(WRITERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, barrier, w, results)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    reports: list[tuple[str, str]] = []
    while sum(kind != "store-error" for kind, _ in reports) < WRITERS:  # one "done" or "crash" each
        reports.append(results.get(timeout=120))
    for p in procs:
        p.join(timeout=60)
    crashes = [text for kind, text in reports if kind == "crash"]
    assert not crashes, crashes[0]
    assert all(p.exitcode == 0 for p in procs)

    with Store(url) as s:
        assert check_history(s, variants()) > TRIALS  # the variants really alternated
        write_package(s.load(), tmp_path / "export")
    data, problems = check_package(tmp_path / "export")
    assert problems == [] and data is not None


def _init_worker(url: str, barrier: mp.Barrier, results: mp.Queue) -> None:  # type: ignore[type-arg]
    try:
        barrier.wait(timeout=60)
        with Store(url) as store:
            store.migrate()
            store.import_data(variants()[0], actor="init")
        results.put(("done", ""))
    except BaseException:  # noqa: BLE001 - reported to the test
        results.put(("crash", traceback.format_exc()))


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_concurrent_inits_of_a_new_store(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Several `veikart init` at once on a store that does not exist yet: one creates the
    schema and imports, the others find it done; no process fails."""
    url = f"sqlite:///{tmp_path / 'new' / 'store.db'}" if engine == "sqlite" else request.getfixturevalue("pg_url")
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(WRITERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_init_worker, args=(url, barrier, results)) for _ in range(WRITERS)]
    for p in procs:
        p.start()
    reports = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    crashes = [text for kind, text in reports if kind == "crash"]
    assert not crashes, crashes[0]
    with Store(url) as s:
        assert len(s.changes()) == 1
        assert render_package(s.load()) == render_package(variants()[0])


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_concurrent_veikart_import_commands(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The same through the command line: `python -m veikart import` in three processes at once,
    a few times; each ends with status 0 and no traceback, and the history is whole."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'store.db'}" if engine == "sqlite" else request.getfixturevalue("pg_url")
    with Store(url) as s:
        s.migrate()
    folders = []
    for k, v in enumerate(variants()):
        write_package(v, tmp_path / f"v{k}")
        folders.append(tmp_path / f"v{k}")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    for trial in range(3):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "veikart", "--lang", "en", "--db", url, "import", str(folders[(w + trial) % 3])],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            )
            for w in range(3)
        ]
        for p in procs:
            _out, err = p.communicate(timeout=120)
            assert p.returncode == 0 and "Traceback" not in err, err
    with Store(url) as s:
        assert check_history(s, variants()) >= 3
