"""Rendering helpers for the Datasette plugins (the CLI has its own output, scraper/cli/output.py).

Pure functions, no Datasette import: safe re-sanitising of stored HTML, search snippets with
highlights that match with or without diacritics (through the project's one `fold`), and URL checks.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import nh3

from scraper.text import fold

# The canonical body_html form (docs/DESIGN.md "Record conventions"): nothing else may reach a page.
BODY_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption",
    "img", "a", "strong", "em", "br", "video",
}
BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "video": {"src", "controls"}}
URL_SCHEMES = {"http", "https"}

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def safe_body_html(fragment: str | None) -> str:
    """Stored body HTML re-sanitised with the canonical allowlist (defence in depth).

    body_html is sanitised when stored; this runs again at display time so that a row written by
    anything else (an old parser, a hand edit, a hostile import) still cannot run in a browser:
    no scripts, no event handlers, no styles, only http(s) URLs.
    """
    if not fragment:
        return ""
    return nh3.clean(
        fragment,
        tags=BODY_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        url_relative="deny",  # the record's URLs are absolute; a relative one would hit this server
    )


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (never a javascript:/data: URL in an href or src)."""
    if not url or not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in URL_SCHEMES else None


_WORD = re.compile(r"\w+")


def query_terms(query: str | None) -> list[str]:
    """The folded words of a search query, duplicates dropped, order kept ("Rà soát" -> ["ra", "soat"])."""
    return list(dict.fromkeys(_WORD.findall(fold(query or ""))))


def _folded_with_map(text: str):
    """fold(text) and, for each folded character, the index of the original character it came from."""
    folded = fold(text)
    if len(folded) == len(text):  # the usual case (NFC Vietnamese folds character for character)
        return folded, range(len(text))
    folds = {ch: fold(ch) for ch in set(text)}  # each distinct character folded once
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = folds[ch]
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


def highlight_spans(text: str, query: str | None) -> list[tuple[int, int]]:
    """(start, end) character spans of `text` whose folded words are folded query words."""
    terms = set(query_terms(query))
    if not text or not terms:
        return []
    folded, index = _folded_with_map(text)
    spans = []
    for m in _WORD.finditer(folded):
        word = m.group(0)
        if word in terms:
            start = index[m.start()]
            end = index[m.end() - 1] + 1
            spans.append((start, end))
    return spans


def snippet(text: str | None, query: str | None, words: int = 24, mark=(MARK_OPEN, MARK_CLOSE),
            escape: bool = False) -> str:
    """A window of about `words` words of `text` around the most query matches, matches marked.

    Works whatever the diacritics of either side ("ra soat" marks "Rà soát" and "dao tao" marks
    "đào tạo"), because both sides go through `fold`. With escape=True the text is HTML-escaped
    and the marks are real tags; otherwise the marks are inserted as given into the raw text.
    """
    if not text:
        return ""
    spans = highlight_spans(text, query)
    tokens = [m.span() for m in re.finditer(r"\S+", text)]
    if not tokens:
        return ""
    # Which word each match falls in (both lists are in text order).
    token_of = []
    t = 0
    for s, _ in spans:
        while t < len(tokens) - 1 and tokens[t][1] <= s:
            t += 1
        token_of.append(t)
    best = 0
    if token_of:
        # The window starting at some match's word that holds the most matches (two pointers).
        best_hits, j = 0, 0
        for i, start in enumerate(token_of):
            j = max(j, i)
            while j + 1 < len(token_of) and token_of[j + 1] < start + words:
                j += 1
            if j - i + 1 > best_hits:
                best_hits, best, best_i, best_j = j - i + 1, start, i, j
        # Centre the matched words in the window, for context on both sides.
        first, last_hit = token_of[best_i], token_of[best_j]
        best = max(0, min(first - (words - (last_hit - first + 1)) // 2, len(tokens) - words))
    last = min(len(tokens), best + words)
    lo, hi = tokens[best][0], tokens[last - 1][1]
    out = []
    pos = lo
    opener, closer = mark
    esc = html.escape if escape else (lambda s: s)
    for s, e in spans:
        if s < lo or e > hi:
            continue
        out.append(esc(text[pos:s]))
        out.append(opener + esc(text[s:e]) + closer)
        pos = e
    out.append(esc(text[pos:hi]))
    prefix = "…" if best > 0 else ""
    suffix = "…" if last < len(tokens) else ""
    return prefix + "".join(out) + suffix


def marked_to_html(value: str) -> str:
    """A snippet carrying literal <mark>/</mark> as safe HTML: everything escaped, then only those two restored."""
    escaped = html.escape(value or "")
    return escaped.replace(html.escape(MARK_OPEN), MARK_OPEN).replace(html.escape(MARK_CLOSE), MARK_CLOSE)


HANOI = timezone(timedelta(hours=7))


def reader_date(value: str | None) -> str:
    """An ISO 8601 time as a Vietnamese reader writes it, in Hanoi time: "16/11/2023 15:30" (a bare date:
    "16/11/2023"); text that is not an ISO time comes back as it is."""
    if not value or not isinstance(value, str):
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y") if len(value) == 10 else value
        except ValueError:
            return value
    if len(value) == 10:
        return moment.strftime("%d/%m/%Y")
    if moment.tzinfo is not None:
        moment = moment.astimezone(HANOI)
    return moment.strftime("%d/%m/%Y %H:%M")


def day_after(value: str | None) -> str | None:
    """The ISO date after `value` (YYYY-MM-DD), or None when it is not a date: the exclusive upper bound
    of a range that includes `value`'s whole day."""
    try:
        return (date.fromisoformat((value or "").strip()) + timedelta(days=1)).isoformat()
    except ValueError:
        return None


def iso_day(value: str | None) -> str | None:
    """`value` if it is an ISO date (YYYY-MM-DD), else None."""
    try:
        return date.fromisoformat((value or "").strip()).isoformat()
    except ValueError:
        return None
