"""From a body container element to the record's blocks: body text, canonical body_html, images,
the related boxes found inside the body, and the author line.

One walk over the container: block elements become blocks, runs of loose inline content become
paragraphs, and boxes that are not article text (related tables, ads, share/tag/author boxes) are set
aside, never rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..urls import article_id
from .dom import absolute, text_of
from .model import Image
from .related import related_heading
from .render import (BLOCK_TAGS, MEDIA_TAGS, NOT_TEXT_TAGS, Inline, figure_html, render_inline, render_nodes,
                     video_html)
from ..text import clean_text

# Classes of boxes inside the body that carry other articles, never article text.
RELATED_CLASSES = frozenset({
    "__MB_ARTICLE_A", "__mb_article_in_image", "_MB_EMBEDNEWS", "article-relate", "article-detail-relate",
    "article-detail-similar", "article-detail-other", "related-news", "box-related", "news-related",
    "relate-news", "tin-lien-quan", "related", "related-box",
})
AD_CLASSES = frozenset({
    "banner", "banner-full", "ads", "ad", "adsbygoogle", "advertisement", "qc", "quangcao", "__ads_click",
    "ads-box", "box-ads", "banner-ads", "ad-slot", "zone-ads", "_mgwidget",
})
AUTHOR_CLASSES = frozenset({"article-detail-author", "author", "article-author", "detail-author", "tacgia"})
SKIP_CLASSES = frozenset({
    "article-detail-source", "article-button-share", "share", "social-share", "article-share", "article-tag",
    "article-keyword", "tags", "tag", "print", "article-print", "btn-share", "hidden", "d-none",
    "article-detail-subtitle", "__PARAMS_ID_WIDGET", "__API_WIDGET", "comment", "user-comment",
})
FIGURE_TABLE_CLASSES = frozenset({"MASTERCMS_TPL_TABLE", "image", "tplCaption", "picture"})

# Blocks of the body walk, media included; what it drops (a form inside the body is a comment box).
_BLOCK_TAGS = BLOCK_TAGS | MEDIA_TAGS | {"iframe", "object", "embed", "audio"}
_DROP_TAGS = NOT_TEXT_TAGS | {"form", "nav", "hr", "colgroup", "col"}
_HEADING_MAP = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_RIGHT = re.compile(r"text-align\s*:\s*right", re.I)


@dataclass
class Block:
    kind: str  # p, h2, h3, h4, ul, ol, blockquote, figure, video
    text: str  # "" for figures; for lists the items joined by "\n\n"
    html: str
    right: bool = False  # right-aligned paragraph (only looked at, and set, on emphasized ones)
    emphasized: bool = False  # all its text inside <strong>/<em>


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    related_boxes: list = field(default_factory=list)  # elements, in document order
    author: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)

    @property
    def html(self) -> str:
        return "\n".join(b.html for b in self.blocks if b.html)

    def add_figure(self, url: str, alt: str, caption: str):
        self.images.append(Image(url=url, caption=caption, alt=alt))
        self.blocks.append(Block("figure", "", figure_html(url, alt, caption)))

    def add_video(self, url: str):
        self.blocks.append(Block("video", "", video_html(url)))


# Where an <img> keeps its picture: lazy-loading attributes before a placeholder src.
_IMAGE_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-srcset", "data-url", "src", "srcset")


def image_url(img, base: str) -> str | None:
    """The real image of an <img> (absolute http(s)), else None."""
    for attr in _IMAGE_ATTRS:
        v = img.get(attr)
        if v and not v.startswith("data:"):
            if attr.endswith("srcset"):
                v = v.split(",")[0].strip().split(" ")[0]
            url = absolute(base, v)
            if url:
                return url
    return None


def video_url(el, base: str) -> str | None:
    for cand in (el, *el.iter("source")):
        for attr in ("src", "data-src", "data-file", "data-video"):
            url = absolute(base, cand.get(attr))
            if url:
                return url
    return None


def box_kind(el) -> str | None:
    """What a non-text box is: "related", "ad", "author", "skip", or None for article content."""
    c = el.get("class")
    if c:
        cs = c.split()
        for x in cs:
            if x in RELATED_CLASSES:
                return "related"
        for x in cs:
            if x in AUTHOR_CLASSES:
                return "author"
            if x in AD_CLASSES or x.startswith(("banner", "ads-", "adv")):
                return "ad"
            if x in SKIP_CLASSES:
                return "skip"
    i = el.get("id")
    if i and (i.startswith(("ads", "banner", "adv")) or "-ads" in i):
        return "ad"
    st = el.get("style")
    if st and "display" in st and re.search(r"display\s*:\s*none", st):
        return "skip"
    return None


def is_link_table(table, base: str) -> bool:
    """A table that offers other articles whatever its class: every link in it goes to an article and it is
    mostly link text (two links or more), or it is a card (an image linking to an article). The inline boxes
    MasterCMS puts in a body are tables; an image table of the article itself links to no article."""
    links = [a for a in table.iter("a") if a.get("href")]
    if not links:
        return False
    urls = [absolute(base, a.get("href")) for a in links]
    if not all(u and article_id(u) is not None for u in urls):
        return False
    if any(a.find(".//img") is not None for a in links):
        return True
    text = clean_text(text_of(table))
    link_text = sum(len(clean_text(text_of(a))) for a in links)
    return len(links) >= 2 and link_text >= 0.6 * len(text)


def is_headed_related(el) -> bool:
    """A box whose first line is a related-news heading ("Tin liên quan", "Đọc thêm"...) and that links out."""
    first = None
    for node in el.iter():
        if node is el:
            if el.text and el.text.strip():
                first = el.text
                break
            continue
        if not isinstance(node.tag, str):
            continue
        if node.tag == "a":
            return False
        if node.text and node.text.strip():
            first = node.text
            break
    if not first or not related_heading(first):
        return False
    return any(True for _ in el.iter("a"))


class _Walker:
    def __init__(self, base: str, self_url: str | None = None):
        self.base = base
        self.body = Body()
        self.run: list = []  # loose inline nodes waiting to become a paragraph

    # -- inline runs -------------------------------------------------------------------------
    def flush(self):
        if not self.run:
            return
        for n in self.run:
            if not isinstance(n, str) or not n.isspace():
                break
        else:  # only the whitespace between blocks: nothing to render
            self.run = []
            return
        inline = render_nodes(self.run, self.base)
        self.run = []
        self.add_paragraph(inline, None)

    def add_paragraph(self, inline: Inline, el):
        if inline.text:
            emphasized = _all_emphasized(inline.html)
            right = False
            if emphasized and el is not None:  # alignment only matters for an emphasized line (a by-line)
                right = bool((el.get("align") or "").lower() == "right" or _RIGHT.search(el.get("style") or ""))
            self.body.blocks.append(Block("p", inline.text, f"<p>{inline.html}</p>", right, emphasized))
        for img in inline.images:
            self.add_image(img, "")
        for v in inline.videos:
            self.add_video(v)

    # -- figures -----------------------------------------------------------------------------
    def add_image(self, img, caption: str):
        url = image_url(img, self.base)
        if not url:
            return
        self.body.add_figure(url, clean_text(img.get("alt")), caption)

    def add_video(self, el):
        url = video_url(el, self.base)
        if url:
            self.body.add_video(url)

    def figure_table(self, table) -> bool:
        """A MasterCMS image table (image row + caption row): one figure per image. False if not one."""
        imgs = list(table.iter("img"))
        vids = list(table.iter("video"))
        if not imgs and not vids:
            return False
        cs = set((table.get("class") or "").split())
        caption = clean_text(text_of(table))
        if not (cs & FIGURE_TABLE_CLASSES) and (len(caption) > 400 or len(imgs) > 4):
            return False
        for v in vids:
            self.add_video(v)
        for img in imgs:
            self.add_image(img, caption if len(imgs) == 1 else "")
        return True

    def figure_element(self, fig):
        caption_el = fig.find(".//figcaption")
        caption = clean_text(text_of(caption_el)) if caption_el is not None else ""
        for v in fig.iter("video"):
            self.add_video(v)
        imgs = list(fig.iter("img"))
        for img in imgs:
            self.add_image(img, caption if len(imgs) == 1 else "")

    # -- the walk ----------------------------------------------------------------------------
    def container(self, el):
        if el.text:
            self.run.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                if child.tail:
                    self.run.append(child.tail)
                continue
            tag = tag.lower()
            if tag not in _BLOCK_TAGS and tag not in _DROP_TAGS:
                # inline element (span, a, strong, font...): part of the current run, unless it is a box
                kind = box_kind(child) if child.keys() else None  # no attributes: no box
                if kind is None:
                    self.run.append(child)  # its tail is rendered with it
                    continue
                self.flush()
                self.special(child, kind)
                if child.tail:
                    self.run.append(child.tail)
                continue
            self.flush()
            self.block(child, tag)
            if child.tail:
                self.run.append(child.tail)
        self.flush()

    def special(self, el, kind):
        if kind == "related":
            self.body.related_boxes.append(el)
        elif kind == "author":
            if self.body.author is None:
                self.body.author = clean_text(text_of(el)) or None

    def block(self, el, tag):
        if tag in _DROP_TAGS:
            return
        kind = box_kind(el) if el.keys() else None  # no attributes: no box
        if kind is not None:
            self.special(el, kind)
            return
        if tag == "p":
            if _has_block_child(el):
                self.container(el)
            else:
                self.add_paragraph(render_inline(el, self.base), el)
        elif tag in _HEADING_MAP:
            h = _HEADING_MAP[tag]
            inline = render_inline(el, self.base)
            if inline.text:
                self.body.blocks.append(Block(h, inline.text, f"<{h}>{inline.html}</{h}>"))
        elif tag in ("ul", "ol"):
            self.list_block(el, tag)
        elif tag == "blockquote":
            if is_headed_related(el):
                self.body.related_boxes.append(el)
                return
            self.blockquote(el)
        elif tag == "table":
            if is_headed_related(el) or is_link_table(el, self.base):
                self.body.related_boxes.append(el)
            elif not self.figure_table(el):
                self.container(el)  # rows/cells are containers
        elif tag == "figure":
            self.figure_element(el)
        elif tag == "img":
            self.add_image(el, "")
        elif tag == "picture":
            for img in el.iter("img"):
                self.add_image(img, "")
        elif tag == "video":
            self.add_video(el)
        elif tag == "pre":
            self.add_paragraph(render_inline(el, self.base), el)
        else:  # div, section, td, li outside lists...
            if tag in ("div", "section", "aside", "td", "article") and is_headed_related(el):
                self.body.related_boxes.append(el)
                return
            self.container(el)

    def list_block(self, el, tag):
        items = []
        texts = []
        for li in el:
            if not isinstance(li.tag, str) or li.tag.lower() != "li":
                continue
            inline = render_inline(li, self.base)
            if inline.text:
                items.append(f"<li>{inline.html}</li>")
                texts.append(inline.text)
        if items:
            self.body.blocks.append(Block(tag, "\n\n".join(texts), f"<{tag}>{''.join(items)}</{tag}>"))

    def blockquote(self, el):
        paras = []
        texts = []
        if _has_block_child(el):
            sub = _Walker(self.base)
            sub.container(el)
            for b in sub.body.blocks:
                if b.kind == "p":
                    paras.append(b.html)
                    texts.append(b.text)
                elif b.text:
                    paras.append(f"<p>{b.html[4:-5]}</p>")
                    texts.append(b.text)
            self.body.images.extend(sub.body.images)
        else:
            inline = render_inline(el, self.base)
            if inline.text:
                paras.append(f"<p>{inline.html}</p>")
                texts.append(inline.text)
        if paras:
            self.body.blocks.append(Block("blockquote", " ".join(texts), f"<blockquote>{''.join(paras)}</blockquote>"))


def _has_block_child(el) -> bool:
    for c in el:
        t = c.tag
        if isinstance(t, str) and t.lower() in ("p", "div", "table", "ul", "ol", "blockquote", "figure", "h1", "h2",
                                                    "h3", "h4", "h5", "h6", "section", "article"):
            return True
    return False


_EMPH = re.compile(r"^(?:<(strong|em)>.*</\1>)$", re.S)


def _all_emphasized(html: str) -> bool:
    return html.startswith(("<strong>", "<em>")) and bool(_EMPH.match(html)) and html.count("<strong>") + html.count("<em>") <= 2


def extract_body(el, base: str) -> Body:
    """Walk one body container: its blocks, images, inner related boxes and author line."""
    w = _Walker(base)
    w.container(el)
    return w.body


def pop_trailing_author(body: Body, max_len: int = 60) -> str | None:
    """The 2020 author line: a final right-aligned paragraph all in <strong>/<em>; removed from the body."""
    for i in range(len(body.blocks) - 1, -1, -1):
        b = body.blocks[i]
        if b.kind in ("figure", "video"):
            continue
        if b.kind == "p" and b.right and b.emphasized and len(b.text) <= max_len:
            del body.blocks[i]
            return b.text
        return None
    return None


_BARE_URL = re.compile(r"^https?://\S+$")


def looks_like_name(text: str) -> bool:
    """A by-line's shape, like "P.Ngân" or "Nhóm phóng viên": a few capitalised words, no digits, no stop."""
    return (bool(text) and len(text) <= 40 and len(text.split()) <= 4 and text[0].isupper()
            and text[-1] not in ".!?:;,\"”…" and not any(ch.isdigit() for ch in text))


def pop_trailing_name(body: Body) -> str | None:
    """A final short plain paragraph shaped like a name (the by-line of a body without its author box's
    class), before a bare source address if one ends the body; removed from the body."""
    for i in range(len(body.blocks) - 1, -1, -1):
        b = body.blocks[i]
        if b.kind in ("figure", "video") or (b.kind == "p" and _BARE_URL.match(b.text) and i == len(body.blocks) - 1):
            continue
        if b.kind == "p" and "<a " not in b.html and looks_like_name(b.text) and \
                any(x.kind == "p" for x in body.blocks[:i]):
            del body.blocks[i]
            return b.text
        return None
    return None


__all__ = ["Block", "Body", "extract_body", "image_url", "box_kind", "is_headed_related", "looks_like_name",
           "pop_trailing_author", "pop_trailing_name"]
