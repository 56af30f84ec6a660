"""Batches are all-or-nothing; a process killed with SIGKILL mid-write leaves a consistent archive."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from scraper.storage import Archive
from scraper.storage.schema import migrations
from scraper.storage.search import search

from .conftest import make_article


class Boom(Exception):
    pass


def test_exception_mid_batch_rolls_back_that_batch_only(archive):
    with archive.batch():
        for aid in (1, 2):
            archive.record_fetch(make_article(aid).url, b"page", fetched_at="2026-11-20T10:00:00+07:00")
            archive.save_article(make_article(aid))
    run = archive.start_run("backfill")
    with pytest.raises(Boom):
        with archive.batch():
            archive.save_article(make_article(3))
            archive.save_article(make_article(1, title="Sửa tiêu đề"))  # an update, with a version
            archive.mark_gone(2)
            archive.record_fetch(make_article(3).url, b"page 3")
            raise Boom()
    db = archive.db
    assert sorted(r["id"] for r in db["articles"].rows) == [1, 2]
    assert db["articles"].get(1)["title"] == make_article(1).title
    assert db["articles"].get(2)["gone_at"] is None
    assert db["article_versions"].count == 0 and db["pages"].count == 2
    assert db["crawl_runs"].get(run)["outcome"] == "running"  # committed before the failed batch
    assert search(db, "sua tieu de") == []
    # the archive is usable afterwards, and the next batch commits
    with archive.batch():
        assert archive.save_article(make_article(3)) == "new"
    assert db["articles"].count == 3


def test_a_failing_write_inside_a_batch_leaves_earlier_writes_of_that_batch_to_the_caller(archive):
    # each save is atomic on its own (a savepoint): a write that fails does not half-apply
    with archive.batch():
        archive.save_article(make_article(1))
        with pytest.raises(Exception):
            archive.save_article(make_article(2, url=make_article(1).url))  # url must be unique
        archive.save_article(make_article(3))
    assert sorted(r["id"] for r in archive.db["articles"].rows) == [1, 3]
    assert archive.db["images"].count == 2 and archive.db["article_tags"].count == 4


WRITER = textwrap.dedent("""
    import sys, itertools
    sys.path.insert(0, {root!r})
    from scraper.storage import Archive
    from tests.storage.conftest import make_article
    a = Archive.open({path!r})
    print("ready", flush=True)
    for n in itertools.count(1):
        with a.batch():
            for k in range(20):
                aid = (n * 20 + k) % 500 + 1
                pid = a.record_fetch(f"https://laodongthudo.vn/x-{{aid}}.html", ("<html>%d</html>" % n).encode() * 50)
                a.save_article(make_article(aid, title=f"Bài số {{aid}} bản {{n}}", body="Nội dung đào tạo " * (n % 7 + 1)),
                               page_id=pid)
                if k == 7:
                    a.mark_gone(aid)
""")


@pytest.mark.parametrize("delay", [0.4, 1.1])
def test_sigkill_mid_write_leaves_consistent_archive(tmp_path, delay):
    path = tmp_path / "archive.db"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(root=root, path=str(path))],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    archive = Archive.open(path)
    db = archive.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    n = db["articles"].count
    assert n > 0
    # every article's children and page were committed with it
    assert db.execute("SELECT count(*) FROM articles WHERE page_id IS NULL").fetchone()[0] == 0
    assert db.execute(
        "SELECT count(*) FROM articles a WHERE (SELECT count(*) FROM images i WHERE i.article_id = a.id) != 1"
    ).fetchone()[0] == 0
    # the folded copy is current for every row, and the index agrees with the rows
    for row in db.query("SELECT id, title FROM articles LIMIT 50"):
        assert row["id"] in [r["id"] for r in search(db, row["title"], limit=500)]
    # and the archive keeps working
    assert archive.save_article(make_article(9999)) == "new"
    archive.close()


def test_processes_opening_a_new_archive_at_once_do_not_race(tmp_path):
    path = tmp_path / "archive.db"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    code = (f"import sys; sys.path.insert(0, {root!r}); from scraper.storage import Archive; "
            f"a = Archive.open({str(path)!r}); a.close()")
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    archive = Archive.open(path)
    assert archive.db["_sqlite_migrations"].count == len(migrations._migrations)  # each applied once
    assert archive.save_article(make_article(1)) == "new"
    assert [r["id"] for r in search(archive.db, "dao tao")] == [1]
    archive.close()
