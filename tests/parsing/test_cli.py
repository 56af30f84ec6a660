"""`ldtd parse` end to end, in a subprocess: JSON on stdout, exit codes and stderr."""

from __future__ import annotations

import json
import subprocess
import sys

from scraper.parsing.model import RECORD_KEYS

from .conftest import REFERENCE, REFERENCE_URL, ROOT


def run(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "scraper.cli", "parse", *map(str, args)], cwd=ROOT,
                          capture_output=True, input=stdin, timeout=60)


def test_prints_the_record_with_exactly_the_record_keys():
    r = run(REFERENCE)
    assert r.returncode == 0, r.stderr.decode()
    rec = json.loads(r.stdout)
    assert tuple(rec) == RECORD_KEYS
    assert rec["url"] == REFERENCE_URL  # the canonical link by default
    assert "Vòng eo con kiến" in r.stdout.decode("utf-8")  # ensure_ascii=False
    assert isinstance(rec["images"][0], dict) and isinstance(rec["related"][0], dict)


def test_url_option():
    r = run(REFERENCE, "--url", "https://laodongthudo.vn/some-article-777.html")
    assert r.returncode == 0
    rec = json.loads(r.stdout)
    # The page's canonical link names another id: the URL we were given wins.
    assert rec["id"] == 777 and rec["url"] == "https://laodongthudo.vn/some-article-777.html"


def test_stdin():
    r = run("-", "--url", REFERENCE_URL, stdin=REFERENCE.read_bytes())
    assert r.returncode == 0 and json.loads(r.stdout)["id"] == 6316


def test_truncated_page(tmp_path):
    data = REFERENCE.read_bytes()
    cut = tmp_path / "cut.html"
    cut.write_bytes(data[: data.index("Hoặc một món cuốn".encode())])
    r = run(cut)
    assert r.returncode == 3
    assert r.stdout == b""
    assert b"cut off" in r.stderr and b"Traceback" not in r.stderr


def test_not_an_article(tmp_path):
    listing = tmp_path / "listing.html"
    listing.write_text('<html><head><link rel="canonical" href="https://laodongthudo.vn/thoi-su"></head>'
                       '<body><h1>Thời sự</h1><ul><li><a href="https://laodongthudo.vn/a-1234.html">A</a></li></ul>'
                       '</body></html>', encoding="utf-8")
    r = run(listing)
    assert r.returncode == 1
    assert b"not an article" in r.stderr and b"Traceback" not in r.stderr
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02PNG")
    r = run(binary)
    assert r.returncode == 1 and b"Traceback" not in r.stderr


def test_missing_file_and_help():
    r = run("/nonexistent/page.html")
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    r = run("--help")
    assert r.returncode == 0 and b"Example" in r.stdout


def test_page_without_end_tags_and_body_fragment_exit_0(tmp_path):
    data = REFERENCE.read_bytes()
    open_end = tmp_path / "open-end.html"
    open_end.write_bytes(data.replace(b"</body>", b"").replace(b"</html>", b""))
    r = run(open_end)
    assert r.returncode == 0, r.stderr.decode()
    assert "page: no </body> or </html> at its end" in json.loads(r.stdout)["extraction"]["warnings"]
    fragment = tmp_path / "fragment.html"
    fragment.write_text('<div class="sapo">(LĐTĐ) Lời dẫn.</div><div class="content"><p>Đoạn một.</p>'
                        '<p>Đoạn hai.</p></div>', encoding="utf-8")
    r = run(fragment, "--url", "https://laodongthudo.vn/bai-viet-184703.html")
    assert r.returncode == 0, r.stderr.decode()
    rec = json.loads(r.stdout)
    assert tuple(rec) == RECORD_KEYS
    assert (rec["id"], rec["title"], rec["sapo"], rec["body"]) == (184703, None, "(LĐTĐ) Lời dẫn.", "Đoạn một.\n\nĐoạn hai.")
    assert "title: missing" in rec["extraction"]["warnings"]
