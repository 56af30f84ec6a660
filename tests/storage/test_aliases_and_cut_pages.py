"""What storage decides for pages that say they are another article, and for pages that may be cut.

- A page fetched at article A's URL that says it is article B (``requested_url``): the A-to-B alias is
  kept; the record is stored as B only if B is new or its archived title, lead and body match, else
  nothing is written ("conflict"). The fetch is filed under B when stored (``ldtd reparse`` finds it).
- A record whose page stops after its article (OPEN_END_WARNING) never makes a whole archived record
  worse: same text, the archive is kept; what it lacks is taken from the archive.
- A record from a transfer that may have cut the page (``cut_transfer``) is not stored over a whole
  copy ("incomplete"); without one it is stored, marked, and ``known()`` asks for a refetch.
"""

import dataclasses

from scraper.parsing.errors import OPEN_END_WARNING
from scraper.parsing.model import Extraction
from scraper.storage import read
from scraper.storage.archive import CONFLICT, CUT_TRANSFER_WARNING, INCOMPLETE

from .conftest import make_article

T1, T2, T3 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00", "2026-11-22T10:00:00+07:00"
A_URL = "https://laodongthudo.vn/bai-duoc-yeu-cau-2001.html"


def rows(archive, sql, args=()):
    return [tuple(r) for r in archive.db.execute(sql, args).fetchall()]


def test_page_naming_a_new_article_is_stored_as_it_and_filed_under_it(archive):
    b = make_article(3001)
    page = archive.record_fetch(A_URL, b"<html>B</html>", article_id=2001, fetched_at=T1)
    assert archive.save_article(b, fetched_at=T1, page_id=page, requested_url=A_URL) == "new"
    assert archive.record(3001)["body"] == b.body and archive.record(2001) is None
    assert archive.aliases() == [{"url": A_URL, "requested_id": 2001, "article_id": 3001,
                                  "first_seen_at": T1, "last_seen_at": T1}]
    assert rows(archive, "SELECT article_id FROM pages WHERE id = ?", [page]) == [(3001,)]
    # rebuildable from that fetch
    assert read.rebuild_pages(archive.db) == [(3001, [{"page_id": page, "url": A_URL, "fetched_at": T1}])]


def test_page_naming_an_archived_article_with_other_text_writes_nothing(archive):
    a, b = make_article(2001, url=A_URL), make_article(3001)
    archive.save_article(a, fetched_at=T1)
    archive.save_article(b, fetched_at=T1)
    before = archive.record(3001), archive.record(2001), archive.db["articles"].get(3001)["last_fetched_at"]
    edited = dataclasses.replace(b, body=b.body + "\n\nMột đoạn khác.")
    page = archive.record_fetch(A_URL, b"<html>B edited</html>", article_id=2001, fetched_at=T2)
    assert archive.save_article(edited, fetched_at=T2, page_id=page, requested_url=A_URL) == CONFLICT
    after = archive.record(3001), archive.record(2001), archive.db["articles"].get(3001)["last_fetched_at"]
    assert after == before
    assert archive.db["article_versions"].count == 0
    assert rows(archive, "SELECT gone_at FROM articles WHERE id = 2001") == [(None,)]
    # the fetch stays filed under the URL's article, body kept (no record followed it), and reparse skips
    # it for that article (it parses to another one)
    assert rows(archive, "SELECT article_id, body_sha256 IS NOT NULL FROM pages WHERE id = ?", [page]) == [(2001, 1)]
    # seen again later: one alias, its last sighting moved on
    assert archive.save_article(edited, fetched_at=T3, requested_url=A_URL) == CONFLICT
    assert [(x["first_seen_at"], x["last_seen_at"]) for x in archive.aliases(3001)] == [(T2, T3)]


def test_page_naming_an_archived_article_with_the_same_text_is_stored(archive):
    b = make_article(3001)
    archive.save_article(b, fetched_at=T1)
    moved = dataclasses.replace(b, related=[])  # the navigation around it may differ: not its text
    assert archive.save_article(moved, fetched_at=T2, requested_url=A_URL) == "unchanged"
    assert archive.db["articles"].get(3001)["last_fetched_at"] == T2
    assert [x["requested_id"] for x in archive.aliases(3001)] == [2001]


def test_page_cut_after_its_article_never_makes_a_whole_record_worse(archive):
    whole = make_article(4001)
    archive.save_article(whole, fetched_at=T1)
    before = archive.record(4001)
    cut = dataclasses.replace(whole, tags=[], related=[],
                              extraction=Extraction("selectors", "mastercms-2026", [OPEN_END_WARNING]))
    assert archive.save_article(cut, fetched_at=T2) == "unchanged"
    assert archive.record(4001) == before
    # its text changed: stored, and what the cut page lost (tags, related lists) kept from the archive
    edited = dataclasses.replace(cut, body=whole.body + "\n\nĐoạn mới.")
    assert archive.save_article(edited, fetched_at=T3) == "updated"
    rec = archive.record(4001)
    assert rec["body"].endswith("Đoạn mới.") and rec["tags"] == whole.tags and rec["related"] == before["related"]


def test_cut_transfer_never_replaces_a_whole_copy_and_is_refetched_until_one_comes(archive):
    whole = make_article(5001)
    cut = dataclasses.replace(whole, tags=[], extraction=Extraction("selectors", "mastercms-2026", [OPEN_END_WARNING]))
    # a whole copy archived: nothing written
    archive.save_article(whole, fetched_at=T1)
    before = archive.record(5001)
    assert archive.save_article(cut, fetched_at=T2, cut_transfer=True) == INCOMPLETE
    assert archive.record(5001) == before and archive.known([5001])[5001]["refetch"] == 0
    # no copy archived: stored, marked, and the crawler asks for it again
    other = dataclasses.replace(cut, id=5002, url="https://laodongthudo.vn/bai-khac-5002.html",
                                extraction=Extraction("selectors", "mastercms-2026", [OPEN_END_WARNING]))
    assert archive.save_article(other, fetched_at=T1, cut_transfer=True) == "new"
    assert CUT_TRANSFER_WARNING in archive.record(5002)["extraction"]["warnings"]
    assert archive.known([5002])[5002]["refetch"] == 1
    # a second cut transfer may replace a copy that is no whole copy either
    assert archive.save_article(dataclasses.replace(other, body=other.body + "\n\nThêm."), fetched_at=T2,
                                cut_transfer=True) == "updated"
    # the whole page arrives: stored, no longer to refetch
    whole2 = dataclasses.replace(whole, id=5002, url=other.url, body=other.body + "\n\nThêm.")
    assert archive.save_article(whole2, fetched_at=T3) == "updated"
    assert archive.known([5002])[5002]["refetch"] == 0
