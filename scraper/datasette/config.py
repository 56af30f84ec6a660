"""The project's Datasette configuration: metadata and settings, in one place.

The plugin (scraper/datasette/plugins/, installed as a Datasette entry point) supplies the metadata
(`metadata_for`, through its get_metadata hook), templates and static files to any Datasette; `ldtd serve`
runs a real `datasette serve` process with SETTINGS added, which no plugin can set.
"""

from __future__ import annotations

import copy
import functools
import ipaddress
import json
from pathlib import Path

import yaml
from datasette.utils import tilde_encode

from scraper.settings import DOWNLOAD_MAXSIZE
from scraper.storage.read import CANNED_SEARCH_FEED_SQL, CANNED_SEARCH_PARAMS, CANNED_SEARCH_SQL

HERE = Path(__file__).resolve().parent
METADATA_FILE = HERE / "metadata.yaml"
STATIC_DIR = HERE / "plugins" / "static"
PLACEHOLDER_DB = "archive"

# Settings for serving an archive that a crawl may be writing at the same time: Datasette opens the
# file read-only (mode=ro; never immutable, the file changes), the archive is in WAL mode so readers
# never wait for the writer, and queries stay short.
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
    "max_returned_rows": 1000,
    "truncate_cells_html": 300,
    # Suggesting facets runs a query per column on every table page: seconds on a 200,000-article
    # archive. The useful facets are configured in metadata.yaml.
    "suggest_facets": False,
}


# The longest string or blob a served query may build (SQLITE_LIMIT_LENGTH on every connection): twice the
# largest page the crawler downloads, so every stored value is readable, while no query hands a single
# SQLite step or Python function gigabytes (SQLite's own limit is 1 GB).
MAX_VALUE_BYTES = 2 * DOWNLOAD_MAXSIZE

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """True when `host` is reachable from this machine only: localhost, 127.0.0.0/8, ::1."""
    name = (host or "").strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # another host name, or "" (every interface)
        return False


def sql_allowed(host: str, allow_sql: bool | None) -> bool:
    """Whether visitors may run arbitrary SQL: as asked (--allow-sql / --no-allow-sql), else only when
    served on loopback. The canned queries, tables, facets and search work either way."""
    return is_loopback(host) if allow_sql is None else allow_sql


def database_name(path: str | Path) -> str:
    """The name Datasette gives a database file (its stem): archive.db -> "archive"."""
    return Path(path).stem


def metadata_for(db_name: str = PLACEHOLDER_DB) -> dict:
    """The shipped metadata with its database section keyed by `db_name`, and the search's SQL (storage's).
    A new dict each call (Datasette merges other metadata into what its hook returns)."""
    return json.loads(_metadata_json(db_name))


@functools.lru_cache(maxsize=8)
def _metadata_json(db_name: str) -> str:
    raw = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    meta = copy.deepcopy(raw)
    databases = meta.get("databases", {})
    if PLACEHOLDER_DB in databases:
        queries = databases[PLACEHOLDER_DB]["queries"]
        queries["search"].update(sql=CANNED_SEARCH_SQL, params=list(CANNED_SEARCH_PARAMS))
        queries["search_feed"].update(sql=CANNED_SEARCH_FEED_SQL, params=list(CANNED_SEARCH_PARAMS))
        if db_name != PLACEHOLDER_DB:
            databases[db_name] = databases.pop(PLACEHOLDER_DB)
    if "description_html" in meta:
        meta["description_html"] = meta["description_html"].replace("{db_path}", tilde_encode(db_name))
    return json.dumps(meta, ensure_ascii=False)


def serve_args(db_path: str | Path, host: str, port: int, allow_sql: bool = True) -> list[str]:
    """Arguments for `datasette serve` with the project's settings (see `sql_allowed`); the installed
    plugin brings the rest (metadata, pages, templates)."""
    args = ["serve", str(db_path), "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    if not allow_sql:
        args += ["--setting", "default_allow_sql", "off"]
    return args
