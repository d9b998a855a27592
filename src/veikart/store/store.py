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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, and_, create_engine, event, func, insert, or_, select, text, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import Framework, Indicator, ReportingPeriod
from veikart.i18n import N_
from veikart.store.errors import StoreError
from veikart.store.schema import audit, changeset, document, observation

__all__ = ["AuditEntry", "ImportSummary", "Store", "StoreError", "normalise_url"]

_MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest migration in migrations/versions (tests/store check it against Alembic's head)
SCHEMA_HEAD = "0001"
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
    def __init__(self, url: str, *, clock: Callable[[], datetime] = utcnow, echo: bool = False):
        self.url = normalise_url(url)
        self.clock = clock
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise StoreError(N_("cannot read the database URL {url!r}"), url=url) from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(self.url, echo=echo, future=True)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise StoreError(N_("unsupported database URL {url!r}: {error}"), url=url, error=str(exc)) from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema ----------------------------------------------------------------------------

    def _alembic(self, conn: Connection) -> Any:
        from alembic.config import Config  # Alembic only where the schema changes: it takes 0.5 s to import

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            if "connect" in str(exc.orig).lower() or "unable to open" in str(exc.orig).lower():
                raise StoreError(N_("cannot connect to the database: {error}"), error=str(exc.orig).strip()) from None
            raise

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self._connect() as conn, conn.begin():
            yield conn

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creating it in an empty database)."""
        from alembic import command

        with self._begin() as conn:
            command.upgrade(self._alembic(conn), "head")

    def revision(self) -> str | None:
        """The schema's migration, read from Alembic's version table (None: no schema yet)."""
        with self._connect() as conn:
            if not sa_inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def head(self) -> str | None:
        """The newest migration the code knows (SCHEMA_HEAD; a test holds it to Alembic's)."""
        return SCHEMA_HEAD

    def check_ready(self) -> None:
        rev = self.revision()
        if rev is None:
            raise StoreError(N_("the database is empty; run `veikart init` first"))
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
    def _known(table: Any, as_of: datetime | None) -> Any:
        if as_of is None:
            return table.c.removed_in.is_(None)
        return and_(table.c.valid_from <= as_of, or_(table.c.valid_to.is_(None), table.c.valid_to > as_of))

    def load(self, framework_id: str | None = None, *, as_of: datetime | None = None) -> FrameworkData:
        """The framework as it stands now, or as it was known at `as_of` (UTC)."""
        fid = self.resolve_framework(framework_id)
        with self._connect() as conn:
            docs = conn.execute(
                select(document.c.kind, document.c.key, document.c.doc)
                .where(document.c.framework_id == fid, self._known(document, as_of))
                .order_by(document.c.kind, document.c.position, document.c.key)
            ).all()
            fw_docs = [d for d in docs if d.kind == "framework"]
            if not fw_docs:
                raise StoreError(N_("framework {fid!r} was not yet known at {when}"), fid=fid, when=f"{as_of:%Y-%m-%d %H:%M}")
            data = FrameworkData(_stored(Framework, "framework", fid, fw_docs[0].doc))
            for d in docs:
                if d.kind == "indicator":
                    data.indicators[d.key] = _stored(Indicator, d.kind, d.key, d.doc)
                elif d.kind == "period":
                    data.periods[d.key] = _stored(ReportingPeriod, d.kind, d.key, d.doc)
            rows = conn.execute(
                select(observation.c.indicator_id, *[observation.c[c] for c in _OBS_COLUMNS])
                .where(observation.c.framework_id == fid, self._known(observation, as_of))
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

    def import_data(self, data: FrameworkData, *, actor: str, action: str = "import") -> ImportSummary:
        """Make the store hold exactly `data` for its framework, all or nothing."""
        self.check_ready()
        fid = data.framework.id
        now = self.clock()
        summary = ImportSummary(fid, None)
        try:
            self._import(data, actor, action, now, summary)
        except _Unchanged:
            summary.changeset_id = None  # nothing changed: the transaction left no trace
        return summary

    def _import(self, data: FrameworkData, actor: str, action: str, now: datetime, summary: ImportSummary) -> None:
        fid = data.framework.id
        with self._begin() as conn:
            cs = conn.execute(
                insert(changeset).values(at=now, actor=actor, action=action, framework_id=fid, summary="")
            ).inserted_primary_key[0]
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
                dict(
                    framework_id=self.fid,
                    kind=kind,
                    key=key,
                    position=position,
                    doc=doc,
                    added_in=self.cs,
                    valid_from=self.now,
                )
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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
