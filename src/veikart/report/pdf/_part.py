"""Reading a part's PDF as WeasyPrint (pydyf) wrote it, and rewriting its object references."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

_MAGIC = b"%VKPART3 "


_TOKENS = re.compile(rb"\((?:\\.|[^\\)])*\)|(?<![\w.+-])(\d+) 0 R(?![\w])", re.DOTALL)
_STREAM_END = b"\nendstream\nendobj\n"
_STREAM_DICT_END = re.compile(rb"/Length (\d+)>>\nstream\n")


class _PartError(ValueError):
    pass


class _Part:
    """A part's PDF as WeasyPrint wrote it: objects by number, each a dictionary (or other
    value) and, for a stream, its data, untouched."""

    def __init__(self, key: str, blob: bytes):
        self.key = key
        if not blob.startswith(_MAGIC):
            raise _PartError("not a part")
        eol = blob.index(b"\n")
        meta = json.loads(blob[len(_MAGIC) : eol])
        self.pdf = blob[eol + 1 :]
        if hashlib.sha256(self.pdf).hexdigest() != meta["sha256"]:
            raise _PartError("damaged")
        self.pages_count: int = meta["pages"]
        self.anchors: dict[str, list[float]] = meta["anchors"]
        self.bookmarks: list[Any] = meta["bookmarks"]
        self.charts: list[list[Any]] = meta.get("charts", [])
        self._offsets = self._xref()
        root = self._ref(self.body(self._trailer_root), b"/Pages")
        self.pages_root = root
        kids = re.search(rb"/Kids \[([^\]]*)\]", self.body(root))
        if kids is None:
            raise _PartError("no /Kids")
        self.pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
        if len(self.pages) != self.pages_count:
            raise _PartError("page count")

    def _xref(self) -> dict[int, tuple[int, int]]:
        pdf = self.pdf
        tail = pdf[-64:]
        m = re.search(rb"startxref\n(\d+)\n%%EOF\n?$", tail)
        if m is None:
            raise _PartError("no startxref")
        xref = int(m.group(1))
        head = re.match(rb"xref\n0 (\d+)\n", pdf[xref : xref + 32])
        if head is None:
            raise _PartError("no classic xref table")
        count = int(head.group(1))
        table = pdf[xref + head.end() : xref + head.end() + 20 * count]
        starts = []
        for i in range(1, count):
            entry = table[20 * i : 20 * i + 20]
            if entry[17:18] == b"n":
                starts.append((int(entry[:10]), i))
        trailer = pdf[xref + head.end() + 20 * count :]
        root = re.search(rb"/Root (\d+) 0 R", trailer)
        if root is None:
            raise _PartError("no /Root")
        self._trailer_root = int(root.group(1))
        starts.sort()
        offsets = {}
        for j, (start, number) in enumerate(starts):
            end = starts[j + 1][0] if j + 1 < len(starts) else xref
            offsets[number] = (start, end)
        return offsets

    def object(self, number: int) -> tuple[bytes, bytes | None]:
        """An object's value (a stream's dictionary) and a stream's data (None if no stream)."""
        start, end = self._offsets[number]
        raw = self.pdf[start:end]
        header = b"%d 0 obj\n" % number
        if not raw.startswith(header):
            raise _PartError(f"object {number} is not where the table says")
        if raw.endswith(_STREAM_END):
            for m in _STREAM_DICT_END.finditer(raw, len(header)):
                if m.end() + int(m.group(1)) + len(_STREAM_END) == len(raw):
                    return raw[len(header) : m.end() - len(b"\nstream\n")], raw[
                        m.end() : len(raw) - len(_STREAM_END)
                    ]
        if not raw.endswith(b"\nendobj\n"):
            raise _PartError(f"object {number} does not end")
        return raw[len(header) : -len(b"\nendobj\n")], None

    def body(self, number: int) -> bytes:
        return self.object(number)[0]

    @staticmethod
    def _ref(body: bytes, key: bytes) -> int:
        m = re.search(re.escape(key) + rb" (\d+) 0 R", body)
        if m is None:
            raise _PartError(f"no {key.decode()}")
        return int(m.group(1))

    def page_entries(self, index: int) -> tuple[bytes, int, int, bytes]:
        """A page's dictionary, its content stream, its resources and its media box."""
        page = self.body(self.pages[index])
        box = re.search(rb"/MediaBox (\[[^\]]*\])", page)
        if box is None:
            raise _PartError("no /MediaBox")
        return page, self._ref(page, b"/Contents"), self._ref(page, b"/Resources"), box.group(1)


def _refs(data: bytes) -> list[int]:
    return [int(m.group(1)) for m in _TOKENS.finditer(data) if m.group(1) is not None]


def _renumber(data: bytes, mapping: Mapping[int, int]) -> bytes:
    def sub(m: re.Match[bytes]) -> bytes:
        if m.group(1) is None:
            return m.group(0)
        return b"%d 0 R" % mapping[int(m.group(1))]

    return _TOKENS.sub(sub, data)
