"""Every route is served over HTTP with its status, type and length; state switching and the 404 page."""

import http.client

import pytest

from scraper.replica.server import ReplicaServer

from .conftest import STATES, routes


def _get(srv, path, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request(method, path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp, body


@pytest.mark.parametrize("state", STATES)
def test_every_route_is_served(state):
    with ReplicaServer(state) as srv:
        for path, r in routes(state).items():
            if path == "*":
                continue
            resp, body = _get(srv, path)
            assert resp.status == r["status"], path
            assert resp.getheader("Content-Type") == r["content_type"], path
            assert int(resp.getheader("Content-Length")) == len(body), path
            if r.get("location"):
                assert resp.getheader("Location") == srv.base_url + r["location"][len("https://laodongthudo.vn"):]
            elif r["content_type"].startswith("text/html"):
                assert body.decode("utf-8").lstrip().lower().startswith(("<!doctype", "<!--")), path
        assert len(srv.requests) == len(routes(state)) - 1


def test_unknown_path_query_form_head_and_state_switch():
    with ReplicaServer("base") as srv:
        resp, body = _get(srv, "/khong-co-trang-nay-999999.html")
        assert resp.status == 404 and "không tồn tại".encode() in body
        a, body_a = _get(srv, "/thoi-su&s_cond=&BRSR=2")
        b, body_b = _get(srv, "/thoi-su?s_cond=&BRSR=2")
        assert a.status == b.status == 200 and body_a == body_b
        resp, body = _get(srv, "/", method="HEAD")
        assert resp.status == 200 and body == b"" and int(resp.getheader("Content-Length")) > 1000
        port = srv.port
        deleted = "/thu-giu-hon-2-tan-noi-tang-dong-vat-khong-ro-nguon-goc-203010.html"
        assert _get(srv, deleted)[0].status == 200
        srv.set_state("day2")
        assert srv.port == port and _get(srv, deleted)[0].status == 404
        assert srv.requests[-1] == ("GET", deleted, 404)


def test_cli_module_imports():
    from scraper.replica import server
    assert callable(server.main)
