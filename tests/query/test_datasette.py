"""The shipped Datasette configuration, through Datasette's own test client on a real archive file."""

from __future__ import annotations

import re
import sqlite3

import pytest
import yaml
from datasette.utils import sqlite_timelimit

from scraper.datasette import config
from scraper.datasette.config import metadata_for
from scraper.datasette.plugins import sql_functions
from scraper.datasette.render import safe_body_html
from scraper.storage import read
from scraper.storage.read import CANNED_SEARCH_SQL

from .builders import HOSTILE_BODY_HTML, HOSTILE_ID, SEED_ID, SEED_TITLE, records
from .conftest import Client

RECORDS = {r["id"]: r for r in records()}
SEED = RECORDS[SEED_ID]
DB = "archive"
FOLDED = ("title_folded", "sapo_folded", "body_folded")


def test_index_has_a_search_box_and_the_title(datasette):
    r = datasette.get("/")
    assert r.status_code == 200
    assert "Lao Động Thủ Đô archive" in r.text
    assert f'action="{DB}/search"' in r.text and 'name="q"' in r.text


def test_articles_table_sorted_with_facets(datasette):
    r = datasette.get(f"/{DB}/articles.json?_extra=facet_results&_shape=objects")
    data = r.json()
    facets = data["facet_results"]
    assert {"category", "author", "published_at"} <= set(facets)
    categories = {f["value"]: f["count"] for f in facets["category"]["results"]}
    assert categories[SEED["category"]] == sum(1 for x in RECORDS.values() if x["category"] == SEED["category"]) + (
        1 if SEED["category"] == "Thời sự" else 0)
    months = {f["value"] for f in facets["published_at"]["results"]}
    assert SEED["published_at"][:7] in months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months)
    dates = [row["published_at"] for row in data["rows"]]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    html = datasette.get(f"/{DB}/articles").text
    for name in ("category", "author", "published_at (month)"):
        assert re.search(r'class="facet-info-name">\s*<strong>' + re.escape(name), html), name


def test_month_facet_value_filters(datasette):
    month = SEED["published_at"][:7]
    data = datasette.get(f"/{DB}/articles.json?published_at__startswith={month}&_shape=objects").json()
    ids = {row["id"] for row in data["rows"]}
    assert SEED_ID in ids and all(row["published_at"].startswith(month) for row in data["rows"])


def test_folded_columns_hidden_from_the_pages_kept_in_json(datasette):
    html = datasette.get(f"/{DB}/articles").text
    for column in FOLDED:
        assert f'data-column="{column}"' not in html
    row_page = datasette.get(f"/{DB}/articles/{SEED_ID}").text
    for column in FOLDED:
        assert column not in row_page
    data = datasette.get(f"/{DB}/articles.json?_shape=objects").json()
    assert set(FOLDED) <= set(data["rows"][0]) and "title" in data["rows"][0]
    data = datasette.get(f"/{DB}/articles.json?_col=title_folded&_shape=objects").json()
    assert "title_folded" in data["rows"][0]


@pytest.mark.parametrize("query", ["ra soat bang cap", "Rà soát lại bằng cấp", "RA SOAT", "doi ngu can bo cong chuc cap xa"])
def test_canned_search_with_or_without_diacritics(datasette, query):
    rows = datasette.get(f"/{DB}/search.json?q={query}&_shape=objects").json()["rows"]
    assert rows and rows[0]["title"] == SEED_TITLE
    assert "<mark>" in rows[0]["snippet"]
    html = datasette.get(f"/{DB}/search?q={query}").text
    assert SEED_TITLE in html
    assert f'href="/{DB}/articles/{SEED_ID}"' in html  # the headline opens the article


def test_canned_search_d_for_dd_and_odd_input(datasette):
    rows = datasette.get(f"/{DB}/search.json?q=dang&_shape=objects").json()["rows"]
    assert any("Đảng" in (r["title"] + r["snippet"]) or "đảng" in r["snippet"].lower() for r in rows)
    for odd in ["covid-19", '"unclosed', "", "AND", "*"]:
        r = datasette.get(f"/{DB}/search.json?q={odd}&_shape=objects")
        assert r.status_code == 200, (odd, r.text[:300])


def test_snippet_html_is_escaped_except_marks(datasette):
    html = datasette.get(f"/{DB}/search?q=lead").text  # the hostile lead carries a <script> as text
    assert "<script>window.pwned" not in html


def test_other_canned_queries_run(datasette):
    month = SEED["published_at"][:10]
    rows = datasette.get(f"/{DB}/articles_between.json?since={month}&until={month}&_shape=objects").json()["rows"]
    assert SEED_ID in {r["id"] for r in rows}
    linked = datasette.get(f"/{DB}/most_linked.json?_shape=objects").json()["rows"]
    assert linked and linked[0]["links"] >= linked[-1]["links"] and {"url", "archived"} <= set(linked[0])
    runs = datasette.get(f"/{DB}/runs.json?_shape=objects").json()["rows"]
    assert runs and runs[0]["outcome"] == "ok"
    per_day = datasette.get(f"/{DB}/per_day.json?_shape=objects").json()["rows"]
    assert {"day", "articles"} <= set(per_day[0])


def test_fold_sql_function(datasette):
    rows = datasette.get(f"/{DB}.json?sql=select+fold('Đào+Tạo+Rà+Soát')+as+f&_shape=array").json()
    assert rows == [{"f": "dao tao ra soat"}]


def test_article_page_shows_body_images_and_related(datasette):
    html = datasette.get(f"/{DB}/articles/{SEED_ID}").text
    assert f'<h1 class="ldtd-title">{SEED_TITLE}</h1>' in html
    body = html.split('id="ldtd-body">', 1)[1].split("</div>", 1)[0]
    assert "<p>" in body  # rendered as HTML, not escaped
    assert SEED["body"].split("\n\n")[0][:40] in body
    for image in SEED["images"]:
        assert f'src="{image["url"]}"' in html
        if image["caption"]:
            assert image["caption"] in html
    related = html.split('id="ldtd-related"', 1)[1]
    for link in SEED["related"][:5]:
        assert link["title"] in related or RECORDS.get(int(link["url"].rsplit("-", 1)[-1].split(".")[0]), {}).get("title", "\0") in related
    assert "ldtd-archived" in related


def test_related_links_foreign_key_shows_the_target_title(datasette):
    html = datasette.get(f"/{DB}/related_links?article_id=164520").text
    assert f'href="/{DB}/articles/' in html  # target_id rendered as a link to the archived article


def test_hostile_body_rendered_without_script_or_handlers(datasette):
    for path in (f"/{DB}/articles/{HOSTILE_ID}", f"/{DB}/articles?id={HOSTILE_ID}&_col=body_html&_col=sapo",
                 f"/{DB}/articles/{HOSTILE_ID}.json"):
        r = datasette.get(path)
        assert r.status_code == 200
    html = datasette.get(f"/{DB}/articles/{HOSTILE_ID}").text
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<script" not in article.lower()
    assert not re.search(r"<[^>]+\son\w+\s*=", article, re.I)
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", article, re.I)
    assert "<iframe" not in article.lower() and "<style" not in article.lower()
    assert "Đoạn mở đầu an toàn." in article and "Đoạn kết an toàn." in article
    table = datasette.get(f"/{DB}/articles?id={HOSTILE_ID}&_col=body_html&_ldtd_grid=1").text
    cells = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "<script" not in cells.lower() and not re.search(r"<[^>]+\son\w+\s*=", cells, re.I)


def test_safe_body_html_keeps_the_canonical_form():
    body = SEED["body_html"]
    assert safe_body_html(body).replace(' rel="noopener noreferrer nofollow"', "") == body
    cleaned = safe_body_html(HOSTILE_BODY_HTML)
    assert "script" not in cleaned and "onerror" not in cleaned and "javascript" not in cleaned


def test_charts_page(datasette):
    r = datasette.get("/-/ldtd/charts")
    assert r.status_code == 200
    assert r.text.count("<svg") == 3
    assert f"{SEED['published_at'][:10]}: " in r.text  # a tooltip per day
    assert SEED["category"] in r.text
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"https?://", r.text)  # nothing from elsewhere


def test_related_links_facet_by_block_only_when_asked(datasette):
    """The related_links table's default view runs no facet (no index counts 3 million links' blocks within
    the facet time limit from a cold cache); ?_facet=block still counts them, and an article's links too."""
    assert datasette.get(f"/{DB}/related_links.json").json()["facet_results"] == {}
    links = datasette.get(f"/{DB}/related_links.json?_shape=objects&_size=max").json()["rows"]
    by_block = datasette.get(f"/{DB}/related_links.json?_facet=block").json()["facet_results"]["block"]["results"]
    assert {f["value"]: f["count"] for f in by_block} == {b: sum(1 for r in links if r["block"] == b)
                                                           for b in {r["block"] for r in links}}


def test_charts_page_too_slow_is_a_503_saying_so(archive_template, monkeypatch):
    """Counts the time limit interrupts make a 503 page that says so (with Retry-After), never a 500: here the
    per-category read is a query that runs past a 50 ms limit."""
    from datasette.app import Datasette

    def endless(conn):
        return conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                            " SELECT max(i) FROM n").fetchall()

    monkeypatch.setattr(read, "per_category", endless)
    client = Client(Datasette([str(archive_template)], settings={**config.SETTINGS, "sql_time_limit_ms": 50}))
    r = client.get("/-/ldtd/charts")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert "could not be read just now" in r.text and "<svg" not in r.text


def test_metadata_follows_the_database_name():
    meta = metadata_for("my-archive")
    assert "my-archive" in meta["databases"] and "archive" not in meta["databases"]
    assert 'action="my-archive/search"' in meta["description_html"]


def test_version_diff_page(datasette):
    html = datasette.get(f"/-/ldtd/diff?db={DB}&id={SEED_ID}&a=1&b=2").text
    assert f'<span class="ldtd-diff-del">-title: {SEED_TITLE}</span>' in html
    assert f'<span class="ldtd-diff-add">+title: {SEED_TITLE} (cập nhật)</span>' in html
    same = datasette.get(f"/-/ldtd/diff?db={DB}&id={SEED_ID}&a=1&b=current").text
    assert "have the same content" in same
    assert datasette.get(f"/-/ldtd/diff?db={DB}&id={SEED_ID}&a=1&b=9").status_code == 400
    assert datasette.get(f"/-/ldtd/diff?db={DB}&id=1").status_code == 404
    page = datasette.get(f"/{DB}/articles/{SEED_ID}").text
    assert 'class="ldtd-diff-link"' in page


def test_table_search_box_also_folds(datasette):
    for query in ("ra soat bang cap", "rà soát bằng cấp"):
        rows = datasette.get(f"/{DB}/articles.json?_search={query}&_shape=objects").json()["rows"]
        assert SEED_ID in {r["id"] for r in rows}, query


@pytest.mark.parametrize("odd", ["", "%22", "%22unclosed", "covid-19", "AND", "*", "c%2B%2B", "title:x", "NEAR(", "%20"])
def test_table_search_box_never_errors(datasette, odd):
    """Whatever is typed into the articles table's search box is a search, never an FTS5 syntax error."""
    for path in (f"/{DB}/articles?_search={odd}", f"/{DB}/articles.json?_search={odd}&_shape=objects",
                 f"/{DB}/articles?_search_title={odd}", f"/{DB}/articles.json?_search_body={odd}"):
        r = datasette.get(path, follow_redirects=True)  # words to search: the ranked page
        assert r.status_code == 200, (path, r.text[:300])
    if odd in ("", "%22", "%20"):  # no word to search for: every article, as with an empty box
        everything = datasette.get(f"/{DB}/articles.json").json()["filtered_table_rows_count"]
        assert datasette.get(f"/{DB}/articles.json?_search={odd}").json()["filtered_table_rows_count"] == everything


def test_table_search_box_is_the_projects_folded_search(datasette):
    def ids(query, extra=""):
        data = datasette.get(f"/{DB}/articles.json?_search={query}&_shape=objects&_size=max{extra}").json()
        return {r["id"] for r in data["rows"]}

    from scraper.text import fold

    expected = {i for i, r in RECORDS.items()
                if "dao tao" in " ".join(fold(r[k] or "") for k in ("title", "sapo", "body")).replace(",", " ")}
    assert expected and ids("dao tao") >= expected
    assert ids("đào tạo") == ids("dao tao") == ids("Đào Tạo")  # d for đ, any case, diacritics optional
    assert SEED_ID in ids('"ra soat') and SEED_ID in ids("ra-soat")
    assert ids("dao tao", f"&category={SEED['category']}") <= ids("dao tao")
    html = datasette.get(f"/{DB}/articles?_search=ra+soat+bang+cap&_sort_desc=published_at").text
    assert 'value="ra soat bang cap"' in html and SEED_TITLE in html  # the box keeps what was typed
    ranked = datasette.get(f"/{DB}/articles?_search=ra+soat+bang+cap", follow_redirects=True).text
    assert 'value="ra soat bang cap"' in ranked and SEED_TITLE in ranked  # and so does the ranked page's
    # the page's form sends the previous search back with the new one: the new one wins
    again = datasette.get(f"/{DB}/articles.json?_ldtd_search=ra+soat&_search=zzzqqq&_shape=objects").json()
    assert again["rows"] == []


def test_a_table_search_runs_its_facets_only_when_asked(datasette):
    """A search's page of the articles table (HTML and JSON) counts its matches but runs no facet (each
    would match again over every article found); its page links to the same search with them, whose
    counts are the matches'. Pages without a search keep their facets."""
    data = datasette.get(f"/{DB}/articles.json?_search=dao+tao").json()
    assert data["facet_results"] == {} and data["filtered_table_rows_count"] >= 1
    plain = datasette.get(f"/{DB}/articles.json?category={SEED['category']}").json()
    assert {"category", "author", "published_at"} <= set(plain["facet_results"])
    html = datasette.get(f"/{DB}/articles?_search=dao+tao&_sort_desc=published_at").text  # every match
    assert 'class="facet-info-name"' not in html
    link = re.search(r'class="ldtd-search-facets"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "_ldtd_facets=1" in link and "_nofacet" not in link
    with_facets = datasette.get(link.replace("/articles?", "/articles.json?")).json()
    categories = {f["value"]: f["count"] for f in with_facets["facet_results"]["category"]["results"]}
    assert sum(categories.values()) == with_facets["filtered_table_rows_count"] == data["filtered_table_rows_count"]
    assert re.search(r'class="facet-info-name">\s*<strong>category', datasette.get(link).text)
    assert 'class="ldtd-search-facets"' not in datasette.get(f"/{DB}/articles").text
    # an empty box searches for nothing: every article, with the facets
    assert set(datasette.get(f"/{DB}/articles.json?_search=+").json()["facet_results"]) == set(plain["facet_results"])


@pytest.mark.parametrize("ref", ["99999999999999999999999", "9223372036854775808", "-99999999999999999999999"])
def test_an_id_too_big_for_sqlite_is_no_such_article(datasette, ref):
    """/-/ldtd/diff?id=<past SQLite's 64-bit integers> was a 500 (OverflowError): it is no such article."""
    r = datasette.get(f"/-/ldtd/diff?db={DB}&id={ref}")
    assert r.status_code == 404 and "No such article" in r.text
    assert datasette.get(f"/{DB}/articles/{ref}").status_code == 404


def test_table_search_in_one_column_folds_too(datasette):
    """?_search_title= (Datasette's one-column search) searches that column's folded copy."""
    from scraper.text import fold

    rows = datasette.get(f"/{DB}/articles.json?_search_title=rà soat&_shape=objects&_size=max").json()["rows"]
    assert SEED_ID in {r["id"] for r in rows}
    assert all("ra soat" in fold(r["title"]) for r in rows)
    assert len(rows) < len(datasette.get(f"/{DB}/articles.json?_search=ra soat&_shape=objects&_size=max").json()["rows"])


# -- Datasette runs no SQL of its own (its Python: tests/test_architecture.py) ---------------------------

def test_canned_queries_read_storage_views_only(archive_template):
    """Each canned query reads views (a count defined once, in storage); the search's SQL is storage's."""
    conn = sqlite3.connect(archive_template)
    views = {name for (name,) in conn.execute("select name from sqlite_master where type = 'view'")}
    conn.close()
    shipped = yaml.safe_load(config.METADATA_FILE.read_text(encoding="utf-8"))["databases"]["archive"]["queries"]
    assert "sql" not in shipped["search"]
    queries = metadata_for(DB)["databases"][DB]["queries"]
    assert queries["search"]["sql"] == CANNED_SEARCH_SQL
    assert queries["search_feed"]["sql"] == read.CANNED_SEARCH_FEED_SQL and "sql" not in shipped["search_feed"]
    for name, query in queries.items():
        if name in ("search", "search_feed"):
            continue
        read_from = set(re.findall(r"\b(?:from|join)\s+([\w\"\[\]]+)", query["sql"], re.I))
        assert read_from and read_from <= views, (name, read_from - views)


def test_month_counts_out_of_time_is_none_not_an_error(archive_template):
    """The month facet's read stops at the time limit Datasette sets on the connection (the facet is then
    listed as timed out, as Datasette's own facets are) instead of failing the page."""
    conn = sqlite3.connect(archive_template)
    rows_sql, column = "select * from articles where category = :c", "published_at"
    counts = read.month_counts(conn, rows_sql, {"c": SEED["category"]}, column, 10)
    assert (SEED["published_at"][:7], sum(1 for r in RECORDS.values() if r["category"] == SEED["category"]
                                          and r["published_at"][:7] == SEED["published_at"][:7])) in counts
    with sqlite_timelimit(conn, 0):
        assert read.month_counts(conn, rows_sql, {"c": SEED["category"]}, column, 10) is None
    conn.close()


# -- the reading room (issue 14) ---------------------------------------------------------------------

def test_articles_table_is_a_readers_list(datasette):
    html = datasette.get(f"/{DB}/articles").text
    assert f'<a href="/{DB}/articles/{SEED_ID}">{SEED_TITLE}' in html or f'/{DB}/articles/{SEED_ID}">' in html
    assert 'class="ldtd-list"' in html and '<table class="rows-and-columns"' not in html
    day, time = SEED["published_at"][:10], SEED["published_at"][11:16]
    assert f"{day[8:10]}/{day[5:7]}/{day[:4]} {time}" in html  # 16/11/2023 15:30
    for internal in ("content_hash", "page_id", "run_id", "title_folded", "extraction_strategy"):
        assert f'data-column="{internal}"' not in html
    # every column still in JSON and CSV, and one link away as Datasette's grid
    row = datasette.get(f"/{DB}/articles.json?_shape=objects").json()["rows"][0]
    assert {"content_hash", "page_id", "title_folded", "body"} <= set(row)
    assert "content_hash" in datasette.get(f"/{DB}/articles.csv").text.splitlines()[0]
    assert 'data-column="content_hash"' in datasette.get(f"/{DB}/articles?_ldtd_grid=1").text


def test_published_date_range_filter(datasette):
    day = SEED["published_at"][:10]
    data = datasette.get(f"/{DB}/articles.json?_published_from={day}&_published_to={day}&_shape=objects").json()
    ids = {r["id"] for r in data["rows"]}
    assert SEED_ID in ids and all(r["published_at"][:10] == day for r in data["rows"])
    before = datasette.get(f"/{DB}/articles.json?_published_to=2000-01-01&_shape=objects").json()["rows"]
    assert before == []
    html = datasette.get(f"/{DB}/articles?_published_from={day}").text
    assert f'value="{day}"' in html and "published from" in html


def test_atom_feeds(datasette):
    for path in (f"/{DB}/feed_new.atom", f"/{DB}/feed_edits.atom",
                 f"/{DB}/feed_category.atom?category={SEED['category']}", f"/{DB}/search_feed.atom?q=ra+soat+bang+cap"):
        r = datasette.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.text.startswith("<?xml") and "<feed" in r.text, path
    assert SEED["url"] in datasette.get(f"/{DB}/search_feed.atom?q=ra+soat+bang+cap").text
    # a feed with no entries yet is an empty feed, not an error
    for path in (f"/{DB}/search_feed.atom?q=zzzqqxx", f"/{DB}/feed_category.atom?category=Nowhere"):
        r = datasette.get(path)
        assert r.status_code == 200 and "<feed" in r.text and "<entry>" not in r.text, (path, r.text[:300])
    assert f"{SEED_TITLE}" in datasette.get(f"/{DB}/feed_edits.atom").text


@pytest.mark.parametrize("typed", ["Thời sự", "thời sự", "THOI SU", "  thoi   su "])
def test_category_feed_matches_like_the_cli(datasette, archive_template, typed):
    """The category feed folds what is typed as ldtd search/export --category do: the same entries, in
    the same order, as the CLI's selection, whatever the case or diacritics."""
    expected = list(read.iter_ids(read.open_readonly(archive_template), category=typed, limit=50))
    assert len(expected) == sum(1 for r in RECORDS.values() if r["category"] == "Thời sự") + 1  # + the hostile
    rows = datasette.get(f"/{DB}/feed_category.json?category={typed}&_shape=objects").json()["rows"]
    assert [r["id"] for r in rows] == expected
    assert all(r["category"] == "Thời sự" for r in rows)
    feed = datasette.get(f"/{DB}/feed_category.atom?category={typed}").text
    entries = re.findall(r"<entry>.*?<id>(.*?)</id>", feed, re.S)
    assert entries == [r["atom_id"] for r in rows] and SEED["url"] in entries


def test_filter_key_sql_function_folds_like_the_cli_and_is_capped(datasette):
    rows = datasette.get(f"/{DB}.json?sql=select+ldtd_filter_key('++Thời+SỰ++')+as+k,+ldtd_filter_key('')+as+e"
                         "&_shape=array").json()
    assert rows == [{"k": read.filter_key("Thời sự"), "e": None}] and rows[0]["k"] == "thoi su"
    with pytest.raises(ValueError):
        sql_functions.filter_key_sql("a" * (sql_functions.MAX_TEXT_CHARS + 1))


def test_article_page_steps_through_its_category(datasette, archive_template):
    conn = sqlite3.connect(archive_template)
    same = conn.execute("select published_at, id from articles where category = ? and published_at is not null"
                        " order by published_at, id", [SEED["category"]]).fetchall()
    conn.close()
    here = [i for _, i in same].index(SEED_ID)
    assert len(same) > 1
    html = datasette.get(f"/{DB}/articles/{SEED_ID}").text
    if here > 0:
        assert f'rel="prev" href="/{DB}/articles/{same[here - 1][1]}"' in html
    else:
        assert 'rel="prev"' not in html
    if here < len(same) - 1:
        assert f'rel="next" href="/{DB}/articles/{same[here + 1][1]}"' in html
    else:
        assert 'rel="next"' not in html


def test_plugin_supplies_its_metadata_without_a_metadata_file(datasette):
    """The suite's Datasette gets no metadata: titles, facets and canned queries come from the plugin."""
    queries = datasette.get(f"/{DB}.json").json()["queries"]
    assert {"search", "feed_new", "feed_edits", "feed_category", "search_feed"} <= {q["name"] for q in queries}


# -- search people can type: the operators in both of Datasette's boxes, one ranking, one snippet --------

OPERATOR_QUERIES = ['"bang cap" OR "dong nai"', "ha noi -dao", "ha noi NOT dao", '"ra soat lai"', "soa*", "đào tạo*",
                    "ra soat bang cap"]


def _table_ids(datasette, query):
    from urllib.parse import quote

    data = datasette.get(f"/{DB}/articles.json?_search={quote(query)}&_shape=objects&_size=max").json()
    return {r["id"] for r in data["rows"]}


@pytest.mark.parametrize("query", OPERATOR_QUERIES)
def test_table_search_finds_what_ldtd_search_finds(datasette, archive_template, query):
    """Each operator in the articles table's search box: the same articles as `ldtd search` (storage's)."""
    from scraper.storage.search import search

    expected = {r["id"] for r in search(read.open_readonly(archive_template), query, limit=1000)}
    assert expected and _table_ids(datasette, query) == expected


def test_table_search_operators_select(datasette):
    assert _table_ids(datasette, '"bang cap" OR "dong nai"') == _table_ids(datasette, '"bang cap"') | _table_ids(datasette, '"dong nai"')
    assert _table_ids(datasette, "ha noi -dao") == _table_ids(datasette, "ha noi") - _table_ids(datasette, "dao")
    assert _table_ids(datasette, "ha noi NOT dao") == _table_ids(datasette, "ha noi -dao")


@pytest.mark.parametrize("query", OPERATOR_QUERIES + ["Rà soát lại bằng cấp", "dang"])
def test_canned_search_ranks_and_snips_like_ldtd_search(datasette, archive_template, query):
    """One ranking and one snippet: the canned search's rows are `ldtd search`'s, in its order, with its
    snippet (matches in <mark> instead of [ ])."""
    from urllib.parse import quote

    from scraper.storage.search import CANNED_SEARCH_LIMIT, search

    cli = search(read.open_readonly(archive_template), query, limit=CANNED_SEARCH_LIMIT)
    rows = datasette.get(f"/{DB}/search.json?q={quote(query)}&_shape=objects").json()["rows"]
    assert [r["id"] for r in rows] == [r["id"] for r in cli] and rows
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["snippet"] for r in rows] == [r["snippet"].replace("[", "<mark>").replace("]", "</mark>") for r in cli]


@pytest.mark.parametrize("query, message", [('"unclosed', "unbalanced quote"), ("ha noi OR", "'OR' needs a word"),
                                            ("-dao", "only excluded words"), ("t*", "prefix 't*' is too short")])
def test_a_malformed_search_is_a_notice_not_an_error(datasette, query, message):
    from urllib.parse import quote

    r = datasette.get(f"/{DB}/search.json?q={quote(query)}&_shape=objects")
    assert r.status_code == 200
    assert [(row["id"], row["rank"]) for row in r.json()["rows"]] == [(None, 0)]
    assert r.json()["rows"][0]["title"].startswith("Search not run: ") and message in r.json()["rows"][0]["title"]
    page = datasette.get(f"/{DB}/search?q={quote(query)}")
    assert page.status_code == 200 and message.replace("'", "&#39;") in page.text
    table = datasette.get(f"/{DB}/articles?_search={quote(query)}")
    assert table.status_code == 200 and "not run: " in table.text and message.replace("'", "&#39;") in table.text
    everything = datasette.get(f"/{DB}/articles.json").json()["filtered_table_rows_count"]
    assert datasette.get(f"/{DB}/articles.json?_search={quote(query)}").json()["filtered_table_rows_count"] == everything


def test_table_search_shows_the_snippet_highlighted_and_escaped(datasette):
    html = datasette.get(f"/{DB}/articles?_search=ra+soat+bang+cap&_ldtd_grid=1").text
    assert re.search(r'class="ldtd-snippet">[^<]*(<mark>[^<]*</mark>[^<]*)*<mark>rà</mark> <mark>soát</mark> lại'
                     r' <mark>bằng</mark> <mark>cấp</mark>', html, re.I)
    hostile = datasette.get(f"/{DB}/articles?_search=lead&_ldtd_grid=1").text  # the hostile lead carries a <script> as text
    assert "<script>window.pwned" not in hostile and 'class="ldtd-snippet"' in hostile
    assert not re.search(r"<[^>]+\son\w+\s*=", hostile.split('class="ldtd-snippet"', 1)[1], re.I)
    listed = datasette.get(f"/{DB}/articles?_search=ra+soat+bang+cap&_sort_desc=published_at").text  # the list too
    assert re.search(r'<p class="ldtd-lead"><span class="ldtd-snippet">[^<]*(<mark>[^<]*</mark>[^<]*)*<mark>rà</mark>',
                     listed, re.I)
    plain = datasette.get(f"/{DB}/articles?_ldtd_grid=1").text
    assert 'class="ldtd-snippet"' not in plain and "<mark>" not in plain


def test_search_sql_functions_are_bounded_per_call():
    """ldtd_search_snippet() and ldtd_fts() run inside a Python call Datasette's time limit cannot stop:
    at their caps (texts cut at MAX_TEXT_CHARS, a query of MAX_QUERY_WORDS words) each answers at once."""
    import random
    import time

    from scraper.datasette.plugins import sql_functions as plugin
    from scraper.text import fold
    from scraper.storage.search import MAX_QUERY_WORDS

    rng = random.Random(5)
    words = ["đào", "tạo", "cán", "bộ", "hà", "nội", "x" * 40, "a"]
    text = " ".join(rng.choice(words) for _ in range(60_000))  # ~ 2x MAX_TEXT_CHARS
    query = " OR ".join(["đào", "tạo*", '"hà nội"'] * (MAX_QUERY_WORDS // 5))
    start = time.perf_counter()
    folded = fold(text)
    out = plugin.search_snippet(query, text, text, text, folded, folded, folded, 1)
    assert "<mark>" in out and len(out) < 1000
    assert plugin.fts_kind(query, "folded").startswith("{title_folded") and plugin.fts_kind(query, "nope") == '""'
    assert plugin.fts_kind("a " * 600, "folded") == '""'  # past the caps: matches nothing
    assert time.perf_counter() - start < 1.0
