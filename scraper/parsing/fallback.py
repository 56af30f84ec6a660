"""Generic article extraction: the last layer of the parser, for pages no site template understands.

``extract(root, url) -> Fallback`` finds an article's text by its density, with no knowledge of
class names (they are hints at most), in any language:

1. Clean: drop scripts, styles, form controls, iframes, ``nav``/``aside``/``footer``, comments and
   hidden elements; sidebars' related lists (an ``aside`` headed "Xem nhiều", "Most read" ...) are
   collected first.  Boxes whose class/id says share/comment/related/sidebar/ad go too, unless they
   hold a large share of the page's text (a hint must never cost the article).
2. Segment: one iterative walk cuts the text into blocks at block-level tags (``p``, headings,
   ``li``, ``div``, ``td`` ...), keeping per block its element, link text and inline markup.
3. Score: long punctuated link-poor text counts for (CJK counted by characters), short lines,
   dates and link text against; teasers (a summary under another article's headline link, lists
   of headline+cut-summary items) count against.  Scores are summed bottom-up over the tree and the
   best element is the container; when it lies away from the title's ``h1``, the smallest box
   around the ``h1`` with half as much good text wins.
4. Related news: a short block whose text is a related-news label (``related_heading``: "Tin liên
   quan", "Nên xem", "Cùng chuyên mục" ...; English ones too) heads a box, whose links go to
   ``related`` under that label and whose text never reaches the body; link-dense boxes inside the
   container (two or more links, mostly link text) are ``block="inline"``.
5. Inside the container: the best contiguous run of text (chrome before the headline and cookie
   notices, bios, teasers after the text fall away); link-only lines dropped; a lead equal to the
   page's description and set apart is left to the caller (``sapo``); images with their captions
   (never body text; images linking elsewhere are teasers/ads); a short by-line right after the text
   (or an article ``footer``/author-named box) is the ``author``.

Measured on the public article-extraction benchmark by ``python -m bench.aeb``.

**The caller's tree is mutated**: elements are dropped, a kept by-line ``footer`` is renamed ``div``
and marked ``data-fallback-byline``.  Pass a tree you no longer need.  Pure (no I/O), lxml only, and
iterative everywhere: a 10,000-deep tree does not recurse; nothing here raises on odd input.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..urls import article_id
from .model import Image, RelatedLink
from .related import related_heading
from .text import clean_text

__all__ = ["Fallback", "extract"]


@dataclass
class Fallback:
    """What the fallback found: text blocks in order (cleaned), the same as canonical safe HTML, and so on."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    body_html: str = ""
    images: list[Image] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    author: str | None = None
    warnings: list[str] = field(default_factory=list)
    container: object = None  # the element holding the article's text (of the tree extract was given)


# --- tag classes -------------------------------------------------------------------------------

_DROP_TAGS = frozenset(
    "script style noscript template svg math iframe frame frameset object embed canvas button input "
    "select option optgroup textarea label nav aside footer dialog link meta head title map area "
    "audio track menu".split()
)
_BLOCK_TAGS = frozenset(
    "address article blockquote body center dd details dir div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr html li main ol p pre section summary table tbody td tfoot th "
    "thead tr ul caption legend".split()
)
_HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_INLINE_MARK = {"a": "a", "b": "strong", "strong": "strong", "i": "em", "em": "em"}

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

# English (and a few other) related-news labels, next to the Vietnamese ones of ``related.py``.
_OTHER_RELATED = re.compile(
    r"^(?:related(?: \w+)?|read (?:more|next|also)|more (?:from|on|in|stories|news|articles)\b.*|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?|"
    r"most (?:popular|read|viewed|shared)|trending(?: now)?|see also|also read|further reading|"
    r"latest (?:news|stories|articles)|top stories|popular (?:posts|stories|articles))\W*$",
    re.I,
)

_CAPTION = re.compile(r"caption|credit|(?:^|[\s_-])(?:photo|image|img)-?(?:desc|text|info|source)", re.I)
_SENTENCE = re.compile(r"[.!?…:;,。、！？「」\"”»)]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")


def _related_label(text: str) -> str | None:
    if not text or len(text) > 48:
        return None
    vn = related_heading(text)
    if vn:
        return text.rstrip(" :") if len(text) <= 40 else vn
    if _OTHER_RELATED.match(text):
        return text.rstrip(" :")
    return None


# --- segments ----------------------------------------------------------------------------------


class _Seg:
    __slots__ = ("block", "tokens", "chars", "link_chars", "n_links", "text", "kind", "level",
                 "score", "scored", "state", "img", "video", "lead_link")

    def __init__(self, block):
        self.block = block
        self.tokens: list = []
        self.chars = 0
        self.link_chars = 0
        self.n_links = 0
        self.text = ""
        self.kind = "p"
        self.level = 0
        self.score = 0.0
        self.scored = False
        self.lead_link = 0  # characters of the link the block opens with (a teaser's headline)
        self.state = ""  # "" body candidate, "related", "caption", "box", "drop"
        self.img = None  # (element, src, alt) for image (and video) segments, kind "img"
        self.video = False


_HIDDEN_XPATH = './/*[@hidden or @aria-hidden="true" or contains(@style, "none") or contains(@style, "hidden")]'


def _visible_attrs_hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and ("none" in style or "hidden" in style):
        s = style.replace(" ", "").lower()
        return "display:none" in s or "visibility:hidden" in s
    return False


def _clean(body, rel=None) -> list:
    """Drop what is never article text (mutates the tree); related lists of sidebars go to ``rel``.

    The heavy lifting is lxml's (``strip_elements``, XPath): this runs on every fallback parse.
    """
    for el in body.iter("aside", "footer"):
        if el.tag == "footer":
            if _byline_footer(el):
                el.tag = "div"  # an article's by-line footer survives as a plain block
                el.set(_BYLINE_MARK, "1")
        elif rel is not None and not any(a.tag == "aside" for a in el.iterancestors()):
            _aside_related(el, rel)  # the outermost aside covers the ones inside it
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS, with_tail=False)
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
        _drop(el)
    _drop_hinted(body, hinted)
    return alive


_BYLINE_NAME = re.compile(r"byline|author", re.I)
_BYLINE_MARK = "data-fallback-byline"


def _marked_byline(s) -> bool:
    if s.chars > 60:
        return False
    el = s.block
    for _ in range(3):
        if el is None:
            return False
        if el.get(_BYLINE_MARK):
            return True
        el = el.getparent()
    return False


def _short_plain(el) -> bool:
    if el.find(".//a") is not None:
        return False
    text = el.text_content().strip()
    return 0 < len(text) <= 60


_LABEL_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "header", "li", "a")


def _aside_related(aside, rel) -> None:
    """The related-news lists of a sidebar (headed by a label such as "Xem nhiều") before it goes."""
    for el in aside.iter(*_LABEL_TAGS):
        raw = el.text_content()
        if len(raw) > 200:
            continue  # labels are short: no need to clean a whole column's text
        label = _related_label(clean_text(raw))
        if not label:
            continue
        if el.tag == "a" or el.find(".//a") is not None:
            continue  # a tab or menu link named like a label is not a heading
        box, p = None, el.getparent()
        for _ in range(4):
            if p is None:
                break
            if any(True for _ in _links_in(p, rel.base, rel.page)):
                box = p
                break
            if p is aside:
                break
            p = p.getparent()
        if box is not None:
            rel.add_box(box, label)


def _byline_footer(el) -> bool:
    """A short footer of an article without links: its by-line (kept as a candidate author line)."""
    if el.find(".//a") is not None:
        return False
    text = el.text_content().strip()
    if not text or len(text) > 80:
        return False
    return any(a.tag == "article" for a in el.iterancestors())


def _drop(el) -> None:
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


def _img_src(el, base: str) -> str:
    for attr in ("data-src", "data-original", "data-lazy-src", "data-srcset", "data-url", "src", "srcset"):
        v = el.get(attr)
        if not v:
            continue
        v = v.strip()
        if attr.endswith("srcset"):
            v = v.split(",")[0].strip().split(" ")[0]
        if not v or v.startswith("data:") or v.startswith("about:"):
            continue
        u = urljoin(base, v)
        if u.startswith(("http://", "https://")):
            return u
    return ""


def _segment(body, base: str) -> list[_Seg]:
    segs: list[_Seg] = []
    blocks = [body]
    cur = _Seg(body)
    a_depth = 0
    block_tags, inline_mark = _BLOCK_TAGS, _INLINE_MARK

    def flush():
        nonlocal cur
        if cur.chars:
            segs.append(cur)
            cur = _Seg(blocks[-1])
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
                cur.tokens.append(("br",))
                continue
            elif tag == "img" or tag == "video":
                # every image marks its place (captions are found from it); only those with an
                # http(s) source become images of the article
                flush()
                m = _Seg(blocks[-1])
                m.kind = "img"
                if tag == "video":
                    src = el.get("src") or next((x.get("src") for x in el.iter("source") if x.get("src")), "")
                    u = urljoin(base, src.strip()) if src else ""
                    m.video = True
                    m.img = (el, u if u.startswith(("http://", "https://")) else "", "")
                else:
                    m.img = (el, _img_src(el, base), clean_text(el.get("alt")))
                segs.append(m)
                text = el.text
            else:
                mark = inline_mark.get(tag)
                if mark == "a":
                    a_depth += 1
                    cur.n_links += 1
                    cur.tokens.append(("a", (el.get("href") or "").strip()))
                elif mark:
                    cur.tokens.append((mark,))
                text = el.text
        else:
            if el is body:
                flush()
                continue
            if tag in block_tags:
                flush()
                blocks.pop()
                cur.block = blocks[-1]
            elif isinstance(tag, str):
                mark = inline_mark.get(tag)
                if mark == "a":
                    a_depth -= 1
                    cur.tokens.append(("/a",))
                elif mark:
                    cur.tokens.append(("/" + mark,))
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
        s.text = clean_text("".join(t if isinstance(t, str) else (" " if t[0] == "br" else "") for t in s.tokens))
        s.chars = len(s.text)
        if s.link_chars > s.chars:
            s.link_chars = s.chars
        t = s.block.tag
        if t in _HEADINGS:
            s.kind, s.level = "h", _HEADINGS[t]
        elif t == "li":
            s.kind = "li"
            s.lead_link = _lead_link(s.tokens)
    return [s for s in segs if s.kind == "img" or s.text]


# --- scoring -----------------------------------------------------------------------------------


def _lead_link(tokens) -> int:
    n, in_a = 0, False
    for t in tokens:
        if isinstance(t, str):
            if in_a:
                n += len(t.strip())
            elif t.strip():
                return n
        elif t[0] == "a":
            in_a = True
        elif t[0] == "/a":
            in_a = False
            if n:
                return n
    return n


def _teaser_lists(segs: list[_Seg]) -> None:
    """Lists whose items open with a headline link and go on with a cut summary: other articles' teasers."""
    by_list: dict = {}
    for s in segs:
        if s.kind == "li" and not s.state:
            by_list.setdefault(s.block.getparent(), []).append(s)
    for items in by_list.values():
        if len(items) < 3:
            continue
        # a summary cut short ("…") is the mark of a teaser: a roundup's items are whole sentences
        teasers = [s for s in items if s.lead_link >= 20 and s.chars - s.link_chars >= 40
                   and s.text.endswith(("...", "…", "[…]", "[...]"))]
        if len(teasers) * 5 >= len(items) * 3:
            for s in teasers:
                if s.score > 0:
                    s.score = -0.5 * s.score


def _seg_score(s: _Seg) -> float:
    n = s.chars
    if s.kind == "img":
        return 0.0
    ld = s.link_chars / n if n else 0.0
    if ld > 0.5:
        return -n * ld * 0.6
    words = len(_WORD.findall(s.text))
    cjk = len(_CJK.findall(s.text))
    if cjk:
        # no spaces between words: about two characters a word, and each character counts double
        words = max(words, cjk // 2)
        n += cjk
    punct = len(_SENTENCE.findall(s.text))
    if s.kind == "h" or s.block.tag in ("td", "th"):
        return 0.0
    if n < 80 and sum(1 for ch in s.text if ch.isalpha()) * 2 < n:
        return -n * 0.5  # dates, times, counters: mostly digits and signs
    if words >= 12 and punct >= 1:
        return (n - s.link_chars) * (1.0 - ld)
    if words >= 25:
        return (n - s.link_chars) * 0.7
    if words >= 6 and punct:
        return (n - s.link_chars) * 0.3
    if s.kind == "li":
        return 0.0
    return -min(n, 60) * 0.5


def _ancestors(el, limit=64):
    out = []
    p = el
    while p is not None and limit:
        out.append(p)
        p = p.getparent()
        limit -= 1
    return out


_H1_SHARE = 0.5


def _teaser(s: _Seg, stats) -> bool:
    """A lead under a linked headline in a small item: a teaser of another article."""
    el = s.block
    for _ in range(3):
        if el is None:
            return False
        tc, lc, nl = stats(el)
        if tc > 700:
            return False
        if stats.prose(el) > 1:
            return False  # several paragraphs: an article's text, not one teaser
        other = lc - s.link_chars
        if other >= 20 and other >= 0.1 * tc:
            return True
        el = el.getparent()
    return False


def _choose_container(body, segs: list[_Seg], stats, title: str = ""):
    score: dict = {}
    fresh = False
    for s in segs:
        if not s.state and not s.scored:  # scores do not change between calls
            s.score = _seg_score(s)
            if s.score > 0 and _teaser(s, stats):
                s.score = -0.5 * s.score
            s.scored = fresh = True
    if fresh:
        _teaser_lists(segs)
    for s in segs:
        if s.state:
            continue
        if s.score:
            score[s.block] = score.get(s.block, 0.0) + s.score
    # bottom-up sums over the whole tree (reversed pre-order: children before parents)
    pos: dict = {}
    for s in segs:
        if not s.state and s.score > 0:
            pos[s.block] = pos.get(s.block, 0.0) + s.score
    totals: dict = {}
    ptotals: dict = {}
    sums: dict = {}
    best, best_score = body, float("-inf")
    for el in stats.bottom_up:
        v = score.get(el, 0.0) + totals.pop(el, 0.0)
        pv = pos.get(el, 0.0) + ptotals.pop(el, 0.0)
        sums[el] = pv
        if v > best_score:
            best, best_score = el, v
        p = el.getparent()
        if p is not None and el is not body:
            totals[p] = totals.get(p, 0.0) + v
            ptotals[p] = ptotals.get(p, 0.0) + pv
    # the headline sits with its text: when the best container is elsewhere (a short article
    # beside a wordy footer), the smallest box around the title's h1 holding a fair share of
    # good text wins
    if title and best_score > 0:
        for s in segs:
            if s.kind == "h" and s.block.tag == "h1" and s.text == title:
                if _inside(s.block, best):
                    break
                for anc in _ancestors(s.block.getparent(), 40):
                    if _inside(best, anc):
                        break
                    if sums.get(anc, 0.0) >= _H1_SHARE * best_score:
                        return anc, sums[anc]
                break
    return best, best_score


# --- related boxes -----------------------------------------------------------------------------


def _is_articleish(url: str, page: str) -> bool:
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


def _links_in(el, base: str, page: str):
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        u = urljoin(base, href).split("#")[0]
        if not _is_articleish(u, page):
            continue
        title = clean_text(a.text_content()) or clean_text(a.get("title"))
        yield u, title


class _Related:
    def __init__(self, base: str, page: str):
        self.base, self.page = base, page
        self.blocks: dict[str, list[RelatedLink]] = {}
        self.seen: set = set()
        self.boxes: list = []

    def add_box(self, el, heading: str, skip=None):
        if el in self.seen:
            return
        self.seen.add(el)
        lst = self.blocks.setdefault(heading, [])
        have = {r.url for r in lst}
        for u, title in _links_in(el, self.base, self.page):
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


def _seg_links(seg: _Seg, base: str, page: str):
    out = []
    href, buf = None, []
    for t in seg.tokens:
        if isinstance(t, str):
            if href is not None:
                buf.append(t)
        elif t[0] == "a":
            href, buf = t[1], []
        elif t[0] == "/a" and href is not None:
            u = urljoin(base, href).split("#")[0] if href else ""
            if u and _is_articleish(u, page):
                out.append((u, clean_text("".join(buf))))
            href = None
    return out


def _mark_headed_boxes(segs: list[_Seg], rel: _Related, stats, container) -> bool:
    """A short block whose text is a related-news label heads a box of links: all of it is related.

    Returns True when a box inside the container was marked (the container is then chosen again).
    """
    inner = False
    for i, s in enumerate(segs):
        if s.kind == "img" or s.state or s.chars > 48:
            continue
        label = _related_label(s.text)
        if not label:
            continue
        head = s.block
        if s.link_chars > 0.5 * s.chars and not (s.kind == "h" and s.n_links == 1):
            continue  # a menu link named like a label, not a heading
        # smallest ancestor holding the heading and at least one link outside it
        box = None
        parent = head.getparent()
        for anc in _ancestors(parent, 8) if parent is not None else []:
            tc, lc, nl = stats(anc)
            if nl > s.n_links and tc > s.chars:
                box = anc
                break
        s.state = "related"
        if box is not None:
            # the label must open its box: little text of the box comes before it
            before, k = 0, i - 1
            while k >= 0 and before <= 80 and _inside(segs[k].block, box):
                before += segs[k].chars
                k -= 1
            if before > 80:
                box = None
        if box is not None and not _inside(container, box):
            rel.add_box(box, label)
            in_box = set(box.iter())
            for t in segs:
                if t.state == "" and t.block in in_box:
                    t.state = "related"
                    inner = inner or _inside(t.block, container)
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
                    rel.add_links(_seg_links(t, rel.base, rel.page), label)
                j += 1
                continue
            break
    return inner


def _inside(el, box, limit=40) -> bool:
    p = el
    while p is not None and limit:
        if p is box:
            return True
        p = p.getparent()
        limit -= 1
    return False


# --- rendering ---------------------------------------------------------------------------------



_DIGITS3 = re.compile(r"\d{3,}")
_BR_WS = re.compile(r"\s*<br>\s*")
_EMPTY_MARK = re.compile(r"<(strong|em)>\s*</\1>")
_EDGE_BR = re.compile(r"^(?:\s|<br>)+|(?:\s|<br>)+$")


def _render_inline(tokens, base: str) -> str:
    out = []
    stack = []
    for t in tokens:
        if isinstance(t, str):
            out.append(_html.escape(t, quote=False))
            continue
        kind = t[0]
        if kind == "br":
            out.append("<br>")
        elif kind == "a":
            href = t[1]
            if href and not href.lower().startswith(("javascript:", "#", "data:", "vbscript:")):
                u = urljoin(base, href)
                if u.startswith(("http://", "https://")):
                    out.append('<a href="%s">' % _html.escape(u, quote=True))
                    stack.append("a")
                    continue
            stack.append(None)
        elif kind in ("strong", "em"):
            out.append("<%s>" % kind)
            stack.append(kind)
        elif kind.startswith("/"):
            name = kind[1:]
            # close the innermost matching mark, if open
            for j in range(len(stack) - 1, -1, -1):
                if stack[j] == name or (name == "a" and stack[j] is None):
                    for k in range(len(stack) - 1, j - 1, -1):
                        if stack[k]:
                            out.append("</%s>" % stack[k])
                    del stack[j:]
                    break
    for k in range(len(stack) - 1, -1, -1):
        if stack[k]:
            out.append("</%s>" % stack[k])
    s = " ".join("".join(out).split())
    if "<br>" in s:
        s = _BR_WS.sub("<br>", s)
    # drop empty marks and edge line breaks
    if "></" in s or "> </" in s:
        s = _EMPTY_MARK.sub("", s)
    if s.startswith(("<br>", " ")) or s.endswith(("<br>", " ")):
        s = _EDGE_BR.sub("", s)
    return clean_text(s)


# --- main --------------------------------------------------------------------------------------


def _title(root) -> str:
    og = None
    for m in root.iter("meta"):
        if (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title"):
            og = clean_text(m.get("content"))
            if og:
                break
    h1s = [clean_text(h.text_content()) for h in root.iter("h1")]
    h1s = [h for h in h1s if h]
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


def _solid_len(text: str) -> int:
    """Characters that are not white space (cheap: str.count runs in C)."""
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r") - text.count("\xa0")


def _drop_hinted(body, hinted) -> None:
    """Containers named like share/comment/related boxes that hold little prose: drop them."""
    doomed = []
    for el, names in hinted:
        if _BYLINE_NAME.search(names) and _short_plain(el):
            el.set(_BYLINE_MARK, "1")
            continue  # a by-line: kept, it may give the author
        if _POSITIVE.search(names) and not _STRONG_NEGATIVE.search(names):
            continue
        doomed.append(el)
    if not doomed:
        return
    page_len = _solid_len(body.text_content())
    limit = min(2500, 0.25 * page_len)
    dropped: set = set()
    for el in doomed:  # document order: an outer box goes before its inner ones are looked at
        if any(a in dropped for a in el.iterancestors()):
            continue
        # keep big prose containers whatever their name says
        if _solid_len(el.text_content()) <= limit:
            _drop(el)
            dropped.add(el)


def extract(root, url: str) -> Fallback:
    """The article in ``root`` (an lxml.html tree of a whole page), found without site rules.

    Mutates ``root`` (drops scripts, chrome and boxes while working): pass a tree you can spare.
    Never raises on odd input: a page with no body gives an empty result with a warning.
    """
    warnings: list[str] = []
    try:
        if hasattr(root, "getroot"):
            root = root.getroot()
        title = _title(root)
        base = _find_base(root, url)
        body = root.find(".//body") if root.tag != "body" else root
        if body is None:
            body = root
        rel = _Related(base, url)
        alive = _clean(body, rel)  # noqa: F841 - held until the end on purpose (see _clean)
        segs = _segment(body, base)
    except RecursionError:  # pragma: no cover - lxml guards depth; belt and braces
        return Fallback(title="", warnings=["fallback: page too deeply nested"])
    return _assemble(body, segs, rel, title, base, url, warnings)


def _stats_factory(body, segs):
    """(text chars, link chars, links) under each element, from the segments (one bottom-up pass).

    ``stats.prose(el)`` is the number of prose blocks (ten words or more, mostly not links) under el.
    """
    own: dict = {}
    for s in segs:
        if s.kind == "img":
            continue
        prose = 1 if s.link_chars * 2 < s.chars and (s.text.count(" ") >= 9 or _CJK.search(s.text)) else 0
        v = own.get(s.block)
        if v is None:
            own[s.block] = [s.chars, s.link_chars, s.n_links, prose]
        else:
            v[0] += s.chars
            v[1] += s.link_chars
            v[2] += s.n_links
            v[3] += prose
    totals: dict = {}
    bottom_up = list(body.iter())
    bottom_up.reverse()
    for el in bottom_up:
        v = own.get(el)
        t = totals.get(el)
        if v is not None:
            if t is None:
                t = totals[el] = [0, 0, 0, 0]
            t[0] += v[0]
            t[1] += v[1]
            t[2] += v[2]
            t[3] += v[3]
        if t is not None and el is not body:
            p = el.getparent()
            if p is not None:
                pt = totals.get(p)
                if pt is None:
                    totals[p] = [t[0], t[1], t[2], t[3]]
                else:
                    pt[0] += t[0]
                    pt[1] += t[1]
                    pt[2] += t[2]
                    pt[3] += t[3]
    zero = (0, 0, 0, 0)

    def stats(el):
        t = totals.get(el, zero)
        return t[0], t[1], t[2]

    def prose(el):
        return totals.get(el, zero)[3]

    stats.prose = prose
    stats.bottom_up = bottom_up  # every element, children before parents (kept alive: lxml proxies reused)
    return stats


def _assemble(body, segs, rel, title, base, url, warnings) -> Fallback:
    if not segs:
        warnings.append("fallback: no text found")
        return Fallback(title=title, warnings=warnings)
    stats = _stats_factory(body, segs)
    container, cscore = _choose_container(body, segs, stats, title)
    if _mark_headed_boxes(segs, rel, stats, container):
        container, cscore = _choose_container(body, segs, stats, title)
    if cscore <= 0:
        warnings.append("fallback: no article text found")
    ctotal = stats(container)[0] or 1
    in_container = set(container.iter())

    # link-dense boxes inside the container: inline related news
    # (the outermost such box below the container, found in one pre-order pass)
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

    # the container's blocks, in order
    inside = [s for s in segs if not s.state and s.block in in_container]
    # image containers and their captions
    fig_of: dict = {}
    for s in inside:
        if s.kind != "img":
            continue
        img_el = s.img[0]
        fig = None
        p = img_el.getparent()
        depth = 0
        while p is not None and p is not container and depth < 6:
            if p.tag == "figure":
                fig = p
                break
            tc, lc, nl = stats(p)
            if tc > 300 or p.tag == "p" and tc > 0:
                break
            if sum(1 for _ in p.iter("img")) > 1:
                break
            if tc > 0 and p.tag in ("table", "div", "center", "section", "dl", "span"):
                fig = p
                break
            p = p.getparent()
            depth += 1
        if fig is not None:
            fig_of[id(s)] = fig
    figs = set(fig_of.values())
    for s in inside:
        if s.kind == "img":
            continue
        p, d = s.block, 0
        while p is not None and p is not container and d < 8:
            if p in figs or p.tag in ("figure", "figcaption"):
                s.state = "caption"
                break
            names = p.get("class")
            if names and _CAPTION.search(names):
                s.state = "caption"
                break
            p, d = p.getparent(), d + 1

    # edge trimming: from the first to the last substantial block
    def good(s):
        return s.kind != "img" and s.state == "" and s.score > 0
    idx = [i for i, s in enumerate(inside) if good(s)]
    author = None
    if idx:
        first, last = _best_run(inside)
        # the article starts after its headline: text of the run above the title's h1 is chrome
        for k in range(first, last):
            h = inside[k]
            if h.kind == "h" and h.block.tag == "h1" and h.text == title:
                first = k + 1
                while first < last and (inside[first].kind == "img" or inside[first].state
                                        or inside[first].score <= 0):
                    first += 1
                break
        # subheadings / short lines right before the first good block stay only if they are
        # headings of the text (not the page title)
        lead = first
        while lead > 0 and inside[lead - 1].kind == "h" and inside[lead - 1].text != title:
            lead -= 1
        # the by-line: one of the few short lines right after the text, inside the container or not
        pos = {id(x): k for k, x in enumerate(segs)}
        seen = 0
        for s in segs[pos[id(inside[last])] + 1:]:
            if s.kind == "img" or s.state in ("caption", "box", "related"):
                continue  # boxes may sit between the text and its by-line
            if s.kind == "h" or seen >= 3:
                break
            seen += 1
            if not s.state and (_looks_author(s) or _marked_byline(s) or (seen == 1 and _short_name(s))):
                author = s.text
                s.state = "author"
                break
        # images right after the text still belong to it
        end = last + 1
        while end < len(inside) and (inside[end].kind == "img" or inside[end].state == "caption"):
            end += 1
        inside = inside[lead:end]
        if author is None and inside:
            last_s = [s for s in inside if s.kind != "img" and not s.state]
            if last_s and _looks_author(last_s[-1]) and len(last_s) > 1:
                author = last_s[-1].text
                last_s[-1].state = "author"
    else:
        inside = []

    # link lines inside the text are related headlines, not prose
    for s in inside:
        if s.kind != "img" and not s.state and s.chars and s.link_chars / s.chars > 0.7 and s.kind != "li":
            s.state = "links"
    # a lead (the page's description) set apart above the text is not body text
    desc = _description(body.getroottree().getroot())
    texts = [s for s in inside if s.kind != "img" and not s.state]
    if desc and len(texts) > 2 and texts[0].text == desc and texts[0].block.getparent() is not texts[1].block.getparent():
        texts[0].state = "lead"

    paragraphs: list[str] = []
    html_parts: list[str] = []
    images: list[Image] = []
    open_list = None
    open_quote = None
    fig_caption: dict = {}
    for s in inside:
        if s.state == "caption":
            fig = None
            p, d = s.block, 0
            while p is not None and d < 8:
                if p in figs or p.tag == "figure":
                    fig = p
                    break
                p, d = p.getparent(), d + 1
            key = fig if fig is not None else s.block
            fig_caption[key] = clean_text((fig_caption.get(key, "") + " " + s.text))
    for s in inside:
        if s.state:
            continue
        if s.kind == "img":
            el, src, alt = s.img
            if s.video:
                if src:
                    open_list, open_quote = _close(html_parts, open_list, open_quote)
                    html_parts.append('<figure><video src="%s" controls></video></figure>' % _html.escape(src, True))
                continue
            if not src or _tiny(el) or _linked_away(el, src):
                continue
            fig = fig_of.get(id(s))
            cap = fig_caption.get(fig, "") if fig is not None else ""
            images.append(Image(url=src, caption=cap, alt=alt))
            h = '<figure><img src="%s" alt="%s">' % (_html.escape(src, True), _html.escape(alt, True))
            if cap:
                h += "<figcaption>%s</figcaption>" % _html.escape(cap, False)
            h += "</figure>"
            open_list, open_quote = _close(html_parts, open_list, open_quote)
            html_parts.append(h)
            continue
        if s.text == title and s.kind == "h":
            continue
        inner = _render_inline(s.tokens, base)
        if not inner:
            continue
        paragraphs.append(s.text)
        quote = _enclosing(s.block, "blockquote")
        if s.kind == "li":
            lst = s.block.getparent()
            if open_list is not lst:
                open_list, open_quote = _close(html_parts, open_list, open_quote)
                tag = "ol" if lst is not None and lst.tag == "ol" else "ul"
                html_parts.append("<%s>" % tag)
                open_list = lst
            html_parts.append("\x00<li>%s</li>" % inner)
            continue
        if quote is not None:
            if open_quote is not quote:
                open_list, open_quote = _close(html_parts, open_list, open_quote)
                html_parts.append("<blockquote>")
                open_quote = quote
            html_parts.append("\x00<p>%s</p>" % inner)
            continue
        open_list, open_quote = _close(html_parts, open_list, open_quote)
        if s.kind == "h":
            html_parts.append("<h%d>%s</h%d>" % (s.level, inner, s.level))
        else:
            html_parts.append("<p>%s</p>" % inner)
    _close(html_parts, open_list, open_quote)

    related: list[RelatedLink] = []
    for lst in rel.blocks.values():
        related.extend(lst)
    if not paragraphs:
        warnings.append("fallback: empty body")
    return Fallback(title=title, paragraphs=paragraphs, body_html=_join_blocks(html_parts), images=images,
                    related=related, author=author, warnings=warnings, container=container)


def _best_run(segs: list[_Seg]) -> tuple[int, int]:
    """First and last index of the best contiguous run of text (boilerplate between runs counts against it)."""
    best, best_i, best_j = float("-inf"), 0, 0
    cur, start = 0.0, 0
    for i, s in enumerate(segs):
        if s.kind == "img" or s.state:
            continue
        v = s.score
        if cur <= 0:
            cur, start = 0.0, i
        cur += v
        if cur > best and s.score > 0:
            best, best_i, best_j = cur, start, i
    # start at the first text block of the run with a positive score
    while best_i < best_j and (segs[best_i].kind == "img" or segs[best_i].state or segs[best_i].score <= 0):
        best_i += 1
    return best_i, best_j


def _description(root) -> str:
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or "").lower()
        if key in ("og:description", "description", "twitter:description"):
            d = clean_text(m.get("content"))
            if d:
                return d
    return ""


def _join_blocks(parts: list[str]) -> str:
    """One block a line; the items of a list or quote (marked with NUL) stay on their block's line."""
    out: list[str] = []
    for p in parts:
        if p.startswith("\x00") and out:
            out[-1] += p[1:]
        else:
            out.append(p.lstrip("\x00"))
    return "\n".join(out)


def _close(parts, open_list, open_quote):
    if open_list is not None:
        parts.append("\x00</ol>" if open_list.tag == "ol" else "\x00</ul>")
    if open_quote is not None:
        parts.append("\x00</blockquote>")
    return None, None


def _enclosing(el, tag, limit=6):
    p = el
    while p is not None and limit:
        if p.tag == tag:
            return p
        p = p.getparent()
        limit -= 1
    return None


_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?)(?:$|[?#])", re.I)


def _linked_away(img, src: str) -> bool:
    """An image that links to another page (a teaser's thumbnail, an ad), not to a bigger picture."""
    p = img.getparent()
    for _ in range(3):
        if p is None:
            return False
        if p.tag == "a":
            href = (p.get("href") or "").strip()
            return bool(href) and not href.startswith("#") and not _IMAGE_FILE.search(href)
        p = p.getparent()
    return False


def _tiny(img) -> bool:
    for attr in ("width", "height"):
        v = img.get(attr)
        if v and v.isdigit() and int(v) < 50:
            return True
    return False


_AUTHOR_WORD = re.compile(r"^[^\W\d_]", re.U)


def _short_name(s: _Seg) -> bool:
    """A line right after the text like "Nhóm phóng viên": a few words, capitalised, no digits or stop."""
    t = s.text
    if not t or len(t) > 40 or s.kind in ("h", "li") or s.link_chars:
        return False
    words = t.split()
    return (len(words) <= 4 and t[0].isupper() and t[-1] not in ".!?:;,\"”…"
            and not any(ch.isdigit() for ch in t))


def _looks_author(s: _Seg) -> bool:
    t = s.text
    if not t or len(t) > 60 or s.kind in ("h", "li") or s.link_chars > len(t) * 0.5:
        return False
    if t[-1] in ".!?:;,\"”":
        return False
    words = t.replace("/", " ").split()
    if not 1 <= len(words) <= 7:
        return False
    if t.lower().startswith(("by ", "theo ")):
        return True
    caps = sum(1 for w in words if w[0].isupper() or not _AUTHOR_WORD.match(w) or "." in w)
    return caps == len(words)
