"""SQL functions on every Datasette connection: fold(text) (the project's search folding, đ→d),
ldtd_filter_key(text) (a category or author as the CLI's --category/--author compare it: folded, spaces
collapsed, compared with the indexed ``category_folded``/``author_folded``),
ldtd_match(query) (an FTS5 query that matches with or without diacritics, operators as `ldtd search`
reads them), ldtd_match_exact(query) (the query as typed, to rank exact-diacritics matches first),
ldtd_snippet(text, query[, words]) (a window of text, matches in <mark>), and what the canned search
(scraper.storage.search.CANNED_SEARCH_SQL) runs: ldtd_fts(query, kind) (one of the ranking's
expressions), ldtd_query_problem(query) (why a query cannot be run, or null) and ldtd_search_snippet()
(the snippet of `ldtd search`, matches in <mark>). All of them are storage's search, called.
"""

from __future__ import annotations

from datasette import hookimpl

from scraper.datasette import config
from scraper.datasette.render import snippet
from scraper.text import fold
from scraper.storage import read
from scraper.storage import search
from scraper.storage.search import MAX_QUERY_CHARS, MATCH_NOTHING, match_expression

# Anonymous SQL calls these functions with any input, and Datasette's time limit (a progress handler
# between SQLite steps) cannot stop a Python function once called: each call is bounded instead, so that
# it stays far under sql_time_limit_ms (worst cases at these caps, in tests/hardening/test_sql_functions.py:
# see the README). Longer text is refused by fold() and cut by ldtd_snippet() (a snippet of the start);
# a longer query matches nothing (storage's search refuses it).
MAX_TEXT_CHARS = 100_000
MAX_SNIPPET_WORDS = 200
SNIPPET_MARK = ("<mark>", "</mark>")  # cells.py turns these, and only these, into HTML


def fts_match(query: str | None) -> str:
    """The storage search's FTS5 expression over the folded columns for text typed by a person: never a
    syntax error ("covid-19", an unclosed quote), diacritics optional, OR/-word/"phrase"/prefix* as in
    `ldtd search`. Matches nothing for an empty query or one that cannot be read (ldtd_query_problem)."""
    return match_expression(query, "folded")


def fts_match_exact(query: str | None) -> str:
    """The same query as typed against the plain columns, or nothing when it carries no diacritics:
    used to rank articles matching the diacritics exactly first."""
    return match_expression(query, "exact")


def fts_kind(query: str | None, kind: str | None) -> str:
    """ldtd_fts(query, kind): the ranking's expression of that kind (scraper.storage.search.KINDS)."""
    return match_expression(query, kind) if kind in search.KINDS else MATCH_NOTHING


def search_snippet(query, title, sapo, body, title_folded, sapo_folded, body_folded, exact=0):
    """ldtd_search_snippet(): `ldtd search`'s snippet of an article row, each text cut at MAX_TEXT_CHARS."""
    texts = dict(title=title, sapo=sapo, body=body, title_folded=title_folded, sapo_folded=sapo_folded,
                 body_folded=body_folded)
    row = {k: (v if isinstance(v, str) else "" if v is None else str(v))[:MAX_TEXT_CHARS] for k, v in texts.items()}
    try:
        return search.snippet(row, query if isinstance(query, str) else "", exact=bool(exact), mark=SNIPPET_MARK)
    except search.QueryError:
        return search.snippet(row, "", mark=SNIPPET_MARK)


def fold_sql(text):
    """fold() for SQL: text longer than MAX_TEXT_CHARS is an error, not minutes of work."""
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"fold(): text longer than {MAX_TEXT_CHARS} characters")
    return fold(text)


def filter_key_sql(text):
    """storage's filter_key() for SQL (the feed of a category), with fold_sql's cap on the text."""
    if not isinstance(text, str):
        return None
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"ldtd_filter_key(): text longer than {MAX_TEXT_CHARS} characters")
    return read.filter_key(text)


def snippet_sql(text, query, words=28):
    """ldtd_snippet(text, query[, words]): a window of the first MAX_TEXT_CHARS characters of text."""
    if not isinstance(text, str):
        text = None if text is None else str(text)
    if not isinstance(query, str):
        query = None if query is None else str(query)
    words = max(1, min(int(words or 28), MAX_SNIPPET_WORDS))
    return snippet((text or "")[:MAX_TEXT_CHARS], (query or "")[:MAX_QUERY_CHARS], words=words)


@hookimpl
def prepare_connection(conn):
    # no value a query builds (replace(hex(zeroblob(N)), ...)) is larger than any the archive holds, so no
    # single SQLite step or Python function call is handed gigabytes
    read.cap_value_length(conn, config.MAX_VALUE_BYTES)
    conn.create_function("fold", 1, fold_sql, deterministic=True)
    conn.create_function("ldtd_filter_key", 1, filter_key_sql, deterministic=True)
    conn.create_function("ldtd_match", 1, fts_match, deterministic=True)
    conn.create_function("ldtd_match_exact", 1, fts_match_exact, deterministic=True)
    conn.create_function("ldtd_snippet", 2, snippet_sql, deterministic=True)
    conn.create_function("ldtd_snippet", 3, snippet_sql, deterministic=True)
    conn.create_function("ldtd_fts", 2, fts_kind, deterministic=True)
    conn.create_function("ldtd_query_problem", 1, search.query_problem, deterministic=True)
    conn.create_function("ldtd_search_snippet", 8, search_snippet, deterministic=True)
