"""ldtd stats: what the archive holds, per category and month, the recent runs, and gaps worth a look."""

from __future__ import annotations

import click

from scraper.storage import images as image_store, read
from scraper.storage.search import FILTER_COLUMNS, filter_values

from .options import ArchiveError, db_option, open_archive, quiet_on_closed_pipe
from .output import day, echo, echo_json

HEALTH_LABELS = {
    "fallback_or_metadata": "article{s} extracted without a site template (metadata/fallback)",
    "with_warnings": "article{s} with extraction warnings",
    "gone": "article{s} gone from the site",
    "undated": "article{s} without a publication date",
    "empty_body": "article{s} with an empty body",
    "related_not_archived": "related article{s} linked but not archived",
    "failed_fetches": "failed fetch{es} (status >= 400)",
    "changed_articles": "article{s} changed since first archived",
}


def _bytes(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n} bytes"


def _bar(n: int, peak: int, width: int = 30) -> str:
    return "█" * max(1, round(width * n / peak)) if n and peak else ""


@click.command()
@click.option("--runs", default=5, show_default=True, type=click.IntRange(0, 1000), help="How many recent runs to list.")
@click.option("--months", default=24, show_default=True, type=click.IntRange(0), help="How many recent months (0: all).")
@click.option("--by", type=click.Choice(sorted(FILTER_COLUMNS)),
              help="Only list the values of this search filter, with article counts (for --category/--author).")
@click.option("--json", "as_json", is_flag=True, help="Print everything as one JSON object.")
@db_option
@quiet_on_closed_pipe
def stats(runs, months, by, as_json, db_path):
    """What the archive holds: counts per category and month, recent runs, and gaps worth a look.

    Gaps: the largest ranges of article ids never seen (between the smallest and largest archived),
    days with no article, articles extracted without a site template, gone articles, failed fetches.

    \b
    Examples:
      ldtd stats --db archive.db --runs 10
      ldtd stats --by author --json
    """
    db = open_archive(db_path)
    if read.pending_migrations(db):  # (its counts read indexes and tables an older schema lacks)
        raise ArchiveError(f"{db_path} was made by an older ldtd: run `ldtd crawl --db {db_path}` (or `ldtd serve`)"
                           " once to upgrade it")
    if by:  # (the folded filter columns of migration 0012)
        _print_values(by, filter_values(db, by), as_json)
        return
    data = read.stats(db, runs=runs, months=months or None)
    store = image_store.store_dir(db_path)
    size = image_store.size(store)
    data["images_store"] = {"path": str(store), "files": size.files, "bytes": size.bytes}
    if as_json:
        echo_json(data)
        return
    echo(f"{data['articles']:,} articles", bold=True, nl=False)
    echo(f", {data['pages']:,} fetched pages, published {day(data['first_published'])} .. "
         f"{day(data['last_published'])}")
    if size.files:
        echo(f"images store: {size.files:,} files, {_bytes(size.bytes)} ({store})")
    else:
        echo("images store: empty (ldtd crawl --images keeps each article's images)")
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
    _print_runs(data["last_runs"])
    echo()
    echo("Gaps worth a look:")
    if data["id_range"]:
        lo, hi = data["id_range"]
        echo(f"  article ids {lo}..{hi}: {data['ids_never_seen']:,} never seen")
        for g in data["largest_id_gaps"]:
            echo(f"    ids {g['first']}..{g['last']} ({g['size']:,} ids)")
    for d in data["days_without_articles"]:
        echo(f"  no article published {d['first']}..{d['last']} ({d['days']} day{'s' if d['days'] > 1 else ''})")
    health = data["health"]
    for key, label in HEALTH_LABELS.items():
        if health.get(key):
            n = health[key]
            echo(f"  {n:,} " + label.format(s="" if n == 1 else "s", es="" if n == 1 else "es"))


def _print_values(by: str, values: list[dict], as_json: bool) -> None:
    """Each category or author (the spelling most articles carry; filters ignore case and diacritics)."""
    if as_json:
        echo_json(values)
        return
    echo(f"{len(values):,} {'categories' if by == 'category' else 'authors'}, most articles first:")
    peak = max((v["articles"] for v in values), default=0)
    for v in values:
        echo(f"  {(v[by] or '(none)')[:40]:<40} {v['articles']:>7,}  {_bar(v['articles'], peak)}")


def _print_runs(runs: list[dict]) -> None:
    echo(f"Last runs ({len(runs)}):")
    if not runs:
        echo("  none recorded")
    for r in runs:
        counts = ", ".join(f"{k} {r[k]}" for k in ("requests", "new", "updated", "unchanged", "gone", "failed",
                                                     "rejected") if r.get(k))
        echo(f"  #{r['id']} {r['started_at']} {r.get('mode') or ''}: {r.get('outcome') or '?'}"
             f"{' (' + counts + ')' if counts else ''}"
             f"{', ' + str(r['error_count']) + ' errors' if r.get('error_count') else ''}")
        if r.get("summary"):
            echo(f"      {r['summary']}")


COMMANDS = [stats]
