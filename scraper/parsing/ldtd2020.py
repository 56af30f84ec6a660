"""The older laodongthudo.vn template (about 2020; old article pages may still be served with it).

Headline ``h1`` in ``div.content_detail``, date in ``.content_detail .tool i``, breadcrumb
``.title_new_nav > span > a`` (the category is its last link), body ``div.detail_info``, tags
``.tags a``; the author is a final right-aligned ``<p><strong>``/``<em>`` line of the body.
"""

from __future__ import annotations

from .templates import Template

TEMPLATE = Template(
    name="ldtd-2020",
    detect=("div.detail_info",),
    title="h1.title_detail, div.content_detail h1",
    sapo="div.sapo_detail, div.sapo, h2.sapo, div.detail_sapo",
    body="div.detail_info",
    date="div.content_detail div.tool i, div.tool i",
    category="div.title_new_nav > span > a",
    category_pick="last",
    author="div.detail_info div.author, div.author",
    trailing_author=True,
    tags="div.tags a, ul.tags a",
    related=("div.list_related, div.other_news, div.box_right, div.related_news, div.news_relate, "
             "div.box_news_other, div.list_news_relate, div.box-related, div.bx-cat, div.box_most_view"),
)
