"""The archive's Datasette plugin, installed as the entry point `ldtd` of Datasette's plugin group
(pyproject.toml), so `datasette archive.db` and `ldtd serve` show the same pages.

Each module here is one concern with its own hooks; loading this package (Datasette loads it from the
entry point) registers each of them with Datasette's plugin manager. Datasette serves this package's
templates/ (they override its own) and static/ (/-/static-plugins/ldtd-archive/).
"""

from __future__ import annotations

from datasette.plugins import pm

from . import (archive_metadata, article_page, cells, charts_page, diff_page, feeds, image_files, month_facet,
               reading_list, search_box, search_page, sql_functions, stylesheet)

MODULES = (archive_metadata, article_page, cells, charts_page, diff_page, feeds, image_files, month_facet,
           reading_list, search_box, search_page, sql_functions, stylesheet)

for _module in MODULES:
    if not pm.is_registered(_module):
        pm.register(_module, name=_module.__name__)
