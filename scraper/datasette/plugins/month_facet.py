"""A "month" facet (metadata: `- month: published_at`): counts per calendar month of an ISO date
column, the stored Hanoi time (so no UTC shift), each value selectable through __startswith."""

from __future__ import annotations

from datasette import hookimpl
from datasette.facets import Facet
from datasette.utils import path_with_added_args, path_with_removed_args

from scraper.datasette.served import read_archive
from scraper.storage import read


class MonthFacet(Facet):
    type = "month"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        db = self.ds.get_database(self.database)
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            rows = await read_archive(
                self.ds, db, read.month_counts, self.sql, self.params, column, size + 1,
                time_limit_ms=self.ds.setting("facet_time_limit_ms"),
            )
            if rows is None:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for month, count in rows[:size]:
                selected = args.get(key) == month
                if selected:
                    path = path_with_removed_args(self.request, {key: month})
                else:
                    path = path_with_added_args(self.request, {key: month})
                values.append({
                    "value": month, "label": month, "count": count,
                    "toggle_url": self.ds.absolute_url(self.request, path), "selected": selected,
                })
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
                "truncated": len(rows) > size,
            })
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [MonthFacet]
