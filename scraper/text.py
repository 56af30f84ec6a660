"""Vietnamese text and date helpers shared by every parser layer, storage and search."""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import datetime, timedelta, timezone

HANOI = timezone(timedelta(hours=7))

_WS = re.compile(r"\s+")

# The labels a by-line may put before the author's name, defined once for every layer: "Tác giả: Nguyễn An",
# "Người viết: ...", "Bài và ảnh: Thu Hà", "Thực hiện: ..." (with a colon: BYLINE_LABEL tells such a line from
# prose), and "Bởi Thanh Hà", "Theo TTXVN", "By ..." (a word a sentence may also open with: stripped only from
# a line already known to be a by-line).
BYLINE_LABEL = re.compile(r"^(?:tác giả|người viết|bài(?:,|/| và) ?ảnh|bài|thực hiện)\s*:\s*(\S.{0,58})$", re.I)
_BYLINE_WORD = re.compile(r"^(?:bởi|theo|by)\s*:?\s+(?=\S)", re.I)

# Removed from crawled text: the controls that are not white space (C0 and C1, DEL: an escape sequence's
# ESC, BEL, CSI), the bidi controls (marks, embeddings, overrides, isolates), zero-width space and BOM.
# White-space controls (tab, newline, \x1c-\x1f, NEL) are collapsed into spaces like any white space.
_CONTROLS = dict.fromkeys(
    code for code in (*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F),
                      *range(0x2066, 0x206A), 0xFEFF)
    if not chr(code).isspace()
)


def byline_name(text: str) -> str:
    """The author's name in a by-line, without the by-line's label ("Bởi Thanh Hà" -> "Thanh Hà")."""
    m = BYLINE_LABEL.match(text)
    return m.group(1) if m else _BYLINE_WORD.sub("", text, count=1)


def clean_text(text: str | None) -> str:
    """NFC-normalise, collapse whitespace (non-breaking spaces included), drop controls (_CONTROLS)."""
    if not text:
        return ""
    # str.split() and the regex \s agree on what white space is; collapsing before NFC gives the same result
    # (no canonical composition or reordering crosses a space), and ASCII text is already NFC.
    text = " ".join(text.split())
    # every control left after the split is non-printable: the common, clean text skips the translate
    if not text.isprintable():
        text = " ".join(text.translate(_CONTROLS).split())
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case, strip tone and vowel marks, and map đ to d: the form people type without diacritics.

    Used for the folded full-text search column and for queries alike, so both sides fold the same way.
    """
    if not text:
        return ""
    # (str.replace, not str.translate: the same mapping without a dict lookup per character)
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    # the combining marks dropped by one regex substitution (each distinct character tested once and
    # remembered), not a Python test per character: the same result, several times faster on a body
    if not decomposed.isascii():
        if not _SEEN.issuperset(decomposed):
            with _MARKS_LOCK:  # (a character is marked seen only once the pattern covers it)
                fresh = set(decomposed).difference(_SEEN)
                marks = {ch for ch in fresh if unicodedata.combining(ch)}
                if marks:
                    _MARKS.update(marks)
                    _MARK_RE[0] = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_MARKS)) + "]+")
                _SEEN.update(fresh)
        pattern = _MARK_RE[0]
        if pattern is not None:
            decomposed = pattern.sub("", decomposed)
    return unicodedata.normalize("NFC", decomposed).lower()


_SEEN: set[str] = set()  # characters whose combining class fold has looked up
_MARKS: set[str] = set()  # those among them that are combining marks
_MARK_RE: list = [None]  # a character class of _MARKS
_MARKS_LOCK = threading.Lock()


# The date forms Vietnamese news sites print (Hanoi time unless a GMT offset says otherwise):
# "07:18 | 05/07/2023", "07:18 - 05/07/2023", "07:18 05/07/2023", "05/07/2023 07:18", "05/07/2023 - 07:18",
# "Thứ Hai, 16/11/2023 09:30 (GMT+7)", "09h30 16/11/2023", "05-07-2023, 07:18", and a bare "05/07/2023".
_SEP = r"\s*(?:[|\-–—,]\s*)?(?:lúc\s*)?"
_TIME = r"(\d{1,2})[:hH](\d{2})(?::(\d{2}))?"
_DATE = r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})"
_TIME_DATE = re.compile(_TIME + _SEP + r"(?:\w+(?: \w+)?,\s*)?" + _DATE)
_DATE_TIME = re.compile(_DATE + _SEP + "(?:" + _TIME + r")?(?!\d)")
_GMT = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")


def parse_vn_datetime(text: str | None, require_time: bool = False) -> str | None:
    """A date shown on the site (Hanoi local time) as ISO 8601 with +07:00, or None; with require_time, None
    for a date printed without its time."""
    if not text:
        return None
    text = clean_text(text)
    m = _TIME_DATE.search(text)
    if m:
        hh, mm, ss, d, mo, y = m.groups()
        return _iso(y, mo, d, hh, mm, ss, _GMT.search(text, m.end()))
    m = _DATE_TIME.search(text)
    if m:
        d, mo, y, hh, mm, ss = m.groups()
        if hh is None and require_time:
            return None
        return _iso(y, mo, d, hh or 0, mm or 0, ss, _GMT.search(text, m.end()))
    return None


def _iso(y, mo, d, hh, mm, ss, gmt=None) -> str | None:
    try:
        dt = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0), tzinfo=HANOI)
    except ValueError:
        return None
    if gmt is not None:  # printed in another zone: the same wall time there, told in Hanoi time
        sign, oh, om = gmt.groups()
        offset = timedelta(hours=int(oh), minutes=int(om or 0)) * (1 if sign == "+" else -1)
        if abs(offset) <= timedelta(hours=14):
            dt = dt.replace(tzinfo=timezone(offset)).astimezone(HANOI)
    return dt.isoformat()


def normalize_iso(value: str | None) -> str | None:
    """An ISO 8601 timestamp from metadata, re-expressed in Hanoi time (+07:00); naive means Hanoi."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return parse_vn_datetime(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=HANOI)
    return dt.astimezone(HANOI).isoformat()


def now_iso() -> str:
    """The current time in Hanoi, ISO 8601 with offset, to the second."""
    return datetime.now(HANOI).replace(microsecond=0).isoformat()
