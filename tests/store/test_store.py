"""The store, on SQLite and PostgreSQL: round trip, all-or-nothing, vintages, audit trail."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.conftest import MINIMAL
from veikart.package.reader import read_package
from veikart.package.writer import render_package
from veikart.store.store import Store, StoreError


class Clock:
    """A controllable clock: each call returns the current time; `advance` moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


def snapshot(store: Store) -> tuple[dict[str, str], int]:
    return render_package(store.load()), len(store.audit_trail())


def test_import_then_load_gives_the_same_package(store: Store) -> None:
    data = read_package(MINIMAL)
    summary = store.import_data(data, actor="tester")
    assert summary.changeset_id is not None
    assert summary.observations_added == data.observation_count() == 9
    assert render_package(store.load()) == render_package(data)


def test_package_files_survive_import_and_export_byte_for_byte(store: Store) -> None:
    store.import_data(read_package(MINIMAL), actor="tester")
    files = render_package(store.load())
    for rel, text_ in files.items():
        assert (MINIMAL / rel).read_text(encoding="utf-8") == text_, rel
    on_disk = {p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*") if p.is_file()}
    assert on_disk == set(files)


def test_reimport_of_the_same_package_changes_nothing(store: Store) -> None:
    data = read_package(MINIMAL)
    store.import_data(data, actor="tester")
    before = snapshot(store)
    summary = store.import_data(data, actor="tester")
    assert summary.changeset_id is None and not summary.changed
    assert snapshot(store) == before


def test_a_correction_keeps_the_old_value_and_as_of_rebuilds_it(store_url: str) -> None:
    clock = Clock()
    store = Store(store_url, clock=clock)
    store.migrate()
    data = read_package(MINIMAL)
    store.import_data(data, actor="first")
    t_first = clock.now
    clock.advance(days=10)

    revised = copy.deepcopy(data)
    table = revised.observations["andel-digital"]
    i = table.periods.index("2021")
    table.values[i] = 46.0  # corrected
    last = len(table) - 1
    for col in (table.keys, table.periods, table.values, table.n, table.flags, table.provenance, table.source, table.note):
        del col[last]  # one observation withdrawn
    summary = store.import_data(revised, actor="second")
    assert (summary.observations_added, summary.observations_revised, summary.observations_removed) == (0, 1, 1)

    now = store.load().observations["andel-digital"]
    assert now.values[now.periods.index("2021")] == 46.0
    assert len(now) == len(data.observations["andel-digital"]) - 1

    then = store.load(as_of=t_first + timedelta(hours=1)).observations["andel-digital"]
    assert then.values[then.periods.index("2021")] == 45.5
    assert render_package(store.load(as_of=t_first + timedelta(hours=1))) == render_package(data)

    with pytest.raises(StoreError, match="not yet known"):
        store.load(as_of=t_first - timedelta(days=1))

    trail = store.audit_trail()
    obs = [e for e in trail if e.entity == "observations" and e.actor == "second"]
    assert len(obs) == 1
    assert obs[0].old["revised"] == [{"series": "", "period": "2021", "old": 45.5, "new": 46.0}]
    assert obs[0].new == {"added": 0, "revised": 1, "removed": 1}
    store.close()


def test_metadata_change_is_versioned_and_audited_old_to_new(store_url: str) -> None:
    clock = Clock()
    store = Store(store_url, clock=clock)
    store.migrate()
    data = read_package(MINIMAL)
    store.import_data(data, actor="editor")
    t0 = clock.now
    clock.advance(days=1)
    ind = data.indicators["ventetid"]
    data.indicators["ventetid"] = ind.model_copy(update={"title": "Ventetid i dager"})
    summary = store.import_data(data, actor="editor2")
    assert summary.updated == ["indicator:ventetid"]
    entry = next(e for e in store.audit_trail() if e.entity == "indicator" and e.op == "update")
    assert entry.actor == "editor2"
    assert entry.old["title"] == "Ventetid" and entry.new["title"] == "Ventetid i dager"
    assert store.load(as_of=t0).indicators["ventetid"].title == "Ventetid"
    assert store.load().indicators["ventetid"].title == "Ventetid i dager"
    store.close()


def test_removing_an_indicator_closes_its_document_and_observations(store: Store) -> None:
    data = read_package(MINIMAL)
    store.import_data(data, actor="a")
    del data.indicators["ventetid"]
    del data.observations["ventetid"]
    data.periods["2026-01"] = data.periods["2026-01"].model_copy(update={"key_figures": []})
    summary = store.import_data(data, actor="b")
    assert "indicator:ventetid" in summary.removed
    assert summary.observations_removed == 3
    loaded = store.load()
    assert "ventetid" not in loaded.indicators and "ventetid" not in loaded.observations


def test_a_failure_in_the_middle_of_an_import_leaves_the_store_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = read_package(MINIMAL)
    store.import_data(data, actor="a")
    before = snapshot(store)

    changed = copy.deepcopy(data)
    changed.observations["andel-digital"].values[0] = 41.0
    changed.indicators["ventetid"] = changed.indicators["ventetid"].model_copy(update={"title": "Ny tittel"})

    from veikart.store import store as store_module

    calls = {"n": 0}
    original = store_module._Writer.sync_observations

    def failing(self, ind_id, table):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        original(self, ind_id, table)
        if calls["n"] == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(store_module._Writer, "sync_observations", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_data(changed, actor="b")
    assert snapshot(store) == before


def test_audit_trail_is_append_only_in_the_database(store: Store) -> None:
    store.import_data(read_package(MINIMAL), actor="a")
    for statement in ("UPDATE audit SET op = 'x'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(statement))
    assert len(store.audit_trail()) > 0


def test_only_one_current_document_per_key(store: Store) -> None:
    store.import_data(read_package(MINIMAL), actor="a")
    with pytest.raises(IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO document (framework_id, kind, key, position, doc, added_in, valid_from) "
                    "SELECT framework_id, kind, key, position, doc, added_in, valid_from FROM document "
                    "WHERE kind = 'framework'"
                )
            )


def test_unmigrated_store_says_what_to_do(store_url: str) -> None:
    with Store(store_url) as s, pytest.raises(StoreError, match="veikart init"):
        s.load()


def test_several_frameworks_need_a_choice(store: Store, tmp_path: Path) -> None:
    data = read_package(MINIMAL)
    store.import_data(data, actor="a")
    other = copy.deepcopy(data)
    other.framework = other.framework.model_copy(update={"id": "annen-plan"})
    store.import_data(other, actor="a")
    assert store.frameworks() == ["annen-plan", "test-plan"]
    with pytest.raises(StoreError, match="--framework"):
        store.load()
    assert store.load("annen-plan").framework.id == "annen-plan"
    with pytest.raises(StoreError, match="not in the database"):
        store.load("finnes-ikke")


def test_a_stored_document_this_version_refuses_is_a_message_naming_it(store: Store) -> None:
    """A document an earlier version stored with a number that is not finite (it admitted YAML's
    .inf): loading says which document and field, and what to do, instead of a traceback."""
    import json

    store.import_data(read_package(MINIMAL), actor="a")
    with store.engine.begin() as conn:
        doc = conn.execute(
            text("SELECT doc FROM document WHERE kind = 'indicator' AND key = 'andel-digital' AND valid_to IS NULL")
        ).scalar_one()
        data = json.loads(doc)
        data["natural_limit"]["upper"] = float("inf")
        conn.execute(
            text("UPDATE document SET doc = :doc WHERE kind = 'indicator' AND key = 'andel-digital' AND valid_to IS NULL"),
            {"doc": json.dumps(data)},
        )
    with pytest.raises(StoreError) as err:
        store.load()
    message = str(err.value)
    assert "'andel-digital'" in message and "natural_limit.upper" in message and "import its package again" in message
