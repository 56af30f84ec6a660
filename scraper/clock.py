"""Times: Hanoi's offset, "now" as ISO 8601, and reading an ISO 8601 time back.

The archive stores every time as ISO 8601 with its offset (+07:00); a naive time is Hanoi time.
`HANOI` and `now_iso` live in ``scraper.text`` (with the text normalisation the parser, storage and
Datasette share), named here for the code that deals in times.
"""

from __future__ import annotations

from datetime import datetime

from scraper.text import HANOI, now_iso

__all__ = ["HANOI", "now_iso", "parse_iso"]


def parse_iso(value) -> datetime | None:
    """An ISO 8601 string as an aware datetime (naive = Hanoi time), or None."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=HANOI)
    try:
        d = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=HANOI)
