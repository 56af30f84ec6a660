"""Datasette plugin for the ldtd archive (loaded with --plugins-dir scraper/datasette/plugins).

- SQL functions: fold(text) (the project's search folding, đ→d), ldtd_match(query) (an FTS5 query that
  matches with or without diacritics), ldtd_snippet(text, query) (a window of text, matches in <mark>).
- render_cell: article bodies as sanitised HTML (re-cleaned with nh3 here), snippets with their marks
  only, titles in query results linked to the article page.
- A "month" facet (published_at -> YYYY-MM, Hanoi time as stored), selectable through __startswith.
- The article page: body, images with captions, tags, related links (archived ones linked), versions.
- /-/ldtd/charts: articles per day and per category as inline SVG (nothing loads from elsewhere).
- The folded search columns are hidden from the articles table and row pages.
"""

from __future__ import annotations

import html
import json
import sqlite3
import urllib.parse
from pathlib import Path

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import Response
from markupsafe import Markup

from scraper.datasette import charts, config
from scraper.datasette.render import marked_to_html, safe_body_html, safe_url, snippet
from scraper.parsing.text import fold
from scraper.storage.search import MAX_QUERY_CHARS, QueryTooLong, fts_queries

ARTICLES = "articles"
CSS_FILE = Path(__file__).resolve().parent.parent / "static" / "ldtd.css"
HIDDEN_COLUMNS = ("title_folded", "sapo_folded", "body_folded")
# Shown on each article's own page instead; the list stays readable.
LIST_HIDDEN_COLUMNS = HIDDEN_COLUMNS + ("body", "body_html")


# -- SQL functions ---------------------------------------------------------------------------------

def fts_match(query: str | None) -> str:
    """The storage search's FTS5 expression over the folded columns for free text typed by a person.

    Never a syntax error ("covid-19", an unclosed quote), diacritics optional: the query is folded the
    way the stored copies are (scraper.storage.search.fts_queries). Matches nothing for an empty query.
    """
    try:
        folded = fts_queries(query or "")[0]
    except Exception:  # a query the search cannot read matches nothing rather than failing the page
        return '""'
    return folded or '""'


def fts_match_exact(query: str | None) -> str:
    """The same query as typed against the plain columns, or nothing when it carries no diacritics:
    used to rank articles matching the diacritics exactly first."""
    try:
        exact = fts_queries(query or "")[1]
    except Exception:
        return '""'
    return exact or '""'


# Anonymous SQL calls these functions with any input, and Datasette's time limit (a progress handler
# between SQLite steps) cannot stop a Python function once called: each call is bounded instead, so that
# it stays far under sql_time_limit_ms (worst cases at these caps, in tests/hardening/test_sql_functions.py:
# see the README). Longer text is refused by fold() and cut by ldtd_snippet() (a snippet of the start);
# a longer query matches nothing (storage's search refuses it).
MAX_TEXT_CHARS = 100_000
MAX_SNIPPET_WORDS = 200


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
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, config.MAX_VALUE_BYTES)
    conn.create_function("fold", 1, fold_sql, deterministic=True)
    conn.create_function("ldtd_match", 1, fts_match, deterministic=True)
    conn.create_function("ldtd_match_exact", 1, fts_match_exact, deterministic=True)
    conn.create_function("ldtd_snippet", 2, snippet_sql, deterministic=True)
    conn.create_function("ldtd_snippet", 3, snippet_sql, deterministic=True)


# -- cells -----------------------------------------------------------------------------------------

def _row_value(row, key):
    try:
        keys = row.keys()
    except AttributeError:
        return None
    return row[key] if key in keys else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "body_html" and table in (ARTICLES, "article_versions", None) and isinstance(value, str):
        return Markup('<div class="ldtd-body">{}</div>').format(Markup(safe_body_html(value)))
    if table is None and column == "snippet" and isinstance(value, str):
        return Markup(marked_to_html(value))
    if table is None and column == "title" and isinstance(value, str):
        article_id = _row_value(row, "id")
        if isinstance(article_id, int):
            url = datasette.urls.row(database, ARTICLES, article_id)
            return Markup('<a class="ldtd-article" href="{}">{}</a>').format(url, value)
    if table == "images" and column == "url" and isinstance(value, str):
        url = safe_url(value)
        if url:
            return Markup(
                '<a href="{0}" rel="noopener noreferrer nofollow">{0}</a><br>'
                '<img src="{0}" alt="" loading="lazy" referrerpolicy="no-referrer" style="max-width: 12em">'
            ).format(url)
    return None


# -- the month facet -------------------------------------------------------------------------------

class MonthFacet(Facet):
    """Counts per calendar month of an ISO date column (the stored local time, so no UTC shift)."""

    type = "month"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = (
                f"select substr({col}, 1, 7) as value, count(*) as count from ({self.sql}) "
                f"where {col} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                f"group by value order by value desc limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database, sql, self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                selected = args.get(key) == row["value"]
                if selected:
                    path = path_with_removed_args(self.request, {key: row["value"]})
                else:
                    path = path_with_added_args(self.request, {key: row["value"]})
                values.append({
                    "value": row["value"], "label": row["value"], "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, path), "selected": selected,
                })
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
                "truncated": len(rows) > size,
            })
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [MonthFacet]


# -- the table's search box -----------------------------------------------------------------------

# The articles table's ?_search= is renamed to this before Datasette sees it: Datasette's own table
# search hands the text to FTS5 (an empty box or a lone " is a 400 "fts5: syntax error") and matches
# the plain columns only; filters_from_request below searches with the storage search's safe, folded
# expression instead, so the box takes anything and finds Vietnamese with or without diacritics.
SEARCH_ARG = "_ldtd_search"


# ?_search_<column>= (Datasette's search in one column) likewise, for the text columns: the folded copy
# of that column is searched.
COLUMN_SEARCH = {"title": "title_folded", "sapo": "sapo_folded", "body": "body_folded",
                 "title_folded": "title_folded", "sapo_folded": "sapo_folded", "body_folded": "body_folded"}


def table_search_expr(text: str | None, column: str | None = None) -> str | None:
    """The FTS5 expression the articles table's search box runs: the storage search's folded query
    (scraper.storage.search.fts_queries, what `ldtd search` and the canned search match), restricted to
    one column's folded copy when `column` is given, or None when the text holds no word (an empty box,
    a lone quote): then there is nothing to search for."""
    try:
        expr = fts_queries(text or "")[0]
    except QueryTooLong:
        return '""'  # matches nothing
    except Exception:
        return None
    if expr is None or column is None:
        return expr
    columns, sep, phrases = expr.partition(" : ")  # "{title_folded sapo_folded body_folded} : (...)"
    if not (sep and columns.startswith("{")):
        return None
    return "{" + COLUMN_SEARCH[column] + "} : " + phrases


@hookimpl
def filters_from_request(request, database, table, datasette):
    if table != ARTICLES:
        return None
    searches = [(key, key[len(SEARCH_ARG) + 1:] or None) for key in request.args
                if key == SEARCH_ARG or (key.startswith(SEARCH_ARG + "_") and key[len(SEARCH_ARG) + 1:] in COLUMN_SEARCH)]
    if not searches:
        return None
    from datasette.filters import FilterArguments

    where, params, described = [], {}, []
    context = {"supports_search": True}
    for n, (key, column) in enumerate(searches):
        text = request.args.get(key) or ""
        context["search"] = text
        expr = table_search_expr(text, column)
        if expr is None:
            continue
        where.append(f"+rowid in (select rowid from articles_fts where articles_fts match :ldtd_search_{n})")
        params[f"ldtd_search_{n}"] = expr
        described.append(f'search matches "{text}"' if column is None else f'search column "{column}" matches "{text}"')
    return FilterArguments(where, params=params, human_descriptions=described, extra_context=context)


def _rewrite_search(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """?_search=X on the articles table -> ?_ldtd_search=X, and ?_search_title=X -> ?_ldtd_search_title=X
    (unless the user asked for raw FTS5 syntax)."""
    def ours(key):
        return key == "_search" or (key.startswith("_search_") and key[len("_search_"):] in COLUMN_SEARCH)

    if any(k == "_searchmode" and v == "raw" for k, v in pairs) or not any(ours(k) for k, _ in pairs):
        return pairs
    new = {"_ldtd" + k for k, _ in pairs if ours(k)}
    # the page's form carries the previous search back as a hidden _ldtd_search: the box wins
    return [("_ldtd" + k if ours(k) else k, v) for k, v in pairs if k not in new]


# -- hiding the folded columns ---------------------------------------------------------------------

@hookimpl
def asgi_wrapper(datasette):
    """Add _nocol for the folded (and, in lists, the long) columns to article table requests, and send
    the table's ?_search= to the project's search (see filters_from_request).

    Datasette has no setting for columns hidden by default; rewriting the query string of
    /<db>/articles(.json) does it without touching links or pages. An explicit _col wins; hiding
    another column by hand (_nocol) keeps the folded ones hidden.
    """

    def wrap(app):
        async def hide_columns(scope, receive, send):
            if scope.get("type") == "http":
                path = scope.get("path", "")
                parts = path.strip("/").split("/")
                if len(parts) == 2 and parts[1] in (ARTICLES, ARTICLES + ".json", ARTICLES + ".csv"):
                    qs = scope.get("query_string", b"").decode("latin-1")
                    pairs = urllib.parse.parse_qsl(qs, keep_blank_values=True)
                    pairs = _rewrite_search(pairs)
                    if parts[1] != ARTICLES + ".csv" and not any(k == "_col" for k, _ in pairs):
                        user_nocol = {v for k, v in pairs if k == "_nocol"}
                        hide = HIDDEN_COLUMNS if user_nocol else LIST_HIDDEN_COLUMNS
                        pairs = pairs + [("_nocol", c) for c in hide if c not in user_nocol]
                    scope = dict(scope, query_string=urllib.parse.urlencode(pairs).encode("latin-1"))
            await app(scope, receive, send)

        return hide_columns

    return wrap


# -- the article page ------------------------------------------------------------------------------

async def _article_context(datasette, database, request):
    pks = request.url_vars.get("pks", "")
    from scraper.storage.versions import storable_id

    try:
        article_id = int(pks)
    except ValueError:
        return None
    if not storable_id(article_id):
        return None
    db = datasette.get_database(database)
    rows = (await db.execute("select * from articles where id = ?", [article_id])).rows
    if not rows:
        return None
    row = dict(rows[0])
    images = [dict(r) for r in (await db.execute(
        "select id, position, url, caption, alt from images where article_id = ? order by position", [article_id]
    )).rows]
    for image in images:
        image["safe_url"] = safe_url(image["url"])
    related = [dict(r) for r in (await db.execute(
        "select r.id, r.block, r.position, r.url, r.title, r.target_id, a.title as target_title "
        "from related_links r left join articles a on a.id = r.target_id "
        "where r.article_id = ? order by r.id", [article_id]
    )).rows]
    blocks: dict[str, list] = {}
    for link in related:
        link["safe_url"] = safe_url(link["url"])
        link["archived_url"] = (
            datasette.urls.row(database, ARTICLES, link["target_id"]) if link["target_id"] is not None else None
        )
        blocks.setdefault(link["block"] or "", []).append(link)
    tags = [dict(r) for r in (await db.execute(
        "select t.id, t.name from article_tags at join tags t on t.id = at.tag_id "
        "where at.article_id = ? order by at.position", [article_id]
    )).rows]
    versions = [dict(r) for r in (await db.execute(
        "select id, valid_from, valid_until, title, content_hash from article_versions "
        "where article_id = ? order by valid_from", [article_id]
    )).rows]
    linked_from = [dict(r) for r in (await db.execute(
        "select distinct a.id, a.title from related_links r join articles a on a.id = r.article_id "
        "where r.target_id = ? order by a.published_at desc limit 50", [article_id]
    )).rows]
    body_html = Markup(safe_body_html(row.get("body_html")))
    fields = [(k, v) for k, v in row.items() if k not in HIDDEN_COLUMNS + ("body", "body_html", "sapo", "title")]
    return {
        "article": row,
        "body_html": body_html,
        "body_has_images": "<img" in body_html,
        "original_url": safe_url(row.get("url")),
        "images": images,
        "related_blocks": list(blocks.items()),
        "related_count": len(related),
        "tags": tags,
        "versions": versions,
        "linked_from": linked_from,
        "fields": fields,
    }


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        if view_name == "row" and table == ARTICLES and request is not None:
            return {"ldtd_article": await _article_context(datasette, database, request)}
        return {}

    return inner


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/ldtd/ldtd.css")]


async def css_view(request):
    return Response(CSS_FILE.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8",
                    headers={"cache-control": "max-age=300"})


# -- charts ----------------------------------------------------------------------------------------

async def _archive_database(datasette, name=None):
    for db_name, db in datasette.databases.items():
        if name and db_name != name:
            continue
        if db_name.startswith("_"):
            continue
        if await db.table_exists(ARTICLES):
            return db
    return None


async def charts_view(datasette, request):
    db = await _archive_database(datasette, request.args.get("db"))
    if db is None:
        return Response.html("<p>No archive database is being served.</p>", status=404)
    per_day = [tuple(r) for r in (await db.execute(
        "select substr(published_at, 1, 10) as day, count(*) from articles "
        "where published_at is not null group by day order by day"
    )).rows]
    per_category = [tuple(r) for r in (await db.execute(
        "select coalesce(category, '(none)') as c, count(*) as n from articles group by c order by n desc, c"
    )).rows]
    per_month = [tuple(r) for r in (await db.execute(
        "select substr(published_at, 1, 7) as m, count(*) from articles "
        "where published_at is not null group by m order by m"
    )).rows]
    table_url = datasette.urls.table(db.name, ARTICLES)
    context = {
        "database": db.name,
        "total": sum(n for _, n in per_category),
        "day_chart": Markup(charts.day_chart(per_day, link=lambda d: f"{table_url}?published_at__startswith={d}")),
        "month_chart": Markup(charts.bar_chart(
            per_month, link=lambda m: f"{table_url}?published_at__startswith={m}", label="month")),
        "category_chart": Markup(charts.bar_chart(
            per_category, link=lambda c: f"{table_url}?category={urllib.parse.quote(c)}", label="category")),
        "per_day_json": json.dumps(per_day, ensure_ascii=False),
    }
    return Response.html(await datasette.render_template("ldtd_charts.html", context, request=request))


async def diff_view(datasette, request):
    """/-/ldtd/diff?id=ARTICLE&a=1&b=current[&db=NAME]: what changed between two versions of an article."""
    from sqlite_utils import Database

    from scraper.storage import versions as v

    db = await _archive_database(datasette, request.args.get("db"))
    try:
        article_id = int(request.args.get("id", ""))
    except ValueError:
        return Response.html("<p>Give ?id=ARTICLE_ID</p>", status=400)
    if db is None:
        return Response.html("<p>No archive database is being served.</p>", status=404)
    all_versions = await db.execute_fn(lambda conn: v.versions(Database(conn), article_id))
    if not all_versions:
        return Response.html("<p>No such article.</p>", status=404)
    a_ref = request.args.get("a") or ("1" if len(all_versions) > 1 else "current")
    b_ref = request.args.get("b") or "current"
    try:
        a, b = v.pick(all_versions, a_ref), v.pick(all_versions, b_ref)
    except v.NoSuchVersion as exc:
        return Response.html(f"<p>{html.escape(str(exc))}</p>", status=400)
    lines = []
    for line in v.diff(a, b):
        kind = ("file" if line.startswith(("---", "+++")) else "add" if line.startswith("+")
                else "del" if line.startswith("-") else "hunk" if line.startswith("@@") else "same")
        lines.append((kind, line))
    context = {
        "database": db.name,
        "article_id": article_id,
        "title": all_versions[-1]["record"]["title"],
        "versions": [{"number": x["number"], "label": v.label(x), "title": x["record"].get("title")}
                     for x in all_versions],
        "a": a["number"], "b": b["number"],
        "lines": lines,
        "article_url": datasette.urls.row(db.name, ARTICLES, article_id),
    }
    return Response.html(await datasette.render_template("ldtd_diff.html", context, request=request))


@hookimpl
def register_routes():
    return [
        (r"^/-/ldtd/charts$", charts_view),
        (r"^/-/ldtd/diff$", diff_view),
        (r"^/-/ldtd/ldtd\.css$", css_view),
    ]
