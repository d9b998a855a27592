"""Sentences of the alt texts that more than one chart kind writes."""

from __future__ import annotations

from collections.abc import Sequence

from veikart.core.assess import SeriesResult
from veikart.core.model import Indicator
from veikart.i18n import _
from veikart.views.explain import _change, _subject
from veikart.views.format import fmt_period, fmt_value


def _join(items: Sequence[str], limit: int = 8) -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(_("and {n} more").format(n=len(items) - limit))
    return ", ".join(shown)


def _change_sentence(ind: Indicator, s: SeriesResult) -> str:
    """What the series did, first to last: the explanations' own sentence (and translation)."""
    if len(s.values) > 1:
        return _change(ind, s, 0, len(s.values) - 1)
    return _("{subject} was {b} in {p1}.").format(
        subject=_subject(ind.unit), b=fmt_value(s.values[-1], ind.unit), p1=fmt_period(s.periods[-1])
    )
