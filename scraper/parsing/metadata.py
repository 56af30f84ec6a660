"""Page metadata: JSON-LD (NewsArticle, BreadcrumbList), OpenGraph, article:* and plain meta tags.

Read from ``<head>`` (and any JSON-LD script in the page) with a handful of precompiled XPaths; used to
fill what a site template's selectors miss and as the main source when no template matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..text import clean_text


_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                  "OpinionNewsArticle", "BackgroundNewsArticle"}


@dataclass
class Metadata:
    meta: dict[str, list[str]] = field(default_factory=dict)  # name/property (lower-case) -> contents
    canonical: str | None = None
    title_tag: str | None = None
    article: dict = field(default_factory=dict)  # the JSON-LD NewsArticle object, if any
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)  # JSON-LD BreadcrumbList (name, url)

    def get(self, *names: str) -> str | None:
        for n in names:
            vals = self.meta.get(n)
            if vals:
                for v in vals:
                    v = clean_text(v)
                    if v:
                        return v
        return None

    # convenience views ------------------------------------------------------------------------
    def ld(self, key: str):
        return self.article.get(key) if self.article else None

    @property
    def published(self) -> str | None:
        return _str(self.ld("datePublished"))

    @property
    def modified(self) -> str | None:
        return _str(self.ld("dateModified"))

    @property
    def headline(self) -> str | None:
        return clean_text(_str(self.ld("headline"))) or None

    @property
    def section(self) -> str | None:
        v = self.ld("articleSection")
        if isinstance(v, list):
            v = v[-1] if v else None
        return clean_text(_str(v)) or self.get("article:section")

    @property
    def author(self) -> str | None:
        a = self.ld("author")
        if isinstance(a, list):
            names = [clean_text(_str(x.get("name") if isinstance(x, dict) else x)) for x in a]
            names = [n for n in names if n]
            return ", ".join(names) or None
        if isinstance(a, dict):
            return clean_text(_str(a.get("name"))) or None
        return clean_text(_str(a)) or None

    @property
    def keywords(self) -> list[str]:
        raw = self.get("article:tag", "news_keywords")
        if not raw:
            kw = self.ld("keywords")
            raw = ",".join(kw) if isinstance(kw, list) else _str(kw)
        return split_keywords(raw)


def split_keywords(raw: str | None) -> list[str]:
    out: list[str] = []
    seen = set()
    for part in (raw or "").split(","):
        t = clean_text(part)
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _str(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return _str(v[0]) if v else None
    if isinstance(v, dict):
        return _str(v.get("name") or v.get("@id"))
    return str(v)


def _walk_ld(obj, out: list):
    if isinstance(obj, list):
        for x in obj:
            _walk_ld(x, out)
    elif isinstance(obj, dict):
        if "@graph" in obj:
            _walk_ld(obj["@graph"], out)
        out.append(obj)


def _types(obj) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, list):
        return {str(x) for x in t}
    return {str(t)} if t else set()


def read_metadata(root) -> Metadata:
    md = Metadata()
    meta = md.meta
    scripts = []
    # One C-level pass over the four tags instead of four whole-tree XPaths.
    for el in root.iter("meta", "link", "title", "script"):
        tag = el.tag
        if tag == "meta":
            content = el.get("content")
            if content is None:
                continue
            key = el.get("property") or el.get("name") or el.get("itemprop")
            if key:
                meta.setdefault(key.strip().lower(), []).append(content)
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json":
                scripts.append(el)
        elif tag == "link":
            if md.canonical is None and (el.get("rel") or "").strip().lower() == "canonical":
                md.canonical = (el.get("href") or "").strip() or None
        elif md.title_tag is None:
            md.title_tag = clean_text(el.text) or None
    for script in scripts:
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(raw.replace("\n", " ").replace("\t", " "), strict=False)
            except ValueError:
                continue
        objs: list = []
        _walk_ld(data, objs)
        for obj in objs:
            types = _types(obj)
            if types & _ARTICLE_TYPES and not md.article:
                md.article = obj
            elif "BreadcrumbList" in types and not md.breadcrumbs:
                items = obj.get("itemListElement") or []
                if isinstance(items, dict):
                    items = [items]
                crumbs = []
                for it in sorted((i for i in items if isinstance(i, dict)), key=lambda i: _pos(i)):
                    item = it.get("item")
                    name = it.get("name")
                    url = None
                    if isinstance(item, dict):
                        url = item.get("@id") or item.get("url")
                        name = name or item.get("name")
                    elif isinstance(item, str):
                        url = item
                    name = clean_text(_str(name))
                    if name:
                        crumbs.append((name, url))
                md.breadcrumbs = crumbs
    return md


def _pos(item) -> int:
    try:
        return int(item.get("position") or 0)
    except (TypeError, ValueError):
        return 0
