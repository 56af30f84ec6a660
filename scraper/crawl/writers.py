"""Where the archive is written during a crawl: one protocol (`Writer`), three places.

- `ProcessWriter` (`LDTD_STORE_PROCESS`, default when there is more than one core): parse and store in
  forked processes, so the crawling process only navigates. The crawl's Python work shares one GIL
  with the Scrapy reactor: parsing an article page (~1 ms) and storing it (~1-2 ms of sqlite-utils,
  zlib, FTS) in the reactor's process, even from a writer thread, delays every response the reactor
  has to handle. Raw items (`PageItem`, `FetchFailed`) go through a pipe to a parse process
  (`parse_page`; `LDTD_PARSE_PROCESS`, default on, else the store process parses), which passes them
  on, in order, to the store process: one transaction for what has arrived, at most `LDTD_BATCH_SIZE`
  items, then what the run's record and Scrapy's stats need back to the crawling process. The reactor
  picks the answers up from its event loop (`add_reader`), never blocking on them until the end.
- `ThreadWriter` (`LDTD_WRITER_THREAD`, default on): batches of `LDTD_BATCH_SIZE` from one writer
  thread (SQLite and zlib release the GIL, so storing overlaps the crawl), at most two in flight.
- `InlineWriter`: the same batches in the reactor's thread.

Each writes through `BatchWriter` and hands every written batch's `Written` (counts, failures, stats)
to the pipeline's callback. Crash safety is the same everywhere: a batch is one transaction; a killed
crawl (its process group) loses at most the batches in flight; a store process whose parent died reads
EOF and exits after the batch it is writing. It holds the crawl lock's file too (inherited), so no
other crawl starts while it still writes.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import multiprocessing
import os
import pickle
import select
import signal
import struct
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Protocol

from scraper.items import IMAGE_FILES, FetchFailed, PageItem
from scraper.parsing.article import parse_article  # (loaded here, before the store process forks)
from scraper.parsing.errors import OPEN_END_WARNING, ParseError
from scraper.storage.archive import CONFLICT, INCOMPLETE, Archive
from scraper.storage.runs import Failure
from scraper.urls import article_id

logger = logging.getLogger(__name__)

# failures kept per run with their page (the rest are counted by reason)
MAX_FAILURES_KEPT = 200
# Pipes of 1 MiB (the Linux default cap for unprivileged processes): two batches of ten ~40 KB pages
# fit, so sending a batch does not wait for the child to finish the one before.
PIPE_SIZE = 1 << 20
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


# -- parsing ----------------------------------------------------------------------------------------
def parse_page(body: bytes, url: str):
    """(article, error): parse_article with its documented errors (and any parser bug) turned into a
    reason."""
    try:
        return parse_article(body, url), None
    except ParseError as e:
        return None, f"{type(e).__name__}: {e}"[:300]
    except Exception as e:  # a parser bug must not stop the archive: counted as a failure
        logger.exception("parser crashed on %s", url)
        return None, f"crash {type(e).__name__}: {e}"[:300]


def parse_stats(article, error) -> list[str]:
    """The Scrapy stats one parse adds (counted in the crawling process, wherever it parsed)."""
    if article is not None:
        keys = ["ldtd/parsed"]
        strategy = getattr(getattr(article, "extraction", None), "strategy", None)
        if strategy:
            keys.append(f"ldtd/parsed_by/{strategy}")
        return keys
    return [f"ldtd/parse_failed/{error.split(':', 1)[0].split()[-1]}"]


# -- writing batches ----------------------------------------------------------------------------------
@dataclass
class Written:
    """What writing some batches changed: the run's counts, failures by reason, failures with their page
    (at most MAX_FAILURES_KEPT), and Scrapy stats to add in the crawling process."""

    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)


class BatchWriter:
    """Writes batches of items to the archive and keeps what they changed (`take`): what every `Writer`
    runs where the archive lives."""

    def __init__(self, archive: Archive | None, run_id, since: str | None, parse: bool = False):
        self.archive = archive
        self.run_id = run_id
        self.since = since
        self.parse = parse  # items arrive unparsed (store process): parse them here
        self.written = Written()

    def write(self, items) -> None:
        archive = self.archive
        with archive.batch():
            for item in items:
                if self.parse and not self.prepare(item):
                    continue
                self._store(archive, item)
        self.written.counts["batches"] += 1

    def prepare(self, item) -> bool:
        """Parse an unparsed article page (its stats counted); False when it is not to be stored
        (dated before --since)."""
        if isinstance(item, PageItem) and not item.gone and item.article is None and item.error is None:
            item.article, item.error = parse_page(item.body, item.url)
            self.written.stats.update(parse_stats(item.article, item.error))
            if self.since and item.article is not None and (item.article.published_at or "9") < self.since:
                self.written.stats["ldtd/skipped_before_since"] += 1
                return False
        return True

    def _fail(self, failure: Failure, key: str | None = None) -> None:
        self.written.reasons[key or failure.reason.split(":", 1)[0]] += 1
        if len(self.written.failures) < MAX_FAILURES_KEPT:
            self.written.failures.append(failure)

    def _error(self, url, reason):
        self.written.counts["failed"] += 1
        self._fail(Failure(reason, url=url))

    def _store(self, archive, item):
        counts = self.written.counts
        if isinstance(item, FetchFailed):
            self._error(item.url, f"fetch: {item.reason}")
            return
        article = item.article
        if article is not None and not item.gone and not article.title:
            # a body without its page (a fragment): it parses, but an archive entry needs its headline
            logger.warning("not archived: %s has no title (a body fragment without its page?)", item.url)
            self.written.stats["ldtd/untitled"] += 1
            item.error, item.article = "Untitled: the page has no headline (a body fragment?)", None
        page_id = archive.record_fetch(
            item.url, item.body, status=item.status, headers=item.headers, fetched_at=item.fetched_at,
            article_id=item.article_id, run_id=self.run_id,
        )
        if item.gone:
            target = item.article_id
            if item.requested_url and item.status not in (404, 410):
                # redirected away from any article (e.g. to the home page): the article is gone
                target = article_id(item.requested_url) or target
            if target is not None and archive.mark_gone(target, at=item.fetched_at):
                counts["gone"] += 1
            else:
                counts["gone_unknown"] += 1
            return
        if item.article is None:
            self._error(item.url, f"parse {item.error or 'no article'}")
            return
        # the page says it is another article than its URL's (canonical link, og:url, JSON-LD url): stored
        # as that one only if it is new or its archived text matches; the URL's article is left alone
        named_elsewhere = item.article_id is not None and article.id is not None and article.id != item.article_id
        # no Content-Length, the connection closed, and the page without its end tags: maybe cut
        cut = "partial" in item.meta.get("flags", ()) and OPEN_END_WARNING in article.extraction.warnings
        result = archive.save_article(article, fetched_at=item.fetched_at, page_id=page_id, run_id=self.run_id,
                                      requested_url=item.url if named_elsewhere else None, cut_transfer=cut)
        if result == CONFLICT:
            counts["conflicts"] += 1
            logger.warning("conflict: %s serves article %s, whose archived text differs: nothing written",
                           item.url, article.id)
            self._fail(Failure(f"conflict: the page says it is article {article.id} ({article.url}), whose archived "
                               "text differs: nothing written", url=item.url, article_id=article.id), "conflict")
            return
        if result == INCOMPLETE:
            self._error(item.url, "incomplete: the transfer ended without Content-Length before the page's end "
                                  "tags: the archived copy is kept; refetched next run")
            return
        counts[result] += 1
        if item.meta.get(IMAGE_FILES) and article.id is not None:  # (downloaded by scraper.crawl.images)
            archive.record_image_files(article.id, item.meta[IMAGE_FILES])
        if result == "rejected":
            self._fail(Failure("rejected: would blank an archived record", url=item.url), "rejected")
        if item.requested_url:
            old = article_id(item.requested_url)
            if old is not None and old != item.article.id:
                # an article redirected to another one: the old id is no longer on the site
                if archive.mark_gone(old, at=item.fetched_at):
                    counts["gone"] += 1
                counts["redirected"] += 1

    def take(self) -> Written:
        """What changed since the last take, reset."""
        out, self.written = self.written, Written()
        return out


# -- the protocol -------------------------------------------------------------------------------------
class Writer(Protocol):
    """Stores a run's items wherever the archive is written. `put` queues one (waiting while too much is
    in flight); `flush` blocks until everything put is stored; `close` releases the archive. After a
    failed write (a full disk...) `failure` says why in one line, nothing more is stored and `lost`
    counts the items not stored (the next run fetches them again)."""

    failure: str | None
    lost: int

    async def put(self, item) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


def one_line(error) -> str:
    lines = [line.strip() for line in str(error or "unknown error").splitlines() if line.strip()]
    return (lines[-1] if lines else "unknown error")[:300]


class InlineWriter:
    """Batches of `batch_size` items written in the calling thread (the reactor's)."""

    def __init__(self, db_path: str, run_id, since: str | None, on_written: Callable[[Written], None],
                 batch_size: int = 10):
        self.on_written = on_written
        self.batch_size = batch_size
        self.buffer: list = []
        self.failure: str | None = None
        self.lost = 0
        self.writer = BatchWriter(self._run(Archive.open, db_path, migrate=False), run_id, since)

    def _run(self, fn, *args, **kw):
        return fn(*args, **kw)

    def _write(self, items) -> None:
        if self.failure:
            self.lost += len(items)
            return
        try:
            self.writer.write(items)
        except Exception as e:  # the batch's transaction was rolled back whole
            logger.exception("storing a batch of %d items failed", len(items))
            self.failure = self.failure or one_line(f"{type(e).__module__}.{type(e).__name__}: {e}")
            self.lost += len(items)
            return
        self.on_written(self.writer.take())

    async def put(self, item) -> None:
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            items, self.buffer = self.buffer, []
            await self._put_batch(items)

    async def _put_batch(self, items) -> None:
        self._write(items)

    def flush(self) -> None:
        items, self.buffer = self.buffer, []
        if items:
            self._run(self._write, items)

    def close(self) -> None:
        archive, self.writer.archive = self.writer.archive, None
        if archive is not None:
            self._run(archive.close)


class ThreadWriter(InlineWriter):
    """The same batches from one writer thread (the archive's connection lives there), at most two in
    flight: storing overlaps the crawl."""

    def __init__(self, *args, **kw):
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="ldtd-write")
        self.pending: list = []
        super().__init__(*args, **kw)

    def _run(self, fn, *args, **kw):
        return self.pool.submit(fn, *args, **kw).result()

    async def _put_batch(self, items) -> None:
        self.pending = [f for f in self.pending if not f.done()]
        self.pending.append(self.pool.submit(self._write, items))
        if len(self.pending) > 2:  # back-pressure: never more than two batches waiting
            await asyncio.wrap_future(self.pending[0])

    def flush(self) -> None:
        super().flush()
        for f in self.pending:
            f.result()
        self.pending = []

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.pool.shutdown(wait=True)


# -- the store process ------------------------------------------------------------------------------
def _grow(fd: int) -> None:
    try:
        fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE)
    except OSError:
        pass  # a smaller pipe only means the sender waits a little more


def _write_msg(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("!I", len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks = []
    while n:
        chunk = os.read(fd, min(n, PIPE_SIZE))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _read_msg(fd: int):
    head = _read_exact(fd, 4)
    if head is None:
        raise EOFError
    body = _read_exact(fd, struct.unpack("!I", head)[0])
    if body is None:
        raise EOFError
    return pickle.loads(body)


def _quiet() -> None:
    # Ctrl-C reaches the whole process group: the crawling process shuts down gracefully and sends
    # what it fetched, then closes the queue; a SIGKILL of the group ends every process at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _parser(in_fd: int, out_fd: int, close_fds, since) -> None:
    """The parse process: raw items in, parsed items (and their parse stats) out to the store process,
    in order. EOF (the crawling process is gone) ends it, and with it the store process's input."""
    for fd in close_fds:
        os.close(fd)
    _quiet()
    try:
        prep = BatchWriter(None, None, since, parse=True)
        while True:
            try:
                msg = _read_msg(in_fd)
            except EOFError:
                return
            if msg is None:
                _write_msg(out_fd, None)
                return
            n, items = msg
            kept = [item for item in items if prep.prepare(item)]
            _write_msg(out_fd, ("items", n, kept, prep.take().stats))
    except BaseException:
        try:
            _write_msg(out_fd, ("error", traceback.format_exc()))
        except OSError:
            pass


def _store(req_fd: int, res_fd: int, close_fds, db_path: str, run_id, since, batch_size: int,
           parsed: bool = False) -> None:
    """The store process: items in (raw, or `parsed` by the parse process), one transaction for what
    has arrived, what it changed (`Written`) out to the crawling process."""
    for fd in close_fds:
        os.close(fd)
    _quiet()
    archive = None
    try:
        archive = Archive.open(db_path, migrate=False)
        writer = BatchWriter(archive, run_id, since, parse=not parsed)
        closing = False
        while not closing:
            # one transaction for what has arrived (at most batch_size items): no waiting for a batch
            # to fill while the crawl is busy elsewhere, and no tail of half-full batches at the end
            items, last = [], 0
            try:
                while True:
                    msg = _read_msg(req_fd)
                    if msg is None:
                        closing = True
                        break
                    if parsed:
                        if msg[0] == "error":
                            raise RuntimeError(f"parse process failed:\n{msg[1]}")
                        _tag, last, more, stats = msg
                        writer.written.stats.update(stats)
                    else:
                        last, more = msg
                    items.extend(more)
                    if len(items) >= batch_size or not select.select([req_fd], [], [], 0)[0]:
                        break
            except EOFError:
                closing = True  # the crawling process is gone: store what arrived whole, then stop
            if items or writer.written.stats:
                if items:
                    writer.write(items)
                _write_msg(res_fd, ("done", last, writer.take()))
    except BaseException:
        try:
            _write_msg(res_fd, ("error", traceback.format_exc()))
        except OSError:
            pass
    finally:
        if archive is not None:
            archive.close()


class ProcessWriter:
    """Parse and store in forked processes; this is the crawling process's end of their pipes. `put`
    sends each item at once (waiting, asynchronously, while more than `max_in_flight` are unanswered);
    the store process makes its own transactions of what has arrived, at most `batch_size` items; what
    they changed reaches `on_written` as the answers arrive."""

    def __init__(self, db_path: str, run_id, since: str | None, on_written: Callable[[Written], None],
                 batch_size: int = 10, parse_process: bool = True):
        self.on_written = on_written
        self.max_in_flight = 2 * batch_size
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        ctx = multiprocessing.get_context("fork")
        self.procs = []
        if parse_process:
            # parse and store in two processes, in order: a page is parsed while the previous is stored
            mid_r, mid_w = os.pipe()
            for fd in (req_w, mid_w, res_w):
                _grow(fd)
            self.procs.append(ctx.Process(target=_parser, args=(req_r, mid_w, (req_w, mid_r, res_r, res_w), since),
                                          name="ldtd-parse", daemon=True))
            self.procs.append(ctx.Process(
                target=_store, args=(mid_r, res_w, (req_r, req_w, mid_w, res_r), db_path, run_id, since, batch_size,
                                     True), name="ldtd-store", daemon=True))
            for proc in self.procs:
                proc.start()
            os.close(mid_r)
            os.close(mid_w)
        else:
            for fd in (req_w, res_w):
                _grow(fd)
            self.procs.append(ctx.Process(
                target=_store, args=(req_r, res_w, (req_w, res_r), db_path, run_id, since, batch_size),
                name="ldtd-store", daemon=True))
            self.procs[0].start()
        os.close(req_r)
        os.close(res_w)
        self.req_fd, self.res_fd = req_w, res_r
        self.sent = 0
        self.done = 0
        self.waiters: list = []  # futures of put calls waiting for room
        self.failure: str | None = None
        self.lost = 0
        self.loop = None

    def _fail(self, error: str) -> None:
        if self.failure is None:
            self.failure = one_line(error)
            if "\n" in error.strip():  # the child's traceback
                logger.error("the store process failed:\n%s", error)
        self._unwatch()

    # -- in the reactor ----------------------------------------------------------------------------
    def _watch(self) -> None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self.loop.add_reader(self.res_fd, self._readable)

    def _unwatch(self) -> None:
        if self.loop is not None:
            self.loop.remove_reader(self.res_fd)
            self.loop = None

    def _readable(self) -> None:
        try:
            self._handle(_read_msg(self.res_fd))
        except EOFError:
            self._fail("the store process ended unexpectedly")
        self._wake()

    def _handle(self, msg) -> None:
        if msg[0] == "done":
            self.done = max(self.done, msg[1])
            self.on_written(msg[2])
        elif msg[0] == "error":
            self._fail(msg[1])

    def _wake(self) -> None:
        for fut in self.waiters:
            if (self.sent - self.done < self.max_in_flight or self.failure) and not fut.done():
                fut.set_result(None)
        self.waiters = [f for f in self.waiters if not f.done()]

    def _send(self, items) -> bool:
        if self.failure:
            self.lost += len(items)  # the run is stopping: nothing more can be stored
            return False
        self.sent += 1
        try:
            _write_msg(self.req_fd, (self.sent, items))
        except OSError as e:  # the store process is gone: its last answers say why
            self._unwatch()
            self._collect()
            self._fail(f"the store process ended unexpectedly ({e})")
            self.lost += len(items)
            self.sent -= 1
            return False
        return True

    def _collect(self) -> None:
        """Read the answers left in the pipe until the processes' end (they have stopped)."""
        while self.failure is None:
            try:
                self._handle(_read_msg(self.res_fd))
            except EOFError:
                return

    async def put(self, item) -> None:
        self._watch()
        if not self._send([item]):
            return
        while self.sent - self.done > self.max_in_flight and not self.failure:
            fut = self.loop.create_future()
            self.waiters.append(fut)
            await fut

    def flush(self) -> None:
        """Block until every item sent is stored (the end of the run)."""
        self._unwatch()
        while self.done < self.sent and not self.failure:
            try:
                self._handle(_read_msg(self.res_fd))
            except EOFError:
                self._fail("the store process ended unexpectedly")

    def close(self) -> None:
        """Stop the processes once their queue is done (after `flush()`)."""
        if self.failure:
            self.lost += self.sent - self.done  # sent, never committed
            self.sent = self.done
        if self.req_fd is not None:
            try:
                _write_msg(self.req_fd, None)
            except OSError:
                pass
            os.close(self.req_fd)
            self.req_fd = None
        self._unwatch()
        for proc in self.procs:
            proc.join(timeout=60)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if self.res_fd is not None:
            os.close(self.res_fd)
            self.res_fd = None


WRITERS = {"process": ProcessWriter, "thread": ThreadWriter, "inline": InlineWriter}


def writer_kind(settings) -> str:
    """Where this crawl writes the archive: "process" (LDTD_STORE_PROCESS; "auto": when there is more than
    one core to run it on, and fork exists), else "thread" (LDTD_WRITER_THREAD), else "inline"."""
    value = settings.get("LDTD_STORE_PROCESS")
    if value in (None, "", "auto"):
        process = (os.cpu_count() or 1) > 1
    else:
        process = settings.getbool("LDTD_STORE_PROCESS")
    if process and "fork" in multiprocessing.get_all_start_methods():
        return "process"
    return "thread" if settings.getbool("LDTD_WRITER_THREAD") else "inline"


def open_writer(kind: str, db_path: str, run_id, since: str | None, on_written: Callable[[Written], None],
                batch_size: int = 10, parse_process: bool = True) -> Writer:
    if kind == "process":
        return ProcessWriter(db_path, run_id, since, on_written, batch_size=batch_size, parse_process=parse_process)
    return WRITERS[kind](db_path, run_id, since, on_written, batch_size=batch_size)
