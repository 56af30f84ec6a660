"""Whole-page helpers: decoding bytes, building the lxml tree, and small tree utilities.

Plain ``lxml.etree`` elements (not ``lxml.html`` proxies) are used on purpose: iterating them is about
five times cheaper, and the parser's budget is a small multiple of the bare parse.
"""

from __future__ import annotations

import codecs
import re
import threading
from urllib.parse import urljoin

import lxml.html
from bs4 import UnicodeDammit
from lxml import etree

from .errors import NotAnArticle

# lxml parser objects must not be shared between threads (the pipeline may parse in worker threads).
_LOCAL = threading.local()


def _parsers():
    try:
        return _LOCAL.parsers
    except AttributeError:
        _LOCAL.parsers = (etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8"),
                          etree.HTMLParser(remove_comments=True, remove_pis=True))
        return _LOCAL.parsers

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels pages use for "Latin": browsers treat them all as windows-1252.
_LATIN = {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def decode_html(data: bytes) -> str:
    """Bytes of a page as text: BOM first, then strict UTF-8 (pasted Windows-1252 bytes repaired by
    BeautifulSoup's ``UnicodeDammit.detwingle``), then the declared charset, then cp1252.

    UTF-8 is tried before the declared charset because Vietnamese pages mislabelled ``windows-1252``
    are common and UTF-8 almost never decodes text that is not UTF-8.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # UTF-8 with Windows-1252 quotes or dashes pasted in: a whole page of mojibake otherwise
        return UnicodeDammit.detwingle(data).decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        label = m.group(1).decode("ascii", "ignore").lower()
        if label in _LATIN:
            label = "cp1252"
        try:
            return data.decode(label, errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


# The tags looks_like_html accepts in a page's first 2048 characters, on bytes: an ASCII match in the first
# 2048 bytes is one in the first 2048 decoded characters, so this settles the common case without decoding.
_HTML_HEAD_B = re.compile(rb"<(?:html|!doctype html|head|body)", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return "<html" in head or "<!doctype html" in head or "<head" in head or "<body" in head or (
        "<" in head and ("<div" in text[:65536].lower() or "<p" in text[:65536].lower())
    )


# Void elements libxml2's HTML parser does not know as void (HTML5's, and <embed>): it nests everything
# that follows inside them, so a page with a Flash <embed> or a <source> lost the rest of its article
# to whoever drops the element. Their content is moved back out after them.
_VOID_MISPARSED = ("embed", "wbr", "keygen", "source", "track")


def unwrap_voids(root):
    for el in list(root.iter(*_VOID_MISPARSED)):
        if len(el) == 0 and not el.text:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        after = el.tail  # what followed the element's (implied) end: after all it swallowed
        el.tail, el.text = el.text, None
        last = el
        for child in list(el):
            parent.insert(parent.index(last) + 1, child)  # moves it, with its tail
            last = child
        if after:
            last.tail = (last.tail or "") + after
    return root


def parse_document(html: str | bytes) -> tuple[etree._Element, str | bytes]:
    """The page's root element and its source (the bytes when lxml parsed them directly, else the text).

    NotAnArticle when it is not HTML at all. UTF-8 bytes that say so are handed to lxml as they are (no
    decode, no re-encode: the fast path); anything else is decoded by :func:`decode_html` first.
    """
    root, source, _open = parse_page(html)
    return root, source


def parse_page(html: str | bytes) -> tuple[etree._Element, str | bytes, etree._Element | None]:
    """:func:`parse_document`, plus the innermost element still open where the source stops: None when
    the source reaches ``</body>`` or ``</html>`` (the document ended), else that element (``<body>``
    when only the document's end tags are missing; a ``<p>`` or the article's container when the source
    stops inside them). See :func:`open_at_end`."""
    if isinstance(html, (bytes, bytearray)):
        data = bytes(html)
        if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            m = _META_CHARSET.search(data, 0, 4096)
            declared = m.group(1).lower() if m else b""
            ok = declared in (b"utf-8", b"utf8")
            if not ok:
                try:
                    data.decode("utf-8")  # strict UTF-8 first, whatever the label says
                    ok = True
                except UnicodeDecodeError:
                    pass
            if ok:
                if not _HTML_HEAD_B.search(data, 0, 2048):  # else the full text test (decodes up to 64 KB)
                    head = data[:2048].decode("utf-8", "replace")
                    if not looks_like_html(head if len(data) <= 2048 else head + data[2048:65536].decode("utf-8", "ignore")):
                        raise NotAnArticle("not an HTML page")
                return _build(data, _parsers()[0], _END_MARK_B)
        text = decode_html(data)
    else:
        text = html
        if text.startswith("\ufeff"):
            text = text[1:]
    if not text.strip() or not looks_like_html(text):
        raise NotAnArticle("not an HTML page")
    # lxml refuses str input with an XML encoding declaration; drop one if present.
    if text.lstrip().startswith("<?xml"):
        text = text[text.index("?>") + 2:]
    return _build(text, _parsers()[1], _END_MARK)


# Appended to a source that never reaches </body> or </html>: libxml2 puts it inside whatever element is
# still open where the source stops, which is how a page cut inside its article is told from a page whose
# theme never closes the document. Removed from the tree again.
_END_MARK_TAG = "ldtd-end-of-source"
_END_MARK = f"<{_END_MARK_TAG}></{_END_MARK_TAG}>"
_END_MARK_B = _END_MARK.encode()


def _build(source: str | bytes, parser, mark):
    complete = has_document_end(source)
    marked = source
    if not complete:
        # a source that stops inside a tag (`<p style="...`) would swallow the mark into it: the mark goes
        # where that unfinished tag began (libxml2 drops such a tag anyway)
        lt = source.rfind(mark[:1], max(0, len(source) - 4096))
        marked = (source[:lt] if lt > source.rfind(mark[-1:], max(0, len(source) - 4096)) else source) + mark
    try:
        root = etree.fromstring(marked, parser)
    except (etree.ParserError, ValueError) as exc:  # empty or unparsable document
        raise NotAnArticle(f"not an HTML page ({exc})") from None
    if root is None:
        raise NotAnArticle("not an HTML page")
    open_el = None if complete else open_at_end(root)
    return unwrap_voids(root), source, open_el


def open_at_end(root: etree._Element) -> etree._Element:
    """The innermost element open where the source stopped, found through the end mark (and the mark
    removed). A source that stops inside a tag, a comment or a script swallows the mark: then the
    deepest element of the last path, conservatively (it was being written when the source stopped)."""
    node, last = root, root
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        if not children:
            break
        node = children[-1]
        if node.tag == _END_MARK_TAG:
            parent = node.getparent()
            parent.remove(node)  # (it has no tail: nothing follows it in the source)
            return parent
        last = node
    for mark in root.iter(_END_MARK_TAG):  # not where expected (libxml2 moved it): still the open element
        parent = mark.getparent()
        parent.remove(mark)
        return parent
    # swallowed as text (a script, a style) or into an attribute value (the source stopped inside a tag)
    if last.text and _END_MARK in last.text:
        last.text = last.text.replace(_END_MARK, "")
    for name, value in last.attrib.items():
        if _END_MARK_TAG in value:
            last.set(name, value[: value.index(_END_MARK_TAG)].rstrip("<"))
    return last


def ends_open(el: etree._Element, open_el: etree._Element | None) -> bool:
    """True when el was still open where the source stopped (el is open_el or one of its ancestors)."""
    if open_el is None:
        return False
    return open_el is el or any(a is el for a in open_el.iterancestors())


def last_text(root: etree._Element) -> str:
    """The document's last visible text (scripts and styles skipped), stripped; "" when it has none."""
    stack = [(root, False)]
    while stack:
        el, done = stack.pop()
        if done:  # its children were all blank: its own text is the last
            if el.text and el.text.strip() and isinstance(el.tag, str) and el.tag not in _SKIP_TEXT:
                return el.text.strip()
            continue
        if el.tail and el.tail.strip() and el is not root:
            return el.tail.strip()
        stack.append((el, True))
        if isinstance(el.tag, str) and el.tag not in _SKIP_TEXT:
            for child in el:  # pushed in order: the last child is looked at first
                stack.append((child, False))
    return ""


_END_TAGS = re.compile(r"</(?:html|body)\s*>", re.I)
_END_TAGS_B = re.compile(rb"</(?:html|body)\s*>", re.I)


_DOCUMENT_TAGS = re.compile(r"<(?:html|head|body|!doctype)[\s>]", re.I)
_DOCUMENT_TAGS_B = re.compile(rb"<(?:html|head|body|!doctype)[\s>]", re.I)


def is_fragment(source: str | bytes) -> bool:
    """True for a piece of HTML without a document around it (no <html>, <head>, <body> or doctype):
    an article body as CMS databases and dumps store it."""
    pat = _DOCUMENT_TAGS_B if isinstance(source, bytes) else _DOCUMENT_TAGS
    return pat.search(source) is None


def has_document_end(source: str | bytes) -> bool:
    """True when the page reaches a closing </body> or </html> tag (looked for near the end first)."""
    pat = _END_TAGS_B if isinstance(source, bytes) else _END_TAGS
    return pat.search(source, max(0, len(source) - 8192)) is not None or pat.search(source) is not None


def is_plain_absolute(href: str) -> bool:
    """An http(s) URL that :func:`absolute` returns as it is, whatever the base."""
    return href.startswith(("https://", "http://")) and " " not in href and "\n" not in href and "\t" not in href


def absolute(base: str, href: str | None) -> str | None:
    """href made absolute against base; None for empty, fragment-only and non-http(s) links."""
    if not href:
        return None
    if href.startswith(("https://", "http://")) and " " not in href and "\n" not in href and "\t" not in href:
        return href  # is_plain_absolute (inlined: the hot path): already absolute, skip urljoin
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if not url.startswith(("http://", "https://")):
        return None
    return url


_SKIP_TEXT = {"script", "style", "noscript", "template"}


def text_of(el: etree._Element) -> str:
    """The element's visible text (scripts and styles skipped), not yet cleaned."""
    parts: list[str] = []
    _collect(el, parts)
    return "".join(parts)


def _collect(el, parts):
    if el.text and isinstance(el.tag, str) and el.tag not in _SKIP_TEXT:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TEXT:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def html_tree(text: str | bytes):
    """A fresh ``lxml.html`` tree of the page (for the fallback, which uses HtmlElement methods)."""
    if isinstance(text, bytes):
        text = decode_html(text)
    if text.lstrip().startswith("<?xml"):
        text = text[text.index("?>") + 2:]
    return unwrap_voids(lxml.html.document_fromstring(text))
