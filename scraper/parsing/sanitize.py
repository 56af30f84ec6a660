"""The canonical, safe form of article HTML (DESIGN.md "body_html"), built straight from the lxml tree.

Blocks are ``<p>``, ``<h2>``-``<h4>``, ``<ul>/<ol>`` of ``<li>``, ``<blockquote><p>``, and figures; inside a
block only text, ``<a href>``, ``<strong>``, ``<em>`` and ``<br>``. Everything is emitted by this module
from an allowlist (text escaped, only http(s) URLs), so nothing else can get through; ``nh3`` then runs
over the result as a final guard (:func:`guard`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

import nh3
from lxml import etree

from .dom import absolute
from .text import clean_text

_WS = re.compile(r"[\s\u200b\ufeff]+")

_STRONG = {"b", "strong"}
_EM = {"i", "em"}
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "form", "input", "button",
         "select", "textarea", "svg", "canvas", "audio", "video", "img", "picture", "source", "map", "head",
         "link", "meta", "title"}


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


class _Builder:
    __slots__ = ("tokens", "images", "videos", "base")

    def __init__(self, base: str):
        self.tokens: list = []  # str for text, tuple(kind, markup) for tags
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
            self.tokens.append(("br", "<br>"))
        else:
            open_, close = None, None
            if tag in _STRONG:
                open_, close = "<strong>", "</strong>"
            elif tag in _EM:
                open_, close = "<em>", "</em>"
            elif tag == "a":
                href = absolute(self.base, el.get("href"))
                if href:
                    open_, close = f'<a href="{esc_attr(href)}">', "</a>"
            if open_:
                self.tokens.append(("open", open_))
            self.add_text(el.text)
            for child in el:
                self.walk(child)
            if close:
                self.tokens.append(("close", close))
        self.add_text(el.tail)

    def result(self) -> Inline:
        # Collapse whitespace across tag boundaries, then trim the block's ends.
        out: list = []
        space_pending = False
        started = False
        for tok in self.tokens:
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
                kind, markup = tok
                if kind == "br":
                    if started:
                        space_pending = False
                        out.append(("br", markup))
                elif kind == "open":
                    if space_pending and started:
                        out.append(" ")
                        space_pending = False
                    out.append(tok)
                else:
                    out.append(tok)
        # Drop empty tag pairs and trailing <br>s.
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
        # Leading <br>s.
        while out and isinstance(out[0], tuple) and out[0][0] == "br":
            out.pop(0)
        if True:  # dropped pairs and <br>s may leave doubled or dangling spaces: re-trim
            trimmed: list = []
            for tok in out:
                if tok == " " and (not trimmed or trimmed[-1] == " " or
                                   (isinstance(trimmed[-1], tuple) and trimmed[-1][0] == "br")):
                    continue
                if isinstance(tok, tuple) and tok[0] == "br" and trimmed and trimmed[-1] == " ":
                    trimmed.pop()
                if isinstance(tok, tuple) and tok[0] == "close" and trimmed and trimmed[-1] == " ":
                    trimmed[-1] = tok  # a space never ends an element: it moves after the close tag
                    trimmed.append(" ")
                    continue
                trimmed.append(tok)
            while trimmed and (trimmed[-1] == " " or (isinstance(trimmed[-1], tuple) and trimmed[-1][0] == "br")):
                trimmed.pop()
            out = trimmed
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
        return Inline(text, html, self.images, self.videos)


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


_NH3_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "video",
             "a", "strong", "em", "br"}
_NH3_ATTRS = {"a": {"href"}, "img": {"src", "alt"}, "video": {"src", "controls"}}


def guard(html: str) -> str:
    """nh3 allowlist cleaning: the final guard over HTML this module built (a no-op on safe input)."""
    return nh3.clean(html, tags=_NH3_TAGS, attributes=_NH3_ATTRS, url_schemes={"http", "https"},
                     link_rel=None, strip_comments=True)


def is_safe(html: str) -> bool:
    """True when the guard leaves html unchanged up to attribute spelling (``controls`` vs ``controls=""``)."""
    return guard(html).replace(' controls=""', " controls") == html


def sanitize_html(fragment, base_url: str = "https://laodongthudo.vn/") -> str:
    """Any HTML fragment (string or lxml element) in the canonical safe body_html form of DESIGN.md."""
    from .body import extract_body  # local: body imports this module

    if isinstance(fragment, (str, bytes)):
        if not fragment or not str(fragment).strip():
            return ""
        wrapper = etree.fromstring(f"<html><body><div>{fragment if isinstance(fragment, str) else fragment.decode('utf-8', 'replace')}</div></body></html>",
                                   etree.HTMLParser(remove_comments=True))
        el = wrapper.find(".//body/div")
    else:
        el = fragment
    body = extract_body(el, base_url)
    html = body.html
    if not is_safe(html):  # never expected: the builder only emits allowlisted markup
        html = guard(html)
    return html
