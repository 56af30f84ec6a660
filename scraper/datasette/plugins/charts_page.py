"""/-/ldtd/charts[?db=NAME]: articles per day, per month and per category as inline SVG (nothing loads
from elsewhere), each bar linking to its articles. The counts are storage's: the per-day counts read once
(the months are summed from them) and the per-category counts, each under Datasette's time limit; counts
not read in time make a 503 page saying so, never a 500."""

from __future__ import annotations

import json
import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from scraper.datasette import charts
from scraper.datasette.served import ARTICLES, archive_database, read_archive
from scraper.storage import read


async def charts_view(datasette, request):
    db = await archive_database(datasette, request.args.get("db"))
    if db is None:
        return Response.html("<p>No archive database is being served.</p>", status=404)
    try:
        per_day = await read_archive(datasette, db, read.per_day)
        per_month = await read_archive(datasette, db, read.per_month, None, per_day)  # newest first
        per_category = await read_archive(datasette, db, read.per_category)
    except read.StorageFailure as exc:  # the time limit (or a busy disk): say so, as Datasette's own pages do
        return Response.html(await datasette.render_template("ldtd_charts.html", {
            "database": db.name,
            "unavailable": f"The counts could not be read just now ({exc}). Try again in a moment.",
        }, request=request), status=503, headers={"Retry-After": "5"})
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


@hookimpl
def register_routes():
    return [(r"^/-/ldtd/charts$", charts_view)]
