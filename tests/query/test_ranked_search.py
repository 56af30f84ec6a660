"""The articles table's search box, best matches first: a search typed there goes to the canned search
page, which ranks (and filters) as `ldtd search` does and reads as the table's list; what only the table
answers (a sort, paging, facets, other filters, its JSON and CSV) stays on the table."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from scraper.datasette.plugins.search_box import ranked_search_args
from scraper.datasette.plugins.search_page import all_matches_url
from scraper.storage import read
from scraper.storage.search import CANNED_SEARCH_LIMIT, search

from .builders import SEED_ID, SEED_TITLE, records

RECORDS = {r["id"]: r for r in records()}
SEED = RECORDS[SEED_ID]
DB = "archive"


@pytest.mark.parametrize("pairs, expected", [
    ([("_ldtd_search", "dao tao")], [("q", "dao tao")]),
    ([("_ldtd_search", "dao tao"), ("_nofacet", "1"), ("_size", "20")], [("q", "dao tao")]),
    ([("_ldtd_search", "dao tao"), ("category", "Thời sự"), ("_published_from", "2024-01-01"),
      ("_published_to", ""), ("author__exact", "Thu Trang")],
     [("q", "dao tao"), ("category", "Thời sự"), ("since", "2024-01-01"), ("author", "Thu Trang")]),
    # a date the table ignores (not a day) is not carried over
    ([("_ldtd_search", "dao tao"), ("_published_from", "x\r\nLocation: evil"), ("_published_to", "2024-13-45")],
     [("q", "dao tao")]),
])
def test_a_plain_table_search_is_handed_to_the_ranked_page(pairs, expected):
    assert ranked_search_args(pairs) == expected


# what the table page's own form sends with its box: the sort as shown, an empty filter row
FORM = [("_filter_column", ""), ("_filter_op", "exact"), ("_filter_value", "")]


@pytest.mark.parametrize("sent, ranked", [
    (FORM + [("_sort", "published_at"), ("_sort_by_desc", "on")], True),  # untouched: the default order
    (FORM + [("_sort", "")], True),
    (FORM + [("_sort", "title"), ("_sort_by_desc", "on")], False),
    (FORM + [("_sort", "published_at")], False),  # oldest first
    ([("_filter_column", "author"), ("_filter_op", "exact"), ("_filter_value", "X"), ("_sort", "")], False),
    ([("_filter_column_1", "author"), ("_filter_op_1", "exact"), ("_filter_value_1", "X")] + FORM, False),
    # operators that take no value ("is not null") and an exact match with the empty string
    ([("_filter_column", "author"), ("_filter_op", "notnull__1"), ("_filter_value", ""), ("_sort", "")], False),
    ([("_filter_column", "author"), ("_filter_op", "exact"), ("_filter_value", ""), ("_sort", "")], False),
    # Datasette reads the first of a repeated argument (here: sort by title)
    (FORM + [("_sort", "title"), ("_sort", "published_at"), ("_sort_by_desc", "on")], False),
    # the form of the table's every-match page keeps it there
    (FORM + [("_sort", "published_at"), ("_sort_by_desc", "on"), ("_ldtd_table", "1")], False),
])
def test_the_table_forms_own_fields_ask_for_nothing_until_changed(sent, ranked):
    args = ranked_search_args([("_ldtd_search", "dao tao")] + sent, default_sort_desc="published_at")
    assert args == ([("q", "dao tao")] if ranked else None)


@pytest.mark.parametrize("pairs", [
    [],
    [("_ldtd_search", "")],  # no word: the whole table
    [("_ldtd_search", '"unclosed')],  # unreadable: the table says why
    [("_ldtd_search", "dao"), ("_ldtd_search", "tao")],
    [("_ldtd_search_title", "dao tao")],  # one column
    [("_search", "dao"), ("_searchmode", "raw")],  # raw FTS5 stays Datasette's
    [("_ldtd_search", "dao tao"), ("_sort", "title")],
    [("_ldtd_search", "dao tao"), ("_sort_desc", "published_at")],
    [("_ldtd_search", "dao tao"), ("_next", "abc")],
    [("_ldtd_search", "dao tao"), ("_ldtd_facets", "1")],
    [("_ldtd_search", "dao tao"), ("_facet", "author")],
    [("_ldtd_search", "dao tao"), ("_ldtd_grid", "1")],
    [("_ldtd_search", "dao tao"), ("word_count__gt", "500")],
    [("_ldtd_search", "dao tao"), ("category", "Thời sự"), ("category__exact", "Tin mới")],
])
def test_what_only_the_table_answers_stays_on_the_table(pairs):
    assert ranked_search_args(pairs) is None


def test_every_match_link_keeps_the_words_and_dates():
    url = all_matches_url("/archive/articles", {"q": "dao tao", "since": "2024-01-01", "until": "bad",
                                               "category": "thoi su"})
    assert url == "/archive/articles?_search=dao+tao&_sort_desc=published_at&_ldtd_table=1&_published_from=2024-01-01"


def _ranked_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="ldtd-item" data-article-id="(\d+)"', html)]


@pytest.mark.parametrize("query", ["dao tao", "đào tạo", "ha noi", '"ra soat lai"', "ha noi -dao", "cong*"])
def test_the_table_box_lists_best_matches_first_like_ldtd_search(datasette, archive_template, query):
    """The table's box, redirected: the page lists `ldtd search`'s articles in its order, each with its
    headline linked, and the snippet marked."""
    r = datasette.get(f"/{DB}/articles?_search={quote(query)}")
    assert r.status_code == 302
    location = r.headers["location"]
    assert urlsplit(location).path == f"/{DB}/search" and dict(parse_qsl(urlsplit(location).query)) == {"q": query}
    page = datasette.get(location)
    expected = [row["id"] for row in search(read.open_readonly(archive_template), query, limit=CANNED_SEARCH_LIMIT)]
    assert expected and _ranked_ids(page.text) == expected
    assert f'href="/{DB}/articles/{expected[0]}"' in page.text and "<mark>" in page.text
    assert 'id="ldtd-q" value="' + query.replace('"', "&#34;") + '"' in page.text  # the box keeps the words


def test_an_exact_diacritics_match_comes_first(datasette, archive_template):
    """"giáo viên" typed with its diacritics: the articles that have them come before those that only
    match folded (giao, vien), newest first within each; the table's own order (newest first) differs."""
    cli = search(read.open_readonly(archive_template), "giáo viên", limit=CANNED_SEARCH_LIMIT)
    exact = [row["exact"] for row in cli]
    assert True in exact and False in exact and exact == sorted(exact, reverse=True)
    page = datasette.get(f"/{DB}/articles?_search={quote('giáo viên')}", follow_redirects=True)
    ranked = _ranked_ids(page.text)
    assert ranked == [row["id"] for row in cli]
    newest = datasette.get(f"/{DB}/articles.json?_search={quote('giáo viên')}&_shape=objects&_size=max").json()
    assert {row["id"] for row in newest["rows"]} == set(ranked) and [row["id"] for row in newest["rows"]] != ranked


@pytest.mark.parametrize("table_args, filters", [
    ("category=Th%E1%BB%9Di+s%E1%BB%B1", {"category": "Thời sự"}),
    ("category=thoi+su", {"category": "thoi su"}),  # the search's filter folds
    ("_published_from=2024-11-01&_published_to=2024-11-30", {"since": "2024-11-01", "until": "2024-11-30"}),
    ("author=Thu+Trang", {"author": "Thu Trang"}),
])
def test_the_table_filters_ldtd_search_has_stay_with_the_ranked_search(datasette, archive_template, table_args,
                                                                       filters):
    query = "ha noi"
    moved = datasette.get(f"/{DB}/articles?_search={quote(query)}&{table_args}")
    assert moved.status_code == 302 and urlsplit(moved.headers["location"]).path == f"/{DB}/search"
    page = datasette.get(moved.headers["location"])
    expected = [row["id"] for row in search(read.open_readonly(archive_template), query, limit=CANNED_SEARCH_LIMIT,
                                            **filters)]
    everything = search(read.open_readonly(archive_template), query, limit=CANNED_SEARCH_LIMIT)
    assert expected and len(expected) < len(everything)  # the filter filters
    assert _ranked_ids(page.text) == expected
    assert f'value="{next(iter(filters.values()))}"' in page.text  # shown in the page's filter form
    rows = datasette.get(f"/{DB}/search.json?q={quote(query)}&_shape=objects&"
                         + "&".join(f"{k}={quote(v)}" for k, v in filters.items())).json()["rows"]
    assert [row["id"] for row in rows] == expected


def test_the_table_keeps_sorted_paged_and_faceted_searches_and_its_json(datasette):
    for path in (f"/{DB}/articles?_search=ha+noi&_sort_desc=published_at",
                 f"/{DB}/articles?_search=ha+noi&_ldtd_facets=1",
                 f"/{DB}/articles?_search=ha+noi&word_count__gt=10",
                 f"/{DB}/articles.json?_search=ha+noi", f"/{DB}/articles.csv?_search=ha+noi"):
        assert datasette.get(path).status_code == 200, path
    newest = datasette.get(f"/{DB}/articles.json?_search=ha+noi&_shape=objects&_size=max").json()["rows"]
    dates = [row["published_at"] for row in newest]
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)


def test_the_ranked_page_links_every_match_newest_first_and_its_feed(datasette):
    page = datasette.get(f"/{DB}/search?q=ha+noi&since=2024-11-01").text
    every = re.search(r'<a href="([^"]+)">Every match, newest first', page).group(1).replace("&amp;", "&")
    table = datasette.get(every.replace("/articles?", "/articles.json?") + "&_shape=objects&_size=max").json()
    assert table["rows"] and all(row["published_at"] >= "2024-11-01" for row in table["rows"])
    feed = re.search(r'<a href="([^"]+)">Atom feed of this search', page).group(1).replace("&amp;", "&")
    atom = datasette.get(feed)
    assert atom.status_code == 200 and "<feed" in atom.text
    assert all(day >= "2024-11-01" for day in re.findall(r"<updated>(\d{4}-\d\d-\d\d)", atom.text)[1:])


def test_a_search_that_finds_nothing_with_its_filters_says_so(datasette):
    page = datasette.get(f"/{DB}/search?q=ha+noi&category=Nowhere").text
    assert "No article matches with these filters." in page and _ranked_ids(page) == []


def test_the_ranked_page_names_an_unreadable_query_once_and_escapes_what_was_typed(datasette):
    page = datasette.get(f"/{DB}/search?q=%22unclosed&category=x").text
    assert "Search not run: unbalanced quote" in page and "No article matches" not in page
    hostile = datasette.get(f"/{DB}/search?q=ha+noi&author=%22%3E%3Cscript%3Ealert(1)%3C/script%3E").text
    assert "<script>alert(1)" not in hostile and 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in hostile


def test_a_search_the_table_keeps_links_its_best_matches(datasette, archive_template):
    """Sorted (or filtered otherwise), a search stays on the table, newest first, and links the ranked page
    with its words and the filters that page takes."""
    page = datasette.get(f"/{DB}/articles?_search=ha+noi&_sort_desc=published_at&_published_from=2024-11-01"
                         "&word_count__gt=10").text
    link = re.search(r'<a href="([^"]+)">Best matches first', page).group(1).replace("&amp;", "&")
    assert dict(parse_qsl(urlsplit(link).query)) == {"q": "ha noi", "since": "2024-11-01"}
    ranked = datasette.get(link).text
    expected = [row["id"] for row in search(read.open_readonly(archive_template), "ha noi", since="2024-11-01",
                                            limit=CANNED_SEARCH_LIMIT)]
    assert expected and _ranked_ids(ranked) == expected
    assert "Best matches first" not in datasette.get(f"/{DB}/articles?_sort_desc=published_at").text


def _hidden_inputs(html: str) -> list[tuple[str, str]]:
    form = html.split('<form class="filters"', 1)[1].split("</form>", 1)[0]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)


def test_a_new_search_on_the_every_match_page_stays_newest_first(datasette):
    """The ranked page's "Every match, newest first" opens the table, whose form carries that choice: a new
    search typed there (the form's untouched sort sent along) stays on the table."""
    page = datasette.get(f"/{DB}/search?q=ha+noi").text
    every = re.search(r'<a href="([^"]+)">Every match, newest first', page).group(1).replace("&amp;", "&")
    table = datasette.get(every)
    assert table.status_code == 200
    hidden = [(k, v) for k, v in _hidden_inputs(table.text) if k != "_ldtd_search"]
    assert ("_ldtd_table", "1") in hidden
    typed = ("?_search=dao+tao&_filter_column=&_filter_op=exact&_filter_value=&_sort=published_at&_sort_by_desc=on&"
             + "&".join(f"{k}={quote(v)}" for k, v in hidden))
    r = datasette.get(f"/{DB}/articles{typed}", follow_redirects=True)  # Datasette's own, clearing the form
    assert r.status_code == 200 and urlsplit(str(r.url)).path == f"/{DB}/articles"
    assert "Best matches first" in r.text and "ldtd-ranked" not in r.text
    # from the plain table, the same form goes to the best matches
    plain = datasette.get(f"/{DB}/articles?_search=dao+tao&_filter_column=&_filter_op=exact&_filter_value="
                          "&_sort=published_at&_sort_by_desc=on")
    assert plain.status_code == 302 and urlsplit(plain.headers["location"]).path == f"/{DB}/search"


def _serve(*paths, **settings):
    from datasette.app import Datasette

    from scraper.datasette import config

    from .conftest import Client

    return Client(Datasette([str(p) for p in paths], settings={**config.SETTINGS, **settings}))


def test_under_a_base_url_the_search_moves_within_it(archive_template):
    client = _serve(archive_template, base_url="/news/")  # (its client asks for /news/<path>)
    r = client.get(f"/{DB}/articles?_search=dao+tao")
    assert r.status_code == 302 and r.headers["location"] == f"/news/{DB}/search?q=dao+tao"
    assert _ranked_ids(client.get(f"/{DB}/search?q=dao+tao").text)


def test_an_archive_served_without_the_canned_search_keeps_its_table_search(archive_template, tmp_path):
    """Two archives served: the plugin's metadata (and its canned search) goes to one; the other's table
    search stays on its table and links no ranked page."""
    import shutil

    second = tmp_path / "đb second.db"
    shutil.copy(archive_template, second)
    client = _serve(archive_template, second)
    names = [n for n in ("archive", "đb second") if client.get(f"/{quote(n)}/search?q=x").status_code == 200]
    assert len(names) == 1
    other = "đb second" if names == ["archive"] else "archive"
    from datasette.utils import tilde_encode

    r = client.get(f"/{tilde_encode(other)}/articles?_search=dao+tao")
    assert r.status_code == 200 and "Best matches first" not in r.text and _ranked_ids(r.text)
    moved = client.get(f"/{tilde_encode(names[0])}/articles?_search=dao+tao")
    assert moved.status_code == 302 and moved.headers["location"].endswith("/search?q=dao+tao")
