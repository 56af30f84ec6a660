"""The run log (``crawl_runs``): what each run set out to do and how it ended, as one typed record.

Only this module reads and writes the table. A run is a `RunRecord`: its plan (mode, --since, the
walk), its outcome and counts, its failures with their reasons, and the holes its walk left (pages
it needed and could not fetch, with how many runs in a row each has failed). `RunLog` answers the
questions the next crawl asks of the log (where to resume, the archive's lower bound, when the last
full walk was, which pages keep failing).

The record is stored in the table's columns (``args`` and ``errors`` as JSON, the shape archives
already hold and Datasette shows): ``errors`` is the list of failures; the first carries
``walk_incomplete`` (holes the next run fills by walking again) or ``storage_failed`` (pages fetched
and not stored) when the run ended so, and an entry ``{"reason": "walk: ...", "walk_failed": {url: n}}``
holds the holes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from scraper.clock import now_iso, parse_iso

TABLE = "crawl_runs"
# what the last clean crawl read of each sitemap and feed (migration 0016): see `RunRecord.sitemaps_read`
VALIDATORS = "sitemap_validators"
VALIDATOR_FIELDS = ("etag", "last_modified", "sha256")
COUNTS = ("requests", "new", "updated", "unchanged", "gone", "failed", "rejected")
# the modes of crawls: only they plan the next crawl (a reparse says nothing about the site)
CRAWL_MODES = ("incremental", "backfill")
# outcomes of runs that did not finish: the next run completes their work
UNFINISHED = ("running", "interrupted")
# the plan's arguments, stored in ``args``; a tool's other arguments go in ``RunRecord.options``
PLAN_ARGS = ("base_url", "since", "recrawl_days", "now", "walk")


@dataclass
class Failure:
    """Why something in a run failed: a reason, with the page it concerns or how many times it happened."""

    reason: str
    url: str | None = None
    article_id: int | None = None
    count: int | None = None

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class RunRecord:
    """One run of the crawler (or of another tool that writes the archive, e.g. a reparse)."""

    mode: str  # incremental | backfill | reparse
    id: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    # the plan
    base_url: str | None = None
    since: str | None = None  # YYYY-MM-DD: the run went back to this day only
    recrawl_days: float | None = None
    now: str | None = None  # LDTD_NOW: the "now" it ran at (tests, replays)
    walk: str | None = None  # "full" (every listing to its end) | "incremental"
    options: dict[str, Any] = field(default_factory=dict)
    # how it ended
    outcome: str = "running"  # running | ok | degraded | failed | interrupted
    counts: dict[str, int] = field(default_factory=dict)
    summary: str | None = None
    failures: list[Failure] = field(default_factory=list)
    holes: dict[str, int] = field(default_factory=dict)  # walk page that failed -> runs in a row failing
    walk_incomplete: int = 0  # holes the next run fills by walking every listing again
    storage_failed: int | None = None  # a write failed: pages fetched and not stored (the run ended early)
    # sitemaps and feeds whose every entry this run handed on: {url: {etag, last_modified, sha256}}
    sitemaps_read: dict[str, dict] = field(default_factory=dict)

    @property
    def ended_early(self) -> bool:
        """Did the run stop before the end of its walk? Unfinished, or failed because what it fetched could
        not be stored (a full disk): the next run completes its work."""
        return self.outcome in UNFINISHED or bool(self.storage_failed)

    @property
    def incomplete(self) -> bool:
        """Did it leave work for the next run: it ended early, or its walk had holes?"""
        return self.ended_early or bool(self.walk_incomplete)

    @property
    def clean(self) -> bool:
        """Did it finish whole: outcome ok, nothing left for the next run, no page that failed?"""
        return self.outcome == "ok" and not self.incomplete and not self.counts.get("failed")

    @property
    def since_start(self) -> datetime | None:
        """Its --since as the start of that day in Hanoi."""
        return parse_iso(self.since)

    @property
    def run_time(self) -> datetime | None:
        """Its "now": its LDTD_NOW, else when it started."""
        return parse_iso(self.now) or parse_iso(self.started_at)

    @property
    def walked_everything(self) -> bool:
        return self.mode == "backfill" or self.walk == "full"

    # -- the row ---------------------------------------------------------------------------------
    def _args(self) -> dict:
        args = {name: getattr(self, name) for name in PLAN_ARGS if getattr(self, name) is not None}
        return {**self.options, **args}

    def _errors(self) -> list[dict]:
        errors = [f.as_json() for f in self.failures]
        for marker, value in (("walk_incomplete", self.walk_incomplete), ("storage_failed", self.storage_failed)):
            if value is not None and (value or marker == "storage_failed"):
                if not errors:
                    errors.append({"reason": marker.replace("_", " ")})
                errors[0][marker] = value
        if self.holes:
            errors.append({"reason": f"walk: {len(self.holes)} pages failed", "walk_failed": dict(self.holes)})
        return errors

    @classmethod
    def from_row(cls, row: dict) -> "RunRecord":
        args = _json(row.get("args"), {})
        errors = _json(row.get("errors"), [])
        args = args if isinstance(args, dict) else {}
        errors = [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
        record = cls(
            mode=row.get("mode") or "", id=row.get("id"), started_at=row.get("started_at"),
            finished_at=row.get("finished_at"), outcome=row.get("outcome") or "running",
            summary=row.get("summary"),
            counts={k: row[k] for k in COUNTS if row.get(k) is not None},
            options={k: v for k, v in args.items() if k not in PLAN_ARGS},
            **{name: args.get(name) for name in PLAN_ARGS},
        )
        for e in errors:
            if isinstance(e.get("walk_failed"), dict):
                if not record.holes:
                    record.holes = {str(k): int(v) for k, v in e["walk_failed"].items()}
                continue
            if e.get("walk_incomplete") and not record.walk_incomplete:
                record.walk_incomplete = int(e["walk_incomplete"])
            if "storage_failed" in e and record.storage_failed is None:
                record.storage_failed = e["storage_failed"]
            record.failures.append(Failure(
                reason=str(e.get("reason", "")), url=e.get("url"), article_id=e.get("article_id"),
                count=e.get("count")))
        return record

    # -- a note that fits a small room (the crawl lock's file, when the archive has no room left) --
    def note(self, room: int) -> str:
        """The record as JSON in at most ``room`` bytes (its failures dropped if need be)."""
        full = {"run": self.id, "outcome": self.outcome, "summary": self.summary, "errors": self._errors()[:3]}
        note = json.dumps(full, ensure_ascii=False)
        if len(note.encode("utf-8")) > room:
            brief = {"run": self.id, "outcome": self.outcome, "summary": str(self.summary or "")[:room // 2],
                     "errors": [{k: v for k, v in e.items() if k != "url"} for e in self._errors()[:1]]}
            note = json.dumps(brief, ensure_ascii=False)
        return note

    @classmethod
    def from_note(cls, note: str) -> "RunRecord | None":
        """The record a run left in a note (`note`), or None when there is none."""
        left = _json(note, None) if note.startswith("{") else None
        if not isinstance(left, dict) or not left.get("run") or not left.get("outcome"):
            return None
        record = cls.from_row({"id": left["run"], "outcome": str(left["outcome"]), "summary": left.get("summary"),
                               "errors": json.dumps(left.get("errors") or [])})
        return record


def _json(text, default):
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- writing -----------------------------------------------------------------------------------------
def start(db: Database, record: RunRecord) -> int:
    """Record a run that starts now (its plan, outcome "running"); sets and returns its id."""
    record.started_at = record.started_at or now_iso()
    record.outcome = "running"
    with db.atomic():
        record.id = db[TABLE].insert({"started_at": record.started_at, "mode": record.mode,
                                      "args": _dumps(record._args()), "outcome": record.outcome}).last_pk
    return record.id


def finish(db: Database, record: RunRecord) -> None:
    """Record how the run ended (its outcome, counts, summary, failures and holes)."""
    record.finished_at = record.finished_at or now_iso()
    update = {"finished_at": record.finished_at, "outcome": record.outcome, "errors": _dumps(record._errors())}
    update.update({k: int(record.counts[k]) for k in COUNTS if k in record.counts})
    if record.summary is not None:
        update["summary"] = record.summary
    with db.atomic():
        db[TABLE].update(record.id, update)
        if record.clean and record.sitemaps_read and db[VALIDATORS].exists():
            # Only a clean run's, in the transaction that records how it ended: the next incremental run skips
            # the entries of a sitemap that still matches them. A run that crashed, or finished with failures
            # or holes, may not have acted on every entry it was handed (a request lost with the process, an
            # article that failed), so its reading must not stand for the sitemap: the validators of the last
            # clean run stay, and a sitemap changed since then is read again.
            db[VALIDATORS].upsert_all(
                [{"url": url, **{k: v.get(k) for k in VALIDATOR_FIELDS}, "run_id": record.id,
                  "read_at": record.finished_at} for url, v in record.sitemaps_read.items()], pk="url")


# -- reading -----------------------------------------------------------------------------------------
@dataclass
class Resume:
    """The unfinished runs (killed, interrupted, with holes) the next run completes."""

    since: datetime | None  # when the earliest of them started
    mode: str  # "backfill" when any of them was one, else "incremental"
    since_arg: datetime | None  # the --since of the backfill(s) being resumed (None: to the beginning)
    runs: list[int]


class RunLog:
    """The questions the next crawl asks of the run log. An archive without a log (or without a file)
    knows nothing."""

    def __init__(self, db: Database | None):
        self.db = db

    def crawls(self, where: str = "", oldest_first: bool = False) -> Iterator[RunRecord]:
        """The crawls, newest first, lazily: callers stop at the first that answers them (a year of hourly
        runs is ~9k rows); ``where``: an SQL condition narrowing them to the rows that can answer."""
        if self.db is None or not self.db[TABLE].exists():
            return iter(())
        rows = self.db.query(
            f"SELECT * FROM {TABLE} WHERE mode IN ({', '.join('?' * len(CRAWL_MODES))})"
            + (f" AND ({where})" if where else "") + f" ORDER BY id {'ASC' if oldest_first else 'DESC'}",
            list(CRAWL_MODES))
        return (RunRecord.from_row(r) for r in rows)

    def get(self, run_id: int) -> RunRecord | None:
        if self.db is None or not self.db[TABLE].exists():
            return None
        rows = list(self.db[TABLE].rows_where("id = ?", [run_id]))
        return RunRecord.from_row(rows[0]) if rows else None

    def running(self) -> list[int]:
        """Ids of the crawls whose record still says "running", oldest first (asked holding the crawl lock:
        they are dead, killed or unable to write their end)."""
        return sorted(r.id for r in self.crawls("outcome = 'running'"))

    def lower_bound(self) -> datetime | None:
        """How far back the archive's history was built: None (no bound) when its first crawl walked
        everything (an incremental run, or a backfill without --since), or a backfill without --since has
        finished since; else the oldest --since of its backfills (finished or not: an interrupted one is
        resumed with its --since)."""
        first = next(self.crawls(oldest_first=True), None)
        if first is None or first.mode != "backfill":
            return None  # no crawl yet, or the first was incremental: a full walk without a bound
        bound = None
        for r in self.crawls("mode = 'backfill'"):  # (not a year of hourly runs)
            since = r.since_start
            if since is None:
                if not r.ended_early:
                    return None  # a backfill to the beginning has finished
                continue
            bound = since if bound is None or since < bound else bound
        return bound

    def sitemap_validators(self) -> dict[str, dict]:
        """{sitemap or feed URL: {etag, last_modified, sha256}} as the last clean crawl that read it left them."""
        if self.db is None or not self.db[VALIDATORS].exists():
            return {}
        fields = ", ".join(VALIDATOR_FIELDS)
        return {row.pop("url"): row for row in self.db.query(f"SELECT url, {fields} FROM {VALIDATORS}")}

    def has_complete_run(self) -> bool:
        """Has any earlier crawl walked the listings to their end (finished, whatever its counts)?"""
        return any(not r.ended_early for r in self.crawls())

    def last_complete_start(self) -> datetime | None:
        """When the last crawl that finished its walk started."""
        return next((parse_iso(r.started_at) for r in self.crawls() if not r.ended_early), None)

    def last_full_walk(self) -> datetime | None:
        """When the last finished crawl that walked every listing to its end ran (its LDTD_NOW, else its
        start): a backfill, or a run whose walk was "full". Archives from before the walk was recorded:
        their first finished crawl (a first crawl walks everything)."""
        # (only the rows that walked everything, not the hourly runs since: `walk` as RunRecord.walk reads it)
        walked = "mode = 'backfill' OR CASE WHEN json_valid(args) THEN json_extract(args, '$.walk') END = 'full'"
        for r in self.crawls(walked):
            if not r.ended_early and r.walked_everything:
                return r.run_time
        first = next((r for r in self.crawls(oldest_first=True) if not r.ended_early), None)
        return first.run_time if first else None

    def holes(self) -> dict[str, int]:
        """{page URL: runs in a row it failed} as the last finished crawl left them: pages of the walk
        that could not be fetched."""
        return next((dict(r.holes) for r in self.crawls() if not r.ended_early), {})

    def resume_point(self) -> Resume | None:
        """When the latest crawls left work undone (killed, interrupted, holes in the walk), what the next
        one completes; None when the last crawl finished whole."""
        chain = []
        for r in self.crawls():
            if not r.incomplete:
                break
            chain.append(r)
        if not chain:
            return None
        backfills = [r for r in chain if r.mode == "backfill"]
        # a resumed `--backfill --since D` stops at D too (any of them without --since: to the beginning)
        bounds = [r.since_start for r in backfills]
        return Resume(since=parse_iso(chain[-1].started_at), mode="backfill" if backfills else "incremental",
                      since_arg=min(bounds) if bounds and None not in bounds else None,
                      runs=[r.id for r in chain])


def latest(db: Database, n: int) -> list[dict]:
    """The last `n` runs of any tool, newest first, as their rows show them (what `ldtd stats` lists): the
    columns without ``args`` and ``errors``, and ``error_count``, the entries of the errors list (None when
    it cannot be read)."""
    if not db[TABLE].exists():
        return []
    out = []
    for row in db.query(f"SELECT * FROM {TABLE} ORDER BY id DESC LIMIT ?", [int(n)]):
        row.pop("args", None)
        errors = row.pop("errors", None)
        try:
            row["error_count"] = len(json.loads(errors or "[]"))
        except ValueError:
            row["error_count"] = None
        out.append(row)
    return out
