"""The report's inline markup, in one place: one CommonMark reading for the web page and the deck.

One configured markdown-it-py instance (`_markdown`) reads every inline text; the HTML renderer
renders its tokens (`inline_markdown`), the PPTX renderer turns the same tokens into styled spans
(`spans` / `plain`), so both outputs mean the same by the same text:
**bold**, *italic*, _italic_ (CommonMark's rules: "2*3*4" italicises the 3), `code` (plain text
in the deck), backslash escapes, a newline is a line break (blank lines count as one in HTML,
where the text is inline; the deck keeps them as a gap and keeps edge spaces), bare
http(s) URLs become links, and [text](target) links to an absolute http(s) URL without spaces
or quotes (`safe_url`), mailto or a #fragment (in the deck: a jump to that slide). A link to
any other target (javascript:, data:, relative paths) keeps its text without the link, in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

__all__ = ["inline_markdown", "plain", "safe_url", "spans"]

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


def _safe_target(href: str) -> bool:
    if href.startswith("#"):
        return len(href) > 1
    if href[:7].lower() == "mailto:":
        return "@" in href and not any(c in href for c in ' "<>\\`') and not _CONTROL.search(href)
    return safe_url(href) is not None


def _unlink(state: StateCore) -> None:
    """A link to a target that is not safe keeps its text and loses the link."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        dropped: list[bool] = []
        for tok in block.children:
            if tok.type == "link_open":
                dropped.append(not _safe_target(str(tok.attrs.get("href", ""))))
                if dropped[-1]:
                    continue
            elif tok.type == "link_close" and dropped and dropped.pop():
                continue
            out.append(tok)
        block.children = out


def _prepare(text: str) -> str:
    """Blank lines count as one line break (the text is inline: a bullet, a cell, a caption)."""
    return _BLANK_LINES.sub("\n", text)


def _text_token(content: str) -> Token:
    t = Token("text", "", 0)
    t.content = content
    return t


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape", "newline", "autolink", "backticks"])
    # markdown-it-py's hook for restricting links (its typing sees a method): refusing a target
    # there would show the link's markup, so every target parses and `_unlink` drops unsafe ones
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.push("veikart_linkify", _linkify)
    md.core.ruler.push("veikart_unlink", _unlink)
    return md


def inline_markdown(text: str) -> Markup:
    """**bold**, *italic*, `code` and [links](https://...) to HTML; everything else escaped.

    Links may point to http(s), mailto or a #fragment in the same document; any other target
    (javascript:, data:, relative paths) keeps its text without the link. A newline is a line
    break; blank lines count as one (the text is inline: a bullet, a cell, a caption).
    """
    if not text:
        return Markup("")
    return Markup(_markdown().renderInline(_prepare(text.strip())).rstrip("\n"))


@dataclass(frozen=True)
class _Span:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # an http(s) or mailto address
    jump: str | None = None  # a slide id


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
    """The inline markup as styled spans of plain text, read by the same parser as the HTML."""
    text = _CONTROL.sub("", text)  # as written: "Kilde: " is a run, a blank line a gap in the deck
    if not text:
        return ()
    out: list[_Span] = []
    bold = italic = 0
    links: list[tuple[str | None, str | None]] = [(None, None)]
    for tok in _markdown().parseInline(text)[0].children or ():
        if tok.type in ("strong_open", "strong_close"):
            bold += tok.nesting
        elif tok.type in ("em_open", "em_close"):
            italic += tok.nesting
        elif tok.type == "link_open":
            href = str(tok.attrs["href"])
            links.append((None, unquote(href[1:])) if href.startswith("#") else (href, None))
        elif tok.type == "link_close":
            links.pop()
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(_Span("\n"))
        elif tok.content:  # text, code_inline
            link, jump = links[-1]
            out.append(_Span(tok.content, bold > 0, italic > 0, link, jump))
    return tuple(out)


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """The text without its markup."""
    return "".join(s.text for s in spans(text))
