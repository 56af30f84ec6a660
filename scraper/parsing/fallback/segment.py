"""Segmentation: one iterative walk cuts a page's text into blocks at block-level tags.

Each segment keeps its block element, its size, its link text and its content as the renderer's tokens
(:mod:`..render`), so the blocks the fallback keeps are rendered exactly as a site template's are.
"""

from __future__ import annotations

from lxml import etree

from ..body import image_url, video_url
from ..render import BLOCK_TAGS, BR, INLINE_MARKS, LINK_CLOSE, NO_LINK_CLOSE, link_open
from ...text import clean_text

HEADING_LEVELS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}  # the level each heading is shown at


class Seg:
    __slots__ = ("block", "tokens", "chars", "link_chars", "n_links", "text", "kind", "level",
                 "score", "scored", "state", "img", "video", "lead_link")

    def __init__(self, block):
        self.block = block
        self.tokens: list = []  # the renderer's tokens: text, and ("open"/"close"/"br", markup[, url])
        self.chars = 0
        self.link_chars = 0
        self.n_links = 0
        self.text = ""
        self.kind = "p"  # "p", "h" (heading), "li", "img" (an image or video: no text)
        self.level = 0
        self.score = 0.0
        self.scored = False
        self.lead_link = 0  # characters of the link the block opens with (a teaser's headline)
        # "" body candidate; else why it is not: "related", "caption", "box", "links", "lead", "author"
        self.state = ""
        self.img = None  # (element, url, alt) for image (and video) segments, kind "img"; url "" if none
        self.video = False

    def links(self):
        """(absolute URL, link text) of the links in the segment, in order."""
        out = []
        url, buf = None, []
        for t in self.tokens:
            if isinstance(t, str):
                if url is not None:
                    buf.append(t)
            elif t[0] == "open" and len(t) == 3:
                url, buf = t[2], []
            elif (t is LINK_CLOSE or t is NO_LINK_CLOSE) and url is not None:
                out.append((url.split("#")[0], clean_text("".join(buf))))
                url = None
        return out


def segment(body, base: str) -> list[Seg]:
    segs: list[Seg] = []
    blocks = [body]
    cur = Seg(body)
    a_depth = 0
    links: list = []  # the close token of each open <a>: with markup or without
    block_tags, inline_marks = BLOCK_TAGS, INLINE_MARKS

    def flush():
        nonlocal cur
        if cur.chars:
            segs.append(cur)
            cur = Seg(blocks[-1])
        else:  # nothing but white space or marks: reuse the object
            cur.block = blocks[-1]
            cur.tokens.clear()
            cur.link_chars = cur.n_links = 0

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if el is body:
                text = el.text
            elif tag in block_tags:
                flush()
                blocks.append(el)
                cur.block = el
                text = el.text
            elif not isinstance(tag, str):
                continue
            elif tag == "br":
                cur.tokens.append(BR)
                continue
            elif tag == "img" or tag == "video":
                # every image marks its place (captions are found from it); only those with an
                # http(s) source become images of the article
                flush()
                m = Seg(blocks[-1])
                m.kind = "img"
                if tag == "video":
                    m.video = True
                    m.img = (el, video_url(el, base) or "", "")
                else:
                    m.img = (el, image_url(el, base) or "", clean_text(el.get("alt")))
                segs.append(m)
                text = el.text
            else:
                if tag == "a":
                    a_depth += 1
                    cur.n_links += 1
                    tok = link_open(base, el.get("href"))
                    cur.tokens.append(tok)
                    links.append(LINK_CLOSE if tok[1] else NO_LINK_CLOSE)
                else:
                    pair = inline_marks.get(tag)
                    if pair:
                        cur.tokens.append(pair[0])
                text = el.text
        else:
            if el is body:
                flush()
                continue
            if tag in block_tags:
                flush()
                blocks.pop()
                cur.block = blocks[-1]
            elif tag == "a":
                a_depth -= 1
                cur.tokens.append(links.pop())
            elif isinstance(tag, str):
                pair = inline_marks.get(tag)
                if pair:
                    cur.tokens.append(pair[1])
            text = el.tail
        if text:
            n = len(text.strip())
            if n:
                cur.chars += n
                if a_depth:
                    cur.link_chars += n
            cur.tokens.append(text)
    for s in segs:
        if s.kind == "img":
            continue
        s.text = clean_text("".join(t if isinstance(t, str) else (" " if t is BR else "") for t in s.tokens))
        s.chars = len(s.text)
        if s.link_chars > s.chars:
            s.link_chars = s.chars
        t = s.block.tag
        if t in HEADING_LEVELS:
            s.kind, s.level = "h", HEADING_LEVELS[t]
        elif t == "li":
            s.kind = "li"
            s.lead_link = _lead_link(s.tokens)
    return [s for s in segs if s.kind == "img" or s.text]


def _lead_link(tokens) -> int:
    """Characters of the link text the block opens with (0 when it opens with plain text)."""
    n, in_a = 0, False
    for t in tokens:
        if isinstance(t, str):
            if in_a:
                n += len(t.strip())
            elif t.strip():
                return n
        elif t[0] == "open" and len(t) == 3:
            in_a = True
        elif t is LINK_CLOSE or t is NO_LINK_CLOSE:
            in_a = False
            if n:
                return n
    return n
