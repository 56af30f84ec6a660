"""Hostile article pages: a replica page with attack markup injected inside its article body, and
the check that nothing of it survives into `body_html`.

Every payload sits next to a harmless marker sentence ("Đoạn an toàn N."): the markers must come out
in `body` (proof that the hostile block was inside what the parser extracted, not skipped as page
chrome), the payloads must not come out as markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "scraper" / "replica" / "site"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"

# one block each; every block carries a marker sentence that must survive as text
BLOCKS = [
    "<script>alert('xss-1')</script><p>Đoạn an toàn 1.</p>",
    "<p onclick=\"alert('xss-2')\" onmouseover=\"alert('xss-2b')\" onfocus=alert(2)>Đoạn an toàn 2.</p>",
    "<p><a href=\"javascript:alert('xss-3')\">Đoạn an toàn 3.</a></p>",
    "<p><a href=\"  JaVaScRiPt:alert('xss-4')\">Đoạn an toàn 4.</a></p>",
    "<p><a href=\"jav&#x09;ascript:alert('xss-5')\">Đoạn an toàn 5.</a>"
    " <a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('xss-5b')\">x</a>"
    " <a href=\"&#x6A;avascript&colon;alert('xss-5c')\">y</a></p>",
    "<iframe src=\"https://evil.example/xss-6\"></iframe><iframe srcdoc=\"&lt;script&gt;alert('xss-6b')&lt;/script&gt;\">"
    "</iframe><p>Đoạn an toàn 6.</p>",
    "<object data=\"https://evil.example/xss-7.swf\"><param name=x value=y></object>"
    "<embed src=\"https://evil.example/xss-7b.swf\"><p>Đoạn an toàn 7.</p>",
    "<style>body{background:url(javascript:alert('xss-8'))} p{width:expression(alert('xss-8b'))}</style>"
    "<p>Đoạn an toàn 8.</p>",
    "<p style=\"background:url(javascript:alert('xss-9'));width:expression(alert('xss-9b'))\">Đoạn an toàn 9.</p>",
    "<svg onload=\"alert('xss-10')\"><circle r=\"1\"/></svg><p><svg><script>alert('xss-10b')</script></svg>"
    "Đoạn an toàn 10.</p>",
    "<p><img src=\"x\" onerror=\"alert('xss-11')\">Đoạn an toàn 11.</p>",
    "<p>&lt;script&gt;alert('xss-12')&lt;/script&gt; Đoạn an toàn 12.</p>",
    "<p><a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">Đoạn an toàn 13.</a></p>",
    "<form action=\"https://evil.example/xss-14\"><input type=submit value=go></form><p>Đoạn an toàn 14.</p>",
    "<p><math><mtext><table><mglyph><style><img src=x onerror=alert('xss-15')></style></mglyph></table></mtext>"
    "</math>Đoạn an toàn 15.</p>",
    "<p><a href=\"https://laodongthudo.vn/tag/an-toan-1.tag\" onclick=\"alert('xss-16')\" target=\"_blank\""
    " style=\"color:red\">Đoạn an toàn 16.</a></p>",
    "<base href=\"javascript:alert('xss-17')//\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss-17b')\">"
    "<p>Đoạn an toàn 17.</p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-18')>\"></noscript><p>Đoạn an toàn 18.</p>",
    "<p><a href=\"vbscript:msgbox('xss-19')\">Đoạn an toàn 19.</a></p>",
    "<p><b onmouseover=\"alert('xss-20')\">Đoạn</b> <i style=\"x:expression(alert('xss-20b'))\">an toàn</i> 20.</p>",
    "<blockquote cite=\"javascript:alert('xss-21')\"><p>Đoạn an toàn 21.</p></blockquote>",
    "<p><a href=\"https://laodongthudo.vn/x.html\\\" onmouseover=\\\"alert('xss-22')\">Đoạn an toàn 22.</a></p>",
    "<h2 id=\"x\" onclick=\"alert('xss-23')\">Đoạn an toàn 23.</h2>",
    "<ul><li onclick=\"alert('xss-24')\"><a href=\"javascript://%0aalert('xss-24b')\">Đoạn an toàn 24.</a></li></ul>",
    "<figure><img src=\"javascript:alert('xss-25')\" alt=\"\\\" onerror=\\\"alert('xss-25b')\"><figcaption>"
    "Chú thích</figcaption></figure><p>Đoạn an toàn 25.</p>",
]
MARKERS = [f"Đoạn an toàn {n}." for n in range(1, len(BLOCKS) + 1) if n not in (20,)] + ["an toàn 20."]

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "img", "figcaption", "video",
                "a", "strong", "em", "br"}
ALLOWED_ATTRS = {"a": {"href"}, "img": {"src", "alt"}, "video": {"src", "controls"}}
RAW_FORBIDDEN = re.compile(r"javascript|vbscript|expression\s*\(|<script|<iframe|<style|<svg|<object|<embed|<form"
                           r"|<math|<base|<meta|\son\w+\s*=|srcdoc|data:", re.I)


def expected(state: str, aid: int) -> dict:
    return json.loads((EXPECTED / state / f"{aid}.json").read_text(encoding="utf-8"))


def page_file(state: str, aid: int) -> Path:
    routes = json.loads((SITE / state / "routes.json").read_text(encoding="utf-8"))
    for path, r in routes.items():
        if r.get("file") and f"-{aid}." in path and "print" not in r["file"]:
            return SITE / r["file"]
    raise KeyError(aid)


def hostile_page(state: str, aid: int) -> bytes:
    """The replica page of `aid` with every hostile block injected after the article's first paragraph."""
    html = page_file(state, aid).read_text(encoding="utf-8")
    first = expected(state, aid)["body"].split("\n\n")[0]
    start = html.find(first[:25])
    assert start > 0, f"first paragraph of {aid} not found in its page"
    end = html.find("</p>", start)
    assert end > 0
    end += len("</p>")
    return (html[:end] + "\n" + "\n".join(BLOCKS) + "\n" + html[end:]).encode("utf-8")


def unsafe_parts(body_html: str) -> list[str]:
    """What in `body_html` is not the canonical safe form (empty: safe)."""
    problems = [m.group(0) for m in RAW_FORBIDDEN.finditer(body_html)]
    if not body_html.strip():
        return problems
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for el in root.iter():
        if el is root or not isinstance(el.tag, str):
            continue
        if el.tag not in ALLOWED_TAGS:
            problems.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            if name not in ALLOWED_ATTRS.get(el.tag, set()):
                problems.append(f"{el.tag}[{name}]")
            elif name in ("href", "src") and not re.match(r"^https?://", value):
                problems.append(f"{el.tag}[{name}={value!r}]")
        if "xss-" in " ".join(el.attrib.values()):
            problems.append(f"{el.tag} attribute carries a payload")
    return problems
