"""Scoring: which blocks are article text, and the element that holds the most of it.

Long punctuated link-poor text counts for (CJK counted by characters), short lines, dates and link text
against; teasers (a summary under another article's headline link, lists of headline+cut-summary items)
count against.  Scores are summed bottom-up over the tree and the best element is the container; when it
lies away from the title's ``h1``, the smallest box around the ``h1`` with half as much good text wins.
"""

from __future__ import annotations

import re

from .segment import Seg

_SENTENCE = re.compile(r"[.!?…:;,。、！？「」\"”»)]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")


def _seg_score(s: Seg) -> float:
    n = s.chars
    if s.kind == "img":
        return 0.0
    ld = s.link_chars / n if n else 0.0
    if ld > 0.5:
        return -n * ld * 0.6
    words = len(_WORD.findall(s.text))
    cjk = len(CJK.findall(s.text))
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


def ancestors(el, limit=64):
    out = []
    p = el
    while p is not None and limit:
        out.append(p)
        p = p.getparent()
        limit -= 1
    return out


_H1_SHARE = 0.5


def _teaser(s: Seg, stats) -> bool:
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


def choose_container(body, segs: list[Seg], stats, title: str = ""):
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
                if inside(s.block, best):
                    break
                for anc in ancestors(s.block.getparent(), 40):
                    if inside(best, anc):
                        break
                    if sums.get(anc, 0.0) >= _H1_SHARE * best_score:
                        return anc, sums[anc]
                break
    return best, best_score


def inside(el, box, limit=40) -> bool:
    p = el
    while p is not None and limit:
        if p is box:
            return True
        p = p.getparent()
        limit -= 1
    return False


def stats_factory(body, segs):
    """(text chars, link chars, links) under each element, from the segments (one bottom-up pass).

    ``stats.prose(el)`` is the number of prose blocks (ten words or more, mostly not links) under el.
    """
    own: dict = {}
    for s in segs:
        if s.kind == "img":
            continue
        prose = 1 if s.link_chars * 2 < s.chars and (s.text.count(" ") >= 9 or CJK.search(s.text)) else 0
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


def _teaser_lists(segs: list[Seg]) -> None:
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
