"""Generic article extraction: the last layer of the parser, for pages no site template understands.

``extract(root, url) -> Fallback`` finds an article's text by its density, with no knowledge of
class names (they are hints at most), in any language, in steps of their own modules:

1. :mod:`.clean`: what is never article text leaves the tree (scripts, chrome, hidden and hint-named
   boxes); sidebars' related lists are collected first.
2. :mod:`.segment`: one iterative walk cuts the text into blocks at block-level tags, keeping per block
   its element, link text and content as the renderer's tokens.
3. :mod:`.score`: blocks are scored as prose or not and the element holding the most prose is the
   article's container.
4. :mod:`.boxes`: related news (boxes headed by a related-news label, link-dense boxes in the
   container) goes to ``related``, never to the body.
5. :mod:`.assemble`: the container's best run of text becomes the record's blocks (:class:`..body.Body`,
   rendered by the one renderer as a site template's are), with images, captions and the by-line.
6. :mod:`.fields`: the fields the page shows around its text (lead, dateline, by-line, category, tags),
   noted on the untouched page and chosen by their place relative to the headline and the body.  A lead
   that opens the run of text stays among the blocks (body-only measures such as AEB's count it in) and
   is reported apart: the record takes it out of the body.

Measured on the public article-extraction benchmark by ``python -m bench.aeb``.

**The caller's tree is mutated**: elements are dropped, a kept by-line ``footer`` is renamed ``div``
and marked ``data-fallback-byline``.  Pass a tree you no longer need.  Pure (no I/O), lxml only, and
iterative everywhere: a 10,000-deep tree does not recurse; nothing here raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..body import Body
from ..model import Image, RelatedLink
from ...text import clean_text
from .assemble import assemble
from .boxes import Related
from .clean import clean
from .fields import Survey, headlines
from .segment import segment

__all__ = ["Fallback", "extract"]


@dataclass
class Fallback:
    """What the fallback found: the article's blocks and related links, the fields the page shows around
    them (lead, dateline, by-line, category, tags), and why it doubts."""

    title: str
    body: Body = field(default_factory=Body)
    related: list[RelatedLink] = field(default_factory=list)
    author: str | None = None
    lead: str = ""
    published: str | None = None  # ISO 8601, Hanoi time, from the dateline
    category: str | None = None
    category_url: str | None = None
    tags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    container: object = None  # the element holding the article's text (of the tree extract was given)

    @property
    def paragraphs(self) -> list[str]:
        """The body's text blocks, a list's items one by one."""
        return [p for b in self.body.blocks if b.text for p in b.text.split("\n\n")]

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def images(self) -> list[Image]:
        return self.body.images


def extract(root, url: str) -> Fallback:
    """The article in ``root`` (an lxml.html tree of a whole page), found without site rules.

    Mutates ``root`` (drops scripts, chrome and boxes while working): pass a tree you can spare.
    Never raises on odd input: a page with no body gives an empty result with a warning.
    """
    warnings: list[str] = []
    try:
        if hasattr(root, "getroot"):
            root = root.getroot()
        base = _find_base(root, url)
        title = page_title(root, base)
        page = root.find(".//body") if root.tag != "body" else root
        if page is None:
            page = root
        survey = Survey(root, base, title)  # before cleaning: boxes it drops may hold the fields
        rel = Related(base, url)
        alive = clean(page, rel)  # noqa: F841 - held until the end on purpose (see clean)
        segs = segment(page, base)
    except RecursionError:  # pragma: no cover - lxml guards depth; belt and braces
        return Fallback(title="", warnings=["fallback: page too deeply nested"])
    got = assemble(page, segs, rel, title, survey, warnings)
    if segs and not got.body.text:
        warnings.append("fallback: empty body")
    boxes, lead_el = rel.linking, got.lead_el

    def aside(el) -> bool:  # related boxes and the lead hold no dateline or category of the article
        return el in boxes or el is lead_el or any(a in boxes or a is lead_el for a in el.iterancestors())

    published = survey.published(got.start, aside)
    author = got.author or survey.dateline_name()
    category = survey.category(got.start, aside)
    return Fallback(title=title, body=got.body, related=rel.result(), author=author, lead=got.lead,
                    published=published, category=category[0] if category else None,
                    category_url=category[1] if category else None, tags=survey.tags(), warnings=warnings,
                    container=got.container)


def page_title(root, base: str) -> str:
    """The article's title as the page names it: its h1 (the one og:title agrees with), else og:title, else the
    longest part of <title>."""
    og = None
    for m in root.iter("meta"):
        if (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title"):
            og = clean_text(m.get("content"))
            if og:
                break
    h1s = [clean_text(h.text_content()) for h in headlines(root, base)]
    if h1s:
        if og:
            for h in h1s:
                if h in og or og in h:
                    return h
        return h1s[0] if not og or len(h1s) == 1 else og
    if og:
        return og
    t = root.find(".//title")
    if t is not None:
        text = clean_text(t.text_content())
        parts = re.split(r"\s+[|\-–—]\s+", text)
        return max(parts, key=len) if parts else text
    return ""


def _find_base(root, url: str) -> str:
    b = root.find(".//base")
    if b is not None and b.get("href"):
        return urljoin(url, b.get("href"))
    return url
