"""Whether a file can be the archive a writer (a crawl, a reparse) opens, checked before anything is
written: a mistyped --db must never turn another program's database, a text file or a corrupt copy into
a half-migrated archive, nor fail half-way through a run on a read-only file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from .schema import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
# An archive from before the migrations table (or one whose migration rows were lost) has these.
ARCHIVE_TABLES = ("articles", "pages", "crawl_runs")


class UnusableArchive(ValueError):
    """The file cannot be the archive; the message says why, in one line."""


def check_writable_archive(path: str | Path) -> None:
    """Raise UnusableArchive unless `path` is an archive this process can write, or a file it may create
    one in: missing (its directory writable), empty, or an SQLite database that is empty or an archive.
    Reads at most the file's schema (read-only); never writes."""
    if str(path) == ":memory:":
        return
    path = Path(path).expanduser()
    directory = path.resolve().parent
    if path.is_dir():
        raise UnusableArchive(f"{path} is a directory, not an archive file")
    if not path.exists():
        if not directory.is_dir():
            raise UnusableArchive(f"cannot create {path}: directory {directory} does not exist")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise UnusableArchive(f"cannot create {path}: directory {directory} is read-only")
        return
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UnusableArchive(f"cannot read {path}: {exc.strerror or exc}") from None
    if head and head != SQLITE_MAGIC:
        raise UnusableArchive(f"{path} is not an SQLite database (not an ldtd archive): nothing written")
    if not os.access(path, os.W_OK):
        raise UnusableArchive(f"{path} is read-only")
    if not os.access(directory, os.W_OK | os.X_OK):
        # SQLite keeps its write-ahead log and shared-memory files beside the database
        raise UnusableArchive(f"{path} cannot be written: its directory {directory} is read-only")
    if not head:  # an empty file: SQLite makes it a new database
        return
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            db = Database(conn)
            tables = [t for t in db.table_names() if not t.startswith("sqlite_")]
            ours = bool(migrations.applied(db)) or set(ARCHIVE_TABLES) <= set(tables)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UnusableArchive(f"{path} is a damaged SQLite database ({exc}): nothing written") from None
    if tables and not ours:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise UnusableArchive(f"{path} is another program's SQLite database (tables: {shown}), not an ldtd"
                              f" archive: nothing written")
