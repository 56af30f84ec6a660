"""Vietnamese full-text search over the archive, with or without diacritics.

Design: one FTS5 index (``articles_fts``, sqlite-utils ``enable_fts`` with triggers, external content)
over the text as written (``title``, ``sapo``, ``body``; tokenizer ``unicode61 remove_diacritics 0``,
so tones stay distinct) and its folded copy (``*_folded``, computed by ``scraper.parsing.text.fold``
on every write: no marks, đ→d). A query is folded the same way and matched against the folded
columns, so "dao tao", "đào tạo", "Dao tạo" all find "đào tạo". When the query carries diacritics it
is also matched, as typed, against the plain columns. Ranking is by tiers, each cheap to compute
on a bounded window of matches: the words as typed (diacritics included) first, then the words
forming the phrase typed, then a match in the headline, then in the lead; newest first within a tier.

Filters (category, author, date range) are index terms too: each article's ``facets`` column holds
tokens such as "ckinhte aminhanh y2024", so a filtered search intersects posting lists in FTS5; the
exact filter is then applied through the covering indexes on ``articles``.

Why not bm25: FTS5's bm25 computes each term's IDF by reading that term's whole doclist, and
Vietnamese syllables ("ha", "noi", "dao", "tao") occur in most articles, so bm25 cost 40-90 ms per
query at 200,000 articles even when only 5,000 rows were ranked; the tiers cost 3-12 ms.

The user's text is never handed to FTS5 as syntax: it is split into words (``\\w+``) and each word,
or each run of words joined by punctuation ("covid-19") or inside balanced double quotes, becomes a
quoted phrase; all phrases must match. A trailing ``*`` on a word is kept as a prefix search.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlite_utils import Database

from scraper.parsing.text import fold

from .schema import FACETS_COLUMN, FOLDED_COLUMNS, FTS_TABLE, PLAIN_COLUMNS, facet_tokens

_WORD = re.compile(r"\w+", re.UNICODE)
_QUOTED = re.compile(r'"([^"]*)"')

OPEN, CLOSE = "[", "]"

# Broad queries ("Hà Nội" is in most articles) are ranked among their newest RANK_WINDOW matches (by
# article id, which grows with publication), so that a query costs the same at 200,000 articles as at
# 2,000: ranking and sorting every match of a common word is what is slow (measured at 200,000
# articles: window 5,000 -> p95 41 ms, 2,000 -> 23 ms, 1,000 -> 19 ms).
RANK_WINDOW = 2000

# A query is what a person types (a pasted headline fits). Longer ones are refused (QueryTooLong): Datasette
# runs this parsing for anonymous visitors (the search box, ldtd_match() in any SQL), inside a Python call
# that its time limit cannot interrupt, and every word is one more FTS5 doclist to read.
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 50


class QueryTooLong(ValueError):
    """A search query over MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words."""


def _phrases(query: str) -> list[tuple[list[str], bool]]:
    """The query as phrases: (words, prefix). Balanced double quotes group words; so does punctuation.
    Raises QueryTooLong past MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words."""
    if len(query or "") > MAX_QUERY_CHARS:
        raise QueryTooLong(f"search query longer than {MAX_QUERY_CHARS} characters")
    query = unicodedata.normalize("NFC", query or "")
    chunks: list[str] = []
    quoted: list[str] = []
    if query.count('"') >= 2:
        quoted = _QUOTED.findall(query)
        query = _QUOTED.sub(" ", query)
    chunks = quoted + query.split()
    out = []
    quoted_set = set(quoted)
    for chunk in chunks:
        words = _WORD.findall(chunk)
        if not words:
            continue
        if chunk in quoted_set:
            out.append((words, False))
        else:
            out.append((words, chunk.rstrip().endswith("*") and len(words) == 1))
    if sum(len(words) for words, _ in out) > MAX_QUERY_WORDS:
        raise QueryTooLong(f"search query of more than {MAX_QUERY_WORDS} words")
    return out


def _expr(phrases: list[tuple[list[str], bool]], transform, columns: tuple[str, ...]) -> str | None:
    parts = []
    for words, prefix in phrases:
        words = [w for w in (transform(w) for w in words) if w]
        if not words:
            continue
        phrase = '"' + " ".join(w.replace('"', "") for w in words) + '"'
        parts.append(phrase + ("*" if prefix else ""))
    if not parts:
        return None
    return "{" + " ".join(columns) + "} : (" + " ".join(parts) + ")"


def fts_queries(query: str) -> tuple[str | None, str | None, str | None]:
    """MATCH expressions for a user query: (folded: what matches; exact: the words as typed, or None
    when the query has no diacritics; phrase: all words as one folded phrase, or None for one phrase)."""
    phrases = _phrases(query)
    folded = _expr(phrases, fold, FOLDED_COLUMNS)
    exact = None
    if any(fold(w) != w.lower() for words, _ in phrases for w in words):
        exact = _expr(phrases, lambda w: w.lower(), PLAIN_COLUMNS)
    phrase = None
    if len(phrases) > 1 and not any(prefix for _, prefix in phrases):
        phrase = _expr([([w for words, _ in phrases for w in words], False)], fold, FOLDED_COLUMNS)
    return folded, exact, phrase


def search(
    db: Database,
    query: str,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    author: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Ranked matches: dicts with id, url, title, sapo, published_at, category, author, gone_at,
    snippet (matches in ``[``…``]``), rank (lower is better: -(8·exact + 4·phrase + 2·in title + in lead)),
    exact (the words as typed, diacritics included, all match) and phrase (the words appear together).

    Order: exact matches first (only when the query has diacritics), then articles where the words
    form the phrase typed, then matches in the headline, then in the lead, then newest.
    ``since``/``until`` bound ``published_at`` (ISO dates or timestamps, inclusive; a bare date
    ``until`` covers that whole day). Raises QueryTooLong for a query past the caps."""
    folded, exact, phrase = fts_queries(query)
    if folded is None:
        return []
    where, args = [], {"folded": folded, "limit": max(0, int(limit)), "offset": max(0, int(offset))}
    if category:
        where.append("category = :category")
        args["category"] = category
    if author:
        where.append("author = :author")
        args["author"] = author
    if since:
        where.append("published_at >= :since")
        args["since"] = since
    if until:
        where.append("published_at < :until" if len(until) == 10 else "published_at <= :until")
        args["until"] = until + "T99" if len(until) == 10 else until
    # the filtered ids' range, which FTS5 seeks to: ids grow with publication time, so a date range
    # is an id range and the index is read only there
    args["lo"], args["hi"] = -1, 1 << 62
    tight = False
    if where:
        lo, hi, count = db.execute(
            f"SELECT min(id), max(id), count(*) FROM articles WHERE {' AND '.join(where)}", args
        ).fetchone()
        if lo is None:
            return []
        args["lo"], args["hi"] = lo, hi
        tight = hi - lo + 1 <= 2 * count  # the range is (nearly) the filter: no need for tokens
    # filters as index terms (category, author, years), so FTS5 intersects posting lists instead of
    # testing every match of a common word
    facet = None if tight else _facet_expr(db, category, author, since, until)
    if facet:
        folded, exact, phrase = (f"({e}) AND {facet}" if e else None for e in (folded, exact, phrase))
        args["folded"] = folded
    # and exactly, through the covering indexes on articles (reading the rows would walk their text);
    # the unary + keeps SQLite from handing the id list to FTS5 as rowid lookups, one query per id
    filters = f"WHERE +f.rowid IN (SELECT id FROM articles WHERE {' AND '.join(where)})" if where else ""
    # the oldest id of the newest RANK_WINDOW matches (None: fewer matches, rank them all)
    window = max(RANK_WINDOW, args["limit"] + args["offset"])
    cut = db.execute(
        f"""SELECT f.rowid FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :folded AND rowid BETWEEN :lo AND :hi) f
            {filters}
            ORDER BY f.rowid DESC LIMIT 1 OFFSET {window - 1}""",
        args,
    ).fetchone()
    args["cut"] = cut[0] if cut else args["lo"]

    def among(param: str | None) -> str:
        if param is None:
            return "0"
        return f"f.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :{param} AND rowid BETWEEN :cut AND :hi)"

    args["exact"], args["phrase"] = exact, phrase
    args["in_title"] = args["folded"].replace("{" + " ".join(FOLDED_COLUMNS) + "}", "{title_folded}", 1)
    args["in_sapo"] = args["folded"].replace("{" + " ".join(FOLDED_COLUMNS) + "}", "{sapo_folded}", 1)
    # rank ids only (no article text goes through the sorter), then fetch the page of results
    ranked = list(db.execute(
        f"""
        SELECT f.rowid, {among("exact" if exact else None)} AS exact, {among("phrase" if phrase else None)} AS phrase,
               {among("in_title")} AS in_title, {among("in_sapo")} AS in_sapo
        FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :folded AND rowid BETWEEN :cut AND :hi) f
        {filters}
        ORDER BY exact DESC, phrase DESC, in_title DESC, in_sapo DESC, f.rowid DESC
        LIMIT :limit OFFSET :offset
        """,
        args,
    ))
    if not ranked:
        return []
    rows = {
        row["id"]: row
        for row in db.query(
            "SELECT id, url, title, sapo, published_at, category, author, gone_at, body,"
            " title_folded, sapo_folded, body_folded FROM articles"
            f" WHERE id IN ({','.join('?' * len(ranked))})",
            [r[0] for r in ranked],
        )
    }
    terms = _terms(query)
    typed = [" ".join(words) for words, prefix in _phrases(query) if not prefix]
    typed.append(" ".join(typed))
    out = []
    for rowid, is_exact, is_phrase, in_title, in_sapo in ranked:
        rank = -(8 * is_exact + 4 * is_phrase + 2 * in_title + in_sapo)
        row = rows[rowid]
        row["_typed"] = typed
        snippet = snippet_for(row, terms, exact=bool(is_exact))
        for c in ("body", "title_folded", "sapo_folded", "body_folded", "_typed"):
            row.pop(c)
        row.update(rank=rank, exact=bool(is_exact), phrase=bool(is_phrase), snippet=snippet)
        out.append(row)
    return out


def _facet_expr(db: Database, category, author, since, until) -> str | None:
    parts = [f'"{t}"' for t in facet_tokens(category, author)]
    if since or until:
        lo = (since or "")[:4]
        hi = (until or "")[:4]
        if not (lo.isdigit() and hi.isdigit()):
            first, last = db.execute("SELECT min(published_at), max(published_at) FROM articles").fetchone()
            lo = lo if lo.isdigit() else (first or "0000")[:4]
            hi = hi if hi.isdigit() else (last or "9999")[:4]
        if lo.isdigit() and hi.isdigit() and int(hi) - int(lo) < 200:
            years = [f'"y{y}"' for y in range(int(lo), int(hi) + 1)]
            parts.append("(" + " OR ".join(years) + ")" if years else '"y-none"')
    if not parts:
        return None
    return "{" + FACETS_COLUMN + "} : (" + " AND ".join(parts) + ")"


def _terms(query: str) -> list[tuple[str, bool]]:
    phrases = _phrases(query)
    terms = [(fold(" ".join(words)), prefix) for words, prefix in phrases]
    if len(phrases) > 1 and not any(prefix for _, prefix in phrases):
        terms.append((fold(" ".join(w for words, _ in phrases for w in words)), False))
    return terms


def _typed(row: dict) -> list[str]:
    return row.get("_typed", [])


def snippet_for(row: dict, terms: list[tuple[str, bool]], width: int = 160, exact: bool = False) -> str:
    """A window of the article's own text (diacritics as written) around the best cluster of matches,
    each match wrapped in ``[``…``]``. Matching runs on the stored folded copy, position for position."""
    pattern = _terms_pattern(terms)
    best = None  # (snippet, distinct words it marks): the body unless the lead or title covers more
    for col in ("body", "sapo", "title"):
        text = row.get(col) or ""
        folded_text = row.get(f"{col}_folded") or ""
        if not text or pattern is None:
            continue
        if len(folded_text) != len(text):  # folding changed length (rare): highlight the folded text
            text = folded_text
        spans = [m.span() for m in pattern.finditer(folded_text)]
        if exact and text is not folded_text:  # typed with diacritics: mark only what matches as typed
            typed = {" ".join(_WORD.findall(unicodedata.normalize("NFC", t).lower())) for t in _typed(row)}
            spans = [(a, b) for a, b in spans if " ".join(_WORD.findall(text[a:b].lower())) in typed] or spans
        if spans:
            snippet, covered = _window(text, folded_text, spans, width)
            if best is None or covered > best[1]:
                best = (snippet, covered)
    if best is not None:
        return best[0]
    text = re.sub(r"\s+", " ", row.get("sapo") or row.get("body") or "")
    return text[:width] + ("…" if len(text) > width else "")


def _terms_pattern(terms: list[tuple[str, bool]]):
    alts = []
    for term, prefix in terms:
        words = _WORD.findall(term)
        if not words:
            continue
        alts.append(r"\W+".join(map(re.escape, words)) + (r"\w*" if prefix else r"(?!\w)"))
    if not alts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alts, key=len, reverse=True)) + ")")


def _window(text: str, folded_text: str, spans: list[tuple[int, int]], width: int) -> tuple[str, int]:
    # the start position whose window covers the most distinct words, then the most matches
    words = [frozenset(_WORD.findall(folded_text[s:e])) for s, e in spans]
    best, best_key, j = spans[0][0], (0, 0), 0
    for i, (s, _) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= s + width:
            j += 1
        key = (len(frozenset().union(*words[i : j + 1])), j - i + 1)
        if key > best_key:
            best, best_key = s, key
    start = max(0, best - width // 4)
    if start:
        sp = text.rfind(" ", 0, start)
        start = sp + 1 if sp >= 0 and start - sp < 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        sp = text.find(" ", end)
        end = sp if 0 <= sp < end + 20 else end
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(text[pos:s])
        out.append(OPEN + text[s:e] + CLOSE)
        pos = e
    out.append(text[pos:end])
    body = re.sub(r"\s*\n+\s*", " ", "".join(out))
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else ""), best_key[0]
