"""The vocabulary of related-news blocks and of the page chrome around them: shared by every parser layer."""

from __future__ import annotations

import re

from ..text import clean_text, fold

# Visible headings of blocks that offer other articles, not article text (compared folded; a heading may go on
# after one of these: "Tin khác cùng chuyên mục").
RELATED_HEADINGS = (
    "Tin liên quan", "Bài liên quan", "Có liên quan", "Nên xem", "Tin khác", "Các tin khác",
    "Có thể bạn quan tâm", "Xem thêm", "Đọc thêm", "Cùng chuyên mục", "Tin cùng chuyên mục",
    "Xem nhiều", "Đọc nhiều", "Tin mới", "Tin mới nhất", "Mới nhất", "Tin nổi bật", "Bài trước đó",
    "Bài sau đó", "Bài viết liên quan", "Tin đã đưa", "Tiêu điểm", "Tin tức khác",
    "Tin bài khác", "Tin bài liên quan", "Bài viết khác", "Tin xem nhiều", "Tin đọc nhiều", "Bài đọc nhiều",
    "Bạn có thể quan tâm", "Tin cùng chủ đề", "Bài cùng chuyên mục", "Bài viết cùng chuyên mục", "Tin tức liên quan",
)
_FOLDED = tuple(fold(h) for h in RELATED_HEADINGS)

# Labels of blocks that list articles but are the page's chrome or the article's own apparatus, never related
# news: the ticker, the tag box, comments, ads, partner links (compared folded, whole label).
NOT_RELATED_HEADINGS = frozenset(fold(h) for h in (
    "Dòng sự kiện", "Sự kiện nóng", "Tags", "Tag", "Từ khóa", "Từ khoá", "Bình luận", "Ý kiến bạn đọc",
    "Quảng cáo", "Liên kết", "Liên kết website", "Đối tác", "Phiên bản di động",
))

# Labels of previous/next article links (compared folded, whole label).
_STEP_LABELS = {fold(h): kind for kind, labels in (
    ("prev", ("Bài trước", "Bài trước đó", "Tin trước", "Tin trước đó", "Bài viết trước", "Previous",
              "Previous article", "Previous post", "« Bài trước")),
    ("next", ("Bài sau", "Bài sau đó", "Bài tiếp", "Bài tiếp theo", "Tin sau", "Tin sau đó", "Tin tiếp theo",
              "Bài viết tiếp theo", "Next", "Next article", "Next post", "Bài tiếp »")),
) for h in labels}

# The site's imprint, printed in its footer (compared lower-cased).
FOOTER_TEXT = re.compile(
    r"bản quyền|copyright|all rights reserved|giấy phép (?:số|hoạt động|xuất bản|thiết lập)|tòa soạn:|toà soạn:|"
    r"tổng biên tập:|chịu trách nhiệm (?:nội dung|xuất bản)|ghi rõ nguồn|phiên bản di động", re.I)

# The site's chrome: tags, and class or id names (any token containing menu, ticker, footer, navbar,
# breadcrumb; header and header-*; nav, navigation, utility, topbar).
CHROME_TAGS = frozenset({"header", "nav", "footer", "marquee"})
# Chrome even inside an <article> (an article's own header and footer hold its headline and by-line): the
# navigation and a scrolling ticker.
SITE_CHROME_TAGS = frozenset({"nav", "marquee"})
CHROME_NAME = re.compile(
    r"(?:^|\s)(?:[\w-]*(?:menu|ticker|footer|navbar|breadcrumb)[\w-]*|header(?:[-_][\w-]*)?|nav|navigation|"
    r"utility|topbar)(?=\s|$)", re.I)


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


def not_related_heading(text: str | None) -> bool:
    """Whether text is the label of the ticker, the tag box, comments or ads (never related news)."""
    return bool(text) and fold(clean_text(text)).strip(" :#") in NOT_RELATED_HEADINGS


def step_label(text: str | None) -> str | None:
    """"prev" or "next" when text is a previous/next article label ("Bài trước đó", "Bài tiếp theo"), else None."""
    if not text or len(text) > 40:
        return None
    return _STEP_LABELS.get(fold(clean_text(text)).strip(" :"))


# The same labels on sites in other languages (the generic fallback reads any site), matched whole.
OTHER_RELATED_HEADINGS = re.compile(
    r"^(?:related(?: \w+)?|read (?:more|next|also)|more (?:from|on|in|stories|news|articles)\b.*|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?|"
    r"most (?:popular|read|viewed|shared)|trending(?: now)?|see also|also read|further reading|"
    r"latest (?:news|stories|articles)|top stories|popular (?:posts|stories|articles))\W*$",
    re.I,
)


def related_label(text: str) -> str | None:
    """A block heading (cleaned text) as the record shows it if it labels related news in any language,
    else None: the text itself without a trailing colon, or the canonical heading a long one starts with."""
    if not text or len(text) > 48:
        return None
    vn = related_heading(text)
    if vn:
        return text.rstrip(" :") if len(text) <= 40 else vn
    if OTHER_RELATED_HEADINGS.match(text):
        return text.rstrip(" :")
    return None
