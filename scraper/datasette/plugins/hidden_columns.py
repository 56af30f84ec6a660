"""The folded search columns are hidden from the articles table (and the long body columns from its
lists): Datasette has no setting for columns hidden by default, so /<db>/articles(.json) requests get
_nocol arguments added to their query string, without touching links or pages. An explicit _col wins;
hiding another column by hand (_nocol) keeps the folded ones hidden. The CSV export keeps every column.
"""

from __future__ import annotations

import urllib.parse

from datasette import hookimpl

from scraper.datasette.served import ARTICLES, HIDDEN_COLUMNS, LIST_HIDDEN_COLUMNS

LIST_PATHS = (ARTICLES, ARTICLES + ".json")


def with_hidden_columns(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The query string's pairs with _nocol for every column hidden by default (none if _col is given)."""
    if any(k == "_col" for k, _ in pairs):
        return pairs
    user_nocol = {v for k, v in pairs if k == "_nocol"}
    hide = HIDDEN_COLUMNS if user_nocol else LIST_HIDDEN_COLUMNS
    return pairs + [("_nocol", c) for c in hide if c not in user_nocol]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hide_columns(scope, receive, send):
            if scope.get("type") == "http":
                parts = scope.get("path", "").strip("/").split("/")
                if len(parts) == 2 and parts[1] in LIST_PATHS:
                    qs = scope.get("query_string", b"").decode("latin-1")
                    pairs = with_hidden_columns(urllib.parse.parse_qsl(qs, keep_blank_values=True))
                    scope = dict(scope, query_string=urllib.parse.urlencode(pairs).encode("latin-1"))
            await app(scope, receive, send)

        return hide_columns

    return wrap
