"""The article page (/<db>/articles/<id>, templates/row.html): the body, images with captions, tags,
related links (archived ones linked inside the archive), the articles linking here, and versions."""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape

from scraper.datasette.render import safe_body_html, safe_url
from scraper.datasette.served import ARTICLES, HIDDEN_COLUMNS, is_related_box, read_archive
from scraper.datasette.plugins.image_files import local_image_url
from scraper.storage import images as image_store, read

# Shown above the fields table, in the page's own layout.
LAID_OUT = ("body", "body_html", "sapo", "title")


async def article_context(datasette, database, request) -> dict | None:
    try:
        article_id = int(request.url_vars.get("pks", ""))
    except ValueError:
        return None
    page = await read_archive(datasette, datasette.get_database(database), read.article_page, article_id)
    if page is None:
        return None
    row = page["article"]
    store = image_store.store_dir(datasette.get_database(database).path or "")
    local = {}  # live URL -> the local copy's URL, for the images whose bytes are in the images store
    for image in page["images"]:
        image["safe_url"] = safe_url(image["url"])
        if image["sha256"] and image_store.find(store, image["sha256"]) is not None:
            local[image["url"]] = image["local_url"] = local_image_url(datasette, image["sha256"])
    blocks: dict[str, list] = {}
    for link in page["related"]:
        link["safe_url"] = safe_url(link["url"])
        link["archived_url"] = (
            datasette.urls.row(database, ARTICLES, link["target_id"]) if link["target_id"] is not None else None
        )
        blocks.setdefault(link["block"] or "", []).append(link)
    body_html = Markup(with_local_images(safe_body_html(row.get("body_html")), local))
    return {
        "article": row,
        "body_html": body_html,
        "body_has_images": "<img" in body_html,
        "original_url": safe_url(row.get("url")),
        "images": page["images"],
        "related_blocks": list(blocks.items()),
        "related_count": len(page["related"]),
        "tags": page["tags"],
        "versions": page["versions"],
        "linked_from_boxes": _linking_articles(page["linked_from"], boxes=True),
        "linked_from_lists": _linking_articles(page["linked_from"], boxes=False),
        # (read.article_page reads the newest LINKED_FROM_LIMIT links: more may link here)
        "linked_from_more": len(page["linked_from"]) >= read.LINKED_FROM_LIMIT,
        "older": page["older"],
        "newer": page["newer"],
        "fields": [(k, v) for k, v in row.items() if k not in HIDDEN_COLUMNS + LAID_OUT],
    }


def with_local_images(body_html: str, local: dict[str, str]) -> str:
    """Sanitised body HTML with each image whose local copy is kept shown from it (its src, as the
    sanitiser writes URLs: & as &amp;)."""
    for url, local_url in local.items():
        body_html = body_html.replace(f'src="{escape(url)}"', f'src="{escape(local_url)}"')
    return body_html


def _linking_articles(rows: list[dict], boxes: bool) -> list[dict]:
    """The articles linking here from a related box (boxes=True) or from a site list, each once, in the
    order given (newest first), with the blocks it links from."""
    out: dict[int, dict] = {}
    for row in rows:
        if is_related_box(row["block"]) != boxes:
            continue
        entry = out.setdefault(row["id"], {"id": row["id"], "title": row["title"], "blocks": []})
        if row["block"] not in entry["blocks"]:
            entry["blocks"].append(row["block"])
    return list(out.values())


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        if view_name == "row" and table == ARTICLES and request is not None:
            return {"ldtd_article": await article_context(datasette, database, request)}
        return {}

    return inner
