"""The query CLI as a user runs it, in its own process: reading into a closed pipe, serving on a busy port."""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys

import pytest

F_SETPIPE_SZ = 1031  # Linux


def _ldtd(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", *map(str, args)], stderr=subprocess.PIPE, **kw)


@pytest.mark.parametrize("args", [
    ("search", "ha noi", "--limit", "1000"),
    ("search", "ha noi", "--limit", "1000", "--json"),
    ("export",),
    ("export", "--format", "csv"),
    ("stats", "--months", "0"),
])
def test_output_into_a_closed_pipe_ends_quietly_with_status_0(archive, args):
    """`ldtd search … | head -1`: once the reader has gone, the command stops, exit 0, nothing on stderr."""
    r, w = os.pipe()
    try:
        fcntl.fcntl(w, F_SETPIPE_SZ, 4096)  # the smallest pipe, so the output outlasts it
    except OSError:
        pass
    proc = _ldtd(*args, "--db", archive, stdout=w)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        first = reader.readline()
    assert first.strip()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode(errors="replace")
    assert err == b""


def test_serve_on_a_busy_port_says_so_before_announcing_anything(archive):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = _ldtd("serve", "--db", archive, "--port", port, stdout=subprocess.PIPE)
        out, err = proc.communicate(timeout=60)
    err = err.decode()
    assert proc.returncode == 1, err
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port 0" in err
    assert "Serving" not in err and "Traceback" not in err
