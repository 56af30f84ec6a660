import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.storage import Archive
from scraper.storage.search import QueryError, QuerySyntaxError, Term, filter_values, parse, search, why_nothing

from .conftest import make_article

DOCS = {
    1: dict(title="Rà soát công tác đào tạo cán bộ", body="Hà Nội rà soát đội ngũ cán bộ và công tác đào tạo.",
            category="Thời sự", author="Minh Anh", published_at="2026-01-10T08:00:00+07:00"),
    2: dict(title="Xây dựng Đảng trong sạch, vững mạnh", body="Đảng bộ thành phố tổng kết công tác năm. Covid-19 đã qua.",
            category="Thời sự", author="Thu Hà", published_at="2026-03-10T08:00:00+07:00"),
    3: dict(title="Dang dở công trình", body="Công trình dang dở nhiều năm, người dân bức xúc.",
            category="Đô thị", author="Minh Anh", published_at="2026-05-10T08:00:00+07:00"),
    4: dict(title="Giá vàng hôm nay", body="Người dân bán vàng khi giá tăng. Bạn đọc hỏi về bàn giao.",
            category="Kinh tế", author=None, published_at="2026-07-10T08:00:00+07:00"),
    5: dict(title="Ban hành nghị quyết mới", body="Hội đồng ban hành nghị quyết về lao động.",
            category="Kinh tế", author="Thu Hà", published_at="2026-09-10T08:00:00+07:00"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    archive = Archive.open(tmp_path_factory.mktemp("s") / "archive.db")
    with archive.batch():
        for aid, f in DOCS.items():
            archive.save_article(make_article(aid, sapo="", tags=[], images=[], related=[], **f))
    yield archive.db
    archive.close()


def ids(db, q, **kw):
    return [r["id"] for r in search(db, q, **kw)]


@pytest.mark.parametrize("q", ["dao tao", "đào tạo", "Đào Tạo", "DAO TAO", "đao tao", "dào tạo"])
def test_dao_tao_with_and_without_diacritics(db, q):
    assert ids(db, q) == [1]


def test_ra_soat(db):
    assert ids(db, "ra soat") == ids(db, "Rà soát") == [1]


def test_d_for_dj(db):
    # "Dang" finds both Đảng and "dang dở"; typed "Đảng" ranks the exact matches first
    assert set(ids(db, "Dang")) == {2, 3}
    res = search(db, "Đảng")
    assert res[0]["id"] == 2 and res[0]["exact"] is True
    assert [r["exact"] for r in res] == [True, False]
    res = search(db, "dang dở")
    assert res[0]["id"] == 3


def test_exact_diacritics_rank_first(db):
    # "bán" matches 4 exactly; "ban hành" (5) only when folded
    res = search(db, "bán")
    assert [r["id"] for r in res] == [4, 5] and res[0]["exact"] and not res[1]["exact"]
    res = search(db, "ban")
    assert {r["id"] for r in res} == {4, 5}
    assert [r["id"] for r in search(db, "ban hành")] == [5]


def test_result_fields_and_snippet(db):
    (r,) = search(db, "dao tao")
    assert {"id", "url", "title", "published_at", "category", "author", "snippet", "rank"} <= set(r)
    assert "[đào tạo]" in r["snippet"] or "[đào] [tạo]" in r["snippet"]
    assert r["url"].endswith("-1.html")
    (r,) = search(db, "covid-19")
    assert "[Covid-19]" in r["snippet"]


def test_filters(db):
    assert ids(db, "cong", category="Thời sự") == ids(db, "cong", category="Thời sự")
    assert set(ids(db, "cong")) == {1, 2, 3}
    assert set(ids(db, "cong", category="Thời sự")) == {1, 2}
    assert set(ids(db, "cong", author="Minh Anh")) == {1, 3}
    assert set(ids(db, "cong", since="2026-03-01")) == {2, 3}
    assert set(ids(db, "cong", until="2026-03-10")) == {1, 2}
    assert set(ids(db, "cong", since="2026-02-01", until="2026-04-01T00:00:00+07:00")) == {2}


def test_limit_offset(db):
    all_ = ids(db, "cong")
    assert ids(db, "cong", limit=1) == all_[:1]
    assert ids(db, "cong", limit=2, offset=1) == all_[1:3]


@pytest.mark.parametrize("q", ["covid-19", "AND", "*", "(", ")", "a:b", "^", "NEAR(",
                               "đảng AND", "title:xyz", "''", "{title}", "dao*", "\\", "   ", "", "👍 đào tạo"])
def test_fts5_syntax_is_only_words(db, q):
    assert isinstance(search(db, q), list)


@pytest.mark.parametrize("q, message", [
    ('"unclosed', "unbalanced quote"), ('"', "unbalanced quote"), ('a "b" "c', "unbalanced quote"),
    ("OR", "'OR' needs a word"), ("dao OR", "'OR' needs a word"), ("OR dao", "'OR' needs a word"),
    ("dao OR OR tao", "'OR' needs a word"), ("-dao OR tao", "'OR' needs a word"),
    ("NOT", "'NOT' excludes"), ("dao NOT", "'NOT' excludes"), ("dao NOT OR tao", "'OR' needs a word"),
    ("-", "'-' excludes"), ("dao - tao", "'-' excludes"),
    ("-dao", "only excluded words"), ("NOT dao -tao", "only excluded words"),
    ("t*", "prefix 't*' is too short"), ("th*", "prefix 'th*' is too short"), ("đ*", "prefix 'đ*' is too short"), ('"dao t"*', "prefix 't*'"),
])
def test_malformed_queries_say_why(db, q, message):
    with pytest.raises(QuerySyntaxError, match=re.escape(message)):
        search(db, q)
    assert "\n" not in str(pytest.raises(QuerySyntaxError, parse, q).value)


def test_parse_every_operator():
    assert parse("dao tao").groups == ((Term(("dao",)),), (Term(("tao",)),))
    assert parse("dao OR tao").groups == ((Term(("dao",)), Term(("tao",))),)
    q = parse('cán bộ OR "đào tạo" -hội NOT "lao động" nghi* AND covid-19')
    assert q.groups == ((Term(("cán",)),), (Term(("bộ",)), Term(("đào", "tạo"))), (Term(("nghi",), True),),
                        (Term(("covid", "19")),))
    assert q.excluded == (Term(("hội",)), Term(("lao", "động")))
    assert parse('"dao tao"*').groups == ((Term(("dao", "tao"), True),),)
    assert parse("dao or tao").groups == ((Term(("dao",)),), (Term(("or",)),), (Term(("tao",)),))  # lower case: words
    assert parse("( * ^").groups == () and parse("").groups == ()


def test_or_finds_either(db):
    assert set(ids(db, "vàng OR nghị")) == {4, 5}
    assert set(ids(db, "nguoi dan OR xyz")) == {3, 4}  # OR binds tighter: nguoi AND (dan OR xyz)
    assert ids(db, "zzz OR nghi quyet") == [5]


def test_exclusions(db):
    assert set(ids(db, "cong")) == {1, 2, 3}
    assert set(ids(db, "cong -dang")) == {1}  # Đảng and dang dở both excluded (folded)
    assert set(ids(db, "cong NOT dang")) == {1}
    assert set(ids(db, 'cong -"dang do"')) == {1, 2}
    assert ids(db, "cong -cong") == []


def test_prefix_and_phrase_operators(db):
    assert set(ids(db, "ngh*")) == {5} and ids(db, "đào*") == [1] and set(ids(db, "dan*")) == {2, 3, 4}
    assert ids(db, '"ban hanh"') == [5] and ids(db, '"hanh ban"') == []
    assert set(ids(db, '"nghi quy"*')) == {5}
    (r,) = search(db, "nghi*")
    assert "[nghị]" in r["snippet"]
    (r,) = search(db, "vàng OR nghị quyết")[:1]
    assert "[" in r["snippet"]


def test_category_and_author_ignore_case_and_diacritics(db):
    for category in ("Thời sự", "thời sự", "thoi su", "THỜI SỰ", " Thời  Sự "):
        assert set(ids(db, "cong", category=category)) == {1, 2}, category
    assert set(ids(db, "cong", author="minh anh")) == {1, 3}
    assert ids(db, "nghi", category="kinh te", author="thu ha") == [5]


def test_why_nothing_names_the_filter(db):
    assert why_nothing(db, "cong", category="Thể thao") == "No article in category 'Thể thao' (`ldtd stats --by category` lists them)."
    assert "No article by author 'Ai Do'" in why_nothing(db, "cong", author="Ai Do")
    assert why_nothing(db, "cong", since="2030-01-01") == "No article published since 2030-01-01."
    assert why_nothing(db, "cong", category="Kinh tế", author="Minh Anh") == "No article in category 'Kinh tế' by 'Minh Anh'."
    assert why_nothing(db, "cong", category="Kinh tế") == ("No match for 'cong' in category 'Kinh tế'"
                                                           " (there are matches without these filters).")
    assert why_nothing(db, "zzzz") == "No article matches 'zzzz'."


def test_filter_values_fold_spellings(db):
    assert filter_values(db, "category") == [{"category": "Kinh tế", "articles": 2},
                                             {"category": "Thời sự", "articles": 2},
                                             {"category": "Đô thị", "articles": 1}]
    assert {"author": None, "articles": 1} in filter_values(db, "author")


def test_phrases_and_prefix(db):
    assert ids(db, '"cán bộ" "đào tạo"') == [1]
    assert ids(db, '"can bo dao tao"') == []
    assert set(ids(db, "nghi*")) == {5}
    assert ids(db, "covid-19") == [2]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('aăâđeêioôơuưy AND OR NOT"*()-:^{}+.,\'àạđĐ1')), max_size=30))
def test_any_input_is_safe(db, q):
    """Any text is a search or a QueryError (a one-line message), never an FTS5 error."""
    try:
        assert isinstance(search(db, q), list)
    except QueryError as exc:
        assert "\n" not in str(exc) and "fts5" not in str(exc)


def test_snippet_marks_typed_words_in_exact_matches(db):
    (first, _) = search(db, "bán")
    assert "[bán]" in first["snippet"] and "[Bạn]" not in first["snippet"]
    (doc4,) = [r for r in search(db, "ban") if r["id"] == 4]  # typed without marks: every folded match
    assert "[bán]" in doc4["snippet"] and "[Bạn]" in doc4["snippet"]


def test_phrase_ranks_before_scattered_words(db):
    res = search(db, "cong tac dao tao")
    assert res[0]["id"] == 1 and res[0]["phrase"] is True


def test_broad_queries_rank_within_the_newest_matches(db, monkeypatch):
    import scraper.storage.search as s

    monkeypatch.setattr(s, "RANK_WINDOW", 1)
    # the window grows to cover the page asked for
    assert set(ids(db, "cong", limit=20)) == {1, 2, 3}
    assert ids(db, "cong", limit=1) == [3]  # the newest match
    assert ids(db, "cong", limit=1, offset=1) in ([1], [2])


def test_filters_are_exact_even_through_facet_tokens(db):
    assert ids(db, "cong", category="Không có") == []
    assert ids(db, "cong", category="thoi") == []  # tokens narrow, the column decides
    assert set(ids(db, "cong", category="Thời sự", since="2026-01-01", until="2026-12-31")) == {1, 2}
    assert ids(db, "cong", since="2030-01-01") == []
    assert set(ids(db, "Đảng", author="Thu Hà")) == {2}


def test_snippet_marks_the_phrase_as_one_and_prefers_the_text_covering_most_words(db):
    (r,) = search(db, "doi ngu can bo")
    assert "[đội ngũ cán bộ]" in r["snippet"]
    (r,) = search(db, "trong sạch vững mạnh")
    assert "[trong sạch, vững mạnh]" in r["snippet"]


def test_migration_0012_folds_the_filters_of_an_older_archive(tmp_path):
    """An archive from before 0012 gains category_folded/author_folded for every row, and its filters fold."""
    from sqlite_utils import Database

    from scraper.storage.schema import migrate

    from .conftest import old_archive

    def fill(archive):
        with archive.batch():
            for aid, f in DOCS.items():
                archive.save_article(make_article(aid, sapo="", tags=[], images=[], related=[], **f))

    db = old_archive(tmp_path / "old.db", "0012_folded_filters", fill)
    assert "category_folded" not in db["articles"].columns_dict
    db.close()
    db = Database(tmp_path / "old.db")
    assert "0012_folded_filters" in migrate(db)
    rows = {r["id"]: r for r in db.query("SELECT id, category_folded, author_folded FROM articles")}
    assert rows[3] == {"id": 3, "category_folded": "do thi", "author_folded": "minh anh"}
    assert rows[4]["author_folded"] is None
    assert {"category_folded", "published_at"} <= {c for i in db["articles"].indexes for c in i.columns}
    assert set(ids(db, "cong", category="do thi")) == {3}


def test_stats_by_on_an_archive_from_before_0012_says_to_upgrade_it(tmp_path):
    from click.testing import CliRunner

    from scraper.cli.stats import stats

    from .conftest import old_archive

    def fill(archive):
        archive.save_article(make_article(1, sapo="", tags=[], images=[], related=[], **DOCS[1]))

    old_archive(tmp_path / "old.db", "0012_folded_filters", fill).close()
    result = CliRunner().invoke(stats, ["--by", "category", "--db", str(tmp_path / "old.db")])
    assert result.exit_code == 1 and "made by an older ldtd" in result.output and "Traceback" not in result.output
