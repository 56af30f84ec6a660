"""Terminal escapes in crawled text: an OSC sequence in a headline (sets the window title; a hyperlink
whose target is hidden), BEL, CSI (8-bit and 7-bit), bidi overrides and isolates. New pages are cleaned
of them on the way in (the parser's text cleaning); text archived before that, printed by `ldtd show`,
`search`, `stats` and `export`, reaches the terminal as visible escapes, and JSON output stays the same
data."""

from __future__ import annotations

import csv
import json
import os
import pty
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from scraper.cli import main
from scraper.parsing.article import parse_article
from scraper.parsing.model import Article
from scraper.storage import Archive
from tests.query.builders import build_archive, records
from tests.terminal import drain

from .hostile import expected, page_file

# what a terminal acts on: C0 controls but tab and newline, DEL, C1, and the bidi controls
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PAYLOAD = ("\x1b]0;PWNED\x07\x1b]8;;http://evil.example/\x1b\\lien ket\x1b]8;;\x1b\\"
           "\u202egnp.exe\u202c\x9b2J\x1b[2J\u2066iso\u2069\u200e\x7f")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_the_parser_drops_controls_from_every_text_field(tmp_path):
    state, aid = "base", 164585
    record = expected(state, aid)
    html = page_file(state, aid).read_text(encoding="utf-8")
    first = record["body"].split("\n\n")[0]
    targets = [record["title"], record["sapo"][:20], first[:30], record["author"], *record["tags"],
               record["images"][0]["caption"][:20], record["related"][0]["title"]]
    for text in targets:
        assert text and text in html, text
        html = html.replace(text, text + PAYLOAD)
    article = parse_article(html.encode("utf-8"), record["url"]).to_dict()
    found = {s for s in _strings(article) if UNSAFE.search(s)}
    assert not found, [ascii(s[:120]) for s in found]
    # the visible text around the sequences is kept: only the control characters go
    assert "gnp.exe" in article["title"] and "PWNED" in article["title"] and "gnp.exe" in article["body"]
    assert article["title"].startswith(record["title"])
    # and `ldtd parse` prints that record inert
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(page), "--url", record["url"]])
    assert result.exit_code == 0 and not UNSAFE.search(result.output), ascii(UNSAFE.findall(result.output))
    assert json.loads(result.output)["title"] == article["title"]


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """An archive holding text written before the parser cleaned it (saved straight, as an older
    version of the crawler stored it): headline, lead, body, author, category, tags, caption, related
    title, a second version, and a run summary."""
    path = build_archive(tmp_path_factory.mktemp("escapes") / "archive.db")
    base = next(r for r in records() if r["images"] and r["related"])
    rec = dict(base, id=999100, url="https://laodongthudo.vn/doc-hai-999100.html",
               title="Tin nóng " + PAYLOAD, sapo="(LĐTĐ) " + PAYLOAD, body="Đoạn một " + PAYLOAD + "\n\nĐoạn hai",
               author="Tác giả" + PAYLOAD, category="Thời sự" + PAYLOAD, tags=["thẻ" + PAYLOAD],
               images=[dict(base["images"][0], caption="Ảnh" + PAYLOAD)],
               related=[dict(base["related"][0], title="Liên quan" + PAYLOAD)])
    with Archive.open(path) as archive:
        run = archive.start_run("incremental")
        archive.save_article(Article.from_dict(rec), fetched_at="2024-03-01T08:00:00+07:00", run_id=run)
        changed = dict(rec, body=rec["body"] + "\n\nĐoạn ba " + PAYLOAD)
        archive.save_article(Article.from_dict(changed), fetched_at="2024-03-02T08:00:00+07:00", run_id=run)
        archive.finish_run(run, "ok", summary="ok: 1 new " + PAYLOAD)
    return path, rec


@pytest.mark.parametrize("args", [
    ["show", "999100"], ["show", "999100", "--diff", "1", "current"], ["search", "tin nong"], ["stats"],
])
def test_archived_escapes_reach_the_terminal_as_visible_text(poisoned, args):
    path, rec = poisoned
    result = CliRunner().invoke(main, [*args, "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.output), ascii(UNSAFE.findall(result.output))
    assert "\\x1b]0;PWNED\\x07" in result.output  # shown, not acted on
    assert "\\u202e" in result.output


@pytest.mark.parametrize("args, load", [
    (["show", "999100", "--json"], lambda out: json.loads(out)),
    (["search", "tin nong", "--json"], lambda out: json.loads(out)[0]),
    (["export", "--format", "jsonl"], lambda out: next(r for r in map(json.loads, out.splitlines()) if r["id"] == 999100)),
])
def test_json_output_is_inert_and_the_same_data(poisoned, args, load):
    path, rec = poisoned
    result = CliRunner().invoke(main, [*args, "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.output), ascii(UNSAFE.findall(result.output))
    data = load(result.output)
    assert data["title"] == rec["title"]  # the escapes are JSON's: a reader gets the text as archived


# the commands' own styling (bold, colours) on a terminal: SGR sequences only
SGR = re.compile("\x1b\\[[0-9;]*m")


def _on_a_terminal(args) -> str:
    """What `ldtd ARGS` writes to a real terminal (a pty), newlines as written (the pty adds \\r)."""
    master, slave = pty.openpty()  # the terminal's default size: what the commands see of a real one
    proc = subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    shown = drain(master)
    assert proc.wait(60) == 0, proc.stderr.read()
    return shown.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("args", [
    ["export", "--format", "csv"], ["search", "tin nong"], ["show", "999100", "--diff", "1", "current"],
])
def test_on_a_terminal_only_the_commands_own_styles_are_escape_sequences(poisoned, args):
    path, rec = poisoned
    out = _on_a_terminal([*args, "--db", str(path)])
    assert not UNSAFE.search(SGR.sub("", out)), ascii(UNSAFE.findall(SGR.sub("", out)))
    assert "\\x1b]0;PWNED\\x07" in out


def test_csv_into_a_file_keeps_the_text_as_archived(poisoned, tmp_path):
    path, rec = poisoned
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(out), "--db", str(path)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == "999100")
    assert row["title"] == rec["title"]
