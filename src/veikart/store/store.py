"""The store: frameworks with their whole history, in SQLite (default) or PostgreSQL.

- `import_data` makes the store hold exactly the given framework, in one transaction: either
  everything is written or nothing is.
- Nothing is overwritten: a changed document or observation closes the old row (valid_to) and
  adds a new one, so `load(as_of=D)` rebuilds what was known at D.
- Every change gets a changeset (who, when, what) and audit rows (old -> new); the audit table
  refuses updates and deletes in the database itself.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, and_, create_engine, event, func, insert, or_, select, text, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import PoolProxiedConnection

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import Framework, Indicator, ReportingPeriod
from veikart.i18n import N_, fmt_number
from veikart.store.errors import StoreError
from veikart.store.schema import audit, changeset, document, observation

__all__ = ["AuditEntry", "ImportSummary", "StaleBase", "Store", "StoreError", "mask_url", "normalise_url"]

_MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest migration in migrations/versions (tests/store check it against Alembic's head)
SCHEMA_HEAD = "0002"
#: Every migration the code knows, oldest first (a test holds it to Alembic's scripts): a store
#: at any other revision was made by a newer veikart.
KNOWN_REVISIONS = ("0001", "0002")
#: Seconds a writer waits for another writer (SQLite's busy timeout, PostgreSQL's lock_timeout).
LOCK_TIMEOUT = 30.0
_BACKENDS = ("sqlite", "postgresql")
_SCHEMA_LOCK = "(schema)"  # the lock of migrations: no framework id (a slug) looks like it
_KINDS: dict[str, type[BaseModel]] = {"framework": Framework, "indicator": Indicator, "period": ReportingPeriod}
_OBS_COLUMNS = ("seq", "series", "period", "value", "n", "flags", "provenance", "source", "note")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and bare file paths; use psycopg 3 for PostgreSQL."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, also when it cannot be parsed."""
    return re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", url)


@dataclass
class ImportSummary:
    framework_id: str
    changeset_id: int | None
    created: list[str] = field(default_factory=list)  # "indicator:x"
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    observations_added: int = 0
    observations_revised: int = 0
    observations_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.removed
            or self.observations_added
            or self.observations_revised
            or self.observations_removed
        )


@dataclass(frozen=True)
class AuditEntry:
    changeset_id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    op: str
    old: Any
    new: Any


def _doc_json(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


def _series_key(key: tuple[str, ...]) -> str:
    return "|".join(key)



def _stored(model: Any, kind: str, key: str, text: str) -> Any:
    """A stored document as its model. One that this version's rules refuse (written by an
    earlier version: a number that is not finite, say) is a message, not a traceback."""
    from pydantic import ValidationError

    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "-"
        raise StoreError(
            N_(
                "the stored {kind} {key!r} is refused by this version's rules ({field}: {problem}); "
                "import its package again with that value corrected (states before that import "
                "cannot be read with this version)"
            ),
            kind=kind,
            key=key,
            field=field,
            problem=first["msg"],
        ) from None

class Store:
    """A store at `url`. Opening one creates nothing: a missing SQLite file is created (with its
    folder) only by `migrate` (`veikart init`); every other use says there is no store there.

    Writers to one framework are serialised (`import_data` holds a lock on the framework from
    before it reads the state it compares against until it commits); a writer waits at most
    `lock_timeout` seconds for another, then gets a StoreError asking to try again."""

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], datetime] = utcnow,
        echo: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
    ):
        self.url = normalise_url(url)
        self.clock = clock
        self.lock_timeout = lock_timeout
        try:
            parsed = make_url(self.url)
        except (ArgumentError, ValueError):
            raise StoreError(N_("cannot read the database URL {url!r}"), url=mask_url(url)) from None
        backend = parsed.get_backend_name()
        if backend not in _BACKENDS:
            raise StoreError(
                N_("unsupported database URL {url!r}: veikart stores its data in SQLite (a file path) or PostgreSQL (postgresql://...)"),
                url=parsed.render_as_string(hide_password=True),
            )
        self.path: Path | None = None  # the SQLite file
        database = parsed.database
        if backend == "sqlite" and database and database != ":memory:":
            self.path = Path(database)
        connect_args: dict[str, Any] = {"timeout": lock_timeout} if backend == "sqlite" else {}
        try:
            self.engine: Engine = create_engine(self.url, echo=echo, future=True, connect_args=connect_args)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StoreError(
                N_("unsupported database URL {url!r}: {error}"), url=parsed.render_as_string(hide_password=True), error=str(exc)
            ) from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._finalizer = weakref.finalize(self, _shut, self.engine, self.path)

    def close(self) -> None:
        """Close every connection. A SQLite store's write-ahead log is first written into the
        database file, so the file alone is the whole store (a copy of it is a backup). A store
        not closed is closed so when the interpreter exits."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backup(self, target: Path) -> None:
        """A consistent copy of a SQLite store in the new file `target`, made with SQLite's
        backup API (safe while others read and write). PostgreSQL: use pg_dump."""
        if self.path is None:
            raise StoreError(
                N_("veikart backs up SQLite stores only; back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f FILE DBNAME)")
            )
        self._require_file()
        target = Path(target)
        if target.exists():
            raise StoreError(N_("{path} exists already; give the backup a new file name"), path=str(target))
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            dest = sqlite3.connect(partial)
            dest.execute("PRAGMA user_version").fetchone()  # opens the file now
        except sqlite3.Error as exc:
            raise StoreError(N_("cannot write the backup {path}: {error}"), path=str(target), error=str(exc)) from None
        try:
            raw = self.engine.raw_connection()
            try:
                _driver(raw).backup(dest)
            finally:
                raw.close()
            dest.close()
            partial.rename(target)
        except sqlite3.Error as exc:
            raise self._translate(exc) or exc from None
        except DBAPIError as exc:
            raise self._translate(exc.orig) or exc from None
        finally:
            dest.close()
            partial.unlink(missing_ok=True)

    # --- schema ----------------------------------------------------------------------------

    def _alembic(self, conn: Connection) -> Any:
        from alembic.config import Config  # Alembic only where the schema changes: it takes 0.5 s to import

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def _require_file(self) -> None:
        if self.path is not None and not self.path.exists():
            raise StoreError(N_("no store at {path}; run `veikart init` to create one"), path=str(self.path))

    def _translate(self, orig: BaseException | None, framework: str | None = None) -> StoreError | None:
        """The driver's error as a message naming the store and what to do (None: unknown)."""
        where = str(self.path) if self.path is not None else mask_url(self.url)
        text_ = str(orig or "").strip()
        low = text_.lower()
        sqlstate = getattr(orig, "sqlstate", None)
        if isinstance(orig, sqlite3.Error):
            if "not a database" in low:
                return StoreError(
                    N_("{path} is not a veikart store (not an SQLite database); give the path of a store, or a new path for `veikart init`"),
                    path=where,
                )
            if "malformed" in low or "corrupt" in low:
                return StoreError(
                    N_("the store {path} is damaged ({error}); restore it from a backup"), path=where, error=text_
                )
            if "locked" in low or "busy" in low:
                return StoreError(
                    N_("the store {path} is locked by another process; waited {seconds} s. Try again when the other command has finished"),
                    path=where,
                    seconds=fmt_number(self.lock_timeout),
                )
            if "readonly" in low or "read-only" in low:
                return StoreError(
                    N_("the store {path} is read-only; give the user write permission on the file and its folder, or work on a copy"),
                    path=where,
                )
            if "unable to open" in low or "disk i/o" in low:
                return StoreError(N_("cannot open the store {path}: {error}"), path=where, error=text_)
            return None
        if sqlstate == "55P03" and framework == _SCHEMA_LOCK:
            return StoreError(
                N_("another `veikart init` is changing the store's schema; waited {seconds} s. Try again when it has finished"),
                seconds=fmt_number(self.lock_timeout),
            )
        if sqlstate == "55P03":  # lock_not_available: lock_timeout ran out
            return StoreError(
                N_("framework {fid!r} is being changed by another import; waited {seconds} s. Try again when it has finished"),
                fid=framework or "-",
                seconds=fmt_number(self.lock_timeout),
            )
        if sqlstate in ("40001", "40P01") or (sqlstate == "23505" and "ux_document_current" in text_):
            return StoreError(
                N_("another change to framework {fid!r} happened at the same time; nothing was stored. Try again"),
                fid=framework or "-",
            )
        if sqlstate is None or sqlstate.startswith("08") or "connect" in low:
            return StoreError(N_("cannot connect to the database: {error}"), error=mask_url(text_))
        return None

    @contextmanager
    def _connect(self, framework: str | None = None) -> Iterator[Connection]:
        self._require_file()
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            mapped = self._translate(exc.orig, framework)
            if mapped is None:
                raise
            raise mapped from None

    @contextmanager
    def _begin(self, lock: str | None = None) -> Iterator[Connection]:
        """A transaction; `lock` (a framework id, or the schema) makes it a writer that holds
        that lock until it ends: SQLite's write lock (BEGIN IMMEDIATE), on PostgreSQL an
        advisory lock, both taken before the transaction reads anything."""
        with self._connect(lock) as conn:
            if lock is not None and conn.dialect.name == "sqlite":
                conn.execution_options(veikart_immediate=True)
            with conn.begin():
                if lock is not None and conn.dialect.name == "postgresql":
                    ms = max(1, int(self.lock_timeout * 1000))
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(hashtext('veikart'), hashtext(:key))"), {"key": lock}
                    )
                    conn.exec_driver_sql("SET LOCAL lock_timeout = DEFAULT")
                yield conn

    @contextmanager
    def _snapshot(self) -> Iterator[Connection]:
        """A read-only transaction that sees one state throughout (an import committing in the
        meantime is seen wholly or not at all)."""
        with self._connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creating it, and a SQLite file with its
        folder, where there is none)."""
        from alembic import command
        from alembic.util import CommandError

        if self.path is not None and not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            sqlite3.connect(self.path).close()  # an empty database
        rev = self.revision()
        if rev is not None and rev not in KNOWN_REVISIONS:
            raise self._newer(rev)
        try:
            with self._begin(lock=_SCHEMA_LOCK) as conn:
                command.upgrade(self._alembic(conn), "head")
        except CommandError as exc:
            raise StoreError(N_("cannot bring the store to the newest schema: {error}"), error=str(exc)) from None
        if self.path is not None:  # kept in the file: readers go on while a writer writes
            self._use_wal()

    def _use_wal(self) -> None:
        """Put a SQLite store in WAL mode (kept in the file, so once is enough). Switching needs
        the database to itself, and SQLite answers "locked" at once, without waiting, when
        another process is in a transaction: try again until the lock timeout."""
        import time

        deadline = time.monotonic() + self.lock_timeout
        raw = self.engine.raw_connection()
        try:
            conn = _driver(raw)
            while conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                        raise self._translate(exc) or exc from None
                    time.sleep(0.05)
        finally:
            raw.close()

    def _newer(self, rev: str) -> StoreError:
        return StoreError(
            N_("the store is at migration {rev}, which this veikart does not know: it was made by a newer veikart. Use that version, or upgrade veikart"),
            rev=rev,
        )

    def revision(self) -> str | None:
        """The schema's migration, read from Alembic's version table (None: no schema yet,
        or no SQLite file: nothing is created here)."""
        if self.path is not None and not self.path.exists():
            return None
        with self._connect() as conn:
            if not sa_inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def head(self) -> str | None:
        """The newest migration the code knows (SCHEMA_HEAD; a test holds it to Alembic's)."""
        return SCHEMA_HEAD

    def check_ready(self) -> None:
        self._require_file()
        rev = self.revision()
        if rev is None:
            raise StoreError(N_("the database is empty; run `veikart init` first"))
        if rev not in KNOWN_REVISIONS:
            raise self._newer(rev)
        if rev != self.head():
            raise StoreError(
                N_("the database is at migration {rev}, the code expects {head}; run `veikart init`"), rev=rev, head=self.head()
            )

    # --- reading ---------------------------------------------------------------------------

    def frameworks(self) -> list[str]:
        self.check_ready()
        with self._connect() as conn:
            rows = conn.execute(
                select(document.c.framework_id)
                .where(document.c.kind == "framework", document.c.removed_in.is_(None))
                .order_by(document.c.framework_id)
            )
            return [r[0] for r in rows]

    def resolve_framework(self, framework_id: str | None) -> str:
        ids = self.frameworks()
        if framework_id is None:
            if len(ids) == 1:
                return ids[0]
            if not ids:
                raise StoreError(N_("the database holds no framework; run `veikart init` or `veikart import DIR`"))
            raise StoreError(
                N_("the database holds several frameworks ({ids}); choose one with --framework"), ids=", ".join(ids)
            )
        if framework_id not in ids:
            raise StoreError(
                N_("framework {fid!r} is not in the database; it holds: {ids}"), fid=framework_id, ids=", ".join(ids) or "-"
            )
        return framework_id

    @staticmethod
    def _known(table: Any, as_of: datetime | None, change: int | None = None) -> Any:
        if change is not None:
            return and_(table.c.added_in <= change, or_(table.c.removed_in.is_(None), table.c.removed_in > change))
        if as_of is None:
            return table.c.removed_in.is_(None)
        return and_(table.c.valid_from <= as_of, or_(table.c.valid_to.is_(None), table.c.valid_to > as_of))

    def changes(self, framework_id: str | None = None) -> list[tuple[int, datetime]]:
        """The framework's changesets (id, time), oldest first: its whole history."""
        fid = self.resolve_framework(framework_id)
        with self._connect() as conn:
            rows = conn.execute(
                select(changeset.c.id, changeset.c.at).where(changeset.c.framework_id == fid).order_by(changeset.c.id)
            )
            return [(r.id, r.at) for r in rows]

    def load(
        self, framework_id: str | None = None, *, as_of: datetime | None = None, change: int | None = None
    ) -> FrameworkData:
        """The framework as it stands now, as it was known at `as_of` (UTC), or as changeset
        `change` left it."""
        fid = self.resolve_framework(framework_id)
        with self._snapshot() as conn:
            docs = conn.execute(
                select(document.c.kind, document.c.key, document.c.doc)
                .where(document.c.framework_id == fid, self._known(document, as_of, change))
                .order_by(document.c.kind, document.c.position, document.c.key)
            ).all()
            fw_docs = [d for d in docs if d.kind == "framework"]
            if not fw_docs:
                if change is not None:
                    raise StoreError(N_("framework {fid!r} did not exist after change {cs}"), fid=fid, cs=change)
                raise StoreError(N_("framework {fid!r} was not yet known at {when}"), fid=fid, when=f"{as_of:%Y-%m-%d %H:%M}")
            data = FrameworkData(_stored(Framework, "framework", fid, fw_docs[0].doc))
            for d in docs:
                if d.kind == "indicator":
                    data.indicators[d.key] = _stored(Indicator, d.kind, d.key, d.doc)
                elif d.kind == "period":
                    data.periods[d.key] = _stored(ReportingPeriod, d.kind, d.key, d.doc)
            rows = conn.execute(
                select(observation.c.indicator_id, *[observation.c[c] for c in _OBS_COLUMNS])
                .where(observation.c.framework_id == fid, self._known(observation, as_of, change))
                .order_by(observation.c.indicator_id, observation.c.seq)
            )
            for ind_id, _seq, series, period, value, n, flags, prov, source, note in rows:
                table = data.observations.get(ind_id)
                if table is None:
                    ind = data.indicators.get(ind_id)
                    dims = tuple(d.id for d in ind.dimensions) if ind else ()
                    table = data.observations[ind_id] = ObservationTable(ind_id, dims)
                key = tuple(series.split("|")) if table.dimensions else ()
                table.append(key, period, value, n, flags, prov, source, note)
        return data

    def vintage(self, framework_id: str | None = None, *, as_of: datetime | None = None) -> datetime | None:
        """When the framework last changed, up to `as_of` (default: now): the data vintage."""
        fid = self.resolve_framework(framework_id)
        q = select(func.max(changeset.c.at)).where(changeset.c.framework_id == fid)
        if as_of is not None:
            q = q.where(changeset.c.at <= as_of)
        with self._connect() as conn:
            return conn.execute(q).scalar()

    def audit_trail(self, framework_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise StoreError(N_("the limit must be a whole number of 1 or more, got {limit}"), limit=limit)
        self.check_ready()
        q = (
            select(
                changeset.c.id,
                changeset.c.at,
                changeset.c.actor,
                changeset.c.action,
                audit.c.entity,
                audit.c.entity_id,
                audit.c.op,
                audit.c.old,
                audit.c.new,
            )
            .join(audit, audit.c.changeset_id == changeset.c.id)
            .order_by(changeset.c.id.desc(), audit.c.id.desc())
        )
        if framework_id is not None:
            q = q.where(changeset.c.framework_id == framework_id)
        if limit is not None:
            q = q.limit(limit)
        with self._connect() as conn:
            return [
                AuditEntry(
                    r.id,
                    r.at,
                    r.actor,
                    r.action,
                    r.entity,
                    r.entity_id,
                    r.op,
                    json.loads(r.old) if r.old else None,
                    json.loads(r.new) if r.new else None,
                )
                for r in conn.execute(q)
            ]

    # --- writing ---------------------------------------------------------------------------

    def import_data(
        self, data: FrameworkData, *, actor: str, action: str = "import", base_change: int | None = None
    ) -> ImportSummary:
        """Make the store hold exactly `data` for its framework, all or nothing: only what
        differs is written, as new versions with their audit rows.

        `base_change` (optimistic locking): the framework's newest changeset id when `data` was
        read from the store (0: the framework was not in it). If another change came in since,
        nothing is written and `StaleBase` is raised, so the caller can apply its edit to the
        newer state. An import of a whole package passes None: the package is the framework."""
        self.check_ready()
        fid = data.framework.id
        summary = ImportSummary(fid, None)
        try:
            self._import(data, actor, action, summary, base_change)
        except _Unchanged:
            summary.changeset_id = None  # nothing changed: the transaction left no trace
        return summary

    def head_change(self, framework_id: str | None = None) -> int:
        """The framework's newest changeset id (0: none): the token `import_data(base_change=)`
        compares."""
        fid = framework_id if framework_id is not None else self.resolve_framework(None)
        with self._connect() as conn:
            return conn.execute(select(func.max(changeset.c.id)).where(changeset.c.framework_id == fid)).scalar() or 0

    def revisions(self, framework_id: str | None = None) -> dict[str, int]:
        """Each document's and each indicator's observations' revision: how many changes the
        audit trail holds for it ("indicator:ventetid" -> 3, "observations:ventetid" -> 2,
        "framework:e-helse" -> 1). An editor shows a document with its revision and saves only
        if it is still the same (veikart.app.edit)."""
        fid = self.resolve_framework(framework_id)
        with self._connect() as conn:
            rows = conn.execute(
                select(audit.c.entity, audit.c.entity_id, func.count())
                .join(changeset, audit.c.changeset_id == changeset.c.id)
                .where(changeset.c.framework_id == fid)
                .group_by(audit.c.entity, audit.c.entity_id)
            )
            return {f"{entity}:{entity_id}": count for entity, entity_id, count in rows}

    def _import(
        self, data: FrameworkData, actor: str, action: str, summary: ImportSummary, base_change: int | None = None
    ) -> None:
        fid = data.framework.id
        with self._begin(lock=fid) as conn:
            if base_change is not None:
                head = conn.execute(select(func.max(changeset.c.id)).where(changeset.c.framework_id == fid)).scalar() or 0
                if head != base_change:
                    raise StaleBase(
                        N_("framework {fid!r} was changed by someone else since it was read (change {head}); read it again"),
                        fid=fid,
                        head=head,
                    )
            # The time is read under the lock, and never before the framework's last change:
            # the history read by time (as_of) is then the history read by change.
            last = conn.execute(select(func.max(changeset.c.at)).where(changeset.c.framework_id == fid)).scalar()
            now = self.clock()
            if last is not None and now < last:
                now = last
            key = conn.execute(
                insert(changeset).values(at=now, actor=actor, action=action, framework_id=fid, summary="")
            ).inserted_primary_key
            assert key is not None, "an INSERT of one row into a table with a key returns it"
            cs = key[0]
            summary.changeset_id = cs
            ctx = _Writer(conn, fid, cs, now, summary)
            wanted: list[tuple[str, str, int, BaseModel]] = [("framework", fid, 0, data.framework)]
            wanted += [("indicator", k, i, m) for i, (k, m) in enumerate(data.indicators.items())]
            wanted += [("period", k, i, m) for i, (k, m) in enumerate(data.periods.items())]
            ctx.sync_documents(wanted)
            current_obs = ctx.current_observation_indicators()
            for ind_id, table in data.observations.items():
                ctx.sync_observations(ind_id, table)
            for ind_id in sorted(current_obs - set(data.observations)):
                ctx.sync_observations(ind_id, ObservationTable(ind_id, ()))
            if not summary.changed:
                raise _Unchanged
            conn.execute(
                update(changeset).where(changeset.c.id == cs).values(summary=_summary_text(summary))
            )


class StaleBase(StoreError):
    """`import_data(base_change=...)`: the framework changed since the data were read."""


class _Unchanged(Exception):
    """Raised inside an import's transaction to roll it back when nothing changed."""


def _summary_text(s: ImportSummary) -> str:
    return json.dumps(
        {
            "created": len(s.created),
            "updated": len(s.updated),
            "removed": len(s.removed),
            "observations_added": s.observations_added,
            "observations_revised": s.observations_revised,
            "observations_removed": s.observations_removed,
        }
    )


class _Writer:
    """The steps of one import inside its transaction."""

    def __init__(self, conn: Connection, fid: str, cs: int, now: datetime, summary: ImportSummary):
        self.conn, self.fid, self.cs, self.now, self.summary = conn, fid, cs, now, summary
        self._pending_docs: list[dict[str, Any]] = []

    def _audit(self, entity: str, entity_id: str, op: str, old: Any, new: Any) -> None:
        self.conn.execute(
            insert(audit).values(
                changeset_id=self.cs,
                entity=entity,
                entity_id=entity_id,
                op=op,
                old=None if old is None else (old if isinstance(old, str) else json.dumps(old, ensure_ascii=False)),
                new=None if new is None else (new if isinstance(new, str) else json.dumps(new, ensure_ascii=False)),
            )
        )

    def _close(self, table: Any, ids: list[int]) -> None:
        for start in range(0, len(ids), 5000):
            self.conn.execute(
                update(table)
                .where(table.c.id.in_(ids[start : start + 5000]))
                .values(removed_in=self.cs, valid_to=self.now)
            )

    def sync_documents(self, wanted: list[tuple[str, str, int, BaseModel]]) -> None:
        rows = self.conn.execute(
            select(document.c.id, document.c.kind, document.c.key, document.c.position, document.c.doc).where(
                document.c.framework_id == self.fid, document.c.removed_in.is_(None)
            )
        ).all()
        current = {(r.kind, r.key): r for r in rows}
        to_close: list[int] = []
        for kind, key, position, model in wanted:
            doc = _doc_json(model)
            old = current.pop((kind, key), None)
            if old is not None and old.doc == doc:
                if old.position != position:  # order only; not a change of content
                    self.conn.execute(update(document).where(document.c.id == old.id).values(position=position))
                continue
            if old is not None:
                to_close.append(old.id)
                self.summary.updated.append(f"{kind}:{key}")
                self._audit(kind, key, "update", old.doc, doc)
            else:
                self.summary.created.append(f"{kind}:{key}")
                self._audit(kind, key, "create", None, doc)
            self._pending_docs.append(
                {
                    "framework_id": self.fid,
                    "kind": kind,
                    "key": key,
                    "position": position,
                    "doc": doc,
                    "added_in": self.cs,
                    "valid_from": self.now,
                }
            )
        for (kind, key), old in sorted(current.items()):
            to_close.append(old.id)
            self.summary.removed.append(f"{kind}:{key}")
            self._audit(kind, key, "delete", old.doc, None)
        self._close(document, to_close)  # close before insert: one current row per key
        if self._pending_docs:
            self.conn.execute(insert(document), self._pending_docs)

    _INSERT_COLUMNS = (
        "framework_id",
        "indicator_id",
        "seq",
        "series",
        "period",
        "value",
        "n",
        "flags",
        "provenance",
        "source",
        "note",
        "added_in",
        "valid_from",
    )

    def _insert_observations(self, rows: list[tuple[Any, ...]]) -> None:
        """Many rows through the driver's own executemany: the ORM-free path keeps an import of
        100,000 observations within seconds (benchmarks/bench_import.py)."""
        dialect = self.conn.dialect
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        # The driver gets values as SQLAlchemy would bind them (same text form of timestamps).
        to_db = observation.c.valid_from.type.dialect_impl(dialect).bind_processor(dialect)
        if to_db is not None:
            stamp = to_db(self.now)
            rows = [(*r[:-1], stamp) for r in rows]
        sql = (
            f"INSERT INTO observation ({', '.join(self._INSERT_COLUMNS)}) "
            f"VALUES ({', '.join([marker] * len(self._INSERT_COLUMNS))})"
        )
        self.conn.exec_driver_sql(sql, rows)

    def current_observation_indicators(self) -> set[str]:
        rows = self.conn.execute(
            select(observation.c.indicator_id)
            .where(observation.c.framework_id == self.fid, observation.c.removed_in.is_(None))
            .distinct()
        )
        return {r[0] for r in rows}

    def sync_observations(self, ind_id: str, table: ObservationTable) -> None:
        rows = self.conn.execute(
            select(observation.c.id, *[observation.c[c] for c in _OBS_COLUMNS]).where(
                observation.c.framework_id == self.fid,
                observation.c.indicator_id == ind_id,
                observation.c.removed_in.is_(None),
            )
        ).all()
        current = {(r.series, r.period): r for r in rows}
        new_rows: list[tuple[Any, ...]] = []
        to_close: list[int] = []
        revised: list[dict[str, Any]] = []
        for i in range(len(table)):
            key, period, value, n, flags, prov, source, note = table.row(i)
            series = _series_key(key)
            old = current.pop((series, period), None)
            if old is not None:
                if (old.value, old.n, old.flags, old.provenance, old.source, old.note) == (
                    value,
                    n,
                    flags,
                    prov,
                    source,
                    note,
                ):
                    if old.seq != i:
                        self.conn.execute(update(observation).where(observation.c.id == old.id).values(seq=i))
                    continue
                to_close.append(old.id)
                revised.append({"series": series, "period": period, "old": old.value, "new": value})
            new_rows.append(
                (self.fid, ind_id, i, series, period, value, n, flags, prov, source, note, self.cs, self.now)
            )
        removed = [
            {"series": s, "period": p, "old": r.value} for (s, p), r in sorted(current.items(), key=lambda kv: kv[0])
        ]
        to_close.extend(r.id for r in current.values())
        self._close(observation, to_close)
        if new_rows:
            self._insert_observations(new_rows)
        added = len(new_rows) - len(revised)
        self.summary.observations_added += added
        self.summary.observations_revised += len(revised)
        self.summary.observations_removed += len(removed)
        if added or revised or removed:
            self._audit(
                "observations",
                ind_id,
                "update",
                {"revised": revised, "removed": removed} if (revised or removed) else None,
                {"added": added, "revised": len(revised), "removed": len(removed)},
            )


def _driver(raw: PoolProxiedConnection) -> Any:
    """The driver's own connection (sqlite3's) under SQLAlchemy's pooled one."""
    conn = raw.driver_connection
    assert conn is not None, "a connection just taken from the pool is open"
    return conn


def _shut(engine: Engine, path: Path | None) -> None:
    """Checkpoint a SQLite store's log into its file (TRUNCATE: the log is emptied), then close
    every connection."""
    if path is not None and path.is_file():
        try:
            raw = engine.raw_connection()
            try:
                _driver(raw).execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        except (DBAPIError, sqlite3.Error):
            pass  # a reader holds the log, or the file is read-only: the data are safe in it
    engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver's own transaction handling (a BEGIN before the first write only) is off:
    # _sqlite_begin starts every transaction, so reads see one state and writers lock first.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("veikart_immediate") else "BEGIN")
