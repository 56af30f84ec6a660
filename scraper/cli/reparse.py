"""ldtd reparse: rebuild every archived record from its stored raw page with the current parser."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import click

from scraper.parsing.errors import ParseError
from scraper.storage import NEW, REJECTED, UNCHANGED, UPDATED, Archive, content_hash, read
from scraper.storage.archive import as_record
from scraper.storage.usable import UnusableArchive, check_writable_archive
from scraper.urls import canonical_url

from .options import ArchiveError, check_archive, db_option
from .output import echo, echo_json
from .progress import check_exclusive, json_option, quiet_option


@click.command()
@click.option("--dry-run", is_flag=True, help="Parse and count, write nothing.")
@click.option("--limit", type=click.IntRange(0), default=0, help="Only the first N articles (0: all).")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="While a crawl writes the archive, wait for it to finish (--no-wait: exit 4 at once).")
@quiet_option
@json_option
@db_option
def reparse(dry_run, limit, wait, quiet, as_json, db_path):
    """Rebuild every article record from its stored raw page with the current parser. Fetches nothing.

    For each article id with stored pages, its successful fetches are tried newest first and the first
    that parses to that article (not cut off, not a soft 404 or the home page served under its URL;
    pages stored without a body are skipped) rebuilds the record: an article whose record changes keeps
    its earlier record as a version. Counts changed, unchanged and failed (no stored page the parser
    accepts, or a record storage refuses to store).
    Recorded in crawl_runs with mode "reparse" (the crawler plans its runs from crawl modes only).
    Takes the archive's crawl lock: while a crawl runs, it says so and waits for it (a crawl started
    meanwhile is skipped, exit 4, as beside another crawl). Exit status 1 when any page failed or the
    archive cannot be written; 4 when a crawl holds the archive and --no-wait was given.
    A progress bar on standard error (on a terminal), the summary line on standard output (--quiet: the
    summary alone; --json: as JSON, keys in the README).

    \b
    Example:
      ldtd reparse --db archive.db
    """
    check_exclusive(False, quiet, as_json)
    check_archive(db_path)
    try:
        check_writable_archive(db_path)
    except UnusableArchive as exc:
        raise ArchiveError(str(exc)) from None
    lock = _hold_crawl_lock(db_path, wait)
    try:
        _reparse(db_path, dry_run, limit, show_progress=not (quiet or as_json), as_json=as_json)
    except read.StorageFailure as exc:  # a writer that takes no lock ("database is locked"), a full disk
        raise ArchiveError(f"reparse stopped: {exc}; run it again") from None
    finally:
        lock.__exit__(None, None, None)


def _hold_crawl_lock(db_path: Path, wait: bool):
    """The archive's crawl lock (`scraper.crawl.run.crawl_lock`, held by every crawl while it writes), entered;
    while a crawl holds it: wait, saying so, or (wait=False) exit 4 as `ldtd crawl` does."""
    from scraper.crawl.run import EXIT_LOCKED, ArchiveLocked, crawl_lock  # (ldtd starts without loading Scrapy)

    waiting = False
    while True:
        lock = crawl_lock(str(db_path))
        try:
            lock.__enter__()
        except ArchiveLocked:
            try:
                holder = Path(f"{db_path}.crawl-lock").read_text().strip() or "another process"
            except OSError:
                holder = "another process"
            if not wait:
                echo(f"ldtd reparse: a crawl ({holder}) is writing {db_path}; nothing done (run it again"
                     f" once the crawl has finished, or without --no-wait)", err=True)
                sys.exit(EXIT_LOCKED)
            if not waiting:
                echo(f"ldtd reparse: a crawl ({holder}) is writing {db_path}: waiting for it to finish"
                     f" (Ctrl+C to give up)", err=True)
                waiting = True
            time.sleep(0.5)
            continue
        if waiting:
            echo("ldtd reparse: the crawl has finished; reparsing", err=True)
        return lock


def _reparse(db_path: Path, dry_run: bool, limit: int, show_progress: bool = True, as_json: bool = False) -> None:
    archive = Archive.open(db_path)
    articles = read.rebuild_pages(archive.db)
    if limit:
        articles = articles[:limit]
    counts = {"changed": 0, "unchanged": 0, "failed": 0, "new": 0}
    failures = []
    run_id = None if dry_run else archive.start_run("reparse", {"limit": limit or None})
    try:
        with click.progressbar(articles, label=f"Reparsing {len(articles)} articles", show_pos=True,
                               item_show_func=lambda a: f"#{a[0]}" if a else "",
                               file=sys.stderr if show_progress else io.StringIO()) as bar:
            for article_id, pages in bar:
                article, page, error = _parse_newest_good(archive, article_id, pages)
                if article is None:
                    counts["failed"] += 1
                    failures.append({"article_id": article_id, "url": canonical_url(pages[0]["url"]), "error": error})
                    continue
                before = archive.known([article.id]).get(article.id)
                if dry_run:
                    digest = content_hash(as_record(article))
                    key = "new" if before is None else "unchanged" if before["content_hash"] == digest else "changed"
                    counts[key] += 1
                    continue
                # A reparse is not a fetch: times never move backwards and a gone article stays gone.
                fetched_at = max(page["fetched_at"], before["last_fetched_at"] or "") if before else page["fetched_at"]
                result = archive.save_article(article, fetched_at=fetched_at, page_id=page["page_id"], run_id=run_id)
                if before and before["gone_at"]:
                    archive.mark_gone(article.id, at=before["gone_at"])
                if result == UNCHANGED:
                    counts["unchanged"] += 1
                elif result == UPDATED:
                    counts["changed"] += 1
                elif result == NEW:
                    counts["new"] += 1
                elif result == REJECTED:
                    counts["failed"] += 1
                    failures.append({"article_id": article.id, "url": canonical_url(page["url"]),
                                     "error": "rejected by storage"})
        outcome = "failed" if failures else "ok"
    except BaseException:
        outcome = "interrupted"
        raise
    finally:
        summary = (f"{'Would change' if dry_run else 'Changed'}: {counts['changed']}, unchanged: {counts['unchanged']}, "
                   f"failed: {counts['failed']}" + (f", new: {counts['new']}" if counts["new"] else ""))
        if run_id is not None:
            archive.finish_run(run_id, outcome, errors=failures[:100], summary=f"reparse {outcome}: {summary}",
                               counts={"requests": 0, "new": counts["new"], "updated": counts["changed"],
                                       "unchanged": counts["unchanged"], "gone": 0, "failed": counts["failed"]})
        archive.close()
    if as_json:
        echo_json({"outcome": outcome, "exit_code": 1 if failures else 0, "summary": summary, "run_id": run_id,
                   "dry_run": dry_run, "counts": counts, "failures": failures[:100]})
        if failures:
            sys.exit(1)
        return
    echo(summary)
    for f in failures[:10]:
        echo(f"  failed #{f['article_id']} {f['url']}: {f['error']}", err=True)
    if len(failures) > 10:
        echo(f"  ... and {len(failures) - 10} more", err=True)
    if failures:
        sys.exit(1)


def _parse_newest_good(archive: Archive, article_id: int, pages: list[dict]):
    """(article, page, None) for the newest stored page that parses to this article's id, else
    (None, None, why the newest page with a body failed). Pages stored without a body (an unchanged
    refetch whose body was not kept) are skipped."""
    from scraper.parsing.article import parse_article  # (only the commands that parse load the parser)

    error = None
    for page in pages:
        raw = archive.page_body(page["page_id"])
        if not raw:
            continue
        try:
            article = parse_article(raw, canonical_url(page["url"]))
        except ParseError as exc:
            error = error or str(exc)[:300]
            continue
        if article.id != article_id:
            error = error or f"the page parses to article {article.id}, not {article_id}"
            continue
        return article, page, None
    if error is None:
        error = "no stored page with a body"
    elif len(pages) > 1:
        error += f" (and no earlier stored page parsed either: {len(pages)} tried)"
    return None, None, error


COMMANDS = [reparse]
