"""The replica server's fault modes on the wire (http.client, no crawler): what each answers."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from scraper.replica import faults as F
from scraper.replica.server import ReplicaServer

from .conftest import path_of

A = path_of(184660)


def get(srv, path, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    conn.request("GET", path)
    resp = conn.getresponse()
    try:
        body = resp.read()
    except http.client.IncompleteRead as e:
        body = e
    conn.close()
    return resp, body


@pytest.fixture
def srv():
    with ReplicaServer("base") as s:
        yield s


def test_status_clears_after_times_and_is_logged(srv):
    spec = F.status(503, times=2)
    srv.add_fault(A, spec)
    assert [get(srv, A)[0].status for _ in range(3)] == [503, 503, 200]
    assert spec.hits == 2 and [s for _m, p, s in srv.requests if p == A] == [503, 503, 200]


def test_key_forms_regex_glob_and_clear(srv):
    srv.add_fault("re:-1846\\d\\d\\.html$", F.status(500))
    assert get(srv, A)[0].status == 500
    srv.clear_faults()
    srv.add_fault("glob:/an-tuong-*", F.status(502))
    assert get(srv, A)[0].status == 502
    assert get(srv, A.replace(".html", ".html?utm=x"))[0].status == 502  # glob on the raw path
    srv.remove_fault("glob:/an-tuong-*")
    assert get(srv, A)[0].status == 200


def test_too_many_enforces_retry_after(srv):
    spec = F.too_many(retry_after=1)
    srv.add_fault(A, spec)
    resp, _ = get(srv, A)
    assert resp.status == 429 and resp.getheader("Retry-After") == "1"
    assert get(srv, A)[0].status == 429 and spec.early == 1  # came back too early
    time.sleep(1.05)
    assert get(srv, A)[0].status == 200


def test_slow_drop_truncate_empty(srv):
    full = get(srv, A)[1]
    srv.add_fault(A, F.slow(0.5, times=1))
    t = time.monotonic()
    assert get(srv, A)[0].status == 200 and time.monotonic() - t >= 0.5
    srv.add_fault(A, F.drop(0.5))
    resp, body = get(srv, A)
    assert int(resp.getheader("Content-Length")) == len(full) and isinstance(body, http.client.IncompleteRead)
    srv.add_fault(A, F.truncate(0.5))
    resp, body = get(srv, A)
    assert int(resp.getheader("Content-Length")) == len(body) == len(full) // 2 and full.startswith(body)
    srv.add_fault(A, F.empty())
    resp, body = get(srv, A)
    assert resp.status == 200 and body == b""


def test_endless_streams_until_the_client_hangs_up(srv):
    srv.add_fault(A, F.endless())
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        s.sendall(f"GET {A} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        got = 0
        while got < 8 * 2**20:
            chunk = s.recv(1 << 16)
            assert chunk
            got += len(chunk)
    assert get(srv, "/robots.txt")[0].status == 200  # the server is fine afterwards


def test_redirects_soft_404_content_types_and_charsets(srv):
    srv.add_fault(A, F.redirect_loop())
    resp, _ = get(srv, A)
    assert resp.status == 302 and resp.getheader("Location") == srv.base_url + A
    srv.add_fault(A, F.soft_404())
    resp, body = get(srv, A)
    assert resp.status == 200 and "không tồn tại".encode() in body
    srv.add_fault(A, F.content_type("application/pdf", F.PDF_BYTES))
    resp, body = get(srv, A)
    assert resp.getheader("Content-Type") == "application/pdf" and body.startswith(b"%PDF")
    srv.add_fault(A, F.charset("text/html; charset=windows-1252", bom=True, strip_meta=True))
    resp, body = get(srv, A)
    assert resp.getheader("Content-Type").endswith("windows-1252")
    assert body.startswith(b"\xef\xbb\xbf") and b"charset=" not in body[:3000].lower()
    srv.add_fault(A, F.charset(None, meta="windows-1252"))
    resp, body = get(srv, A)
    assert resp.getheader("Content-Type") is None and b'<meta charset="windows-1252">' in body
