"""Assembly: from scored segments to the article's blocks, in the record's one block model (:mod:`..body`).

Inside the chosen container: the best contiguous run of text (chrome before the headline and cookie
notices, bios, teasers after the text fall away); link-only lines dropped; a lead equal to the page's
description and set apart is left to the caller (``sapo``); images with their captions (never body text;
images linking elsewhere are teasers/ads); a short by-line right after the text (or an article ``footer``/
author-named box) is the ``author``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..body import Block, Body, looks_like_name
from ..render import STRONG, render_tokens
from ...text import BYLINE_LABEL, byline_name, clean_text
from .boxes import Related, mark_headed_boxes, mark_inline_boxes
from .clean import BYLINE_MARK
from .fields import Survey, names_lead
from .score import choose_container, stats_factory
from .segment import Seg

_CAPTION = re.compile(r"caption|credit|(?:^|[\s_-])(?:photo|image|img)-?(?:desc|text|info|source)", re.I)


@dataclass
class Assembled:
    """The article's blocks and what was told apart from them: the by-line, the lead (its text, and its
    segment when it opened the run of text), and where the body starts in the page (document order)."""

    body: Body = field(default_factory=Body)
    author: str | None = None
    lead: str = ""
    lead_el: object = None
    start: int = -1
    container: object = None  # the element holding the article's text


def assemble(body, segs: list[Seg], rel: Related, title: str, survey: Survey, warnings: list[str]) -> Assembled:
    """The article's blocks, by-line and lead from the page's segments; related boxes go to ``rel``."""
    if not segs:
        warnings.append("fallback: no text found")
        return Assembled()
    stats = stats_factory(body, segs)
    container, cscore = choose_container(body, segs, stats, title)
    if mark_headed_boxes(segs, rel, stats, container):
        container, cscore = choose_container(body, segs, stats, title)
    if cscore <= 0:
        warnings.append("fallback: no article text found")
    mark_inline_boxes(container, segs, rel, stats)

    in_container = set(container.iter())
    inside = [s for s in segs if not s.state and s.block in in_container]
    fig_of = _figures(inside, container, stats)
    _captions_below(inside, fig_of)
    _mark_captions(inside, container, set(fig_of.values()))
    run, author = _text_run(inside, segs, title)
    _mark_link_lines(run)
    out = Assembled(author=author, container=container)
    # The lead stays among the blocks (the caller takes it out when it fills the record's lead: page text
    # measures of the body alone, such as AEB's, count it in); the body starts after it.
    lead = _lead_of_run(run, survey, _description(body.getroottree().getroot()))
    if lead is not None:
        out.lead, out.lead_el = lead.text, lead.block
    first = next((s for s in run if not s.state and s is not lead), None)
    out.start = survey.pos(first.block) if first is not None else -1
    if not out.lead:
        out.lead = survey.lead_outside(out.start, segs, lambda el: el in rel.linking)
    if out.author is None:
        out.author = survey.byline_between(out.start)
    out.body = _blocks(run, fig_of, title)
    return out


# --- figures --------------------------------------------------------------------------------------

def _figures(inside: list[Seg], container, stats) -> dict:
    """The element holding each image with its caption (id of the image segment -> element)."""
    fig_of: dict = {}
    for s in inside:
        if s.kind != "img":
            continue
        fig = None
        p = s.img[0].getparent()
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
    return fig_of


_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
_CAPTION_MAX = 200


def _captions_below(inside: list[Seg], fig_of: dict) -> None:
    """A lone image (its box holds nothing else) followed right away by a short centred or all-italic
    paragraph, set apart from the text around it: that paragraph is its caption (a CMS editor's
    ``<p><img></p><p align=center><em>...``). The paragraph stands for the image's figure."""
    for k in range(len(inside) - 1):
        s, nxt = inside[k], inside[k + 1]
        if s.kind != "img" or s.video or id(s) in fig_of or nxt.kind != "p" or nxt.state or nxt.link_chars:
            continue
        box = s.img[0].getparent()
        if box is None or "".join(box.itertext()).strip():
            continue
        if not 0 < nxt.chars <= _CAPTION_MAX or not _caption_shaped(nxt.block):
            continue
        # a caption is set apart from the text: where the text around is set the same way (a page centred
        # throughout), the paragraph is text
        around = [x for x in (inside[k - 1] if k else None, inside[k + 2] if k + 2 < len(inside) else None)
                  if x is not None and x.kind == "p" and x.chars]
        if any(_caption_shaped(x.block) for x in around):
            continue
        fig_of[id(s)] = nxt.block


def _caption_shaped(el) -> bool:
    """Centred (a style or an align attribute), or all its text in one italic run."""
    if _CENTRED.search(el.get("style") or "") or (el.get("align") or "").lower() == "center":
        return True
    kids = [k for k in el if isinstance(k.tag, str)]
    return len(kids) == 1 and kids[0].tag in ("em", "i") and not (el.text or "").strip() and \
        not (kids[0].tail or "").strip()


def _mark_captions(inside: list[Seg], container, figs: set) -> None:
    """Text inside an image's box, a figure or a caption-named element is its caption, never body text."""
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


def _captions(inside: list[Seg], figs: set) -> dict:
    """Caption text by figure element (or by the caption's own block when no figure holds it)."""
    fig_caption: dict = {}
    for s in inside:
        if s.state != "caption":
            continue
        fig = None
        p, d = s.block, 0
        while p is not None and d < 8:
            if p in figs or p.tag == "figure":
                fig = p
                break
            p, d = p.getparent(), d + 1
        key = fig if fig is not None else s.block
        fig_caption[key] = clean_text(fig_caption.get(key, "") + " " + s.text)
    return fig_caption


# --- the run of text and its by-line ----------------------------------------------------------------

def _text_run(inside: list[Seg], segs: list[Seg], title: str) -> tuple[list[Seg], str | None]:
    """The segments from the first to the last substantial block (and the images right after), and the
    by-line: one of the few short lines right after the text, inside the container or not."""
    if not any(s.kind != "img" and s.state == "" and s.score > 0 for s in inside):
        return [], None
    first, last = _best_run(inside)
    # the article starts after its headline: text of the run above the title's h1 is chrome
    for k in range(first, last):
        h = inside[k]
        if h.kind == "h" and h.block.tag == "h1" and h.text == title:
            first = k + 1
            while first < last and (inside[first].kind == "img" or inside[first].state or inside[first].score <= 0):
                first += 1
            break
    # subheadings right before the first good block stay if they are headings of the text (not the title)
    lead = first
    while lead > 0 and inside[lead - 1].kind == "h" and inside[lead - 1].text != title:
        lead -= 1
    author = None
    pos = {id(x): k for k, x in enumerate(segs)}
    seen = 0
    for s in segs[pos[id(inside[last])] + 1:]:
        if s.kind == "img" or s.state in ("caption", "box", "related"):
            continue  # boxes may sit between the text and its by-line
        if s.kind == "h" or seen >= 3:
            break
        seen += 1
        if s.state:
            continue
        labelled = BYLINE_LABEL.match(s.text) if s.kind == "p" else None
        if labelled or looks_author(s) or _marked_byline(s) or (seen == 1 and _short_name(s)):
            author = labelled.group(1) if labelled else byline_name(s.text)
            s.state = "author"
            break
    # images right after the text still belong to it
    end = last + 1
    while end < len(inside) and (inside[end].kind == "img" or inside[end].state == "caption"):
        end += 1
    run = inside[lead:end]
    if author is None and run:
        texts = [s for s in run if s.kind != "img" and not s.state]
        if texts and looks_author(texts[-1]) and len(texts) > 1:
            author = byline_name(texts[-1].text)
            texts[-1].state = "author"
    return run, author


def _best_run(segs: list[Seg]) -> tuple[int, int]:
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


def _mark_link_lines(run: list[Seg]) -> None:
    """Link lines inside the text are related headlines, not prose."""
    for s in run:
        if s.kind != "img" and not s.state and s.chars and s.link_chars / s.chars > 0.7 and s.kind != "li":
            s.state = "links"


def _lead_of_run(run: list[Seg], survey: Survey, desc: str) -> Seg | None:
    """The run's first text block when it is the article's lead rather than its text: named so by its
    class or id, equal to the page's description, all bold, or a paragraph set apart right under the
    headline (alone in its box, the text in another)."""
    texts = [s for s in run if s.kind != "img" and not s.state]
    if len(texts) < 2:
        return None
    first, second = texts[0], texts[1]
    if first.kind not in ("p", "h") or first.chars < 20:
        return None
    apart = first.block.getparent() is not second.block.getparent() and not _contains(first.block, second.block)
    el = first.block
    for _ in range(3):
        if el is None:
            break
        if names_lead(el) and not _contains(el, second.block):
            return first
        el = el.getparent()
    if desc and first.text == desc and apart and len(texts) > 2:
        return first
    if len(texts) > 2 and first.kind == "p" and _all_bold(first) and first.chars >= 40:
        return first
    if apart and first.kind == "p" and survey.headline is not None and survey.pos(survey.headline) < survey.pos(first.block) \
            and len(texts) > 2 and first.chars >= 40 and len(first.text.split()) >= 8 \
            and not any(s.block.getparent() is first.block.getparent() for s in texts[2:]):
        return first
    return None


def _contains(box, el) -> bool:
    return any(a is box for a in el.iterancestors())


def _all_bold(s: Seg) -> bool:
    """Every word of the segment inside <strong>/<b>."""
    depth = 0
    for t in s.tokens:
        if isinstance(t, str):
            if t.strip() and depth <= 0:
                return False
        elif t is STRONG[0]:
            depth += 1
        elif t is STRONG[1]:
            depth -= 1
    return True


def _description(root) -> str:
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or "").lower()
        if key in ("og:description", "description", "twitter:description"):
            d = clean_text(m.get("content"))
            if d:
                return d
    return ""


def _marked_byline(s: Seg) -> bool:
    if s.chars > 60:
        return False
    el = s.block
    for _ in range(3):
        if el is None:
            return False
        if el.get(BYLINE_MARK):
            return True
        el = el.getparent()
    return False


def _short_name(s: Seg) -> bool:
    """A line right after the text like "Nhóm phóng viên" (:func:`..body.looks_like_name`)."""
    return s.kind not in ("h", "li") and not s.link_chars and looks_like_name(s.text)


_AUTHOR_WORD = re.compile(r"^[^\W\d_]", re.U)


def looks_author(s: Seg) -> bool:
    """A short line of capitalised words (or "By ..."/"Theo ..."), no stop at its end: a by-line."""
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


# --- blocks ---------------------------------------------------------------------------------------

def _blocks(run: list[Seg], fig_of: dict, title: str) -> Body:
    """The kept segments as the record's blocks: paragraphs, headings, lists and quotes rendered by the one
    renderer; images (with their captions) and videos as figures."""
    body = Body()
    fig_caption = _captions(run, set(fig_of.values()))
    open_list = None  # (list element, [item html], [item text]) of the list being filled
    open_quote = None  # (blockquote element, [paragraph html], [paragraph text])

    def close():
        nonlocal open_list, open_quote
        if open_list is not None:
            el, items, texts = open_list
            tag = "ol" if el is not None and el.tag == "ol" else "ul"
            body.blocks.append(Block(tag, "\n\n".join(texts), f"<{tag}>{''.join(items)}</{tag}>"))
            open_list = None
        if open_quote is not None:
            _, paras, texts = open_quote
            body.blocks.append(Block("blockquote", " ".join(texts), f"<blockquote>{''.join(paras)}</blockquote>"))
            open_quote = None

    for s in run:
        if s.state:
            continue
        if s.kind == "img":
            el, url, alt = s.img
            if s.video:
                if url:
                    close()
                    body.add_video(url)
                continue
            if not url or _tiny(el) or _linked_away(el):
                continue
            fig = fig_of.get(id(s))
            close()
            body.add_figure(url, alt, fig_caption.get(fig, "") if fig is not None else "")
            continue
        if s.text == title and s.kind == "h":
            continue
        inline = render_tokens(s.tokens)
        if not inline.html:
            continue
        if s.kind == "li":
            lst = s.block.getparent()
            if open_list is None or open_list[0] is not lst:
                close()
                open_list = (lst, [], [])
            open_list[1].append(f"<li>{inline.html}</li>")
            open_list[2].append(inline.text)
            continue
        quote = _enclosing(s.block, "blockquote")
        if quote is not None:
            if open_quote is None or open_quote[0] is not quote:
                close()
                open_quote = (quote, [], [])
            open_quote[1].append(f"<p>{inline.html}</p>")
            open_quote[2].append(inline.text)
            continue
        close()
        if s.kind == "h":
            tag = f"h{s.level}"
            body.blocks.append(Block(tag, inline.text, f"<{tag}>{inline.html}</{tag}>"))
        else:
            body.blocks.append(Block("p", inline.text, f"<p>{inline.html}</p>"))
    close()
    return body


def _enclosing(el, tag, limit=6):
    p = el
    while p is not None and limit:
        if p.tag == tag:
            return p
        p = p.getparent()
        limit -= 1
    return None


_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?)(?:$|[?#])", re.I)


def _linked_away(img) -> bool:
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
