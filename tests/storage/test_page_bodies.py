"""Raw pages: a `pages` row for every fetch, but a body only where a record needs it.

Hourly refetches of unchanged articles differ in their bytes (the sidebar changes), so dedupe by
sha256 alone keeps a new ~20 KB body per article per hour. A body is kept for the first fetch and for
every fetch whose record is new or updated; an unchanged (or rejected) fetch keeps its row (status,
headers, time, sha256 of the bytes, run) without a body. Every archived record stays rebuildable from
the newest kept 2xx page of its article (``read.rebuild_pages``, what ``ldtd reparse`` reads)."""

import hashlib
import json
import zlib

from sqlite_utils import Database

from scraper.parsing.article import parse_article
from scraper.storage import Archive, content_hash, read
from scraper.storage.schema import migrate, migrations

from .conftest import make_article
from .replica_pages import records

T = ["2026-11-20T%02d:00:00+07:00" % h for h in range(10, 20)]
KEEP = "0005_page_bodies_only_where_needed"
HEADERS = {"Content-Type": "text/html; charset=utf-8", "ETag": '"v"'}


def hour(raw: bytes, n: int) -> bytes:
    """The same page an hour later: other bytes (the site's lists move), the same article."""
    return raw.replace(b"</body>", b"<!-- xem nhieu, gio %d -->\n</body>" % n)


def fetch_and_save(archive, url, raw, article, at, run_id=None):
    with archive.batch():
        pid = archive.record_fetch(url, raw, 200, HEADERS, at, run_id=run_id)
        return pid, archive.save_article(article, fetched_at=at, page_id=pid, run_id=run_id)


def bodies_size(db):
    return db.execute("SELECT count(*), coalesce(sum(length(data)), 0) FROM page_bodies").fetchone()


def test_unchanged_refetches_keep_a_row_but_no_body(archive):
    recs = records("base")
    run = archive.start_run("incremental")
    first = {}
    for url, raw, a in recs:
        pid, result = fetch_and_save(archive, url, raw, a, T[0], run)
        assert result == "new"
        first[a.id] = pid
    stored = bodies_size(archive.db)
    assert stored[0] == len(recs)
    for n in range(1, 6):  # five hourly runs: every page refetched, nothing changed but the bytes
        for url, raw, a in recs:
            again = hour(raw, n)
            pid, result = fetch_and_save(archive, url, again, parse_article(again, url), T[n], run)
            assert result == "unchanged"
            page = archive.db["pages"].get(pid)
            assert page["sha256"] == hashlib.sha256(again).hexdigest() and page["status"] == 200
            assert page["fetched_at"] == T[n] and page["run_id"] == run
            assert json.loads(page["headers"])["etag"] == '"v"'
            assert page["body_sha256"] is None and archive.page_body(pid) is None
    assert archive.db["pages"].count == 6 * len(recs)
    assert bodies_size(archive.db) == stored  # no growth at all
    # every record still rebuilds from the newest kept page of its article, the one that produced it
    rebuild = {aid: pages[0] for aid, pages in read.rebuild_pages(archive.db)}
    assert set(rebuild) == {a.id for *_, a in recs}
    for aid, p in rebuild.items():
        assert p["page_id"] == first[aid] == archive.db["articles"].get(aid)["page_id"]
        again = parse_article(archive.page_body(p["page_id"]), p["url"])
        assert content_hash(again.to_dict()) == archive.db["articles"].get(aid)["content_hash"]
    assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_updated_fetch_keeps_its_body_and_is_the_one_to_rebuild_from(archive):
    base = {a.id: (url, raw, a) for url, raw, a in records("base")}
    day2 = {a.id: (url, raw, a) for url, raw, a in records("day2")}
    edited = [i for i in base if i in day2 and content_hash(base[i][2].to_dict()) != content_hash(day2[i][2].to_dict())]
    assert edited
    for url, raw, a in base.values():
        fetch_and_save(archive, url, raw, a, T[0])
    for i in edited:
        url, raw, a = day2[i]
        pid, result = fetch_and_save(archive, url, raw, a, T[1])
        assert result == "updated" and archive.page_body(pid) == raw
        pid3, result = fetch_and_save(archive, url, hour(raw, 3), a, T[2])
        assert result == "unchanged" and archive.page_body(pid3) is None
        # the version keeps the page that produced it, with its body
        version = archive.db.execute("SELECT page_id FROM article_versions WHERE article_id = ?", [i]).fetchone()
        assert archive.page_body(version[0]) == base[i][1]
        rebuild = {aid: pages[0]["page_id"] for aid, pages in read.rebuild_pages(archive.db)}
        assert rebuild[i] == pid == archive.db["articles"].get(i)["page_id"]


def test_same_bytes_as_a_kept_page_share_its_body(archive):
    url, raw, a = records("base")[0]
    p1, _ = fetch_and_save(archive, url, raw, a, T[0])
    p2, result = fetch_and_save(archive, url, raw, a, T[1])  # byte-identical refetch
    assert result == "unchanged" and archive.page_body(p2) is None
    assert archive.page_body(p1) == raw and archive.db["page_bodies"].count == 1


def test_a_record_without_a_kept_page_keeps_the_next_fetch(archive):
    url, raw, a = records("base")[0]
    archive.save_article(a, fetched_at=T[0])  # archived without a page (e.g. before pages were recorded)
    pid, result = fetch_and_save(archive, url, raw, a, T[1])
    assert result == "unchanged" and archive.page_body(pid) == raw
    assert archive.db["articles"].get(a.id)["page_id"] == pid
    pid2, _ = fetch_and_save(archive, url, hour(raw, 2), a, T[2])
    assert archive.page_body(pid2) is None


def test_rejected_fetch_keeps_no_body_and_failed_parses_keep_theirs(archive):
    art = make_article()
    archive.save_article(art, fetched_at=T[0])
    with archive.batch():
        pid = archive.record_fetch(art.url, b"<html><body>cut", 200, None, T[1])
        assert archive.save_article(make_article(body="", body_html=""), fetched_at=T[1], page_id=pid) == "rejected"
    assert archive.page_body(pid) is None
    # a fetch no record followed (a parse failure, a 404) keeps its body: nothing decided it is not needed
    failed = archive.record_fetch(art.url, b"<html>new template</html>", 200, None, T[2])
    assert archive.page_body(failed) == b"<html>new template</html>"


def test_reparse_of_a_kept_page_never_drops_it(archive):
    url, raw, a = records("base")[0]
    pid, _ = fetch_and_save(archive, url, raw, a, T[0])
    fetch_and_save(archive, url, hour(raw, 1), a, T[1])
    # what `ldtd reparse` does: parse the kept page again and save with its page id
    for _, (p, *_) in read.rebuild_pages(archive.db):
        assert archive.save_article(parse_article(archive.page_body(p["page_id"]), url), fetched_at=T[1],
                                    page_id=p["page_id"]) == "unchanged"
    assert archive.page_body(pid) == raw


def test_upgrade_keeps_every_stored_body(db_path):
    db = Database(db_path)
    migrate(db, stop_before=KEEP)
    html = b"<html><body>" + "Hà Nội ".encode() * 500 + b"</body></html>"
    digest = hashlib.sha256(html).hexdigest()
    db["page_bodies"].insert({"sha256": digest, "size": len(html), "compression": "zlib", "data": zlib.compress(html)})
    for n in range(3):
        db["pages"].insert({"url": "https://laodongthudo.vn/a-1001.html", "article_id": 1001, "status": 200,
                            "headers": "{}", "fetched_at": T[n], "sha256": digest})
    db.close()
    archive = Archive.open(db_path)
    assert KEEP in {m.name for m in migrations.applied(archive.db)}
    assert [archive.page_body(i) for i in (1, 2, 3)] == [html] * 3
    assert [r["sha256"] for r in archive.db["pages"].rows] == [digest] * 3
    assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []
    # the upgraded archive works as a new one does
    url, raw, a = records("base")[0]
    p1, _ = fetch_and_save(archive, url, raw, a, T[4])
    p2, _ = fetch_and_save(archive, url, hour(raw, 5), a, T[5])
    assert archive.page_body(p1) == raw and archive.page_body(p2) is None
    archive.close()
