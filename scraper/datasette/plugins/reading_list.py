"""The articles table as a reader's list (templates/_table.html): each article's linked headline, its
date as `16/11/2023 15:30` (Hanoi time), category, author and lead, newest first; the internal columns
stay in the table's JSON, CSV and SQL, and one link away as Datasette's grid (?_ldtd_grid=1).

A published-date range: ?_published_from=YYYY-MM-DD&_published_to=YYYY-MM-DD (both days included),
from the list's date form, applied as table filters (so facets, counts, JSON and CSV follow it).
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import path_with_removed_args

from scraper.datasette.render import day_after, iso_day, reader_date
from scraper.datasette.served import ARTICLES
from scraper.storage import read

FROM_ARG, TO_ARG = "_published_from", "_published_to"
GRID_ARG = "_ldtd_grid"


def date_range(args) -> tuple[str | None, str | None]:
    """The published-date range a request asks for: (first day, last day), each None when not given or
    not a date."""
    return iso_day(args.get(FROM_ARG)), iso_day(args.get(TO_ARG))


def range_description(first: str | None, last: str | None) -> str:
    if first and last:
        return f"published {reader_date(first)} to {reader_date(last)}"
    return f"published from {reader_date(first)}" if first else f"published until {reader_date(last)}"


@hookimpl
def filters_from_request(request, database, table, datasette):
    if table != ARTICLES:
        return None
    first, last = date_range(request.args)
    if not (first or last):
        return None
    where, params = [], {}
    if first:
        where.append(read.published_from_clause("ldtd_published_from"))
        params["ldtd_published_from"] = first
    if last:
        where.append(read.published_before_clause("ldtd_published_before"))
        params["ldtd_published_before"] = day_after(last)
    return FilterArguments(where, params=params, human_descriptions=[range_description(first, last)])


def cells_by_column(row) -> dict:
    """A display row of Datasette's table page as {column: raw value}."""
    return {cell["column"]: cell["raw"] for cell in row}


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["ldtd_date"] = reader_date
    env.filters["ldtd_cells"] = cells_by_column


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "table" or table != ARTICLES or request is None or request.args.get(GRID_ARG):
        return {}
    first, last = date_range(request.args)
    keep = [(k, v) for k in request.args if k not in (FROM_ARG, TO_ARG, "_next")
            for v in request.args.getlist(k)]
    return {"ldtd_list": {
        "date_from": first or "",
        "date_to": last or "",
        "keep_args": keep,
        "clear_dates_url": path_with_removed_args(request, {FROM_ARG, TO_ARG, "_next"}),
        "grid_url": request.path + "?" + "&".join(
            [f"{GRID_ARG}=1"] + ([request.query_string] if request.query_string else [])),
    }}
