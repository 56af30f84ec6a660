"""`--backfill --since D` bounds the archive: the runs that complete it after a stop and the hourly
incremental runs after it do not crawl the history before D. Decided on the run log of a real archive
(`scraper.storage.runs`, read as the spider reads it) and the plan (`scraper.crawl.policy`), no crawl.

(The same through five real crawls: a `--backfill --since` stopped by Ctrl-C, then by a full disk, then
completed, then an hourly run killed and completed, in tests/hardening/test_crash.py; the plan on
hand-made states, tests/crawl/test_policy.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from scraper.crawl import policy
from scraper.crawl.policy import Options, Resume, plan
from scraper.storage import runs
from scraper.storage.archive import Archive
from scraper.storage.archive_view import ArchiveView
from scraper.storage.runs import RunRecord
from spiders.laodongthudo import read_state
from tests.storage.replica_pages import records

B = "https://laodongthudo.vn"
SINCE = "2026-11-01"
NOW = datetime.fromisoformat("2026-11-25T18:00:00+07:00")  # the base replica's snapshot time
OLD, NEWER = 81759, 202962  # published before and after SINCE


def _log(db, *ended: tuple[str, str | None, str]) -> None:
    """Runs (mode, --since, outcome) recorded one after the other, as the crawls record themselves (a
    "failed" one: on a full disk, its pages fetched and not stored)."""
    with Archive.open(db) as archive:
        for mode, since, outcome in ended:
            record = RunRecord(mode=mode, since=since, walk="full" if mode == "backfill" else "incremental")
            runs.start(archive.db, record)
            record.outcome = outcome
            record.storage_failed = 7 if outcome == "failed" else None
            runs.finish(archive.db, record)


def _plan(db, **options):
    view = ArchiveView.open(str(db))
    try:
        state = read_state(view)
        p = plan(state, Options(now=NOW, **options))
        if p.since_source == "floor":
            p = p.with_floor(view.first_id_since(p.since))
    finally:
        view.close()
    return state, p


DANGLING = [f"{B}/older-{OLD}.html", f"{B}/newer-{NEWER}.html"]  # links from stored articles, not archived


def test_a_stopped_backfill_since_is_completed_back_to_its_since_following_no_link(tmp_path):
    db = tmp_path / "archive.db"
    _log(db, ("backfill", SINCE, "interrupted"), ("incremental", None, "failed"))
    state, p = _plan(db)
    assert state.resume.mode == "backfill" and state.resume.since_arg.date().isoformat() == SINCE
    assert p.completing_backfill and p.full_walk and p.since_source == "resume"
    assert p.since.date().isoformat() == SINCE
    # the stopped backfill followed no link between articles (they lead back past D): neither does its resume
    assert not policy.follows_links(p)
    assert policy.resume_additions(p, DANGLING, archived=set()) == []


def test_after_a_backfill_since_the_hourly_runs_keep_to_it(tmp_path):
    db = tmp_path / "archive.db"
    _log(db, ("backfill", SINCE, "interrupted"), ("incremental", None, "ok"))
    (article,) = [a for _url, _raw, a in records("base") if a.id == NEWER]
    assert article.published_at >= SINCE
    with Archive.open(db) as archive:  # what the backfill stored: the articles since D
        archive.save_article(article, fetched_at="2026-11-25T18:00:00+07:00")
    state, p = _plan(db)
    assert state.resume is None and state.lower_bound.date().isoformat() == SINCE
    assert p.walk == "incremental" and p.since_source == "floor" and p.since.date().isoformat() == SINCE
    assert p.floor_id == NEWER
    # an hourly run killed and resumed adds the links its stored articles hold, none past the floor
    killed = replace(state, resume=Resume(since=NOW, mode="incremental"))
    resumed = plan(killed, Options(now=NOW)).with_floor(p.floor_id)
    assert resumed.since_source == "floor" and resumed.resume_since == NOW and policy.follows_links(resumed)
    later = f"{B}/later-{NEWER + 100}.html"
    assert policy.resume_additions(resumed, [*DANGLING, later], archived={NEWER}) == [(NEWER + 100, later)]


def test_a_backfill_without_since_resumes_every_link(tmp_path):
    db = tmp_path / "archive.db"
    _log(db, ("backfill", None, "interrupted"))
    state, p = _plan(db)
    assert p.completing_backfill and p.since is None and policy.follows_links(p)
    assert policy.resume_additions(p, DANGLING, archived={NEWER}) == [(OLD, DANGLING[0])]
