"""The sitemaps' validators in the run log (`scraper.storage.runs`, migration 0016), on a real SQLite file:
kept only from a run that ended clean, in the transaction recording its end; a crashed, degraded, holed or
failing run leaves the last clean run's; and 0016 upgrades an archive of the schema before it."""

from __future__ import annotations

from sqlite_utils import Database

from scraper.storage import Archive, runs
from scraper.storage.runs import RunLog, RunRecord

from .conftest import crawl, make_article, old_archive

SITEMAP = "https://laodongthudo.vn/sitemaps/sitemap-news-2026.xml"
FEED = "https://laodongthudo.vn/rss/home.rss"
FIRST = {"etag": '"one"', "last_modified": "Wed, 25 Nov 2026 02:00:00 GMT", "sha256": "1" * 64}
SECOND = {"etag": '"two"', "last_modified": None, "sha256": "2" * 64}
ZERO = dict.fromkeys(runs.COUNTS, 0)


def run(db, sitemaps_read, outcome="ok", counts=None, **ending) -> RunRecord:
    """An hourly run that read `sitemaps_read`, ending with `outcome` ("running": killed)."""
    return crawl(db, walk="incremental", outcome=outcome, sitemaps_read=sitemaps_read,
                 counts={**ZERO, **(counts or {})}, **ending)


def test_a_clean_run_leaves_its_validators_and_a_later_one_replaces_them(tmp_path):
    with Archive.open(tmp_path / "a.db") as archive:
        first = run(archive.db, {SITEMAP: FIRST, FEED: SECOND})
        assert RunLog(archive.db).sitemap_validators() == {SITEMAP: FIRST, FEED: SECOND}
        second = run(archive.db, {SITEMAP: SECOND})  # the feed was unchanged (a 304): not read, kept
        assert RunLog(archive.db).sitemap_validators() == {SITEMAP: SECOND, FEED: SECOND}
        rows = {r["url"]: r for r in archive.db.query("SELECT url, run_id, read_at FROM sitemap_validators")}
    assert rows[SITEMAP]["run_id"] == second.id and rows[FEED]["run_id"] == first.id
    assert rows[SITEMAP]["read_at"] == second.finished_at


def test_a_run_that_did_not_end_clean_leaves_the_last_clean_runs(tmp_path):
    with Archive.open(tmp_path / "a.db") as archive:
        run(archive.db, {SITEMAP: FIRST})
        run(archive.db, {SITEMAP: SECOND}, outcome="running")  # killed
        run(archive.db, {SITEMAP: SECOND}, outcome="interrupted")
        run(archive.db, {SITEMAP: SECOND}, outcome="degraded")
        run(archive.db, {SITEMAP: SECOND}, outcome="failed")
        run(archive.db, {SITEMAP: SECOND}, counts={"failed": 1})  # ok, but an article it was handed failed
        run(archive.db, {SITEMAP: SECOND}, walk_incomplete=2, holes={"https://laodongthudo.vn/the-thao": 1})
        run(archive.db, {SITEMAP: SECOND}, storage_failed=3)
        assert RunLog(archive.db).sitemap_validators() == {SITEMAP: FIRST}


def test_no_archive_or_no_table_remembers_nothing(tmp_path):
    assert RunLog(None).sitemap_validators() == {}
    db = Database(tmp_path / "plain.db")
    db["crawl_runs"].create({"id": int}, pk="id")
    assert RunLog(db).sitemap_validators() == {}


def test_0016_upgrades_an_archive_of_the_schema_before_it(tmp_path):
    path = tmp_path / "archive.db"

    def fill(archive):
        archive.start_run("incremental", {})
        archive.save_article(make_article(), fetched_at="2026-11-20T10:00:00+07:00")

    db = old_archive(path, "0016_sitemap_validators", fill)
    assert not db["sitemap_validators"].exists()
    before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    with Archive.open(path) as archive:  # migrates
        assert archive.db["sitemap_validators"].exists()
        assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == before == 1
        assert RunLog(archive.db).sitemap_validators() == {}
        run(archive.db, {SITEMAP: FIRST})
        assert RunLog(archive.db).sitemap_validators() == {SITEMAP: FIRST}
