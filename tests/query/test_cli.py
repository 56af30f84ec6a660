"""The query CLI on real archive files: search, show, stats, export, and refusing bad databases."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from scraper.cli import main

from scraper.text import fold

from .builders import HOSTILE_ID, SEED_ID, SEED_TITLE, records

RECORDS = {r["id"]: r for r in records()}
SEED = RECORDS[SEED_ID]

READ_COMMANDS = [
    ("search", "ra soat"),
    ("show", str(SEED_ID)),
    ("stats",),
    ("export",),
    ("reparse",),
    ("serve",),
]


def test_search_without_diacritics_finds_the_vietnamese_headline(ldtd, archive):
    result = ldtd("search", "ra soat bang cap", "--db", archive)
    assert result.exit_code == 0, result.output
    first = result.output.strip().splitlines()[0]
    assert SEED_TITLE in first
    assert "[bằng] [cấp]" in result.output  # the snippet keeps the text's own diacritics


def test_search_json_has_the_documented_keys_and_ranks(ldtd, archive):
    result = ldtd("search", "dao tao", "--json", "--limit", "1000", "--db", archive)
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows and {"id", "url", "title", "published_at", "snippet"} <= set(rows[0])
    expected = {i for i, r in RECORDS.items()
                if "dao tao" in " ".join(fold(r[k]) for k in ("title", "sapo", "body")).replace(",", " ")}
    assert SEED_ID in {r["id"] for r in rows} and expected <= {r["id"] for r in rows}
    # typed with diacritics and with "đ": the same articles
    same = json.loads(ldtd("search", "đào tạo", "--json", "--limit", "1000", "--db", archive).output)
    assert {r["id"] for r in same} == {r["id"] for r in rows}


def test_search_filters(ldtd, archive):
    def rows(*args):
        result = ldtd("search", "ha noi", "--json", "--limit", "1000", "--db", archive, *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    everything = rows()
    assert len(everything) >= 3
    since = rows("--since", "2024-01-01")
    assert since and all(r["published_at"] >= "2024-01-01" for r in since)
    until = rows("--until", SEED["published_at"][:10])  # a bare --until date covers that whole day
    assert SEED_ID in {r["id"] for r in until}
    assert all(r["published_at"][:10] <= SEED["published_at"][:10] for r in until)
    category = rows("--category", SEED["category"])
    assert category and all(r["category"] == SEED["category"] for r in category)
    assert len(category) < len(everything)
    author = rows("--author", SEED["author"])
    assert [r["id"] for r in author] == [SEED_ID] or all(r["author"] == SEED["author"] for r in author)
    assert rows("--category", "Không có mục này") == []


def test_search_bad_date_is_a_usage_error(ldtd, archive):
    result = ldtd("search", "x", "--since", "16/11/2023", "--db", archive)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def _instant(iso: str, minutes: int = 0, tz_hours: int = 0, z: bool = False) -> str:
    from datetime import datetime, timedelta, timezone

    dt = (datetime.fromisoformat(iso) + timedelta(minutes=minutes)).astimezone(timezone(timedelta(hours=tz_hours)))
    return dt.isoformat().replace("+00:00", "Z") if z else dt.isoformat()


def test_date_filters_compare_instants_not_strings(ldtd, archive):
    """--since/--until with another offset (Z, +09:00) bound the publication instant: the seed article,
    published 15:30+07:00 (08:30Z), is after 08:29Z and not after 08:31Z, whatever the strings say."""
    published = SEED["published_at"]

    def search_ids(*args):
        result = ldtd("search", "ra soat bang cap", "--json", "--limit", "1000", "--db", archive, *args)
        assert result.exit_code == 0, result.output
        return {r["id"] for r in json.loads(result.output)}

    def export_ids(*args):
        result = ldtd("export", "--db", archive, *args)
        assert result.exit_code == 0, result.output
        return {json.loads(line)["id"] for line in result.output.splitlines() if line.strip()}

    for ids in (search_ids, export_ids):
        assert SEED_ID in ids("--since", _instant(published, -1, z=True))
        assert SEED_ID not in ids("--since", _instant(published, +1, z=True))  # string order said yes
        assert SEED_ID in ids("--until", _instant(published, z=True))  # string order said no
        assert SEED_ID not in ids("--until", _instant(published, -1, tz_hours=9))
        assert SEED_ID in ids("--since", _instant(published, tz_hours=9), "--until", _instant(published, z=True))
        assert SEED_ID in ids("--since", published[:10], "--until", published[:10])  # dates: Hanoi days


@pytest.mark.parametrize("bad", ["2026-13-45", "2026-02-30", "2026-11-25T25:00:00Z", "2026-11-25T09:30+7", "yesterday"])
@pytest.mark.parametrize("command", ["search", "export"])
def test_an_invalid_date_is_a_clear_usage_error(ldtd, archive, bad, command):
    args = ("search", "ra soat") if command == "search" else ("export",)
    result = ldtd(*args, "--since", bad, "--db", archive)
    assert result.exit_code == 2, result.output
    assert "--since" in result.output and bad in result.output and "YYYY-MM-DD" in result.output
    result = ldtd(*args, "--until", bad, "--db", archive)
    assert result.exit_code == 2 and "--until" in result.output


@pytest.mark.parametrize("query, message", [
    ('"unclosed', "unbalanced quote"), ("AND OR NOT", "'OR' needs a word"), ("ha noi OR", "'OR' needs a word"),
    ("-", "'-' excludes"), ("NOT ha -noi", "only excluded words"), ("h*", "prefix 'h*' is too short"),
])
def test_a_malformed_search_is_a_one_line_usage_error(ldtd, archive, query, message):
    result = ldtd("search", query, "--db", archive)
    assert result.exit_code == 2 and message in result.output, result.output
    assert [line for line in result.output.splitlines() if line.startswith("Error")] == [
        next(line for line in result.output.splitlines() if message in line)]


def test_search_operators(ldtd, archive):
    def ids(query, *args):
        result = ldtd("search", query, "--json", "--limit", "1000", "--db", archive, *args)
        assert result.exit_code == 0, result.output
        return {r["id"] for r in json.loads(result.output)}

    def having(*words):
        return {i for i, r in RECORDS.items()
                if all(w in " ".join(fold(r[k] or "") for k in ("title", "sapo", "body")).split() for w in words)}

    seed, other = ids("ra soat bang cap"), ids("dong nai")
    assert SEED_ID in seed and other and SEED_ID not in other
    assert ids('"bang cap" OR "dong nai"') == ids('"bang cap"') | other and ids("bang OR nai") == ids("bang") | ids("nai")
    assert ids("dao tao -can") == ids("dao tao") - having("can") and ids("dao tao NOT can") == ids("dao tao -can")
    assert SEED_ID in ids('"ra soat lai bang cap"') and ids('"cap bang lai soat ra"') == set()
    assert ids("soa*") >= {SEED_ID} and ids("ra soat -bang*") == ids("ra soat") - ids("bang*")


def test_category_and_author_filters_ignore_case_and_diacritics(ldtd, archive):
    def ids(*args):
        result = ldtd("search", "ha noi", "--json", "--limit", "1000", "--db", archive, *args)
        assert result.exit_code == 0, result.output
        return {r["id"] for r in json.loads(result.output)}

    news = ids("--category", "Thời sự")
    assert news and ids("--category", "thời sự") == ids("--category", "thoi su") == ids("--category", "THỜI SỰ") == news
    assert ids("--author", "hai yen") == ids("--author", "Hải Yến") == ids("--author", "HẢI YẾN") != set()


def test_an_empty_search_says_which_filter_emptied_it(ldtd, archive):
    def message(*args):
        result = ldtd("search", *args, "--db", archive)
        assert result.exit_code == 0 and result.stdout == "", result.output
        return result.stderr.strip()

    assert message("ha noi", "--category", "Không Có") == (
        "No article in category 'Không Có' (`ldtd stats --by category` lists them).")
    assert message("ha noi", "--author", "Ai Đó").startswith("No article by author 'Ai Đó'")
    assert message("zzqq") == "No article matches 'zzqq'."
    assert message("zzqq", "--category", "thoi su") == "No article matches 'zzqq' in category 'thoi su'."


def test_stats_by_category_and_author(ldtd, archive):
    data = json.loads(ldtd("stats", "--by", "category", "--json", "--db", archive).output)
    overall = json.loads(ldtd("stats", "--json", "--db", archive).output)["per_category"]
    assert {d["category"]: d["articles"] for d in data} == {c["category"]: c["articles"] for c in overall}
    assert [d["articles"] for d in data] == sorted((d["articles"] for d in data), reverse=True)
    text = ldtd("stats", "--by", "author", "--db", archive).output
    assert "authors, most articles first" in text and "Khánh Linh" in text and "Per month" not in text
    assert ldtd("stats", "--by", "tag", "--db", archive).exit_code == 2


@pytest.mark.parametrize("query", ["covid-19", "AND", "*", "c++", "title:x", "", "(ha noi"])
def test_search_never_errors_on_odd_input(ldtd, archive, query):
    result = ldtd("search", query, "--json", "--db", archive)
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.output), list)


def _related_split(record):
    archived = [r for r in record["related"] if int(r["url"].rsplit("-", 1)[-1].split(".")[0]) in RECORDS]
    return archived, [r for r in record["related"] if r not in archived]


def test_show_article_related_images_versions(ldtd, archive):
    result = ldtd("show", SEED_ID, "--db", archive)
    assert result.exit_code == 0, result.output
    out = result.output
    assert SEED_TITLE in out
    archived, not_archived = _related_split(SEED)
    assert f"Related links ({len(SEED['related'])}, {len(archived)} archived)" in out
    for r in archived:
        assert f"[archived #{int(r['url'].rsplit('-', 1)[-1].split('.')[0])}]" in out
    assert ("[not archived]" in out) == bool(not_archived)
    assert f"Images ({len(SEED['images'])})" in out
    for image in SEED["images"]:
        assert image["url"] in out
    assert "Versions (3)" in out
    by_url = ldtd("show", SEED["url"], "--db", archive)
    assert by_url.exit_code == 0 and SEED_TITLE in by_url.output


def test_show_json_marks_archived_related(ldtd, archive):
    data = json.loads(ldtd("show", SEED_ID, "--json", "--db", archive).output)
    assert data["id"] == SEED_ID and data["title"] == SEED_TITLE
    archived, not_archived = _related_split(SEED)
    marks = {r["url"]: r["archived"] for r in data["related"]}
    assert all(marks[r["url"]] for r in archived)
    assert not any(marks[r["url"]] for r in not_archived)
    assert [v["number"] for v in data["versions"]] == [1, 2, 3]


def test_show_diff_between_versions(ldtd, archive):
    result = ldtd("show", SEED_ID, "--diff", "1", "2", "--db", archive)
    assert result.exit_code == 0, result.output
    assert f"-title: {SEED_TITLE}" in result.output
    assert f"+title: {SEED_TITLE} (cập nhật)" in result.output
    back = ldtd("show", SEED_ID, "--diff", "2", "current", "--db", archive)
    assert f"-title: {SEED_TITLE} (cập nhật)" in back.output
    same = ldtd("show", SEED_ID, "--diff", "1", "current", "--db", archive)
    assert "identical" in same.output
    bad = ldtd("show", SEED_ID, "--diff", "1", "7", "--db", archive)
    assert bad.exit_code == 2 and "versions 1..3" in bad.output


def test_show_unknown_article(ldtd, archive):
    result = ldtd("show", "123456789", "--db", archive)
    assert result.exit_code == 1 and "no article #123456789" in result.output


@pytest.mark.parametrize("ref", ["99999999999999999999999", "9223372036854775808",
                                 "https://laodongthudo.vn/bai-viet-99999999999999999999999.html"])
def test_show_an_id_too_big_for_sqlite_is_no_such_article(ldtd, archive, ref):
    """An id past SQLite's 64-bit integers was an OverflowError traceback: it is simply not archived."""
    for args in (("show", ref), ("show", ref, "--diff", "1", "current"), ("show", ref, "--json")):
        result = ldtd(*args, "--db", archive)
        assert result.exit_code == 1, result.output
        assert "no article #" in result.output or "no archived article" in result.output
        assert "Traceback" not in result.output


def test_stats_counts_runs_and_gaps(ldtd, archive):
    result = ldtd("stats", "--db", archive)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Per category:" in out and SEED["category"] in out
    assert "Per month:" in out and SEED["published_at"][:7] in out
    assert "Last runs (1):" in out and ": ok" in out
    assert "never seen" in out
    data = json.loads(ldtd("stats", "--json", "--db", archive).output)
    everything = list(RECORDS.values()) + [{"id": HOSTILE_ID, "category": "Thời sự"}]
    assert data["articles"] == len(everything)
    cats = {c["category"]: c["articles"] for c in data["per_category"]}
    for category in {r["category"] for r in everything}:
        assert cats[category] == sum(1 for r in everything if r["category"] == category)
    assert data["last_runs"][0]["outcome"] == "ok"
    ids = sorted(r["id"] for r in everything)
    assert data["id_range"] == [ids[0], ids[-1]]
    assert data["ids_never_seen"] == ids[-1] - ids[0] + 1 - len(ids)
    largest = max(zip(ids, ids[1:]), key=lambda p: p[1] - p[0])
    assert data["largest_id_gaps"][0] == {"first": largest[0] + 1, "last": largest[1] - 1,
                                          "size": largest[1] - largest[0] - 1}
    linked = {r["url"] for rec in RECORDS.values() for r in rec["related"]}
    unarchived = {u for u in linked if int(u.rsplit("-", 1)[-1].split(".")[0]) not in RECORDS}
    assert data["health"]["related_not_archived"] >= len(unarchived)


def test_export_jsonl_is_the_record(ldtd, archive):
    result = ldtd("export", "--format", "jsonl", "--db", archive)
    assert result.exit_code == 0
    exported = {r["id"]: r for r in map(json.loads, result.output.splitlines())}
    assert set(exported) == set(RECORDS) | {HOSTILE_ID}
    from scraper.parsing.model import RECORD_KEYS

    for article_id, record in RECORDS.items():
        assert set(exported[article_id]) == set(RECORD_KEYS)
        assert exported[article_id] == record  # what went in comes out, field for field


def test_export_csv_of_a_query(ldtd, archive, tmp_path):
    out = tmp_path / "x.csv"
    day = SEED["published_at"][:10]
    result = ldtd("export", "--format", "csv", "--query", "ra soat bang cap", "--since", day, "--until", day,
                  "-o", out, "--db", archive)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [int(r["id"]) for r in rows] == [SEED_ID]
    assert rows[0]["title"] == SEED_TITLE and rows[0]["tags"] == "; ".join(SEED["tags"])
    assert json.loads(rows[0]["related"]) == SEED["related"]


def test_export_filters_without_query(ldtd, archive):
    result = ldtd("export", "--category", SEED["category"], "--db", archive)
    ids = [json.loads(line)["id"] for line in result.output.splitlines()]
    everything = list(RECORDS.values()) + [{"id": HOSTILE_ID, "category": "Thời sự", "published_at": "2099"}]
    expected = sorted((r for r in everything if r["category"] == SEED["category"]),
                      key=lambda r: (r["published_at"], r["id"]), reverse=True)
    if SEED["category"] != "Thời sự":
        expected = [r for r in expected if r["id"] != HOSTILE_ID]
    assert sorted(ids) == sorted(r["id"] for r in expected)
    dates = [RECORDS[i]["published_at"] for i in ids if i in RECORDS]
    assert dates == sorted(dates, reverse=True)  # newest first


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_missing_database_is_a_clear_error(runner, tmp_path, args):
    missing = tmp_path / "nope.db"
    result = runner.invoke(main, [*args, "--db", str(missing)])
    assert result.exit_code == 1
    assert "no archive at" in result.output and "Traceback" not in result.output
    assert not missing.exists()  # never created


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_foreign_database_is_a_clear_error(runner, tmp_path, args):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("create table notes (id integer primary key, text)")
    conn.commit()
    conn.close()
    result = runner.invoke(main, [*args, "--db", str(foreign)])
    assert result.exit_code == 1
    assert "not an ldtd archive" in result.output and "Traceback" not in result.output
    text = tmp_path / "text.db"
    text.write_text("not a database at all")
    result = runner.invoke(main, [*args, "--db", str(text)])
    assert result.exit_code == 1 and "not an ldtd archive" in result.output


@pytest.mark.parametrize("command", ["search", "show", "stats", "export", "reparse", "serve"])
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"ldtd {command}" in result.output
    assert "--db" in result.output


def test_serve_runs_datasette_with_the_project_configuration(ldtd, archive, monkeypatch):
    import subprocess

    seen = {}

    class FakePopen:
        def __init__(self, args):
            seen["args"] = args

        def wait(self):
            return 0

        def send_signal(self, signum):
            pass

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    import signal

    monkeypatch.setattr(signal, "signal", lambda *a: None)
    result = ldtd("serve", "--db", archive, "--port", "8123", "--", "--setting", "sql_time_limit_ms", "5000")
    assert result.exit_code == 0, result.output
    args = seen["args"]
    assert args[1:4] == ["-m", "datasette", "serve"] and str(archive) in args
    assert args[args.index("--port") + 1] == "8123"
    # the installed plugin brings metadata, pages and templates (so plain `datasette archive.db` shows the
    # same); serve adds only the settings a plugin cannot set
    for option in ("--metadata", "--plugins-dir", "--template-dir"):
        assert option not in args
    settings = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    assert {"sql_time_limit_ms", "facet_time_limit_ms"} <= set(settings), settings
    assert args[-3:] == ["--setting", "sql_time_limit_ms", "5000"]  # passed through, last wins
    assert "immutable" not in " ".join(args) and "-i" not in args  # the archive changes while served


def test_diff_of_an_article_that_never_changed_says_so(ldtd, archive):
    """`ldtd show ID --diff 1 current` (the --help example) on an unchanged article said
    "versions 1 and 1 are identical": it has one version, there is nothing to compare."""
    unchanged = next(i for i in RECORDS if i != SEED_ID)
    result = ldtd("show", unchanged, "--diff", "1", "current", "--db", archive)
    assert result.exit_code == 0, result.output
    assert "one version" in result.output and "nothing to compare" in result.output
    assert "1 and 1" not in result.output
    twice = ldtd("show", SEED_ID, "--diff", "2", "2", "--db", archive)
    assert "names version 2 twice" in twice.output and "1..3" in twice.output


def test_export_filters_fold_and_a_malformed_query_is_a_usage_error(ldtd, archive):
    """export shares search's filters: category and author without case or diacritics; its --query is
    read as `ldtd search` reads it, a malformed one a one-line usage error."""
    def ids(*args):
        result = ldtd("export", *args, "--db", archive)
        assert result.exit_code == 0, result.output
        return [json.loads(line)["id"] for line in result.output.splitlines()]

    exact = ids("--category", SEED["category"])
    assert exact and ids("--category", fold(SEED["category"]).upper()) == exact
    assert ids("--author", fold(SEED["author"])) == ids("--author", SEED["author"]) != []
    assert set(ids("--query", '"bang cap" OR "dong nai"', "--limit", "5000")) == set(
        ids("--query", '"bang cap"', "--limit", "5000")) | set(ids("--query", '"dong nai"', "--limit", "5000"))
    result = ldtd("export", "--query", 'ha noi "', "--db", archive)
    assert result.exit_code == 2 and "unbalanced quote" in result.output and "Traceback" not in result.output
