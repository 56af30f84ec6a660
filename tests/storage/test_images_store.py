"""The images store's rules (scraper/storage/images.py) and the replica's image bytes, as pure functions;
the images rows' local-copy columns in a real archive."""

from __future__ import annotations

import struct
import zlib

from scraper.parsing.model import Image
from scraper.replica.server import image_bytes
from scraper.storage import Archive, images, read

from .conftest import make_article, old_archive


def test_files_are_named_by_hash_and_never_overwritten(tmp_path):
    store = tmp_path / "a.db.images"
    data = b"\x89PNG first bytes"
    sha = images.sha256_of(data)
    rel = images.relative_path(sha, "image/png; charset=binary", "https://laodongthudo.vn/x.jpg")
    assert rel == f"{sha[:2]}/{sha}.png"
    assert images.save(store, rel, data) is True
    assert images.save(store, rel, b"anything else") is False  # a name is its bytes: kept as first written
    assert (store / rel).read_bytes() == data
    assert images.find(store, sha) == store / rel
    assert images.file_type(store / rel) == "image/png"
    assert not [p for p in store.rglob(".part-*")]
    assert (images.size(store).files, images.size(store).bytes) == (1, len(data))


def test_find_takes_only_a_hash(tmp_path):
    assert images.find(tmp_path, "../../etc/passwd") is None
    assert images.find(tmp_path, "A" * 64) is None
    assert images.find(tmp_path, "a" * 64) is None  # a hash with no file


def test_extension_from_type_then_url():
    assert images.extension("image/jpeg") == ".jpg"
    assert images.extension("", "https://laodongthudo.vn/a/b.gif?rt=1") == ".gif"
    assert images.extension("application/octet-stream", "https://laodongthudo.vn/a/b") == ".bin"
    assert images.store_dir("/x/archive.db").as_posix() == "/x/archive.db.images"


def test_replica_image_is_a_valid_png_of_its_path():
    data = image_bytes("/stores/news_dataimages/a.jpg", width=3, height=2)
    assert data == image_bytes("/stores/news_dataimages/a.jpg", width=3, height=2)
    assert data != image_bytes("/stores/news_dataimages/b.jpg", width=3, height=2)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = body
        pos += 12 + length
    assert struct.unpack(">IIBB", chunks[b"IHDR"][:10]) == (3, 2, 8, 2)
    rows = zlib.decompress(chunks[b"IDAT"])
    assert len(rows) == 2 * (1 + 3 * 3) and rows[0] == 0


T1, T2 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00"
A_JPG, B_JPG = "https://laodongthudo.vn/stores/a.jpg", "https://laodongthudo.vn/stores/b.jpg"


def _files(db):
    return {r[0]: r[1:] for r in db.execute("SELECT url, sha256, content_type, bytes, stored_at FROM images")}


def test_image_rows_name_their_local_copy_and_keep_it_across_edits(archive):
    archive.save_article(make_article(1001, images=[Image(A_JPG, "Hội nghị"), Image(B_JPG, "Toàn cảnh")]),
                         fetched_at=T1)
    assert _files(archive.db) == {A_JPG: (None,) * 4, B_JPG: (None,) * 4}
    stored = {"sha256": "ab" * 32, "content_type": "image/jpeg", "bytes": 1234, "stored_at": T1}
    assert archive.record_image_files(1001, {A_JPG: stored, "https://laodongthudo.vn/other.jpg": stored}) == 1
    assert _files(archive.db)[A_JPG] == ("ab" * 32, "image/jpeg", 1234, T1)
    # an edit rewrites the images rows: the image still in the article keeps its local copy
    edited = make_article(1001, title="Tiêu đề mới", images=[Image(A_JPG, "Chú thích mới")])
    assert archive.save_article(edited, fetched_at=T2) == "updated"
    assert _files(archive.db) == {A_JPG: ("ab" * 32, "image/jpeg", 1234, T1)}


def test_image_validators_are_kept_with_the_copy_across_edits(archive):
    """The ETag and Last-Modified an image's stored bytes came with (migration 0017) are written with its
    local copy and follow it through an edit of the article, so the next refetch can ask conditionally."""
    archive.save_article(make_article(1001, images=[Image(A_JPG, "Hội nghị")]), fetched_at=T1)
    stored = {"sha256": "cd" * 32, "content_type": "image/jpeg", "bytes": 99, "stored_at": T1,
              "etag": '"abc123"', "last_modified": "Tue, 24 Nov 2026 11:00:00 GMT"}
    assert archive.record_image_files(1001, {A_JPG: stored}) == 1
    edited = make_article(1001, title="Tiêu đề mới", images=[Image(A_JPG, "Chú thích mới")])
    assert archive.save_article(edited, fetched_at=T2) == "updated"
    (row,) = read.images(archive.db, 1001)
    assert {k: row[k] for k in stored} == stored
    # a copy stored without validators (a site that sends none) has none
    archive.record_image_files(1001, {A_JPG: {k: v for k, v in stored.items() if k not in ("etag", "last_modified")}})
    (row,) = read.images(archive.db, 1001)
    assert (row["etag"], row["last_modified"]) == (None, None)


def test_0017_upgrades_an_archive_of_the_schema_before_it(tmp_path):
    path = tmp_path / "archive.db"

    def fill(archive):
        archive.save_article(make_article(1001, images=[Image(A_JPG, "Hội nghị")]), fetched_at=T1)
        archive.record_image_files(1001, {A_JPG: {"sha256": "ab" * 32, "content_type": "image/jpeg", "bytes": 1,
                                                  "stored_at": T1}})

    db = old_archive(path, "0017_image_validators", fill)
    assert "etag" not in db["images"].columns_dict
    db.close()
    with Archive.open(path) as archive:  # migrates
        (row,) = read.images(archive.db, 1001)
        assert (row["sha256"], row["etag"], row["last_modified"]) == ("ab" * 32, None, None)
