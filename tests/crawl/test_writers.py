"""The three writers (`scraper.crawl.writers`: store process, writer thread, inline) behind one protocol:
the same items give the same archive and the same counts wherever they are written, and a failed write
stops storing, says why in one line and counts what was lost. Real pages of the replica, a real SQLite
file, the real forked processes; no crawl."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from scraper.crawl.writers import WRITERS, Written, open_writer, parse_page
from scraper.items import FetchFailed, PageItem
from scraper.storage import runs
from scraper.storage.archive import Archive
from scraper.storage.runs import RunRecord
from scraper.urls import article_id

from .conftest import archive_content, db_rows

SITE = Path(__file__).resolve().parents[2] / "scraper" / "replica" / "site" / "base" / "articles"
FETCHED = "2026-11-25T18:00:00+07:00"


def _items(parsed: bool) -> list:
    items = []
    for path in sorted(SITE.glob("*.html"))[:12]:
        url = f"https://laodongthudo.vn/{path.name}"
        item = PageItem(url=url, article_id=article_id(url), status=200, headers={"content-type": "text/html"},
                        body=path.read_bytes(), fetched_at=FETCHED)
        if parsed:  # as ParsePipeline leaves them for a writer in the crawling process
            item.article, item.error = parse_page(item.body, item.url)
        items.append(item)
    items.append(FetchFailed(url="https://laodongthudo.vn/a-999001.html", article_id=999001, reason="HTTP 503"))
    gone = PageItem(url=items[0].url, article_id=items[0].article_id, status=404, headers={}, body=b"",
                    fetched_at=FETCHED, gone=True)
    items.append(gone)
    untitled = PageItem(url="https://laodongthudo.vn/x-999002.html", article_id=999002, status=200, headers={},
                        body=b"<div class='content'><p>" + "Một đoạn văn không có tiêu đề. ".encode() * 30 + b"</p></div>",
                        fetched_at=FETCHED)
    if parsed:
        untitled.article, untitled.error = parse_page(untitled.body, untitled.url)
    return items + [untitled]


def _put_all(kind: str, db: Path, run_id, on_written, items, batch_size: int):
    """Every item through a `kind` writer, flushed and closed: the writer, for its failure and losses."""
    async def main():
        writer = open_writer(kind, str(db), run_id, None, on_written, batch_size=batch_size)
        try:
            for item in items:
                await writer.put(item)
            writer.flush()
        finally:
            writer.close()
        return writer

    return asyncio.run(main())


def _write(db: Path, kind: str, items, batch_size: int = 4) -> Written:
    with Archive.open(db) as archive:
        run_id = runs.start(archive.db, RunRecord(mode="backfill"))
    total = Written()

    def add(w: Written):
        total.counts.update(w.counts)
        total.reasons.update(w.reasons)
        total.failures.extend(w.failures)
        total.stats.update(w.stats)

    writer = _put_all(kind, db, run_id, add, items, batch_size)
    assert writer.failure is None and writer.lost == 0
    return total


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = {}
    for kind in WRITERS:
        db = tmp_path_factory.mktemp(kind) / "a.db"
        out[kind] = (db, _write(db, kind, _items(parsed=kind != "process")))
    return out


def test_every_writer_stores_the_same_archive(written):
    contents = {kind: archive_content(db) for kind, (db, _w) in written.items()}
    assert len(contents["inline"]["articles"]) == 12
    assert contents["process"] == contents["thread"] == contents["inline"]


def test_every_writer_counts_the_same(written):
    totals = {kind: w for kind, (_db, w) in written.items()}
    inline = totals["inline"]
    assert inline.counts["new"] == 12 and inline.counts["failed"] == 2 and inline.counts["gone"] == 1
    assert [f.reason for f in inline.failures] == ["fetch: HTTP 503", "parse Untitled: the page has no headline "
                                                   "(a body fragment?)"]
    assert inline.reasons == {"fetch": 1, "parse Untitled": 1}
    for kind in ("thread", "process"):
        # (batches differ: the store process makes its own transactions of what has arrived)
        assert _without_batches(totals[kind].counts) == _without_batches(inline.counts), kind
        assert totals[kind].failures == inline.failures and totals[kind].reasons == inline.reasons, kind
    # the store process parsed the pages itself (the fragment too: it parses, untitled): its parse stats
    # come back with its answers
    assert totals["process"].stats["ldtd/parsed"] == 13 and totals["process"].stats["ldtd/untitled"] == 1
    assert totals["inline"].stats["ldtd/untitled"] == 1 and "ldtd/parsed" not in totals["inline"].stats


def _without_batches(counts) -> dict:
    return {k: v for k, v in counts.items() if k != "batches"}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_failed_write_stops_storing_and_counts_what_was_lost(tmp_path, kind):
    db = tmp_path / "a.db"
    Archive.open(db).close()
    con = sqlite3.connect(db)  # the archive refuses its third page, as a full disk would
    con.execute("CREATE TRIGGER full BEFORE INSERT ON pages WHEN (SELECT count(*) FROM pages) >= 2"
                " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    con.commit()
    con.close()
    with Archive.open(db) as archive:
        run_id = runs.start(archive.db, RunRecord(mode="backfill"))
    items = _items(parsed=kind != "process")[:10]

    writer = _put_all(kind, db, run_id, lambda w: None, items, batch_size=2)
    assert writer.failure.endswith("database or disk is full") and "\n" not in writer.failure
    stored = db_rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
    # a failed transaction is lost whole, and all after it: nothing is half stored, nothing uncounted (the
    # store process makes its transactions of what has arrived, so the pages before the third may go too)
    assert stored <= 2 and stored + writer.lost == len(items)
    assert stored == 2 or kind == "process"
