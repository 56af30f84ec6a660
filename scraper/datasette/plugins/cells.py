"""How cells render: article bodies as sanitised HTML (re-cleaned with nh3 here), search snippets with
their marks only, titles in query results linked to the article page, image URLs with the image."""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup

from scraper.datasette.render import marked_to_html, safe_body_html, safe_url
from scraper.datasette.served import ARTICLES


def _row_value(row, key):
    try:
        keys = row.keys()
    except AttributeError:
        return None
    return row[key] if key in keys else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "body_html" and table in (ARTICLES, "article_versions", None) and isinstance(value, str):
        return Markup('<div class="ldtd-body">{}</div>').format(Markup(safe_body_html(value)))
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
            return Markup(
                '<a href="{0}" rel="noopener noreferrer nofollow">{0}</a><br>'
                '<img src="{0}" alt="" loading="lazy" referrerpolicy="no-referrer" style="max-width: 12em">'
            ).format(url)
    return None
