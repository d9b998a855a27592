"""Writing the merged PDF: objects numbered first and set later, packed into object streams,
a cross-reference stream; PDF strings and numbers as pydyf writes them."""

from __future__ import annotations

import re
import zlib

#: Objects other than streams packed into one object stream of the merged PDF
_OBJECTS_PER_STREAM = 200


def _pdf_string(text: str) -> bytes:
    """A PDF text string as pydyf writes it (so that link targets and names compare equal)."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        return b"<" + (b"\xfe\xff" + text.encode("utf-16-be")).hex().encode("ascii") + b">"
    return b"(" + re.sub(rb"([\\()])", rb"\\\1", raw).replace(b"\r", b"\\r").replace(b"\n", b"\\n") + b")"


def _string_bytes(text: str) -> bytes:
    """The bytes a PDF string of `text` holds (name trees are sorted by them)."""
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return b"\xfe\xff" + text.encode("utf-16-be")


def _pdf_number(value: float) -> bytes:
    if float(value).is_integer():
        return b"%d" % int(value)
    return (f"{value:f}".rstrip("0")).encode("ascii")


class _Writer:
    """A PDF built object by object (numbers handed out first, bodies set later), written with
    its objects other than streams packed into compressed object streams, as WeasyPrint does."""

    def __init__(self) -> None:
        self.objects: list[tuple[bytes, bytes | None] | None] = [None]  # 0: the free list's head

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects) - 1

    def set(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.objects[number] = (body, stream)

    def add(self, body: bytes, stream: bytes | None = None) -> int:
        number = self.reserve()
        self.set(number, body, stream)
        return number

    def add_stream(self, data: bytes, extra: bytes = b"") -> int:
        packed = zlib.compress(data, 9)
        return self.add(b"<<%s/Filter /FlateDecode/Length %d>>" % (extra, len(packed)), packed)

    def write(self, root: int, info: int, identifier: bytes) -> bytes:
        out = [b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n"]
        position = len(out[0])
        entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}

        def emit(number: int, body: bytes, stream: bytes | None) -> None:
            nonlocal position
            if stream is not None:
                body = body + b"\nstream\n" + stream + b"\nendstream"
            chunk = b"%d 0 obj\n" % number + body + b"\nendobj\n"
            entries[number] = (1, position, 0)
            out.append(chunk)
            position += len(chunk)

        plain: list[tuple[int, bytes]] = []
        for number, obj in enumerate(self.objects):
            if number == 0:
                continue
            if obj is None:
                raise RuntimeError(f"object {number} was never written")
            body, stream = obj
            if stream is None:
                plain.append((number, body))
            else:
                emit(number, body, stream)
        following = len(self.objects)
        for start in range(0, len(plain), _OBJECTS_PER_STREAM):
            batch = plain[start : start + _OBJECTS_PER_STREAM]
            container = following
            following += 1
            index, bodies, offset = [], [], 0
            for i, (number, body) in enumerate(batch):
                entries[number] = (2, container, i)
                index.append(b"%d %d" % (number, offset))
                bodies.append(body)
                offset += len(body) + 1
            head = b" ".join(index) + b"\n"
            packed = zlib.compress(head + b"\n".join(bodies), 6)
            extra = b"<</Type /ObjStm/N %d/First %d/Filter /FlateDecode/Length %d>>"
            emit(container, extra % (len(batch), len(head), len(packed)), packed)
        xref = following
        entries[xref] = (1, position, 0)
        width = max(1, (position.bit_length() + 7) // 8)
        table = b"".join(
            bytes([kind]) + field.to_bytes(width, "big") + extra.to_bytes(2, "big")
            for kind, field, extra in (entries[i] for i in range(xref + 1))
        )
        packed = zlib.compress(table, 6)
        ident = identifier.hex().encode("ascii")
        trailer = b"<</Type /XRef/Size %d/W [1 %d 2]/Root %d 0 R/Info %d 0 R" % (xref + 1, width, root, info)
        trailer += b"/ID [<%s> <%s>]/Filter /FlateDecode/Length %d>>" % (ident, ident, len(packed))
        emit(xref, trailer, packed)
        out.append(b"startxref\n%d\n%%%%EOF\n" % entries[xref][1])
        return b"".join(out)
