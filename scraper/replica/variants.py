"""Metamorphic variants of an article page: what real sites, saved copies and CMS dumps make of the same article.

Each variant is a pure, deterministic function of the page's HTML (and a seed); the article it shows is the
same, so the parser's record of it is compared with the original page's expected record, field by field, less
the fields the variant destroys (:func:`expectation`). Used by ``bench/robustness.py`` and
``tests/parsing/test_robustness.py``. Standard library and lxml only: the benchmark loads this file by path
to measure another checkout's parser.

Kinds (combine them with ``+``, e.g. ``no_head+renamed``):

- ``roundtrip``: parsed and serialised by lxml, nothing changed (the instrument's own control);
- ``no_head``: ``<head>`` removed (a browser-saved copy without metadata);
- ``renamed``: every class and id token renamed to a random token, the same token the same way on every page
  (another theme of the same CMS); ``stripped``: class and id attributes removed;
- ``no_end_tags``: ``</body>`` and ``</html>`` removed (a theme that never closes the document);
- ``wrapped``: a server's warnings and debug markup before the document (a template dump);
- ``moved``: the related lists after the body moved before the body container, the sidebar moved first in
  its column row;
- ``no_metadata``: JSON-LD, OpenGraph, ``article:*``, description and keyword metas removed;
- ``fragment``: the article body container alone (as CMS databases store it); ``fragment_lead``: the lead
  element followed by the body container.

The structural variants find their elements by the markup of the templates the replica and the reference
page use (the tables below). They are the instrument's own description of those pages, deliberately not
the parser's selectors: a parser change must not change what is measured.
"""

from __future__ import annotations

import hashlib
import re

import lxml.html
from lxml import etree

# The article body container, outermost first (MasterCMS 2026/2023 and the reference page, LĐTĐ 2020, the
# replica's redesign); the lead; the related lists after the body; the sidebar column.
BODY_CONTAINERS = (("div", "__MASTERCMS_CONTENT"), ("div", "detail_info"), ("div", "kx-text"))
LEADS = (("div", "article-detail-desc"), ("div", "sapo_detail"), ("p", "kx-lead"))
RELATED_AFTER_BODY = (("div", "article-detail-relate"), ("div", "article-detail-similar"),
                      ("div", "article-detail-other"), ("div", "article-read-more"), ("div", "article-prev-next"),
                      ("div", "list_related"), ("div", "other_news"), ("section", "kx-more"))
SIDEBARS = (("div", "hna-section-right"), ("div", "col_right"), ("aside", "kx-rail"))

# What a PHP template dump puts before the document.
FOREIGN_PREFIX = (
    '<br />\n<b>Warning</b>:  Undefined array key "mobile" in <b>/home/mastercms/public_html/modules/frontend/'
    'index.php</b> on line <b>118</b><br />\n'
    "<!-- cache MISS, generated 0.031 s, 42 queries -->\n"
    '<div id="debug-bar" class="sql-debug">SELECT article_id, title FROM mb_articles WHERE status = 1 '
    "ORDER BY publish_date DESC LIMIT 10; Thời gian truy vấn 0,031 giây</div>\n"
)

_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.I)
_TOKEN_ALPHABET = "bcdfghjklmnpqrstvwxz23456789"  # no vowels: a random token never spells a word a parser knows


class VariantError(ValueError):
    """The page lacks what a variant acts on (e.g. no known body container for ``fragment``)."""


# --- element lookup ---------------------------------------------------------------------------------------

def _has_class(el, cls: str) -> bool:
    c = el.get("class")
    return bool(c) and cls in c.split()


def find_all(root, specs) -> list:
    """Elements matching any (tag, class) of specs, in document order, outermost only."""
    hits = [el for el in root.iter() if isinstance(el.tag, str)
            and any(el.tag == tag and _has_class(el, cls) for tag, cls in specs)]
    hit_set = set(hits)
    return [el for el in hits if not any(a in hit_set for a in el.iterancestors())]


def find_first(root, specs):
    """The first element matching the specs in their order of preference, or None."""
    for tag, cls in specs:
        for el in root.iter(tag):
            if _has_class(el, cls):
                return el
    return None


def _detach(el):
    """Remove el from the tree, keeping its tail text where it was."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    el.tail = None
    parent.remove(el)
    return el


# --- the steps --------------------------------------------------------------------------------------------

def _rename_token(token: str, seed: int) -> str:
    digest = hashlib.blake2b(f"{seed}\x00{token}".encode(), digest_size=8).digest()
    return "x" + "".join(_TOKEN_ALPHABET[b % len(_TOKEN_ALPHABET)] for b in digest)


def _renamed(root, seed: int):
    mapping: dict[str, str] = {}
    used: set[str] = set()

    def new(token):
        out = mapping.get(token)
        if out is None:
            out = _rename_token(token, seed)
            while out in used:  # keep the renaming one-to-one on the page
                out = _rename_token(out, seed)
            mapping[token] = out
            used.add(out)
        return out

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        c = el.get("class")
        if c is not None:
            el.set("class", " ".join(new(t) for t in c.split()))
        i = el.get("id")
        if i is not None:
            el.set("id", new(i.strip()) if i.strip() else "")
    return root


def _stripped(root, seed: int):
    for el in root.iter():
        if isinstance(el.tag, str):
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)
    return root


def _no_head(root, seed: int):
    for head in root.findall("head"):
        _detach(head)
    return root


_META_GONE = re.compile(r"^(?:og:|article:|twitter:|fb:|description$|keywords$|news_keywords$|pubdate$|lastmod$)", re.I)


def _no_metadata(root, seed: int):
    for el in list(root.iter("script", "meta")):
        if el.tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json":
                _detach(el)
        elif _META_GONE.match(el.get("property") or el.get("name") or el.get("itemprop") or ""):
            _detach(el)
    return root


def _moved(root, seed: int):
    body = find_first(root, BODY_CONTAINERS)
    if body is None:
        raise VariantError("no known body container to move the related lists before")
    for box in find_all(root, RELATED_AFTER_BODY):
        if box in body.iterancestors() or body in box.iterancestors():
            continue
        _detach(box)
        box.tail = "\n"
        body.addprevious(box)
    for side in find_all(root, SIDEBARS):
        parent = side.getparent()
        _detach(side)
        side.tail = "\n"
        parent.insert(0, side)
    return root


def _fragment_of(root, with_lead: bool):
    body = find_first(root, BODY_CONTAINERS)
    if body is None:
        raise VariantError("no known body container")
    parts = []
    if with_lead:
        lead = find_first(root, LEADS)
        if lead is None:
            raise VariantError("no known lead element")
        parts.append(lead)
    parts.append(body)
    # A fragment is parsed back into a wrapper so the later steps (renamed, stripped) can act on it.
    wrapper = etree.Element("fragment")
    for el in parts:
        el = _copy(el)
        el.tail = "\n"
        wrapper.append(el)
    return wrapper


def _copy(el):
    return lxml.html.fragment_fromstring(lxml.html.tostring(el, encoding="unicode", with_tail=False))


def _fragment(root, seed: int):
    return _fragment_of(root, with_lead=False)


def _fragment_lead(root, seed: int):
    return _fragment_of(root, with_lead=True)


def _wrapped(text: str, seed: int) -> str:
    return FOREIGN_PREFIX + text


def _no_end_tags(text: str, seed: int) -> str:
    return _END_TAGS.sub("", text)


# Steps in the order a combination applies them: moves and cuts while the templates' classes are there, then
# metadata, then class/id changes, then the text-level changes after serialising.
TREE_STEPS = {"moved": _moved, "fragment": _fragment, "fragment_lead": _fragment_lead, "no_metadata": _no_metadata,
              "no_head": _no_head, "renamed": _renamed, "stripped": _stripped, "roundtrip": lambda root, seed: root}
TEXT_STEPS = {"wrapped": _wrapped, "no_end_tags": _no_end_tags}
STEP_ORDER = tuple(TREE_STEPS) + tuple(TEXT_STEPS)

KINDS = ("original", "roundtrip", "no_head", "renamed", "stripped", "no_end_tags", "wrapped", "moved",
         "no_metadata", "fragment", "fragment_lead", "no_head+renamed", "renamed+no_end_tags+moved",
         "stripped+no_head+no_end_tags", "wrapped+no_metadata+no_end_tags", "fragment+renamed")


def steps(kind: str) -> list[str]:
    """The steps of a kind (``a+b``) in the order they are applied."""
    if kind == "original":
        return []
    names = kind.split("+")
    unknown = [n for n in names if n not in STEP_ORDER]
    if unknown:
        raise ValueError(f"unknown variant step(s) {unknown}; known: {', '.join(STEP_ORDER)}")
    if "fragment" in names and "fragment_lead" in names:
        raise ValueError("fragment and fragment_lead exclude each other")
    return sorted(set(names), key=STEP_ORDER.index)


def is_fragment(kind: str) -> bool:
    return any(s in ("fragment", "fragment_lead") for s in steps(kind))


def make(html: str, kind: str, seed: int = 0) -> str:
    """The page's HTML as variant ``kind`` (``original``: unchanged). Deterministic for a seed."""
    names = steps(kind)
    if not names:
        return html
    root = lxml.html.document_fromstring(html)
    for name in names:
        if name in TREE_STEPS:
            root = TREE_STEPS[name](root, seed)
    if root.tag == "fragment":
        text = "".join(lxml.html.tostring(el, encoding="unicode") for el in root)
    else:
        text = etree.tostring(root.getroottree(), method="html", encoding="unicode")
    for name in names:
        if name in TEXT_STEPS:
            text = TEXT_STEPS[name](text, seed)
    return text


# --- what the variant still shows ---------------------------------------------------------------------------

# Fields a step destroys: updated_at is only ever in <head> metadata (JSON-LD dateModified, article:modified_time,
# og:updated_time); a fragment has no tag box and no related lists but its inline boxes.
EXCUSED = {
    "no_head": {"updated_at"},
    "no_metadata": {"updated_at"},
    "fragment": {"updated_at", "tags", "related"},
    "fragment_lead": {"updated_at", "tags", "related"},
}


def expectation(kind: str, record: dict, variant_html: str) -> dict:
    """What the parser must read from variant ``kind`` of the page whose expected record is ``record``: the
    scorer's input (``scraper/replica/scoring.py``).

    ``fields`` is the record less the excused fields (the scorer compares those it knows). A fragment has no
    headline, dateline or category link: its title, date and category must be null (a date or title taken from
    the text is wrong), its lead null unless the fragment carries the marked lead, its author the record's only
    when the author line is inside the fragment.
    """
    names = steps(kind)
    excused = set().union(*(EXCUSED.get(n, set()) for n in names)) if names else set()
    fields = {name: value for name, value in record.items() if name not in excused}
    if is_fragment(kind):
        fields["title"] = None
        fields["published_at"] = None
        fields["category"] = None
        if "fragment_lead" not in names:
            fields["sapo"] = None
        text = lxml.html.fragment_fromstring(variant_html, create_parent="div").text_content()
        if fields.get("author") and fields["author"] not in " ".join(text.split()):
            fields["author"] = None
    related = None if "related" in excused else [
        {"url": r["url"], "title": r["title"], "block": r["block"]} for r in record.get("related", [])]
    return {"fields": fields, "body": record["body"], "related": related,
            "related_titles": [r["title"] for r in record.get("related", [])], "lead": record.get("sapo")}
