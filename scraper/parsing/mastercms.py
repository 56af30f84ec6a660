"""MasterCMS article templates (laodongthudo.vn and its sister sites): selectors and rules together.

``mastercms-2026``: the reference page's template (suckhoeviet.org.vn): ``h1.article-detail-title``,
lead ``div.article-detail-desc``, body ``div.__MASTERCMS_CONTENT`` (inline related
``table.__MB_ARTICLE_A`` inside it, author ``div.article-detail-author`` at its end), then
``div.article-tag``, ``div.article-detail-relate/-similar/-other`` and the sidebar's ``div.bx-cat`` boxes.

``mastercms-2023``: the same family with a related box *above* the body (``div.article-relate`` of
``a.article-link``), the body in ``div#__MB_MASTERCMS_EL_3`` / ``div.__MB_MASTERCMS_EL`` and related
tables (``__mb_article_in_image``, ``_MB_EMBEDNEWS``) at its end.

Selectors: see ``templates.py`` (a CSS subset over a one-pass class index; XPath where order matters).
"""

from __future__ import annotations

from .templates import Template

_H1 = "h1.article-detail-title"
_DATE = "~ span.article-date"  # the first after the headline, near it
_CATEGORY = "~ a.article-cat"
_RELATED = ("div.article-relate, div.article-detail-relate, div.article-detail-similar, div.article-detail-other, "
            "div.bx-cat, section.article-relate, section.article-detail-relate, div.article-read-more")
_TAGS = "div.article-tag a, div.article-keyword a"
_PREV = "div.article-prev a, div.article-detail-prev a, div.prev-article a"
_NEXT = "div.article-next a, div.article-detail-next a, div.next-article a"

MASTERCMS_2026 = Template(
    name="mastercms-2026",
    detect=(_H1, "div.__MASTERCMS_CONTENT"),
    title=_H1,
    sapo="div.article-detail-desc, h2.article-detail-desc",
    body="div.__MASTERCMS_CONTENT",
    date=_DATE,
    category=_CATEGORY,
    author="div.article-detail-author",
    tags=_TAGS,
    related=_RELATED,
    prev=_PREV,
    next=_NEXT,
)

MASTERCMS_2023 = Template(
    name="mastercms-2023",
    detect=(_H1, "div.article-relate, div#__MB_MASTERCMS_EL_3"),
    title=_H1,
    sapo="div.article-detail-desc, h2.article-detail-desc",
    body="div#__MB_MASTERCMS_EL_3, div.__MB_MASTERCMS_EL, div.__MASTERCMS_CONTENT",
    date=_DATE,
    category=_CATEGORY,
    author="div.article-detail-author",
    tags=_TAGS,
    related=_RELATED,
    prev=_PREV,
    next=_NEXT,
)
