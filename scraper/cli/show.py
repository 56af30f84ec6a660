"""ldtd show: one archived article, its related links, images and versions, or a diff of two versions."""

from __future__ import annotations

import sys

import click

from scraper.storage import images as image_store, read, versions as v

from .options import db_option, open_archive, quiet_on_closed_pipe
from .output import echo, echo_json


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
    db = open_archive(db_path)
    article_id = read.find_article(db, ref)
    if article_id is None:
        ref = ref.strip()
        raise click.ClickException(f"no article #{int(ref)} in the archive" if ref.isdigit() else
                                   f"no archived article for {ref!r} (give an article id or its URL)")
    versions = read.versions(db, article_id)
    if diff:
        _print_diff(article_id, versions, diff)
        return
    record = versions[-1]["record"]
    row = read.article_row(db, article_id)
    related = read.related_links(db, article_id)
    local = local_images(db_path, read.images(db, article_id))
    if as_json:
        echo_json({
            **record,
            "images": [{**i, "local_file": local.get(i["url"])} for i in record.get("images") or []],
            "related": [{k: r[k] for k in ("block", "position", "url", "title", "target_id", "target_title")}
                        | {"archived": r["target_id"] is not None} for r in related],
            "first_seen_at": row["first_seen_at"], "last_fetched_at": row["last_fetched_at"],
            "last_changed_at": row["last_changed_at"], "gone_at": row["gone_at"],
            "versions": [{k: x[k] for k in ("number", "version_id", "valid_from", "valid_until")} for x in versions],
        })
        return
    _print_article(article_id, record, row, related, versions, body, local)


def local_images(db_path, rows: list[dict]) -> dict[str, str]:
    """{image URL: its local copy's path} for the images whose bytes are in the images store."""
    store = image_store.store_dir(db_path)
    found = {}
    for i in rows:
        path = image_store.find(store, i["sha256"]) if i["sha256"] else None
        if path is not None:
            found[i["url"]] = str(path)
    return found


def _print_diff(article_id: int, versions: list[dict], refs: tuple[str, str]) -> None:
    if len(versions) == 1:
        echo(f"#{article_id} has one version, the current one (it has not changed since it was"
             f" archived): nothing to compare")
        return
    try:
        a, b = (v.pick(versions, x) for x in refs)
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


def _print_article(article_id: int, record: dict, row: dict, related: list[dict], versions: list[dict],
                   body: bool, local: dict[str, str]) -> None:
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
    kept = sum(1 for i in images if i["url"] in local)
    echo(f"Images ({len(images)}{f', {kept} kept locally' if kept else ''}):")
    for n, i in enumerate(images, 1):
        echo(f"  {n}. {local.get(i['url']) or i['url']}")
        if i["url"] in local:
            echo(f"     from {i['url']}")
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
    for x in versions:
        until = x["valid_until"] or "now (current)"
        echo(f"  {x['number']}. {x['valid_from'] or '?'} .. {until}: {x['record'].get('title')}")
    if len(versions) > 1:
        echo(f"  compare: ldtd show {article_id} --diff 1 current")


COMMANDS = [show]
