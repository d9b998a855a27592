"""The OOXML package: opening a template, its theme's body font, core properties, fast part
naming for python-pptx, and a normalised zip so equal decks are equal bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Emu

from veikart.report.document import (
    Report,
)
from veikart.report.pptx._style import CHAR_EMS, DEFAULT_CHAR_EM, SLIDE_H, SLIDE_W

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT




# --- the deck ----------------------------------------------------------------------------------


def _open(template: Path | None) -> tuple[PresentationT, bool]:
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
        return prs, False
    prs = Presentation(str(template))
    if prs.slide_width is None or prs.slide_height is None:  # <p:sldSz> is optional: ours then
        prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    ids = prs.slides._sldIdLst
    for sld in list(ids):  # the template's own slides go; its masters and layouts stay
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    return prs, True


def _body_font_em(prs: PresentationT) -> float:
    """The average character width of the theme's body (minor) font."""
    try:
        master = prs.slide_masters[0]
        theme = master.part.part_related_by(RT.THEME)
        root = parse_xml(theme.blob)
        latin = root.find(f".//{qn('a:minorFont')}/{qn('a:latin')}")
        face = (latin.get("typeface") if latin is not None else "") or ""
    except (KeyError, IndexError, ValueError, AttributeError):
        return DEFAULT_CHAR_EM
    return CHAR_EMS.get(face.strip().casefold(), DEFAULT_CHAR_EM)


def _report_datetime(report: Report, source_date_epoch: int | None) -> datetime:
    if source_date_epoch is not None:
        return datetime.fromtimestamp(int(source_date_epoch), UTC).replace(tzinfo=None)
    text = report.date_text or ""
    for pattern, order in ((r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"), (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd")):
        m = re.search(pattern, text)
        if m:
            a, b, c = (int(x) for x in m.groups())
            y, mo, d = (c, b, a) if order == "dmy" else (a, b, c)
            try:
                return datetime(y, mo, d)
            except ValueError:
                pass
    return datetime(2000, 1, 1)


def _set_core(prs: PresentationT, report: Report, when: datetime, lang_tag: str) -> None:
    cp = prs.core_properties
    cp.title = report.title[:255]
    cp.subject = report.subtitle[:255]
    cp.author = "veikart"
    cp.last_modified_by = "veikart"
    for attr in ("category", "comments", "content_status", "identifier", "keywords", "version"):
        setattr(cp, attr, "")
    cp.language = lang_tag
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1


class _PartNames:
    """python-pptx looks for a free part name (of a notes slide, of an image) and for an image
    already in the package by walking every relationship of the package, each time it adds one:
    quadratic in the deck (more than half the time of a deck of 261 slides). For one build,
    this keeps the part names in use and the images by SHA-1, and answers python-pptx's three
    questions from them, as python-pptx would (the same names, so the same deck)."""

    _MEDIA = re.compile(r"/ppt/media/image(\d+)\.")

    def __init__(self, package: Any):
        from pptx.parts.image import ImagePart

        self.package = package
        parts = list(package.iter_parts())
        self.names = {str(p.partname) for p in parts}
        self.images = {p.sha1: p for p in parts if isinstance(p, ImagePart) and hasattr(p, "sha1")}
        # instance attributes before the class's methods: python-pptx calls these on the package
        package.next_partname = self.next_partname
        package.next_image_partname = self.next_image_partname
        package.get_or_add_image_part = self.get_or_add_image_part

    def add(self, name: str) -> None:
        self.names.add(name)

    def next_partname(self, tmpl: str) -> Any:
        """python-pptx's OpcPackage.next_partname, from the names kept here."""
        from pptx.opc.packuri import PackURI

        prefix = tmpl[: (tmpl % 42).find("42")]
        taken = {n for n in self.names if n.startswith(prefix)}
        for n in range(len(taken) + 1, 0, -1):
            if tmpl % n not in taken:
                self.names.add(tmpl % n)
                return PackURI(tmpl % n)
        raise RuntimeError(f"no free part name for {tmpl}")  # pragma: no cover - as python-pptx

    def next_image_partname(self, ext: str) -> Any:
        """python-pptx's Package.next_image_partname: the first free number of any image."""
        from pptx.opc.packuri import PackURI

        used = {int(m.group(1)) for n in self.names if (m := self._MEDIA.match(n))}
        idx = next(i for i in range(1, len(used) + 2) if i not in used)
        name = f"/ppt/media/image{idx}.{ext}"
        self.names.add(name)
        return PackURI(name)

    def get_or_add_image_part(self, image_file: Any) -> Any:
        """python-pptx's Package.get_or_add_image_part: one part per distinct image."""
        from pptx.parts.image import Image, ImagePart

        image = Image.from_file(image_file)
        part = self.images.get(image.sha1)
        if part is None:
            part = self.images[image.sha1] = ImagePart.new(self.package, image)
        return part


#: Zip members already compressed (images): stored as they are, not deflated again
_STORED = (".png", ".jpg", ".jpeg", ".gif")


def _normalise_zip(data: bytes, when: datetime) -> bytes:
    """The same entries in a fixed order with a fixed time, so equal decks are equal bytes."""
    stamp = max(when, datetime(1980, 1, 1))
    stamp = min(stamp, datetime(2107, 12, 31, 23, 59, 58))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    src = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            stored = name.lower().endswith(_STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=None if stored else 6)
    return out.getvalue()
