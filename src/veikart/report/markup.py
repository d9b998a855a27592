"""The report's inline Markdown-lite, in one place: how the web page and the deck read it.

- `inline_markdown` (the HTML renderer, the dashboard): markdown-it-py, CommonMark inline rules:
  **bold**, *italic*, _italic_, `code`, [text](target) to http(s), mailto or a #fragment (any
  other target stays visible as text), backslash escapes, bare http(s) URLs become links.
- `spans` / `plain` (the PPTX renderer, measuring): our own reading as styled spans: **bold**,
  *italic* (not inside a word: "2*3*4" stays as it is), [text](https://...) (http and https
  only) and [text](#slide-id), a jump to another slide; a link to any other target keeps its
  text without the link; backslash escapes \\* \\[ \\] \\( \\) \\\\.

Why two readings still: markdown-it-py tokens as spans give the same deck, byte for byte, for
every text of the bundled default report (784 texts, nb and en), but not for what the PPTX
renderer's tests pin: CommonMark makes "2*3*4" 2<em>3</em>4 and shows an unsafe link's markup,
where the deck keeps "2*3*4" and the link's text. Changing that is a product decision
(docs/architecture.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

__all__ = ["inline_markdown", "plain", "safe_url", "spans"]

_SAFE_LINK = re.compile(r"^(?:https?://|mailto:|#)", re.IGNORECASE)
_BARE_URL = re.compile(r"https?://[^\s<>\"'\]\[()]+", re.IGNORECASE)
_TRAILING = ".,;:!?»«'\"*_"
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def _linkify(state: StateCore) -> None:
    """Bare http(s) URLs in plain text become links (the seed lists its links as bare URLs)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        depth = 0
        for tok in block.children:
            if tok.type == "link_open":
                depth += 1
            elif tok.type == "link_close":
                depth -= 1
            if tok.type != "text" or depth > 0 or "://" not in tok.content:
                out.append(tok)
                continue
            text, pos = tok.content, 0
            for m in _BARE_URL.finditer(text):
                url = m.group(0).rstrip(_TRAILING)
                start, end = m.start(), m.start() + len(url)
                if len(url) <= len("https://"):
                    continue
                if start > pos:
                    out.append(_text_token(text[pos:start]))
                link = Token("link_open", "a", 1)
                link.attrs = {"href": state.md.normalizeLink(url)}
                out += [link, _text_token(url), Token("link_close", "a", -1)]
                pos = end
            if pos < len(text):
                out.append(_text_token(text[pos:]))
        block.children = out


def _text_token(content: str) -> Token:
    t = Token("text", "", 0)
    t.content = content
    return t


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape", "newline", "autolink", "backticks"])
    # markdown-it-py's documented way to restrict links; its typing sees a method, not a hook
    md.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]
    md.core.ruler.push("veikart_linkify", _linkify)
    return md


def inline_markdown(text: str) -> Markup:
    """**bold**, *italic*, `code` and [links](https://...) to HTML; everything else escaped.

    Links may point to http(s), mailto or a #fragment in the same document; any other target
    (javascript:, data:, relative paths) stays visible as plain text. A newline is a line
    break; blank lines count as one (the text is inline: a bullet, a cell, a caption).
    """
    if not text:
        return Markup("")
    text = _BLANK_LINES.sub("\n", text.strip())
    return Markup(_markdown().renderInline(text).rstrip("\n"))


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
