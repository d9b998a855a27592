"""Use cases of the editor: apply a set of changes to a stored framework (one assessment edited,
one observation corrected, one ambition adopted) with the same versioning and audit rows as an
import, guarded by a revision per document (optimistic locking).

    editable = load_for_edit(ctx)
    ind = editable.data.indicators["ventetid"]
    changes = Changes(documents=[ind.model_copy(update={...})],
                      expected={"indicator:ventetid": editable.revisions.get("indicator:ventetid", 0)})
    apply_changes(ctx, changes)

The changed framework is validated by the one validator there is, the package reader (it is
written as a package to a temporary folder and read back), so an edit can never store what an
import would refuse. If someone else changed the framework meanwhile but none of the edited
documents, the edit is applied to the newer state (a few tries); if they changed an edited
document, the edit is refused with a message asking to reload.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from veikart.app.context import AppContext
from veikart.core.dataset import FrameworkData, ObservationTable, canonical_flags
from veikart.core.model import Flag, Framework, Indicator, Provenance, ReportingPeriod
from veikart.errors import UsageError
from veikart.i18n import N_

if TYPE_CHECKING:
    from veikart.store.store import ImportSummary

__all__ = ["Changes", "Editable", "ObservationEdit", "apply_changes", "load_for_edit"]

#: How often an edit is applied again to a newer state of the framework before giving up
TRIES = 3


@dataclass(frozen=True)
class ObservationEdit:
    """One observation set (added or corrected) or removed, by its series and period."""

    indicator: str
    period: str
    series: Mapping[str, str] = field(default_factory=dict)  # dimension -> value code; {} = total
    value: float | None = None
    n: int | None = None
    flags: frozenset[Flag] = frozenset()
    provenance: Provenance = Provenance.PUBLISHED
    source: str | None = None
    note: str | None = None
    remove: bool = False


@dataclass(frozen=True)
class Changes:
    """Documents to add or replace (a Framework, Indicators, ReportingPeriods), documents to
    remove ("indicator:ID", "period:ID"), observations to set or remove, and the revisions the
    editor saw of what it changed ("indicator:ID" -> n, "observations:ID" -> n; a document it
    created: 0)."""

    documents: Sequence[BaseModel] = ()
    removed: Sequence[str] = ()
    observations: Sequence[ObservationEdit] = ()
    expected: Mapping[str, int] = field(default_factory=dict)

    def touched(self) -> set[str]:
        keys = {f"{_kind(d)}:{_key(d)}" for d in self.documents}
        keys |= set(self.removed)
        keys |= {f"observations:{o.indicator}" for o in self.observations}
        return keys


@dataclass
class Editable:
    """A framework as the editor loads it: its data, each document's revision, and the change
    it was read at."""

    data: FrameworkData
    revisions: dict[str, int]
    base_change: int


def _kind(doc: BaseModel) -> str:
    if isinstance(doc, Framework):
        return "framework"
    if isinstance(doc, Indicator):
        return "indicator"
    if isinstance(doc, ReportingPeriod):
        return "period"
    raise TypeError(f"not a document of a framework: {type(doc).__name__}")


def _key(doc: BaseModel) -> str:
    key = getattr(doc, "id", None)
    if not isinstance(key, str):
        raise TypeError(f"a document without an id: {type(doc).__name__}")
    return key


def load_for_edit(ctx: AppContext, framework: str | None = None) -> Editable:
    """The framework as it stands, with its revisions, read at one change."""
    store = ctx.store()
    fid = store.resolve_framework(framework)
    for _ in range(TRIES):
        head = store.head_change(fid)
        data = store.load(fid)
        revisions = store.revisions(fid)
        if store.head_change(fid) == head:  # nothing came in while it was read
            return Editable(data, revisions, head)
    return Editable(data, revisions, store.head_change(fid))


def _applied(data: FrameworkData, changes: Changes) -> FrameworkData:
    """`data` with `changes` applied (a new object; `data` is left as it was)."""
    framework = data.framework
    indicators = dict(data.indicators)
    periods = dict(data.periods)
    observations = dict(data.observations)
    for doc in changes.documents:
        kind = _kind(doc)
        if kind == "framework":
            if _key(doc) != framework.id:
                raise UsageError(
                    N_("an edit cannot change the framework's id ({old} -> {new})"), old=framework.id, new=_key(doc)
                )
            framework = doc  # type: ignore[assignment]
        elif kind == "indicator":
            indicators[_key(doc)] = doc  # type: ignore[assignment]
        else:
            periods[_key(doc)] = doc  # type: ignore[assignment]
    for ref in changes.removed:
        kind, _, key = ref.partition(":")
        if kind == "indicator" and key in indicators:
            del indicators[key]
            observations.pop(key, None)
        elif kind == "period" and key in periods:
            del periods[key]
        else:
            raise UsageError(N_("{ref} is not a document of the framework; nothing to remove"), ref=ref)
    by_indicator: dict[str, list[ObservationEdit]] = {}
    for o in changes.observations:
        by_indicator.setdefault(o.indicator, []).append(o)
    for ind_id, edits in by_indicator.items():
        ind = indicators.get(ind_id)
        if ind is None:
            raise UsageError(N_("indicator {id!r} is not in the framework"), id=ind_id)
        observations[ind_id] = _edited_table(ind, observations.get(ind_id), edits)
    return FrameworkData(framework, indicators, observations, periods)


def _edited_table(ind: Indicator, old: ObservationTable | None, edits: list[ObservationEdit]) -> ObservationTable:
    dims = tuple(d.id for d in ind.dimensions)
    rows: dict[tuple[tuple[str, ...], str], tuple] = {}
    if old is not None:
        for i in range(len(old)):
            row = old.row(i)
            rows[(row[0], row[1])] = row
    for e in edits:
        unknown = set(e.series) - set(dims)
        if unknown:
            raise UsageError(
                N_("indicator {id!r} has no dimension {dims}; it has: {known}"),
                id=ind.id,
                dims=", ".join(sorted(unknown)),
                known=", ".join(dims) or "-",
            )
        key = tuple(e.series.get(d, "") for d in dims)
        if e.remove:
            if rows.pop((key, e.period), None) is None:
                raise UsageError(
                    N_("indicator {id!r} has no observation for {period} in that series; nothing to remove"),
                    id=ind.id,
                    period=e.period,
                )
            continue
        flags = canonical_flags(set(e.flags))
        rows[(key, e.period)] = (key, e.period, e.value, e.n, flags, e.provenance.value, e.source or "", e.note or "")
    table = ObservationTable(ind.id, dims)
    for row in rows.values():
        table.append(*row)
    return table


def _validated(data: FrameworkData) -> FrameworkData:
    """The data as the package reader reads them: every rule an import holds them to, checked
    by the same code; PackageInvalid (each problem with its document and field) otherwise."""
    from veikart.app.framework import read_package
    from veikart.package.writer import render_package

    with tempfile.TemporaryDirectory(prefix="veikart-edit-") as tmp:
        root = Path(tmp)
        for rel, text in render_package(data).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return read_package(root)


def apply_changes(ctx: AppContext, changes: Changes, framework: str | None = None, *, action: str = "edit") -> ImportSummary:
    """Apply `changes` to the stored framework, all or nothing, as one changeset by `ctx.actor`.

    Refused (UsageError, nothing written) when a changed document's revision is no longer the
    one in `changes.expected`, or when the result would not pass validation (PackageInvalid)."""
    from veikart.store.store import StaleBase

    touched = changes.touched()
    missing = sorted(touched - set(changes.expected))
    if missing:
        raise UsageError(
            N_("an edit must say which revision it changes of: {refs}"), refs=", ".join(missing)
        )
    for _ in range(TRIES):
        editable = load_for_edit(ctx, framework)
        stale = sorted(k for k in touched if editable.revisions.get(k, 0) != changes.expected[k])
        if stale:
            raise UsageError(
                N_("{refs} was changed by someone else since you read it; read it again and redo your change"),
                refs=", ".join(stale),
            )
        data = _validated(_applied(editable.data, changes))
        try:
            return ctx.store().import_data(data, actor=ctx.actor, action=action, base_change=editable.base_change)
        except StaleBase:
            continue  # someone changed other documents meanwhile: apply the edit to the newer state
    raise UsageError(N_("the framework is being changed by others all the time; try your edit again"))
