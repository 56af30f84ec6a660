"""SQL functions on every Datasette connection: fold(text) (the project's search folding, đ→d),
ldtd_match(query) (an FTS5 query that matches with or without diacritics), ldtd_match_exact(query)
(the query as typed, to rank exact-diacritics matches first) and ldtd_snippet(text, query[, words])
(a window of text, matches in <mark>).
"""

from __future__ import annotations

from datasette import hookimpl

from scraper.datasette import config
from scraper.datasette.render import snippet
from scraper.parsing.text import fold
from scraper.storage import read
from scraper.storage.search import MAX_QUERY_CHARS, fts_queries

# Anonymous SQL calls these functions with any input, and Datasette's time limit (a progress handler
# between SQLite steps) cannot stop a Python function once called: each call is bounded instead, so that
# it stays far under sql_time_limit_ms (worst cases at these caps, in tests/hardening/test_sql_functions.py:
# see the README). Longer text is refused by fold() and cut by ldtd_snippet() (a snippet of the start);
# a longer query matches nothing (storage's search refuses it).
MAX_TEXT_CHARS = 100_000
MAX_SNIPPET_WORDS = 200
MATCH_NOTHING = '""'


def fts_match(query: str | None) -> str:
    """The storage search's FTS5 expression over the folded columns for free text typed by a person.

    Never a syntax error ("covid-19", an unclosed quote), diacritics optional: the query is folded the
    way the stored copies are (scraper.storage.search.fts_queries). Matches nothing for an empty query.
    """
    try:
        folded = fts_queries(query or "")[0]
    except Exception:  # a query the search cannot read matches nothing rather than failing the page
        return MATCH_NOTHING
    return folded or MATCH_NOTHING


def fts_match_exact(query: str | None) -> str:
    """The same query as typed against the plain columns, or nothing when it carries no diacritics:
    used to rank articles matching the diacritics exactly first."""
    try:
        exact = fts_queries(query or "")[1]
    except Exception:
        return MATCH_NOTHING
    return exact or MATCH_NOTHING


def fold_sql(text):
    """fold() for SQL: text longer than MAX_TEXT_CHARS is an error, not minutes of work."""
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"fold(): text longer than {MAX_TEXT_CHARS} characters")
    return fold(text)


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
    conn.create_function("ldtd_match", 1, fts_match, deterministic=True)
    conn.create_function("ldtd_match_exact", 1, fts_match_exact, deterministic=True)
    conn.create_function("ldtd_snippet", 2, snippet_sql, deterministic=True)
    conn.create_function("ldtd_snippet", 3, snippet_sql, deterministic=True)
