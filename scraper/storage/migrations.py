"""The archive's migrations, frozen: each one does today what it did the day it was applied.

A migration never imports live code (a helper changed later would change what an old migration does to an
archive that has not run it yet): what it needs from the rest of the code base is copied here, as it was
when the migration was written, under a name carrying the migration's number. Never edit an applied
migration: append a new one. ``scraper.storage.schema.migrate`` runs them (foreign keys off, one
transaction) and restores the search triggers afterwards.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlite_utils import Database, Migrations

MIGRATION_SET = "ldtd-archive"

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
    db["articles"].enable_fts(["title", "sapo", "body", "title_folded", "sapo_folded", "body_folded"],
                             tokenize="unicode61 remove_diacritics 0", create_triggers=True)


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
        db.execute("UPDATE articles SET word_count = ? WHERE id = ?", [len(row[1].split()) if row[1] else 0, row[0]])
    articles.add_foreign_key("page_id", "pages", "id")
    articles.create_index(["page_id"], if_not_exists=True)


@migrations(name="0003_facet_tokens")
def _facet_tokens(db: Database) -> None:
    """Category/author/year tokens in the FTS index, for filtered searches (rebuilds the index once)."""
    db["articles"].add_column("facets", str)
    rows = db.execute("SELECT id, category, author, published_at FROM articles").fetchall()
    db.conn.executemany("UPDATE articles SET facets = ? WHERE id = ?", [(_facets_0003(c, a, p), i) for i, c, a, p in rows])
    db["articles"].enable_fts(
        ["title", "sapo", "body", "title_folded", "sapo_folded", "body_folded", "facets"],
        tokenize="unicode61 remove_diacritics 0", create_triggers=True, replace=True)


@migrations(name="0004_content_hash_of_own_content")
def _rehash_own_content(db: Database) -> None:
    """content_hash no longer covers the sidebar's related blocks (``archive.CONTENT_RELATED_BLOCKS``):
    recompute it for every archived record and version, so that the first run after the upgrade finds
    the unchanged articles unchanged instead of versioning each of them. Writes no version."""
    content_hash = _content_hash_0004
    _rehash_articles_0004(db, content_hash)
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
    linked_article_id = _linked_article_id_0006
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


def _rehash_articles_0004(db: Database, hash_record, chunk: int = 1000) -> int:
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


# The aggregates the CLI, the Datasette plugin and its canned queries share, defined once each as views
# (browsable in Datasette like tables). Frozen like every migration: a changed view is a new migration
# that replaces it (``db.create_view(name, sql, replace=True)``).
VIEWS_0008 = {
    # articles published per day / per month (Hanoi time, as stored); month NULL: undated articles
    "articles_per_day": """
        SELECT substr(published_at, 1, 10) AS day, count(*) AS articles FROM articles
        WHERE published_at IS NOT NULL GROUP BY day ORDER BY day DESC""",
    "articles_per_month": """
        SELECT substr(published_at, 1, 7) AS month, count(*) AS articles FROM articles
        GROUP BY month ORDER BY month DESC""",
    # articles per category, "(none)" for those without one, largest first
    "articles_per_category": """
        SELECT coalesce(category, '(none)') AS category, count(*) AS articles FROM articles
        GROUP BY 1 ORDER BY articles DESC, category""",
    # every related link with the title of its target once that is archived
    "related_with_target": """
        SELECT r.id, r.article_id, r.block, r.position, r.url, r.title, r.linked_id, r.target_id,
               a.title AS target_title
        FROM related_links r LEFT JOIN articles a ON a.id = r.target_id""",
    # the articles linking to each archived article (target_id) in their related blocks
    "linked_from": """
        SELECT DISTINCT r.target_id, a.id AS article_id, a.title, a.published_at
        FROM related_links r JOIN articles a ON a.id = r.article_id WHERE r.target_id IS NOT NULL""",
    # the URLs most linked to in related blocks, archived or not
    "most_linked": """
        SELECT r.target_id AS id, coalesce(a.title, max(r.title)) AS title, r.url, count(*) AS links,
               count(DISTINCT r.article_id) AS linking_articles,
               CASE WHEN a.id IS NULL THEN 'no' ELSE 'yes' END AS archived
        FROM related_links r LEFT JOIN articles a ON a.id = r.target_id
        GROUP BY r.url ORDER BY links DESC, linking_articles DESC""",
    # each article's tags by name, in page order
    "article_tag_names": """
        SELECT at.article_id, at.position, t.id AS tag_id, t.name, t.slug
        FROM article_tags at JOIN tags t ON t.id = at.tag_id""",
    # the articles as a list shows them, with the day each was published (Hanoi time, as stored)
    "article_list": """
        SELECT id, title, published_at, substr(published_at, 1, 10) AS day, category, author
        FROM articles""",
    # each crawl run's outcome and counts
    "run_summaries": """
        SELECT id, started_at, finished_at, mode, outcome, requests, new, updated, unchanged, gone,
               failed, rejected, summary
        FROM crawl_runs""",
}


@migrations(name="0008_read_views")
def _read_views(db: Database) -> None:
    """The shared aggregates as SQL views (VIEWS_0008)."""
    for name, sql in VIEWS_0008.items():
        db.create_view(name, sql.strip())


@migrations(name="0009_extraction_fields")
def _extraction_fields(db: Database) -> None:
    """articles.extraction_fields: which layer gave each field of the record (JSON object: title, sapo,
    body, author, published_at, updated_at, category, tags -> "selectors", "metadata", "fallback" or
    null), as the record's extraction.fields says; {} for records stored before it was kept."""
    db["articles"].add_column("extraction_fields", str)


# Indexes for every sort and filter the table pages (their sortable_columns, scraper/datasette/
# metadata.yaml) and the CLI offer, so none reads the articles' text (the small columns sit after it
# in each row) or sorts millions of pages / related_links rows.
INDEXES_0010 = {
    "articles": (("title",), ("word_count",), ("image_count",), ("updated_at",), ("first_seen_at",),
                 ("last_changed_at",), ("gone_at",), ("extraction_strategy",),
                 # facets under a filter: author per month / category, category per author
                 ("author", "published_at", "category"), ("category", "author")),
    "pages": (("status",),),
    "related_links": (("url", "article_id"), ("target_id", "article_id"), ("block",), ("position",)),
    "article_versions": (("valid_until",), ("valid_from",)),
}

# related_url_counts: per linked URL, its related-links rows and distinct linking articles, and the
# archived article it names (target_id, NULL until archived), kept current by triggers on
# related_links, so most_linked reads its top rows from an index instead of grouping every link.
# The uniqueness probes read the (url, article_id) index.
LINK_COUNT_TRIGGERS_0010 = {
    "related_links_count_ai": """
        CREATE TRIGGER related_links_count_ai AFTER INSERT ON related_links BEGIN
          INSERT INTO related_url_counts (url, links, linking_articles, target_id)
          VALUES (new.url, 1, 1, new.target_id)
          ON CONFLICT (url) DO UPDATE SET links = links + 1,
            linking_articles = linking_articles + NOT EXISTS (
              SELECT 1 FROM related_links r WHERE r.url = new.url AND r.article_id = new.article_id
              AND r.id != new.id),
            target_id = coalesce(new.target_id, target_id);
        END""",
    "related_links_count_ad": """
        CREATE TRIGGER related_links_count_ad AFTER DELETE ON related_links BEGIN
          UPDATE related_url_counts SET links = links - 1,
            linking_articles = linking_articles - NOT EXISTS (
              SELECT 1 FROM related_links r WHERE r.url = old.url AND r.article_id = old.article_id)
          WHERE url = old.url;
          DELETE FROM related_url_counts WHERE url = old.url AND links <= 0;
        END""",
    # a moved link (url or article changed in place): out of the old URL's counts, into the new one's
    "related_links_count_au": """
        CREATE TRIGGER related_links_count_au AFTER UPDATE OF url, article_id ON related_links BEGIN
          UPDATE related_url_counts SET links = links - 1,
            linking_articles = linking_articles - NOT EXISTS (
              SELECT 1 FROM related_links r WHERE r.url = old.url AND r.article_id = old.article_id)
          WHERE url = old.url;
          DELETE FROM related_url_counts WHERE url = old.url AND links <= 0;
          INSERT INTO related_url_counts (url, links, linking_articles, target_id)
          VALUES (new.url, 1, 1, new.target_id)
          ON CONFLICT (url) DO UPDATE SET links = links + 1,
            linking_articles = linking_articles + NOT EXISTS (
              SELECT 1 FROM related_links r WHERE r.url = new.url AND r.article_id = new.article_id
              AND r.id != new.id),
            target_id = coalesce(new.target_id, target_id);
        END""",
    # every row of a URL names the same article: the newest target_id written is the URL's
    "related_links_count_target": """
        CREATE TRIGGER related_links_count_target AFTER UPDATE OF target_id ON related_links
        WHEN new.target_id IS NOT old.target_id BEGIN
          UPDATE related_url_counts SET target_id = new.target_id
          WHERE url = new.url AND target_id IS NOT new.target_id;
        END""",
}

VIEWS_0010 = {
    # (as in 0008, the target's title read per row shown: counting the view counts related_links only)
    "related_with_target": """
        SELECT r.id, r.article_id, r.block, r.position, r.url, r.title, r.linked_id, r.target_id,
               (SELECT a.title FROM articles a WHERE a.id = r.target_id) AS target_title
        FROM related_links r""",
    # (as in 0008; the distinct pairs from the (target_id, article_id) index, the linking article's
    # title and date read per row shown)
    "linked_from": """
        SELECT p.target_id, p.article_id,
               (SELECT a.title FROM articles a WHERE a.id = p.article_id) AS title,
               (SELECT a.published_at FROM articles a WHERE a.id = p.article_id) AS published_at
        FROM (SELECT DISTINCT target_id, article_id FROM related_links WHERE target_id IS NOT NULL) p""",
    # the URLs most linked to in related blocks, archived or not (from the maintained counts)
    "most_linked": """
        SELECT c.target_id AS id,
               coalesce(a.title, (SELECT max(r.title) FROM related_links r WHERE r.url = c.url)) AS title,
               c.url, c.links, c.linking_articles,
               CASE WHEN a.id IS NULL THEN 'no' ELSE 'yes' END AS archived
        FROM related_url_counts c LEFT JOIN articles a ON a.id = c.target_id
        ORDER BY c.links DESC, c.linking_articles DESC""",
}


@migrations(name="0010_indexes_and_link_counts")
def _indexes_and_link_counts(db: Database) -> None:
    """The schema for a 200,000-article archive: INDEXES_0010, the maintained link counts behind
    most_linked (LINK_COUNT_TRIGGERS_0010, VIEWS_0010), views whose counts read an index, and a partial
    index for the extraction-warnings count of `ldtd stats`. related_links(url) and (target_id) give
    way to (url, article_id) and (target_id, article_id), which serve them too."""
    for table, indexes in INDEXES_0010.items():
        for columns in indexes:
            db[table].create_index(list(columns), if_not_exists=True)
    db.execute("DROP INDEX IF EXISTS idx_related_links_url")
    db.execute("DROP INDEX IF EXISTS idx_related_links_target_id")
    # the table pages' default orders, "published_at DESC, id" and "fetched_at DESC, id" (Datasette breaks
    # ties by the key, ascending): in index order, so a deep page (its OR of keyset conditions) reads 50
    # rows, not every row before it
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_published_at_desc_id ON articles (published_at DESC, id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_pages_fetched_at_desc_id ON pages (fetched_at DESC, id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_with_warnings ON articles (id)"
               " WHERE extraction_warnings IS NOT NULL AND extraction_warnings NOT IN ('[]', '')")
    db.execute("""CREATE TABLE related_url_counts (
        url TEXT PRIMARY KEY, links INTEGER NOT NULL, linking_articles INTEGER NOT NULL, target_id INTEGER)""")
    db.execute("INSERT INTO related_url_counts (url, links, linking_articles, target_id)"
               " SELECT url, count(*), count(DISTINCT article_id), max(target_id) FROM related_links GROUP BY url")
    db.execute("CREATE INDEX idx_related_url_counts_links ON related_url_counts (links DESC, linking_articles DESC)")
    db.execute("CREATE INDEX idx_related_url_counts_target_id ON related_url_counts (target_id)")
    for sql in LINK_COUNT_TRIGGERS_0010.values():
        db.execute(sql.strip())
    for name, sql in VIEWS_0010.items():
        db.create_view(name, sql.strip(), replace=True)
    # the planner's statistics, in full (sampled ones sent the month counts through the table's rows);
    # not on an empty archive, whose statistics would say every table is empty long after it is not
    if db.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
        db.execute("ANALYZE")


# -- frozen copies of what the migrations above used ---------------------------------------------------

def _fold_0003(text: str | None) -> str:
    """scraper.text.fold as of 0003: lower case, marks dropped, đ→d."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).lower()


def _facets_0003(category: str | None, author: str | None, published_at: str | None) -> str:
    """schema.facets as of 0003: "c<category> a<author> y<year>" tokens."""
    slug = lambda value: re.sub(r"[^a-z0-9]+", "", _fold_0003(value))
    tokens = []
    if category:
        tokens.append("c" + slug(category))
    if author:
        tokens.append("a" + slug(author))
    year = (published_at or "")[:4]
    if year.isdigit():
        tokens.append("y" + year)
    return " ".join(tokens)


def _dumps_0004(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _content_hash_0004(record: dict) -> str:
    """archive.content_hash as of 0004: the article's own content, "inline" related boxes only."""
    fields = ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
              "category", "category_url", "tags", "images", "related")
    content = {k: record.get(k) for k in fields}
    content["tags"] = list(content["tags"] or [])
    content["images"] = [{"url": i["url"], "caption": i.get("caption") or "", "alt": i.get("alt") or ""}
                         for i in content["images"] or []]
    related = [{"url": r["url"], "title": r.get("title") or "", "block": r.get("block") or "",
                "position": r.get("position")} for r in content["related"] or []]
    content["related"] = [r for r in related if r["block"] in {"inline"}]
    return hashlib.sha256(_dumps_0004(content).encode()).hexdigest()


_ARTICLE_PATH_0006 = re.compile(r"^/(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?(\d{2,9})\.(html|media)$")
_TAG_PATH_0006 = re.compile(r"^/tags?/")
_TRACKING_0006 = re.compile(r"^(?:utm_[a-z0-9_]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid"
                            r"|mc_eid|_ga|_gl|zarsrc|zlink)$", re.I)


def _linked_article_id_0006(url: str) -> int | None:
    """archive.linked_article_id (with urls.article_id and is_site_host) as of 0006: the article id an URL
    of laodongthudo.vn (or www.) names, else None."""
    parts = urlsplit(url)
    if parts.hostname is not None and parts.hostname.lower() not in ("laodongthudo.vn", "www.laodongthudo.vn"):
        return None
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _TRACKING_0006.match(k)]
        query = query if len(kept) == len(pairs) else urlencode(kept)
    if query or "&" in parts.path or "@" in parts.path or _TAG_PATH_0006.match(parts.path):
        return None
    m = _ARTICLE_PATH_0006.match(parts.path)
    return int(m.group(1)) if m else None


@migrations(name="0012_folded_filters")
def _folded_filters(db: Database) -> None:
    """articles.category_folded and author_folded: category and author as search filters compare them
    (no case, no diacritics: "thoi su" finds "Thời sự"), indexed with published_at for date ranges."""
    articles = db["articles"]
    for column in ("category", "author"):
        if f"{column}_folded" not in articles.columns_dict:
            articles.add_column(f"{column}_folded", str)
    values = db.execute("SELECT DISTINCT category, author FROM articles").fetchall()
    for category, author in values:
        db.execute("UPDATE articles SET category_folded = ?, author_folded = ? WHERE category IS ? AND author IS ?",
                   [_filter_key_0012(category), _filter_key_0012(author), category, author])
    for column in ("category", "author"):
        articles.create_index([f"{column}_folded", "published_at"], if_not_exists=True)


def _filter_key_0012(value: str | None) -> str | None:
    """schema.filter_key as of 0012: folded (as 0003 folded), spaces collapsed, None when empty."""
    key = " ".join(_fold_0003(value).split())
    return key or None


# The reading room's views (Datasette: the Atom feeds' canned queries, the article page's "Linked from").
# Each feed row carries the atom_* columns datasette-atom turns into an entry.
VIEWS_0013 = {
    # one entry per article: its canonical URL as id and link, the lead as content; undated: first seen
    "article_feed": """
        SELECT id, category, author, published_at,
               url AS atom_id, title AS atom_title, coalesce(published_at, first_seen_at) AS atom_updated,
               url AS atom_link, sapo AS atom_content, author AS atom_author_name
        FROM articles""",
    # one entry per edit: the moment a content was replaced (valid_until of the replaced version)
    "edit_feed": """
        SELECT v.id, v.article_id, a.category, v.valid_until AS edited_at,
               a.url || '#edited-' || v.valid_until AS atom_id, a.title AS atom_title,
               v.valid_until AS atom_updated, a.url AS atom_link,
               'Headline before this edit: ' || coalesce(v.title, '') AS atom_content,
               a.author AS atom_author_name
        FROM article_versions v JOIN articles a ON a.id = v.article_id""",
    # the articles linking to each archived article (target_id), with the block each link sits in
    "linked_from_blocks": """
        SELECT DISTINCT r.target_id, a.id AS article_id, a.title, a.published_at, r.block
        FROM related_links r JOIN articles a ON a.id = r.article_id WHERE r.target_id IS NOT NULL""",
}


@migrations(name="0013_reading_room_views")
def _reading_room_views(db: Database) -> None:
    """VIEWS_0013, and the index "Linked from" reads related_links by (target_id)."""
    db["related_links"].create_index(["target_id"], if_not_exists=True)
    for name, sql in VIEWS_0013.items():
        db.create_view(name, sql.strip(), replace=True)


@migrations(name="0014_image_files")
def _image_files(db: Database) -> None:
    """What the images store (``<archive>.images/``, files named by the SHA-256 of their bytes) holds for
    each image: its sha256, content type, size in bytes and when it was stored; empty until it is."""
    images = db["images"]
    for column, kind in (("sha256", str), ("content_type", str), ("bytes", int), ("stored_at", str)):
        if column not in images.columns_dict:
            images.add_column(column, kind)
    images.create_index(["sha256"], if_not_exists=True)


# linked_from_blocks without DISTINCT: counting the view (Datasette's page for it) made SQLite read every
# linking article's whole row to compare titles (3 s at 20,000 articles); a link repeated in one block is
# listed once by its reader instead.
VIEWS_0015 = {
    "linked_from_blocks": """
        SELECT r.target_id, a.id AS article_id, a.title, a.published_at, r.block
        FROM related_links r JOIN articles a ON a.id = r.article_id WHERE r.target_id IS NOT NULL""",
}


@migrations(name="0015_linked_from_blocks_undistinct")
def _linked_from_blocks_undistinct(db: Database) -> None:
    """VIEWS_0015 replaces 0013's linked_from_blocks."""
    for name, sql in VIEWS_0015.items():
        db.create_view(name, sql.strip(), replace=True)


@migrations(name="0016_sitemap_validators")
def _sitemap_validators(db: Database) -> None:
    """What the last clean crawl read of each sitemap (a urlset, never an index) and feed: its validators
    (ETag, Last-Modified) and the SHA-256 of its body, so an incremental run asks for it conditionally and
    skips the entries of one that has not changed (a 304, or the same bytes)."""
    db["sitemap_validators"].create(
        {"url": str, "etag": str, "last_modified": str, "sha256": str, "run_id": int, "read_at": str},
        pk="url", if_not_exists=True,
    )


@migrations(name="0017_image_validators")
def _image_validators(db: Database) -> None:
    """The validators (ETag, Last-Modified) the site sent with each image's stored bytes, so a refetch
    asks for it conditionally (If-None-Match / If-Modified-Since) and an unchanged image costs a bodiless
    304 instead of its bytes; empty until an image is stored with them."""
    images = db["images"]
    for column in ("etag", "last_modified"):
        if column not in images.columns_dict:
            images.add_column(column, str)


# article_feed with each article's category_folded (0012's filter key, indexed with published_at), so the
# feed of a category matches it as `ldtd search --category` does, without case or diacritics.
VIEWS_0018 = {
    "article_feed": """
        SELECT id, category, author, published_at,
               url AS atom_id, title AS atom_title, coalesce(published_at, first_seen_at) AS atom_updated,
               url AS atom_link, sapo AS atom_content, author AS atom_author_name, category_folded
        FROM articles""",
}


@migrations(name="0018_article_feed_category_folded")
def _article_feed_category_folded(db: Database) -> None:
    """VIEWS_0018 replaces 0013's article_feed."""
    for name, sql in VIEWS_0018.items():
        db.create_view(name, sql.strip(), replace=True)


# linked_from_blocks as 0010's linked_from: the linking article's title and date read per row shown, so
# Datasette's count of the view reads the (target_id) index alone (the join read an article per link:
# 1 s for 3.2M links, over the 0.5 s a page may take) and a page of it reads 50 articles. The rows are
# the same: related_links.article_id references articles, so every link has its article.
VIEWS_0019 = {
    "linked_from_blocks": """
        SELECT r.target_id, r.article_id,
               (SELECT a.title FROM articles a WHERE a.id = r.article_id) AS title,
               (SELECT a.published_at FROM articles a WHERE a.id = r.article_id) AS published_at,
               r.block
        FROM related_links r WHERE r.target_id IS NOT NULL""",
}


@migrations(name="0019_linked_from_blocks_per_row")
def _linked_from_blocks_per_row(db: Database) -> None:
    """VIEWS_0019 replaces 0015's linked_from_blocks."""
    for name, sql in VIEWS_0019.items():
        db.create_view(name, sql.strip(), replace=True)


@migrations(name="0020_fts_data_id_index")
def _fts_data_id_index(db: Database) -> None:
    """An index of articles_fts_data's ids: counting the FTS5 segment table (Datasette's database page
    counts every table, and SQLite's count cannot be interrupted mid-table) reads the index's ~800 pages
    instead of the table's one page per segment block (~180,000 at 200,000 articles: 3.8 s cold). An
    archive whose search index is not made yet gets it from schema.ensure_search."""
    if db["articles_fts_data"].exists():
        db.execute("CREATE INDEX IF NOT EXISTS idx_articles_fts_data_id ON articles_fts_data (id)")


@migrations(name="0021_covering_filter_and_count_indexes")
def _covering_filter_and_count_indexes(db: Database) -> None:
    """articles (category, published_at, author) in place of 0001's (category, published_at), its prefix,
    and 0010's (category, author): a category and a month filtered together answer their author facet from
    the index (through (category, author), the planner's choice while it exists, SQLite read each of the
    category's articles for its date, 12,500 at 200,000 articles: 2.9 s cold, past the facet time limit);
    a category's author facet and the per-category counts read the new index as they read (category,
    author), a category's newest articles as they read (category, published_at). page_bodies (size):
    counting page_bodies (Datasette's database page) reads ints instead of every SHA-256 of the primary
    key's index (16.7 MB at 200,000 bodies). Each new index gets its planner statistics (0010 analysed
    the rest)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_category_published_at_author"
               " ON articles (category, published_at, author)")
    db.execute("DROP INDEX IF EXISTS idx_articles_category_published_at")
    db.execute("DROP INDEX IF EXISTS idx_articles_category_author")
    db.execute("CREATE INDEX IF NOT EXISTS idx_page_bodies_size ON page_bodies (size)")
    if db["sqlite_stat1"].exists():
        db.execute("DELETE FROM sqlite_stat1 WHERE idx IN ('idx_articles_category_published_at',"
                   " 'idx_articles_category_author')")
        db.execute("ANALYZE idx_articles_category_published_at_author")
        db.execute("ANALYZE idx_page_bodies_size")


@migrations(name="0022_related_links_one_target_index")
def _related_links_one_target_index(db: Database) -> None:
    """related_links (target_id) goes again: 0010 dropped it for (target_id, article_id), which serves
    every lookup by target, and 0013 made it anew. Besides its writes and 38 MB at 3.2 million links, it
    was the index SQLite counts the table through (the last made of the one-column indexes), which
    Datasette's database page does in one step no time limit interrupts: 0.6 s cold. The count now reads
    (position), 20 % smaller."""
    db.execute("DROP INDEX IF EXISTS idx_related_links_target_id")
    if db["sqlite_stat1"].exists():
        db.execute("DELETE FROM sqlite_stat1 WHERE idx = 'idx_related_links_target_id'")
