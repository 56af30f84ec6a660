"""The canned search page (/<db>/search, metadata.yaml) as the articles table's reading list: best matches
first, as `ldtd search` ranks them, each with its headline linked, date, category, author and snippet
(templates/query.html draws it). Its form asks the words and, folded away, the filters `ldtd search`
has; a link opens every match newest first on the articles table, where facets and other filters are.
The table's own search box leads here (search_box.py)."""

from __future__ import annotations

import urllib.parse

from datasette import hookimpl

from scraper.datasette.plugins.reading_list import FROM_ARG, TO_ARG
from scraper.datasette.plugins.search_box import RANKED_SEARCH, STAY_ON_TABLE
from scraper.datasette.render import iso_day
from scraper.datasette.served import ARTICLES
from scraper.storage.search import CANNED_SEARCH_LIMIT

FILTERS = ("category", "author", "since", "until")
SEARCH_FEED = "search_feed"  # the Atom feed of a search (metadata.yaml)


def all_matches_url(table_url: str, args) -> str:
    """The articles table with every match of the search, newest first (kept there: a new search typed
    into its box too), the words and the published dates carried over (the table's category and author
    filters are exact, the search's folded: left to the table's facets there)."""
    pairs = [("_search", args.get("q") or ""), ("_sort_desc", "published_at"), (STAY_ON_TABLE, "1")]
    for name, arg in (("since", FROM_ARG), ("until", TO_ARG)):
        day = iso_day(args.get(name))
        if day:
            pairs.append((arg, day))
    return table_url + "?" + urllib.parse.urlencode(pairs)


@hookimpl
def extra_template_vars(request, database, datasette):
    if request is None or database is None or request.path.rstrip("/").rsplit("/", 1)[-1] != RANKED_SEARCH:
        return {}
    values = {name: request.args.get(name) or "" for name in ("q",) + FILTERS}
    return {"ldtd_search": {
        "form": values,
        "filtered": any(values[name] for name in FILTERS),
        "limit": CANNED_SEARCH_LIMIT,
        "all_matches_url": all_matches_url(datasette.urls.table(database, ARTICLES), request.args),
        "feed_url": datasette.urls.database(database) + "/" + SEARCH_FEED + ".atom?" + urllib.parse.urlencode(
            [(k, v) for k, v in values.items() if v]),
    }}
