import http.client
import json
from pathlib import Path

import pytest

from scraper.replica.server import ReplicaServer

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "scraper" / "replica" / "site"
EXPECTED = REPO / "tests" / "fixtures" / "expected"
STATES = ("base", "day2", "redesign")


def routes(state: str) -> dict:
    return json.loads((SITE / state / "routes.json").read_text(encoding="utf-8"))


def page_bytes(state: str, path: str) -> bytes:
    return (SITE / routes(state)[path]["file"]).read_bytes()


@pytest.fixture(scope="session")
def server():
    with ReplicaServer("base") as srv:
        yield srv


def get(srv, path: str, **headers):
    """(response, body) of one GET to a replica server, with request headers (If-None-Match=...)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp, body
