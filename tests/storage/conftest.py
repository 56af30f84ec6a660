import pytest
from sqlite_utils import Database

from scraper.parsing.model import Article, Extraction, Image, RelatedLink
from scraper.storage import Archive, runs
from scraper.storage.runs import RunRecord
from scraper.storage.schema import migrate

# every table an archive holds, parents before children
TABLES = ("crawl_runs", "page_bodies", "pages", "articles", "related_links", "images", "tags", "article_tags",
          "article_versions", "aliases")


def make_article(aid=1001, **over) -> Article:
    fields = dict(
        url=f"https://laodongthudo.vn/ra-soat-cong-tac-dao-tao-{aid}.html",
        id=aid,
        title="Rà soát công tác đào tạo cán bộ của Đảng",
        sapo="(LĐTĐ) Hà Nội đẩy mạnh đào tạo, bồi dưỡng đội ngũ cán bộ.",
        body="Thành phố rà soát đội ngũ cán bộ.\n\nCông tác đào tạo được chú trọng trong năm 2026.",
        body_html="<p>Thành phố rà soát đội ngũ cán bộ.</p>\n<p>Công tác đào tạo được chú trọng trong năm 2026.</p>",
        author="Minh Anh",
        published_at="2026-11-20T09:30:00+07:00",
        updated_at=None,
        category="Thời sự",
        category_url="https://laodongthudo.vn/thoi-su",
        tags=["Đào tạo", "Hà Nội"],
        images=[Image("https://laodongthudo.vn/stores/a.jpg", "Hội nghị", "ảnh")],
        related=[RelatedLink("https://laodongthudo.vn/tin-khac-2002.html", "Tin khác", "Tin liên quan", 1)],
        extraction=Extraction("selectors", "mastercms-2026", []),
    )
    fields.update(over)
    return Article(**fields)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "archive.db"


@pytest.fixture
def archive(db_path):
    a = Archive.open(db_path)
    yield a
    a.close()


def old_archive(db_path, stop_before: str, fill) -> Database:
    """An archive at the schema before migration `stop_before`, holding what ``fill(archive)`` writes.

    Today's Archive writes today's schema: it fills a scratch archive, whose rows are then copied (the
    columns the old schema has) into one migrated only that far. Returns that old archive, open."""
    scratch = db_path.with_name("scratch-" + db_path.name)
    with Archive.open(scratch) as archive:
        fill(archive)
    new = Database(scratch)
    db = Database(db_path)
    migrate(db, stop_before=stop_before)
    for table in TABLES:
        if not db[table].exists():
            continue
        columns = [c for c in db[table].columns_dict if c in new[table].columns_dict]
        rows = [dict(zip(columns, r)) for r in new.execute(f"SELECT {', '.join(columns)} FROM {table}")]
        if rows:
            db[table].insert_all(rows)
    new.close()
    db.conn.commit()
    return db


def crawl(db, mode="incremental", outcome="ok", started="2026-11-20T10:00:00+07:00", **fields) -> RunRecord:
    """A crawl's run record written through the run log as a crawl writes it: started, then (unless
    `outcome` is "running": killed, its end never recorded) finished with `outcome` and the fields a run
    learns by its end (failures, holes, counts, what it read of the sitemaps...)."""
    ending = {k: fields.pop(k) for k in ("failures", "holes", "walk_incomplete", "storage_failed", "counts",
                                         "sitemaps_read") if k in fields}
    record = RunRecord(mode=mode, started_at=started, **fields)
    runs.start(db, record)
    if outcome != "running":
        record.outcome = outcome
        for k, v in ending.items():
            setattr(record, k, v)
        runs.finish(db, record)
    return record
