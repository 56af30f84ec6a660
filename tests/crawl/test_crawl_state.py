"""ArchiveView (scraper.storage.archive_view): what the spider reads from the archive."""

from scraper.storage.archive_view import ArchiveView
from scraper.storage.archive import Archive

from .conftest import expected_records


def test_recrawl_window_includes_gone_articles_and_any_offset(tmp_path):
    db = tmp_path / "a.db"
    recs = expected_records("base")
    with Archive.open(db) as archive:
        for aid in (203050, 203072, 202594):
            archive.save_article(recs[aid])
        archive.mark_gone(203050)
    view = ArchiveView.open(str(db))
    try:
        since = "2026-11-24T00:00:00+07:00"
        ids = {r["id"] for r in view.recent(since)}
        assert ids == {203050, 203072}  # the gone one too: a 404 may have been transient
        # the window's start given in UTC: 02:00Z is 09:00 in Hanoi, after 203050's 08:40
        assert {r["id"] for r in view.recent("2026-11-24T02:00:00Z")} == {203072}
    finally:
        view.close()
