"""The articles table's search box runs the storage search's folded expression.

Datasette's own table search hands the text to FTS5 (an empty box or a lone " is a 400 "fts5: syntax
error") and matches the plain columns only. So ?_search= on the articles table is renamed to
?_ldtd_search= before Datasette sees it (and ?_search_<column>= to ?_ldtd_search_<column>=), and
filters_from_request searches with the storage search's safe, folded expression instead: the box takes
what `ldtd search` takes (OR, -word, "phrase", prefix*) and finds Vietnamese with or without diacritics;
a query it cannot read (an unbalanced quote, a lone OR) is named in the page's filter description and
the table is shown unfiltered, never a 400. ?_searchmode=raw keeps FTS5 syntax. On the HTML page, each
found article's lead shows `ldtd search`'s snippet instead, matches highlighted (escaped text, <mark> only).

A search's page runs no facets unless asked (?_ldtd_facets=1, the link its page shows): each facet runs
the match again over every article it finds, ~0.1 s each for a common word at 200,000 articles, which
put the page over half a second. The count of matches stays.

Best matches first: Datasette orders a table page by one of its columns only, so a search typed into the
table's box (the page's HTML, nothing but the words and the filters `ldtd search` has: category, author,
published dates) is redirected to the canned search page, which ranks as `ldtd search` ranks
(search_page.py). A search the user sorts, pages through, facets or filters otherwise stays on the table,
newest first, with a link to its best matches; the table's JSON and CSV are never redirected.
"""

from __future__ import annotations

import contextvars
import urllib.parse

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_decode
from markupsafe import Markup

from scraper.datasette.render import iso_day, marked_to_html
from scraper.datasette.served import ARTICLES, archive_database
from scraper.storage import read
from scraper.storage.schema import FOLDED_COLUMNS, PLAIN_COLUMNS
from scraper.storage.search import QueryError, article_snippet, expressions, query_problem

SEARCH_ARG = "_ldtd_search"
# a search's page with its facets (category, author, month), which it otherwise leaves off
FACETS_ARG = "_ldtd_facets"
TABLE_PATHS = (ARTICLES, ARTICLES + ".json", ARTICLES + ".csv")
# the canned query that ranks a search (metadata.yaml), and the table arguments it takes over: the filters
# `ldtd search` has, as its parameters (category and author match folded there, which an exact value also
# passes); the page size and the facets left off are the table's own and dropped
RANKED_SEARCH = "search"
RANKED_FILTERS = {"category": "category", "category__exact": "category", "author": "author",
                  "author__exact": "author", "_published_from": "since", "_published_to": "until"}
# the table's date arguments take a day (YYYY-MM-DD); anything else the table ignores, and so does the move
DAY_ARGS = ("_published_from", "_published_to")
TABLE_ONLY_ARGS = ("_nofacet", "_size")
# a search kept on the table whatever it asks (the ranked page's link to every match, newest first, and the
# table's form there, which carries it)
STAY_ON_TABLE = "_ldtd_table"
# the column of the HTML table that shows a found article's snippet in place of its lead
SNIPPET_COLUMN = "sapo"
SNIPPET_MARK = ("<mark>", "</mark>")

# The articles table page's search text, for render_cell (which is not given the request): set by
# asgi_wrapper for the request's task, which renders the page.
_table_search: contextvars.ContextVar[str | None] = contextvars.ContextVar("ldtd_table_search", default=None)

# ?_search_<column>= (Datasette's search in one column), for the text columns: the folded copy of that
# column is searched.
COLUMN_SEARCH = {**dict(zip(PLAIN_COLUMNS, FOLDED_COLUMNS)), **{c: c for c in FOLDED_COLUMNS}}


def table_search_expr(text: str | None, column: str | None = None) -> str | None:
    """The FTS5 expression the articles table's search box runs: the storage search's folded query
    (scraper.storage.search.expressions, what `ldtd search` and the canned search match), restricted to
    one column's folded copy when `column` is given, or None when the text holds no word (an empty box)
    or cannot be read (query_problem says why): then there is nothing to search for."""
    try:
        expr = expressions(text or "")["folded"]
    except QueryError:
        return None
    if expr is None or column is None:
        return expr
    columns, sep, phrases = expr.partition(" : ")  # "{title_folded sapo_folded body_folded} : (...)"
    if not (sep and columns.startswith("{")):
        return None
    return "{" + COLUMN_SEARCH[column] + "} : " + phrases


def _searches(args) -> list[tuple[str, str | None]]:
    """(argument, column or None) for each of our search arguments in the request."""
    out = []
    for key in args:
        column = key[len(SEARCH_ARG) + 1:]
        if key == SEARCH_ARG or (key.startswith(SEARCH_ARG + "_") and column in COLUMN_SEARCH):
            out.append((key, column or None))
    return out


@hookimpl
def filters_from_request(request, database, table, datasette):
    if table != ARTICLES:
        return None
    searches = _searches(request.args)
    if not searches:
        return None
    where, params, described = [], {}, []
    context = {"supports_search": True}
    for n, (key, column) in enumerate(searches):
        text = request.args.get(key) or ""
        context["search"] = text
        expr = table_search_expr(text, column)
        if expr is None:
            problem = query_problem(text)
            if problem:
                described.append(f'search "{text}" not run: {problem[len("Search not run: "):].rstrip(".")}')
            continue
        param = f"ldtd_search_{n}"
        where.append(read.article_match_clause(param))
        params[param] = expr
        described.append(f'search matches "{text}"' if column is None else f'search column "{column}" matches "{text}"')
    return FilterArguments(where, params=params, human_descriptions=described, extra_context=context)


def rewrite_search(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """?_search=X on the articles table -> ?_ldtd_search=X, and ?_search_title=X -> ?_ldtd_search_title=X
    (unless the user asked for raw FTS5 syntax)."""
    def ours(key):
        return key == "_search" or (key.startswith("_search_") and key[len("_search_"):] in COLUMN_SEARCH)

    if any(k == "_searchmode" and v == "raw" for k, v in pairs) or not any(ours(k) for k, _ in pairs):
        return pairs
    new = {"_ldtd" + k for k, _ in pairs if ours(k)}
    # the page's form carries the previous search back as a hidden _ldtd_search: the box wins
    return [("_ldtd" + k if ours(k) else k, v) for k, v in pairs if k not in new]


def facets_off_for_search(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The arguments of an articles table request with ?_nofacet=1 added when it searches for something
    (our search arguments, as rewrite_search leaves them, holding a word: an empty box lists every article)
    and asks for no facet itself (?_ldtd_facets=, ?_facet=, ?_nofacet=): unchanged otherwise."""
    def search_for(key, text):
        column = key[len(SEARCH_ARG) + 1:]
        if key != SEARCH_ARG and not (key.startswith(SEARCH_ARG + "_") and column in COLUMN_SEARCH):
            return False
        return table_search_expr(text, column or None) is not None

    searches = any(search_for(k, v) for k, v in pairs)
    asks = any(k in (FACETS_ARG, "_nofacet") or k.startswith("_facet") for k, _ in pairs)
    return pairs + [("_nofacet", "1")] if searches and not asks else pairs


FORM_FILTER_FIELDS = ("_filter_column", "_filter_op", "_filter_value")


def ranked_search_args(pairs: list[tuple[str, str]], default_sort_desc: str | None = None
                       ) -> list[tuple[str, str]] | None:
    """The canned search's arguments for an articles table request (its arguments as rewrite_search
    leaves them) that asks only what that page answers, best matches first: words to search (one search
    box, all columns, readable), the filters of RANKED_FILTERS (one value each); else None: the table
    keeps it (a sort, a page after the first, facets, a column search, raw FTS5, another filter).
    The table's own form always sends its sort (the table's default order when untouched:
    `default_sort_desc`, descending) and an empty filter row: these ask nothing."""
    texts = [v for k, v in pairs if k == SEARCH_ARG]
    if len(texts) != 1 or table_search_expr(texts[0]) is None:
        return None
    form_keys = [k for k, _ in pairs if k.startswith(FORM_FILTER_FIELDS) or k in ("_sort", "_sort_by_desc")]
    if len(form_keys) != len(set(form_keys)):
        return None  # Datasette reads the first of repeated arguments: not second-guessed
    form = {k: v for k, v in pairs if k in form_keys}
    if any(v for k, v in form.items() if k.startswith("_filter_column")):
        return None  # a filter row with its column chosen (some operators, "is null", take no value)
    if "_sort" in form and form["_sort"] != ("" if "_sort_by_desc" not in form else default_sort_desc):
        return None  # a sort chosen
    if "_sort_by_desc" in form and "_sort" not in form:
        return None
    args, named = [("q", texts[0])], set()
    for key, value in pairs:
        if key == SEARCH_ARG or key in TABLE_ONLY_ARGS or key in form:
            continue
        name = RANKED_FILTERS.get(key)
        if name is None or name in named:
            return None
        named.add(name)
        value = ranked_value(key, value)
        if value:
            args.append((name, value))
    return args


def ranked_value(key: str, value: str) -> str | None:
    """A table filter's value as the ranked page's parameter: a day for the date arguments (None when
    not one, as the table ignores it), else the value (None when blank)."""
    if key in DAY_ARGS:
        return iso_day(value)
    return value if value.strip() else None


async def ranked_search_location(datasette, path: str, pairs: list[tuple[str, str]]) -> str | None:
    """Where an articles table page request goes for its ranked search (ranked_search_args), or None:
    only the HTML page of the archive's database, when the canned search is served there."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or parts[1] != ARTICLES:
        return None
    if not any(k == SEARCH_ARG for k, _ in pairs):
        return None
    name = tilde_decode(parts[0])
    # the table's sort and the canned search come with the metadata the startup hooks find (Datasette runs
    # them before its first request, which this wrapper sees first)
    await datasette.invoke_startup()
    # (the decision first: a search that stays on the table reads nothing more)
    args = ranked_search_args(pairs, datasette.table_metadata(name, ARTICLES).get("sort_desc"))
    if args is None or not await serves_ranked_search(datasette, name):
        return None
    return datasette.urls.database(name) + "/" + RANKED_SEARCH + "?" + urllib.parse.urlencode(args)


async def serves_ranked_search(datasette, name: str) -> bool:
    """Whether the database `name` is an archive served with the canned search."""
    await datasette.invoke_startup()  # (see ranked_search_location)
    if name not in datasette.databases or await archive_database(datasette, name) is None:
        return False
    return await datasette.get_canned_query(name, RANKED_SEARCH, None) is not None


def route_path(datasette, path: str) -> str:
    """A request's path as Datasette routes it: without the base_url prefix when it carries one."""
    base = datasette.setting("base_url")
    return "/" + path[len(base):] if base != "/" and path.startswith(base) else path


async def redirect(send, location: str):
    await send({"type": "http.response.start", "status": 302,
                "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


def best_matches_args(pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The canned search's arguments for the words of a table search the table keeps (sorted, filtered
    otherwise...): its words and those of its filters the ranked page takes; None without words."""
    texts = [v for k, v in pairs if k == SEARCH_ARG and table_search_expr(v) is not None]
    if not texts:
        return None
    named = {}
    for key, value in pairs:
        name = RANKED_FILTERS.get(key)
        value = ranked_value(key, value) if name else None
        if value:
            named.setdefault(name, value)
    return [("q", texts[-1])] + list(named.items())


@hookimpl
def extra_template_vars(view_name, table, request, database, datasette):
    """On a search's page of the articles table: the link to its best matches first (the ranked page,
    where it is served), and when left without facets, the link to the same page with them."""
    if view_name != "table" or table != ARTICLES or request is None or not _searches(request.args):
        return {}

    async def links():
        pairs = [(k, v) for k in request.args for v in request.args.getlist(k)]
        out = {}
        ranked = best_matches_args(pairs)
        if ranked and await serves_ranked_search(datasette, database):
            out["ldtd_best_matches_url"] = (datasette.urls.database(database) + "/" + RANKED_SEARCH + "?"
                                            + urllib.parse.urlencode(ranked))
        if request.args.get("_nofacet"):
            pairs = [(k, v) for k, v in pairs if k not in ("_nofacet", "_next")]
            out["ldtd_search_facets_url"] = request.path + "?" + urllib.parse.urlencode(pairs + [(FACETS_ARG, "1")])
        return out

    return links


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def route_search(scope, receive, send):
            if scope.get("type") == "http":
                path = route_path(datasette, scope.get("path", ""))
                parts = path.strip("/").split("/")
                if len(parts) == 2 and parts[1] in TABLE_PATHS:
                    qs = scope.get("query_string", b"").decode("latin-1")
                    pairs = urllib.parse.parse_qsl(qs, keep_blank_values=True)
                    rewritten = facets_off_for_search(rewrite_search(pairs))
                    if parts[1] == ARTICLES and scope.get("method", "GET") in ("GET", "HEAD"):
                        location = await ranked_search_location(datasette, path, rewritten)
                        if location:
                            return await redirect(send, location)
                    if rewritten is not pairs:
                        scope = dict(scope, query_string=urllib.parse.urlencode(rewritten).encode("latin-1"))
                    if parts[1] == ARTICLES:
                        texts = [v for k, v in rewritten if k == SEARCH_ARG or k.startswith(SEARCH_ARG + "_")]
                        token = _table_search.set(texts[-1] if texts else None)
                        try:
                            return await app(scope, receive, send)
                        finally:
                            _table_search.reset(token)
            await app(scope, receive, send)

        return route_search

    return wrap


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """On the articles table page under a search: each article's lead is its search snippet."""
    text = _table_search.get()
    if table != ARTICLES or column != SNIPPET_COLUMN or not text:
        return None
    try:
        article_id = row["id"]
    except (KeyError, IndexError):
        return None

    async def snippet_cell():
        found = await datasette.get_database(database).execute_fn(
            lambda conn: article_snippet(conn, article_id, text, mark=SNIPPET_MARK))
        if found is None:
            return None
        return Markup('<span class="ldtd-snippet">{}</span>').format(Markup(marked_to_html(found)))

    return snippet_cell


def snippet_of_row(row) -> Markup | None:
    """The search snippet rendered into a display row of the articles table page (render_cell above), or
    None: for templates that show the lead from the raw values (``{{ row|ldtd_search_snippet }}``)."""
    for cell in row:
        value = cell.get("value") if isinstance(cell, dict) else None
        if cell.get("column") == SNIPPET_COLUMN and isinstance(value, Markup) and 'class="ldtd-snippet"' in value:
            return value
    return None


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["ldtd_search_snippet"] = snippet_of_row
