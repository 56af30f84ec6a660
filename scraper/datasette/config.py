"""The project's Datasette configuration: metadata, plugins, templates and static files, in one place.

Used by `ldtd serve` (which runs a real `datasette serve` process with these options) and by the tests
(`Datasette([path], metadata=metadata_for(name), plugins_dir=PLUGINS_DIR, template_dir=TEMPLATES_DIR)`).
"""

from __future__ import annotations

import copy
import ipaddress
import json
from pathlib import Path

import yaml
from datasette.utils import tilde_encode

from scraper.settings import DOWNLOAD_MAXSIZE
from scraper.storage.read import CANNED_SEARCH_SQL

HERE = Path(__file__).resolve().parent
METADATA_FILE = HERE / "metadata.yaml"
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
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
    """The shipped metadata with its database section keyed by `db_name`, and the search's SQL (storage's)."""
    raw = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    meta = copy.deepcopy(raw)
    databases = meta.get("databases", {})
    if PLACEHOLDER_DB in databases:
        databases[PLACEHOLDER_DB]["queries"]["search"]["sql"] = CANNED_SEARCH_SQL
        if db_name != PLACEHOLDER_DB:
            databases[db_name] = databases.pop(PLACEHOLDER_DB)
    if "description_html" in meta:
        meta["description_html"] = meta["description_html"].replace("{db_path}", tilde_encode(db_name))
    return meta


def write_metadata(db_name: str, target: str | Path) -> Path:
    target = Path(target)
    target.write_text(json.dumps(metadata_for(db_name), ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def serve_args(db_path: str | Path, metadata_path: str | Path, host: str, port: int,
               allow_sql: bool = True) -> list[str]:
    """Arguments for `datasette serve` with the project's configuration (see `sql_allowed`)."""
    args = [
        "serve", str(db_path),
        "--host", host,
        "--port", str(port),
        "--metadata", str(metadata_path),
        "--plugins-dir", str(PLUGINS_DIR),
        "--template-dir", str(TEMPLATES_DIR),
    ]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    if not allow_sql:
        args += ["--setting", "default_allow_sql", "off"]
    return args
