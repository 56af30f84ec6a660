"""The archive: every write the crawler makes, through sqlite-utils, in transactions.

One fetch (raw page + article + related links + images + tags + earlier version) is atomic; wrap
many in ``Archive.batch()`` to commit them together. Only this package knows the schema.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from scraper.parsing.errors import OPEN_END_WARNING
from scraper.parsing.model import RECORD_KEYS, Article
from scraper.text import fold, normalize_iso, now_iso
from scraper.urls import article_id as url_article_id
from scraper.urls import is_site_host

from . import runs, schema
from .schema import dumps
from .usable import check_writable_archive

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"
# save_article's answers when it writes nothing: a page fetched under another article's URL names an archived
# article whose text differs (``requested_url``), or the transfer may have cut the page and a whole copy is
# archived (``cut_transfer``)
CONFLICT, INCOMPLETE = "conflict", "incomplete"
# In extraction.warnings of a record stored from a transfer that may have been cut (no Content-Length, the
# connection closed, the page without its end tags) because no whole copy was archived: such a record is
# no whole copy itself, and the crawler refetches it (``known()``'s "refetch").
CUT_TRANSFER_WARNING = "transfer: ended without Content-Length before the page's end tags; refetched next run"

# The record's content: what a version is about. Not fetch times, not how it was extracted, and not
# the site's navigation around the article.
CONTENT_FIELDS = (
    "url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
    "category", "category_url", "tags", "images", "related",
)
# The related blocks that belong to the article as written: "inline", the boxes in and above the body
# that the editor placed with the text (an added or changed one is an edit of the article). Every other
# block ("Xem nhiều", "Tin khác", the lists after the body, prev/next) is the site's navigation, which
# changes hourly: kept current in related_links on every fetch, never a reason for a version.
CONTENT_RELATED_BLOCKS = frozenset({"inline"})
ARTICLE_COLUMNS = (
    "url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
    "category", "category_url",
)
_EXTRACTION_COLUMNS = ("extraction_strategy", "extraction_template", "extraction_warnings", "extraction_fields")
# of the headers an item keeps (scraper.items.KEPT_HEADERS), those a pages row stores: what a refetch
# asks with, what the WARC export and a redirect need
STORED_HEADERS = ("content-type", "last-modified", "etag", "location")
# zlib level of raw pages: 1 compresses a ~40 KB article page in ~0.2 ms (level 6: ~0.6 ms) for a
# blob ~10 % larger; decompression does not care which level wrote it
ZLIB_LEVEL = 1


def content_hash(record: Mapping[str, Any]) -> str:
    """sha256 over the record's content fields, canonical JSON: equal content, equal hash."""
    content = {k: record.get(k) for k in CONTENT_FIELDS}
    content["tags"] = list(content["tags"] or [])
    content["images"] = [_image(i) for i in content["images"] or []]
    content["related"] = [r for r in map(_related, content["related"] or []) if r["block"] in CONTENT_RELATED_BLOCKS]
    return hashlib.sha256(dumps(content).encode()).hexdigest()


def _image(i) -> dict:
    i = i if isinstance(i, Mapping) else vars(i)
    return {"url": i["url"], "caption": i.get("caption") or "", "alt": i.get("alt") or ""}


def _related(r) -> dict:
    r = r if isinstance(r, Mapping) else vars(r)
    return {"url": r["url"], "title": r.get("title") or "", "block": r.get("block") or "", "position": r.get("position")}


def as_record(article: Article | Mapping[str, Any]) -> dict:
    # an Article's fields read directly: asdict() deep-copies every nested object (~0.4 ms a record),
    # and every nested value is rebuilt below anyway
    record = {k: getattr(article, k) for k in RECORD_KEYS} if isinstance(article, Article) else dict(article)
    record["tags"] = list(record.get("tags") or [])
    record["images"] = [_image(i) for i in record.get("images") or []]
    record["related"] = [_related(r) for r in record.get("related") or []]
    ex = record.get("extraction") or {}
    ex = ex if isinstance(ex, Mapping) else vars(ex)
    record["extraction"] = {
        "strategy": ex.get("strategy"), "template": ex.get("template"), "warnings": list(ex.get("warnings") or []),
        "fields": dict(ex.get("fields") or {}),
    }
    return record


def linked_article_id(url: str) -> int | None:
    """The id of the archived site's article a related link names (related_links.linked_id), else None:
    only laodongthudo.vn (and www.) links; a sister subdomain or another paper numbers its own articles."""
    host = urlsplit(url).hostname
    if host is not None and not is_site_host(host):
        return None
    return url_article_id(url)


def tag_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def _headers(headers) -> dict:
    """The headers that matter, lower-cased names, str values; accepts dicts and Scrapy Headers."""
    out = {}
    if not headers:
        return out
    items = headers.items() if hasattr(headers, "items") else headers
    for k, v in items:
        k = k.decode("latin-1") if isinstance(k, bytes) else str(k)
        if k.lower() not in STORED_HEADERS:
            continue
        if isinstance(v, (list, tuple)):
            v = v[0] if v else ""
        out[k.lower()] = v.decode("latin-1") if isinstance(v, bytes) else str(v)
    return out


class Archive:
    """The SQLite archive. ``Archive.open(path)`` creates or migrates it."""

    def __init__(self, db: Database, path: str | None = None):
        self.db = db
        self.path = path
        # (page id, sha256) of the last record_fetch, until the save_article of that page decides
        # whether its body is needed (see record_fetch)
        self._undecided: tuple[int, str] | None = None

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 10_000, migrate: bool = True) -> "Archive":
        check_writable_archive(path)  # before anything is written: never into another program's file
        db = Database(path)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
        db.execute("PRAGMA foreign_keys = ON")
        if migrate:
            schema.migrate(db)
        return cls(db, str(path))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------
    @contextlib.contextmanager
    def batch(self) -> Iterator["Archive"]:
        """Group many writes in one transaction: all of them are committed, or (on an exception) none."""
        with self.db.atomic():
            yield self

    # -- runs (the run log is ``scraper.storage.runs``'s: these build its record) ---------------------
    def start_run(self, mode: str, args: Mapping[str, Any] | None = None, started_at: str | None = None) -> int:
        """Record a run of a tool that writes the archive (a reparse...); a crawl records a `RunRecord`."""
        return runs.start(self.db, runs.RunRecord(mode=mode, started_at=started_at, options=dict(args or {})))

    def finish_run(
        self,
        run_id: int,
        outcome: str,
        counts: Mapping[str, int] | None = None,
        errors: Iterable[Any] | None = None,
        summary: str | None = None,
        finished_at: str | None = None,
    ) -> None:
        """How that run ended; ``errors``: reasons, or dicts with a reason (or error), url, article_id."""
        failures = [runs.Failure(reason=str(e.get("reason") or e.get("error") or ""), url=e.get("url"),
                                 article_id=e.get("article_id"), count=e.get("count"))
                    if isinstance(e, Mapping) else runs.Failure(reason=str(e)) for e in errors or ()]
        record = runs.RunRecord(mode="", id=run_id, outcome=outcome, counts=dict(counts or {}), summary=summary,
                                failures=failures, finished_at=finished_at)
        runs.finish(self.db, record)

    # -- raw pages ----------------------------------------------------------------------------
    def record_fetch(
        self,
        url: str,
        body: bytes | str | None,
        status: int = 200,
        headers: Any = None,
        fetched_at: str | None = None,
        article_id: int | None = None,
        run_id: int | None = None,
    ) -> int:
        """Store one raw fetch: a ``pages`` row (status, headers, time, sha256 of the bytes, run) and its
        body, compressed, stored once per distinct content. Returns the page id.

        The body is kept only where a record needs it: when the ``save_article`` that follows, on this
        Archive and with this page id, finds the record unchanged or rejects it, the body is dropped
        again (``body_sha256`` NULL; the record's own page, ``articles.page_id``, holds that article).
        A fetch no record follows (a parse failure, a 404) keeps its body."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        body = body or b""
        digest = hashlib.sha256(body).hexdigest()
        kept = _headers(headers)
        if article_id is None:
            article_id = url_article_id(url)
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO page_bodies (sha256, size, compression, data) VALUES (?, ?, 'zlib', ?)",
                [digest, len(body), zlib.compress(body, ZLIB_LEVEL)],
            )
            page_id = self.db.execute(
                _INSERT_PAGE,
                [url, article_id, status, kept.get("content-type"), dumps(kept), fetched_at or now_iso(), digest,
                 digest, run_id],
            ).lastrowid
        self._undecided = (page_id, digest)
        return page_id

    def page_body(self, page_id: int) -> bytes | None:
        """The raw bytes of a fetch, decompressed: what a record can be rebuilt from. None when there is
        no such page or its body was not kept (``pages.body_sha256`` NULL: an unchanged refetch)."""
        row = self.db.execute(
            "SELECT b.compression, b.data FROM pages p JOIN page_bodies b ON b.sha256 = p.body_sha256 WHERE p.id = ?",
            [page_id],
        ).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[1]) if row[0] == "zlib" else row[1]

    def _decide_body(self, page_id: int | None, result: str, existing: Mapping[str, Any] | None) -> None:
        """After save_article: drop the body of the fetch just recorded when no record needs it."""
        undecided, self._undecided = self._undecided, None
        if page_id is None or undecided is None or undecided[0] != page_id or result not in (UNCHANGED, REJECTED):
            return
        own = existing["page_id"] if existing else None
        if own is None or self.db.execute(
            "SELECT 1 FROM pages WHERE id = ? AND body_sha256 IS NOT NULL", [own]
        ).fetchone() is None:
            if result == UNCHANGED:  # the record has no kept page: this one is what rebuilds it
                self.db.execute("UPDATE articles SET page_id = ? WHERE id = ?", [page_id, existing["id"]])
                return
        digest = undecided[1]
        self.db.execute("UPDATE pages SET body_sha256 = NULL WHERE id = ?", [page_id])
        self.db.execute(
            "DELETE FROM page_bodies WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM pages WHERE body_sha256 = ?)",
            [digest, digest],
        )

    # -- articles -----------------------------------------------------------------------------
    def save_article(
        self,
        article: Article | Mapping[str, Any],
        fetched_at: str | None = None,
        page_id: int | None = None,
        run_id: int | None = None,
        *,
        requested_url: str | None = None,
        cut_transfer: bool = False,
    ) -> str:
        """Store a parsed record: "new", "updated" (earlier state kept in article_versions), "unchanged"
        (only last_fetched_at touched) or "rejected" (an empty body never replaces an archived one).

        ``requested_url``: the page was fetched at another article's URL and says it is this one. The
        alias is recorded (``aliases``), and the record is stored only if the article is not archived yet
        or its archived title, lead and body are the same; else nothing is written: "conflict". The fetch
        (``page_id``) is then filed under this article, whose page it is.
        ``cut_transfer``: the transfer may have cut the page (no Content-Length, the connection closed, no
        end tags): nothing is written over an archived whole copy ("incomplete"); without one the record
        is stored, marked ``CUT_TRANSFER_WARNING``."""
        record = as_record(article)
        fetched_at = fetched_at or now_iso()
        aid = int(record["id"])
        with self.db.atomic():
            if requested_url:
                self.record_alias(requested_url, aid, fetched_at)
            existing = self._row(aid)
            refusal = None
            if existing is not None and requested_url and any(
                    (record.get(c) or "") != (existing[c] or "") for c in ("title", "sapo", "body")):
                refusal = CONFLICT
            elif cut_transfer and existing is not None and not _cut_transfer(existing["extraction_warnings"]):
                refusal = INCOMPLETE
            if refusal is not None:
                self._undecided = None  # (the fetch keeps its body: no record follows it)
                return refusal
            if cut_transfer:
                record["extraction"]["warnings"].append(CUT_TRANSFER_WARNING)
            if existing is not None and (_rank(record["extraction"]["strategy"]) < _rank("selectors")
                                         or _open_end(record, existing)):
                record = self._fill_degraded(record, aid)
            digest = content_hash(record)
            result = self._save(record, digest, aid, existing, fetched_at, page_id, run_id)
            if requested_url and page_id is not None and result != REJECTED:
                self.db.execute("UPDATE pages SET article_id = ? WHERE id = ?", [aid, page_id])
            self._decide_body(page_id, result, existing)
            return result

    def _save(self, record, digest, aid, existing, fetched_at, page_id, run_id) -> str:
        if existing is None:
            row = self._article_row(record, digest)
            row.update(first_seen_at=fetched_at, last_fetched_at=fetched_at, last_changed_at=fetched_at,
                       page_id=page_id, run_id=run_id, gone_at=None)
            self.db.execute(_insert_sql("articles", tuple(row)), list(row.values()))
            self._write_children(aid, record)
            # links archived earlier that name this article now resolve to it
            self.db.execute(
                "UPDATE related_links SET target_id = linked_id WHERE linked_id = ? AND target_id IS NULL", [aid]
            )
            return NEW
        if _blank(record.get("body")) and not _blank(existing["body"]) or (
            _blank(record.get("title")) and not _blank(existing["title"])
        ):
            return REJECTED
        if (_rank(record["extraction"]["strategy"]) < _rank(existing["extraction_strategy"])
                or _open_end(record, existing)) and all(
            (record.get(c) or "") == (existing[c] or "") for c in ("title", "sapo", "body")
        ):
            # a worse reading (a redesign the site templates do not know; a page that stops after its
            # article where the archived one was whole) of the same text: the archived record stays as it
            # is, related links included
            self.db.execute(
                "UPDATE articles SET last_fetched_at = ?, gone_at = NULL WHERE id = ?", [fetched_at, aid]
            )
            return UNCHANGED
        if existing["content_hash"] == digest:
            ex = record["extraction"]  # (not content: how the page was read this time)
            self.db.execute(
                "UPDATE articles SET last_fetched_at = ?, gone_at = NULL, extraction_strategy = ?,"
                " extraction_template = ?, extraction_warnings = ?, extraction_fields = ? WHERE id = ?",
                [fetched_at, ex["strategy"], ex["template"], dumps(ex["warnings"]), dumps(ex["fields"]), aid],
            )
            # the navigation around the article (not content): kept current, without a version
            if self._related_rows(aid) != _related_tuples(record["related"]):
                self._write_related(aid, record["related"])
            return UNCHANGED
        previous = self.record(aid)
        self.db["article_versions"].insert(
            {
                "article_id": aid,
                "content_hash": existing["content_hash"],
                "valid_from": existing["last_changed_at"] or existing["first_seen_at"],
                "valid_until": fetched_at,
                **{c: existing[c] for c in ARTICLE_COLUMNS},
                "page_id": existing["page_id"],
                "record": dumps(previous),
            }
        )
        row = self._article_row(record, digest)
        row.update(last_fetched_at=fetched_at, last_changed_at=fetched_at, page_id=page_id, run_id=run_id,
                   gone_at=None)
        self.db["articles"].update(aid, row)
        self._write_children(aid, record)
        return UPDATED

    def _fill_degraded(self, record: dict, aid: int) -> dict:
        """A degraded record (not read by a site template, or from a page that stops after its article
        where the archived one was whole) completed from the archived one: a field it
        left empty (lead, author, dates, category, tags, images) and a related block it did not find
        are the archived ones; what it did find wins. The degraded reader's gaps are not edits."""
        archived = self.record(aid)
        record = dict(record)
        kept = []
        for k in ("sapo", "author", "published_at", "updated_at", "category", "category_url"):
            if _blank(record.get(k)) and not _blank(archived[k]):
                record[k] = archived[k]
                kept.append(k)
        for k in ("tags", "images"):
            if not record[k]:
                record[k] = archived[k]
                kept.append(k)
        # a field kept from the archive was read the way the archived record says
        layers = archived["extraction"]["fields"]
        fields = dict(record["extraction"]["fields"])
        fields.update({k: layers[k] for k in kept if k in layers})
        record["extraction"] = {**record["extraction"], "fields": fields}
        blocks = {r["block"] for r in record["related"]}
        record["related"] = record["related"] + [r for r in archived["related"] if r["block"] not in blocks]
        return record

    def record_image_files(self, article_id: int, files: Mapping[str, Mapping[str, Any]]) -> int:
        """Name the local copy of an article's images: ``files`` maps an image URL (as the article's
        `images` rows hold it) to its ``sha256``, ``content_type``, ``bytes`` and ``stored_at`` (the
        images store's file, ``scraper.storage.images``), and the ``etag`` and ``last_modified`` the site
        sent with those bytes, if any. Returns the rows updated."""
        if not files:
            return 0
        with self.db.atomic():
            return sum(self.db.execute(
                "UPDATE images SET sha256 = ?, content_type = ?, bytes = ?, stored_at = ?, etag = ?,"
                " last_modified = ? WHERE article_id = ? AND url = ?",
                [f["sha256"], f["content_type"], f["bytes"], f["stored_at"], f.get("etag"), f.get("last_modified"),
                 article_id, url]).rowcount
                for url, f in files.items())

    def mark_gone(self, article_id: int, at: str | None = None) -> bool:
        """Mark an archived article as gone (404/410), keeping its content. False if unknown or already gone."""
        with self.db.atomic():
            cur = self.db.execute(
                "UPDATE articles SET gone_at = ? WHERE id = ? AND gone_at IS NULL", [at or now_iso(), article_id]
            )
            return cur.rowcount > 0

    def record_alias(self, url: str, article_id: int, seen_at: str | None = None) -> None:
        """Remember that the page fetched at ``url`` (another article's URL) said it is ``article_id``."""
        seen_at = seen_at or now_iso()
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO aliases (url, requested_id, article_id, first_seen_at, last_seen_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url, article_id) DO UPDATE SET last_seen_at ="
                " max(last_seen_at, excluded.last_seen_at)",
                [url, url_article_id(url), int(article_id), seen_at, seen_at],
            )

    def aliases(self, article_id: int | None = None) -> list[dict]:
        """The aliases recorded (of one article, the one the pages held), oldest first."""
        where, args = ("WHERE article_id = ?", [article_id]) if article_id is not None else ("", [])
        return list(self.db.query(
            f"SELECT url, requested_id, article_id, first_seen_at, last_seen_at FROM aliases {where}"
            " ORDER BY first_seen_at, url", args))

    # -- reads for the crawler --------------------------------------------------------------------
    def known(self, ids: Iterable[int]) -> dict[int, dict]:
        """What the archive knows of these ids: {id: {url, published_at, last_fetched_at, content_hash, gone_at,
        refetch}}; ``refetch``: the record was stored from a transfer that may have cut the page (no whole
        copy yet), to be fetched again."""
        ids = [int(i) for i in ids]
        out: dict[int, dict] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                "SELECT id, url, published_at, last_fetched_at, content_hash, gone_at,"
                f" instr(extraction_warnings, ?) > 0 AS refetch FROM articles WHERE id IN ({marks})",
                [dumps(CUT_TRANSFER_WARNING)[1:-1], *chunk],
            ):
                out[row.pop("id")] = row
        return out

    def recent(self, since_iso: str, include_gone: bool = False) -> list[dict]:
        """Articles published at or after ``since_iso``, newest first (the recrawl window); gone ones
        only with ``include_gone`` (the crawler rechecks them: a 404 may be transient).

        Stored times are all +07:00 and compared as text, so ``since_iso`` (any offset, "Z", naive or
        a date: Hanoi time) is re-expressed in +07:00 first."""
        since = normalize_iso(since_iso) or since_iso
        return list(
            self.db.query(
                "SELECT id, url, published_at, last_fetched_at, content_hash, gone_at FROM articles"
                " WHERE published_at >= ?" + ("" if include_gone else " AND gone_at IS NULL")
                + " ORDER BY published_at DESC",
                [since],
            )
        )

    def first_id_since(self, since_iso: str) -> int | None:
        """The smallest id archived among articles published at or after ``since_iso`` (ids grow with time:
        a link to a lower id leads back past that date)."""
        row = self.db.execute("SELECT min(id) FROM articles WHERE published_at >= ?", [since_iso]).fetchone()
        return row[0] if row else None

    def dangling_links(self, since_iso: str) -> list[str]:
        """Links from articles fetched since ``since_iso`` to articles not archived: what an interrupted run
        would have followed next."""
        rows = self.db.execute(
            "SELECT DISTINCT r.url FROM related_links r JOIN articles a ON a.id = r.article_id"
            " WHERE r.target_id IS NULL AND r.linked_id IS NOT NULL AND a.last_fetched_at >= ?",
            [since_iso],
        ).fetchall()
        return [r[0] for r in rows]

    def record(self, article_id: int) -> dict | None:
        """The archived record as ``Article.to_dict()`` gives it (plus nothing else), or None."""
        records = self.records([article_id])
        return records[0] if records else None

    def records(self, article_ids: list[int]) -> list[dict]:
        """The archived records of these ids (a chunk: one query per table for all of them, the ids bound
        as parameters, so keep it to a few hundred), in the order given; unknown ids skipped."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        # the record's columns only (not the folded copies of the text, nor the filter keys)
        columns = ("id", *ARTICLE_COLUMNS, *_EXTRACTION_COLUMNS)
        rows = {row[0]: dict(zip(columns, row)) for row in self.db.execute(
            f"SELECT {', '.join(columns)} FROM articles WHERE id IN ({marks})", ids)}
        children = {aid: {"tags": [], "images": [], "related": []} for aid in rows}
        for aid, name in self.db.execute(
            "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            f" WHERE at.article_id IN ({marks}) ORDER BY at.article_id, at.position", ids
        ):
            children[aid]["tags"].append(name)
        for aid, url, caption, alt in self.db.execute(
            f"SELECT article_id, url, caption, alt FROM images WHERE article_id IN ({marks})"
            " ORDER BY article_id, position", ids
        ):
            children[aid]["images"].append({"url": url, "caption": caption, "alt": alt})
        for aid, url, title, block, position in self.db.execute(
            f"SELECT article_id, url, title, block, position FROM related_links WHERE article_id IN ({marks})"
            " ORDER BY article_id, id", ids
        ):
            children[aid]["related"].append({"url": url, "title": title, "block": block, "position": position})
        out = []
        for aid in ids:
            row = rows.get(aid)
            if row is None:
                continue
            rec = {"url": row["url"], "id": row["id"]}
            for c in ARTICLE_COLUMNS[1:]:
                rec[c] = row[c]
            rec.update(children[aid])
            rec["extraction"] = {
                "strategy": row["extraction_strategy"],
                "template": row["extraction_template"],
                "warnings": json.loads(row["extraction_warnings"] or "[]"),
                "fields": json.loads(row["extraction_fields"] or "{}"),
            }
            out.append(rec)
        return out

    # -- internals --------------------------------------------------------------------------------
    def _row(self, article_id: int) -> dict | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        return rows[0] if rows else None

    @staticmethod
    def _article_row(record: dict, digest: str) -> dict:
        row = {"id": int(record["id"])}
        for c in ARTICLE_COLUMNS:
            row[c] = record.get(c)
        row["title"] = row["title"] or ""
        row.update(schema.folded(row))
        row[schema.FACETS_COLUMN] = schema.facets(row)
        ex = record["extraction"]
        row.update(
            extraction_strategy=ex["strategy"],
            extraction_template=ex["template"],
            extraction_warnings=dumps(ex["warnings"]),
            extraction_fields=dumps(ex["fields"]),
            content_hash=digest,
            word_count=schema.word_count(record.get("body")),
            image_count=len(record["images"]),
        )
        return row

    def _related_rows(self, aid: int) -> list[tuple]:
        return self.db.execute(
            "SELECT url, title, block, position FROM related_links WHERE article_id = ? ORDER BY id", [aid]
        ).fetchall()

    def _write_related(self, aid: int, related: list[dict]) -> None:
        db = self.db
        db.execute("DELETE FROM related_links WHERE article_id = ?", [aid])
        if related:
            ids = {r["url"]: linked_article_id(r["url"]) for r in related}
            present = {
                row[0]
                for row in db.execute(
                    f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(ids))})",
                    [i if i is not None else -1 for i in ids.values()],
                )
            }
            db.conn.executemany(
                _INSERT_RELATED,
                [(aid, r["block"], r["position"], r["url"], r["title"], ids[r["url"]],
                  ids[r["url"]] if ids[r["url"]] in present else None) for r in related],
            )

    def _write_children(self, aid: int, record: dict) -> None:
        db = self.db
        self._write_related(aid, record["related"])
        # an image still in the article keeps its local copy (the images store's file) across edits
        stored = {url: rest for url, *rest in db.execute(
            "SELECT url, sha256, content_type, bytes, stored_at, etag, last_modified FROM images"
            " WHERE article_id = ? AND sha256 IS NOT NULL", [aid])} if record["images"] else {}
        for table in ("images", "article_tags"):
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", [aid])
        if record["images"]:
            db.conn.executemany(
                _INSERT_IMAGE,
                [(aid, n, i["url"], i["caption"], i["alt"], *stored.get(i["url"], (None,) * 6))
                 for n, i in enumerate(record["images"], 1)],
            )
        seen = set()
        tags = []
        for name in record["tags"]:
            if name and name not in seen:
                seen.add(name)
                tags.append(name)
        for n, name in enumerate(tags, 1):
            db.execute("INSERT OR IGNORE INTO tags (name, slug) VALUES (?, ?)", [name, tag_slug(name)])
            tag_id = db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0]
            db.execute(
                "INSERT INTO article_tags (article_id, tag_id, position) VALUES (?, ?, ?)", [aid, tag_id, n]
            )


# The hot path's inserts as plain prepared statements (sqlite-utils' insert()/insert_all() inspect
# the table on every call: ~0.1 ms each, several per article). sqlite-utils still creates and
# migrates these tables (schema.py); the column lists here are the ones it created.
_INSERT_PAGE = (
    "INSERT INTO pages (url, article_id, status, content_type, headers, fetched_at, sha256, body_sha256, run_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_RELATED = (
    "INSERT INTO related_links (article_id, block, position, url, title, linked_id, target_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_IMAGE = (
    "INSERT INTO images (article_id, position, url, caption, alt, sha256, content_type, bytes, stored_at, etag,"
    " last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@functools.lru_cache(maxsize=16)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(columns))})'


def _related_tuples(related: list[dict]) -> list[tuple]:
    """A record's related links (as ``_related`` gives them) in the form ``_related_rows`` reads them back."""
    return [(r["url"], r["title"], r["block"], r["position"]) for r in related]


# how well a record was read: a site template's selectors, then page metadata, then the generic fallback
_RANKS = {"selectors": 2, "metadata": 1, "fallback": 0}


def _rank(strategy: str | None) -> int:
    return _RANKS.get(strategy or "", 0)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _open_end(record: dict, existing: Mapping[str, Any]) -> bool:
    """The record's page stops after its article (no end tags) where the archived record's page was whole."""
    return OPEN_END_WARNING in record["extraction"]["warnings"] and OPEN_END_WARNING not in json.loads(
        existing["extraction_warnings"] or "[]")


def _cut_transfer(warnings_json: str | None) -> bool:
    return CUT_TRANSFER_WARNING in json.loads(warnings_json or "[]")

