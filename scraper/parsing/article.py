"""Article parsing: pure functions of HTML and URL (no Scrapy, no I/O).

``parse_article(html, url)`` layers three strategies so that a redesign degrades instead of emptying the
archive:

1. site templates (``mastercms-2026``, ``mastercms-2023``, ``ldtd-2020``: declarative selectors);
2. page metadata (JSON-LD NewsArticle/BreadcrumbList, OpenGraph, ``article:*`` and meta tags) fills what
   the selectors miss, and gives the body when only JSON-LD ``articleBody`` has it;
3. the generic fallback (``fallback.extract``) finds the body by text density when no template does.

``extraction`` records which strategy produced the body and a warning per missing or guessed field.
"""

from __future__ import annotations

import re
from functools import cmp_to_key, lru_cache
from urllib.parse import urlsplit

from ..text import clean_text, normalize_iso, parse_vn_datetime
from ..urls import article_id, canonical_url, is_site_host
from . import fallback
from .body import Block, Body, box_kind, extract_body, pop_trailing_author, pop_trailing_name
from .dom import (absolute, ends_open, html_tree, is_fragment, is_plain_absolute, last_text, parse_page,
                  text_of)
from .errors import OPEN_END_WARNING, NotAnArticle, ParseError, TruncatedPage
from .fallback.fields import LEAD_NAMES, TAG_LINK, headlines, titled_headline
from .link_blocks import block_name, link_blocks, link_text, link_title, main_part, precedes, precedes_chain
from .metadata import Metadata, read_metadata
from .model import LAYERED_FIELDS, Article, Extraction, RelatedLink
from .registry import detect, page_index
from .related import related_heading
from .render import esc_text
from .sanitize import sanitize_html
from .templates import PageIndex, Template, in_chrome

__all__ = ["parse_article", "Article", "ParseError", "NotAnArticle", "TruncatedPage", "sanitize_html"]

_SOFT_404 = re.compile(r"\b404\b|không tìm thấy|không tồn tại|page not found|not found|trang bạn tìm", re.I)
_HEADING_CLASS = re.compile(r"title|name|heading|header|head\b|caption|label", re.I)
_H_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def parse_article(html: str | bytes, url: str) -> Article:
    """The article record of one page. Raises only ParseError (NotAnArticle, TruncatedPage)."""
    try:
        return _parse(html, url)
    except ParseError:
        raise
    except RecursionError:
        raise NotAnArticle("page too deeply nested to parse") from None
    except Exception as exc:  # never let a parser bug escape as anything but a ParseError
        raise ParseError(f"parser failure on {url}: {exc.__class__.__name__}: {exc}") from exc


# --- the record's URL -------------------------------------------------------------------------------

def _record_url(url: str, md: Metadata) -> tuple[str, int]:
    url_id = article_id(url) if url else None
    canon = absolute(url or "https://laodongthudo.vn/", md.canonical) if md.canonical else None
    canon_id = article_id(canon) if canon else None
    page = url or canon or ""
    if url_id is None and canon_id is None and page.startswith("http") and not is_site_host(urlsplit(page).hostname):
        # another site's page (`ldtd parse` works on any article): no archive id; the generic layers do the work
        return canonical_url(canon or url), None
    if canon_id is not None and (url_id is None or url_id == canon_id):
        return canonical_url(canon), canon_id
    named = _named_article(url, url_id, md)
    if named is not None:
        return named
    if canon and canon_id is None and article_id(canon.split("?")[0]) is None and canon.startswith("http"):
        # The page names a listing, tag or home page as its canonical self: not an article.
        raise NotAnArticle(f"the page's canonical URL is not an article: {canon}")
    if url_id is not None:
        return canonical_url(url), url_id
    raise NotAnArticle(f"not an article URL: {url or md.canonical or '(none)'}")


def _named_article(url: str, url_id: int | None, md: Metadata) -> tuple[str, int] | None:
    """(URL, id) of the article the page says it is when that is another article of the URL's site than
    the one requested: its canonical link, og:url and JSON-LD url, those that name an article, all name
    it. None otherwise (the requested URL wins)."""
    if url_id is None:
        return None
    ld_url = md.ld("url")
    if not isinstance(ld_url, str):
        main = md.ld("mainEntityOfPage")
        ld_url = main.get("@id") if isinstance(main, dict) else main
    named = []  # (id, URL), the canonical link's first
    for href in (md.canonical, md.get("og:url"), ld_url if isinstance(ld_url, str) else None):
        link = absolute(url, href.strip()) if href else None
        aid = article_id(link) if link else None
        if aid is not None:
            named.append((aid, link))
    if not named or any(aid != named[0][0] for aid, _link in named):
        return None
    aid, link = named[0]
    if aid == url_id or not _same_host(link, url):
        return None
    return canonical_url(link), aid


def _same_host(a: str, b: str) -> bool:
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return ha.removeprefix("www.") == hb.removeprefix("www.") or (is_site_host(ha) and is_site_host(hb))


# --- related links ----------------------------------------------------------------------------------

def _box_heading(box, base: str) -> str | None:
    """A related box's visible heading: the first heading-like text before its first article link."""
    for el in box.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == "a":
            href = absolute(base, el.get("href"))
            if href and _article_id(href) is not None:
                return None
        c = el.get("class") or ""
        if tag in _H_TAGS or (c and _HEADING_CLASS.search(c) and tag != "a"):
            t = clean_text(text_of(el)).rstrip(" :")
            if t and len(t) <= 80 and not _contains_article_link(el, base):
                return t
        own = el.text
        if own and own.strip():
            h = related_heading(own)
            if h:
                return clean_text(own).rstrip(" :")
    return None


def _contains_article_link(el, base: str) -> bool:
    for a in el.iter("a"):
        href = absolute(base, a.get("href"))
        if href and _article_id(href) is not None:
            return True
    return False


class _RelatedCollector:
    def __init__(self, base: str, self_url: str, self_id: int):
        self.base = base
        self.self_url = self_url
        self.self_id = self_id
        self.blocks: dict[str, list[RelatedLink]] = {}
        self.seen: dict[str, dict[str, RelatedLink]] = {}
        self.untitled: set[tuple[str, str]] = set()  # (block, link) whose title is only an attribute so far
        self._self_tail = f"-{self_id}.html"

    def add_links(self, links, block: str):
        seen = self.seen.setdefault(block, {})
        lst = self.blocks.setdefault(block, [])
        resolve = self._resolve
        for a in links:
            link = resolve(a.get("href"))
            if link is None:
                continue
            r = seen.get(link)
            if r is not None:
                if (block, link) in self.untitled:  # titled by an attribute so far: visible text wins
                    text = link_text(a)
                    if text:
                        r.title = text
                        self.untitled.discard((block, link))
                continue
            text = link_text(a)
            r = RelatedLink(link, text or link_title(a), block, len(lst) + 1)
            if not text:
                self.untitled.add((block, link))
            lst.append(r)
            seen[link] = r

    def _resolve(self, href: str | None) -> str | None:
        """The canonical URL of an article link other than this page, else None (memoised per href)."""
        if not href:
            return None
        # An absolute href (the site links absolutely) resolves the same on every page: memoise it alone,
        # so the sidebars and menus every page repeats are resolved once per crawl, not once per page.
        key = href if is_plain_absolute(href) else (self.base, href)
        memo = _HREF_MEMO.get(key, _MISSING)
        if memo is not _MISSING:
            link = memo
        else:
            link = None
            url = absolute(self.base, href)
            if url:
                aid = article_id(url)
                if aid is not None:
                    link = _canon(url)
            if len(_HREF_MEMO) > 50000:
                _HREF_MEMO.clear()
            _HREF_MEMO[key] = link
        if link is None or link == self.self_url:
            return None
        if link.endswith(self._self_tail) and _article_id(link) == self.self_id and _same_site(link, self.self_url):
            return None
        return link

    def result(self) -> list[RelatedLink]:
        out = []
        for lst in self.blocks.values():
            out.extend(lst)
        return out


_article_id = lru_cache(maxsize=16384)(article_id)
_HREF_MEMO: dict = {}  # href or (base, href) -> canonical article URL or None: links repeat across a site's pages
_MISSING = object()


def _canon(url: str) -> str:
    """canonical_url with a fast path for the common already-canonical https URL."""
    if url.startswith("https://") and "#" not in url and not url.startswith("https://www.") \
            and not url.endswith("?"):
        return url
    return canonical_url(url)


def _same_site(a: str, b: str) -> bool:
    return a.split("/", 3)[2:3] == b.split("/", 3)[2:3]


def _outermost(boxes: list) -> list:
    ids = set(map(id, boxes))
    out = []
    for b in boxes:
        if not any(id(anc) in ids for anc in b.iterancestors()):
            out.append(b)
    return out


# --- the layers -------------------------------------------------------------------------------------

def _parse(html: str | bytes, url: str) -> Article:
    root, text, open_el = parse_page(html)
    md = read_metadata(root)

    if is_fragment(text) and root.find(".//h1") is None:
        return _from_fragment(root, open_el, md, url)

    index = page_index(root)
    template = detect(index)
    container = template.first("body", index) if template is not None else None
    if container is None:
        template = None

    # Truncation is judged on evidence, not on end tags: a page is cut when it stops inside its article.
    # One that only lacks </body></html> (a theme or a server template that never closes the document)
    # is complete, with a warning; whether the transfer was whole is the crawler's to judge.
    if ends_open(container, open_el):
        raise TruncatedPage("the page ends inside the article body")

    rec_url, rec_id = _record_url(url, md)
    base = rec_url

    if template is not None:
        article = _from_template(root, index, md, template, container, rec_url, rec_id, base)
    else:
        try:
            article = _from_fallback(root, text, md, rec_url, rec_id, base)
        except NotAnArticle:
            if open_el is not None and open_el.tag not in ("html", "body"):
                raise TruncatedPage("the page ends before its article body") from None
            raise
        if open_el is not None and _ends_in_body(root, open_el, article.body):
            raise TruncatedPage("the page ends inside the article body")
        if open_el is not None and article.extraction.strategy == "fallback" and \
                not _after_headline(root, article.body, article.title):
            raise TruncatedPage("the page ends before its article body (what precedes the headline is not an article)")
    if open_el is not None:
        article.extraction.warnings.append(OPEN_END_WARNING)
    requested = article_id(url) if url else None
    if requested is not None and requested != rec_id:
        article.extraction.warnings.append(f"url: the page says it is article {rec_id}, not the requested {requested}")
    return article


# Without a site template's container, a page whose source stops this close after the end of its article's
# text (in visible characters) stopped inside the article: its container was still open.
_CUT_MARGIN = 300


def _ends_in_body(root, open_el, body: str) -> bool:
    """Without a site template's container: the source stops inside an element (not merely before the
    document's end tags), and within a few lines of where the article's text ends: the cut paragraph or
    the rest of the article's container is what is missing."""
    if open_el.tag in ("html", "body"):
        return False
    if not body:
        return True
    end = body[-60:].split("\n\n")[-1].rstrip("\ufffd")  # (a cut mid-character leaves a U+FFFD or two)
    text = clean_text(text_of(root)).rstrip("\ufffd")
    at = text.rfind(end)
    return at >= 0 and len(text) - (at + len(end)) < _CUT_MARGIN


def _after_headline(root, body: str, title: str) -> bool:
    """The end of the body's text is found after the page's headline (a page that stops between its
    headline and its article leaves the generic extraction only the page's chrome before the headline).
    Without an h1, the headline is the element showing the title; a page that shows it nowhere stopped
    before it."""
    h1 = root.find(".//h1")
    if h1 is None:
        h1 = titled_headline(root, title)
    if h1 is None:
        return False
    parts = [text_of(h1)]
    node = h1
    while node is not None:
        parts.append(node.tail or "")
        for sib in node.itersiblings():
            if isinstance(sib.tag, str):
                parts.append(text_of(sib))
            parts.append(sib.tail or "")
        node = node.getparent()
    end = body[-60:].split("\n\n")[-1]
    return end in clean_text("".join(parts))


def _from_fragment(root, open_el, md: Metadata, url: str) -> Article:
    """A body-only fragment (an article body as CMS databases and dumps store it): the fragment is the
    body; a block marked as the lead (class or id desc/sapo/lead...) is the lead; it has no headline."""
    if open_el is not None and open_el.tag not in ("html", "body"):  # the fragment is the body: all of it
        raise TruncatedPage("the fragment ends inside the article body")
    warnings = ["fragment: an article body without its page"]
    rec_url, rec_id = _record_url(url, md) if url else (None, None)
    if rec_url is None:
        warnings.append("url: unknown")
    base = rec_url or ""
    body_el = root.find("body")
    if body_el is None:
        body_el = root
    lead = _marked_lead(body_el)
    sapo = ""
    if lead is not None:
        sapo = clean_text(text_of(lead))
        _remove_keeping_tail(lead)
    if not sapo:
        warnings.append("sapo: missing")
    body = extract_body(body_el, base)
    author = body.author or pop_trailing_author(body) or pop_trailing_name(body)
    if not body.text and not body.images:
        raise NotAnArticle("no article body")
    warnings += ["title: missing", "published_at: missing", "category: missing"]
    if not author:
        warnings.append("author: missing")
    col = _RelatedCollector(base, rec_url or "", rec_id)
    for box in _outermost(list(body.related_boxes)):
        col.add_links(box.iter("a"), _box_heading(box, base) or "inline")
    article = Article(
        url=rec_url, id=rec_id, title=None, sapo=sapo, body=body.text, body_html=body.html, author=author,
        published_at=None, updated_at=None, category=None, category_url=None, tags=[], images=body.images,
        related=col.result(),
    )
    layers = {"sapo": "fallback", "body": "fallback", "author": "fallback"}
    article.extraction = _extraction("fallback", None, warnings, layers, article)
    return article


def _marked_lead(body_el):
    """The fragment's lead: the first element whose class or id names it, before the second text block
    (a lead opens the article), outside related boxes."""
    blocks = 0
    for el in body_el.iter():
        if el is body_el or not isinstance(el.tag, str):
            continue
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if LEAD_NAMES.search(marks) and clean_text(text_of(el)) \
                and not any(box_kind(a) == "related" for a in el.iterancestors()):
            return el
        if el.tag in ("p", "h2", "h3", "h4", "li", "blockquote") and clean_text(text_of(el)):
            blocks += 1
            if blocks >= 2:
                return None
    return None


def _remove_keeping_tail(el) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _title_soft404(title: str | None, md: Metadata) -> bool:
    t = title or md.title_tag or ""
    return bool(t) and len(t) < 80 and bool(_SOFT_404.search(t))


def _fill_dates(md: Metadata, visible: str | None, layers: dict, visible_layer: str):
    """published_at and updated_at: metadata first, then the visible date (ISO) the given layer read."""
    published = normalize_iso(md.published) or normalize_iso(md.get("article:published_time"))
    if published:
        layers["published_at"] = "metadata"
    elif visible:
        published = visible
        layers["published_at"] = visible_layer
    updated = (normalize_iso(md.modified) or normalize_iso(md.get("article:modified_time"))
               or normalize_iso(md.get("og:updated_time")))
    if updated:
        layers["updated_at"] = "metadata"
    return published, updated


def _extraction(strategy: str, template: str | None, warnings: list[str], layers: dict, article: Article) -> Extraction:
    """The record's extraction: which layer gave each field that has a value (None for an empty field)."""
    fields = {f: (layers.get(f) if getattr(article, f) else None) for f in LAYERED_FIELDS}
    return Extraction(strategy=strategy, template=template, warnings=warnings, fields=fields)


def _from_template(root, index: PageIndex, md: Metadata, t: Template, container, rec_url: str, rec_id: int, base: str) -> Article:
    warnings: list[str] = []
    layers = {"title": "selectors", "sapo": "selectors", "body": "selectors", "author": "selectors",
              "category": "selectors", "tags": "selectors"}

    h1 = t.first("title", index)
    title = clean_text(text_of(h1)) if h1 is not None else ""
    if not title:
        first_h1 = root.find(".//h1")
        title = clean_text(text_of(first_h1)) if first_h1 is not None else ""
        layers["title"] = "fallback"
    if not title:
        title = md.headline or _og_title(md) or ""
        layers["title"] = "metadata"
        if title:
            warnings.append("title: from metadata")
    if _title_soft404(title, md) and not title:
        raise NotAnArticle("soft 404 page")

    sapo_el = t.first("sapo", index)
    sapo = clean_text(text_of(sapo_el)) if sapo_el is not None else ""
    if not sapo:
        sapo = md.get("og:description", "description") or ""
        layers["sapo"] = "metadata"
        warnings.append("sapo: from metadata" if sapo else "sapo: missing")

    body = extract_body(container, base)
    author = body.author
    if author is None and t.author:
        boxes_ids = None
        for el in t.find("author", index):
            if boxes_ids is None:
                boxes_ids = set(map(id, t.find("related", index)))
            if any(id(a) in boxes_ids for a in el.iterancestors()):
                continue
            author = clean_text(text_of(el)) or None
            if author:
                break
    if author is None and t.trailing_author:
        author = pop_trailing_author(body)

    if not body.text and not body.images:
        if _title_soft404(title, md):
            raise NotAnArticle("soft 404 page")
        raise NotAnArticle("no article body")
    if not title:
        raise NotAnArticle("no headline")

    date_el = t.first("date", index, h1)
    visible_date = parse_vn_datetime(text_of(date_el)) if date_el is not None else None
    published, updated = _fill_dates(md, visible_date, layers, "selectors")
    if not published:
        warnings.append("published_at: missing")

    category, category_url = _category(t, index, md, base, warnings, layers, h1, page=(rec_url, title))

    tags = _dedupe(clean_text(text_of(a)) for a in t.find("tags", index))
    if not tags:
        tags = md.keywords
        layers["tags"] = "metadata"

    related = _related(root, index, t, container, body, rec_url, rec_id, base)

    article = Article(
        url=rec_url, id=rec_id, title=title, sapo=sapo, body=body.text, body_html=body.html, author=author,
        published_at=published, updated_at=updated, category=category, category_url=category_url, tags=tags,
        images=body.images, related=related,
    )
    article.extraction = _extraction("selectors", t.name, warnings, layers, article)
    return article


def _section_crumb(crumbs, base: str, page_url: str, title: str) -> tuple[str, str | None] | None:
    """(name, URL) of the last breadcrumb that is not the page itself: many sites end the trail with the
    article (its own URL, or its headline as the name), and the category is the item before it."""
    page = canonical_url(page_url) if page_url else None
    for name, u in reversed(crumbs):
        href = absolute(base, u) if u else None
        url = canonical_url(href) if href else None
        if (page and url == page) or (title and name == title):
            continue
        return name, url
    return None


def _og_title(md: Metadata) -> str | None:
    t = md.get("og:title")
    if t and " | " in t:
        t = t.rsplit(" | ", 1)[0].strip()
    return t


def _category(t: Template, index: PageIndex, md: Metadata, base: str, warnings: list[str], layers: dict,
              headline=None, page: tuple[str, str] = ("", "")):
    if t.compiled.get("category") is not None and t.compiled["category"].near:
        a = t.first("category", index, headline)
        links = [a] if a is not None and clean_text(text_of(a)) else []
    else:
        links = [a for a in t.find("category", index) if clean_text(text_of(a))]
    if links:
        a = links[-1] if t.category_pick == "last" else links[0]
        href = absolute(base, a.get("href"))
        return clean_text(text_of(a)), (canonical_url(href) if href else None)
    layers["category"] = "metadata"
    crumb = _section_crumb(md.breadcrumbs, base, *page)
    if crumb is not None:
        warnings.append("category: from metadata")
        return crumb
    if md.section:
        warnings.append("category: from metadata")
        return md.section, None
    warnings.append("category: missing")
    return None, None


def _dedupe(items) -> list[str]:
    out, seen = [], set()
    for x in items:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _related(root, index: PageIndex, t: Template, container, body: Body, rec_url: str, rec_id: int, base: str) -> list[RelatedLink]:
    chrome: dict = {}
    outside = [b for b in t.find("related", index) if not in_chrome(b, chrome)]
    # Boxes inside the body container come from the body walk; others must not be inside it.
    boxes = list(body.related_boxes)
    inner = set(map(id, boxes))
    for b in outside:
        if id(b) in inner:
            continue
        boxes.append(b)
    boxes = _outermost(boxes)
    prevs = t.find("prev", index)
    nexts = t.find("next", index)
    # The lists the template does not name (a heading-less grid, a sidebar's list in another box), found by
    # structure in the band of the page that holds the headline.
    headline = t.first("title", index)
    generic = [g for g in link_blocks(root, base, rec_url, body=container, headline=headline,
                                      known=(*boxes, *prevs, *nexts),
                                      region=main_part(headline)) if not g.lone]
    if not boxes and not prevs and not nexts and not generic:
        return []
    body_start = index.position(container)
    inner_ids = set(map(id, body.related_boxes))
    items = [(index.position(b), "box", b) for b in boxes]
    items += [(index.position(a), "prev", a) for a in prevs]
    items += [(index.position(a), "next", a) for a in nexts]
    items.sort(key=lambda x: x[0])
    if generic:
        items += [(0, "generic", g) for g in generic]
        items.sort(key=cmp_to_key(lambda x, y: -1 if precedes(_element(x), _element(y)) else 1))
    col = _RelatedCollector(base, rec_url, rec_id)
    box_ids = set(map(id, boxes))
    for pos, kind, el in items:
        if kind == "box":
            heading = _box_heading(el, base)
            if not heading:
                heading = "inline" if (id(el) in inner_ids or pos < body_start) else "related"
            col.add_links(el.iter("a"), heading)
        elif kind == "generic":
            col.add_links(el.anchors, block_name(el, precedes(el.element, container)))
        else:
            if any(id(anc) in box_ids for anc in el.iterancestors()):
                continue
            col.add_links([el], kind)
    return col.result()


def _element(item):
    return item[2].element if item[1] == "generic" else item[2]


def _related_around(lists, container, paragraphs: list[str]) -> list[RelatedLink]:
    """The related links of a page no template understood: the link lists outside the article's container,
    and those inside it that the body left out of its text (an inline box)."""
    text = "\n".join(paragraphs)
    blocks: dict[str, list[RelatedLink]] = {}
    for lst in lists:
        inside = container is not None and container in lst.chain
        if (lst.lone and not inside) or (inside and any(title and title in text for _, title in lst.links)):
            continue  # a card alone outside the article, or links the body kept as its text
        name = block_name(lst, inside or (container is not None and precedes_chain(lst.chain, container)))
        out = blocks.setdefault(name, [])
        have = {r.url for r in out}
        for url, title in lst.links:
            if url not in have:
                have.add(url)
                out.append(RelatedLink(url, title, name, len(out) + 1))
    return [r for out in blocks.values() for r in out]


def _drop_lead_block(body: Body, lead: str) -> None:
    """The lead repeated as the body's first text block belongs to ``sapo`` only: dropped from the body."""
    for i, block in enumerate(body.blocks):
        if block.kind in ("figure", "video"):
            continue
        if block.text == lead:
            del body.blocks[i]
        return


def _from_fallback(root, text: str, md: Metadata, rec_url: str, rec_id: int, base: str) -> Article:
    warnings: list[str] = ["no site template matched"]
    layers: dict = {}
    h1s = headlines(root, base)
    h1_title = clean_text(text_of(h1s[0])) if h1s else ""
    if _title_soft404(h1_title or md.title_tag, md) and not md.article:
        raise NotAnArticle("soft 404 page")

    # The fallback mutates the tree it is given, and works on lxml.html elements: hand it a fresh one.
    fresh = html_tree(text)
    # read before the fallback changes the tree; a headline that is no h1 still parts the ticker above it
    shown = None if h1s else titled_headline(fresh, fallback.page_title(fresh, base))
    lists = link_blocks(fresh, base, rec_url, headline=shown)
    fb = fallback.extract(fresh, rec_url)
    warnings.extend(fb.warnings)

    strategy = layers["body"] = "fallback"
    body = fb.body
    article_body = clean_text(md.ld("articleBody") if md.article else None)
    if not body.text and article_body:
        strategy = layers["body"] = "metadata"
        body = Body(blocks=[Block("p", p, f"<p>{esc_text(p)}</p>") for p in
                            map(clean_text, re.split(r"\n\s*\n|\r\n|\n", str(md.ld("articleBody")))) if p])
        warnings.append("body: from JSON-LD articleBody")
    if not body.text:
        raise NotAnArticle("no article body found")

    title, layers["title"] = h1_title, "fallback"
    if not title and not h1s and titled_headline(root, clean_text(fb.title)) is not None:
        title = clean_text(fb.title)  # the page shows it as its headline, in another element than an h1
    if not title:
        title = clean_text(fb.title) or md.headline or _og_title(md) or ""
        layers["title"] = "metadata"
        warnings.append("title: guessed" if title else "title: missing")
    if not title:
        raise NotAnArticle("no headline")

    # The lead: the page's description, else the block the fallback saw between the headline and the body;
    # never in the body.
    sapo, layers["sapo"] = md.get("og:description", "description") or "", "metadata"
    if not sapo:
        sapo, layers["sapo"] = fb.lead, "fallback"
    if not sapo:
        warnings.append("sapo: missing")
    for lead in dict.fromkeys((sapo, fb.lead)):
        if lead:
            _drop_lead_block(body, lead)
    related = _related_around(lists, fb.container, body.text.split("\n\n"))

    author, layers["author"] = clean_text(fb.author), "fallback"
    if not author:
        author, layers["author"] = md.author or None, "metadata"
    if not author:
        warnings.append("author: missing")

    published, updated = _fill_dates(md, fb.published, layers, "fallback")
    if not published:
        warnings.append("published_at: missing")
    elif layers["published_at"] == "fallback":
        warnings.append("published_at: guessed from visible date")

    category = category_url = None
    crumb = _section_crumb(md.breadcrumbs, base, rec_url, title)
    if crumb is not None:
        category, category_url = crumb
        layers["category"] = "metadata"
    elif fb.category:
        category, category_url, layers["category"] = fb.category, fb.category_url, "fallback"
    elif md.section:
        category, layers["category"] = md.section, "metadata"
    if category and not category_url:
        category_url = fb.category_url if fb.category == category else _visible_category_url(root, category, base)
    if not category:
        warnings.append("category: missing")
    elif not category_url:
        warnings.append("category_url: missing")

    tags, layers["tags"] = fb.tags, "fallback"
    if not tags:
        tags, layers["tags"] = md.keywords, "metadata"

    article = Article(
        url=rec_url, id=rec_id, title=title, sapo=sapo, body=body.text, body_html=body.html,
        author=author, published_at=published, updated_at=updated, category=category, category_url=category_url,
        tags=tags, images=body.images, related=related,
    )
    article.extraction = _extraction(strategy, None, _dedupe(warnings), layers, article)
    return article


def _visible_category_url(root, name: str, base: str) -> str | None:
    """The URL of the page's link named like its category (a breadcrumb), nearest the headline first."""
    h1 = root.find(".//h1")
    scopes = []
    if h1 is not None:
        p = h1.getparent()
        if p is not None:
            scopes.append(p)
    scopes.append(root)
    for scope in scopes:
        for a in scope.iter("a"):
            if clean_text(text_of(a)) == name:
                href = absolute(base, a.get("href"))
                if href and article_id(href) is None and not TAG_LINK.search(href):
                    return canonical_url(href)
    return None
