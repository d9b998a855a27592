"""The provenance line under a chart (its sources, seed or illustrative data, the vintage) and
the illustrative notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from veikart.core.dataset import ObservationTable
from veikart.core.model import Indicator, Provenance, Source
from veikart.core.publication import is_suppressed
from veikart.i18n import _, fmt_date
from veikart.i18n.labels import label
from veikart.views.charts._altair import _capital


def illustrative_notice() -> str:
    """'Illustrasjonsdata - ikke offisielle tall' (bokmål) / 'Illustrative data - not official figures'."""
    return _("Illustrative data - not official figures")

def _plotted_rows(table: ObservationTable | None) -> list[int]:
    """The rows a chart may show: those the publication rule keeps (veikart.core.publication)."""
    if table is None:
        return []
    return [i for i in range(len(table)) if table.values[i] is not None and not is_suppressed(table.flags[i])]


def _short(text: str) -> str:
    """'Statistisk sentralbyrå (SSB)' -> 'SSB': an abbreviation in trailing parentheses."""
    text = text.strip()
    if text.endswith(")") and "(" in text:
        inner = text[text.rindex("(") + 1 : -1].strip()
        if inner and len(inner) <= 12 and " " not in inner:
            return inner
    return text


def _source_name(src: Source) -> str:
    org = _short(src.organisation)
    name = _short(src.name) if src.name else ""
    return f"{org}/{name}" if name and name != org else org


@dataclass(frozen=True)
class _Provenance:
    line: str
    illustrative: bool


def _provenance(ind: Indicator, table: ObservationTable | None, vintage: str | date | None) -> _Provenance:
    """'Kilde: SSB/KPR. Illustrasjonsdata - ikke offisielle tall. Data slik de var kjent ...'.

    The sources are those the plotted rows name, else the indicator's own."""
    rows = _plotted_rows(table)
    kinds = {table.provenance[i] for i in rows} if table is not None else set()
    ids = dict.fromkeys(table.source[i] for i in rows if table.source[i]) if table is not None else {}
    names = [_source_name(src) if (src := ind.source(sid)) is not None else sid for sid in ids]
    names = list(dict.fromkeys(names or [_source_name(s) for s in ind.sources]))
    parts: list[str] = []
    if names:
        parts.append(f"{_('Source') if len(names) == 1 else _('Sources')}: {'; '.join(names)}.")
    if Provenance.SEED.value in kinds:
        parts.append(_capital(label(Provenance.SEED)) + ".")
    illustrative = Provenance.ILLUSTRATIVE.value in kinds
    if illustrative:
        parts.append(illustrative_notice() + ".")
    if vintage:
        when = fmt_date(vintage) if isinstance(vintage, date) else vintage
        parts.append(_("Data as known on {date}.").format(date=when))
    return _Provenance(" ".join(parts), illustrative)
