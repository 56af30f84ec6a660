"""Archive.recent(since): the recrawl window compares instants, not strings. Every stored time is
+07:00; a `since` in UTC ("Z") or another offset is re-expressed in Hanoi time first."""

from .conftest import make_article

T1 = "2026-11-20T10:00:00+07:00"
TIMES = {1: "2026-11-21T06:30:00+07:00", 2: "2026-11-21T07:30:00+07:00", 3: "2026-11-22T08:00:00+07:00"}


def test_recent_accepts_any_offset(archive):
    for aid, published in TIMES.items():
        archive.save_article(make_article(aid, published_at=published), fetched_at=T1)
    ids = lambda since: [r["id"] for r in archive.recent(since)]  # noqa: E731
    # 2026-11-21T00:00Z is 07:00 in Hanoi: article 1 (06:30+07) is before it, 2 and 3 after
    assert ids("2026-11-21T00:00:00Z") == [3, 2]
    assert ids("2026-11-21T00:00:00+00:00") == [3, 2]
    assert ids("2026-11-20T19:00:00-05:00") == [3, 2]
    assert ids("2026-11-21T07:00:00+07:00") == [3, 2]
    assert ids("2026-11-21T06:30:00+07:00") == [3, 2, 1]  # at or after
    assert ids("2026-11-20T23:30:00Z") == [3, 2, 1]
    # a date or a naive time means Hanoi
    assert ids("2026-11-21") == [3, 2, 1]
    assert ids("2026-11-21T07:00:00") == [3, 2]
    assert ids("2026-11-22T01:00:00Z") == [3]
