"""`ldtd export --format warc` on a real crawled archive: warcio checks the file, its records match the
pages table, and pywb (in a virtualenv of its own) replays the seed article in headless Chromium.

The archive: the suite's day2_history (tests/crawl/histories.py): the replica crawled through a mirror
(base state), then again a day later (day2), the same day, and a month on through a mirror under a path
prefix: first fetches, updated articles, 404s, and unchanged refetches whose bodies were not kept
(revisits)."""

from __future__ import annotations

import base64
import csv
import dataclasses
import fcntl
import hashlib
import io
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from urllib.parse import urlsplit
from collections import Counter
from datetime import timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.clock import parse_iso
from scraper.export.warc import write_warc
from scraper.parsing.article import parse_article
from scraper.storage import Archive, read
from scraper.storage import images as image_store
from tests.browse.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.storage.replica_pages import pages as replica_pages
from tests.storage.replica_pages import records as replica_records

from .builders import SEED_ID, SEED_TITLE

ROOT = Path(__file__).resolve().parents[2]
WARCIO = Path(sys.executable).with_name("warcio")
# pywb lives in a virtualenv of its own, kept across runs (keyed by its version): in the project's, its
# brotlipy would break Scrapy's brotli decoding.
PYWB_VERSION = "2.10.0"
PYWB_HOME = ROOT / "bench" / "out" / f"pywb-{PYWB_VERSION}"


@pytest.fixture(scope="module")
def crawled(day2_history) -> tuple[Path, dict[int, str]]:
    """(archive, {run id: the mirror's base URL it crawled through}): the suite's day2_history (the
    reference backfill, day2, the same day again, a month on through a mirror under a path prefix); the
    export only reads it."""
    h = day2_history
    return h["db"], {1: h["reference_base_url"], 2: h["base_url"], 3: h["base_url"], 4: h["later_base_url"]}


@pytest.fixture(scope="module")
def exported(crawled) -> Path:
    db, _ = crawled
    out = db.with_name("archive.warc.gz")
    proc = subprocess.run([sys.executable, "-m", "scraper.cli", "export", "--db", str(db), "--format", "warc",
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "WARC records" in proc.stderr
    return out


def _records(path: Path) -> list[dict]:
    """Each record's type, WARC headers, HTTP headers and payload (read back with warcio)."""
    out = []
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            out.append({
                "type": rec.rec_type,
                "warc": dict(rec.rec_headers.headers),
                "status": rec.http_headers.get_statuscode() if rec.http_headers and rec.rec_type != "request" else None,
                "http": dict(rec.http_headers.headers) if rec.http_headers else {},
                "request_line": (f"{rec.http_headers.protocol} {rec.http_headers.statusline}"
                                 if rec.rec_type == "request" else None),
                "payload": rec.content_stream().read(),
            })
    return out


def _pages(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        kept = {r[0] for r in conn.execute("SELECT body_sha256 FROM pages WHERE body_sha256 IS NOT NULL")}
        return [dict(r, same_bytes_kept=r["sha256"] in kept)
                for r in conn.execute("SELECT * FROM pages ORDER BY id")]
    finally:
        conn.close()


def _utc(iso: str) -> str:
    return parse_iso(iso).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode()


def test_warcio_checks_the_export(exported):
    proc = subprocess.run([str(WARCIO), "check", "-v", str(exported)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "digest pass" in proc.stdout and "digest fail" not in proc.stdout


def test_records_match_the_pages_table(crawled, exported):
    db, mirrors = crawled
    pages = _pages(db)
    records = _records(exported)
    assert records[0]["type"] == "warcinfo" and records[0]["warc"]["WARC-Filename"] == "archive.warc.gz"
    assert b"isPartOf: archive.db" in records[0]["payload"]

    kept = [p for p in pages if p["body_sha256"] is not None]
    revisited = [p for p in pages if p["body_sha256"] is None and p["same_bytes_kept"]]
    assert kept and revisited and any(p["status"] == 404 for p in kept), "the crawls should give every case"
    assert len(kept) + len(revisited) == len(pages)  # (no unchanged article in a changed page here)
    counts = Counter(r["type"] for r in records)
    assert counts == {"warcinfo": 1, "response": len(kept), "revisit": len(revisited),
                      "request": len(kept) + len(revisited)}

    captures = [r for r in records if r["type"] in ("response", "revisit")]
    requests = {r["warc"]["WARC-Concurrent-To"]: r for r in records if r["type"] == "request"}
    responses = {}
    for page, rec in zip(pages, captures, strict=True):
        w = rec["warc"]
        assert w["WARC-Target-URI"] == page["url"] and page["url"].startswith("https://laodongthudo.vn/")
        assert w["WARC-Date"] == _utc(page["fetched_at"])
        path = page["url"].removeprefix("https://laodongthudo.vn")
        fetched_from = mirrors[page["run_id"]].rstrip("/") + path
        assert w["LDTD-Fetched-From"] == fetched_from
        assert w["WARC-Payload-Digest"] == _digest(page["sha256"])
        assert rec["status"] == str(page["status"])
        assert rec["http"]["Content-Type"] == page["content_type"]
        assert "Content-Encoding" not in rec["http"] and "Transfer-Encoding" not in rec["http"]
        if page["body_sha256"] is not None:
            assert rec["type"] == "response"
            assert hashlib.sha256(rec["payload"]).hexdigest() == page["sha256"]
            assert rec["http"]["Content-Length"] == str(len(rec["payload"]))
            responses.setdefault(w["WARC-Payload-Digest"], []).append(w)
        else:
            assert rec["type"] == "revisit" and rec["payload"] == b""
            assert w["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
            original = [o for o in responses[w["WARC-Payload-Digest"]]
                        if o["WARC-Target-URI"] == w["WARC-Refers-To-Target-URI"]
                        and o["WARC-Date"] == w["WARC-Refers-To-Date"]]
            assert original, w
        request = requests[w["WARC-Record-ID"]]
        assert request["request_line"] == f"GET {urlsplit(fetched_from).path} HTTP/1.1"
        assert request["http"] == {"Host": urlsplit(fetched_from).netloc}
        assert "LDTD-Reconstructed" in request["warc"]


def test_stored_pages_read_in_chunks_gives_every_page_once(crawled):
    db, _ = crawled
    conn = read.open_readonly(db)
    try:
        whole = list(read.stored_pages(conn))
        chunked = list(read.stored_pages(conn, chunk=3))
    finally:
        conn.conn.close()
    assert [p["id"] for p in whole] == [p["id"] for p in _pages(db)]
    assert chunked == whole


def test_an_unchanged_article_in_a_changed_page_is_metadata_not_a_revisit(tmp_path, ldtd):
    """The refetch found the article unchanged but the page around it changed (a sidebar): its body is not
    kept and no record holds its bytes, so a revisit could not be resolved; it is a metadata record."""
    url, raw = next((u, r) for u, r in replica_pages() if f"-{SEED_ID}.html" in u)
    changed = raw.replace(b"</body>", b"<!-- another sidebar -->\n</body>")
    db = tmp_path / "archive.db"
    with Archive.open(db) as archive:
        for when, body in (("2026-11-24T18:00:00+07:00", raw), ("2026-11-24T19:00:00+07:00", changed),
                           ("2026-11-24T20:00:00+07:00", raw)):
            page_id = archive.record_fetch(url, body, headers={"Content-Type": "text/html; charset=utf-8"},
                                           fetched_at=when)
            archive.save_article(parse_article(body, url), fetched_at=when, page_id=page_id)
    out = tmp_path / "out.warc.gz"
    result = ldtd("export", "--db", db, "--format", "warc", "-o", out)
    assert result.exit_code == 0, result.output
    assert subprocess.run([str(WARCIO), "check", str(out)], capture_output=True, timeout=60).returncode == 0
    records = [r for r in _records(out) if r["type"] != "request"]
    assert [r["type"] for r in records] == ["warcinfo", "response", "metadata", "revisit"]
    metadata = records[2]
    assert metadata["warc"]["WARC-Target-URI"] == url
    assert metadata["warc"]["WARC-Date"] == "2026-11-24T12:00:00Z"
    assert f"payload-sha256: {hashlib.sha256(changed).hexdigest()}".encode() in metadata["payload"]
    assert records[3]["warc"]["WARC-Refers-To-Date"] == "2026-11-24T11:00:00Z"
    assert all("LDTD-Fetched-From" not in r["warc"] for r in records)  # fetched from the site itself


def test_warc_export_refuses_what_selects_articles(archive, ldtd):
    result = ldtd("export", "--db", archive, "--format", "warc", "--query", "dao tao", "-o", archive.with_suffix(".w"))
    assert result.exit_code == 2 and "--query: for jsonl and csv only" in result.output
    assert not archive.with_suffix(".w").exists()
    result = ldtd("export", "--db", archive, "--format", "jsonl", "--excel")
    assert result.exit_code == 2 and "--excel is for --format csv" in result.output


def test_csv_for_excel_starts_with_a_byte_order_mark(archive, ldtd, tmp_path):
    excel, plain = tmp_path / "excel.csv", tmp_path / "plain.csv"
    assert ldtd("export", "--db", archive, "--format", "csv", "--excel", "-o", excel).exit_code == 0
    assert ldtd("export", "--db", archive, "--format", "csv", "-o", plain).exit_code == 0
    raw = excel.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,url,title") and raw.count(b"\xef\xbb\xbf") == 1
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert raw[3:] == plain.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert SEED_TITLE in {r["title"] for r in rows}
    to_stdout = ldtd("export", "--db", archive, "--format", "csv", "--excel")
    assert to_stdout.stdout_bytes.startswith(b"\xef\xbb\xbfid,")


# -- replay in pywb ---------------------------------------------------------------------------------

def _pywb_bin() -> Path:
    """pywb's virtualenv, created once per pywb version (under a lock: sessions may run side by side).
    A failed install fails the test: replay is part of what the export promises."""
    PYWB_HOME.parent.mkdir(parents=True, exist_ok=True)
    marker = PYWB_HOME / ".installed"
    with open(PYWB_HOME.with_name(PYWB_HOME.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            shutil.rmtree(PYWB_HOME, ignore_errors=True)
            steps = ([sys.executable, "-m", "venv", str(PYWB_HOME)],
                     [str(PYWB_HOME / "bin" / "python"), "-m", "pip", "install", "-q", f"pywb=={PYWB_VERSION}"])
            for cmd in steps:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
                if proc.returncode != 0:
                    pytest.fail(f"cannot install pywb {PYWB_VERSION} ({' '.join(cmd)}):\n{proc.stderr[-3000:]}")
            marker.write_text(PYWB_VERSION)
    return PYWB_HOME / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wayback(exported, tmp_path_factory):
    """pywb's wayback on 127.0.0.1 serving a collection "ldtd" made from the export; yields its base URL."""
    bin_dir = _pywb_bin()
    home = tmp_path_factory.mktemp("pywb")
    for cmd in (["wb-manager", "init", "ldtd"], ["wb-manager", "add", "ldtd", str(exported)]):
        proc = subprocess.run([str(bin_dir / cmd[0]), *cmd[1:]], cwd=home, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr[-3000:]
    port = _free_port()
    log = (home / "wayback.log").open("wb")
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=home,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/ldtd/", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("pywb did not start:\n" + (home / "wayback.log").read_text(errors="replace"))
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
        log.close()


def _capture(records: list[dict], article_id: int, kind: str) -> dict:
    return next(r["warc"] for r in records if r["type"] == kind and r["warc"]["WARC-Target-URI"].endswith(f"-{article_id}.html"))


def _timestamp(warc_date: str) -> str:
    return "".join(ch for ch in warc_date if ch.isdigit())


def test_pywb_replays_a_revisit_with_the_original_bytes(exported, wayback):
    records = _records(exported)
    revisit = next(r["warc"] for r in records if r["type"] == "revisit")
    url = f"{wayback}/ldtd/{_timestamp(revisit['WARC-Date'])}id_/{revisit['WARC-Target-URI']}"
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        assert response.headers["Memento-Datetime"]  # the revisit's own time, served with the original's bytes
    assert _digest(hashlib.sha256(body).hexdigest()) == revisit["WARC-Payload-Digest"]


def test_pywb_replays_the_seed_article_in_chromium(exported, wayback, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)")
    seed = _capture(_records(exported), SEED_ID, "response")
    # the replay URL a reader opens: pywb's frame (its banner) around the page as it rewrites it (mp_)
    url = f"{wayback}/ldtd/{_timestamp(seed['WARC-Date'])}/{seed['WARC-Target-URI']}"
    elsewhere: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            *CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: None if r.url.startswith((wayback, "data:", "about:", "blob:"))
                    else elsewhere.append(r.url))
            response = page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            assert response.status == 200
            headline = page.frame_locator("#replay_iframe").locator("h1")
            headline.first.wait_for(timeout=30_000)
            assert headline.count() == 1 and headline.first.inner_text().strip() == SEED_TITLE
            assert headline.first.is_visible()
            assert any(f"{_timestamp(seed['WARC-Date'])}mp_/{seed['WARC-Target-URI']}" == f.url.split("/ldtd/", 1)[-1]
                       for f in page.frames)
            page.screenshot(path=str(tmp_path / "replay.png"))
        finally:
            browser.close()
    assert not elsewhere, elsewhere[:10]  # the replay needs nothing but pywb


@pytest.mark.parametrize("status, same_as, note", [
    (304, {"id": 1, "url": "https://laodongthudo.vn/a-1.html", "fetched_at": "2026-11-24T18:00:00+07:00", "size": 0},
     b"304 Not Modified"),
    (None, None, b"fetch without a status"),
])
def test_a_fetch_without_a_page_to_replay_is_metadata(tmp_path, status, same_as, note):
    """A 304 (even when an empty kept body has its digest) or a fetch without a status is no capture."""
    page = {"id": 2, "url": "https://laodongthudo.vn/a-1.html", "status": status, "headers": {},
            "fetched_at": "2026-11-24T19:00:00+07:00", "sha256": hashlib.sha256(b"").hexdigest(), "body": None,
            "same_as": same_as, "mirror": None}
    out = tmp_path / "one.warc.gz"
    with out.open("wb") as fh:
        counts = write_warc(fh, [page], filename=out.name, archive_name="archive.db")
    assert counts == {"warcinfo": 1, "metadata": 1}
    metadata = _records(out)[1]
    assert metadata["type"] == "metadata" and note in metadata["payload"]
    assert metadata["warc"]["WARC-Date"] == "2026-11-24T12:00:00Z"


def test_the_export_holds_a_few_pages_in_memory_not_the_archive(tmp_path):
    """20 MB of stored pages export with a peak of a few of them in memory (tracemalloc): rows are read
    in chunks and written one record at a time."""
    rng = random.Random(0)
    db = tmp_path / "archive.db"
    with Archive.open(db) as archive, archive.batch():
        for i in range(100):
            archive.record_fetch(f"https://laodongthudo.vn/bai-{i}.html", rng.randbytes(200_000), status=404,
                                 fetched_at="2026-11-24T18:00:00+07:00")
    conn = read.open_readonly(db)
    out = tmp_path / "big.warc.gz"
    tracemalloc.start()
    try:
        with out.open("wb") as fh:
            counts = write_warc(fh, read.stored_pages(conn), filename=out.name, archive_name=db.name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        conn.conn.close()
    assert counts["response"] == 100 and out.stat().st_size > 20_000_000
    assert peak < 5_000_000, peak


def test_stored_images_are_resource_records(tmp_path, ldtd):
    """Each image the images store holds is a resource record (once per file and URL, dated when its bytes
    were first stored, digests by warcio), streamed from its file; `warcio check` passes. Built through
    the storage API: pages, articles and files written as a crawl with --images writes them."""
    (url, raw, article), (other_url, other_raw, other) = [
        next((u, r, a) for u, r, a in replica_records() if a.id == wanted) for wanted in (164585, 184660)]
    shared = article.images[0]
    other = dataclasses.replace(other, images=[shared, *other.images])  # a picture shown by both articles
    db = tmp_path / "archive.db"
    store = image_store.store_dir(db)
    first, later = "2026-11-24T18:00:00+07:00", "2026-11-25T08:00:00+07:00"
    same_bytes = b"\x89PNG\r\n\x1a\n the same picture under two URLs"
    data = {image.url: (same_bytes if n < 2 else b"\x89PNG\r\n\x1a\n picture %d" % n)
            for n, image in enumerate(article.images)}
    data.update({image.url: b"GIF89a other picture %d" % n for n, image in enumerate(other.images[1:])})
    kinds = {u: "image/gif" if d.startswith(b"GIF") else "image/png" for u, d in data.items()}

    def files(images, stored_at):
        out = {}
        for image in images:
            sha = image_store.sha256_of(data[image.url])
            image_store.save(store, image_store.relative_path(sha, kinds[image.url], image.url), data[image.url])
            out[image.url] = {"sha256": sha, "content_type": kinds[image.url], "bytes": len(data[image.url]),
                              "stored_at": stored_at}
        return out

    with Archive.open(db) as archive:
        for page_url, body, record, when in ((url, raw, article, first), (other_url, other_raw, other, later)):
            page_id = archive.record_fetch(page_url, body, headers={"Content-Type": "text/html; charset=utf-8"},
                                           fetched_at=when)
            archive.save_article(record, fetched_at=when, page_id=page_id)
            archive.record_image_files(record.id, files(record.images, when))
    lost = article.images[-1].url
    image_store.find(store, image_store.sha256_of(data[lost])).unlink()  # a file the store no longer has

    out = tmp_path / "out.warc.gz"
    result = ldtd("export", "--db", db, "--format", "warc", "-o", out, "--json")
    assert result.exit_code == 0, result.output
    check = subprocess.run([str(WARCIO), "check", "-v", str(out)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and "digest fail" not in check.stdout, check.stdout[-2000:]
    resources = [r for r in _records(out) if r["type"] == "resource"]
    expected = {u for u in data if u != lost}  # the shared picture once; two URLs of the same bytes twice
    assert sorted(r["warc"]["WARC-Target-URI"] for r in resources) == sorted(expected)
    assert len(resources) == len(article.images) - 1 + len(other.images) - 1
    for r in resources:
        target = r["warc"]["WARC-Target-URI"]
        assert r["payload"] == data[target]
        assert r["warc"]["Content-Type"] == kinds[target]
        assert r["warc"]["WARC-Date"] == (_utc(first) if target in {i.url for i in article.images} else _utc(later))
        digest = "sha1:" + base64.b32encode(hashlib.sha1(data[target]).digest()).decode()
        assert r["warc"]["WARC-Block-Digest"] == r["warc"]["WARC-Payload-Digest"] == digest
    assert json.loads(result.output)["records"]["resource"] == len(resources)
    # the pages are there as before
    assert {r["warc"]["WARC-Target-URI"] for r in _records(out) if r["type"] == "response"} == {url, other_url}
