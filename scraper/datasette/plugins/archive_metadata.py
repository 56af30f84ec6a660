"""The archive's metadata (metadata.yaml: titles, descriptions, facets, sort, canned queries and feeds)
supplied by the plugin itself, for the served database that is an archive: plain `datasette archive.db`
gets it as `ldtd serve` does. A --metadata file given to Datasette still wins, key by key."""

from __future__ import annotations

from datasette import hookimpl

from scraper.datasette.config import metadata_for
from scraper.datasette.served import archive_database

# id(datasette) -> the name of the database serving the archive (None: none does), found at startup
_ARCHIVES: dict[int, str | None] = {}


@hookimpl
def startup(datasette):
    async def find_archive():
        db = await archive_database(datasette)
        _ARCHIVES[id(datasette)] = db.name if db is not None else None

    return find_archive


@hookimpl
def get_metadata(datasette, key, database, table):
    name = _ARCHIVES.get(id(datasette))
    return metadata_for(name) if name else {}
