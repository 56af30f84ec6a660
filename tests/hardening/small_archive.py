"""`python -m tests.hardening.small_archive PAGES crawl ...`: `ldtd` with every SQLite connection it opens
capped at PAGES pages (`PRAGMA max_page_count`), so the archive cannot grow past them: SQLite answers
"database or disk is full" as on a full disk. The full-disk test's way where no tmpfs can be mounted
(not root); the store process is forked, so it inherits the cap."""

from __future__ import annotations

import sqlite3
import sys


def cap_pages(pages: int) -> None:
    connect = sqlite3.connect

    def capped(*args, **kwargs):
        con = connect(*args, **kwargs)
        con.execute(f"PRAGMA max_page_count = {int(pages)}")
        return con

    sqlite3.connect = capped


if __name__ == "__main__":
    cap_pages(int(sys.argv[1]))
    sys.argv = ["ldtd", *sys.argv[2:]]
    from scraper.cli import main

    main()
