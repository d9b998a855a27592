"""Damaged, locked, read-only, missing and foreign stores: a StoreError naming the store and what
to do, never a traceback; the SQLite file alone holds the store after it is closed; backups."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from tests.conftest import MINIMAL
from veikart.package.reader import read_package
from veikart.package.writer import render_package
from veikart.store.store import KNOWN_REVISIONS, Store, StoreError


def _changed():  # type: ignore[no-untyped-def]
    data = read_package(MINIMAL)
    data.framework = data.framework.model_copy(update={"title": "Endret tittel"})
    return data


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    with Store(str(path)) as s:
        s.migrate()
        s.import_data(read_package(MINIMAL), actor="a")
    return path


# --- 2. the file is the store ----------------------------------------------------------------


def test_after_close_the_sqlite_file_alone_holds_the_data(tmp_path: Path) -> None:
    """Another process keeps the store open (so SQLite's own checkpoint at the last close does
    not happen): closing our store still writes the log into the file."""
    path = tmp_path / "store.sqlite"
    with Store(str(path)) as s:
        s.migrate()
    other = sqlite3.connect(path)  # someone else has the store open
    other.execute("SELECT count(*) FROM changeset").fetchone()
    try:
        store = Store(str(path))
        store.import_data(read_package(MINIMAL), actor="a")
        store.close()
        copy = tmp_path / "copy.sqlite"
        shutil.copyfile(path, copy)  # the file alone, without -wal
    finally:
        other.close()
    with Store(str(copy)) as s:
        assert render_package(s.load()) == render_package(read_package(MINIMAL))


def test_backup_is_a_whole_store_and_refuses_to_overwrite(sqlite_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite"
    with Store(str(sqlite_store)) as s:
        s.backup(target)
        with pytest.raises(StoreError, match="exists already"):
            s.backup(target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left
    with Store(str(target)) as b:
        assert render_package(b.load()) == render_package(read_package(MINIMAL))


def test_backup_of_postgresql_says_pg_dump(pg_url: str, tmp_path: Path) -> None:
    with Store(pg_url) as s, pytest.raises(StoreError, match="pg_dump"):
        s.backup(tmp_path / "b")
    assert not (tmp_path / "b").exists()


# --- 7. a message, not a traceback -------------------------------------------------------------


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("dette er ikke en database\n" * 200, encoding="utf-8")
    for call in (lambda s: s.load(), lambda s: s.migrate(), lambda s: s.check_ready()):
        with Store(str(path)) as s, pytest.raises(StoreError) as err:
            call(s)
        assert str(path) in str(err.value) and "not a veikart store" in str(err.value)
        assert "dette er ikke" not in str(err.value)  # the file's contents are never shown


def test_a_truncated_store(sqlite_store: Path) -> None:
    raw = sqlite_store.read_bytes()
    sqlite_store.write_bytes(raw[: len(raw) // 2])
    with Store(str(sqlite_store)) as s, pytest.raises(StoreError) as err:
        s.load()
    assert str(sqlite_store) in str(err.value) and "damaged" in str(err.value) and "backup" in str(err.value)


def test_a_store_locked_by_another_process_waits_then_says_so(sqlite_store: Path) -> None:
    holder = sqlite3.connect(sqlite_store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the store
    try:
        with Store(str(sqlite_store), lock_timeout=0.2) as s:
            before = render_package(s.load())  # readers are not blocked
            with pytest.raises(StoreError) as err:
                s.import_data(_changed(), actor="b")
            assert str(sqlite_store) in str(err.value) and "locked by another process" in str(err.value)
    finally:
        holder.rollback()
        holder.close()
    with Store(str(sqlite_store)) as s:
        assert render_package(s.load()) == before


def test_a_postgresql_writer_waits_for_the_lock_then_says_so(pg_url: str) -> None:
    with Store(pg_url, lock_timeout=0.3) as s:
        s.migrate()
        s.import_data(read_package(MINIMAL), actor="a")
        before = render_package(s.load())
        holder = psycopg.connect(pg_url)  # another import of the same framework is running
        holder.execute("SELECT pg_advisory_xact_lock(hashtext('veikart'), hashtext('test-plan'))")
        try:
            with pytest.raises(StoreError) as err:
                s.import_data(_changed(), actor="b")
            assert "'test-plan' is being changed by another import" in str(err.value)
            assert "0.3 s" in str(err.value)
        finally:
            holder.rollback()
            holder.close()
        assert render_package(s.load()) == before


def _as_nobody(fn):  # type: ignore[no-untyped-def]
    """Run fn() in a forked child without root's rights (root may write a read-only file)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            if os.getuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            result = fn()
        except BaseException as exc:  # noqa: BLE001
            result = f"{type(exc).__name__}: {exc}"
        os.write(write, result.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        out = fh.read().decode()
    os.waitpid(pid, 0)
    return out


def test_a_read_only_store(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="veikart-ro-"))  # reachable by an unprivileged child
    try:
        folder.chmod(0o755)
        path = folder / "store.sqlite"
        with Store(str(path)) as s:
            s.migrate()
            s.import_data(read_package(MINIMAL), actor="a")
        path.chmod(0o444)
        store = Store(str(path))
        data = _changed()

        def attempt() -> str:
            try:
                store.import_data(data, actor="b")
            except StoreError as exc:
                return f"StoreError: {exc}"
            return "imported"

        outcome = _as_nobody(attempt)
        assert outcome.startswith("StoreError: ") and str(path) in outcome and "read-only" in outcome, outcome
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_an_unknown_migration_says_a_newer_veikart_made_the_store(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    assert "0042" not in KNOWN_REVISIONS
    for call in (store.check_ready, store.migrate, store.load):
        with pytest.raises(StoreError) as err:
            call()
        assert "0042" in str(err.value) and "newer veikart" in str(err.value)


@pytest.mark.parametrize(
    "url", ["mysql://anna:hemmelig@db.example/veikart", "oracle://anna:hemmelig@db.example/veikart", "mongodb://anna:hemmelig@x/y"]
)
def test_an_unsupported_url_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(StoreError) as err:
        Store(url)
    message = str(err.value)
    assert "unsupported database URL" in message and "SQLite" in message and "PostgreSQL" in message
    assert "hemmelig" not in message and "anna" in message


def test_an_unreadable_url_hides_its_password() -> None:
    with pytest.raises(StoreError) as err:
        Store("postgresql://anna:hemmelig@db.example:notaport/veikart")
    assert "hemmelig" not in str(err.value)


def test_audit_limit_must_be_positive(store: Store) -> None:
    store.import_data(read_package(MINIMAL), actor="a")
    for bad in (-5, 0):
        with pytest.raises(StoreError, match="whole number of 1 or more"):
            store.audit_trail(limit=bad)
    assert len(store.audit_trail(limit=2)) == 2


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "store.sqlite"
    store = Store(str(path))
    for call in (store.check_ready, store.load, store.frameworks, store.audit_trail):
        with pytest.raises(StoreError) as err:
            call()
        assert f"no store at {path}" in str(err.value) and "veikart init" in str(err.value)
    store.close()
    assert not (tmp_path / "no").exists()
    with Store(str(path)) as s:  # init creates it
        s.migrate()
    assert path.is_file()


def test_after_veikart_init_the_file_alone_is_the_store(tmp_path: Path) -> None:
    """The command line does not close its store itself: it is closed (the log checkpointed)
    when the process exits."""
    import subprocess
    import sys

    path = tmp_path / "store.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "veikart", "--lang", "en", "--db", str(path), "init"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(path, copy)
    with Store(str(copy)) as s:
        assert s.frameworks() and len(s.load().indicators) > 0


def test_a_backup_into_a_missing_folder_says_so(sqlite_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "backup.sqlite"
    with Store(str(sqlite_store)) as s, pytest.raises(StoreError) as err:
        s.backup(target)
    assert f"cannot write the backup {target}" in str(err.value)
    assert not (tmp_path / "no").exists()
