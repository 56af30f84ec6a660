"""The one renderer of article text: block content (lxml nodes, or tokens of a walk) to plain text and the
canonical inline HTML of DESIGN.md "body_html".

Inside a block only text, ``<a href>`` (absolute http(s)), ``<strong>``, ``<em>`` and ``<br>`` are emitted, all
built here from an allowlist (text escaped); figures and videos have their one form too. Every layer (site
templates and the generic fallback) renders through this module; :mod:`.sanitize` guards the result.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

from .dom import absolute
from ..text import clean_text

_WS = re.compile(r"[\s\u200b\ufeff]+")

_STRONG = {"b", "strong"}
_EM = {"i", "em"}
# HTML tag vocabularies shared by every layer's walk.
# Never text, wherever they are: their content is dropped with them.
NOT_TEXT_TAGS = frozenset(
    "script style noscript template svg math iframe frame frameset object embed canvas button input select option "
    "optgroup textarea dialog link meta head title map area audio track "
    # AMP's ad, embed and tracking slots: their placeholder text ("Quảng cáo") is never the article's.
    "amp-ad amp-embed amp-analytics amp-auto-ads amp-sticky-ad amp-pixel".split())
# Media: rendered as figures by the block walks, never as text.
MEDIA_TAGS = frozenset("img picture video source".split())
# Tags that end a run of inline content and start a block (media aside).
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center col colgroup dd details dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main nav ol p pre section summary table "
    "tbody td tfoot th thead tr ul".split())
# Inside one block: what its inline rendering leaves out.
_DROP = NOT_TEXT_TAGS | MEDIA_TAGS | {"form"}


def esc_text(s: str) -> str:
    return escape(s, quote=False)


def esc_attr(s: str) -> str:
    return escape(s, quote=True).replace("&#x27;", "'")


@dataclass
class Inline:
    """The inline content of one block as plain text and as canonical HTML."""

    text: str
    html: str
    images: list = field(default_factory=list)  # <img> elements met inside the block
    videos: list = field(default_factory=list)


# The tokens of a block's content, as the renderer takes them: a str is text; a tuple is markup,
# ("open", markup[, url]), ("close", markup) or ("br", "<br>"). Markup None (a link without a usable href)
# renders nothing: its text stays, as text.
STRONG = ("open", "<strong>"), ("close", "</strong>")
EM = ("open", "<em>"), ("close", "</em>")
BR = ("br", "<br>")
LINK_CLOSE = ("close", "</a>")
NO_LINK_CLOSE = ("close", None)
# Inline tags kept as markup (all others keep only their text).
INLINE_MARKS = {"b": STRONG, "strong": STRONG, "i": EM, "em": EM}


def link_open(base: str, href: str | None) -> tuple:
    """The opening token of an <a>: its markup and absolute URL, or (None, None) without a usable href."""
    url = absolute(base, href)
    return ("open", f'<a href="{esc_attr(url)}">', url) if url else ("open", None, None)


class _Builder:
    __slots__ = ("tokens", "images", "videos", "base")

    def __init__(self, base: str):
        self.tokens: list = []
        self.images: list = []
        self.videos: list = []
        self.base = base

    def add_text(self, s: str | None):
        if s:
            self.tokens.append(s)

    def walk(self, el):
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            self.add_text(el.tail)
            return
        tag = tag.lower()
        if tag in _DROP:
            if tag == "img":
                self.images.append(el)
            elif tag == "video":
                self.videos.append(el)
            elif tag == "picture":
                self.images.extend(el.iter("img"))
            self.add_text(el.tail)
            return
        if tag == "br":
            self.tokens.append(BR)
        else:
            pair = INLINE_MARKS.get(tag)
            if pair is None and tag == "a":
                open_ = link_open(self.base, el.get("href"))
                pair = (open_, LINK_CLOSE) if open_[1] else None
            if pair:
                self.tokens.append(pair[0])
            self.add_text(el.text)
            for child in el:
                self.walk(child)
            if pair:
                self.tokens.append(pair[1])
        self.add_text(el.tail)

    def result(self) -> Inline:
        text, html = _finish(self.tokens)
        return Inline(text, html, self.images, self.videos)


def _balanced(tokens: list) -> list:
    """Tokens of a walk cut at block boundaries, made well-nested: a close without its open is dropped,
    an open left unclosed is closed at the end, and links without markup vanish (their text stays)."""
    out: list = []
    stack: list = []  # (markup name, index in out)
    for tok in tokens:
        if isinstance(tok, str):
            out.append(tok)
            continue
        kind, markup = tok[0], tok[1]
        if markup is None:
            continue
        if kind == "open":
            stack.append((markup[1:markup.index(">") if " " not in markup else markup.index(" ")], len(out)))
            out.append(tok)
        elif kind == "close":
            name = markup[2:-1]
            for j in range(len(stack) - 1, -1, -1):
                if stack[j][0] == name:
                    for k in range(len(stack) - 1, j, -1):  # close what was opened inside it first
                        out.append(("close", f"</{stack[k][0]}>"))
                    out.append(tok)
                    del stack[j:]
                    break
        else:
            out.append(tok)
    for name, _ in reversed(stack):
        out.append(("close", f"</{name}>"))
    return out


def render_tokens(tokens: list) -> Inline:
    """Text and canonical inline HTML of a block given as tokens (see INLINE_MARKS), e.g. by a page walk."""
    text, html = _finish(_balanced(tokens))
    return Inline(text, html)


def _finish(tokens: list) -> tuple[str, str]:
    """The block's text and inline HTML from well-nested tokens: whitespace collapsed across tag boundaries,
    the ends trimmed, empty marks and edge line breaks dropped, text escaped."""
    out: list = []
    space_pending = False
    started = False
    for tok in tokens:
        if isinstance(tok, str):
            s = _WS.sub(" ", tok)
            if not s:
                continue
            if s[0] == " ":
                space_pending = True
                s = s.lstrip(" ")
            if not s:
                continue
            if space_pending and started:
                out.append(" ")
            space_pending = s.endswith(" ")
            s = s.rstrip(" ")
            out.append(s)
            started = True
        else:
            kind = tok[0]
            if kind == "br":
                if started:
                    space_pending = False
                    out.append(tok)
            elif kind == "open":
                if space_pending and started:
                    out.append(" ")
                    space_pending = False
                out.append(tok)
            else:
                out.append(tok)
    # Empty tag pairs and edge <br>s dropped, then doubled or dangling spaces re-trimmed; a space moved out of
    # an element can leave it empty ("<b> <b></b></b>"): again until nothing changes.
    while True:
        before = list(out)
        out = _trimmed(_without_empty(out))
        if out == before:
            break
    text_parts = []
    html_parts = []
    for tok in out:
        if isinstance(tok, str):
            text_parts.append(tok)
            html_parts.append(esc_text(tok))
        else:
            if tok[0] == "br":
                text_parts.append(" ")
            html_parts.append(tok[1])
    text = clean_text("".join(text_parts))
    html = unicodedata.normalize("NFC", "".join(html_parts)).replace(" <br>", "<br>").replace("<br> ", "<br>")
    return text, html


def _without_empty(out: list) -> list:
    """Tokens without empty tag pairs and without leading or trailing <br>s."""
    changed = True
    while changed:
        changed = False
        for i in range(len(out) - 1):
            a, b = out[i], out[i + 1]
            if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == "open" and b[0] == "close":
                del out[i:i + 2]
                changed = True
                break
        while out and isinstance(out[-1], tuple) and out[-1][0] == "br":
            out.pop()
            changed = True
    while out and isinstance(out[0], tuple) and out[0][0] == "br":
        out.pop(0)
    return out


def _trimmed(out: list) -> list:
    """Tokens without doubled, leading or trailing spaces; a space never ends an element (it moves after the
    close tag) nor touches a <br>."""
    trimmed: list = []
    for tok in out:
        if tok == " " and (not trimmed or trimmed[-1] == " " or
                           (isinstance(trimmed[-1], tuple) and trimmed[-1][0] == "br")):
            continue
        if isinstance(tok, tuple) and tok[0] == "br" and trimmed and trimmed[-1] == " ":
            trimmed.pop()
        if isinstance(tok, tuple) and tok[0] == "close" and trimmed and trimmed[-1] == " ":
            trimmed[-1] = tok
            trimmed.append(" ")
            continue
        trimmed.append(tok)
    while trimmed and (trimmed[-1] == " " or (isinstance(trimmed[-1], tuple) and trimmed[-1][0] == "br")):
        trimmed.pop()
    return trimmed


def render_inline(el, base: str, include_self_text: bool = True) -> Inline:
    """Text and canonical inline HTML of el's content (el's own tag not emitted)."""
    if len(el) == 0 and include_self_text:  # plain text block (the common paragraph): no token pass
        t = clean_text(el.text)
        return Inline(t, esc_text(t))
    b = _Builder(base)
    if include_self_text:
        b.add_text(el.text)
    for child in el:
        b.walk(child)
    return b.result()


def render_nodes(nodes, base: str) -> Inline:
    """Inline content of a run of loose nodes: strings (text) and elements (with their tails)."""
    b = _Builder(base)
    for n in nodes:
        if isinstance(n, str):
            b.add_text(n)
        else:
            b.walk(n)
    return b.result()


def figure_html(url: str, alt: str, caption: str) -> str:
    cap = f"<figcaption>{esc_text(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{esc_attr(url)}" alt="{esc_attr(alt)}">{cap}</figure>'


def video_html(url: str) -> str:
    return f'<figure><video src="{esc_attr(url)}" controls></video></figure>'


