"""related_links.linked_id/target_id name an article of this archive only when the link is to
laodongthudo.vn (or www.): the sister subdomains (laodongvaphapluat.laodongthudo.vn) and other
newspapers number their own articles, so their ids name unrelated LĐTĐ articles here."""

from scraper.parsing.model import RelatedLink
from scraper.storage import Archive
from scraper.storage.schema import migrations

from .conftest import make_article, old_archive

T1, T2 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00"
FIX = "0006_related_links_site_hosts_only"
SISTER = "https://laodongvaphapluat.laodongthudo.vn/vu-an-khac-184688.html"
OTHER = "https://baoquocte.vn/bai-bao-khac-203050.html"
WWW = "https://www.laodongthudo.vn/bai-cung-trang-203051.html"
OWN = "https://laodongthudo.vn/bai-cung-trang-203052.html"
RELATED = [RelatedLink(u, f"Bài {n}", "Tin khác", n) for n, u in enumerate((SISTER, OTHER, WWW, OWN), 1)]


def links(db, aid=1001):
    return {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT url, linked_id, target_id FROM related_links WHERE article_id = ?", [aid])}


def archive_targets(archive, ids=(184688, 203050, 203051, 203052)):
    for i in ids:
        archive.save_article(make_article(i, related=[]), fetched_at=T1)


def test_links_to_other_hosts_name_no_article(archive):
    archive_targets(archive, (184688, 203050, 203051))  # the LĐTĐ articles that happen to share the ids
    archive.save_article(make_article(1001, related=RELATED), fetched_at=T1)
    assert links(archive.db) == {SISTER: (None, None), OTHER: (None, None), WWW: (203051, 203051),
                                 OWN: (203052, None)}
    # the back-fill when a named article is archived later touches only this site's links
    archive_targets(archive, (203052,))
    assert links(archive.db)[OWN] == (203052, 203052)
    assert links(archive.db)[SISTER] == (None, None)
    # and a refetch with a new sidebar (links rewritten, no version) keeps the rule
    refetch = make_article(1001, related=list(reversed(RELATED)))
    assert archive.save_article(refetch, fetched_at=T2) == "unchanged"
    assert links(archive.db) == {SISTER: (None, None), OTHER: (None, None), WWW: (203051, 203051),
                                 OWN: (203052, 203052)}


def test_back_fill_ignores_other_hosts(archive):
    archive.save_article(make_article(1001, related=RELATED), fetched_at=T1)
    archive_targets(archive)
    assert links(archive.db) == {SISTER: (None, None), OTHER: (None, None), WWW: (203051, 203051),
                                 OWN: (203052, 203052)}


def test_upgrade_clears_wrong_links(db_path):
    def fill(archive):
        archive_targets(archive)
        archive.save_article(make_article(1001, related=RELATED), fetched_at=T1)

    db = old_archive(db_path, FIX, fill)
    # what the old code wrote: every URL's id, wherever it pointed
    for url, aid in ((SISTER, 184688), (OTHER, 203050)):
        db.execute("UPDATE related_links SET linked_id = ?, target_id = ? WHERE url = ?", [aid, aid, url])
    db.conn.commit()
    db.close()
    archive = Archive.open(db_path)
    assert FIX in {m.name for m in migrations.applied(archive.db)}
    assert links(archive.db) == {SISTER: (None, None), OTHER: (None, None), WWW: (203051, 203051),
                                 OWN: (203052, 203052)}
    assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []
    archive.close()
