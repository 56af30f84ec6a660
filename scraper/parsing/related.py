"""Headings by which Vietnamese news sites label related-news blocks: shared by every parser layer."""

from __future__ import annotations

from .text import clean_text, fold

# Visible headings of blocks that offer other articles, not article text (compared folded).
RELATED_HEADINGS = (
    "Tin liên quan", "Bài liên quan", "Có liên quan", "Nên xem", "Tin khác", "Các tin khác",
    "Có thể bạn quan tâm", "Xem thêm", "Đọc thêm", "Cùng chuyên mục", "Tin cùng chuyên mục",
    "Xem nhiều", "Đọc nhiều", "Tin mới", "Tin mới nhất", "Mới nhất", "Tin nổi bật", "Bài trước đó",
    "Bài sau đó", "Bài viết liên quan", "Tin đã đưa", "Tiêu điểm", "Tin tức khác",
)
_FOLDED = tuple(fold(h) for h in RELATED_HEADINGS)


def related_heading(text: str | None) -> str | None:
    """The canonical heading if text is (or starts with) a related-news label, else None."""
    if not text:
        return None
    if len(text) <= 200:  # box headings and the short texts around them recur on every page of a site
        try:
            return _MEMO[text]
        except KeyError:
            pass
        if len(_MEMO) >= 20000:
            _MEMO.clear()
        h = _MEMO[text] = _related_heading(text)
        return h
    return _related_heading(text)


_MEMO: dict[str, str | None] = {}


def _related_heading(text: str) -> str | None:
    folded = fold(clean_text(text)).rstrip(" :")
    if not folded or len(folded) > 40:
        return None
    for heading, f in zip(RELATED_HEADINGS, _FOLDED):
        if folded == f or folded.startswith(f + " "):
            return heading
    return None
