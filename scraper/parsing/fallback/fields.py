"""The article's own fields around its text, found without site rules: the headline, the lead, the
dateline, the by-line, the category and the tags.

A page of an unknown theme, saved without its ``<head>``, still shows them, in an order every news site
keeps: a breadcrumb or section link, the headline, the dateline (``HH:MM | DD/MM/YYYY`` and the other
forms of :func:`..text.parse_vn_datetime`), the lead, the body, the by-line, the tags.  A
:class:`Survey` notes the candidates on the untouched page (before cleaning drops boxes); once the body is
known, each field is the candidate in its place relative to the headline and the body.  A date is only
ever read between the headline and the body (or just above the headline), never from the article's text:
a wrong date is worse than none.
"""

from __future__ import annotations

import re
from itertools import count
from urllib.parse import urlsplit

from lxml import etree

from ...urls import article_id, canonical_url
from ..dom import absolute
from ..body import looks_like_name
from ...text import byline_name, clean_text, normalize_iso, parse_vn_datetime

# Class or id tokens that name an article's lead.
LEAD_NAMES = re.compile(r"(?:^|[\s_-])(?:desc|description|sapo|lead|summary|intro|excerpt|teaser|chapeau|"
                        r"abstract|standfirst|dek)(?:$|[\s_-])", re.I)

# Links to a tag's page: /tag/..., /tags/..., /tu-khoa/..., /keyword/..., *.tag, ?tag=
TAG_LINK = re.compile(r"^https?://[^/]+/(?:[^?#]*/)?(?:tags?|tu-khoa|keywords?)/[^?#]+|^https?://[^?#]+\.tag(?:$|[?#])"
                      r"|[?&]tag=", re.I)

# A section's address: a few slugs (no file, no query, no endpoint such as /apicenter@/print_article).
_CRUMB_REACH = 200  # elements above the headline where its breadcrumb or section label may be
_SECTION_PATH = re.compile(r"^(?:/[\w-]+){0,4}/?$")
# Short visible text pieces with a slash (where a date may be printed), as their parent's text or tail.
_SLASHED_TEXT = etree.XPath("//text()[contains(., '/')][string-length(.) < 200]"
                            "[not(parent::script or parent::style or parent::noscript or parent::template "
                            "or parent::textarea or parent::title)]")
_DATE_DIGITS = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{4}")
_SEPARATORS = re.compile(r"^[\s»›>/|·•→\-–—:]*$")
_WEEKDAY = re.compile(r"^(?:thứ|chủ nhật|ngày|cập nhật|đăng)\b", re.I)
_TAG_ITEMS = frozenset({"li", "span", "dd"})  # an item holding one tag link of a list of them
_HOME_NAMES = frozenset({"trang chủ", "home", "trang chu"})


def _host(url: str) -> str:
    """The host of an absolute http(s) URL, lower-case, without www. and port."""
    h = url.split("/", 3)[2].rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return h[4:] if h.startswith("www.") else h


def headlines(root, base: str) -> list:
    """The page's h1 elements with text, a site logo's (an h1 that is only a link to the home page) last."""
    h1s = [h for h in root.iter("h1") if clean_text("".join(h.itertext()))]
    return sorted(h1s, key=lambda h: _is_logo(h, base))


def titled_headline(root, title: str):
    """On a page without an h1: the element showing the title as its whole text (a theme that sets its
    headline in a div, a bold font or a table cell), the widest wrapper that holds nothing else; one in a
    link (a breadcrumb's or a related list's) only when there is no other."""
    if not title:
        return None
    body = root.find(".//body") if root.tag != "body" else root
    found = []
    for el in (body if body is not None else root).iter():
        if isinstance(el.tag, str) and el.text and el.tag not in ("title", "script", "style", "option") \
                and clean_text(el.text) == title:
            while (up := el.getparent()) is not None and up.tag != "body" and clean_text("".join(up.itertext())) == title:
                el = up
            found.append(el)
    return next((el for el in found if not _in_link(el) and el.tag != "a"), found[0] if found else None)


def _is_logo(h1, base: str) -> bool:
    links = list(h1.iter("a"))
    if len(links) != 1:
        return False
    url = absolute(base, links[0].get("href"))
    text = clean_text("".join(h1.itertext()))
    return bool(url) and urlsplit(url).path in ("", "/") and clean_text("".join(links[0].itertext())) == text


class Survey:
    """Candidates for the fields, noted on the whole page before cleaning mutates it.

    Only what is cheap is read up front (document order, the headline, the dates, in C where possible);
    the rest is read when a decision needs it, in the few elements between the headline and the body.
    """

    def __init__(self, root, base: str, title: str):
        self.base = base
        self.host = _host(base)
        self.elements = list(root.iter())  # document order (a page has thousands: built in C)
        self.order: dict = dict(zip(self.elements, count()))
        self.headline = next((h for h in root.iter("h1") if title and clean_text(h.text_content()) == title), None)
        if self.headline is None and root.find(".//h1") is None:
            self.headline = titled_headline(root, title)
        self.anchors = list(root.iter("a"))
        self._sections: list | None = None  # (computed once, by the first caller)
        times = []  # (element, ISO) of <time datetime>
        for el in root.iter("time"):
            dt = el.get("datetime") or ""
            iso = normalize_iso(dt) if "T" in dt else None
            if iso:
                times.append((el, iso))
        hosts = []
        for t in _SLASHED_TEXT(root):
            if _DATE_DIGITS.search(t):
                host = t.getparent()  # the element the text is in (a tail's: the element it follows)
                host = host.getparent() if host is not None and t.is_tail else host
                if host is not None:
                    hosts.append(host)
        self.dates = self._datelines(hosts) + times
        self.dateline = None  # the element published() read

    def _between(self, body_start: int) -> list:
        """The elements after the headline and before the body (document order)."""
        if self.headline is None or body_start < 0:
            return []
        return self.elements[self.pos(self.headline) + 1:body_start]

    def section_links(self, before: int) -> list:
        """(element, name, absolute URL) of the links to the site's sections (not articles, tags, files)
        that come before position ``before`` (the body's start: a category is named above the text)."""
        if self._sections is None:
            order = self.order
            # from a little above the headline (a breadcrumb sits within a few dozen elements of it; the
            # site's menus, further up, are where most links are)
            start = self.pos(self.headline) - _CRUMB_REACH if self.headline is not None else -1
            end = before if before >= 0 else len(self.elements)
            head = [a for a in self.anchors if start <= order.get(a, -1) < end]
            self._sections = [x for x in map(self._section, head) if x is not None]
        return self._sections

    def _section(self, a):
        href = a.get("href")
        # (cheap tests on the raw href first: a page has hundreds of links, few of them sections)
        if not href or "?" in href or "nofollow" in (a.get("rel") or ""):
            return None
        path = href.split("#", 1)[0]
        if path.startswith(("http://", "https://", "//")):
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        if path.startswith("/") and not _SECTION_PATH.match(path):
            return None
        url = absolute(self.base, href)
        if not url or _host(url) != self.host or TAG_LINK.search(url):
            return None
        parts = urlsplit(url)
        if parts.query or not _SECTION_PATH.match(parts.path) or article_id(url) is not None:
            return None
        name = clean_text(a.text_content())
        return (a, name, url) if name and len(name) <= 60 else None

    def _datelines(self, hosts) -> list:
        """(element, ISO) of every short text showing a date with its time (the smallest element that does:
        a time and a date in sibling spans are read from their parent)."""
        out, seen = [], set()
        for el in hosts:
            node = el
            for _ in range(3):
                if node is None or node in seen:
                    break
                text = clean_text(node.text_content())
                if len(text) > 100:
                    break
                iso = parse_vn_datetime(text, require_time=True)
                if iso:
                    seen.add(node)
                    out.append((node, iso))
                    break
                node = node.getparent()
        return out

    # --- decisions, once the body is known -----------------------------------------------------------

    def pos(self, el) -> int:
        return self.order.get(el, -1)

    def near_above(self, el) -> bool:
        """el sits before the headline inside the headline's parent or grandparent (a dateline or section
        label above the title). Read from the page's order as surveyed, so a box that cleaning dropped
        since (one named like chrome, "print-cat") still counts: everything between a box's start and the
        headline inside it is inside the box."""
        p, h = self.pos(el), self.pos(self.headline)
        box = self.headline.getparent()
        for _ in range(2):
            if box is None:
                return False
            b = self.pos(box)
            if 0 <= b < p < h:
                return True
            box = box.getparent()
        return False

    def published(self, body_start: int, skip) -> str | None:
        """The dateline: the date and time shown between the headline and the body, nearest the headline,
        else just above the headline (within its box); never one in the body, a link, or a skipped box."""
        h = self.pos(self.headline) if self.headline is not None else None
        between, above = [], []
        for el, iso in self.dates:
            p = self.pos(el)
            if p < 0 or (body_start >= 0 and p >= body_start) or _in_link(el) or skip(el):
                continue
            if h is not None and p > h:
                between.append((p, iso, el))
            elif h is not None and self.near_above(el):
                above.append((p, iso, el))
            elif h is None and body_start >= 0 and body_start - p < 40:
                above.append((p, iso, el))
        if not between and not above:
            return None
        _, iso, self.dateline = min(between, key=lambda x: x[0]) if between else max(above, key=lambda x: x[0])
        return iso

    def category(self, body_start: int, skip) -> tuple[str, str] | None:
        """The most specific category the page names: the section link beside the dateline, else a
        breadcrumb's last link (the one nearest above the headline), else the section link between the
        headline and the body nearest the headline, else a section label just above the headline.
        Call after :meth:`published`."""
        h = self.pos(self.headline) if self.headline is not None else body_start
        if self.dateline is not None:
            box = self.dateline.getparent()
            for a, name, url in self.section_links(body_start):
                if box is not None and not _is_home(name, url) and not skip(a) and \
                        any(x is box for x in a.iterancestors()) and self.pos(a) > h:
                    return name, canonical_url(url)
        crumbs = self._breadcrumbs(body_start)
        before = [(self.pos(c[0]), c) for c in crumbs if h < 0 or self.pos(c[0]) < h]
        if before:
            _, (_, name, url) = max(before, key=lambda x: x[0])
            return name, canonical_url(url)
        if self.headline is None:
            return None
        below, above = [], []
        for a, name, url in self.section_links(body_start):
            p = self.pos(a)
            if skip(a) or _is_home(name, url):
                continue
            if p > h and (body_start < 0 or p < body_start):
                below.append((p, name, url))
            elif p < h and self.near_above(a) and (_lone_link(a) or _right_before(a, self.headline)):
                above.append((p, name, url))
        if below:
            _, name, url = min(below)
            return name, canonical_url(url)
        if above:  # a section label over the headline
            _, name, url = max(above)
            return name, canonical_url(url)
        return None

    def _breadcrumbs(self, body_start: int) -> list:
        """(box, name, URL) of each breadcrumb: a box named so, or a short chain of section links (home first
        or each path under the one before) with nothing but separators between them."""
        groups: dict = {}
        for a, name, url in self.section_links(body_start):
            p = a.getparent()
            box = p.getparent() if p is not None and p.tag in ("li", "span") else p
            if box is not None:
                groups.setdefault(box, []).append((a, name, url))
        out = []
        for box, links in groups.items():
            named = any("crumb" in _names(x).lower() for x in (box, *box.iterancestors()))
            if not named and not _chain(box, links):
                continue
            crumbs = [(name, url) for _, name, url in links if not _is_home(name, url)]
            if crumbs:
                out.append((box, *crumbs[-1]))
        return out

    def tags(self) -> list[str]:
        """Tag names from a box of tag links that holds nothing else (a "Tags:" label, "#" marks).

        Keyword links inside paragraphs also point at tag pages; their parent holds running text, so they
        are not a tag box. Names keep their commas (the meta tags cannot: they are comma-separated).
        """
        groups: dict = {}
        for a in self.anchors:
            href = a.get("href")
            if href and ("tag" in href or "tu-khoa" in href or "keyword" in href):
                url = absolute(self.base, href)
                if url and _host(url) == self.host and TAG_LINK.search(url):
                    box = a.getparent()
                    if box is not None and box.tag in _TAG_ITEMS and len(box) == 1:
                        box = box.getparent()  # one tag per list item: the list is the box
                    groups.setdefault(box, []).append(a)
        for parent, links in groups.items():
            if parent is None:
                continue
            own = clean_text(parent.text_content())
            for a in links:
                own = own.replace(clean_text(a.text_content()), "", 1)
            own = re.sub(r"(?i)t(?:ags?|ừ khó[aá])", "", own)
            if len(own.strip(" :#,|/")) <= 3:
                return list(dict.fromkeys(n for n in (clean_text(a.text_content()).lstrip("#").strip() for a in links) if n))
        return []

    def lead_outside(self, body_start: int, segs, skip) -> str:
        """A lead shown between the headline and the body (outside the body's run of text): an element whose
        class or id names it, else the first paragraph there that is all bold or a sentence of its own."""
        if self.headline is None or body_start < 0:
            return ""
        h = self.pos(self.headline)
        for el in self._between(body_start):
            if isinstance(el.tag, str) and names_lead(el) and not skip(el):
                text = clean_text(el.text_content())
                if len(text) >= 20 and not _in_link(el):
                    return text
        for s in segs:
            p = self.pos(s.block)
            if p <= h or s.kind == "img" or s.state in ("related", "box", "caption"):
                continue
            if p >= body_start:
                break
            if s.kind != "li" and s.chars >= 40 and len(s.text.split()) >= 8 and s.link_chars * 4 < s.chars:
                return s.text
        return ""

    def byline_between(self, body_start: int) -> str | None:
        """A by-line box (class or id naming it) between the headline and the body."""
        for el in self._between(body_start):
            low = _names(el).lower() if isinstance(el.tag, str) else ""
            if "author" in low or "byline" in low or "tacgia" in low or "tac-gia" in low:
                text = byline_name(clean_text(el.text_content()))
                if 0 < len(text) <= 60 and not any(ch.isdigit() for ch in text):
                    return text
        return None


    def dateline_name(self) -> str | None:
        """The name printed before the dateline in its line, below the headline ("Lan Anh - Thứ bảy,
        18/11/2023 | 20:15"): the by-line and the dateline in one. Call after :meth:`published`."""
        line = self.dateline
        if line is None or self.headline is None or self.pos(line) < self.pos(self.headline):
            return None
        date = clean_text(line.text_content())
        for box in (line, line.getparent()):
            if box is None:
                return None
            text = clean_text(box.text_content())
            at = text.find(date) if box is not line else -1
            if at < 0:  # the date's own element: the name before the first digit
                at = next((k for k, ch in enumerate(text) if ch.isdigit()), 0)
                at = max(text.rfind(" - ", 0, at), text.rfind(" | ", 0, at), 0)
            name = byline_name(text[:at].strip(" -|·–—:,"))
            if name and looks_like_name(name) and not _WEEKDAY.match(name):
                return name
        return None


def _names(el) -> str:
    """An element's class and id, the text hints are looked for in."""
    c, i = el.get("class"), el.get("id")
    return f"{c} {i}" if c and i else c or i or ""


def names_lead(el) -> bool:
    """The element's class or id names it a lead (desc, sapo, lead, summary...)."""
    n = _names(el)
    return bool(n) and LEAD_NAMES.search(n) is not None


def _chain(box, links) -> bool:
    """A breadcrumb's shape: two to five links, home first or each path under the one before, and
    nothing but separators between them."""
    if not 2 <= len(links) <= 5:
        return False
    own = clean_text(box.text_content())
    for _, name, _ in links:
        own = own.replace(name, "", 1)
    if not _SEPARATORS.match(own):
        return False
    paths = [urlsplit(url).path.rstrip("/") for _, _, url in links]
    if _is_home(links[0][1], links[0][2]):
        return len(links) <= 4 and all(p for p in paths[1:])
    return all(b.startswith(a + "/") for a, b in zip(paths, paths[1:]))


def _lone_link(a) -> bool:
    """The link is all its box holds (a section label, not a menu)."""
    p = a.getparent()
    box = p.getparent() if p is not None and p.tag in ("li", "span") else p
    return box is not None and sum(1 for _ in box.iter("a")) == 1 and \
        len(clean_text(box.text_content())) <= len(clean_text(a.text_content())) + 3


def _right_before(a, headline) -> bool:
    """The link is the element right before the headline, nothing shown between them (a section label set
    over the title in the article's column)."""
    prev = headline.getprevious()
    while prev is not None and not isinstance(prev.tag, str):  # (comments)
        prev = prev.getprevious()
    if prev is None or (prev.tail or "").strip():
        return False
    if prev is a:
        return True
    return a in prev.iter("a") and sum(1 for _ in prev.iter("a")) == 1 and \
        clean_text(prev.text_content()) == clean_text(a.text_content())


def _is_home(name: str, url: str) -> bool:
    return name.lower() in _HOME_NAMES or urlsplit(url).path in ("", "/")


def _in_link(el) -> bool:
    return el.tag == "a" or any(a.tag == "a" for a in el.iterancestors())


