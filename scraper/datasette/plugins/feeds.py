"""The Atom feeds are datasette-atom's (canned queries returning its atom_* columns: metadata.yaml); this
only covers the one case it fails on: a feed with no entries (a search or category that matches nothing
yet), which it answers with a 500 (max() of no entries' times). Such a feed is an empty, valid one."""

from __future__ import annotations

from datetime import datetime, timezone

from datasette import hookimpl
from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator

ATOM = "atom"


def empty_feed(request, title: str) -> Response:
    fg = FeedGenerator()
    fg.id(request.url)
    fg.link(href=request.url, rel="self")
    fg.title(title)
    fg.updated(datetime.now(timezone.utc))
    return Response(fg.atom_str(pretty=True), content_type="application/xml; charset=utf-8", status=200)


def guarded(render):
    def render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
        if not rows:
            query = datasette.metadata("queries", database=database, fallback=False) or {}
            title = (query.get(query_name) or {}).get("title") if query_name else None
            return empty_feed(request, title or query_name or table or "Atom feed")
        return render(datasette=datasette, request=request, sql=sql, columns=columns, rows=rows,
                      database=database, table=table, query_name=query_name, view_name=view_name, data=data)

    return render_atom


@hookimpl(hookwrapper=True)
def register_output_renderer(datasette):
    outcome = yield
    renderers = []
    for result in outcome.get_result():
        for renderer in result if isinstance(result, list) else [result]:
            if isinstance(renderer, dict) and renderer.get("extension") == ATOM:
                renderer = dict(renderer, render=guarded(renderer["render"]))
            renderers.append(renderer)
    outcome.force_result(renderers)
