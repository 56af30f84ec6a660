"""Related news: boxes of links to other articles, collected under their heading and kept out of the body.

A short block whose text is a related-news label (:func:`..related.related_label`: "Tin liên quan", "Nên
xem", "Cùng chuyên mục" ...; English ones too) heads a box, whose links go to ``related`` under that label
and whose text never reaches the body; sidebars' lists are collected before the sidebar is dropped;
link-dense boxes inside the article's container (two or more links, mostly link text) are
``block="inline"``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ...urls import article_id
from ..dom import absolute
from ..model import RelatedLink
from ..related import related_label
from ...text import clean_text
from .score import ancestors, inside
from .segment import Seg

LABEL_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "header", "li", "a")


def aside_related(aside, rel) -> None:
    """The related-news lists of a sidebar (headed by a label such as "Xem nhiều") before it goes."""
    for el in aside.iter(*LABEL_TAGS):
        raw = el.text_content()
        if len(raw) > 200:
            continue  # labels are short: no need to clean a whole column's text
        label = related_label(clean_text(raw))
        if not label:
            continue
        if el.tag == "a" or el.find(".//a") is not None:
            continue  # a tab or menu link named like a label is not a heading
        box, p = None, el.getparent()
        for _ in range(4):
            if p is None:
                break
            if any(True for _ in links_in(p, rel.base, rel.page)):
                box = p
                break
            if p is aside:
                break
            p = p.getparent()
        if box is not None:
            rel.add_box(box, label)


_DIGITS3 = re.compile(r"\d{3,}")


def is_articleish(url: str, page: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if url.split("#")[0] == page.split("#")[0]:
        return False
    if article_id(url) is not None:  # the site's own article URLs (/slug-123456.html, .media)
        return True
    path = parts.path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if _DIGITS3.search(last) and (last.count("-") >= 2 or last.endswith((".html", ".htm", ".media"))):
        return True
    return last.count("-") >= 5


def links_in(el, base: str, page: str):
    for a in el.iter("a"):
        u = absolute(base, a.get("href"))
        if not u:
            continue
        u = u.split("#")[0]
        if not is_articleish(u, page):
            continue
        title = clean_text(a.text_content()) or clean_text(a.get("title"))
        yield u, title


class Related:
    """The related links found so far, by block heading (first come, first placed)."""

    def __init__(self, base: str, page: str):
        self.base, self.page = base, page
        self.blocks: dict[str, list[RelatedLink]] = {}
        self.seen: set = set()  # every box looked at
        self.linking: set = set()  # the boxes that link to articles

    def result(self) -> list[RelatedLink]:
        return [r for lst in self.blocks.values() for r in lst]

    def add_box(self, el, heading: str):
        if el in self.seen:
            return
        self.seen.add(el)
        lst = self.blocks.setdefault(heading, [])
        have = {r.url for r in lst}
        for u, title in links_in(el, self.base, self.page):
            self.linking.add(el)
            if u in have:
                # a better title (text rather than an image link) replaces an empty one
                for r in lst:
                    if r.url == u and not r.title and title:
                        r.title = title
                continue
            have.add(u)
            lst.append(RelatedLink(url=u, title=title, block=heading, position=len(lst) + 1))

    def add_links(self, links, heading: str):
        lst = self.blocks.setdefault(heading, [])
        have = {r.url for r in lst}
        for u, title in links:
            if u not in have:
                have.add(u)
                lst.append(RelatedLink(url=u, title=title, block=heading, position=len(lst) + 1))


def mark_headed_boxes(segs: list[Seg], rel: Related, stats, container) -> bool:
    """A short block whose text is a related-news label heads a box of links: all of it is related.

    Returns True when a box inside the container was marked (the container is then chosen again).
    """
    inner = False
    for i, s in enumerate(segs):
        if s.kind == "img" or s.state or s.chars > 48:
            continue
        label = related_label(s.text)
        if not label:
            continue
        head = s.block
        if s.link_chars > 0.5 * s.chars and not (s.kind == "h" and s.n_links == 1):
            continue  # a menu link named like a label, not a heading
        # smallest ancestor holding the heading and at least one link outside it
        box = None
        parent = head.getparent()
        for anc in ancestors(parent, 8) if parent is not None else []:
            tc, lc, nl = stats(anc)
            if nl > s.n_links and tc > s.chars:
                box = anc
                break
        s.state = "related"
        if box is not None:
            # the label must open its box: little text of the box comes before it
            before, k = 0, i - 1
            while k >= 0 and before <= 80 and inside(segs[k].block, box):
                before += segs[k].chars
                k -= 1
            if before > 80:
                box = None
        if box is not None and not inside(container, box):
            rel.add_box(box, label)
            in_box = set(box.iter())
            for t in segs:
                if t.state == "" and t.block in in_box:
                    t.state = "related"
                    inner = inner or inside(t.block, container)
            continue
        # flat markup: the label, then link lines, inside the article's own container
        j = i + 1
        while j < len(segs):
            t = segs[j]
            if t.state:
                j += 1
                continue
            if t.kind == "img" or (t.chars and t.link_chars / t.chars > 0.5) or len(t.text.split()) <= 3:
                t.state = "related"
                inner = True
                if t.kind != "img":
                    rel.add_links([(u, title) for u, title in t.links() if is_articleish(u, rel.page)], label)
                j += 1
                continue
            break
    return inner



def mark_inline_boxes(container, segs: list[Seg], rel: Related, stats) -> None:
    """Link-dense boxes inside the container are inline related news: the outermost such box below the
    container (found in one pre-order pass) goes to ``rel`` as "inline", its segments marked "box"."""
    ctotal = stats(container)[0] or 1
    outer: dict = {}
    for el in container.iterdescendants():
        p = el.getparent()
        b = outer.get(p) if p is not container else None
        if b is None:
            tc, lc, nl = stats(el)
            if nl >= 2 and tc and lc / tc > 0.5 and tc < 0.4 * ctotal:
                b = el
        if b is not None:
            outer[el] = b
    for s in segs:
        if s.state or s.kind == "img":
            continue
        b = outer.get(s.block)
        if b is not None:
            s.state = "box"
            rel.add_box(b, "inline")
