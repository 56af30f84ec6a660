"""The schema for a 200k archive (issue 13, migration 0010): it upgrades an archive of the schema before
it, and a kill halfway leaves that schema intact; the link counts behind most_linked stay equal to a
count of related_links through every write; `ldtd stats` and `ldtd export` read indexes and chunks."""

import os
import signal
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlite_utils import Database

from scraper.cli.stats import stats

from scraper.parsing.model import RelatedLink
from scraper.storage import Archive, read
from scraper.storage.migrations import VIEWS_0008
from scraper.storage.schema import migrate
from scraper.storage.search import search

from .conftest import make_article, old_archive

MIGRATION = "0010_indexes_and_link_counts"
URL = "https://laodongthudo.vn/bai-{}.html"
T1, T2 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00"
METADATA = Path(__file__).resolve().parents[2] / "scraper" / "datasette" / "metadata.yaml"


def links_of(i: int, shift: int = 0) -> list[RelatedLink]:
    """Article i's links: five to articles 1001..1050 (the last ten never archived), one to another host,
    and for every fifth article a second link to 1001 in another block (2 links, 1 linking article)."""
    related = [RelatedLink(URL.format(1001 + (i * 7 + k + shift) % 50), f"T{k}", "Tin khác", k + 1) for k in range(5)]
    related.append(RelatedLink("https://other.example/bai-1001.html", "elsewhere", "Xem nhiều", 9))
    if i % 5 == 0:
        related.append(RelatedLink(URL.format(1001), "again", "Xem nhiều", 10))
    return related


def fill(archive, n: int = 40):
    for i in range(n):
        aid = 1001 + i
        archive.save_article(make_article(aid, url=URL.format(aid), related=links_of(i),
                                          published_at=f"2026-11-{1 + i % 28:02d}T08:00:00+07:00",
                                          category=("Thời sự", "Kinh tế")[i % 2], author=("An", "Bình", "Chi")[i % 3]),
                             fetched_at=T1)


def recounted(db) -> dict:
    """Per URL (links, linking articles, target), counted from related_links itself."""
    return {r[0]: tuple(r[1:]) for r in db.execute(
        "SELECT url, count(*), count(DISTINCT article_id), max(target_id) FROM related_links GROUP BY url")}


def kept(db) -> dict:
    return {r[0]: tuple(r[1:]) for r in db.execute("SELECT url, links, linking_articles, target_id FROM related_url_counts")}


def by_url(rows) -> list[tuple]:
    return sorted((tuple(r) for r in rows), key=lambda r: r[2])  # (id, title, url, ...): one row per url


def most_linked_0008(db) -> list[tuple]:
    return by_url(db.execute(VIEWS_0008["most_linked"]))


def test_upgrade_from_the_schema_before_keeps_answers_and_search(db_path):
    db = old_archive(db_path, MIGRATION, fill)
    before = most_linked_0008(db)
    assert not db["related_url_counts"].exists()
    assert MIGRATION in migrate(db)
    assert kept(db) == recounted(db) and len(kept(db)) == 51
    assert by_url(r.values() for r in read.most_linked(db, limit=1000)) == before
    # the top rows come from the counts' index, not from grouping related_links
    plan = " ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM most_linked LIMIT 100"))
    assert "idx_related_url_counts_links" in plan and "TEMP B-TREE" not in plan
    # the full-text index still answers, and follows an edit through its triggers
    assert {r["id"] for r in search(db, "dao tao", limit=100)} == set(range(1001, 1041))
    db.execute("UPDATE articles SET title = 'Khánh thành cầu vượt', title_folded = 'khanh thanh cau vuot' WHERE id = 1007")
    assert [r["id"] for r in search(db, "cau vuot")] == [1007]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_every_sort_the_table_pages_offer_and_pages_by_fetch_time_read_an_index(archive):
    fill(archive, 5)
    tables = yaml.safe_load(METADATA.read_text())["databases"]["archive"]["tables"]
    offered = {t: cfg["sortable_columns"] for t, cfg in tables.items() if "sortable_columns" in cfg}
    assert {"articles", "pages", "related_links"} <= set(offered)
    assert "fetched_at" in offered["pages"]
    for table, columns in offered.items():
        for column in columns:
            plan = " ".join(r[3] for r in archive.db.execute(
                f'EXPLAIN QUERY PLAN SELECT * FROM "{table}" ORDER BY "{column}" DESC LIMIT 50'))
            assert "TEMP B-TREE" not in plan, (table, column, plan)
    # the facets under a month filter read a covering index, not the articles' rows
    plan = " ".join(r[3] for r in archive.db.execute(
        "EXPLAIN QUERY PLAN SELECT author, count(*) FROM articles WHERE published_at LIKE '2026-11%' GROUP BY author"))
    assert "COVERING INDEX" in plan, plan


def test_link_counts_follow_every_write(archive):
    fill(archive)
    assert kept(archive.db) == recounted(archive.db)
    # changed sidebars (links rewritten), an article whose earlier links named it archived at last
    for i in range(0, 40, 3):
        archive.save_article(make_article(1001 + i, url=URL.format(1001 + i), related=links_of(i, shift=2)),
                             fetched_at=T2)
    archive.save_article(make_article(1045, url=URL.format(1045), related=[]), fetched_at=T2)
    # a link moved in place, one deleted, and the last link of an URL gone
    archive.db.execute("UPDATE related_links SET url = ?, linked_id = 1049, target_id = NULL"
                       " WHERE id = (SELECT min(id) FROM related_links)", [URL.format(1049)])
    archive.db.execute("DELETE FROM related_links WHERE id = (SELECT max(id) FROM related_links)")
    archive.db.execute("DELETE FROM related_links WHERE url = ?", ["https://other.example/bai-1001.html"])
    counts = kept(archive.db)
    assert counts == recounted(archive.db)
    assert counts[URL.format(1045)][2] == 1045 and counts[URL.format(1046)][2] is None
    assert "https://other.example/bai-1001.html" not in counts
    assert most_linked_0008(archive.db) == by_url(r.values() for r in read.most_linked(archive.db, 1000))


def test_stats_counts_are_those_of_the_rows(archive):
    fill(archive)
    db = archive.db
    db.execute("UPDATE articles SET extraction_strategy = 'fallback', extraction_warnings = '[\"no body\"]'"
               " WHERE id IN (1003, 1004)")
    db.execute("UPDATE articles SET gone_at = ? WHERE id = 1005", [T2])
    db.execute("UPDATE articles SET published_at = NULL WHERE id = 1006")
    db.execute("UPDATE articles SET body = '', word_count = 0 WHERE id = 1007")
    db.execute("DELETE FROM articles_fts")  # (the stats never read the text index)
    health = read.stats(db)["health"]
    one = lambda sql: db.execute(sql).fetchone()[0]
    assert health == {
        "fallback_or_metadata": one("SELECT count(*) FROM articles WHERE extraction_strategy != 'selectors'"),
        "with_warnings": 2, "gone": 1, "undated": 1,
        "empty_body": one("SELECT count(*) FROM articles WHERE coalesce(body, '') = ''"),
        "related_links": one("SELECT count(*) FROM related_links"),
        "related_not_archived": one("SELECT count(DISTINCT url) FROM related_links WHERE target_id IS NULL"),
        "failed_fetches": one("SELECT count(*) FROM pages WHERE status >= 400 OR status IS NULL"),
        "changed_articles": 0, "versions": 0,
    }
    assert health["fallback_or_metadata"] == 2 and health["related_not_archived"] == 11


def test_export_selection_streams_in_its_documented_order(archive):
    fill(archive)
    db = archive.db
    ids = read.iter_ids(db)
    assert not isinstance(ids, list)
    newest_first = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY published_at DESC, id DESC")]
    assert list(ids) == newest_first
    # a query: ranked with a small limit, every match newest id first without one
    assert read.select_ids(db, "dao tao", limit=5) == [r["id"] for r in search(db, "dao tao", limit=5)]
    assert read.select_ids(db, "dao tao") == list(range(1040, 1000, -1))
    assert read.select_ids(db, "dao tao", category="Kinh tế", author="An") == [
        i for i in range(1040, 1000, -1) if (i - 1001) % 2 == 1 and (i - 1001) % 3 == 0]
    assert read.select_ids(db, "khong co dau") == []
    # records come a chunk at a time, the same as one by one, unknown ids skipped
    wanted = [1005, 4242, 1001, 1030]
    assert list(read.records(db, wanted, chunk=3)) == [archive.record(i) for i in (1005, 1001, 1030)]


def test_export_memory_does_not_grow_with_the_selection(tmp_path):
    """Peak traced memory of reading every record of a query's matches (what `ldtd export --query` does):
    the same for 240 matches as for 60 (the records are read 20 at a time)."""
    def peak(n: int) -> int:
        with Archive.open(tmp_path / f"a{n}.db") as archive:
            big = "Công tác đào tạo được chú trọng. " * 300  # ~10 KB of text per article
            for i in range(n):
                archive.save_article(make_article(2001 + i, url=URL.format(2001 + i), body=big + str(i), related=[]),
                                     fetched_at=T1)
            tracemalloc.start()
            count = sum(1 for _ in read.records(archive.db, read.iter_ids(archive.db, "dao tao"), chunk=20))
            _, top = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert count == n
        return top

    small, large = peak(60), peak(240)
    assert large < small * 1.3, (small, large)


KILLER = textwrap.dedent("""
    import os, signal, sys
    from sqlite_utils import Database
    from scraper.storage.schema import migrate
    db = Database(sys.argv[1])
    steps = [0]
    def tick():
        steps[0] += 1
        if steps[0] == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
    db.conn.set_progress_handler(tick, 100)
    migrate(db)
    print(steps[0])
""")


def test_a_migration_killed_halfway_leaves_the_schema_before_it(db_path, tmp_path):
    old_archive(db_path, MIGRATION, lambda a: fill(a, 30)).close()
    before = db_path.read_bytes()
    run = lambda path, at: subprocess.run([sys.executable, "-c", KILLER, str(path), str(at)], capture_output=True,
                                          text=True, cwd=Path(__file__).resolve().parents[2])
    dry = tmp_path / "dry.db"
    dry.write_bytes(before)
    done = run(dry, 0)
    assert done.returncode == 0, done.stderr
    total = int(done.stdout)  # progress ticks (100 VM steps each) of the whole upgrade
    assert total > 50
    for share in (0.2, 0.5, 0.9):
        copy = tmp_path / f"killed-{share}.db"
        copy.write_bytes(before)
        killed = run(copy, int(total * share))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        db = Database(copy)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert MIGRATION not in {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")}
        assert not db["related_url_counts"].exists()
        assert MIGRATION in migrate(db)  # and the next open upgrades it
        assert kept(db) == recounted(db)
        db.close()


def test_stats_of_an_archive_from_before_says_to_upgrade_it(db_path):
    old_archive(db_path, MIGRATION, lambda a: fill(a, 3)).close()
    result = CliRunner().invoke(stats, ["--db", str(db_path)])
    assert result.exit_code == 1 and "made by an older ldtd" in result.output and "Traceback" not in result.output
