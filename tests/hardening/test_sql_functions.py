"""Anonymous SQL against a real `ldtd serve`: the project's Python SQL functions (fold, ldtd_match,
ldtd_snippet) handed huge inputs answer at once and never stall other visitors (Datasette's time limit
cannot interrupt a Python function, and its three SQL threads are shared by every request); served
beyond this machine, arbitrary SQL is off unless --allow-sql asks for it."""

from __future__ import annotations

import importlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from scraper.datasette import config
from scraper.datasette.plugins import sql_functions as plugin
from scraper.storage import search
from tests.browse.conftest import serving
from tests.query.builders import SEED_TITLE, build_archive

DB = "archive"


def _words(n: int, template: str = "'w' || i") -> str:
    """SQL for n distinct words joined by spaces (built by SQLite: the request itself stays short)."""
    return (f"(with recursive n(i) as (select 1 union all select i + 1 from n where i < {n})"
            f" select group_concat({template}, ' ') from n)")


# What stalled the server: each is a single call SQLite's time limit cannot interrupt.
HOSTILE = {
    # a million-word text against 3,000 distinct query words (quadratic before the caps)
    "snippet": f"select length(ldtd_snippet(replace(hex(zeroblob(500000)), '00', 'a '), {_words(3000)}))",
    # 40,000 quoted phrases (quadratic phrase parsing, then 40,000 FTS5 doclists)
    "match": "select count(*) from articles_fts where articles_fts match ldtd_match("
             + _words(40000, """'"w' || i || '"'""") + ")",
    # 3 million Vietnamese letters to fold
    "fold": "select length(fold(replace(hex(zeroblob(3000000)), '00', 'ệ')))",
    # a 60 MB value built by SQLite itself, handed to a Python function
    "huge value": "select length(ldtd_match(replace(hex(zeroblob(30000000)), '00', 'ab')))",
}


def _get(url: str, timeout: float) -> tuple[int | None, str, float]:
    """(status or None on timeout, body, seconds)."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace"), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), time.monotonic() - start
    except OSError as e:  # timed out
        return None, str(e), time.monotonic() - start


def _sql_url(base: str, sql: str) -> str:
    return f"{base}/{DB}.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("sqlfn") / f"{DB}.db")


def test_huge_inputs_answer_at_once_and_never_stall_other_visitors(archive, tmp_path):
    with serving(archive, tmp_path) as base:
        results: dict[str, tuple] = {}

        def attack(name, sql):
            results[name] = _get(_sql_url(base, sql), timeout=30)

        # two of each: more than Datasette's three SQL threads
        threads = [threading.Thread(target=attack, args=(f"{name} {n}", sql))
                   for name, sql in HOSTILE.items() for n in (1, 2)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        status, body, seconds = _get(f"{base}/{DB}/articles.json?_size=1&_shape=objects", timeout=10)
        for t in threads:
            t.join(60)
        assert status == 200 and seconds < 5, f"an ordinary request waited {seconds:.1f} s behind the attacks"
        for name, (status, body, seconds) in results.items():
            assert status is not None, f"{name}: no answer within 30 s"
            # the time limit is 3 s; each call is bounded far under it
            assert seconds < 5, f"{name}: {seconds:.1f} s"
        assert all(results[f"snippet {n}"][0] == 200 for n in (1, 2))
        assert json.loads(results["match 1"][1]) == [{"count(*)": 0}]  # a query too long matches nothing
        assert results["fold 1"][0] == 400  # text too long to fold: an error, not seconds of work
        assert results["huge value 1"][0] == 400 and "too big" in results["huge value 1"][1]
        # the server still serves the project's own uses of these functions
        rows = json.loads(_get(f"{base}/{DB}/search.json?q=ra+soat+bang+cap&_shape=array", timeout=10)[1])
        assert rows[0]["title"] == SEED_TITLE and "<mark>" in rows[0]["snippet"]


def test_no_allow_sql_refuses_arbitrary_sql_and_keeps_search(archive, tmp_path):
    with serving(archive, tmp_path, "--no-allow-sql") as base:
        assert _get(_sql_url(base, "select 1"), timeout=10)[0] == 403
        status, body, _ = _get(f"{base}/{DB}/search.json?q=ra+soat+bang+cap&_shape=array", timeout=10)
        assert status == 200 and json.loads(body)[0]["title"] == SEED_TITLE
        assert _get(f"{base}/{DB}/articles.json?_search=ra+soat&_shape=array", timeout=10)[0] == 200


@pytest.mark.parametrize("host, allow_sql, expected", [
    ("127.0.0.1", None, True), ("localhost", None, True), ("::1", None, True), ("127.0.0.2", None, True),
    ("0.0.0.0", None, False), ("::", None, False), ("", None, False), ("192.168.1.20", None, False),
    ("archive.example.org", None, False),
    ("0.0.0.0", True, True), ("127.0.0.1", False, False),
])
def test_arbitrary_sql_is_on_for_loopback_only_unless_asked(host, allow_sql, expected):
    assert config.sql_allowed(host, allow_sql) is expected


@pytest.mark.parametrize("options, sql_on", [((), False), (("--allow-sql",), True)])
def test_serve_beyond_loopback_starts_datasette_without_arbitrary_sql(archive, monkeypatch, options, sql_on):
    """What `ldtd serve --host 0.0.0.0` hands Datasette, without binding beyond loopback in a test."""
    from scraper.cli import main

    serve_command = importlib.import_module("scraper.cli.serve")  # the module (scraper.cli.serve is the command)
    started = []

    class FakeDatasette:
        def __init__(self, args):
            started.append(args)

        def wait(self):
            return 0

    monkeypatch.setattr(serve_command, "_check_port", lambda host, port: None)
    monkeypatch.setattr(serve_command.subprocess, "Popen", FakeDatasette)
    result = CliRunner().invoke(main, ["serve", "--db", str(archive), "--host", "0.0.0.0", "--port", "8001", *options])
    assert result.exit_code == 0, result.output
    args = started[0]
    off = any(args[i:i + 3] == ["--setting", "default_allow_sql", "off"] for i in range(len(args)))
    assert off is not sql_on
    assert ("--allow-sql turns it on" in result.output) is not sql_on


def test_each_call_is_bounded_at_the_caps():
    """The worst inputs the caps admit, timed per call in CPU time, which other processes on a loaded
    machine do not stretch (the time limit is 3,000 ms)."""
    import random
    import unicodedata

    cap = plugin.MAX_TEXT_CHARS
    rng = random.Random(12)
    texts = {
        "vietnamese": ("Rà soát lại bằng cấp chuyên môn của đội ngũ cán bộ đào tạo " * 5000)[:cap],
        "decomposed": unicodedata.normalize("NFD", "Rà soát lại bằng cấp đào tạo " * 20000)[:cap],
        "any code point": "".join(chr(rng.randrange(0x80, 0x30000)) for _ in range(cap)),
    }
    query = " ".join(f"w{i}" for i in range(400))[:search.MAX_QUERY_CHARS]
    slowest = 0.0
    for text in texts.values():
        for call in (lambda: plugin.fold_sql(text), lambda: plugin.snippet_sql(text + " w1 ", query, 10_000)):
            start = time.thread_time()
            call()
            slowest = max(slowest, time.thread_time() - start)
    assert slowest < 1.0, f"{slowest * 1000:.0f} ms"
    with pytest.raises(ValueError):
        plugin.fold_sql("a" * (cap + 1))
    with pytest.raises(search.QueryTooLong):
        search.fts_queries("a" * (search.MAX_QUERY_CHARS + 1))
    with pytest.raises(search.QueryTooLong):
        search.fts_queries(" ".join(["w"] * (search.MAX_QUERY_WORDS + 1)))
