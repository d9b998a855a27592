"""Which parts to lay out when: the slides that link to others (the contents) after their
targets, with the targets' page numbers, until those settle; the footers last."""

from __future__ import annotations

import html as _html
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from veikart.report.document import Report
from veikart.report.html import PrintParts, build_print_footer
from veikart.report.pdf._merge import _FOOTER_CHUNK
from veikart.report.pdf._part import _Part
from veikart.report.pdf._workers import _Layouts

#: Parts laid out at most this often while their page numbers settle (normally once)
_MAX_LAYOUTS = 3


_LOG = logging.getLogger("veikart.report.pdf")  # the package's logger, as before the split


_ID = re.compile(r'\sid="([^"]*)"')
_HREF = re.compile(r'(<a\s[^>]*?\bhref="#([^"]*)")')


def _fragment(value: str) -> str:
    return unquote(_html.unescape(value))


def _with_page_numbers(page: str, numbers: Mapping[str, int], targets: list[str]) -> str:
    """A part that links to other parts: each link to a known target gets data-page="N", and
    an empty element stands in for each target elsewhere, so that WeasyPrint keeps the link
    (and does not warn); the merge points the link at the target's page."""

    def number(m: re.Match[str]) -> str:
        target = _fragment(m.group(2))
        if target not in numbers:
            return m.group(1)
        return f'{m.group(1)} data-page="{numbers[target]}"'

    page = _HREF.sub(number, page)
    if targets:
        anchors = "".join(f'<span id="{_html.escape(t, quote=True)}"></span>' for t in targets)
        head, tail, rest = page.rpartition("</body>")
        if not tail:
            raise ValueError("a print part without </body>")
        page = f'{head}<div class="vk-link-targets" aria-hidden="true">{anchors}</div>\n{tail}{rest}'
    return page


class _Plan:
    """Which parts to lay out when: first the slides that link to no other slide, together with
    the footers of as many pages as there are slides; then the slides that do (the contents),
    with the page numbers of their targets, until those numbers settle; then the footers of
    the pages still missing."""

    def __init__(self, report: Report, doc: PrintParts, layouts: _Layouts | None):
        self.report = report
        self.doc = doc
        self.layouts = layouts
        self.n = n = len(doc.parts)
        self.names = [name or "(head)" for name in doc.names]
        ids = [{_html.unescape(v) for v in _ID.findall(p)} for p in doc.parts]
        self.links = [{_fragment(m.group(2)) for m in _HREF.finditer(p)} for p in doc.parts]
        self.owner: dict[str, int] = {}
        for i, found in enumerate(ids):
            for name in sorted(found):
                self.owner.setdefault(name, i)
        # each part's links to ids in other parts
        self.elsewhere = [
            sorted(t for t in self.links[i] if t in self.owner and t not in ids[i]) for i in range(n)
        ]
        self.dependent = [i for i in range(n) if self.elsewhere[i]]
        self.laid: dict[int, _Part] = {}
        self.footers: dict[int, _Part] = {}

    def owned(self) -> list[set[str]]:
        out: list[set[str]] = [set() for _ in range(self.n)]
        for name, i in self.owner.items():
            out[i].add(name)
        return out

    def _footer_jobs(self, pages: int) -> dict[Any, tuple[str, str]]:
        jobs = {}
        for chunk in range(-(-pages // _FOOTER_CHUNK)):
            if chunk not in self.footers:
                numbers = range(chunk * _FOOTER_CHUNK + 1, (chunk + 1) * _FOOTER_CHUNK + 1)
                page = build_print_footer(self.report, numbers, first_is_title=self.doc.first_is_title)
                jobs[("footer", chunk)] = (f"(footer {numbers[0]}-{numbers[-1]})", page)
        return jobs

    def _run(self, jobs: dict[Any, tuple[str, str]]) -> None:
        assert self.layouts is not None, "a plan made only to read its parts lays nothing out"
        for part, laid in self.layouts(jobs).items():
            if isinstance(part, tuple):
                self.footers[part[1]] = laid
            else:
                self.laid[part] = laid

    def _numbers(self) -> dict[str, int]:
        """Page numbers (from 1) of the link targets of the dependent parts, from what is laid
        out so far (a part not laid out yet counts one page)."""
        offsets, total = [], 0
        for i in range(self.n):
            offsets.append(total)
            total += self.laid[i].pages_count if i in self.laid else 1
        out = {}
        for i in self.dependent:
            for target in self.links[i]:
                if target in self.owner:
                    j = self.owner[target]
                    page = int(self.laid[j].anchors.get(target, [0])[0]) if j in self.laid else 0
                    out[target] = offsets[j] + page + 1
        return out

    def lay_out(self) -> tuple[list[_Part], list[_Part]]:
        doc = self.doc
        independent = {i: (self.names[i], doc.parts[i]) for i in range(self.n) if not self.elsewhere[i]}
        self._run({**independent, **self._footer_jobs(self.n)})
        if self.dependent:
            shown = self._numbers()
            for _ in range(_MAX_LAYOUTS):
                self._run(
                    {
                        i: (self.names[i], _with_page_numbers(doc.parts[i], shown, self.elsewhere[i]))
                        for i in self.dependent
                    }
                )
                now = self._numbers()
                if now == shown:
                    break
                shown = now
            else:
                _LOG.warning("the page numbers in the contents did not settle; some may be off by a page")
        parts = [self.laid[i] for i in range(self.n)]
        total = sum(p.pages_count for p in parts)
        self._run(self._footer_jobs(total))
        return parts, [self.footers[c] for c in range(-(-total // _FOOTER_CHUNK))]
