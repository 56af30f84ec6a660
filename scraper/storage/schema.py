"""The archive's schema: the sqlite-utils migrations (``migrations.py``, frozen) and how they run, plus
the search index they must never break and the derived columns every write computes.

Every schema change is a migration appended to ``scraper.storage.migrations`` (never edit an applied
one). Migrations run with ``PRAGMA foreign_keys`` off (``transform()`` rebuilds tables that others
reference), all in one transaction; afterwards ``ensure_search`` restores the FTS triggers, because
``transform()`` and ``add_foreign_key()`` drop them silently (sqlite-utils issue 499).
"""

from __future__ import annotations

import json
import re

from sqlite_utils import Database

from scraper.text import fold

from .migrations import MIGRATION_SET, migrations  # noqa: F401 (re-exported: the migration set runs here)

# The full-text index: the text as written (exact, diacritics kept) and its folded copy, in one FTS5
# table over ``articles`` (external content: the index stores no text). One tokenizer serves both:
# ``remove_diacritics 0`` keeps "bán" and "bạn" apart in the plain columns, which is what lets
# queries typed with diacritics rank exact matches first; the folded columns hold no diacritics.
PLAIN_COLUMNS = ("title", "sapo", "body")
FOLDED_COLUMNS = ("title_folded", "sapo_folded", "body_folded")
# Filter tokens ("ckinhte", "anguyenvananh", "y2020"): category, author and year as index terms, so a
# filtered search intersects posting lists in FTS5 instead of testing every match of a common word.
FACETS_COLUMN = "facets"
FTS_COLUMNS = PLAIN_COLUMNS + FOLDED_COLUMNS + (FACETS_COLUMN,)
FTS_TOKENIZE = "unicode61 remove_diacritics 0"
FTS_TABLE = "articles_fts"
# An index of the FTS5 segment table's ids, so that counting its rows (Datasette's database page counts
# every table) reads ~800 pages, not its ~180,000 (one segment block per page: 3.8 s cold, 0.4 s warm at
# 200,000 articles). FTS5 writes the table through ordinary statements; the index follows. Migration 0020
# creates it; recreating the FTS table (ensure_search after a transform()) drops it, so it is made again.
FTS_DATA_ID_INDEX = (f"CREATE INDEX IF NOT EXISTS idx_{FTS_TABLE}_data_id ON {FTS_TABLE}_data (id)")


def facet_slug(value: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(value))


def facet_tokens(category: str | None = None, author: str | None = None) -> list[str]:
    out = []
    if category:
        out.append("c" + facet_slug(category))
    if author:
        out.append("a" + facet_slug(author))
    return out


def facets(row: dict) -> str:
    """The filter tokens of an article row: THE place they are computed, for every write."""
    tokens = facet_tokens(row.get("category"), row.get("author"))
    year = (row.get("published_at") or "")[:4]
    if year.isdigit():
        tokens.append("y" + year)
    return " ".join(tokens)


def word_count(text: str | None) -> int:
    return len(text.split()) if text else 0


def ensure_search(db: Database) -> None:
    """Create the FTS index and its triggers if missing (e.g. after a transform()); a no-op when intact.

    sqlite-utils' update trigger re-indexes a row on any UPDATE; ours fires only when an indexed column
    is written, so touching ``last_fetched_at`` or ``gone_at`` (every refetch of an unchanged article)
    does not churn the index. Same name, so ``enable_fts(replace=True)`` still recognises it.
    """
    db["articles"].enable_fts(list(FTS_COLUMNS), tokenize=FTS_TOKENIZE, create_triggers=True, replace=True)
    db.execute(FTS_DATA_ID_INDEX)
    sql = db.triggers_dict.get("articles_au", "")
    if " UPDATE OF " not in sql.upper():
        cols = ", ".join(f'"{c}"' for c in FTS_COLUMNS)
        narrowed = sql.replace("AFTER UPDATE ON", f"AFTER UPDATE OF {cols} ON", 1)
        assert narrowed != sql, sql
        with db.atomic():
            db.execute('DROP TRIGGER "articles_au"')
            db.execute(narrowed)


# Category and author as filters compare them folded (no case, no diacritics, spaces collapsed):
# "thoi su", "Thời Sự" and "thời sự" are the category "Thời sự".
FILTER_COLUMNS = ("category", "author")


def filter_key(value: str | None) -> str | None:
    """A category or author as filters compare it (``<column>_folded``); None for none."""
    key = " ".join(fold(value).split())
    return key or None


def folded(row: dict) -> dict:
    """The folded copies of a row's searchable text and filter columns: THE place they are computed,
    for every write."""
    out = {f"{c}_folded": fold(row.get(c)) for c in PLAIN_COLUMNS}
    out.update({f"{c}_folded": filter_key(row.get(c)) for c in FILTER_COLUMNS})
    return out


def migrate(db: Database, stop_before: str | None = None) -> list[str]:
    """Apply pending migrations, then restore the search triggers; returns the names applied.

    All of it runs in one ``BEGIN IMMEDIATE`` transaction with foreign keys off (``transform()``
    rebuilds tables others reference): two processes opening a new archive at once do not race, and
    a crash mid-migration leaves the previous schema intact.
    """
    if not _needs_work(db, stop_before):
        return []
    db.execute("PRAGMA foreign_keys = OFF")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        pending = [m.name for m in migrations.pending(db)]
        if stop_before in pending:
            pending = pending[: pending.index(stop_before)]
        migrations.apply(db, stop_before=stop_before)
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"migration left foreign key violations: {problems[:5]}")
        if db["articles"].exists() and not migrations.pending(db):  # (a partial schema is for tests only)
            ensure_search(db)
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    return pending


def _needs_work(db: Database, stop_before: str | None) -> bool:
    pending = [m.name for m in migrations.pending(db)]
    if pending and pending[0] != stop_before:
        return True
    if pending or not db["articles"].exists():
        return False
    triggers = db.triggers_dict
    return not (
        db[FTS_TABLE].exists()
        and {"articles_ai", "articles_ad"} <= set(triggers)
        and " UPDATE OF " in triggers.get("articles_au", "").upper()
    )


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
