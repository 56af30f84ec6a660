"""Cleaning: what is never article text leaves the tree before the text is segmented.

Scripts, styles, form controls, iframes, ``nav``/``aside``/``footer`` and the like, comments and hidden
elements go; sidebars' related lists (an ``aside`` headed "Xem nhiều", "Most read" ...) are collected
first.  Boxes whose class/id says share/comment/related/sidebar/ad go too, unless they hold a large share
of the page's text (a hint must never cost the article).  By-line boxes and an article's short footer
stay, marked :data:`BYLINE_MARK`: they may give the author.
"""

from __future__ import annotations

import re

from lxml import etree

from ..related import CHROME_TAGS, FOOTER_TEXT
from ..render import NOT_TEXT_TAGS
from .boxes import aside_related

# Dropped with their content. The page header stays: it may hold the article's headline.
DROP_TAGS = NOT_TEXT_TAGS | (CHROME_TAGS - {"header"}) | {"aside", "menu", "label"}

# Class/id hints: only used to remove clearly non-article containers that hold little text.
_NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:comments?|share|sharing|social|related|recommend\w*|newsletter|subscribe|promo|"
    r"advert\w*|ads?|sponsor\w*|cookie\w*|popup|modal|breadcrumbs?|sidebar|widget|masthead|"
    r"tags?|taglist|print|signup|footer|site-?footer|paywall|outbrain|taboola|nav|navbar|menu|toolbar|byline|author|"
    r"shoutbox|most-?popular|trending|read-?more|more-?stories|disqus)(?:$|[\s_-])",
    re.I,
)
_STRONG_NEGATIVE = re.compile(r"related|comment|share|social", re.I)
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text|blog", re.I)


def _visible_attrs_hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and ("none" in style or "hidden" in style):
        s = style.replace(" ", "").lower()
        return "display:none" in s or "visibility:hidden" in s
    return False


def clean(body, rel=None) -> list:
    """Drop what is never article text (mutates the tree); related lists of sidebars go to ``rel``.

    The heavy lifting is lxml's (``strip_elements``, XPath): this runs on every fallback parse.
    """
    _amp_images_as_img(body)
    for el in body.iter("aside", "footer"):
        if el.tag == "footer":
            if _byline_footer(el):
                el.tag = "div"  # an article's by-line footer survives as a plain block
                el.set(BYLINE_MARK, "1")
            elif _article_foot_with_byline(el):
                el.tag = "div"  # the article's foot, not the site's: its by-line box stays (the rest by its names)
        elif rel is not None and not any(a.tag == "aside" for a in el.iterancestors()):
            aside_related(el, rel)  # the outermost aside covers the ones inside it
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, *DROP_TAGS, with_tail=False)
    # Every element's Python proxy, made once and kept alive by the caller: lxml.html builds each
    # proxy through a Python class lookup, and later passes then reuse these instead.
    alive = list(body.iter())
    hidden = []
    hinted = []
    seen: dict = {}
    for el in alive:
        get = el.get
        if get("style") is not None or get("hidden") is not None or get("aria-hidden") is not None:
            if el.tag not in ("html", "body") and _visible_attrs_hidden(el):
                hidden.append(el)
                continue
        cls, eid = get("class"), get("id")
        if (cls or eid) and el.tag not in ("p", "h1", "body"):
            names = (cls or "") + " " + (eid or "")
            hit = seen.get(names)
            if hit is None:
                hit = seen[names] = _NEGATIVE.search(names) is not None
            if hit:
                hinted.append((el, names))
    for el in hidden:
        drop(el)
    _drop_hinted(body, hinted)
    return alive


# AMP's picture elements: the same picture as an <img> (src/alt), whatever their fallback children.
AMP_IMAGE_TAGS = ("amp-img", "amp-anim")


def _amp_images_as_img(body) -> None:
    """``amp-img`` is an image: renamed ``img`` (its own fallback children dropped) for every later pass."""
    for el in list(body.iter(*AMP_IMAGE_TAGS)):
        if any(a.tag in AMP_IMAGE_TAGS or a.tag == "img" for a in el.iterancestors()):
            continue  # a fallback inside an outer amp-img: it goes with the children below
        for child in list(el):
            el.remove(child)
        el.text = None
        el.tag = "img"


_BYLINE_NAME = re.compile(r"byline|author", re.I)
BYLINE_MARK = "data-fallback-byline"


def _short_plain(el) -> bool:
    if el.find(".//a") is not None:
        return False
    text = el.text_content().strip()
    return 0 < len(text) <= 60


def _byline_footer(el) -> bool:
    """A short footer of an article without links: its by-line (kept as a candidate author line)."""
    if el.find(".//a") is not None:
        return False
    text = el.text_content().strip()
    if not text or len(text) > 80:
        return False
    return any(a.tag == "article" for a in el.iterancestors())


_FOOTER_NAME = re.compile(r"footer", re.I)


def _imprint_footer(el, names: str) -> bool:
    """A box named footer that carries the site's imprint (licence, copyright, newsroom address)."""
    return _FOOTER_NAME.search(names) is not None and el.find(".//h1") is None and \
        FOOTER_TEXT.search(el.text_content()) is not None


def _lone_figure(el) -> bool:
    """The box holds one picture outside any link and at most a caption's worth of text."""
    imgs = list(el.iter("img"))
    if len(imgs) != 1 or el.find(".//a") is not None:
        return False
    return len(el.text_content().strip()) <= 300


def _article_foot_with_byline(el) -> bool:
    """A footer inside an article holding a short box named by-line/author: the article's own foot."""
    if not any(a.tag == "article" for a in el.iterancestors()):
        return False
    return any(_BYLINE_NAME.search((d.get("class") or "") + " " + (d.get("id") or "")) and _short_plain(d)
               for d in el.iterdescendants() if isinstance(d.tag, str))


def drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _solid_len(text: str) -> int:
    """Characters that are not white space (cheap: str.count runs in C)."""
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r") - text.count("\xa0")


def _drop_hinted(body, hinted) -> None:
    """Containers named like share/comment/related boxes that hold little prose: drop them."""
    doomed = []
    for el, names in hinted:
        if _BYLINE_NAME.search(names) and _short_plain(el):
            el.set(BYLINE_MARK, "1")
            continue  # a by-line: kept, it may give the author
        if _POSITIVE.search(names) and not _STRONG_NEGATIVE.search(names):
            continue
        if not _STRONG_NEGATIVE.search(names) and _lone_figure(el):
            continue  # one unlinked picture and its caption, whatever the box is named ("print-img")
        doomed.append(el)
    if not doomed:
        return
    page_len = _solid_len(body.text_content())
    limit = min(2500, 0.25 * page_len)
    dropped: set = set()
    for el in doomed:  # document order: an outer box goes before its inner ones are looked at
        if any(a in dropped for a in el.iterancestors()):
            continue
        # keep big prose containers whatever their name says, but not a footer carrying the site's imprint
        if _solid_len(el.text_content()) <= limit or _imprint_footer(el, names):
            drop(el)
            dropped.add(el)
