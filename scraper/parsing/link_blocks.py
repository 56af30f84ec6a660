"""Blocks of links to other articles of the site, found by the page's structure: the generic layer of ``related``.

A *link block* is a list or grid of links to other articles of the same site outside the article's text: the
related lists under the body, a sidebar's "Xem nhiều", a grid of article cards without a heading, the box
above the body, previous/next links. Class names are not needed (a theme may rename them to anything):

1. One pass over the page's article links in document order (links to this site's article URLs other than
   the page), each with its nearest ancestors (six levels), so the lowest common ancestor of a link and the one
   before it is a lookup. Links in the body container and in boxes the caller has read are left out; on a
   template page only the band of the page that holds the headline is read (:func:`main_part`).
2. A link's *list* is the nearer of its two common ancestors with its neighbours: the items of a list (``li``,
   cards) are siblings under it, and the next list begins higher up. Neighbouring links to one URL (a card's
   thumbnail and title) are one item. Neighbouring items with the same list make a block.
3. A block's heading is the first text before its first item, going up the tree while that stays inside the
   block (no other block's links): a heading element or a short label; a tab panel's is the label of the tab
   naming its id; a heading between two items of one box starts a new block. A previous/next label before a
   link (or ``rel="prev"``/``"next"``, wherever the link sits) makes it a "prev"/"next" block.
4. Not related: a block in the header, the navigation, a ``<marquee>`` or the footer (by tag, by class or id
   where the page names them, and by the site's imprint in the band it sits in); a block headed by a ticker,
   tag or comment label; above the headline, a block without a heading element or a related label (a ticker,
   a menu's featured articles) or in the band holding the home page's link (the header); a lone link without a related heading or a previous/next label (a lone card is marked
   ``lone``: related only inside an article's text); a "list" whose text is mostly not its items' (keyword
   links in prose).

Pure: lxml elements in, dataclasses out; the tree is read, never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..urls import article_id, canonical_url, is_site_host
from .dom import text_of
from .related import (CHROME_NAME, CHROME_TAGS, FOOTER_TEXT, SITE_CHROME_TAGS, not_related_heading, related_heading,
                      step_label)
from ..text import clean_text

__all__ = ["LinkBlock", "link_blocks", "main_part", "block_name", "link_text", "link_title", "precedes", "precedes_chain"]


@dataclass
class LinkBlock:
    """One list of article links: its visible heading (None when it shows none), its kind ("list", "prev",
    "next"), its links (canonical URL, title) in document order, one per URL, and where it is."""

    heading: str | None
    kind: str
    links: list[tuple[str, str]]
    anchors: list = field(repr=False)  # the <a> elements read, all of them (a URL's thumbnail and title links)
    element: object = field(repr=False)  # the list: the links' lowest common ancestor
    chain: tuple = field(repr=False)  # the list's ancestors, outermost first, the list last (read before any change)
    after_headline: bool = True
    lone: bool = False  # one card (thumbnail and title) without a heading: related inside an article's text only


def block_name(block: LinkBlock, before_body: bool) -> str:
    """The record's ``block``: the heading, else "prev"/"next", else "inline" above the body, "related" after."""
    if block.kind != "list":
        return block.kind
    if block.heading:
        return block.heading
    return "inline" if before_body else "related"


# --- link titles ------------------------------------------------------------------------------------

_TITLE_MEMO: dict[str, str] = {}


def _clean(text: str | None) -> str:
    """clean_text memoised: the same titles recur on every page of a site (sidebars, related lists)."""
    if not text:
        return ""
    t = _TITLE_MEMO.get(text)
    if t is None:
        t = clean_text(text)
        if len(text) <= 300:
            if len(_TITLE_MEMO) >= 20000:
                _TITLE_MEMO.clear()
            _TITLE_MEMO[text] = t
    return t


_SKIP_TEXT = frozenset({"script", "style", "noscript", "template"})


def link_text(a) -> str:
    """A link's visible text, cleaned ("" for a thumbnail link)."""
    n = len(a)
    if n == 0:  # a plain text link (the common case): no tree walk
        return _clean(a.text)
    if n == 1 and a[0].tag == "img" and not (a.text or "").strip() and not (a[0].tail or "").strip():
        return ""  # a thumbnail's link
    return _clean(text_of(a))


def link_title(a) -> str:
    """A link's title: its visible text; its ``title`` attribute only where the text is empty."""
    return link_text(a) or _clean(a.get("title"))


# --- which links count --------------------------------------------------------------------------------

# href -> (canonical URL, host without www., article id) of an article link, or None; a relative href maps to
# _RELATIVE and (base, href) to the link. The links every page of a site repeats are resolved once.
_HREF_MEMO: dict = {}
_MISSING = object()
_RELATIVE = object()


def _article_link(base: str, href: str):
    plain = href.startswith(("https://", "http://")) and " " not in href
    key = href if plain else (base, href)
    hit = _HREF_MEMO.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    out = None
    h = href.strip()
    # an article URL's path ends in .html or .media (scraper.urls): a cheap test before parsing one (share
    # links name the page's URL in their query)
    if (h.partition("#")[0].partition("?")[0].endswith((".html", ".media"))
            and not h.startswith(("javascript:", "mailto:", "tel:", "data:"))):
        try:
            url = h if plain else urljoin(base, h)
            aid = article_id(url) if url.startswith(("http://", "https://")) else None
            if aid is not None:
                url = canonical_url(url)
                out = (url, _host(url), aid)
        except ValueError:
            out = None
    if len(_HREF_MEMO) > 50000:
        _HREF_MEMO.clear()
    _HREF_MEMO[key] = out
    if not plain:
        _HREF_MEMO[href] = _RELATIVE
    return out


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# --- chrome -------------------------------------------------------------------------------------------

_CHROME_MEMO: dict[str, bool] = {}
# Containers whose class or id may name the chrome ("main-menu", "footer", "hna-easyTicker").
_NAMED_TAGS = frozenset({"div", "ul", "ol", "section", "aside", "table", "span", "p", "body"})


def _named_chrome(names: str) -> bool:
    hit = _CHROME_MEMO.get(names)
    if hit is None:
        hit = CHROME_NAME.search(names) is not None
        if len(_CHROME_MEMO) > 5000:
            _CHROME_MEMO.clear()
        _CHROME_MEMO[names] = hit
    return hit


def _in_chrome(chain, memo: dict) -> bool:
    """Whether the list (last of its chain, outermost first) is in the site's header, navigation, ticker or
    footer. An <article>'s own header and footer (headline, by-line) are not the site's."""
    article = False
    for el in chain:
        tag = el.tag
        if tag == "article":
            article = True
        elif tag in CHROME_TAGS:
            if tag in SITE_CHROME_TAGS or not article:
                return True
        elif tag in _NAMED_TAGS:
            hit = memo.get(el)
            if hit is None:
                c, i = el.get("class"), el.get("id")
                hit = memo[el] = bool(c and _named_chrome(c)) or bool(i and _named_chrome(i))
            if hit:
                return True
    return False


_PAGE_TEXT = etree.XPath("normalize-space(.)")


def _in_footer(ctx, chain) -> bool:
    """Whether the list is in the page's footer without a tag or name saying so: the band of the page it sits
    in (its outermost ancestor beside the headline's) carries the site's imprint (copyright, licence)."""
    if not ctx.blocked:
        return False  # no headline: no band to tell
    band = next((el for el in chain if el not in ctx.blocked), None)
    if band is None:
        return False
    hit = ctx.footer.get(band)
    if hit is None:
        hit = ctx.footer[band] = FOOTER_TEXT.search(_PAGE_TEXT(band)) is not None
    return hit


def _in_header(ctx, chain) -> bool:
    """Whether a list above the headline is in the site's header without a tag or name saying so: the band
    of the page it sits in (its outermost ancestor beside the headline's) holds the link to the site's home
    page (the logo's). A ticker or a "Tiêu điểm:" run of featured links there is chrome, whatever its label."""
    if not ctx.blocked:
        return False
    band = next((el for el in chain if el not in ctx.blocked), None)
    if band is None:
        return False
    hit = ctx.header.get(band)
    if hit is None:
        hit = ctx.header[band] = any(_home_link(ctx.base, a.get("href")) for a in band.iter("a"))
    return hit


def _home_link(base: str, href: str | None) -> bool:
    if not href:
        return False
    href = href.strip()
    if href in ("/", "./", "/index.html"):
        return True
    if not href.startswith(("http://", "https://", "//")):
        return False
    parts = urlsplit(urljoin(base, href))
    return parts.path in ("", "/") and not parts.query and _host(parts.geturl()) == _host(base)


# --- the pass -----------------------------------------------------------------------------------------

_REACH = 6  # a list's items sit at most this many levels under it (list > card > box > h3 > a)


class _Item:
    __slots__ = ("anchor", "anchors", "url", "title", "path", "left", "right", "after_headline")

    def __init__(self, anchor, url, path, after_headline):
        self.anchor = anchor  # the item's first link
        self.anchors = [anchor]
        self.url = url
        self.title = link_text(anchor)
        self.path = path  # the first link's nearest ancestors, parent first
        self.left = None  # index in path of the common ancestor with the item before (None: not within reach)
        self.right = None  # ... with the item after
        self.after_headline = after_headline


def _to_read(root, skip: set, region, headline=None) -> list:
    """The links and h1s of ``region`` (else the page) in document order, less the links in ``skip`` (and the
    headline, where it is no h1)."""
    scope = region if region is not None else root
    if headline is not None and headline.tag not in ("a", "h1"):
        return [el for el in scope.iter("a", "h1", headline.tag)
                if el not in skip and (el.tag != headline.tag or el is headline)]
    if not skip:
        return list(scope.iter("a", "h1"))
    return [el for el in scope.iter("a", "h1") if el not in skip]


def main_part(headline):
    """The band of the page that holds the headline (with the article's lists and the sidebar beside it): its
    ancestor that has the site's header, a menu or the footer beside it. The menus, where most of a page's links
    are, lie outside it. None (the whole page) when no such band shows."""
    if headline is None:
        return None
    ups = list(headline.iterancestors())
    article = next((k for k, el in enumerate(ups) if el.tag == "article"), -1)
    el = headline
    for k, parent in enumerate(ups):
        if parent.tag in ("body", "html"):
            return None
        for sib in parent:
            if sib is el:
                continue
            tag = sib.tag
            if tag in CHROME_TAGS:
                if tag in SITE_CHROME_TAGS or k > article:  # an article's own header and footer are not the site's
                    return el
            elif tag in _NAMED_TAGS:
                c, i = sib.get("class"), sib.get("id")
                if (c and _named_chrome(c)) or (i and _named_chrome(i)):
                    return el
        el = parent
    return None


def _items(links: list, base: str, page_url: str, headline) -> tuple[list[_Item], object]:
    """The article links among ``links`` (and h1s, in document order), merged into items (a card's links), and
    the headline (``headline``, else the first h1 that looks like one, else None)."""
    page = None  # (host, id, on the archived site) of the page, once an article link needs it
    memo = _HREF_MEMO
    items: list[_Item] = []
    after_headline = False
    prev = None
    for el in links:
        href = el.get("href")
        if href is None:
            if not after_headline and (el is headline or (el.tag == "h1" and headline is None and _headline_like(el))):
                after_headline = True
                headline = el
            continue
        link = memo.get(href, _MISSING)
        if link is _MISSING or link is _RELATIVE:
            link = _article_link(base, href)
        if link is None:
            continue
        url, host, aid = link
        if page is None:
            page_host = _host(page_url) if page_url else ""
            page = (page_host, article_id(page_url) if page_url else None, is_site_host(page_host))
        if url == page_url or (host != page[0] and not (page[2] and is_site_host(host))):
            continue  # the page itself, or another site
        if aid == page[1] and host == page[0]:
            continue
        path = tuple(islice(el.iterancestors(), _REACH))
        if prev is not None:
            for k, x in enumerate(path):
                if x in prev.path:
                    if prev.url == url and k < 3:  # a card's thumbnail and title: one item
                        prev.anchors.append(el)
                        if not prev.title:
                            prev.title = link_text(el)
                        break
                    it = _Item(el, url, path, after_headline)
                    it.left, prev.right = k, prev.path.index(x)
                    items.append(it)
                    prev = it
                    break
            else:
                prev = _Item(el, url, path, after_headline)
                items.append(prev)
        else:
            prev = _Item(el, url, path, after_headline)
            items.append(prev)
    if not after_headline:  # no headline on the page: nothing to tell a ticker by
        for it in items:
            it.after_headline = True
    return items, headline if after_headline else None


def _headline_like(h1) -> bool:
    """An h1 that is an article's headline, not the site's logo: a few words of text, no link around them."""
    if h1.find(".//a") is not None:
        return False
    return len("".join(h1.itertext()).split()) >= 3


# --- blocks -------------------------------------------------------------------------------------------

def link_blocks(root, base: str, page_url: str, *, body=None, headline=None, known=(), region=None) -> list[LinkBlock]:
    """The page's related link blocks outside ``body`` (the article's container, when known), in document order.

    ``base`` resolves relative links; ``page_url`` (canonical) names the page itself and its site: links to it
    and to other sites are not related. ``headline`` is the article's h1 (else the first h1 that looks like
    one): a heading-less list before it is the page's chrome (a ticker). ``known``: elements whose links the
    caller has read already (a site template's boxes): left out. ``region``: read only that part of the page
    (see :func:`main_part`), else the whole page.
    """
    skip: set = set()  # the links read already
    for el in (body, *known):
        if el is not None:
            skip.update(el.iter("a"))
    items, headline = _items(_to_read(root, skip, region, headline), base, page_url, headline)
    if not items:
        return []
    ctx = _Context(items, skip, body, headline, base)
    out: list[LinkBlock] = []
    for run in _merged(ctx, _runs(items)):
        out.extend(_read_block(ctx, run))
    return out


class _Run:
    """Neighbouring items with the same list: items[i:j]; the list is at index k of the path of items[i + lead]
    (None: one item alone). ``lead``: a featured card before the list (``box > h2 + card + ul``), where the
    heading search starts."""

    __slots__ = ("i", "j", "k", "lead")

    def __init__(self, i, j, k, lead=0):
        self.i, self.j, self.k, self.lead = i, j, k, lead


def _runs(items) -> list[_Run]:
    runs = []
    n = len(items)
    i = 0
    while i < n:
        k = _nearest(items[i])
        lst = items[i].path[k] if k is not None else None
        j = i + 1
        if lst is not None:
            while j < n and _nearest(items[j]) is not None and items[j].path[_nearest(items[j])] is lst:
                j += 1
        runs.append(_Run(i, j, k if j - i > 1 else None))
        i = j
    return runs


def _merged(ctx: _Context, runs: list[_Run]) -> list[_Run]:
    """Runs that are one block on the page, nothing between them and the second without a heading of its own:
    a box's featured card before its list (``box > h2 + card + ul``), a grid laid out in rows (``tr``, ``tr``)."""
    items = ctx.items
    out: list[_Run] = []
    for run in runs:
        prev = out[-1] if out else None
        if prev is not None and run.k is not None:
            first = items[run.i]
            m = first.left  # the common ancestor with the item before, on first's path
            if m is not None and m - run.k <= 2 and _heading_before(
                    ctx, first.path[run.k - 1] if run.k else first.anchor, (), levels=m - run.k) is None:
                card = items[prev.i]
                if prev.k is None and len(card.anchors) > 1 and card.right is not None and not _label_in_item(
                        ctx, card, card.right):
                    out[-1] = _Run(prev.i, run.j, run.k, lead=1)
                    continue
                if prev.k is not None and not prev.lead and m == run.k + 1:
                    before, lst = items[prev.i].path[prev.k], first.path[run.k]
                    if before.getparent() is lst.getparent() and before.tag == lst.tag:
                        out[-1] = _Run(prev.i, run.j, prev.k)  # the grid's next row
                        continue
        out.append(run)
    return out


def _nearest(it: _Item):
    """Index in the item's path of its list: the nearer common ancestor with its neighbours."""
    if it.left is None:
        return it.right
    if it.right is None:
        return it.left
    return min(it.left, it.right)


class _Context:
    """What the blocks of one page share: every item's links, the elements a heading search must not climb
    into (the body's and the headline's ancestors), the chrome memo."""

    def __init__(self, items, skip, body, headline, base):
        self.items = items
        self.anchors = {a for it in items for a in it.anchors}  # links of lists: a heading never holds one
        self.anchors.update(skip)
        self.blocked = set()
        for el in (body, headline):
            if el is not None:
                self.blocked.add(el)
                self.blocked.update(el.iterancestors())
        self.chrome: dict = {}
        self.footer: dict = {}
        self.header: dict = {}
        self.base = base


def _read_block(ctx: _Context, run: _Run) -> list[LinkBlock]:
    items = ctx.items
    i, j, k = run.i, run.j, run.k
    group = items[i:j]
    if k is None:
        return _lone(ctx, group[0], items[i - 1] if i else None, items[j] if j < len(items) else None)
    first = group[run.lead]
    lst = first.path[k]
    chain = _chain(lst)
    if _in_chrome(chain, ctx.chrome) or _in_footer(ctx, chain) or not _is_list(lst, group[run.lead:], k):
        return _rel_steps(group, chain)
    if run.lead:  # the featured card opens the block: the heading is before it
        card = group[0]
        start = card.path[card.right - 1]
    else:
        start = first.path[k - 1] if k else first.anchor
    tab = _tab_label(ctx, lst)
    found = (tab, True) if tab else _heading_before(ctx, start, _neighbours(items, i, j))
    heading = found[0] if found else None
    if heading is not None and not_related_heading(heading):
        return []
    if not first.after_headline and (not (found and found[1]) or _in_header(ctx, chain)):
        # above the headline, only a box titled as such (a heading element, a related label) is related: a
        # ticker or a menu's featured articles show no heading or a menu's link
        return []
    out: list[LinkBlock] = []
    parts = _split_at_headings(ctx, group, k) if k and not run.lead else [(heading, group)]
    for n, (part_heading, part) in enumerate(parts):
        if n and not_related_heading(part_heading):
            continue
        links: list[tuple[str, str]] = []
        block_anchors: list = []
        for it in part:
            # previous/next links in a pair of items ("Bài trước đó" <a>, "Bài sau đó" <a>) make their own blocks
            kind = _step(_label_in_item(ctx, it, k), it.anchor) if len(group) <= 2 else None
            if kind:
                out.append(_block(None, kind, [it], chain))
                continue
            links.append((it.url, it.title or _clean(it.anchor.get("title"))))
            block_anchors.extend(it.anchors)
        if links:
            out.append(LinkBlock(heading if n == 0 else part_heading, "list", _dedupe(links), block_anchors, lst,
                                 chain, part[0].after_headline))
    if len(out) > 1:  # in the order of their first links
        order = {id(a): n for n, it in enumerate(group) for a in it.anchors}
        out.sort(key=lambda b: order[id(b.anchors[0])])
    return out


# The tabs that name a panel by its id (data-tab, aria-controls) or "#id" (data-target, data-bs-target, href).
_TABS = etree.XPath("descendant-or-self::*[@data-tab=$id or @aria-controls=$id or @data-target=$ref "
                    "or @data-bs-target=$ref or @href=$ref]")


def _tab_label(ctx: _Context, lst):
    """The label of the tab that shows the list's panel: an element just before the panel (the tab bar) whose
    data-tab, aria-controls, data-target or href names the id of the list or of a box around it."""
    el = lst
    for _ in range(_CLIMB + 1):
        if el is None or el in ctx.blocked:
            return None
        pid = el.get("id")
        if pid:
            seen = 0
            for sib in el.itersiblings(preceding=True):
                if not isinstance(sib.tag, str):
                    continue
                tabs = _TABS(sib, id=pid, ref="#" + pid)
                if tabs:
                    label = _clean(" ".join(tabs[0].itertext()))
                    return label if 0 < len(label) <= 30 else None
                seen += 1
                if seen == 2:  # the tab bar sits right before the panels
                    break
        el = el.getparent()
    return None


def _split_at_headings(ctx: _Context, group, k: int) -> list:
    """The items of one list element cut where a heading sits between two of them (a sidebar's "Đọc nhiều"
    and "Mới nhất" titles set as siblings of their items): [(heading, items)], the first part's heading the
    caller's."""
    parts = [(None, [group[0]])]
    for before, it in zip(group, group[1:]):
        label = None
        el = it.path[k - 1]
        for sib in before.path[k - 1].itersiblings():
            if sib is el:
                break
            if not isinstance(sib.tag, str) or sib.tag in _SKIP_TEXT or any(a in ctx.anchors for a in sib.iter("a")):
                continue
            text = _TEXT(sib)
            found = _label(text, sib, False) if text and len(text) <= _LABEL_MAX else None
            if found and found[1] and (sib.tag in _HEADING_TAGS or related_heading(found[0])
                                       or not_related_heading(found[0])):
                label = found[0]
        if label:
            parts.append((label, [it]))
        else:
            parts[-1][1].append(it)
    return parts


def _chain(el) -> tuple:
    """el's ancestors, outermost first, and el."""
    up = list(el.iterancestors())
    up.reverse()
    up.append(el)
    return tuple(up)


def _neighbours(items, i: int, j: int) -> tuple:
    """The items just before and after a group: a heading search stops at their ancestors."""
    return tuple(x for x in (items[i - 1] if i else None, items[j] if j < len(items) else None) if x is not None)


def _lone(ctx: _Context, it: _Item, before, after) -> list[LinkBlock]:
    """A link alone in its part of the page: related only under a related heading or a previous/next label."""
    found = _heading_before(ctx, it.anchor, tuple(x for x in (before, after) if x is not None), label_only=True)
    label = found[0] if found else None
    kind = _step(label, it.anchor)
    heading = None
    lone = False
    if not kind:
        if label and related_heading(label):
            heading = label
        elif len(it.anchors) > 1:
            lone = True  # a card: its thumbnail and its title
        else:
            return []
    chain = _chain(it.anchor.getparent())
    if _in_chrome(chain, ctx.chrome) or _in_footer(ctx, chain) or (not it.after_headline and _in_header(ctx, chain)):
        return _rel_steps([it], chain)
    block = _block(heading, kind or "list", [it], chain)
    block.lone = lone
    return [block]


def _rel_steps(group, chain) -> list[LinkBlock]:
    """The previous/next links the page marks so (rel="prev"/"next") among a pair of links in its chrome: an
    article's neighbours wherever they sit (a <nav> under the article)."""
    if len(group) > 2:
        return []
    return [_block(None, kind, [it], chain) for it in group if (kind := _step(None, it.anchor))]


def _label_in_item(ctx: _Context, it: _Item, k: int):
    """The short text before an item's link inside the item (the list is path[k]); for links set straight in
    the list's element, the text run right before the link ("« Bài trước: <a>…</a><br>Bài sau: <a>…</a>")."""
    if k == 0:
        prev = it.anchor.getprevious()
        text = (prev.tail if prev is not None else it.anchor.getparent().text) or ""
        found = _label(text, None, True) if text.strip() else None
        return found[0] if found else None
    found = _heading_before(ctx, it.anchor, (), label_only=True, levels=k - 1)
    return found[0] if found else None


def _block(heading, kind, group, chain) -> LinkBlock:
    links = [(it.url, it.title or _clean(it.anchor.get("title"))) for it in group]
    anchors = [a for it in group for a in it.anchors]
    return LinkBlock(heading, kind, links, anchors, chain[-1], chain, group[0].after_headline)


def _dedupe(links):
    seen: dict[str, int] = {}
    out = []
    for url, title in links:
        k = seen.get(url)
        if k is None:
            seen[url] = len(out)
            out.append((url, title))
        elif not out[k][1] and title:
            out[k] = (url, title)
    return out


_REL = {"prev": "prev", "previous": "prev", "next": "next"}


def _step(label: str | None, anchor) -> str | None:
    """"prev"/"next" for a previous/next article link (its label, else its rel attribute)."""
    if label:
        kind = step_label(label)
        if kind:
            return kind
    rel = anchor.get("rel")
    if rel:
        for r in rel.split():
            kind = _REL.get(r.lower())
            if kind:
                return kind
    return None


# --- lists and headings -------------------------------------------------------------------------------

_TEXT = etree.XPath("substring(normalize-space(.), 1, 400)")


def _is_list(lst, group, k: int) -> bool:
    """Whether the items carry the list's text: not links set in prose (a paragraph's keyword links). Items
    that each sit in an element of their own (rows, cards) may be a run of the children of a larger box (the
    related rows of an old theme's one big article table): only the children from the first item to the last
    count."""
    items_text = sum(len(it.title) for it in group)
    item_els = {it.path[k - 1] if k else it.anchor for it in group}
    children = lst
    own = len((lst.text or "").strip())
    if k:
        first, last = group[0].path[k - 1], group[-1].path[k - 1]
        if first.getparent() is lst and last.getparent() is lst:
            children, own = lst[lst.index(first):lst.index(last) + 1], 0
    for child in children:
        if child.tail:
            own += len(child.tail.strip())
        if child not in item_els and isinstance(child.tag, str) and child.tag not in _SKIP_TEXT:
            own += len(_TEXT(child))
        if own > 400:
            break
    return own <= max(40, items_text)


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_CLASS = re.compile(r"title|heading|header|head\b|caption|label|name", re.I)
_LABEL_MAX = 80
_CLIMB = 3  # levels a heading search goes up from the list


def _heading_before(ctx: _Context, start, neighbours: tuple, label_only: bool = False, levels: int = _CLIMB):
    """The first text before ``start``, going up the tree at most ``levels`` levels, never into an ancestor of
    the body, the headline or a neighbouring item: (text, strong) when it is heading-like (strong: a heading
    element or a known label), else None. ``label_only``: any short text (a label such as "Bài trước đó").

    Panels of tabs ("Mới nhất | Đọc nhiều" above two lists): the n-th list of the same kind after a bar of
    short labels is headed by the n-th label."""
    el = start
    for _ in range(levels + 1):
        panels = 0
        for sib in el.itersiblings(preceding=True):
            tail = (sib.tail or "").strip()
            if tail:
                return None if panels else _label(tail, None, label_only)
            tag = sib.tag
            if not isinstance(tag, str) or tag in _SKIP_TEXT:
                continue
            text = _TEXT(sib)
            links = any(a in ctx.anchors for a in sib.iter("a"))
            if links:
                if not label_only and tag == el.tag and sib.get("class") == el.get("class"):
                    panels += 1  # a list like this one before it: a tab's panel, perhaps
                    continue
                return None
            if not text:
                continue  # an image, an ad slot, an empty box: look further back
            if len(text) > _LABEL_MAX:
                return None
            tabs = _tab_labels(sib, panels)
            if tabs:
                return (tabs[panels], True) if panels < len(tabs) else None
            if panels:
                return None
            return _label(" ".join(sib.itertext()) if len(sib) else text, sib, label_only)
        if panels:
            return None
        parent = el.getparent()
        if parent is None or parent in ctx.blocked or any(parent in n.path for n in neighbours):
            return None
        own = (parent.text or "").strip()
        if own:
            return _label(own, None, label_only)
        el = parent
    return None


_SEPARATORS = frozenset(" \t\r\n\xa0|/•·-–")


def _tab_labels(el, panels: int) -> list[str]:
    """The labels of a bar of tabs: two or more children, each a short label, with panels after it (or two
    labels of related lists: "Mới nhất", "Đọc nhiều"); not a heading element."""
    if el.tag in _HEADING_TAGS:
        return []
    kids = [k for k in el if isinstance(k.tag, str)]
    if len(kids) < 2 or not _SEPARATORS.issuperset(el.text or "") or \
            any(not _SEPARATORS.issuperset(k.tail or "") for k in kids):
        return []  # text of its own ("Từ khóa: ..."): a box, not a bar of tabs
    labels = [_clean(" ".join(k.itertext())) for k in kids]
    if not all(0 < len(t) <= 30 for t in labels):
        return []
    if panels or sum(1 for t in labels if related_heading(t)) >= 2:
        return labels
    return []


def _label(text: str, el, label_only: bool):
    t = _clean(text).strip(" :»›>|-–")
    if not t or len(t) > _LABEL_MAX:
        return None
    if related_heading(t) or not_related_heading(t) or step_label(t):
        return t, True
    if el is not None and (el.tag in _HEADING_TAGS or _heading_element(el)):
        return t, True
    return (t, False) if label_only or _short_label(t) else None


def _heading_element(el) -> bool:
    c = el.get("class")
    if c and _HEADING_CLASS.search(c):
        return True
    # a box title: the element's text sits in one heading tag or one bold/span run
    kids = [k for k in el if isinstance(k.tag, str)]
    return len(kids) == 1 and not (el.text or "").strip() and (
        kids[0].tag in _HEADING_TAGS or _heading_element(kids[0]))


_DIGITS = re.compile(r"\d")


def _short_label(t: str) -> bool:
    """A few capitalised words without a sentence's end or digits: a box's title ("Hoạt động hội")."""
    words = t.split()
    return (len(words) <= 6 and t[0].isupper() and t[-1] not in ".!?,;\"”…" and not _DIGITS.search(t))


# --- placing blocks against a body found later --------------------------------------------------------

def precedes_chain(chain, body) -> bool:
    """Whether the element of ``chain`` (its ancestors outermost first, then itself, as read before the tree
    changed) came before ``body`` in the document. An element taken out of the tree since was not above it."""
    up = list(body.iterancestors())
    up.reverse()
    up.append(body)
    return _precedes(chain, up)


def precedes(el, body) -> bool:
    """Whether ``el`` comes before ``body`` in the document (neither inside the other)."""
    return precedes_chain(_chain(el), body)


def _precedes(chain, body_chain) -> bool:
    k = 0
    while k < len(chain) and k < len(body_chain) and chain[k] is body_chain[k]:
        k += 1
    if k == 0 or k >= len(chain) or k >= len(body_chain):
        return False  # unrelated trees, or one holds the other
    parent = chain[k - 1]
    try:
        return parent.index(chain[k]) < parent.index(body_chain[k])
    except ValueError:  # the element's branch was taken out of the tree since
        return False
