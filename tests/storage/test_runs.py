"""The run log (`scraper.storage.runs`): a typed record in, the same record and the next crawl's answers out,
and the rows archives already hold read as they were meant."""

import json
from datetime import datetime

import pytest
from sqlite_utils import Database

from scraper.clock import HANOI
from scraper.storage import runs
from scraper.storage.archive import Archive
from scraper.storage.runs import Failure, RunLog, RunRecord

from .conftest import crawl


@pytest.fixture
def db(tmp_path):
    archive = Archive.open(tmp_path / "a.db")
    yield archive.db
    archive.close()


def test_a_record_reads_back_as_it_was_written(db):
    record = crawl(db, since="2026-11-01", recrawl_days=3.0, now="2026-11-25T18:00:00+07:00", walk="full",
                   base_url="http://127.0.0.1:1", outcome="ok", counts={**dict.fromkeys(runs.COUNTS, 0), "requests": 9, "new": 4},
                   failures=[Failure("walk incomplete: 2 pages"), Failure("fetch: HTTP 503", url="https://x/a-1.html"),
                             Failure("fetch", count=3)],
                   holes={"https://laodongthudo.vn/the-thao": 2}, walk_incomplete=2)
    back = RunLog(db).get(record.id)
    assert back == record
    assert back.incomplete and not back.ended_early and back.walked_everything
    assert back.run_time == datetime(2026, 11, 25, 18, tzinfo=HANOI)


def test_the_row_keeps_the_shape_archives_hold(db):
    """crawl_runs.errors as earlier runs wrote it (and Datasette shows it): the markers on the first entry,
    the holes in an entry of their own."""
    record = crawl(db, failures=[Failure("storage failed: disk full")], storage_failed=7,
                   holes={"https://laodongthudo.vn/": 1}, walk_incomplete=0)
    row = db["crawl_runs"].get(record.id)
    assert json.loads(row["errors"]) == [
        {"reason": "storage failed: disk full", "storage_failed": 7},
        {"reason": "walk: 1 pages failed", "walk_failed": {"https://laodongthudo.vn/": 1}},
    ]
    assert json.loads(row["args"]) == {}


def test_rows_written_before_the_record_are_read(db):
    db["crawl_runs"].insert({"mode": "incremental", "outcome": "ok", "started_at": "2026-11-20T10:00:00+07:00",
                             "args": json.dumps({"base_url": None, "since": None, "recrawl_days": 3.0, "now": None,
                                                 "walk": "incremental"}),
                             "errors": json.dumps([{"reason": "walk incomplete: 3 pages", "walk_incomplete": 3},
                                                   {"reason": "fetch", "count": 3},
                                                   {"reason": "walk: 1 pages failed", "walk_failed": {"u": "2"}}]),
                             "requests": 5})
    (record,) = RunLog(db).crawls()
    assert record.walk_incomplete == 3 and record.holes == {"u": 2} and record.counts["requests"] == 5
    assert record.failures == [Failure("walk incomplete: 3 pages"), Failure("fetch", count=3)]
    assert record.walk == "incremental" and record.since is None and record.incomplete


def test_resume_point_chains_the_unfinished_runs_back_to_the_last_whole_one(db):
    log = RunLog(db)
    assert log.resume_point() is None and not log.has_complete_run()
    crawl(db, started="2026-11-20T10:00:00+07:00")
    killed = crawl(db, mode="backfill", outcome="running", since="2026-11-01", started="2026-11-21T10:00:00+07:00")
    holes = crawl(db, walk_incomplete=2, failures=[Failure("walk incomplete")], started="2026-11-22T10:00:00+07:00")
    reparse = Archive(db).start_run("reparse", {})
    Archive(db).finish_run(reparse, "ok")  # a reparse says nothing about the site
    resume = log.resume_point()
    assert resume == runs.Resume(since=datetime(2026, 11, 21, 10, tzinfo=HANOI), mode="backfill",
                                 since_arg=datetime(2026, 11, 1, tzinfo=HANOI), runs=[holes.id, killed.id])
    assert log.running() == [killed.id]
    assert log.last_complete_start() == datetime(2026, 11, 22, 10, tzinfo=HANOI)


def test_a_full_disk_ends_a_run_early_whatever_its_outcome(db):
    crawl(db)
    failed = crawl(db, outcome="failed", storage_failed=4, failures=[Failure("storage failed")],
                   started="2026-11-21T10:00:00+07:00")
    log = RunLog(db)
    assert log.resume_point().runs == [failed.id]
    assert log.last_complete_start() == datetime(2026, 11, 20, 10, tzinfo=HANOI)


def test_lower_bound_is_the_oldest_since_of_the_backfills_until_one_goes_to_the_beginning(db):
    log = RunLog(db)
    crawl(db, mode="backfill", since="2026-11-10", started="2026-11-20T10:00:00+07:00")
    crawl(db, mode="backfill", since="2026-11-05", outcome="interrupted", started="2026-11-21T10:00:00+07:00")
    crawl(db, started="2026-11-22T10:00:00+07:00")
    assert log.lower_bound() == datetime(2026, 11, 5, tzinfo=HANOI)
    crawl(db, mode="backfill", outcome="interrupted", started="2026-11-23T10:00:00+07:00")
    assert log.lower_bound() == datetime(2026, 11, 5, tzinfo=HANOI)  # not finished: the bound stays
    crawl(db, mode="backfill", started="2026-11-24T10:00:00+07:00")
    assert log.lower_bound() is None


def test_an_archive_first_crawled_incrementally_has_no_lower_bound(db):
    crawl(db)
    crawl(db, mode="backfill", since="2026-11-10", started="2026-11-21T10:00:00+07:00")
    assert RunLog(db).lower_bound() is None


def test_last_full_walk_and_the_holes_come_from_finished_runs(db):
    log = RunLog(db)
    assert log.last_full_walk() is None and log.holes() == {}
    crawl(db, walk="incremental", started="2026-11-18T10:00:00+07:00")  # the first: walked everything
    assert log.last_full_walk() == datetime(2026, 11, 18, 10, tzinfo=HANOI)
    crawl(db, walk="full", now="2026-11-19T12:00:00+07:00", holes={"u": 1}, started="2026-11-20T10:00:00+07:00")
    crawl(db, walk="incremental", holes={"u": 2}, started="2026-11-21T10:00:00+07:00")
    crawl(db, walk="full", outcome="interrupted", holes={"u": 9}, started="2026-11-22T10:00:00+07:00")
    assert log.last_full_walk() == datetime(2026, 11, 19, 12, tzinfo=HANOI)  # its LDTD_NOW
    assert log.holes() == {"u": 2}


def test_no_log_knows_nothing(tmp_path):
    log = RunLog(None)
    assert log.resume_point() is None and log.lower_bound() is None and log.holes() == {} and log.running() == []
    assert RunLog(Database(tmp_path / "empty.db")).resume_point() is None


@pytest.mark.parametrize("summary", ["ok: 3 new", "x" * 5000])
def test_a_note_fits_its_room_and_reads_back(summary):
    record = RunRecord(mode="incremental", id=7, outcome="failed", summary=summary, storage_failed=3,
                       failures=[Failure("storage failed: disk full", url="https://laodongthudo.vn/a-1.html")])
    note = record.note(2048)
    assert len(note.encode("utf-8")) <= 2048
    back = RunRecord.from_note(note)
    assert back.id == 7 and back.outcome == "failed" and back.storage_failed == 3 and back.summary == summary[:1024]
    assert back.failures[0].reason == "storage failed: disk full"
    assert RunRecord.from_note("pid 123") is None and RunRecord.from_note("{not json") is None
