"""A deterministic ZIP writer that takes entries already compressed.

Python's `zipfile` compresses while it writes and stamps entries with the files' times; the
open-data export needs neither: every entry is compressed once (in the worker that built the file,
or never again when the file did not change, by copying its compressed bytes out of the previous
archive) and carries a fixed timestamp, so the same files always give the same archive, byte for
byte. Archives are readable by any unzip tool and by `zipfile`; ZIP64 records are written only
where sizes or offsets need them.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["Entry", "compress", "read_entries", "write_zip"]

STORED, DEFLATED = 0, 8
#: 1980-01-01 00:00:00, the earliest DOS time: no build time leaks into the archive.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_UTF8 = 0x0800
_EXTERNAL = 0o100644 << 16  # a regular file, rw-r--r--
_MADE_BY = (3 << 8) | 45  # Unix, ZIP 4.5
#: Sizes and offsets from this on need ZIP64 records (a module constant so tests can lower it).
ZIP64_LIMIT = 0xFFFFFFFF
_ZIP64_COUNT = 0xFFFF


@dataclass(frozen=True, slots=True)
class Entry:
    """One archive member: its name, CRC-32, uncompressed size, method and compressed bytes."""

    name: str
    crc: int
    size: int
    method: int
    data: bytes


def compress(name: str, raw: bytes, level: int = 1) -> Entry:
    """Deflate `raw` (raw deflate stream, as ZIP stores it); stored as is if that is smaller."""
    crc = zlib.crc32(raw)
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = c.compress(raw) + c.flush()
    if len(packed) >= len(raw):
        return Entry(name, crc, len(raw), STORED, raw)
    return Entry(name, crc, len(raw), DEFLATED, packed)


def read_entries(path: Path) -> dict[str, Entry]:
    """The members of an archive with their compressed bytes, to be copied into a new one
    without compressing again. Raises OSError or `zipfile.BadZipFile` on a broken archive."""
    import zipfile

    out: dict[str, Entry] = {}
    with zipfile.ZipFile(path) as zf, open(path, "rb") as fh:
        for info in zf.infolist():
            fh.seek(info.header_offset)
            head = fh.read(30)
            if len(head) != 30 or head[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"{path}: bad local header of {info.filename}")
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            data = fh.read(info.compress_size)
            if len(data) != info.compress_size:
                raise zipfile.BadZipFile(f"{path}: {info.filename} is truncated")
            out[info.filename] = Entry(info.filename, info.CRC, info.file_size, info.compress_type, data)
    return out


def _zip64_extra(values: list[int]) -> bytes:
    return struct.pack("<HH", 0x0001, 8 * len(values)) + b"".join(struct.pack("<Q", v) for v in values)


def _write(fh: BinaryIO, entries: list[Entry]) -> None:
    central: list[bytes] = []
    offset = 0
    for e in entries:
        name = e.name.encode("utf-8")
        big = e.size >= ZIP64_LIMIT or len(e.data) >= ZIP64_LIMIT
        extra = _zip64_extra([e.size, len(e.data)]) if big else b""
        version = 45 if big else 20
        local = struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            version,
            _UTF8,
            e.method,
            _DOS_TIME,
            _DOS_DATE,
            e.crc,
            0xFFFFFFFF if big else len(e.data),
            0xFFFFFFFF if big else e.size,
            len(name),
            len(extra),
        )
        fh.write(local)
        fh.write(name)
        fh.write(extra)
        fh.write(e.data)
        c_values = ([e.size, len(e.data)] if big else []) + ([offset] if offset >= ZIP64_LIMIT else [])
        c_extra = _zip64_extra(c_values) if c_values else b""
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                _MADE_BY,
                45 if c_values else 20,
                _UTF8,
                e.method,
                _DOS_TIME,
                _DOS_DATE,
                e.crc,
                0xFFFFFFFF if big else len(e.data),
                0xFFFFFFFF if big else e.size,
                len(name),
                len(c_extra),
                0,
                0,
                0,
                _EXTERNAL,
                min(offset, 0xFFFFFFFF),
            )
            + name
            + c_extra
        )
        offset += len(local) + len(name) + len(extra) + len(e.data)
    cd_start = offset
    fh.writelines(central)
    cd_size = sum(len(r) for r in central)
    count = len(entries)
    if count >= _ZIP64_COUNT or cd_start >= ZIP64_LIMIT or cd_size >= ZIP64_LIMIT:
        end64 = cd_start + cd_size
        fh.write(
            struct.pack(
                "<4sQHHIIQQQQ", b"PK\x06\x06", 44, _MADE_BY, 45, 0, 0, count, count, cd_size, cd_start
            )
        )
        fh.write(struct.pack("<4sIQI", b"PK\x06\x07", 0, end64, 1))
    fh.write(
        struct.pack(
            "<4sHHHHIIH",
            b"PK\x05\x06",
            0,
            0,
            min(count, _ZIP64_COUNT),
            min(count, _ZIP64_COUNT),
            min(cd_size, 0xFFFFFFFF),
            min(cd_start, 0xFFFFFFFF),
            0,
        )
    )


def write_zip(path: Path, entries: Iterable[Entry]) -> None:
    """Write the entries, sorted by name, with fixed timestamps and permissions."""
    ordered = sorted(entries, key=lambda e: e.name)
    names = [e.name for e in ordered]
    if len(set(names)) != len(names):
        raise ValueError("duplicate names in archive")
    with open(path, "wb") as fh:
        _write(fh, ordered)
