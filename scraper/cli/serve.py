"""ldtd serve: the archive in Datasette, with the project's configuration (scraper.datasette.config)."""

from __future__ import annotations

import errno
import signal
import socket
import subprocess
import sys
from pathlib import Path

import click

from scraper.storage import read
from scraper.storage.archive import Archive
from scraper.storage.usable import UnusableArchive

from .options import check_archive, db_option
from .output import echo


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _check_port(host: str, port: int) -> None:
    """Fail before announcing anything when Datasette could not listen on host:port (the port is taken,
    or the address is not one of this machine's). Bound as uvicorn binds (SO_REUSEADDR), then released."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot serve on {host}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"port {port} on {host} is already in use (another `ldtd serve`?): pass --port N,"
                    f" or --port 0 for any free port") from None
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _pending_migrations(db_path: Path) -> list[str]:
    db = read.open_readonly(db_path)
    try:
        return read.pending_migrations(db)
    finally:
        db.close()


def upgrade_if_older(db_path: Path) -> None:
    """Bring an archive made by an older ldtd to this version's schema before serving it (its pages read
    views and columns the older one lacks), as a crawl would: under the crawl lock, in one transaction.
    One clear line and exit status 1 when that cannot happen now (a crawl holds the lock, the file is
    read-only)."""
    pending = _pending_migrations(db_path)
    if not pending:
        return
    # (imported here: the crawl lock lives with the crawl, whose modules load Scrapy)
    from scraper.crawl.run import ArchiveLocked, crawl_lock

    older = f"{db_path} was made by an older ldtd"
    try:
        with crawl_lock(str(db_path)):
            Archive.open(db_path).close()
    except ArchiveLocked:
        raise click.ClickException(f"{older} and a crawl is writing it: serve it once that crawl has"
                                   f" upgraded it (or run `ldtd crawl --db {db_path}` once)") from None
    except (OSError, UnusableArchive, read.StorageFailure) as exc:
        raise click.ClickException(f"{older} and cannot be upgraded here ({exc}): run `ldtd crawl --db"
                                   f" {db_path}` once where it can be written to upgrade it") from None
    echo(f"Upgraded {db_path} to this ldtd's schema ({len(pending)} migration{'s' if len(pending) != 1 else ''})",
         err=True)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port, printed at start).")
@click.option("--allow-sql/--no-allow-sql", default=None,
              help="Let visitors run arbitrary SQL. Default: on for 127.0.0.1/localhost/::1 only.")
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
@db_option
def serve(host, port, allow_sql, datasette_args, db_path):
    """Browse the archive in Datasette with the project's configuration (read-only).

    The articles as a reader's list (headline, date, category, author, lead; a published-date
    range), search with or without diacritics, article pages with body, images, related links and
    previous/next in the category, facets on category, author and month, Atom feeds, charts at
    /-/ldtd/charts. Safe to run while a crawl writes the archive. An archive made by an older ldtd
    is upgraded first (under the crawl lock). Plain `datasette archive.db` shows the same pages
    (the plugin is installed with ldtd), without these settings: time limits, no facet
    suggestions, arbitrary SQL on loopback only. Served beyond this machine (--host other than 127.0.0.1, localhost or ::1), visitors
    cannot run arbitrary SQL unless --allow-sql says so; tables, facets, search and the canned
    queries work either way. Extra arguments are passed to `datasette serve` (after --).

    \b
    Examples:
      ldtd serve --db archive.db --port 8001
      ldtd serve --host 0.0.0.0 --port 8001        # on the network, without arbitrary SQL
      ldtd serve -- --setting sql_time_limit_ms 5000
    """
    check_archive(db_path)
    upgrade_if_older(db_path)
    # (imported here, not at the top: the configuration loads Datasette, which no other command needs)
    from scraper.datasette import config

    if port == 0:
        port = _free_port(host)
    else:
        _check_port(host, port)
    sql = config.sql_allowed(host, allow_sql)
    args = [sys.executable, "-m", "datasette", *config.serve_args(db_path, host, port, allow_sql=sql),
            *datasette_args]
    echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    if not sql:
        echo("Arbitrary SQL is off" + ("" if allow_sql is False else
                                       f" ({host} is reachable beyond this machine; --allow-sql turns it on)"),
             err=True)
    proc = subprocess.Popen(args)
    forward = lambda signum, frame: proc.send_signal(signum)
    signal.signal(signal.SIGTERM, forward)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        code = proc.wait()
    sys.exit(code if code and code > 0 else 0)


COMMANDS = [serve]
