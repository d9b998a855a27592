"""The report's inline Markdown-lite as styled spans: **bold**, *italic*, [text](https://...) (http and
https only), [text](#slide-id) (a jump to another slide) and backslash escapes \\* \\[ \\] \\( \\) \\\\.

Used by the PPTX renderer (runs of a text frame) and for plain text (measuring, names, alt text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit


@dataclass(frozen=True)
class _Span:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # an http(s) address
    jump: str | None = None  # a slide id


_ESCAPES = {"\\\\": "\ue000", "\\*": "\ue001", "\\[": "\ue002", "\\]": "\ue003", "\\(": "\ue004", "\\)": "\ue005"}
_UNESCAPE = str.maketrans({v: k[1] for k, v in _ESCAPES.items()})
_ESCAPE_RE = re.compile(r"\\[\\*\[\]()]")
_INLINE = re.compile(
    r"\*\*(?P<b>.+?)\*\*"
    r"|(?<![*\w])\*(?P<i>[^\s*](?:[^*]*?[^\s*])?)\*(?![*\w])"
    r"|\[(?P<lt>[^\]]+)\]\((?P<lu>(?:[^()\s]|\([^()\s]*\))+)\)",
    re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_url(url: str) -> str | None:
    """The address if it is an absolute http(s) URL without spaces or quotes, else None."""
    if any(c in url for c in ' "<>\\`') or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[_Span, ...]:
    """Inline Markdown-lite as styled spans of plain text."""
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], _CONTROL.sub("", text))
    return tuple(s for s in _spans(text, _Span("")) if s.text)


def _spans(text: str, style: _Span) -> list[_Span]:
    out: list[_Span] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(replace(style, text=text[pos : m.start()].translate(_UNESCAPE)))
        if m.group("b") is not None:
            out += _spans(m.group("b"), replace(style, bold=True))
        elif m.group("i") is not None:
            out += _spans(m.group("i"), replace(style, italic=True))
        else:
            target = m.group("lu").translate(_UNESCAPE)
            inner = style
            if target.startswith("#") and len(target) > 1:
                inner = replace(style, jump=target[1:])
            elif safe_url(target):
                inner = replace(style, link=target)
            out += _spans(m.group("lt"), inner)  # any other target: the text without a link
        pos = m.end()
    if pos < len(text):
        out.append(replace(style, text=text[pos:].translate(_UNESCAPE)))
    return out


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """The text without its Markdown-lite markup."""
    return "".join(s.text for s in spans(text))
