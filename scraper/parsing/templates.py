"""Site templates: declarative selector sets (one per page template) and the engine that applies them.

A template is data: for each field a selector. Selectors are a small CSS subset evaluated against a
per-page class index built in one pass (``//*[contains(concat(' ', @class, ' '), ...)]`` XPaths cost
ten times more on a 100 KB page):

- ``tag.class.class#id`` compounds, joined by a space (descendant) or ``>`` (child), alternatives by ``,``;
- a selector starting with ``/`` or ``(`` is an XPath, compiled once (used where order matters, e.g.
  "the first date after the headline").

The templates themselves live in their site modules (``mastercms``, ``ldtd2020``); ``registry`` lists them
and picks the first whose ``detect`` selectors all match (and ``reject`` none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .related import CHROME_NAME, CHROME_TAGS

# Tags whose classes are indexed in the one pass (boxes and containers; few per page, cheap to visit).
INDEX_TAGS = ("div", "h1", "section", "table")

_BY_ID = etree.XPath("id($ident)")
_COMPOUND = re.compile(r"^([a-zA-Z0-9*]*)((?:[.#][\w-]+)*)$")


class PageIndex:
    """Elements of INDEX_TAGS by class token and by id, in document order; built once per page.

    Only ``classes``, the class tokens that the templates' selectors name, are indexed: a page's other
    classes are never looked up, and skipping them halves the pass.
    Ids are looked up when asked (:meth:`by_id`), in libxml2's id table.
    """

    __slots__ = ("root", "by_class", "order", "_ids")

    def __init__(self, root, classes: frozenset[str]):
        self.root = root
        by_class: dict[str, list] = {}
        els = list(root.iter(*INDEX_TAGS))
        for el in els:
            c = el.get("class")
            if c and not classes.isdisjoint(c.split()):
                for x in c.split():
                    if x in classes:
                        lst = by_class.get(x)
                        if lst is None:
                            by_class[x] = [el]
                        elif lst[-1] is not el:
                            lst.append(el)
        self.by_class = by_class
        self.order = dict(zip(els, range(len(els))))
        self._ids: dict[str, object] = {}

    def by_id(self, ident: str):
        """The first element of INDEX_TAGS whose id is ident, else None."""
        try:
            return self._ids[ident]
        except KeyError:
            pass
        found = _BY_ID(self.root, ident=ident)  # the document's first element with that id, if any
        el = None
        if found:
            el = found[0]
            if el.tag not in INDEX_TAGS or el.get("id") != ident:  # e.g. an earlier <span> with the id: look further
                el = next((e for e in self.root.iter(*INDEX_TAGS) if e.get("id") == ident), None)
        self._ids[ident] = el
        return el

    def position(self, el) -> float:
        """Document position of el (exact for indexed tags, else just after its nearest indexed ancestor)."""
        n = self.order.get(el)
        if n is not None:
            return n
        for a in el.iterancestors():
            n = self.order.get(a)
            if n is not None:
                return n + 0.5
        return -1


@dataclass(frozen=True)
class _Compound:
    tag: str | None
    classes: tuple[str, ...]
    id: str | None

    def test(self, el) -> bool:
        if self.tag and el.tag != self.tag:
            return False
        if self.id and el.get("id") != self.id:
            return False
        if self.classes:
            c = el.get("class")
            if not c:
                return False
            cs = c.split()
            return all(x in cs for x in self.classes)
        return True


def _compound(text: str) -> _Compound:
    m = _COMPOUND.match(text)
    if not m:
        raise ValueError(f"unsupported selector part: {text!r}")
    tag = m.group(1) or None
    if tag == "*":
        tag = None
    classes = tuple(x[1:] for x in re.findall(r"\.[\w-]+", m.group(2)))
    ids = re.findall(r"#([\w-]+)", m.group(2))
    return _Compound(tag.lower() if tag else None, classes, ids[0] if ids else None)


class Selector:
    """A compiled selector (see the module doc); ``select(index)`` returns matches in document order."""

    def __init__(self, text: str):
        self.text = text
        self.xpath = None
        self.near = text.startswith("~")
        if self.near:  # "~ sel": the first match in the headline's neighbourhood (see Template.near)
            text = text[1:].strip()
        self.alternatives: list[list[tuple[str, _Compound]]] = []
        self.classes: set[str] = set()  # the class tokens this selector names
        if text.startswith(("/", "(")):
            self.xpath = etree.XPath(text)
            return
        for alt in text.split(","):
            tokens = alt.replace(">", " > ").split()
            steps: list[tuple[str, _Compound]] = []
            comb = " "
            for tok in tokens:
                if tok == ">":
                    comb = ">"
                    continue
                steps.append((comb, _compound(tok)))
                comb = " "
            if steps:
                self.alternatives.append(steps)
                for _, c in steps:
                    self.classes.update(c.classes)

    def select(self, index: PageIndex) -> list:
        if self.xpath is not None:
            return self.xpath(index.root)
        if len(self.alternatives) == 1:
            return self._select_alt(index, self.alternatives[0])
        results = [r for r in (self._select_alt(index, alt) for alt in self.alternatives) if r]
        if len(results) == 1:
            return results[0]
        if not results:
            return []
        first = set(results[0])
        if all(e in first for r in results[1:] for e in r):  # later alternatives add nothing
            return results[0]
        return _doc_sorted(index, [e for r in results for e in r])

    def exists(self, index: PageIndex) -> bool:
        """Whether anything matches (stops at the first alternative that does)."""
        if self.xpath is not None:
            return bool(self.xpath(index.root))
        return any(self._select_alt(index, alt) for alt in self.alternatives)

    def first(self, index: PageIndex):
        """The first match of the first alternative that matches (alternatives are fallbacks)."""
        if self.xpath is not None:
            r = self.xpath(index.root)
            return r[0] if r else None
        for alt in self.alternatives:
            r = self._select_alt(index, alt)
            if r:
                return r[0]
        return None

    def near_first(self, headline):
        """The first match after the headline within its parent, else its grandparent (three levels at most).

        Dates and category links of the article sit next to its headline; the same classes recur in related
        cards further down, so "the first one on the page" is not enough and ``following::`` is costly.
        """
        node = headline
        for _ in range(3):
            for sib in node.itersiblings():
                for alt in self.alternatives:
                    c = alt[-1][1]
                    for el in sib.iter(c.tag or "*"):
                        if c.test(el):
                            return el
            node = node.getparent()
            if node is None:
                return None
        return None

    @staticmethod
    def _first(index: PageIndex, c: _Compound) -> list:
        if c.id:
            el = index.by_id(c.id)
            if el is not None:
                return [el] if c.test(el) else []
            if c.tag in INDEX_TAGS:
                return []
            return [e for e in index.root.iter(c.tag or "*") if isinstance(e.tag, str) and c.test(e)]
        if c.classes and (c.tag is None or c.tag in INDEX_TAGS):
            cands = index.by_class.get(c.classes[0], [])
            if c.tag is None:
                # Unindexed tags carrying the class are found by a scan of the rest (rare selectors).
                extra = [e for e in index.root.iter() if e.tag not in INDEX_TAGS and isinstance(e.tag, str)
                         and c.test(e)]
                if extra:
                    return _doc_sorted(index, [e for e in cands if c.test(e)] + extra)
            if not cands:
                return []
            if len(c.classes) == 1:  # every candidate carries the class: only the tag is left to test
                return [e for e in cands if e.tag == c.tag] if c.tag else list(cands)
            return [e for e in cands if c.test(e)]
        return [e for e in index.root.iter(c.tag or "*") if isinstance(e.tag, str) and c.test(e)]

    def _select_alt(self, index: PageIndex, steps) -> list:
        current = self._first(index, steps[0][1])
        for comb, c in steps[1:]:
            nxt = []
            seen = set()
            for el in current:
                if comb == ">":
                    cands = (x for x in el if isinstance(x.tag, str))
                else:
                    cands = el.iter(c.tag) if c.tag else (x for x in el.iterdescendants() if isinstance(x.tag, str))
                for x in cands:
                    if x is not el and x not in seen and c.test(x):
                        seen.add(x)
                        nxt.append(x)
            current = nxt
        return current


def _doc_sorted(index: PageIndex, els: list) -> list:
    seen = set()
    uniq = [e for e in els if not (e in seen or seen.add(e))]
    if all(e in index.order for e in uniq):
        return sorted(uniq, key=index.order.__getitem__)
    order = {el: i for i, el in enumerate(index.root.iter())}
    return sorted(uniq, key=lambda e: order.get(e, 0))


_FIELDS = ("title", "sapo", "body", "date", "category", "author", "tags", "related", "prev", "next")


@dataclass
class Template:
    name: str
    detect: tuple[str, ...]  # selectors that must all match
    title: str  # the headline element
    sapo: str  # the lead
    body: str  # the body container (first match)
    reject: tuple[str, ...] = ()  # selectors none of which may match
    date: str = ""  # the visible date element
    category: str = ""  # the category link(s)
    category_pick: str = "first"  # "first" or "last" of the category matches
    author: str = ""  # author elements (inside or after the body container)
    trailing_author: bool = False  # 2020: a final right-aligned <p><strong>/<em> is the author
    tags: str = ""  # tag links
    related: str = ""  # related boxes outside the body (above it, after it, sidebar)
    prev: str = ""  # "previous article" links
    next: str = ""  # "next article" links
    compiled: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for f in _FIELDS:
            expr = getattr(self, f)
            if expr:
                self.compiled[f] = Selector(expr)
        self._detect = [Selector(s) for s in self.detect]
        self._reject = [Selector(s) for s in self.reject]

    def find(self, f: str, index: PageIndex) -> list:
        s = self.compiled.get(f)
        return s.select(index) if s is not None else []

    def first(self, f: str, index: PageIndex, headline=None):
        s = self.compiled.get(f)
        if s is None:
            return None
        if s.near:
            return s.near_first(headline) if headline is not None else None
        return s.first(index)

    def matches(self, index: PageIndex) -> bool:
        return all(s.exists(index) for s in self._detect) and not any(s.exists(index) for s in self._reject)

    def classes(self) -> set[str]:
        """The class tokens its selectors name: what a PageIndex must hold for it."""
        out: set[str] = set()
        for s in (*self.compiled.values(), *self._detect, *self._reject):
            out |= s.classes
        return out


def in_chrome(el, memo: dict | None = None) -> bool:
    """Inside the header, menus, ticker or footer (related.py's chrome vocabulary): never related news.

    ``memo`` (element -> whether it is or is inside chrome), shared between the boxes of one page, saves
    walking the same deep ancestor chains (sidebar columns, page wrappers) once per box.
    """
    path = []
    result = False
    for a in el.iterancestors():
        if memo is not None:
            known = memo.get(a)
            if known is not None:
                result = known
                break
            path.append(a)
        if a.tag in CHROME_TAGS:
            result = True
            break
        i, c = a.get("id"), a.get("class")
        if (i and CHROME_NAME.search(i)) or (c and CHROME_NAME.search(c)):
            result = True
            break
    if memo is not None:
        for a in path:
            memo[a] = result
    return result
