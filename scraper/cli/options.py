"""What the archive-reading commands (search, show, stats, export, reparse, serve) share: the --db option,
the filters, the read-only archive they open, and a quiet end when their reader goes away."""

from __future__ import annotations

import functools
import os
import re
import sys
from datetime import date, datetime
from pathlib import Path

import click

from scraper.text import normalize_iso
from scraper.settings import LDTD_DB
from scraper.storage import read

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([+-]\d{2}:\d{2}|Z)?)?$")

db_option = click.option(
    "--db",
    "db_path",
    default=LDTD_DB,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive file (SQLite).",
)


class ArchiveError(click.ClickException):
    """A missing or foreign database: one line on stderr, exit status 1, no traceback."""


def check_archive(path: Path) -> None:
    """Exit with ArchiveError unless `path` is an existing ldtd archive (never creates anything)."""
    try:
        read.check_archive(path)
    except read.UnreadableArchive as exc:
        raise ArchiveError(str(exc)) from None


def open_archive(path: Path):
    """The archive, read-only (safe beside a running crawl; never creates or migrates a file)."""
    try:
        return read.open_readonly(path)
    except read.UnreadableArchive as exc:
        raise ArchiveError(str(exc)) from None


def _date_option(ctx, param, value):
    """--since/--until: a date (YYYY-MM-DD, a day in Hanoi time) or an ISO 8601 timestamp, with an offset
    or Z (naive means Hanoi time), validated and re-expressed in Hanoi time (+07:00) as the archive stores
    published_at, so that the bounds compare with stored times as instants, not as strings."""
    if value is None:
        return None
    text = value.strip()
    hint = "expected YYYY-MM-DD or an ISO timestamp (2023-11-16T09:30:00+07:00, 2023-11-16T02:30:00Z)"
    if not DATE_RE.match(text):
        raise click.BadParameter(f"{value!r}: {hint}")
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a real date or time ({exc}); {hint}") from None
    return normalize_iso(text)


def filters(f):
    """--category, --since, --until, --author."""
    f = click.option("--author", help='Only articles by this author; case and diacritics do not matter'
                                      ' ("nguyen van a" is "Nguyễn Văn A").')(f)
    f = click.option("--until", callback=_date_option,
                     help="Published on or before: YYYY-MM-DD (that whole day, Hanoi time) or an ISO timestamp"
                          " with offset (2023-11-16T09:30:00+07:00).")(f)
    f = click.option("--since", callback=_date_option,
                     help="Published on or after: YYYY-MM-DD (Hanoi time) or an ISO timestamp with offset"
                          " (2023-11-16T02:30:00Z).")(f)
    f = click.option("--category", help='Only this category, as the site names it; case and diacritics do not'
                                        ' matter ("thoi su" is "Thời sự"; ldtd stats --by category lists them).')(f)
    return f


def quiet_on_closed_pipe(command):
    """Output cut short by the reader (`ldtd search … | head -1`) ends the command quietly with status 0,
    as Unix tools do, instead of click's silent exit 1. Standard output is pointed at /dev/null so
    that the interpreter's last flush at exit does not raise again."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            sys.exit(0)

    return wrapper
