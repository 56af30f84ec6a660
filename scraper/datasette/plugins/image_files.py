"""/-/ldtd/image/<sha256>: an archived image's local copy, from the images store beside the archive
(`scraper.storage.images`), with the content type it was served with; the article page shows these
instead of the live URLs when they are there (`local_image_url`)."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from scraper.datasette.served import archive_database
from scraper.storage import images as image_store

ROUTE = "/-/ldtd/image/"


def local_image_url(datasette, sha256: str) -> str:
    return datasette.urls.path(f"{ROUTE}{sha256}")


async def image_view(datasette, request):
    db = await archive_database(datasette, request.args.get("db"))
    if db is None or not db.path:
        return Response.text("No archive database is being served.", status=404)
    path = image_store.find(image_store.store_dir(db.path), request.url_vars["sha256"])
    if path is None:
        return Response.text("No such image in the images store.", status=404)
    return Response(
        path.read_bytes(), content_type=image_store.file_type(path),
        headers={
            # named by its bytes' hash: it never changes
            "Cache-Control": "public, max-age=31536000, immutable",
            # an image, never a document (an SVG from the site cannot run scripts here)
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            "X-Content-Type-Options": "nosniff",
        },
    )


@hookimpl
def register_routes():
    return [(rf"^{ROUTE}(?P<sha256>[0-9a-f]{{64}})$", image_view)]
