"""Vietnamese full-text search over the archive, with or without diacritics.

Design: one FTS5 index (``articles_fts``, sqlite-utils ``enable_fts`` with triggers, external content)
over the text as written (``title``, ``sapo``, ``body``; tokenizer ``unicode61 remove_diacritics 0``,
so tones stay distinct) and its folded copy (``*_folded``, computed by ``scraper.text.fold``
on every write: no marks, đ→d). A query is folded the same way and matched against the folded
columns, so "dao tao", "đào tạo", "Dao tạo" all find "đào tạo". When the query carries diacritics it
is also matched, as typed, against the plain columns. Ranking is by tiers, each cheap to compute
on a bounded window of matches: the words as typed (diacritics included) first, then the words
forming the phrase typed, then a match in the headline, then in the lead; newest first within a tier.
``ldtd search`` and Datasette's canned search run the same ranking SQL (``ranking_sql``) and the same
snippet (``snippet``).

What people can type (``parse``): words (all required), ``"a phrase"``, ``prefix*`` (at least
MIN_PREFIX_LETTERS letters: a short prefix reads most of the index), ``a OR b`` (binds tighter than
the implied AND: ``dao tao OR hoc`` is dao AND (tao OR hoc)), ``-word``/``NOT word``/``-"a phrase"``
to exclude. The user's text is never handed to FTS5 as syntax: it is parsed into terms and rebuilt as
quoted FTS5 phrases; what cannot be read (an unbalanced quote, a lone operator, only exclusions) is a
QuerySyntaxError with a one-line message, never an FTS5 error or an empty answer.

Filters (category, author, date range) are index terms too: each article's ``facets`` column holds
tokens such as "ckinhte aminhanh y2024", so a filtered search intersects posting lists in FTS5; the
exact filter is then applied through indexes on ``articles``: category and author are compared folded
(``category_folded``/``author_folded``: no case, no diacritics), so "thoi su" finds "Thời sự".

Why not bm25: FTS5's bm25 computes each term's IDF by reading that term's whole doclist, and
Vietnamese syllables ("ha", "noi", "dao", "tao") occur in most articles, so bm25 cost 40-90 ms per
query at 200,000 articles even when only 5,000 rows were ranked; the tiers cost 3-12 ms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from scraper.text import fold

from .schema import FACETS_COLUMN, FOLDED_COLUMNS, FTS_TABLE, PLAIN_COLUMNS, facet_tokens, filter_key

_WORD = re.compile(r"\w+", re.UNICODE)
# one chunk of a query: an optional "-", then a "quoted phrase" (a * right after it: a prefix) or a run
# of anything but spaces and quotes
_CHUNK = re.compile(r'(-?)(?:"([^"]*)"(\*?)|([^\s"]+))')
OPERATORS = ("OR", "AND", "NOT")

OPEN, CLOSE = "[", "]"
MATCH_NOTHING = '""'

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
# A prefix expands to every indexed word it begins: at 20,000 articles "t*" took 570 ms, "th*" 540 ms,
# "tha*" 120 ms, "thanh*" 30 ms (ldtd search, a 2-core machine); Vietnamese syllables are short, so three
# letters still narrow most searches.
MIN_PREFIX_LETTERS = 3


class QueryError(ValueError):
    """A search query that cannot be run; the message says why, in one line."""


class QueryTooLong(QueryError):
    """A search query over MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words."""


class QuerySyntaxError(QueryError):
    """A query that cannot be read: an unbalanced quote, a lone operator, a too-short prefix, only exclusions."""


@dataclass(frozen=True)
class Term:
    """One word, or several forming a phrase ("covid-19", a quoted phrase); prefix: the last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: every group must match (a group is one term or its alternatives, joined by OR);
    no excluded term may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> list[Term]:
        return [t for group in self.groups for t in group]


@lru_cache(maxsize=256)
def parse(text: str | None) -> Query:
    """The query a person typed as terms (see the module's docstring for what they can type).
    Raises QueryTooLong past the caps and QuerySyntaxError for what cannot be read; punctuation alone
    ("(", "*") is ignored, so a query of no word is an empty Query (nothing to search for)."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"search query longer than {MAX_QUERY_CHARS} characters")
    text = unicodedata.normalize("NFC", text)
    if text.count('"') % 2:
        raise QuerySyntaxError('unbalanced quote: close the "phrase" or remove the quote')
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    last = None  # what came before: "term", "excluded", "OR", "NOT" or None
    words_seen = 0
    for m in _CHUNK.finditer(text):
        minus, quoted, star, bare = m.groups()
        if quoted is None and not minus and bare in OPERATORS:
            if bare == "OR" and last != "term":
                raise QuerySyntaxError("'OR' needs a word to find on each side (a OR b)")
            if bare != "AND":
                if last in ("OR", "NOT"):
                    raise QuerySyntaxError(f"'{last} {bare}': an operator needs a word after it")
                last = bare
            continue
        if quoted is None and bare == "-":
            raise QuerySyntaxError("'-' excludes the word right after it (-word): remove the space or the '-'")
        words = _WORD.findall(quoted if quoted is not None else bare)
        if not words:
            continue  # punctuation alone
        prefix = bool(star) if quoted is not None else bare.endswith("*")
        if prefix and len(fold(words[-1])) < MIN_PREFIX_LETTERS:
            raise QuerySyntaxError(f"prefix '{words[-1]}*' is too short: type at least {MIN_PREFIX_LETTERS} letters before *")
        words_seen += len(words)
        if words_seen > MAX_QUERY_WORDS:
            raise QueryTooLong(f"search query of more than {MAX_QUERY_WORDS} words")
        term = Term(tuple(words), prefix)
        if minus or last == "NOT":
            excluded.append(term)
            last = "excluded"
        elif last == "OR":
            groups[-1].append(term)
            last = "term"
        else:
            groups.append([term])
            last = "term"
    if last == "OR":
        raise QuerySyntaxError("'OR' needs a word to find on each side (a OR b)")
    if last == "NOT":
        raise QuerySyntaxError("'NOT' excludes the word after it (NOT word): add one")
    if excluded and not groups:
        raise QuerySyntaxError("only excluded words: add a word to find (dao tao -hoc)")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def _phrase(term: Term, transform) -> str | None:
    words = [w for w in (transform(w) for w in term.words) if w]
    if not words:
        return None
    return '"' + " ".join(w.replace('"', "") for w in words) + '"' + ("*" if term.prefix else "")


def _match(query: Query, transform, columns: tuple[str, ...], exclude: bool = True) -> str | None:
    """The FTS5 expression of a parsed query over `columns`, every word passed through `transform`
    (each word quoted: nothing the user typed is FTS5 syntax). None when nothing is left to find."""
    groups = []
    for group in query.groups:
        alternatives = [p for p in (_phrase(t, transform) for t in group) if p]
        if alternatives:
            groups.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    if not groups:
        return None
    expr = " AND ".join(groups)
    excluded = [p for p in (_phrase(t, transform) for t in query.excluded) if p] if exclude else []
    if excluded:
        expr = f"({expr}) NOT ({' OR '.join(excluded)})"
    return "{" + " ".join(columns) + "} : (" + expr + ")"


# what each expression of a query matches (expressions()); the ranking's tiers
KINDS = ("folded", "exact", "phrase", "title", "sapo")


def expressions(query: str | Query) -> dict[str, str | None]:
    """The FTS5 expressions of a query, by kind: folded (what matches: every word with or without
    diacritics, exclusions applied), exact (the words as typed on the plain columns; None when the query
    has no diacritics), phrase (all the words as one phrase; None unless several words without OR or
    prefix), title and sapo (the words found in the headline / the lead). All None: nothing to find."""
    q = parse(query) if isinstance(query, str) or query is None else query
    folded = _match(q, fold, FOLDED_COLUMNS)
    if folded is None:
        return dict.fromkeys(KINDS)
    exact = None
    if any(fold(w) != w.lower() for t in q.terms for w in t.words):
        exact = _match(q, str.lower, PLAIN_COLUMNS, exclude=False)
    phrase = None
    if len(q.groups) > 1 and all(len(g) == 1 for g in q.groups) and not any(t.prefix for t in q.terms):
        phrase = _match(Query(((Term(tuple(w for t in q.terms for w in t.words)),),)), fold, FOLDED_COLUMNS)
    return {"folded": folded, "exact": exact, "phrase": phrase,
            "title": _match(q, fold, ("title_folded",), exclude=False),
            "sapo": _match(q, fold, ("sapo_folded",), exclude=False)}


def fts_queries(query: str) -> tuple[str | None, str | None, str | None]:
    """(folded, exact, phrase) of expressions(query)."""
    e = expressions(query)
    return e["folded"], e["exact"], e["phrase"]


def _text(value) -> str:
    """A query as SQL hands it over (any type) as text."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def match_expression(query, kind: str = "folded") -> str:
    """expressions(query)[kind] for SQL (Datasette's ldtd_fts(), ldtd_match()): an expression that matches
    nothing when there is nothing to find or the query cannot be read (query_problem says why)."""
    try:
        return expressions(_text(query)).get(kind) or MATCH_NOTHING
    except QueryError:
        return MATCH_NOTHING


def query_problem(query) -> str | None:
    """Why a query cannot be run, as one line for a person ("unbalanced quote: ..."), or None."""
    try:
        parse(_text(query))
    except QueryError as exc:
        return f"Search not run: {exc}."
    return None


def article_snippet(conn, article_id: int, query: str, mark: tuple[str, str] = (OPEN, CLOSE)) -> str | None:
    """`snippet` of one article for a query (Datasette's table search shows it in the lead's place), None
    when the query finds nothing to mark or the article is not there. `conn`: a sqlite3 connection."""
    try:
        parsed = parse(_text(query))
    except QueryError:
        return None
    match = expressions(parsed)
    if match["folded"] is None:
        return None
    columns = ("title", "sapo", "body", "title_folded", "sapo_folded", "body_folded")
    row = conn.execute(f"SELECT {', '.join(columns)} FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    exact = match["exact"] is not None and conn.execute(
        f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? AND rowid = ?", [match["exact"], article_id]
    ).fetchone() is not None
    return snippet(dict(zip(columns, row)), parsed, exact=exact, mark=mark)


# the ranking's tiers, best first, then newest (ids grow with publication time)
RANK_ORDER = "exact DESC, phrase DESC, in_title DESC, in_sapo DESC, id DESC"


def _matches(expr: str, lo: str, hi: str) -> str:
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {expr} AND rowid BETWEEN {lo} AND {hi}"


def cut_sql(folded: str, filters: str = "", lo: str = "-1", hi: str = str(1 << 62),
            window: str = str(RANK_WINDOW)) -> str:
    """A SELECT of the oldest id among the newest `window` matches of `folded` (`lo` when fewer): the
    ranking reads only from there (see RANK_WINDOW)."""
    return f"""SELECT coalesce((SELECT f.rowid FROM ({_matches(folded, lo, hi)}) f {filters}
                         ORDER BY f.rowid DESC LIMIT 1 OFFSET ({window}) - 1), {lo})"""


def ranking_sql(match: dict[str, str | None], filters: str = "", lo: str = "-1", hi: str = str(1 << 62),
                window: str = str(RANK_WINDOW), limit: str = ":limit", offset: str = ":offset",
                cut: str | None = None) -> str:
    """The ranking, as common table expressions (for a WITH): ``ranked(id, exact, phrase, in_title,
    in_sapo)``, the page of results (to be read in RANK_ORDER), preceded by ``cut(id)`` (cut_sql) unless
    `cut` gives its value (a parameter: ``search`` reads it first, which a filtered search finds faster).
    `match` gives, per KINDS, the SQL of its FTS5 expression (a parameter, or a call of Datasette's
    ldtd_fts()) or None; `filters` a WHERE on ``f.rowid``; `lo`/`hi` the id range. One ranking, run by
    ``search`` and by Datasette's canned search (CANNED_SEARCH_SQL)."""
    ctes = ""
    if cut is None:
        ctes = f"cut(id) AS ({cut_sql(match['folded'], filters, lo, hi, window)}),\n"
        cut = "(SELECT id FROM cut)"

    def among(kind: str) -> str:
        return "0" if match.get(kind) is None else f"f.rowid IN ({_matches(match[kind], cut, hi)})"

    # rank ids only (no article text goes through the sorter, a top-k sort: numbering every row of the
    # window with row_number() here cost 2.5x); the caller fetches the page's rows, in RANK_ORDER
    return f"""{ctes}ranked AS (
  SELECT f.rowid AS id, {among("exact")} AS exact, {among("phrase")} AS phrase,
         {among("title")} AS in_title, {among("sapo")} AS in_sapo
  FROM ({_matches(match["folded"], cut, hi)}) f
  {filters}
  ORDER BY {RANK_ORDER}
  LIMIT {limit} OFFSET {offset})"""


# Datasette's canned query "search" (metadata.yaml; scraper.datasette.config.metadata_for fills it in): the
# ranking of `ldtd search`, its snippet (matches in <mark>), and a row saying why when the query cannot be
# read. ldtd_fts(), ldtd_query_problem() and ldtd_search_snippet() are the plugin's SQL functions
# (scraper/datasette/plugins/sql_functions.py: match_expression, query_problem and snippet of this module).
CANNED_SEARCH_LIMIT = 50
# The canned search's optional filters (:category, :author, :since, :until; Datasette binds a missing one
# as ''), as `search` applies them (_filters): each a WHERE on f.rowid through its own index, skipped when
# blank, so that an unfiltered search reads no filter at all.
CANNED_SEARCH_PARAMS = ("q", "category", "author", "since", "until")
CANNED_FILTERS = """WHERE (ifnull(:category, '') = '' OR +f.rowid IN (
        SELECT id FROM articles WHERE category_folded = ldtd_filter_key(:category)))
    AND (ifnull(:author, '') = '' OR +f.rowid IN (SELECT id FROM articles WHERE author_folded = ldtd_filter_key(:author)))
    AND (ifnull(:since, '') = '' OR +f.rowid IN (SELECT id FROM articles WHERE published_at >= :since))
    AND (ifnull(:until, '') = '' OR +f.rowid IN (SELECT id FROM articles
        WHERE published_at <= (CASE WHEN length(:until) = 10 THEN :until || 'T99' ELSE :until END)))"""
CANNED_SEARCH_SQL = f"""\
with problem(message) as (select ldtd_query_problem(:q)),
{ranking_sql({k: f"ldtd_fts(:q, '{k}')" for k in KINDS}, CANNED_FILTERS, limit=str(CANNED_SEARCH_LIMIT), offset="0")}
select row_number() over (order by {", ".join("ranked." + key for key in RANK_ORDER.split(", "))}) as rank, a.id, a.title, a.published_at, a.category, a.author,
  ldtd_search_snippet(:q, a.title, a.sapo, a.body, a.title_folded, a.sapo_folded, a.body_folded, ranked.exact)
    as snippet
from ranked join articles a on a.id = ranked.id
union all
select 0, null, message, null, null, null, null from problem where message is not null
order by rank"""


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
    ``category``/``author`` match without case or diacritics ("thoi su" finds "Thời sự");
    ``since``/``until`` bound ``published_at`` (ISO dates or timestamps, inclusive; a bare date
    ``until`` covers that whole day). Raises QueryTooLong past the caps, QuerySyntaxError for a query
    that cannot be read (its message says why)."""
    parsed = parse(query)
    match = expressions(parsed)
    if match["folded"] is None:
        return []
    where, args = _filters(category, author, since, until)
    args.update(limit=max(0, int(limit)), offset=max(0, int(offset)))
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
    # testing every match of a common word: in every tier too (a filter's window of matches spans a
    # wide id range, where a tier's common word has many more)
    facet = None if tight else _facet_expr(db, category, author, since, until)
    for kind, expr in match.items():
        if expr is not None:
            args[kind] = f"({expr}) AND {facet}" if facet else expr
    # and exactly, through the indexes on articles (reading the rows would walk their text); the unary +
    # keeps SQLite from handing the id list to FTS5 as rowid lookups, one query per id
    filters = f"WHERE +f.rowid IN (SELECT id FROM articles WHERE {' AND '.join(where)})" if where else ""
    args["window"] = max(RANK_WINDOW, args["limit"] + args["offset"])
    args["cut"] = db.execute(cut_sql(":folded", filters, lo=":lo", hi=":hi", window=":window"), args).fetchone()[0]
    sql = ranking_sql({k: (f":{k}" if match[k] else None) for k in KINDS}, filters, hi=":hi", cut=":cut")
    ranked = list(db.execute(f"WITH {sql} SELECT id, exact, phrase, in_title, in_sapo FROM ranked ORDER BY {RANK_ORDER}",
                             args))
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
    out = []
    for rowid, is_exact, is_phrase, in_title, in_sapo in ranked:
        rank = -(8 * is_exact + 4 * is_phrase + 2 * in_title + in_sapo)
        row = rows[rowid]
        text = snippet(row, parsed, exact=bool(is_exact))
        for c in ("body", "title_folded", "sapo_folded", "body_folded"):
            row.pop(c)
        row.update(rank=rank, exact=bool(is_exact), phrase=bool(is_phrase), snippet=text)
        out.append(row)
    return out


def _filters(category, author, since, until) -> tuple[list[str], dict]:
    where, args = [], {}
    if category:
        where.append("category_folded = :category")
        args["category"] = filter_key(category)
    if author:
        where.append("author_folded = :author")
        args["author"] = filter_key(author)
    if since:
        where.append("published_at >= :since")
        args["since"] = since
    if until:
        where.append("published_at < :until" if len(until) == 10 else "published_at <= :until")
        args["until"] = until + "T99" if len(until) == 10 else until
    return where, args


def why_nothing(db: Database, query: str, category: str | None = None, since: str | None = None,
                until: str | None = None, author: str | None = None) -> str:
    """Why a search found nothing, as one line naming what emptied the result: a filter no article
    passes ("no article in category 'x'"), filters no article passes together, or the words."""
    def none_pass(*filters) -> bool:
        where, args = _filters(*filters)
        return where and db.execute(f"SELECT 1 FROM articles WHERE {' AND '.join(where)} LIMIT 1", args).fetchone() is None

    if category and none_pass(category, None, None, None):
        return f"No article in category {category!r} (`ldtd stats --by category` lists them)."
    if author and none_pass(None, author, None, None):
        return f"No article by author {author!r} (`ldtd stats --by author` lists them)."
    if (since or until) and none_pass(None, None, since, until):
        return f"No article published {_range(since, until)}."
    named = [f"in category {category!r}" if category else "", f"by {author!r}" if author else "",
             f"published {_range(since, until)}" if since or until else ""]
    named = " ".join(n for n in named if n)
    if sum(map(bool, (category, author, since or until))) > 1 and none_pass(category, author, since, until):
        return f"No article {named}."
    if named and search(db, query, limit=1):
        return f"No match for {query!r} {named} (there are matches without these filters)."
    return f"No article matches {query!r}{' ' + named if named else ''}."


def _range(since: str | None, until: str | None) -> str:
    if since and until:
        return f"between {since} and {until}"
    return f"since {since}" if since else f"until {until}"


FILTER_COLUMNS = {"category": "category", "author": "author"}


def filter_values(db: Database, by: str) -> list[dict]:
    """The values a filter (``by``: category or author) can take, with their article counts, most
    articles first: spellings that differ only in case or diacritics are one value (the most common
    spelling shown); articles without one are counted under None."""
    column = FILTER_COLUMNS[by]
    rows = db.execute(
        f"""SELECT (SELECT {column} FROM articles s WHERE s.{column}_folded IS a.{column}_folded
                    GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 1), count(*)
            FROM articles a GROUP BY {column}_folded ORDER BY count(*) DESC, 1"""
    ).fetchall()
    return [{by: value or None, "articles": n} for value, n in rows]


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


def _snippet_terms(query: Query) -> list[tuple[str, bool]]:
    """(folded words, prefix) to mark: every term to find (excluded ones are not in the text), and all
    the words as one phrase when that is a ranking tier."""
    terms = [(fold(" ".join(t.words)), t.prefix) for t in query.terms]
    if len(query.groups) > 1 and all(len(g) == 1 for g in query.groups) and not any(p for _, p in terms):
        terms.append((fold(" ".join(w for t in query.terms for w in t.words)), False))
    return terms


def snippet(row: dict, query: str | Query, exact: bool = False, width: int = 160,
            mark: tuple[str, str] = (OPEN, CLOSE)) -> str:
    """A window of the article's own text (diacritics as written) around the best cluster of matches,
    each match wrapped in ``mark`` (``[``…``]``; Datasette's cells turn ``<mark>`` into HTML safely).
    ``row`` holds title, sapo, body and their ``*_folded`` copies; matching runs on the folded copy,
    position for position. With ``exact`` (the article matches the words as typed, diacritics
    included), only what matches as typed is marked. The one snippet of `ldtd search` and Datasette."""
    q = parse(query) if isinstance(query, str) or query is None else query
    pattern, as_typed = _marking(q)
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
            spans = [(a, b) for a, b in spans if " ".join(_WORD.findall(text[a:b].lower())) in as_typed] or spans
        if spans:
            found, covered = _window(text, folded_text, spans, width, mark)
            if best is None or covered > best[1]:
                best = (found, covered)
    if best is not None:
        return best[0]
    text = re.sub(r"\s+", " ", row.get("sapo") or row.get("body") or "")
    return text[:width] + ("…" if len(text) > width else "")


@lru_cache(maxsize=256)
def _marking(query: Query):
    """What snippet() marks for a query (computed once per query, not per article): the pattern of its
    folded terms, and its words as typed (lower case) for exact matches."""
    typed = [" ".join(t.words) for t in query.terms if not t.prefix]
    typed.append(" ".join(typed))
    return _terms_pattern(_snippet_terms(query)), frozenset(" ".join(_WORD.findall(t.lower())) for t in typed)


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


def _window(text: str, folded_text: str, spans: list[tuple[int, int]], width: int,
            mark: tuple[str, str]) -> tuple[str, int]:
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
        out.append(mark[0] + text[s:e] + mark[1])
        pos = e
    out.append(text[pos:end])
    body = re.sub(r"\s*\n+\s*", " ", "".join(out))
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else ""), best_key[0]
