"""Every read of the archive that the `ldtd` commands and the Datasette plugin make: the only SQL they run.

Each function takes ``conn``: an ``sqlite3.Connection`` (what Datasette's ``db.execute_fn`` hands over)
or an ``sqlite_utils.Database`` (what the CLI opens with ``open_readonly``), and returns plain dicts,
tuples and lists. The search itself is ``scraper.storage.search``; an article's versions and their diff
``scraper.storage.versions``; the writes ``Archive``.

The aggregates shared by the CLI, the plugin and the canned queries (metadata.yaml) are SQL views,
created by migration 0008 (``scraper.storage.migrations.VIEWS_0008``), each defined once:

    articles_per_day(day, articles)            dated articles per day (YYYY-MM-DD, Hanoi time)
    articles_per_month(month, articles)        per month (YYYY-MM; NULL: undated articles)
    articles_per_category(category, articles)  per category ("(none)": without one), largest first
    related_with_target(id, article_id, block, position, url, title, linked_id, target_id, target_title)
                                               every related link, with its target's title once archived
    linked_from(target_id, article_id, title, published_at)
                                               the articles linking to each archived article
    most_linked(id, title, url, links, linking_articles, archived)
                                               the URLs most linked to in related blocks, archived or not
    article_tag_names(article_id, position, tag_id, name, slug)
                                               each article's tags by name, in page order
    article_list(id, title, published_at, day, category, author)
    run_summaries(id, started_at, finished_at, mode, outcome, requests, new, updated, unchanged, gone,
                  failed, rejected, summary)

and by migration 0013 (``VIEWS_0013``), for the reading room:

    article_feed(id, category, author, published_at, atom_*)   an Atom entry per article (datasette-atom)
    edit_feed(id, article_id, category, edited_at, atom_*)     an Atom entry per edit (article_versions)
    linked_from_blocks(target_id, article_id, title, published_at, block)
                                               linked_from, with the block of each link (0015: one row
                                               per link, a link repeated in a block repeats; 0019: the
                                               linking article's title and date read per row shown)
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from scraper.urls import article_id as url_article_id
from scraper.urls import canonical_url

from . import images as image_store
from .archive import Archive
from .schema import FTS_TABLE, filter_key
from .migrations import migrations
from . import runs as run_log
from .runs import RunLog
from .search import fts_queries, search
from . import search as search_module
from .usable import ARCHIVE_TABLES, SQLITE_MAGIC
from .versions import storable_id
from .versions import versions as article_versions

# What a read may fail with once the archive is open (a schema from an older version, a busy or full
# disk): the callers name it without knowing the database driver.
StorageFailure = sqlite3.OperationalError


class UnreadableArchive(ValueError):
    """The file is not an archive that can be read; the message says why, in one line."""


def _db(conn) -> Database:
    return conn if isinstance(conn, Database) else Database(conn)


def _rows(conn, sql: str, args=()) -> list[dict]:
    cursor = conn.execute(sql, list(args))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _one(conn, sql: str, args=()):
    row = conn.execute(sql, list(args)).fetchone()
    return row[0] if row else None


# -- opening ------------------------------------------------------------------------------------

def check_archive(path: Path) -> None:
    """Raise UnreadableArchive unless `path` is an existing ldtd archive (never creates anything)."""
    path = Path(path)
    if not path.exists():
        raise UnreadableArchive(
            f"no archive at {path}: run `ldtd crawl --db {path}` (or `ldtd demo`) to create one, or pass --db PATH"
        )
    if path.is_dir():
        raise UnreadableArchive(f"{path} is a directory, not an archive file")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UnreadableArchive(f"cannot read {path}: {exc.strerror or exc}") from None
    if head != SQLITE_MAGIC:
        raise UnreadableArchive(f"{path} is not an ldtd archive (not an SQLite database)")
    try:
        conn = _connect_readonly(path)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UnreadableArchive(f"{path} is not an ldtd archive ({exc})") from None
    missing = [t for t in ARCHIVE_TABLES if t not in names]
    if missing:
        raise UnreadableArchive(
            f"{path} is an SQLite database but not an ldtd archive (no {', '.join(missing)} table"
            f"{'s' if len(missing) > 1 else ''})"
        )


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)


def open_readonly(path: Path) -> Database:
    """The archive, read-only: safe beside a running crawl (WAL), and it never creates or migrates a file.
    Raises UnreadableArchive for a missing file or a database that is not an archive."""
    check_archive(path)
    conn = _connect_readonly(path)
    conn.execute("PRAGMA busy_timeout = 5000")
    return Database(conn)


# -- one article --------------------------------------------------------------------------------

def _exists(conn, article_id: int) -> bool:
    return storable_id(article_id) and conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None


def find_article(conn, ref: str) -> int | None:
    """The id of the archived article `ref` names (its id, or its URL in any form the site writes it), else
    None. A number too big to be an article id is no article (not an OverflowError)."""
    ref = ref.strip()
    if ref.isdigit():
        return int(ref) if _exists(conn, int(ref)) else None
    row = conn.execute("SELECT id FROM articles WHERE url = ?", [canonical_url(ref)]).fetchone()
    if row:
        return row[0]
    article_id = url_article_id(ref)
    return article_id if article_id is not None and _exists(conn, article_id) else None


def article_row(conn, article_id: int) -> dict | None:
    """The article's row as stored (every column), or None."""
    if not storable_id(article_id):
        return None
    rows = _rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    return rows[0] if rows else None


def related_links(conn, article_id: int) -> list[dict]:
    """The article's related links in page order (view related_with_target): block, position, url, title,
    target_id (the linked article once archived) and target_title."""
    return _rows(conn, "SELECT id, block, position, url, title, target_id, target_title FROM related_with_target"
                       " WHERE article_id = ? ORDER BY id", [article_id])


def versions(conn, article_id: int) -> list[dict]:
    """Every state of the article, oldest first, numbered from 1 (``scraper.storage.versions``)."""
    return article_versions(_db(conn), article_id)


# -- many articles ------------------------------------------------------------------------------

# `ldtd export --query` ranks at most this many matches (`search` holds each one's text while ranking);
# a larger --limit, or none, streams every match in id order instead, newest id (= newest article) first.
RANKED_SELECTION_MAX = 1000
# records read per chunk: one query per table for the chunk, a few MB of article text held at a time
RECORDS_CHUNK = 200


def iter_ids(conn, query: str | None = None, category: str | None = None, since: str | None = None,
             until: str | None = None, author: str | None = None, limit: int = 0) -> Iterator[int]:
    """The ids of the articles a search `query` and filters select, streamed (an archive of any size in
    bounded memory). Order: without a query, newest first (published_at, undated last, then id); with a
    query and a `limit` up to RANKED_SELECTION_MAX, ranked as `ldtd search` ranks them; with a larger
    limit or none, every match in id order, newest id first (ids grow with publication time).
    `category`/`author` match without case or diacritics, as `ldtd search`'s filters do; `since`/`until`
    bound published_at (a bare date `until` covers that whole day); limit 0: all. Raises search.QueryError
    for a query past the caps or one that cannot be read (here, before any id is read)."""
    where, args = [], []
    if category:
        where.append("category_folded = ?")
        args.append(filter_key(category))
    if author:
        where.append("author_folded = ?")
        args.append(filter_key(author))
    if since:
        where.append("published_at >= ?")
        args.append(since)
    if until:
        where.append("published_at < ?" if len(until) == 10 else "published_at <= ?")
        args.append(until + "T99" if len(until) == 10 else until)
    if query:
        folded = fts_queries(query)[0]  # (raises QueryError now, not at the first id)
        if folded is None:
            return iter(())
        if limit and limit <= RANKED_SELECTION_MAX:
            return (r["id"] for r in search(_db(conn), query, category=category, since=since, until=until,
                                              author=author, limit=limit))
        # the filters through the covering indexes on articles (its rows would be read past their text);
        # the unary + keeps SQLite from turning the id set into one FTS5 lookup per id
        sql = (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
               + (f" AND +rowid IN (SELECT id FROM articles WHERE {' AND '.join(where)})" if where else "")
               + " ORDER BY rowid DESC")
        args = [folded, *args]
    else:
        sql = ("SELECT id FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY published_at DESC, id DESC")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return (row[0] for row in conn.execute(sql, args))


def select_ids(conn, query: str | None = None, category: str | None = None, since: str | None = None,
               until: str | None = None, author: str | None = None, limit: int = 0) -> list[int]:
    """``iter_ids`` as a list (its order); for selections that fit in memory."""
    return list(iter_ids(conn, query, category=category, since=since, until=until, author=author, limit=limit))


def records(conn, ids: Iterable[int], chunk: int = RECORDS_CHUNK) -> Iterator[dict]:
    """The archived records of these ids, in order (``Archive.records``: the parser's keys), read `chunk`
    at a time, so a stream of ids (``iter_ids``) streams out; unknown ids skipped."""
    archive = Archive(_db(conn))
    batch: list[int] = []
    for article_id in ids:
        batch.append(article_id)
        if len(batch) >= chunk:
            yield from archive.records(batch)
            batch = []
    if batch:
        yield from archive.records(batch)


def rebuild_pages(conn) -> list[tuple[int, list[dict]]]:
    """What `ldtd reparse` rebuilds each record from: per article id (ascending), its successful (2xx)
    fetches whose body is kept, newest first, as ``{page_id, url, fetched_at}``. The newest stored page
    may be bad (cut off, a soft 404, the home page served under the article's URL with status 200) while
    an earlier one still holds the article. Fetches stored without a body (unchanged refetches) are left
    out, so an hourly-crawled archive does not list every refetch."""
    out: list[tuple[int, list[dict]]] = []
    for row in _rows(conn, "SELECT article_id, id AS page_id, url, fetched_at FROM pages"
                           " WHERE article_id IS NOT NULL AND status BETWEEN 200 AND 299"
                           " AND body_sha256 IS NOT NULL ORDER BY article_id, id DESC"):
        article_id = row.pop("article_id")
        if not out or out[-1][0] != article_id:
            out.append((article_id, []))
        out[-1][1].append(row)
    return out


# -- aggregates ---------------------------------------------------------------------------------

def per_day(conn) -> list[tuple[str, int]]:
    """(day, articles) for every day with a dated article, oldest first (view articles_per_day)."""
    return [tuple(r) for r in conn.execute("SELECT day, articles FROM articles_per_day ORDER BY day")]


def per_month(conn, undated: str | None = None, days: list[tuple[str, int]] | None = None) -> list[tuple[str, int]]:
    """(month, articles), newest first (what view articles_per_month counts); the undated articles under the
    label `undated` (last), or left out when it is None. Summed from the days (`per_day`, or `days` when the
    caller has them): the view groups the published_at index a second time, 0.3 s at 200k articles."""
    months: dict[str, int] = {}
    for day, n in per_day(conn) if days is None else days:
        months[day[:7]] = months.get(day[:7], 0) + n  # (a day's first 7 characters are its month's)
    rows = sorted(months.items(), reverse=True)
    if undated is not None:
        n = _one(conn, "SELECT count(*) FROM articles WHERE published_at IS NULL")
        rows += [(undated, n)] if n else []
    return rows


def per_category(conn) -> list[tuple[str, int]]:
    """(category, articles), largest first, "(none)" for articles without one (what view
    articles_per_category counts). Grouped by the bare column, in the order of an index starting with it
    (0021's (category, published_at, author)): the view's coalesce() makes SQLite sort 200k entries first
    (0.3 s instead of 0.03 s)."""
    counts: dict[str, int] = {}
    for category, n in conn.execute("SELECT category, count(*) FROM articles GROUP BY category"):
        key = "(none)" if category is None else category
        counts[key] = counts.get(key, 0) + n
    return sorted(counts.items(), key=lambda c: (-c[1], c[0]))


def most_linked(conn, limit: int = 100) -> list[dict]:
    """The URLs most linked to in related blocks, archived or not (view most_linked)."""
    return _rows(conn, "SELECT * FROM most_linked ORDER BY links DESC, linking_articles DESC LIMIT ?", [int(limit)])


def stats(conn, runs: int = 5, months: int | None = None) -> dict:
    """What `ldtd stats` shows: counts per category and month, the last runs, and the gaps worth a look
    (article ids never seen, days without an article, records read without a site template, ...)."""
    one = lambda sql: _one(conn, sql)
    days = per_day(conn)
    per_month_rows = per_month(conn, undated="(undated)", days=days)
    if months:
        per_month_rows = per_month_rows[:months]
    # Every count below is read from an index or a maintained count (migration 0010), never from the
    # articles' rows: their small columns sit after the text. The ids come from the smallest index
    # (no ORDER BY: in id order SQLite would walk the table itself) and are sorted here.
    ids = sorted(r[0] for r in conn.execute("SELECT id FROM articles"))
    missing, gaps = _id_gaps(ids)
    health = {
        # (as two ranges: with "!=" the planner may walk the table instead of the index)
        "fallback_or_metadata": one("SELECT count(*) FROM articles WHERE extraction_strategy < 'selectors'"
                                    " OR extraction_strategy > 'selectors'"),
        "with_warnings": one("SELECT count(*) FROM articles WHERE extraction_warnings IS NOT NULL"
                             " AND extraction_warnings NOT IN ('[]', '')"),
        "gone": one("SELECT count(*) FROM articles WHERE gone_at IS NOT NULL"),
        "undated": one("SELECT count(*) FROM articles WHERE published_at IS NULL"),
        # (word_count is the body's: 0 for an empty or blank body)
        "empty_body": one("SELECT count(*) FROM articles WHERE word_count = 0 OR word_count IS NULL"),
        "related_links": one("SELECT coalesce(sum(links), 0) FROM related_url_counts"),
        "related_not_archived": one("SELECT count(*) FROM related_url_counts WHERE target_id IS NULL"),
        # (two ranges of the status index: with OR, SQLite reads all of it, 1.5M entries for a year of runs)
        "failed_fetches": one("SELECT (SELECT count(*) FROM pages WHERE status >= 400)"
                              " + (SELECT count(*) FROM pages WHERE status IS NULL)"),
        "changed_articles": one("SELECT count(DISTINCT article_id) FROM article_versions"),
        "versions": one("SELECT count(*) FROM article_versions"),
    }
    return {
        "articles": len(ids),
        "pages": one("SELECT count(*) FROM pages"),
        "first_published": one("SELECT min(published_at) FROM articles"),
        "last_published": one("SELECT max(published_at) FROM articles"),
        "per_category": [dict(category=c, articles=n) for c, n in per_category(conn)],
        "per_month": [dict(month=m, articles=n) for m, n in per_month_rows],
        "last_runs": run_log.latest(_db(conn), runs),
        "id_range": [ids[0], ids[-1]] if ids else None,
        "ids_never_seen": missing,
        "largest_id_gaps": [{"first": a, "last": b, "size": b - a + 1} for a, b in gaps],
        "days_without_articles": _empty_day_runs([d for d, _ in days]),
        "health": health,
    }


def _id_gaps(ids: list[int], top: int = 10, min_size: int = 1) -> tuple[int, list[tuple[int, int]]]:
    """(ids missing between the smallest and the largest, the largest runs of missing ids as (first, last))."""
    gaps = []
    missing = 0
    for a, b in zip(ids, ids[1:]):
        if b - a > 1:
            missing += b - a - 1
            if b - a - 1 >= min_size:
                gaps.append((a + 1, b - 1))
    gaps.sort(key=lambda g: (-(g[1] - g[0]), g[0]))
    return missing, gaps[:top]


def _empty_day_runs(days: list[str], top: int = 10) -> list[dict]:
    """The longest runs of days without an article between the first and the last dated one."""
    parsed = []
    for d in days:
        try:
            parsed.append(date.fromisoformat(d))
        except ValueError:
            continue
    runs = []
    for a, b in zip(parsed, parsed[1:]):
        gap = (b - a).days - 1
        if gap >= 1:
            runs.append({"first": (a + timedelta(days=1)).isoformat(), "last": (b - timedelta(days=1)).isoformat(),
                         "days": gap})
    runs.sort(key=lambda r: (-r["days"], r["first"]))
    return runs[:top]


# -- what only Datasette's pages read (scraper/datasette/, through Datasette's db.execute_fn) ----------

def cap_value_length(conn: sqlite3.Connection, max_bytes: int) -> None:
    """No string or blob a query on `conn` builds may exceed max_bytes (SQLITE_LIMIT_LENGTH)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_bytes)


# The most (linking article, block) pairs an article page lists under "Linked from", newest first.
LINKED_FROM_LIMIT = 100


def images(conn, article_id: int) -> list[dict]:
    """An article's images in order: url, caption, alt and, once its local copy is in the images store
    (`scraper.storage.images`), its sha256, content_type, bytes and stored_at (None before)."""
    # (every column: an archive not yet migrated to 0014 has no local-copy columns, and reads None)
    return [{"sha256": None, "content_type": None, "bytes": None, "stored_at": None, **row}
            for row in _rows(conn, "SELECT * FROM images WHERE article_id = ? ORDER BY position", [article_id])]


def article_page(conn, article_id: int) -> dict | None:
    """What the article page shows: the article's row, its images, related links (with their target's
    title once archived), tags, earlier versions (rows of article_versions), the articles linking to it with
    the block each link sits in (newest first, at most LINKED_FROM_LIMIT), and the older and newer article
    of its category; None for no article."""
    row = article_row(conn, article_id)
    if row is None:
        return None
    return {
        "article": row,
        "images": images(conn, article_id),
        "related": related_links(conn, article_id),
        "tags": _rows(conn, "SELECT tag_id AS id, name FROM article_tag_names WHERE article_id = ?"
                            " ORDER BY position", [article_id]),
        "versions": _rows(conn, "SELECT id, valid_from, valid_until, title, content_hash FROM article_versions"
                                " WHERE article_id = ? ORDER BY valid_from", [article_id]),
        "linked_from": _rows(conn, "SELECT article_id AS id, title, block FROM linked_from_blocks"
                                   " WHERE target_id = ? ORDER BY published_at DESC, article_id DESC LIMIT ?",
                                   [article_id, LINKED_FROM_LIMIT]),
        "older": _neighbour(conn, row, older=True),
        "newer": _neighbour(conn, row, older=False),
    }


def _neighbour(conn, row: dict, older: bool) -> dict | None:
    """The article published just before (older) or just after `row` in its category, by published_at
    then id (the (category, published_at) index), as {id, title, published_at}; None at either end or
    for an undated or uncategorised article."""
    if not row.get("category") or not row.get("published_at"):
        return None
    cmp, order = ("<", "DESC") if older else (">", "ASC")
    rows = _rows(conn, f"SELECT id, title, published_at FROM articles WHERE category = ?"
                       f" AND (published_at, id) {cmp} (?, ?) ORDER BY published_at {order}, id {order} LIMIT 1",
                 [row["category"], row["published_at"], row["id"]])
    return rows[0] if rows else None


def published_from_clause(param: str) -> str:
    """A WHERE clause on ``articles``: published at or after the ISO date/time bound to :param."""
    return f"published_at >= :{param}"


def published_before_clause(param: str) -> str:
    """A WHERE clause on ``articles``: published before the ISO date/time bound to :param."""
    return f"published_at < :{param}"


def pending_migrations(conn) -> list[str]:
    """The names of the migrations this archive has not had yet (read-only: it writes nothing). An
    archive made by an older ldtd lacks the views and columns the reading pages use."""
    return [m.name for m in migrations.pending(_db(conn))]


def month_counts(conn, rows_sql: str, params, column: str, limit: int) -> list[tuple[str, int]] | None:
    """(YYYY-MM, count) per month of the ISO date `column` among the rows `rows_sql` selects (a Datasette
    table page's own query, with its params), latest first, at most `limit`; None when the connection's
    time limit interrupted it."""
    col = '"' + column.replace('"', '""') + '"'
    sql = (f"SELECT substr({col}, 1, 7) AS value, count(*) AS count FROM ({rows_sql})"
           f" WHERE {col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
           f" GROUP BY value ORDER BY value DESC LIMIT {int(limit)}")
    try:
        return [tuple(r) for r in conn.execute(sql, params or {})]
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            return None
        raise


def article_match_clause(param: str) -> str:
    """A WHERE clause on ``articles`` for the rows whose search index entry matches the FTS5 expression
    bound to :param (Datasette's table filters take SQL text: the articles table's search box)."""
    return f"+rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :{param})"


# Datasette's canned query "search" (metadata.yaml; scraper.datasette.config.metadata_for fills it in): the
# ranking and snippet of `ldtd search` (scraper.storage.search.CANNED_SEARCH_SQL).
CANNED_SEARCH_SQL = search_module.CANNED_SEARCH_SQL
CANNED_SEARCH_PARAMS = search_module.CANNED_SEARCH_PARAMS

# Datasette's canned query "search_feed" (an Atom feed of a search, through datasette-atom): the canned
# search's matches as entries of view article_feed, newest first.
CANNED_SEARCH_FEED_SQL = (
    "select f.* from (\n" + CANNED_SEARCH_SQL + "\n) s join article_feed f on f.id = s.id\n"
    "order by f.atom_updated desc"
)


# -- every fetch, streamed (ldtd export --format warc) -----------------------------------------------

PAGES_CHUNK = 200


def stored_pages(conn, chunk: int = PAGES_CHUNK) -> Iterator[dict]:
    """Every fetch the archive recorded, in the order it was made, read `chunk` rows at a time by id and
    one row in memory at a time (a stored page may be 16 MB): an archive of any size streams.

    Each: ``{id, url, status, headers, fetched_at, sha256, body, same_as, mirror}``. ``url`` is canonical;
    ``headers`` the stored response headers (dict: content-type, last-modified, etag, location); ``sha256``
    the hash of the bytes fetched; ``body`` those bytes, decompressed, or None when the body was not kept
    (a refetch that found its record unchanged). For such a fetch, ``same_as`` is ``{id, url, fetched_at,
    size}`` of the first fetch whose kept body has exactly those bytes (``size``: their length), or None when
    no kept body does (the page around the unchanged article had changed: a sidebar). ``mirror`` is the
    base URL of the mirror the fetch went through (its run's --base-url), else None."""
    mirrors: dict[int | None, str | None] = {None: None}
    log = RunLog(_db(conn))
    after = 0
    while True:
        cursor = conn.execute(_STORED_PAGES_SQL, [after, int(chunk)])
        names = [d[0] for d in cursor.description]
        seen = 0
        for values in cursor:
            row = dict(zip(names, values))
            seen += 1
            after = row["id"]
            run_id = row.pop("run_id")
            if run_id not in mirrors:
                run = log.get(run_id)
                mirrors[run_id] = run.base_url if run else None
            compression, data = row.pop("compression"), row.pop("data")
            same_as = {key: row.pop("same_as_" + key) for key in ("id", "url", "at", "size")}
            try:
                headers = json.loads(row["headers"] or "{}")
            except ValueError:
                headers = {}
            row.update(
                headers=headers if isinstance(headers, dict) else {},
                body=None if data is None else (zlib.decompress(data) if compression == "zlib" else bytes(data)),
                same_as=None if same_as["id"] is None else {"id": same_as["id"], "url": same_as["url"],
                                                             "fetched_at": same_as["at"], "size": same_as["size"]},
                mirror=mirrors[run_id],
            )
            yield row
        if seen < chunk:
            return


def stored_images(conn, store: Path) -> Iterator[dict]:
    """Every image whose bytes the images store holds (``store``: ``scraper.storage.images.store_dir`` of
    the archive), once per file and URL (an image in many articles, or refetched unchanged, is one), by
    hash then URL, streamed from a cursor. Each: ``{url, sha256, content_type, stored_at, path}``:
    ``stored_at`` when those bytes were first stored for that URL, ``path`` the file, or None when the
    store has lost it. Nothing for an archive made before migration 0014 (no local copies)."""
    if "sha256" not in _db(conn)["images"].columns_dict:
        return
    cursor = conn.execute(
        "SELECT url, sha256, min(content_type) AS content_type, min(stored_at) AS stored_at FROM images"
        " WHERE sha256 IS NOT NULL GROUP BY sha256, url ORDER BY sha256, url")
    for url, sha256, content_type, stored_at in cursor:
        yield {"url": url, "sha256": sha256, "content_type": content_type, "stored_at": stored_at,
               "path": image_store.find(store, sha256)}


# The kept body joined in; for a fetch without one, the first fetch whose kept body is the same bytes
# (pages.body_sha256 is indexed: one lookup per such fetch).
_STORED_PAGES_SQL = """\
SELECT p.id, p.url, p.status, p.headers, p.fetched_at, p.sha256, p.run_id, b.compression, b.data,
  same.id AS same_as_id, same.url AS same_as_url, same.fetched_at AS same_as_at,
  (SELECT s.size FROM page_bodies s WHERE p.body_sha256 IS NULL AND s.sha256 = p.sha256) AS same_as_size
FROM pages p
LEFT JOIN page_bodies b ON b.sha256 = p.body_sha256
LEFT JOIN pages same ON p.body_sha256 IS NULL AND same.id =
  (SELECT k.id FROM pages k WHERE k.body_sha256 = p.sha256 ORDER BY k.id LIMIT 1)
WHERE p.id > ?
ORDER BY p.id
LIMIT ?"""
