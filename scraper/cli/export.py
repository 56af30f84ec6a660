"""ldtd export: articles as JSON Lines or CSV, all of them or those a search and filters select; or every
stored page as a WARC."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import click

from scraper.export.warc import write_warc
from scraper.storage import images as image_store
from scraper.storage import read
from scraper.storage.search import QueryError

from .options import db_option, filters, open_archive, quiet_on_closed_pipe
from .output import PrintableWriter, echo, echo_json, json_text
from .progress import StatusLine, check_exclusive, json_option, quiet_option, stderr_is_terminal

CSV_FIELDS = ("id", "url", "title", "sapo", "author", "published_at", "updated_at", "category", "category_url",
              "tags", "images", "related", "body")


def _check_output(output: str, db_path: Path) -> None:
    """Refuse, before anything is written, an --output in a missing directory, or the archive itself."""
    if output == "-":
        return
    target = Path(output).expanduser()
    if not target.parent.is_dir():
        raise click.BadParameter(f"directory {target.parent} does not exist", param_hint="--output")
    if target.exists() and target.resolve() == db_path.resolve():
        raise click.BadParameter(f"{output} is the archive itself", param_hint="--output")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc"]), default="jsonl", show_default=True,
              help="JSON Lines (one full record per line), CSV (one row per article), or WARC (every stored"
                   " page, gzipped WARC 1.1, for pywb or ReplayWeb.page).")
@click.option("--excel", is_flag=True,
              help="CSV for Excel: UTF-8 with a byte order mark, so Vietnamese shows as written.")
@click.option("--query", "-q", help="Only articles matching this search: ranked with a --limit up to 1,000,"
                                   " else every match newest id first. Without it: newest first.")
@filters
@click.option("--limit", type=click.IntRange(0), default=0, help="At most this many articles (0: all).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default="-",
              help="Write here instead of standard output.")
@quiet_option
@json_option
@db_option
@quiet_on_closed_pipe
def export(fmt, excel, query, category, since, until, author, limit, output, quiet, as_json, db_path):
    """Export articles as JSON Lines or CSV: all of them, or those a query and filters select; or every
    page the archive stored as a WARC.

    Articles stream out a few hundred at a time: any selection, the whole archive included, exports in
    bounded memory.

    JSON Lines records have the same keys as the parser's record (tags, images, related included);
    CSV flattens tags to "a; b", images and related links to JSON (--excel: with a byte order mark).
    WARC holds each stored page as fetched (its canonical URL, its fetch time), a revisit record for an
    unchanged refetch whose page was not kept again; see the README's "Replaying the archive".

    On a terminal, a live count on standard error (never in the data); with -o FILE, a closing line
    there too (--quiet: none; --json: the summary as JSON on standard output, keys in the README).

    \b
    Examples:
      ldtd export --format jsonl -o all.jsonl
      ldtd export --format csv --excel --query "dao tao" --since 2023-01-01 -o dao-tao.csv
      ldtd export --format warc -o archive.warc.gz
    """
    check_exclusive(False, quiet, as_json)
    if as_json and output == "-":
        raise click.BadParameter("--json needs -o FILE: standard output carries the data", param_hint="--json")
    if excel and fmt != "csv":
        raise click.BadParameter("--excel is for --format csv", param_hint="--excel")
    if fmt == "warc":
        chosen = [name for name, value in (("--query", query), ("--category", category), ("--since", since),
                                           ("--until", until), ("--author", author), ("--limit", limit)) if value]
        if chosen:
            raise click.BadParameter(f"{', '.join(chosen)}: for jsonl and csv only (a WARC holds every stored"
                                     " page)", param_hint="--format")
        if output == "-" and sys.stdout.isatty():
            raise click.BadParameter("a WARC is binary: write it with -o FILE.warc.gz or redirect it",
                                     param_hint="--output")
    db = open_archive(db_path)
    _check_output(output, db_path)
    status = StatusLine(every=0.2) if stderr_is_terminal() and not (quiet or as_json) else None
    started = time.monotonic()
    if fmt == "warc":
        counts = _export_warc(db, output, db_path, status)
        _report(output, "WARC records", sum(counts.values()), started, status, quiet, as_json,
                fmt, records=dict(sorted(counts.items())))
        return
    try:
        ids = read.iter_ids(db, query, category=category, since=since, until=until, author=author, limit=limit)
    except QueryError as exc:  # too long, or cannot be read (an unbalanced quote): says which
        raise click.BadParameter(str(exc), param_hint="--query") from None
    try:
        out = click.open_file(output, "w", encoding="utf-8-sig" if excel else "utf-8", lazy=False)
    except OSError as exc:
        raise click.BadParameter(f"cannot write {output}: {exc.strerror or exc}", param_hint="--output") from None
    count = 0
    try:
        if fmt == "jsonl":
            for record in read.records(db, ids):
                out.write(json_text(record) + "\n")
                count += 1
                _progress(status, count, "articles", started)
        else:
            # CSV holds the text as archived; on a terminal it is made printable
            sink = PrintableWriter(out) if output == "-" and sys.stdout.isatty() else out
            writer = csv.DictWriter(sink, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for record in read.records(db, ids):
                row = dict(record)
                row["tags"] = "; ".join(record.get("tags") or [])
                row["images"] = json_text(record.get("images") or [])
                row["related"] = json_text(record.get("related") or [])
                writer.writerow(row)
                count += 1
                _progress(status, count, "articles", started)
    finally:
        if output != "-":
            out.close()
    _report(output, "articles", count, started, status, quiet, as_json, fmt)


def _progress(status: StatusLine | None, count: int, what: str, started: float, force: bool = False) -> None:
    if status is not None:
        elapsed = time.monotonic() - started
        status.show(f"{count} {what} · {count / elapsed if elapsed > 0 else 0:.0f}/s", force=force)


def _report(output: str, what: str, count: int, started: float, status: StatusLine | None, quiet: bool,
            as_json: bool, fmt: str, **more) -> None:
    """The live line ended; then the closing line on standard error (with -o FILE), or the JSON summary."""
    if status is not None:
        _progress(status, count, what, started, force=True)
        status.done()
    if as_json:
        echo_json({"format": fmt, "output": output, "count": count, "unit": what.split()[-1],
                   "elapsed_seconds": round(time.monotonic() - started, 3), **more})
    elif output != "-" and not quiet:
        kinds = more.get("records")
        detail = f" ({', '.join(f'{n} {kind}' for kind, n in kinds.items())})" if kinds else ""
        echo(f"{count} {what}{detail} written to {output}", err=True)


def _counted(pages, status: StatusLine | None, started: float):
    """`pages` as they go by, counted on the live line."""
    for n, page in enumerate(pages, 1):
        _progress(status, n, "pages", started)
        yield page


def _export_warc(db, output: str, db_path: Path, status: StatusLine | None = None) -> dict:
    try:
        out = click.open_file(output, "wb", lazy=False)
    except OSError as exc:
        raise click.BadParameter(f"cannot write {output}: {exc.strerror or exc}", param_hint="--output") from None
    try:
        counts = write_warc(out, _counted(read.stored_pages(db), status, time.monotonic()),
                            filename=Path(output).name if output != "-" else "-", archive_name=db_path.name,
                            images=read.stored_images(db, image_store.store_dir(db_path)))
    finally:
        if output != "-":
            out.close()
        else:
            out.flush()
    return counts


COMMANDS = [export]
