"""The article record: what a parsed article page says, independent of Scrapy and storage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Image:
    url: str
    caption: str = ""
    alt: str = ""


@dataclass
class RelatedLink:
    url: str
    title: str
    block: str  # the block's visible heading ("Tin liên quan", "Nên xem") or a short kind ("inline")
    position: int  # 1-based order of the link within its block


# The fields the parser's layers compete for, in the order extraction.fields lists them.
LAYERED_FIELDS = ("title", "sapo", "body", "author", "published_at", "updated_at", "category", "tags")


@dataclass
class Extraction:
    strategy: str  # "selectors" (a site template matched), "metadata", or "fallback"
    template: str | None = None  # which site template matched, e.g. "mastercms-2026"
    warnings: list[str] = field(default_factory=list)
    # The layer that gave each of LAYERED_FIELDS ("selectors", "metadata" or "fallback"); None when none did.
    fields: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Article:
    url: str  # canonical https://laodongthudo.vn/... URL
    id: int | None  # the numeric id from the URL: the article's stable identity (None on another site's page)
    title: str
    sapo: str
    body: str  # paragraphs and subheadings joined by blank lines
    body_html: str  # the same content as clean, safe HTML
    author: str | None
    published_at: str | None  # ISO 8601 with offset, e.g. 2023-11-16T09:30:00+07:00
    updated_at: str | None
    category: str | None
    category_url: str | None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    extraction: Extraction = field(default_factory=lambda: Extraction("selectors"))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        data = dict(data)
        data["images"] = [Image(**i) for i in data.get("images", [])]
        data["related"] = [RelatedLink(**r) for r in data.get("related", [])]
        data["extraction"] = Extraction(**data["extraction"])
        return cls(**data)


RECORD_KEYS = tuple(Article.__dataclass_fields__)
