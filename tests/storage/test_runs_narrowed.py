"""The run log's start-of-run questions read only the rows that can answer them (`RunLog.lower_bound`,
`last_full_walk`, `running`: SQL narrows a year of hourly runs to the backfills, the full walks, the running
ones), and answer as a pass over every crawl does, on a real SQLite file with rows of every shape."""

from __future__ import annotations

from datetime import datetime

import pytest

from scraper.clock import HANOI
from scraper.storage import Archive, runs
from scraper.storage.runs import RunLog, RunRecord


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HANOI)


def every_crawl_lower_bound(log: RunLog):
    all_runs = list(log.crawls())
    if not all_runs or all_runs[-1].mode != "backfill":
        return None
    bound = None
    for r in all_runs:
        if r.mode != "backfill":
            continue
        if r.since_start is None:
            if not r.ended_early:
                return None
            continue
        bound = r.since_start if bound is None or r.since_start < bound else bound
    return bound


def every_crawl_last_full_walk(log: RunLog):
    first = None
    for r in log.crawls():
        if r.ended_early:
            continue
        first = r
        if r.walked_everything:
            return r.run_time
    return first.run_time if first else None


def add(db, mode, walk=None, since=None, outcome="ok", hour=0):
    record = RunRecord(mode=mode, walk=walk, since=since, started_at=f"2026-11-{1 + hour // 24:02d}T{hour % 24:02d}:00:00+07:00")
    runs.start(db, record)
    if outcome != "running":
        record.outcome = outcome
        runs.finish(db, record)
    return record.id


HISTORIES = {
    "backfill since, then hourly": [("backfill", None, "2026-10-01", "ok")] + [("incremental", "incremental", None, "ok")] * 60,
    "interrupted backfills and a weekly walk": [("backfill", None, "2026-10-05", "interrupted"),
                                                 ("backfill", None, "2026-10-01", "ok"),
                                                 ("incremental", "full", None, "ok"),
                                                 ("incremental", "full", None, "interrupted")]
    + [("incremental", "incremental", None, "ok")] * 30 + [("incremental", None, None, "running")],
    "first crawl incremental, no walk recorded": [("incremental", None, None, "ok")] * 5,
    "a backfill to the beginning": [("backfill", None, "2026-10-01", "ok"), ("backfill", None, None, "ok"),
                                    ("incremental", "incremental", None, "running")],
}


EXPECTED = {
    "backfill since, then hourly": (at("2026-10-01T00:00"), at("2026-11-01T00:00")),
    "interrupted backfills and a weekly walk": (at("2026-10-01T00:00"), at("2026-11-01T02:00")),
    "first crawl incremental, no walk recorded": (None, at("2026-11-01T00:00")),
    "a backfill to the beginning": (None, at("2026-11-01T01:00")),
}


@pytest.mark.parametrize("history", HISTORIES)
def test_narrowed_questions_answer_as_a_pass_over_every_crawl(tmp_path, history):
    with Archive.open(tmp_path / "a.db") as archive:
        ids = [add(archive.db, mode, walk, since, outcome, hour)
               for hour, (mode, walk, since, outcome) in enumerate(HISTORIES[history])]
        running = [i for i, (*_, outcome) in zip(ids, HISTORIES[history]) if outcome == "running"]
        # a row whose args are not JSON (hand-edited, or cut): read as no plan, never an SQL error
        archive.db.execute("INSERT INTO crawl_runs (started_at, mode, args, outcome) VALUES (?, ?, ?, ?)",
                           ["2026-11-30T00:00:00+07:00", "incremental", "{not json", "ok"])
        log = RunLog(archive.db)
        assert log.lower_bound() == every_crawl_lower_bound(log)
        assert log.last_full_walk() == every_crawl_last_full_walk(log)
        assert log.running() == running
        assert (log.lower_bound(), log.last_full_walk()) == EXPECTED[history]  # (the reference is not vacuous)
