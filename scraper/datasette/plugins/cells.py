"""How cells render: bodies of earlier versions and query results as sanitised HTML (re-cleaned with nh3
here; an article's own body is on its page), search snippets with their marks only, titles in query
results linked to the article page, dates in query results as a reader writes them, image URLs with the image."""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup

from scraper.datasette.plugins.image_files import local_image_url
from scraper.datasette.render import marked_to_html, reader_date, safe_body_html, safe_url
from scraper.datasette.served import ARTICLES


# Query result columns holding an ISO time (the canned queries' and feeds' published_at, edited_at)
DATE_COLUMNS = ("published_at", "edited_at")


def _row_value(row, key):
    try:
        keys = row.keys()
    except AttributeError:
        return None
    return row[key] if key in keys else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "body_html" and table in ("article_versions", None) and isinstance(value, str):
        return Markup('<div class="ldtd-body">{}</div>').format(Markup(safe_body_html(value)))
    if table is None and column in DATE_COLUMNS and isinstance(value, str) and value[:4].isdigit():
        return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(value, reader_date(value))
    if table is None and column == "snippet" and isinstance(value, str):
        return Markup(marked_to_html(value))
    if table is None and column == "title" and isinstance(value, str):
        article_id = _row_value(row, "id")
        if isinstance(article_id, int):
            url = datasette.urls.row(database, ARTICLES, article_id)
            return Markup('<a class="ldtd-article" href="{}">{}</a>').format(url, value)
    if table == "images" and column == "url" and isinstance(value, str):
        url = safe_url(value)
        if url:
            # the local copy when the images store has its bytes (its sha256 column), else the live URL
            sha256 = _row_value(row, "sha256")
            shown = local_image_url(datasette, sha256) if isinstance(sha256, str) and len(sha256) == 64 else url
            return Markup(
                '<a href="{0}" rel="noopener noreferrer nofollow">{0}</a><br>'
                '<img src="{1}" alt="" loading="lazy" referrerpolicy="no-referrer" style="max-width: 12em">'
            ).format(url, shown)
    return None
