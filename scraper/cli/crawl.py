"""ldtd commands: crawl (the site or a mirror into the archive) and demo (the bundled replica)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from scraper.clock import parse_iso
from scraper.settings import LDTD_DB
from scraper.urls import check_base_url

from .checks import check_archive_file, check_setting_values, recrawl_days as recrawl_days_option
from .output import echo, echo_json
from .progress import StatusLine, check_exclusive, json_option, output_mode, quiet_option, stderr_is_terminal, \
    verbose_option


def _check_db(db: str) -> None:
    parent = Path(db).expanduser().resolve().parent
    if not parent.is_dir():
        raise click.BadParameter(f"directory {parent} does not exist", param_hint="--db")
    check_archive_file(db)


def _run(settings: dict, verbose: bool = False, quiet: bool = False, as_json: bool = False) -> None:
    from scraper.crawl.run import run_crawl

    tty = stderr_is_terminal()
    mode = output_mode(tty, verbose, quiet, as_json)
    status = StatusLine() if mode.progress else None
    result = run_crawl(settings, keep_log=True, log_to_screen=mode.log_to_screen,
                       on_progress=(lambda progress: status.show(progress.line())) if status else None)
    if status is not None:
        status.done()
    if as_json:
        echo_json(crawl_summary(result))
    else:
        if tty and not quiet and result.log_file and not mode.log_to_screen:
            echo(f"log: {result.log_file}", err=True)
        echo(result.summary)  # (it may quote what a site answered)
    sys.exit(result.exit_code)


COUNT_KEYS = ("requests", "new", "updated", "unchanged", "gone", "failed", "rejected")


def crawl_summary(result) -> dict:
    """`ldtd crawl --json`: the run's summary for scripts (keys documented in the README)."""
    stats = result.stats
    return {
        "outcome": result.outcome,
        "exit_code": result.exit_code,
        "summary": result.summary,
        "run_id": stats.get("ldtd/run_id"),
        "counts": {k: stats.get(f"ldtd/count/{k}", 0) for k in COUNT_KEYS},
        "pages": stats.get("response_received_count", 0),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
        "images": result.images,
        "log_file": result.log_file,
    }


@click.command()
@click.option("--db", default=LDTD_DB, show_default=True, type=click.Path(dir_okay=False),
              help="SQLite archive to create or update.")
@click.option("--base-url", metavar="URL", help="Crawl a mirror of laodongthudo.vn at URL (stored URLs stay canonical).")
@click.option("--backfill", is_flag=True, help="Walk every listing to its end and fetch every article.")
@click.option("--since", metavar="YYYY-MM-DD", help="With --backfill: only back to this date.")
@click.option("--recrawl-days", type=float, default=None, metavar="N", callback=recrawl_days_option,
              help="Refetch articles published in the last N days (default 3).")
@click.option("--fast", is_flag=True,
              help="Politeness off (no delay, robots.txt's Crawl-delay not applied, no AutoThrottle, more "
                   "concurrency): for a local mirror only, needs --base-url.")
@click.option("--images", is_flag=True,
              help="Also keep each article's images, in ARCHIVE.images/ beside the archive (files named by the "
                   "SHA-256 of their bytes): ~4 more requests per article page fetched (-s LDTD_IMAGES=1).")
@click.option("-s", "--set", "pairs", multiple=True, metavar="NAME=VALUE",
              help="Set any Scrapy setting, as `scrapy crawl -s` does (repeatable).")
@verbose_option
@quiet_option
@json_option
def crawl(db, base_url, backfill, since, recrawl_days, fast, images, pairs, verbose, quiet, as_json):
    """Crawl laodongthudo.vn (or a mirror) into the SQLite archive.

    The default run is incremental (for cron, hourly): new articles, plus the last N days'
    articles refetched to catch edits; a new version is stored only where content changed.
    Every 7 days (-s LDTD_FULL_WALK_DAYS=N; 0: never) an incremental run walks every listing
    to its end, fetching only the articles it does not know yet (one that appeared deep in a
    listing); after `--backfill --since D`, incremental runs do not go back past D either.
    An interrupted run is completed by the next one. Exit code: 0 ok; 1 failed (nothing
    fetched, or the parser failed on most article pages); 2 degraded (archived, but most pages
    matched no site template: the site's template changed); 3 interrupted; 4 skipped, because
    another crawl is still writing the same archive (overlapping cron runs never interleave);
    5 refused, --db is not an archive it can write (not SQLite, damaged, another program's
    database, read-only). A bad option or -s value is refused before anything runs (exit 2).

    On a terminal it shows one live line (pages, new/updated/unchanged/gone, errors, queue, rate; a
    backfill, how deep it is in the listings) and writes Scrapy's log to a file beside the archive
    (ARCHIVE.logs/crawl-YYYYmmdd-HHMMSS.log, the last 30 kept; its path printed); -v shows the log
    instead. Elsewhere (cron) the log goes to standard error as well as to its file, and the summary
    line to standard output.

    --images downloads each fetched article's images (the original bytes, at most
    -s LDTD_IMAGE_MAXSIZE bytes each, 10 MB by default) into ARCHIVE.images/, under the same
    politeness as the pages; images on other hosts are not fetched. A file is named by its bytes'
    SHA-256 and never overwritten: an image replaced under the same URL keeps its old bytes too.
    `ldtd show` and `ldtd serve` then use the local copies.

    robots.txt is obeyed, its Crawl-delay included (the least time between two requests, up to
    -s LDTD_CRAWL_DELAY_MAX=60 seconds); a DOWNLOAD_DELAY given here (-s, or --fast) overrides it,
    and the run's log says so.

    \b
    Examples:
      ldtd crawl --db archive.db                      # hourly incremental run
      ldtd crawl --backfill --since 2024-01-01        # build the archive back to a date
      ldtd crawl --base-url http://127.0.0.1:8765 --fast   # a local mirror, politeness off
      ldtd crawl --images                             # keep the articles' images too
    """
    from scraper.crawl.run import FAST_SETTINGS, crawl_settings, parse_setting_pairs

    _check_db(db)
    check_exclusive(verbose, quiet, as_json)
    if since and not backfill:
        raise click.UsageError("--since goes with --backfill")
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter("expected YYYY-MM-DD", param_hint="--since")
    try:
        extra = parse_setting_pairs(pairs)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="-s")
    _check_settings(base_url, extra)
    if images:
        extra = {"LDTD_IMAGES": "1", **extra}  # (-s still wins)
    if fast:
        if not (base_url or extra.get("LDTD_BASE_URL")):
            raise click.UsageError("--fast is for a local mirror: it goes with --base-url")
        extra = {**FAST_SETTINGS, **extra}  # (-s still wins)
    _run(crawl_settings(db, base_url, backfill, since, recrawl_days, extra), verbose, quiet, as_json)


def _check_settings(base_url, extra: dict) -> None:
    """Values a crawl would only trip over once started (a traceback and an "interrupted" run record
    that the next run resumes from): refused here, with exit code 2 and nothing recorded."""
    if extra.get("LDTD_DB"):
        _check_db(extra["LDTD_DB"])
    check_setting_values(extra)
    for value, hint in ((base_url, "--base-url"), (extra.get("LDTD_BASE_URL"), "-s LDTD_BASE_URL")):
        if value:
            try:
                check_base_url(value)
            except ValueError as e:
                raise click.BadParameter(str(e), param_hint=hint)
    now = extra.get("LDTD_NOW")
    if now:
        if parse_iso(now) is None:
            raise click.BadParameter(f"{now!r} is not an ISO 8601 date-time (e.g. 2026-11-25T18:00:00+07:00)",
                                     param_hint="-s LDTD_NOW")


@click.command()
@click.option("--db", default=LDTD_DB, show_default=True, type=click.Path(dir_okay=False),
              help="SQLite archive to create or update.")
@click.option("--state", default="base", show_default=True, help="Replica state to serve (base, day2, ...).")
@click.option("-s", "--set", "pairs", multiple=True, metavar="NAME=VALUE", help="Set any Scrapy setting.")
def demo(db, state, pairs):
    """Serve the bundled replica of the site on 127.0.0.1 and crawl it into the archive.

    Politeness is off (the mirror is local) and the articles' images are kept (as `ldtd crawl
    --images`); the run's one-line summary is printed.

    \b
    Example:
      ldtd demo --db archive.db && ldtd serve --db archive.db
    """
    from scraper.crawl.run import FAST_SETTINGS, crawl_settings, parse_setting_pairs, run_crawl
    from scraper.replica.server import ReplicaServer

    _check_db(db)
    with ReplicaServer(state=state) as server:
        click.echo(f"replica ({state}) served at {server.base_url}; crawling into {db}", err=True)
        # The demo's output is its summary line; Scrapy's INFO log and stats dump would bury it.
        quiet = {"LOG_LEVEL": "WARNING"}
        settings = crawl_settings(db, server.base_url, backfill=False,
                                  extra={**FAST_SETTINGS, **quiet, "LDTD_IMAGES": "1",
                                         **parse_setting_pairs(pairs)})
        result = run_crawl(settings)
    echo(result.summary)  # (it may quote what a site answered)
    if result.exit_code == 0:
        click.echo(f'next: ldtd search "dao tao" --db {db}   |   ldtd serve --db {db}', err=True)
    sys.exit(result.exit_code)


COMMANDS = [crawl, demo]
