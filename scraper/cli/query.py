"""ldtd commands to use the archive: search, show, stats, export, reparse, serve.

Reading commands open the archive read-only (the crawler may be writing it: WAL lets both proceed) and
never create or migrate a file; `reparse` opens it through `Archive.open` like any writer. A missing file
or a database that is not an ldtd archive is reported in one line with a non-zero exit, no traceback.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import click
from sqlite_utils import Database

from .output import PrintableWriter, echo, json_text, printable

ARCHIVE_TABLES = ("articles", "pages", "crawl_runs")
SQLITE_MAGIC = b"SQLite format 3\x00"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([+-]\d{2}:\d{2}|Z)?)?$")

db_option = click.option(
    "--db",
    "db_path",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive file (SQLite).",
)


class ArchiveError(click.ClickException):
    """A missing or foreign database: one line on stderr, exit status 1, no traceback."""


def check_archive(path: Path) -> None:
    """Raise ArchiveError unless `path` is an existing ldtd archive (never creates anything)."""
    if not path.exists():
        raise ArchiveError(
            f"no archive at {path}: run `ldtd crawl --db {path}` (or `ldtd demo`) to create one, or pass --db PATH"
        )
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head != SQLITE_MAGIC:
        raise ArchiveError(f"{path} is not an ldtd archive (not an SQLite database)")
    try:
        conn = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path} is not an ldtd archive ({exc})") from None
    missing = [t for t in ARCHIVE_TABLES if t not in names]
    if missing:
        raise ArchiveError(
            f"{path} is an SQLite database but not an ldtd archive (no {', '.join(missing)} table"
            f"{'s' if len(missing) > 1 else ''})"
        )


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def open_readonly(path: Path) -> Database:
    """The archive, read-only: safe beside a running crawl, and it never creates or migrates a file."""
    check_archive(path)
    conn = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout = 5000")
    return Database(conn)


def _date_option(ctx, param, value):
    """--since/--until: a date (YYYY-MM-DD, a day in Hanoi time) or an ISO 8601 timestamp, with an offset
    or Z (naive means Hanoi time), validated and re-expressed in Hanoi time (+07:00) as the archive stores
    published_at, so that the bounds compare with stored times as instants, not as strings."""
    if value is None:
        return None
    from datetime import date, datetime

    from scraper.parsing.text import normalize_iso

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


def _filters(f):
    f = click.option("--author", help="Only articles by this author (exact name).")(f)
    f = click.option("--until", callback=_date_option,
                     help="Published on or before: YYYY-MM-DD (that whole day, Hanoi time) or an ISO timestamp"
                          " with offset (2023-11-16T09:30:00+07:00).")(f)
    f = click.option("--since", callback=_date_option,
                     help="Published on or after: YYYY-MM-DD (Hanoi time) or an ISO timestamp with offset"
                          " (2023-11-16T02:30:00Z).")(f)
    f = click.option("--category", help='Only this category, as shown on the site ("Thời sự").')(f)
    return f


def quiet_on_closed_pipe(command):
    """Output cut short by the reader (`ldtd search … | head -1`) ends the command quietly with status 0,
    as Unix tools do, instead of click's silent exit 1. Standard output is pointed at /dev/null so
    that the interpreter's last flush at exit does not raise again."""
    import functools

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


def _echo_json(data) -> None:
    click.echo(json_text(data, indent=2))


def _highlight(snippet: str, color: bool) -> str:
    """Storage snippets mark matches with [ ]: bold on a terminal, kept as-is elsewhere. Made printable
    first: the only escape sequences are the highlight's."""
    snippet = printable(snippet)
    if not color:
        return snippet
    return re.sub(r"\[([^\[\]]*)\]", lambda m: click.style(m.group(1), bold=True, fg="yellow"), snippet)


def _day(value: str | None) -> str:
    return (value or "")[:10] or "----------"


# -- search --------------------------------------------------------------------------------------

@click.command()
@click.argument("query")
@_filters
@click.option("--limit", "-n", default=20, show_default=True, type=click.IntRange(1, 10_000), help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (id, url, title, published_at, snippet, ...).")
@db_option
@quiet_on_closed_pipe
def search(query, category, since, until, author, limit, as_json, db_path):
    """Full-text search of the archive, best matches first, with or without diacritics.

    "ra soat bang cap" finds "Rà soát lại bằng cấp ...", "dao tao" finds "đào tạo". Words are all
    required; "quoted words" form a phrase; a trailing * searches a prefix (cán*).

    \b
    Examples:
      ldtd search "dao tao can bo"
      ldtd search "Hà Nội" --category "Thời sự" --since 2023-11-01 --json
    """
    from scraper.storage.search import QueryTooLong, search as run_search

    db = open_readonly(db_path)
    try:
        results = run_search(db, query, category=category, since=since, until=until, author=author, limit=limit)
    except QueryTooLong as exc:
        raise click.BadParameter(str(exc), param_hint="QUERY") from None
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"search failed on {db_path}: {exc} (an archive from an older version? run `ldtd reparse`)")
    if as_json:
        _echo_json(results)
        return
    if not results:
        echo(f"No articles match {query!r}.", err=True)
        return
    color = sys.stdout.isatty()
    for n, r in enumerate(results, 1):
        meta = " · ".join(x for x in (_day(r["published_at"]), r.get("category"), r.get("author")) if x)
        echo(f"{n:>3}. {r['title']}", bold=color)
        echo(f"     #{r['id']}  {meta}{'  [gone]' if r.get('gone_at') else ''}")
        echo(f"     {r['url']}")
        if r.get("snippet"):
            click.echo(f"     {_highlight(r['snippet'], color)}")  # (printable: see _highlight)
        echo()


# -- show ----------------------------------------------------------------------------------------

def _resolve_article(db: Database, ref: str) -> int:
    from scraper.storage.versions import storable_id  # a bigger number is no article (not an OverflowError)

    ref = ref.strip()
    if ref.isdigit():
        article_id = int(ref)
        if storable_id(article_id) and db.execute("select 1 from articles where id = ?", [article_id]).fetchone():
            return article_id
        raise click.ClickException(f"no article #{article_id} in the archive")
    from scraper.urls import article_id as url_article_id, canonical_url

    row = db.execute("select id from articles where url = ?", [canonical_url(ref)]).fetchone()
    if row:
        return row[0]
    article_id = url_article_id(ref)
    if (article_id is not None and storable_id(article_id)
            and db.execute("select 1 from articles where id = ?", [article_id]).fetchone()):
        return article_id
    raise click.ClickException(f"no archived article for {ref!r} (give an article id or its URL)")


@click.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--diff", nargs=2, metavar="A B", help="Diff two versions (numbers from the list, or 'current').")
@click.option("--body/--no-body", default=True, show_default=True, help="Print the article's text.")
@click.option("--json", "as_json", is_flag=True, help="Print the record, its related links and versions as JSON.")
@db_option
@quiet_on_closed_pipe
def show(ref, diff, body, as_json, db_path):
    """One archived article: its text, related links (marked when archived), images and versions.

    \b
    Examples:
      ldtd show 164585
      ldtd show https://laodongthudo.vn/ra-soat-lai-bang-cap-chuyen-mon-164585.html
      ldtd show 164585 --diff 1 current
        (an article that has changed since it was archived: `ldtd show` lists its versions)
    """
    from scraper.storage import versions as v

    db = open_readonly(db_path)
    article_id = _resolve_article(db, ref)
    versions = v.versions(db, article_id)
    record = versions[-1]["record"]
    row = next(db.query("select * from articles where id = ?", [article_id]))
    related = list(db.query(
        "select r.block, r.position, r.url, r.title, r.target_id, a.title as target_title from related_links r"
        " left join articles a on a.id = r.target_id where r.article_id = ? order by r.id", [article_id]))

    if diff:
        if len(versions) == 1:
            echo(f"#{article_id} has one version, the current one (it has not changed since it was"
                       f" archived): nothing to compare")
            return
        try:
            a, b = (v.pick(versions, x) for x in diff)
        except v.NoSuchVersion as exc:
            raise click.BadParameter(str(exc), param_hint="--diff") from None
        if a is b:
            echo(f"--diff names version {a['number']} twice: give two of versions 1..{len(versions)}")
            return
        lines = v.diff(a, b)
        if not lines:
            echo(f"versions {a['number']} and {b['number']} are identical")
            return
        color = sys.stdout.isatty()
        for line in lines:
            if color and line.startswith("+") and not line.startswith("+++"):
                echo(line, fg="green")
            elif color and line.startswith("-") and not line.startswith("---"):
                echo(line, fg="red")
            else:
                echo(line)
        return

    if as_json:
        _echo_json({
            **record,
            "related": [dict(r, archived=r["target_id"] is not None) for r in related],
            "first_seen_at": row["first_seen_at"], "last_fetched_at": row["last_fetched_at"],
            "last_changed_at": row["last_changed_at"], "gone_at": row["gone_at"],
            "versions": [{k: v[k] for k in ("number", "version_id", "valid_from", "valid_until")} for v in versions],
        })
        return

    echo(record["title"], bold=True)
    meta = " · ".join(x for x in (record.get("published_at"), record.get("category"), record.get("author")) if x)
    echo(f"#{article_id}  {meta}")
    echo(record["url"])
    if row["gone_at"]:
        echo(f"gone from the site since {row['gone_at']}")
    if record.get("tags"):
        echo("tags: " + ", ".join(record["tags"]))
    if body:
        echo()
        if record.get("sapo"):
            echo(record["sapo"])
            echo()
        echo(record.get("body") or "")
    echo()
    images = record.get("images") or []
    echo(f"Images ({len(images)}):")
    for n, i in enumerate(images, 1):
        echo(f"  {n}. {i['url']}")
        if i.get("caption"):
            echo(f"     {i['caption']}")
    echo()
    archived = sum(1 for r in related if r["target_id"] is not None)
    echo(f"Related links ({len(related)}, {archived} archived):")
    block = object()
    for r in related:
        if r["block"] != block:
            block = r["block"]
            echo(f"  {block or '(no block)'}:")
        mark = f"[archived #{r['target_id']}]" if r["target_id"] is not None else "[not archived]"
        echo(f"    {r['position'] or '-':>2}. {r['target_title'] or r['title']}  {mark}")
        echo(f"        {r['url']}")
    echo()
    echo(f"Versions ({len(versions)}):")
    for v in versions:
        until = v["valid_until"] or "now (current)"
        echo(f"  {v['number']}. {v['valid_from'] or '?'} .. {until}: {v['record'].get('title')}")
    if len(versions) > 1:
        echo(f"  compare: ldtd show {article_id} --diff 1 current")


# -- stats ---------------------------------------------------------------------------------------

def _id_gaps(ids: list[int], top: int = 10, min_size: int = 1) -> tuple[int, list[tuple[int, int]]]:
    """(ids missing between the smallest and the largest, the largest runs of missing ids as (first, last))."""
    gaps = []
    missing = 0
    for a, b in zip(ids, ids[1:]):
        if b - a > 1:
            missing += b - a - 1
            if b - a - 1 >= min_size:
                gaps.append((a + 1, b - 1))
    gaps.sort(key=lambda g: (-(g[1] - g[0]), g[0]))
    return missing, gaps[:top]


def collect_stats(db: Database, runs: int = 5, months: int | None = None) -> dict:
    one = lambda sql, args=(): db.execute(sql, list(args)).fetchone()[0]
    total = one("select count(*) from articles")
    per_category = [dict(category=r[0], articles=r[1]) for r in db.execute(
        "select coalesce(category, '(none)'), count(*) from articles group by 1 order by 2 desc, 1")]
    per_month = [dict(month=r[0], articles=r[1]) for r in db.execute(
        "select coalesce(substr(published_at, 1, 7), '(undated)'), count(*) from articles group by 1 order by 1 desc")]
    if months:
        per_month = per_month[:months]
    last_runs = list(db.query(f"select * from crawl_runs order by id desc limit {int(runs)}"))
    for r in last_runs:
        r.pop("args", None)
        errors = r.pop("errors", None)
        try:
            r["error_count"] = len(json.loads(errors or "[]"))
        except ValueError:
            r["error_count"] = None
    ids = [r[0] for r in db.execute("select id from articles order by id")]
    missing, gaps = _id_gaps(ids)
    days = [r[0] for r in db.execute(
        "select distinct substr(published_at, 1, 10) from articles where published_at is not null order by 1")]
    empty_days = _empty_day_runs(days)
    # One pass over the articles for the per-row checks: the columns stored after the body cost a
    # read of the whole row, so four separate counts would read a big archive four times.
    scan = db.execute(
        "select coalesce(sum(extraction_strategy != 'selectors'), 0),"
        " coalesce(sum(extraction_warnings is not null and extraction_warnings not in ('[]', '')), 0),"
        " coalesce(sum(gone_at is not null), 0), coalesce(sum(published_at is null), 0),"
        " coalesce(sum(coalesce(body, '') = ''), 0) from articles"
    ).fetchone()
    health = {
        "fallback_or_metadata": scan[0],
        "with_warnings": scan[1],
        "gone": scan[2],
        "undated": scan[3],
        "empty_body": scan[4],
        "related_links": one("select count(*) from related_links"),
        "related_not_archived": one("select count(distinct url) from related_links where target_id is null"),
        "failed_fetches": one("select count(*) from pages where status >= 400 or status is null"),
        "changed_articles": one("select count(distinct article_id) from article_versions"),
        "versions": one("select count(*) from article_versions"),
    }
    return {
        "articles": total,
        "pages": one("select count(*) from pages"),
        "first_published": one("select min(published_at) from articles"),
        "last_published": one("select max(published_at) from articles"),
        "per_category": per_category,
        "per_month": per_month,
        "last_runs": last_runs,
        "id_range": [ids[0], ids[-1]] if ids else None,
        "ids_never_seen": missing,
        "largest_id_gaps": [{"first": a, "last": b, "size": b - a + 1} for a, b in gaps],
        "days_without_articles": empty_days,
        "health": health,
    }


def _empty_day_runs(days: list[str], top: int = 10) -> list[dict]:
    from datetime import date

    parsed = []
    for d in days:
        try:
            parsed.append(date.fromisoformat(d))
        except ValueError:
            continue
    runs = []
    for a, b in zip(parsed, parsed[1:]):
        gap = (b - a).days - 1
        if gap >= 1:
            from datetime import timedelta

            runs.append({"first": (a + timedelta(days=1)).isoformat(), "last": (b - timedelta(days=1)).isoformat(),
                         "days": gap})
    runs.sort(key=lambda r: (-r["days"], r["first"]))
    return runs[:top]


def _bar(n: int, peak: int, width: int = 30) -> str:
    return "█" * max(1, round(width * n / peak)) if n and peak else ""


@click.command()
@click.option("--runs", default=5, show_default=True, type=click.IntRange(0, 1000), help="How many recent runs to list.")
@click.option("--months", default=24, show_default=True, type=click.IntRange(0), help="How many recent months (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print everything as one JSON object.")
@db_option
@quiet_on_closed_pipe
def stats(runs, months, as_json, db_path):
    """What the archive holds: counts per category and month, recent runs, and gaps worth a look.

    Gaps: the largest ranges of article ids never seen (between the smallest and largest archived),
    days with no article, articles extracted without a site template, gone articles, failed fetches.

    \b
    Example:
      ldtd stats --db archive.db --runs 10
    """
    db = open_readonly(db_path)
    data = collect_stats(db, runs=runs, months=months or None)
    if as_json:
        _echo_json(data)
        return
    echo(f"{data['articles']:,} articles", bold=True, nl=False)
    echo(f", {data['pages']:,} fetched pages, published {_day(data['first_published'])} .. "
         f"{_day(data['last_published'])}")
    echo()
    echo("Per category:")
    peak = max((c["articles"] for c in data["per_category"]), default=0)
    for c in data["per_category"]:
        echo(f"  {c['category'][:32]:<32} {c['articles']:>7,}  {_bar(c['articles'], peak)}")
    echo()
    echo("Per month:")
    peak = max((m["articles"] for m in data["per_month"]), default=0)
    for m in data["per_month"]:
        echo(f"  {m['month']:<10} {m['articles']:>7,}  {_bar(m['articles'], peak)}")
    echo()
    echo(f"Last runs ({len(data['last_runs'])}):")
    if not data["last_runs"]:
        echo("  none recorded")
    for r in data["last_runs"]:
        counts = ", ".join(f"{k} {r[k]}" for k in ("requests", "new", "updated", "unchanged", "gone", "failed",
                                                     "rejected") if r.get(k))
        echo(f"  #{r['id']} {r['started_at']} {r.get('mode') or ''}: {r.get('outcome') or '?'}"
                   f"{' (' + counts + ')' if counts else ''}"
                   f"{', ' + str(r['error_count']) + ' errors' if r.get('error_count') else ''}")
        if r.get("summary"):
            echo(f"      {r['summary']}")
    echo()
    echo("Gaps worth a look:")
    if data["id_range"]:
        lo, hi = data["id_range"]
        echo(f"  article ids {lo}..{hi}: {data['ids_never_seen']:,} never seen")
        for g in data["largest_id_gaps"]:
            echo(f"    ids {g['first']}..{g['last']} ({g['size']:,} ids)")
    for d in data["days_without_articles"]:
        echo(f"  no article published {d['first']}..{d['last']} ({d['days']} day{'s' if d['days'] > 1 else ''})")
    h = data["health"]
    labels = {
        "fallback_or_metadata": "article{s} extracted without a site template (metadata/fallback)",
        "with_warnings": "article{s} with extraction warnings",
        "gone": "article{s} gone from the site",
        "undated": "article{s} without a publication date",
        "empty_body": "article{s} with an empty body",
        "related_not_archived": "related article{s} linked but not archived",
        "failed_fetches": "failed fetch{es} (status >= 400)",
        "changed_articles": "article{s} changed since first archived",
    }
    for key, label in labels.items():
        if h.get(key):
            n = h[key]
            echo(f"  {n:,} " + label.format(s="" if n == 1 else "s", es="" if n == 1 else "es"))


# -- export --------------------------------------------------------------------------------------

CSV_FIELDS = ("id", "url", "title", "sapo", "author", "published_at", "updated_at", "category", "category_url",
              "tags", "images", "related", "body")


def _select_ids(db: Database, query, category, since, until, author, limit) -> list[int]:
    if query:
        from scraper.storage.search import QueryTooLong, search as run_search

        try:
            return [r["id"] for r in run_search(db, query, category=category, since=since, until=until,
                                                author=author, limit=limit or 1_000_000)]
        except QueryTooLong as exc:
            raise click.BadParameter(str(exc), param_hint="--query") from None
    where, args = [], []
    if category:
        where.append("category = ?")
        args.append(category)
    if author:
        where.append("author = ?")
        args.append(author)
    if since:
        where.append("published_at >= ?")
        args.append(since)
    if until:
        where.append("published_at < ?" if len(until) == 10 else "published_at <= ?")
        args.append(until + "T99" if len(until) == 10 else until)
    sql = "select id from articles" + (" where " + " and ".join(where) if where else "")
    sql += " order by published_at desc, id desc"
    if limit:
        sql += f" limit {int(limit)}"
    return [r[0] for r in db.execute(sql, args)]


def iter_records(db: Database, ids: Iterable[int]):
    from scraper.storage import Archive

    archive = Archive(db)
    for article_id in ids:
        record = archive.record(article_id)
        if record is not None:
            yield record


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
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="JSON Lines (one full record per line) or CSV (one row per article).")
@click.option("--query", "-q", help="Only articles matching this search (ranked order); else newest first.")
@_filters
@click.option("--limit", type=click.IntRange(0), default=0, help="At most this many articles (0: all).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default="-",
              help="Write here instead of standard output.")
@db_option
@quiet_on_closed_pipe
def export(fmt, query, category, since, until, author, limit, output, db_path):
    """Export articles as JSON Lines or CSV: all of them, or those a query and filters select.

    JSON Lines records have the same keys as the parser's record (tags, images, related included);
    CSV flattens tags to "a; b", images and related links to JSON.

    \b
    Examples:
      ldtd export --format jsonl -o all.jsonl
      ldtd export --format csv --query "dao tao" --since 2023-01-01 -o dao-tao.csv
    """
    db = open_readonly(db_path)
    _check_output(output, db_path)
    ids = _select_ids(db, query, category, since, until, author, limit)
    try:
        out = click.open_file(output, "w", encoding="utf-8", lazy=False)
    except OSError as exc:
        raise click.BadParameter(f"cannot write {output}: {exc.strerror or exc}", param_hint="--output") from None
    count = 0
    try:
        if fmt == "jsonl":
            for record in iter_records(db, ids):
                out.write(json_text(record) + "\n")
                count += 1
        else:
            # CSV holds the text as archived; on a terminal it is made printable
            sink = PrintableWriter(out) if output == "-" and sys.stdout.isatty() else out
            writer = csv.DictWriter(sink, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for record in iter_records(db, ids):
                row = dict(record)
                row["tags"] = "; ".join(record.get("tags") or [])
                row["images"] = json_text(record.get("images") or [])
                row["related"] = json_text(record.get("related") or [])
                writer.writerow(row)
                count += 1
    finally:
        if output != "-":
            out.close()
    if output != "-":
        echo(f"{count} articles written to {output}", err=True)


# -- reparse -------------------------------------------------------------------------------------

@click.command()
@click.option("--dry-run", is_flag=True, help="Parse and count, write nothing.")
@click.option("--limit", type=click.IntRange(0), default=0, help="Only the first N articles (0: all).")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="While a crawl writes the archive, wait for it to finish (--no-wait: exit 4 at once).")
@db_option
def reparse(dry_run, limit, wait, db_path):
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

    \b
    Example:
      ldtd reparse --db archive.db
    """
    from scraper.storage.usable import UnusableArchive, check_writable_archive

    check_archive(db_path)
    try:
        check_writable_archive(db_path)
    except UnusableArchive as exc:
        raise ArchiveError(str(exc)) from None
    lock = _hold_crawl_lock(db_path, wait)
    try:
        _reparse(db_path, dry_run, limit)
    except sqlite3.OperationalError as exc:  # a writer that takes no lock ("database is locked"), a full disk
        raise ArchiveError(f"reparse stopped: {exc}; run it again") from None
    finally:
        lock.__exit__(None, None, None)


def _hold_crawl_lock(db_path: Path, wait: bool):
    """The archive's crawl lock (`scraper.crawl.run.crawl_lock`, held by every crawl while it writes), entered;
    while a crawl holds it: wait, saying so, or (wait=False) exit 4 as `ldtd crawl` does."""
    from scraper.crawl.run import EXIT_LOCKED, ArchiveLocked, crawl_lock

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


def _reparse(db_path: Path, dry_run: bool, limit: int) -> None:
    from scraper.parsing import ParseError, parse_article
    from scraper.storage import NEW, REJECTED, UNCHANGED, UPDATED, Archive, content_hash
    from scraper.storage.archive import as_record

    archive = Archive.open(db_path)
    db = archive.db
    # Every successful fetch of every article, newest first per article: the newest stored page may
    # be bad (cut off, a soft 404, the home page served under the article's URL with status 200), and
    # an earlier one still holds the article.
    # Storage keeps no body for most unchanged refetches (pages.body_sha256 NULL, page_body() None):
    # those rows are left out here, so an hourly-crawled archive does not list every refetch.
    kept = " and body_sha256 is not null" if "body_sha256" in db["pages"].columns_dict else ""
    candidates: dict[int, list[dict]] = {}
    for page in db.query(
        "select article_id, id as page_id, url, fetched_at from pages"
        f" where article_id is not null and status between 200 and 299{kept} order by article_id, id desc"
    ):
        candidates.setdefault(page["article_id"], []).append(page)
    articles = list(candidates.items())
    if limit:
        articles = articles[:limit]
    counts = {"changed": 0, "unchanged": 0, "failed": 0, "new": 0}
    failures = []
    run_id = None if dry_run else archive.start_run("reparse", {"limit": limit or None})
    try:
        with click.progressbar(articles, label=f"Reparsing {len(articles)} articles", show_pos=True,
                               item_show_func=lambda a: f"#{a[0]}" if a else "", file=sys.stderr) as bar:
            for article_id, pages in bar:
                article, page, error = _parse_newest_good(archive, article_id, pages, parse_article, ParseError)
                if article is None:
                    counts["failed"] += 1
                    failures.append({"article_id": article_id, "url": _canonical(pages[0]["url"]), "error": error})
                    continue
                url = _canonical(page["url"])
                if dry_run:
                    current = db.execute("select content_hash from articles where id = ?", [article.id]).fetchone()
                    digest = content_hash(as_record(article))
                    key = "new" if current is None else "unchanged" if current[0] == digest else "changed"
                    counts[key] += 1
                    continue
                before = db.execute("select last_fetched_at, gone_at from articles where id = ?",
                                    [article.id]).fetchone()
                # A reparse is not a fetch: times never move backwards and a gone article stays gone.
                fetched_at = max(page["fetched_at"], before[0] or "") if before else page["fetched_at"]
                result = archive.save_article(article, fetched_at=fetched_at, page_id=page["page_id"], run_id=run_id)
                if before and before[1]:
                    archive.mark_gone(article.id, at=before[1])
                if result == UNCHANGED:
                    counts["unchanged"] += 1
                elif result == UPDATED:
                    counts["changed"] += 1
                elif result == NEW:
                    counts["new"] += 1
                elif result == REJECTED:
                    counts["failed"] += 1
                    failures.append({"article_id": article.id, "url": url, "error": "rejected by storage"})
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
    echo(summary)
    for f in failures[:10]:
        echo(f"  failed #{f['article_id']} {f['url']}: {f['error']}", err=True)
    if len(failures) > 10:
        echo(f"  ... and {len(failures) - 10} more", err=True)
    if failures:
        sys.exit(1)


def _parse_newest_good(archive, article_id: int, pages: list[dict], parse_article, ParseError):
    """(article, page, None) for the newest stored page that parses to this article's id, else
    (None, None, why the newest page with a body failed). Pages stored without a body (an unchanged
    refetch whose body was not kept) are skipped."""
    error = None
    for page in pages:
        raw = archive.page_body(page["page_id"])
        if not raw:
            continue
        try:
            article = parse_article(raw, _canonical(page["url"]))
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


def _canonical(url: str) -> str:
    from scraper.urls import canonical_url

    return canonical_url(url)


# -- serve ---------------------------------------------------------------------------------------

def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _check_port(host: str, port: int) -> None:
    """Fail before announcing anything when Datasette could not listen on host:port (the port is taken,
    or the address is not one of this machine's). Bound as uvicorn binds (SO_REUSEADDR), then released."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot serve on {host}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"port {port} on {host} is already in use (another `ldtd serve`?): pass --port N,"
                    f" or --port 0 for any free port") from None
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port, printed at start).")
@click.option("--allow-sql/--no-allow-sql", default=None,
              help="Let visitors run arbitrary SQL. Default: on for 127.0.0.1/localhost/::1 only.")
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
@db_option
def serve(host, port, allow_sql, datasette_args, db_path):
    """Browse the archive in Datasette with the project's configuration (read-only).

    Search with or without diacritics, article pages with body, images and related links, facets on
    category, author and month, charts at /-/ldtd/charts. Safe to run while a crawl writes the
    archive. Served beyond this machine (--host other than 127.0.0.1, localhost or ::1), visitors
    cannot run arbitrary SQL unless --allow-sql says so; tables, facets, search and the canned
    queries work either way. Extra arguments are passed to `datasette serve` (after --).

    \b
    Examples:
      ldtd serve --db archive.db --port 8001
      ldtd serve --host 0.0.0.0 --port 8001        # on the network, without arbitrary SQL
      ldtd serve -- --setting sql_time_limit_ms 5000
    """
    check_archive(db_path)
    from scraper.datasette import config

    if port == 0:
        port = _free_port(host)
    else:
        _check_port(host, port)
    tmpdir = tempfile.mkdtemp(prefix="ldtd-serve-")
    metadata = config.write_metadata(config.database_name(db_path), Path(tmpdir) / "metadata.json")
    sql = config.sql_allowed(host, allow_sql)
    args = [sys.executable, "-m", "datasette", *config.serve_args(db_path, metadata, host, port, allow_sql=sql),
            *datasette_args]
    echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    if not sql:
        echo("Arbitrary SQL is off" + ("" if allow_sql is False else
                   f" ({host} is reachable beyond this machine; --allow-sql turns it on)"), err=True)
    proc = subprocess.Popen(args)
    forward = lambda signum, frame: proc.send_signal(signum)
    signal.signal(signal.SIGTERM, forward)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        code = proc.wait()
    finally:
        try:
            os.remove(metadata)
            os.rmdir(tmpdir)
        except OSError:
            pass
    sys.exit(code if code and code > 0 else 0)


COMMANDS = [search, show, stats, export, reparse, serve]
