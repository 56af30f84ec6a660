"""What the crawler reads from the archive to decide what to fetch (the incremental state).

The state lives in the archive itself (articles' dates and fetch times, the run log), read through
`scraper.storage.Archive`; nothing is kept in a side file.
"""

from __future__ import annotations

import json
import os
from datetime import datetime

from scraper.parsing.text import HANOI


def parse_iso(value) -> datetime | None:
    """An ISO 8601 string as an aware datetime (naive = Hanoi time), or None."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=HANOI)
    try:
        d = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=HANOI)


# Runs that did not finish: the next run walks the listings to the end again (so does it after a
# finished run whose errors say its walk had holes: an entry with "walk_incomplete").
UNFINISHED = ("running", "interrupted")


def _errors_say(run: dict, key: str) -> bool:
    try:
        errors = json.loads(run.get("errors") or "[]")
    except ValueError:
        return False
    return isinstance(errors, list) and any(isinstance(e, dict) and e.get(key) for e in errors)


def _ended_early(run: dict) -> bool:
    """Did the run stop before the end of its walk? Unfinished, or failed because what it fetched could
    not be stored (errors: "storage_failed", a full disk): the next run completes its work."""
    return run["outcome"] in UNFINISHED or _errors_say(run, "storage_failed")


def _incomplete(run: dict) -> bool:
    """Did the run leave work for the next one: it ended early, or its walk had holes?"""
    return _ended_early(run) or _errors_say(run, "walk_incomplete")


def _since_arg(run: dict) -> datetime | None:
    """The --since a run was started with (its stored args), as the start of that day in Hanoi."""
    try:
        args = json.loads(run.get("args") or "{}")
    except ValueError:
        return None
    since = args.get("since") if isinstance(args, dict) else None
    if not since:
        return None
    d = parse_iso(since)
    return d


def _run_time(run: dict) -> datetime | None:
    """A run's "now": its LDTD_NOW (tests, replays), else when it started."""
    try:
        args = json.loads(run.get("args") or "{}")
    except ValueError:
        args = {}
    return parse_iso(args.get("now") if isinstance(args, dict) else None) or parse_iso(run["started_at"])


class ArchiveView:
    """Read-only questions the spider asks the archive. An absent archive knows nothing."""

    def __init__(self, archive=None):
        self.archive = archive
        self._last_complete: datetime | None | bool = False

    @classmethod
    def open(cls, path: str) -> "ArchiveView":
        if not path or not os.path.exists(path):
            return cls(None)
        from scraper.storage.archive import Archive

        return cls(Archive.open(path, migrate=False))

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    def known(self, ids) -> dict[int, dict]:
        if self.archive is None or not ids:
            return {}
        return self.archive.known(ids)

    def recent(self, since_iso: str) -> list[dict]:
        """The recrawl window: articles published at or after ``since_iso``, newest first, gone ones
        included (a 404 may be transient: a gone article is rechecked while it is in the window; a 200
        that parses clears its gone mark)."""
        if self.archive is None:
            return []
        return self.archive.recent(since_iso, include_gone=True)

    def _runs(self, exclude_run=None):
        """The run log, newest first, lazily: callers stop at the first run that answers them
        (a year of hourly runs is ~9k rows)."""
        if self.archive is None or not self.archive.db["crawl_runs"].exists():
            return iter(())
        # only crawls plan the next crawl: a reparse (or any other tool's run) says nothing about the site
        rows = self.archive.db.query(
            "SELECT id, mode, outcome, started_at, args, errors FROM crawl_runs"
            " WHERE mode IN ('incremental', 'backfill') ORDER BY id DESC"
        )
        return (r for r in rows if r["id"] != exclude_run)

    def running(self, exclude_run=None) -> list[int]:
        """Ids of the crawls whose record still says "running", oldest first (asked holding the crawl
        lock: they are dead, killed or unable to write their end)."""
        return sorted(r["id"] for r in self._runs(exclude_run) if r["outcome"] == "running")

    def lower_bound(self, exclude_run=None) -> datetime | None:
        """The archive's lower bound: how far back its history was built. None (no bound) when the
        archive's first crawl walked everything (an incremental run, or a backfill without --since), or
        a backfill without --since has finished since; else the oldest --since of its backfills
        (finished or not: an interrupted one is resumed with its --since). Incremental runs do not
        page, fetch or follow links past it (a `--backfill --since D` is not undone by the next
        hourly run crawling the whole pre-D history)."""
        runs = list(self._runs(exclude_run))
        if not runs:
            return None
        if runs[-1]["mode"] != "backfill":
            return None  # the first crawl was incremental: a full walk without a bound
        bound = None
        for r in runs:
            if r["mode"] != "backfill":
                continue
            since = _since_arg(r)
            if since is None:
                if not _ended_early(r):
                    return None  # a backfill to the beginning has finished
                continue
            bound = since if bound is None or since < bound else bound
        return bound

    def has_complete_run(self, exclude_run=None) -> bool:
        """Has any earlier run walked the listings to their end (finished, whatever its counts)?"""
        return any(not _ended_early(r) for r in self._runs(exclude_run))

    def last_complete_start(self, exclude_run=None) -> datetime | None:
        if self._last_complete is False:
            self._last_complete = next(
                (parse_iso(r["started_at"]) for r in self._runs(exclude_run) if not _ended_early(r)),
                None,
            )
        return self._last_complete

    def last_full_walk(self, exclude_run=None) -> datetime | None:
        """When the last finished run that walked every listing to its end ran (its LDTD_NOW, else its
        start): a backfill, or a run whose args say "walk": "full". Archives from before that arg:
        their first finished run (a first crawl walks everything)."""
        first = None
        for r in self._runs(exclude_run):
            if _ended_early(r):
                continue
            first = r
            try:
                args = json.loads(r.get("args") or "{}")
            except ValueError:
                args = {}
            if r["mode"] == "backfill" or (isinstance(args, dict) and args.get("walk") == "full"):
                return _run_time(r)
        return _run_time(first) if first else None

    def walk_failures(self, exclude_run=None) -> dict[str, int]:
        """{page URL: runs in a row it failed} as the last finished run left it (its errors' "walk_failed"
        entry): pages of the walk that could not be fetched."""
        for r in self._runs(exclude_run):
            if _ended_early(r):
                continue
            try:
                errors = json.loads(r.get("errors") or "[]")
            except ValueError:
                return {}
            for e in errors:
                if isinstance(e, dict) and isinstance(e.get("walk_failed"), dict):
                    return {str(k): int(v) for k, v in e["walk_failed"].items()}
            return {}
        return {}

    def resume_point(self, exclude_run=None) -> dict | None:
        """When the latest runs did not finish (killed, interrupted), where to resume from: the start of
        the earliest of them, and whether any of them was a backfill. None when the last run finished."""
        chain = []
        for r in self._runs(exclude_run):
            if not _incomplete(r):
                break
            chain.append(r)
        if not chain:
            return None
        backfills = [r for r in chain if r["mode"] == "backfill"]
        # the --since of the backfill(s) being resumed: a resumed `--backfill --since D` stops at D too
        # (any of them without --since: back to the beginning)
        bounds = [_since_arg(r) for r in backfills]
        return {
            "since": parse_iso(chain[-1]["started_at"]),
            "mode": "backfill" if backfills else "incremental",
            "since_arg": min(bounds) if bounds and None not in bounds else None,
            "runs": [r["id"] for r in chain],
        }

    def first_id_since(self, since: datetime) -> int | None:
        """The smallest id archived among articles published at or after ``since`` (ids grow with time:
        a link to a lower id leads back past that date)."""
        if self.archive is None:
            return None
        row = self.archive.db.execute("SELECT min(id) FROM articles WHERE published_at >= ?",
                                      [since.isoformat()]).fetchone()
        return row[0] if row else None

    def dangling_links(self, since: datetime) -> list[str]:
        """Links from articles fetched since ``since`` to articles not archived: what an interrupted run
        would have followed next."""
        if self.archive is None:
            return []
        rows = self.archive.db.execute(
            "SELECT DISTINCT r.url FROM related_links r JOIN articles a ON a.id = r.article_id"
            " WHERE r.target_id IS NULL AND r.linked_id IS NOT NULL AND a.last_fetched_at >= ?",
            [since.isoformat()],
        ).fetchall()
        return [r[0] for r in rows]
