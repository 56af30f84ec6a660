"""Serve a state of the replica on 127.0.0.1 from memory.

    with ReplicaServer("base") as srv:
        srv.base_url            # http://127.0.0.1:PORT
        srv.set_state("day2")   # same port, new content
        srv.requests            # [(method, path, status), ...]
        srv.request_times       # [time.monotonic() of each of them, ...] (spacing: crawl delays)

    python -m scraper.replica.server --state base --port 8765

Routing is on the raw request path, as MasterCMS writes it (`/thoi-su&s_cond=&BRSR=3`,
`/apicenter@/print_article&i=1`); `?` in place of the first `&` and percent-encoded forms are
accepted as the same route. Unknown paths get the state's 404 page ("*" in routes.json).
Redirect locations are written canonical (https://laodongthudo.vn/...) in routes.json and sent
rewritten onto this server (`canonical_location=True` sends them as written).

Conditional requests are answered as nginx does: every 200 carries an ETag (a hash of its bytes) and,
when its route gives one (`"last_modified"` in routes.json, an HTTP date), a Last-Modified; a request
whose If-None-Match names that ETag, or (without If-None-Match) whose If-Modified-Since is not before
Last-Modified, gets 304 Not Modified without a body.

Faults (`scraper.replica.faults`): every response is made by `ReplicaServer.resolve()`, then
`respond()` lets the first fault whose key matches the path rewrite or replace it before
`_Handler._send` writes it (5xx, 429 + Retry-After, slow answers, connections dropped mid-body,
truncated or endless bodies, redirect loops, soft 404s, other content types, wrong charsets):

    ReplicaServer("base", faults={"/x-184688.html": faults.status(503, times=2)})
    srv.add_fault("re:-1846\\d\\d\\.html$", faults.truncate()); srv.clear_faults()
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import socket
import struct
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from . import faults as F

SITE_DIR = Path(__file__).resolve().parent / "site"
CANONICAL = "https://laodongthudo.vn"


# The site's uploaded images: every path under it is served a small image of its own (image_bytes)
IMAGE_PREFIX = "/stores/news_dataimages/"


def image_bytes(path: str, width: int = 320, height: int = 200) -> bytes:
    """A small valid PNG, one colour derived from the path (and only from it: the same bytes every time),
    so the replica serves real image bytes without keeping files of them."""
    r, g, b = hashlib.sha256(path.encode("utf-8")).digest()[:3]
    rows = b"".join(b"\x00" + bytes((r, g, b)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    # fault modes (scraper.replica.faults)
    delay: float = 0.0  # seconds slept before the status line
    drop_after: int | None = None  # close the connection after this many body bytes (full Content-Length sent)
    stream: tuple | None = None  # (filler, chunk, cap_bytes): body then filler for ever, no Content-Length


class State:
    """One state's routes with every file loaded in memory."""

    def __init__(self, name: str, site_dir: Path = SITE_DIR):
        self.name = name
        routes = json.loads((site_dir / name / "routes.json").read_text(encoding="utf-8"))
        cache: dict[str, bytes] = {}
        self.routes = {}
        for path, r in routes.items():
            body = b""
            if r.get("file"):
                if r["file"] not in cache:
                    cache[r["file"]] = (site_dir / r["file"]).read_bytes()
                body = cache[r["file"]]
            self.routes[path] = (r, body)

    def lookup(self, raw_path: str):
        for cand in _candidates(raw_path):
            if cand in self.routes:
                return self.routes[cand]
        return None


def _candidates(raw: str):
    raw = raw.split("#", 1)[0]
    seen = []
    for p in (raw, unquote(raw)):
        for q in (p, p.replace("?", "&", 1) if "?" in p else p):
            for r in (q, q.replace("&amp;", "&")):
                if r not in seen:
                    seen.append(r)
                    yield r
    # "/thoi-su/?x" or a trailing slash on a category
    for r in list(seen):
        if r.endswith("/") and len(r) > 1:
            yield r.rstrip("/")


class ReplicaServer:
    def __init__(self, state: str = "base", host: str = "127.0.0.1", port: int = 0, *,
                 site_dir: Path | str = SITE_DIR, canonical_location: bool = False, quiet: bool = True,
                 faults: dict | None = None):
        self.site_dir = Path(site_dir)
        self.host, self.port = host, port
        self.canonical_location = canonical_location
        self.quiet = quiet
        self.requests: list[tuple[str, str, int]] = []
        self.request_times: list[float] = []  # time.monotonic() when each of `requests` arrived
        self._lock = threading.Lock()
        self._states: dict[str, State] = {}
        self.state = self._load(state)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.faults: dict = dict(faults or {})

    # -- faults
    def add_fault(self, key: str, spec) -> "ReplicaServer":
        """Serve `key` (a path, `re:REGEX` or `glob:PATTERN`) with the fault `spec`."""
        with self._lock:
            self.faults[key] = spec
        return self

    def remove_fault(self, key: str) -> None:
        with self._lock:
            self.faults.pop(key, None)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def fault_for(self, raw_path: str):
        with self._lock:
            items = list(self.faults.items())
        if not items:
            return None
        cands = set(_candidates(raw_path))
        for key, spec in items:
            if F.matches(key, raw_path, cands) and spec.take(raw_path):
                return spec
        return None

    # -- state
    def _load(self, name: str) -> State:
        if name not in self._states:
            self._states[name] = State(name, self.site_dir)
        return self._states[name]

    def set_state(self, name: str) -> None:
        st = self._load(name)
        with self._lock:
            self.state = st

    # -- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "ReplicaServer":
        handler = type("Handler", (_Handler,), {"server_ref": self})
        self._httpd = _HTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"replica-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- responses
    def resolve(self, method: str, raw_path: str) -> Response:
        with self._lock:
            st = self.state
        hit = st.lookup(raw_path)
        if hit is None and raw_path.startswith(IMAGE_PREFIX):
            return Response(200, image_bytes(raw_path), {"Content-Type": "image/png"})
        hit = hit or st.routes.get("*")
        if hit is None:
            return Response(404, b"not found", {"Content-Type": "text/plain; charset=utf-8"})
        r, body = hit
        headers = {"Content-Type": r["content_type"]}
        if r.get("last_modified"):
            headers["Last-Modified"] = r["last_modified"]
        if r.get("location"):
            loc = r["location"]
            if not self.canonical_location and loc.startswith(CANONICAL):
                loc = self.base_url + loc[len(CANONICAL):]
            headers["Location"] = loc
        return Response(r["status"], body, headers)

    def respond(self, method: str, raw_path: str) -> Response:
        """resolve(), then the path's fault, if any."""
        resp = self.resolve(method, raw_path)
        spec = self.fault_for(raw_path)
        if spec is not None:
            resp = F.apply(spec, resp, raw_path, self.base_url)
        return resp

    def log(self, method: str, path: str, status: int, at: float | None = None) -> None:
        with self._lock:
            self.requests.append((method, path, status))
            self.request_times.append(time.monotonic() if at is None else at)


def conditional(resp: Response, request_headers) -> Response:
    """A whole 200 with its ETag, or the 304 the request's If-None-Match / If-Modified-Since earns."""
    if resp.status != 200 or resp.stream is not None or resp.drop_after is not None:
        return resp
    etag = resp.headers.get("ETag") or '"%s"' % hashlib.sha1(resp.body).hexdigest()[:20]
    resp = dataclasses.replace(resp, headers={**resp.headers, "ETag": etag})
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        fresh = if_none_match.strip() == "*" or etag in (t.strip() for t in if_none_match.split(","))
    else:
        fresh = _not_after(resp.headers.get("Last-Modified"), request_headers.get("If-Modified-Since"))
    if not fresh:
        return resp
    kept = {k: v for k, v in resp.headers.items() if k in ("ETag", "Last-Modified")}
    return dataclasses.replace(resp, status=304, body=b"", headers=kept)


def _not_after(last_modified: str | None, since: str | None) -> bool:
    if not last_modified or not since:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


class _HTTPServer(ThreadingHTTPServer):
    # a crawler opens many connections at once: the default backlog of 5 drops SYNs (1 s retransmits)
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # a client that hangs up (a killed crawl, a timeout, a size cap) is not the server's error
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server_ref: ReplicaServer
    protocol_version = "HTTP/1.1"
    # headers and body leave in separate writes: with Nagle on, each keep-alive response waited
    # for the client's delayed ACK (40 ms); real servers (nginx tcp_nodelay) do not
    disable_nagle_algorithm = True
    server_version = "nginx"
    sys_version = ""

    def _serve(self, with_body: bool) -> None:
        srv = self.server_ref
        arrived = time.monotonic()
        resp = conditional(srv.respond(self.command, self.path), self.headers)
        srv.log(self.command, self.path, resp.status, at=arrived)
        try:
            self._send(resp, with_body)
        except (BrokenPipeError, ConnectionResetError):  # the client hung up (timeout, size cap)
            self.close_connection = True

    def _send(self, resp: Response, with_body: bool) -> None:
        if resp.delay:
            time.sleep(resp.delay)
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if resp.stream is None:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if not with_body:
            return
        if resp.drop_after is not None:
            self.wfile.write(resp.body[: resp.drop_after])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if resp.body:
            self.wfile.write(resp.body)
        if resp.stream is not None:
            filler, chunk, cap = resp.stream
            block = (filler * (chunk // len(filler) + 1))[:chunk]
            sent = len(resp.body)
            self.close_connection = True
            while sent < cap and self.server_ref._httpd is not None:
                self.wfile.write(block)
                sent += len(block)

    def do_GET(self):  # noqa: N802
        self._serve(True)

    def do_HEAD(self):  # noqa: N802
        self._serve(False)

    def log_message(self, fmt, *args):
        if not self.server_ref.quiet:
            super().log_message(fmt, *args)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Serve the laodongthudo.vn replica.")
    ap.add_argument("--state", default="base")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    srv = ReplicaServer(args.state, args.host, args.port, quiet=not args.verbose).start()
    print(f"replica ({args.state}) on {srv.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
