"""ldtd search: full-text search of the archive (the ranking is scraper.storage.search's)."""

from __future__ import annotations

import sys

import click

from scraper.storage.read import StorageFailure
from scraper.storage.search import QueryError, search as run_search, why_nothing

from .options import ArchiveError, db_option, filters, open_archive, quiet_on_closed_pipe
from .output import day, echo, echo_json, highlight


@click.command()
@click.argument("query")
@filters
@click.option("--limit", "-n", default=20, show_default=True, type=click.IntRange(1, 10_000), help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (id, url, title, published_at, snippet, ...).")
@db_option
@quiet_on_closed_pipe
def search(query, category, since, until, author, limit, as_json, db_path):
    """Full-text search of the archive, best matches first, with or without diacritics.

    "ra soat bang cap" finds "Rà soát lại bằng cấp ...", "dao tao" finds "đào tạo". Words are all
    required; "quoted words" form a phrase; a trailing * searches a prefix (cán*, 3 letters at least);
    a OR b finds either (giá vàng OR bạc: giá and one of the two); -word or NOT word excludes (a query
    starting with - goes after --). --category and --author ignore case and diacritics ("thoi su" is
    "Thời sự"; `ldtd stats --by category` lists them).

    \b
    Examples:
      ldtd search "dao tao can bo"
      ldtd search "Hà Nội" --category "thoi su" --since 2023-11-01 --json
      ldtd search '"lao động" OR "công đoàn" -bóng'
      ldtd search -- '-bóng đá'
    """
    db = open_archive(db_path)
    try:
        results = run_search(db, query, category=category, since=since, until=until, author=author, limit=limit)
    except QueryError as exc:  # too long, an unbalanced quote, a lone operator: says which
        raise click.BadParameter(str(exc), param_hint="QUERY") from None
    except StorageFailure as exc:
        raise ArchiveError(f"search failed on {db_path}: {exc} (an archive from an older version? run `ldtd reparse`)")
    if as_json:
        echo_json(results)
        return
    if not results:
        echo(why_nothing(db, query, category=category, since=since, until=until, author=author), err=True)
        return
    color = sys.stdout.isatty()
    for n, r in enumerate(results, 1):
        meta = " · ".join(x for x in (day(r["published_at"]), r.get("category"), r.get("author")) if x)
        echo(f"{n:>3}. {r['title']}", bold=color)
        echo(f"     #{r['id']}  {meta}{'  [gone]' if r.get('gone_at') else ''}")
        echo(f"     {r['url']}")
        if r.get("snippet"):
            click.echo(f"     {highlight(r['snippet'], color)}")  # (printable: see highlight)
        echo()


COMMANDS = [search]
