"""The project's stylesheet (static/ldtd.css) on every page, served from /-/ldtd/ldtd.css."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from scraper.datasette.config import STATIC_DIR

CSS_FILE = STATIC_DIR / "ldtd.css"


async def css_view(request):
    return Response(CSS_FILE.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8",
                    headers={"cache-control": "max-age=300"})


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/ldtd/ldtd.css")]


@hookimpl
def register_routes():
    return [(r"^/-/ldtd/ldtd\.css$", css_view)]
