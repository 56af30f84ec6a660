"""ldtd serve: the archive in Datasette, with the project's configuration (scraper.datasette.config)."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import click

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

    Search with or without diacritics, article pages with body, images and related links, facets on
    category, author and month, charts at /-/ldtd/charts. Safe to run while a crawl writes the
    archive. Served beyond this machine (--host other than 127.0.0.1, localhost or ::1), visitors
    cannot run arbitrary SQL unless --allow-sql says so; tables, facets, search and the canned
    queries work either way. Extra arguments are passed to `datasette serve` (after --).

    \b
    Examples:
      ldtd serve --db archive.db --port 8001
      ldtd serve --host 0.0.0.0 --port 8001        # on the network, without arbitrary SQL
      ldtd serve -- --setting sql_time_limit_ms 5000
    """
    check_archive(db_path)
    # (imported here, not at the top: the configuration loads Datasette, which no other command needs)
    from scraper.datasette import config

    if port == 0:
        port = _free_port(host)
    else:
        _check_port(host, port)
    tmpdir = tempfile.mkdtemp(prefix="ldtd-serve-")
    metadata = config.write_metadata(config.database_name(db_path), Path(tmpdir) / "metadata.json")
    sql = config.sql_allowed(host, allow_sql)
    args = [sys.executable, "-m", "datasette", *config.serve_args(db_path, metadata, host, port, allow_sql=sql),
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
    finally:
        try:
            os.remove(metadata)
            os.rmdir(tmpdir)
        except OSError:
            pass
    sys.exit(code if code and code > 0 else 0)


COMMANDS = [serve]
