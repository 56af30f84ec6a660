"""The archive's schema: sqlite-utils migrations, plus the search index they must never break.

Every schema change is a migration appended to ``migrations`` (never edit an applied one). Migrations
run with ``PRAGMA foreign_keys`` off (``transform()`` rebuilds tables that others reference) and each
in its own transaction; afterwards ``ensure_search`` restores the FTS triggers, because
``transform()`` and ``add_foreign_key()`` drop them silently (sqlite-utils issue 499).
"""

from __future__ import annotations

import json
import re

from sqlite_utils import Database, Migrations

from scraper.parsing.text import fold

MIGRATION_SET = "ldtd-archive"

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

migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db["crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "mode": str,
            "args": str,  # JSON
            "outcome": str,  # "running", "ok", "failed", "interrupted", ...
            "requests": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "gone": int,
            "failed": int,
            "rejected": int,
            "errors": str,  # JSON list
            "summary": str,
        },
        pk="id",
        defaults={"requests": 0, "new": 0, "updated": 0, "unchanged": 0, "gone": 0, "failed": 0, "rejected": 0},
    )
    # Raw bodies, zlib-compressed, stored once per distinct content (sha256 of the raw bytes).
    db["page_bodies"].create(
        {"sha256": str, "size": int, "compression": str, "data": bytes},
        pk="sha256",
        not_null={"size", "compression", "data"},
    )
    db["pages"].create(
        {
            "id": int,
            "url": str,
            "article_id": int,  # the article the URL names (no FK: a fetch may precede or fail its article)
            "status": int,
            "content_type": str,
            "headers": str,  # JSON: content-type, last-modified, etag, location
            "fetched_at": str,
            "sha256": str,
            "run_id": int,
        },
        pk="id",
        not_null={"url", "fetched_at"},
        foreign_keys=[("sha256", "page_bodies", "sha256"), ("run_id", "crawl_runs", "id")],
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "title": str,
            "sapo": str,
            "body": str,
            "body_html": str,
            "author": str,
            "published_at": str,
            "updated_at": str,
            "category": str,
            "category_url": str,
            "extraction_strategy": str,
            "extraction_template": str,
            "extraction_warnings": str,  # JSON list
            "first_seen_at": str,
            "last_fetched_at": str,
            "last_changed_at": str,
            "content_hash": str,
            "gone_at": str,
            "page_id": int,
            "run_id": int,
            "title_folded": str,
            "sapo_folded": str,
            "body_folded": str,
        },
        pk="id",
        not_null={"url", "title", "first_seen_at", "last_fetched_at", "content_hash"},
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["category", "published_at"])
    db["articles"].create_index(["author"])
    db["articles"].create_index(["last_fetched_at"])
    db["related_links"].create(
        {
            "id": int,
            "article_id": int,
            "block": str,
            "position": int,
            "url": str,
            "title": str,
            "linked_id": int,  # the article id the URL names, archived or not
            "target_id": int,  # the linked article once it is archived itself (kept current on insert)
        },
        pk="id",
        not_null={"article_id", "url"},
        foreign_keys=[("article_id", "articles", "id"), ("target_id", "articles", "id")],
    )
    db["related_links"].create_index(["url"])
    db["related_links"].create_index(["linked_id"])
    db["images"].create(
        {"id": int, "article_id": int, "position": int, "url": str, "caption": str, "alt": str},
        pk="id",
        not_null={"article_id", "url"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["tags"].create({"id": int, "name": str, "slug": str}, pk="id", not_null={"name"})
    db["tags"].create_index(["name"], unique=True)
    db["tags"].create_index(["slug"])
    db["article_tags"].create(
        {"article_id": int, "tag_id": int, "position": int},
        pk=("article_id", "tag_id"),
        foreign_keys=[("article_id", "articles", "id"), ("tag_id", "tags", "id")],
    )
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "content_hash": str,
            "valid_from": str,
            "valid_until": str,
            "url": str,
            "title": str,
            "sapo": str,
            "body": str,
            "body_html": str,
            "author": str,
            "published_at": str,
            "updated_at": str,
            "category": str,
            "category_url": str,
            "page_id": int,
            "record": str,  # JSON: the full earlier record (tags, images, related included)
        },
        pk="id",
        not_null={"article_id", "content_hash"},
        foreign_keys=[("article_id", "articles", "id"), ("page_id", "pages", "id")],
    )
    db.index_foreign_keys()
    db["articles"].enable_fts(list(PLAIN_COLUMNS + FOLDED_COLUMNS), tokenize=FTS_TOKENIZE, create_triggers=True)


@migrations(name="0002_article_stats_and_page_link")
def _article_stats(db: Database) -> None:
    """Word and image counts users expect on each article, and articles.page_id declared as a link.

    ``add_foreign_key`` rebuilds ``articles`` through ``transform()``, which drops the FTS triggers
    (sqlite-utils issue 499): ``ensure_search`` restores them after the migrations ran.
    """
    articles = db["articles"]
    articles.add_column("word_count", int)
    articles.add_column("image_count", int)
    db.execute("UPDATE articles SET image_count = (SELECT count(*) FROM images WHERE images.article_id = articles.id)")
    for row in db.execute("SELECT id, body FROM articles").fetchall():
        db.execute("UPDATE articles SET word_count = ? WHERE id = ?", [word_count(row[1]), row[0]])
    articles.add_foreign_key("page_id", "pages", "id")
    articles.create_index(["page_id"], if_not_exists=True)


@migrations(name="0003_facet_tokens")
def _facet_tokens(db: Database) -> None:
    """Category/author/year tokens in the FTS index, for filtered searches (rebuilds the index once)."""
    db["articles"].add_column(FACETS_COLUMN, str)
    rows = db.execute("SELECT id, category, author, published_at FROM articles").fetchall()
    db.conn.executemany(
        f"UPDATE articles SET {FACETS_COLUMN} = ? WHERE id = ?",
        [(facets({"category": c, "author": a, "published_at": p}), i) for i, c, a, p in rows],
    )
    db["articles"].enable_fts(list(FTS_COLUMNS), tokenize=FTS_TOKENIZE, create_triggers=True, replace=True)


@migrations(name="0004_content_hash_of_own_content")
def _rehash_own_content(db: Database) -> None:
    """content_hash no longer covers the sidebar's related blocks (``archive.CONTENT_RELATED_BLOCKS``):
    recompute it for every archived record and version, so that the first run after the upgrade finds
    the unchanged articles unchanged instead of versioning each of them. Writes no version."""
    from .archive import content_hash

    rehash_articles(db, content_hash)
    versions = db.execute("SELECT id, record FROM article_versions WHERE record IS NOT NULL").fetchall()
    db.conn.executemany(
        "UPDATE article_versions SET content_hash = ? WHERE id = ?",
        [(content_hash(json.loads(record)), vid) for vid, record in versions],
    )


@migrations(name="0005_page_bodies_only_where_needed")
def _page_bodies_where_needed(db: Database) -> None:
    """pages.body_sha256: the stored body of a fetch (a link to page_bodies), NULL when the body was not
    kept (an unchanged refetch: the record's own page holds the same article). pages.sha256 stays the
    hash of the bytes fetched, no longer a link, since a fetch may have no stored body. Every page
    stored so far keeps its body."""
    pages = db["pages"]
    pages.add_column("body_sha256", str)
    db.execute("UPDATE pages SET body_sha256 = sha256")
    pages.transform(drop_foreign_keys=["sha256"], add_foreign_keys=[("body_sha256", "page_bodies", "sha256")])
    pages.create_index(["body_sha256"], if_not_exists=True)
    pages.create_index(["article_id"], if_not_exists=True)


@migrations(name="0006_related_links_site_hosts_only")
def _related_links_site_hosts_only(db: Database) -> None:
    """Links to other hosts (a sister subdomain, another paper) name no article of this archive: their
    linked_id/target_id, set from the URL's number by earlier versions, are cleared."""
    from .archive import linked_article_id

    urls = [u for (u,) in db.execute("SELECT DISTINCT url FROM related_links WHERE linked_id IS NOT NULL"
                                     " OR target_id IS NOT NULL") if linked_article_id(u) is None]
    db.conn.executemany("UPDATE related_links SET linked_id = NULL, target_id = NULL WHERE url = ?",
                        [(u,) for u in urls])


@migrations(name="0007_aliases")
def _aliases(db: Database) -> None:
    """aliases: an article URL whose page said it is another article (its canonical link, og:url and
    JSON-LD url named that one): the URL asked for, the id of the article the page held, when first and
    last seen. The requested article keeps its record; the page is stored as the article it names only
    when that one is new or its archived text matches (see Archive.save_article)."""
    db["aliases"].create(
        {"url": str, "requested_id": int, "article_id": int, "first_seen_at": str, "last_seen_at": str},
        pk=("url", "article_id"),
        not_null={"url", "article_id", "first_seen_at", "last_seen_at"},
    )
    db["aliases"].create_index(["article_id"])
    db["aliases"].create_index(["requested_id"])


def rehash_articles(db: Database, hash_record, chunk: int = 1000) -> int:
    """Set every article's content_hash to ``hash_record`` of its archived record (row, tags, images,
    related links as stored), a chunk of articles at a time. Returns the number of articles."""
    columns = ("id", "url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
               "category", "category_url")
    last, done = -(2**63), 0
    while True:
        rows = db.execute(
            f"SELECT {', '.join(columns)} FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, chunk]
        ).fetchall()
        if not rows:
            return done
        lo, last = rows[0][0], rows[-1][0]
        records = {r[0]: {**dict(zip(columns, r)), "tags": [], "images": [], "related": []} for r in rows}
        for aid, name in db.execute(
            "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            " WHERE at.article_id BETWEEN ? AND ? ORDER BY at.article_id, at.position", [lo, last]
        ):
            records[aid]["tags"].append(name)
        for aid, url, caption, alt in db.execute(
            "SELECT article_id, url, caption, alt FROM images WHERE article_id BETWEEN ? AND ?"
            " ORDER BY article_id, position", [lo, last]
        ):
            records[aid]["images"].append({"url": url, "caption": caption, "alt": alt})
        for aid, url, title, block, position in db.execute(
            "SELECT article_id, url, title, block, position FROM related_links WHERE article_id BETWEEN ? AND ?"
            " ORDER BY article_id, id", [lo, last]
        ):
            records[aid]["related"].append({"url": url, "title": title, "block": block, "position": position})
        db.conn.executemany(
            "UPDATE articles SET content_hash = ? WHERE id = ?",
            [(hash_record(rec), aid) for aid, rec in records.items()],
        )
        done += len(rows)


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
    sql = db.triggers_dict.get("articles_au", "")
    if " UPDATE OF " not in sql.upper():
        cols = ", ".join(f'"{c}"' for c in FTS_COLUMNS)
        narrowed = sql.replace("AFTER UPDATE ON", f"AFTER UPDATE OF {cols} ON", 1)
        assert narrowed != sql, sql
        with db.atomic():
            db.execute('DROP TRIGGER "articles_au"')
            db.execute(narrowed)


def folded(row: dict) -> dict:
    """The folded copies of a row's searchable text: THE place they are computed, for every write."""
    return {f"{c}_folded": fold(row.get(c)) for c in PLAIN_COLUMNS}


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
