"""The canonical, safe form of article HTML (DESIGN.md "body_html") for any fragment, and its final guard.

:mod:`.render` emits only allowlisted markup; ``nh3`` then runs over the result as a final guard (:func:`guard`).
"""

from __future__ import annotations

import nh3
from lxml import etree

from .body import extract_body

_NH3_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "video",
             "a", "strong", "em", "br"}
_NH3_ATTRS = {"a": {"href"}, "img": {"src", "alt"}, "video": {"src", "controls"}}


def guard(html: str) -> str:
    """nh3 allowlist cleaning: the final guard over HTML this module built (a no-op on safe input)."""
    return nh3.clean(html, tags=_NH3_TAGS, attributes=_NH3_ATTRS, url_schemes={"http", "https"},
                     link_rel=None, strip_comments=True)


def is_safe(html: str) -> bool:
    """True when the guard leaves html unchanged up to attribute spelling (``controls`` vs ``controls=""``)."""
    return guard(html).replace(' controls=""', " controls") == html


def sanitize_html(fragment, base_url: str = "https://laodongthudo.vn/") -> str:
    """Any HTML fragment (string or lxml element) in the canonical safe body_html form of DESIGN.md."""
    if isinstance(fragment, (str, bytes)):
        if not fragment or not str(fragment).strip():
            return ""
        wrapper = etree.fromstring(f"<html><body><div>{fragment if isinstance(fragment, str) else fragment.decode('utf-8', 'replace')}</div></body></html>",
                                   etree.HTMLParser(remove_comments=True))
        el = wrapper.find(".//body/div")
    else:
        el = fragment
    body = extract_body(el, base_url)
    html = body.html
    if not is_safe(html):  # never expected: the builder only emits allowlisted markup
        html = guard(html)
    return html
