"""The archive as the plugins see it: its table names, the columns hidden from its page, which served
database is the archive, and how a page reads it (a storage function called on Datasette's connection).

Shared by the files of plugins/ (each a plugin of its own, loaded by --plugins-dir); no hooks here.
"""

from __future__ import annotations

from datasette.utils import sqlite_timelimit

from scraper.text import fold
from scraper.storage.schema import FOLDED_COLUMNS

ARTICLES = "articles"
# Search's folded copies: never shown on the article page (the list shows chosen columns only).
HIDDEN_COLUMNS = FOLDED_COLUMNS

# Related blocks an editor places with the article (the box in or above the body, the related list under
# it), as opposed to the site's lists beside every article (most read, more news, prev/next): the article
# page's "Linked from" shows the two apart. Compared folded.
RELATED_BOX_BLOCKS = frozenset(fold(b) for b in (
    "inline", "Tin liên quan", "Bài liên quan", "Có liên quan", "Đọc thêm", "Xem thêm", "Bài viết liên quan",
    "Tin bài liên quan", "Tin tức liên quan", "Tin cùng chủ đề",
))


def is_related_box(block: str | None) -> bool:
    return fold(block or "") in RELATED_BOX_BLOCKS


async def archive_database(datasette, name: str | None = None):
    """The served database holding the archive (the one named `name`, if given), or None."""
    for db_name, db in datasette.databases.items():
        if name and db_name != name:
            continue
        if db_name.startswith("_"):
            continue
        if await db.table_exists(ARTICLES):
            return db
    return None


async def read_archive(datasette, db, read_fn, *args, time_limit_ms: int | None = None):
    """`read_fn(connection, *args)` (a scraper.storage.read function) on one of Datasette's read
    connections, under the time limit Datasette gives its own queries: sql_time_limit_ms, or
    time_limit_ms when that is shorter (as Datasette's db.execute(custom_time_limit=...))."""
    limit = datasette.setting("sql_time_limit_ms")
    if time_limit_ms and time_limit_ms < limit:
        limit = time_limit_ms

    def call(conn):
        with sqlite_timelimit(conn, limit):
            return read_fn(conn, *args)

    return await db.execute_fn(call)
