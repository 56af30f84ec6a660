"""/-/ldtd/diff?id=ARTICLE&a=1&b=current[&db=NAME]: what changed between two versions of an article
(scraper.storage.versions, as `ldtd show --diff` shows it)."""

from __future__ import annotations

import html

from datasette import hookimpl
from datasette.utils.asgi import Response

from scraper.datasette.served import ARTICLES, archive_database, read_archive
from scraper.storage import read
from scraper.storage import versions as v


def line_kind(line: str) -> str:
    if line.startswith(("---", "+++")):
        return "file"
    if line.startswith("+"):
        return "add"
    if line.startswith("-"):
        return "del"
    return "hunk" if line.startswith("@@") else "same"


async def diff_view(datasette, request):
    db = await archive_database(datasette, request.args.get("db"))
    try:
        article_id = int(request.args.get("id", ""))
    except ValueError:
        return Response.html("<p>Give ?id=ARTICLE_ID</p>", status=400)
    if db is None:
        return Response.html("<p>No archive database is being served.</p>", status=404)
    all_versions = await read_archive(datasette, db, read.versions, article_id)
    if not all_versions:
        return Response.html("<p>No such article.</p>", status=404)
    a_ref = request.args.get("a") or ("1" if len(all_versions) > 1 else "current")
    b_ref = request.args.get("b") or "current"
    try:
        a, b = v.pick(all_versions, a_ref), v.pick(all_versions, b_ref)
    except v.NoSuchVersion as exc:
        return Response.html(f"<p>{html.escape(str(exc))}</p>", status=400)
    context = {
        "database": db.name,
        "article_id": article_id,
        "title": all_versions[-1]["record"]["title"],
        "versions": [{"number": x["number"], "label": v.label(x), "title": x["record"].get("title")}
                     for x in all_versions],
        "a": a["number"], "b": b["number"],
        "lines": [(line_kind(line), line) for line in v.diff(a, b)],
        "article_url": datasette.urls.row(db.name, ARTICLES, article_id),
    }
    return Response.html(await datasette.render_template("ldtd_diff.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/ldtd/diff$", diff_view)]
