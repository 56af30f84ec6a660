"""Parse and store in a forked process, so the crawling process only navigates.

The crawl's Python work shares one GIL with the Scrapy reactor: parsing an article page (~1 ms) and
storing it (~1-2 ms of sqlite-utils, zlib, FTS) in the reactor's process, even from a writer thread,
delays every response the reactor has to handle. With `LDTD_STORE_PROCESS` on (default when there
is more than one core), `ArchivePipeline` sends raw items (`PageItem`, `FetchFailed`) through a
pipe to a parse process (`parse_page`; `LDTD_PARSE_PROCESS`, default on, else the store process
parses), which passes them on, in order, to the store process: one transaction for what has
arrived, at most `LDTD_BATCH_SIZE` items (`BatchWriter`, exactly as the writer thread does), then
what the run's record and Scrapy's stats need (counts, errors, parse stats) back to the crawling
process. The reactor picks the answers up from its event loop (`add_reader`), never blocking on
them until the end of the run.

Crash safety is the writer thread's: a batch is one transaction; a killed crawl (its process group)
loses at most the batches in flight; a child whose parent died reads EOF and exits after the batch
it is writing. The child holds the crawl lock's file too (inherited), so no other crawl starts
while it still writes.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import struct
import traceback
from collections import Counter

logger = logging.getLogger(__name__)

# Pipes of 1 MiB (the Linux default cap for unprivileged processes): two batches of ten ~40 KB pages
# fit, so sending a batch does not wait for the child to finish the one before.
PIPE_SIZE = 1 << 20
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


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


class BatchWriter:
    """Writes batches of items to the archive and keeps the run's counts: what `ArchivePipeline` does
    where the archive lives (its writer thread, or the store process)."""

    def __init__(self, archive, run_id, since: str | None, parse: bool = False):
        self.archive = archive
        self.run_id = run_id
        self.since = since
        self.parse = parse  # items arrive unparsed (store process): parse them here
        self.counts: Counter = Counter()
        self.reasons: Counter = Counter()
        self.errors: list[dict] = []
        self.stats: Counter = Counter()  # Scrapy stats to add in the crawling process

    def write(self, items) -> None:
        archive = self.archive
        with archive.batch():
            for item in items:
                if self.parse and not self.prepare(item):
                    continue
                self._store(archive, item)
        self.counts["batches"] += 1

    def prepare(self, item) -> bool:
        """Parse an unparsed article page (its stats counted); False when it is not to be stored
        (dated before --since)."""
        from scraper.items import PageItem
        from scraper.crawl.pipeline import parse_page, parse_stats

        if isinstance(item, PageItem) and not item.gone and item.article is None and item.error is None:
            item.article, item.error = parse_page(item.body, item.url)
            self.stats.update(parse_stats(item.article, item.error))
            if self.since and item.article is not None and (item.article.published_at or "9") < self.since:
                self.stats["ldtd/skipped_before_since"] += 1
                return False
        return True

    def _error(self, url, reason):
        from scraper.crawl.pipeline import MAX_ERRORS_KEPT

        self.counts["failed"] += 1
        key = reason.split(":", 1)[0]
        self.reasons[key] += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"url": url, "reason": reason})

    def _store(self, archive, item):
        from scraper.items import FetchFailed
        from scraper.parsing.errors import OPEN_END_WARNING
        from scraper.crawl.pipeline import MAX_ERRORS_KEPT
        from scraper.storage.archive import CONFLICT, INCOMPLETE

        if isinstance(item, FetchFailed):
            self._error(item.url, f"fetch: {item.reason}")
            return
        article = item.article
        if article is not None and not item.gone and not article.title:
            # a body without its page (a fragment): it parses, but an archive entry needs its headline
            logger.warning("not archived: %s has no title (a body fragment without its page?)", item.url)
            self.stats["ldtd/untitled"] += 1
            item.error, item.article = "Untitled: the page has no headline (a body fragment?)", None
        page_id = archive.record_fetch(
            item.url, item.body, status=item.status, headers=item.headers, fetched_at=item.fetched_at,
            article_id=item.article_id, run_id=self.run_id,
        )
        if item.gone:
            target = item.article_id
            if item.requested_url and item.status not in (404, 410):
                # redirected away from any article (e.g. to the home page): the article is gone
                from scraper.urls import article_id

                target = article_id(item.requested_url) or target
            if target is not None and archive.mark_gone(target, at=item.fetched_at):
                self.counts["gone"] += 1
            else:
                self.counts["gone_unknown"] += 1
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
            self.counts["conflicts"] += 1
            self.reasons["conflict"] += 1
            logger.warning("conflict: %s serves article %s, whose archived text differs: nothing written",
                           item.url, article.id)
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append({"url": item.url, "article_id": article.id, "reason": (
                    f"conflict: the page says it is article {article.id} ({article.url}), whose archived "
                    "text differs: nothing written")})
            return
        if result == INCOMPLETE:
            self._error(item.url, "incomplete: the transfer ended without Content-Length before the page's end "
                                  "tags: the archived copy is kept; refetched next run")
            return
        self.counts[result] += 1
        if result == "rejected":
            self.reasons["rejected"] += 1
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append({"url": item.url, "reason": "rejected: would blank an archived record"})
        if item.requested_url:
            from scraper.urls import article_id

            old = article_id(item.requested_url)
            if old is not None and old != item.article.id:
                # an article redirected to another one: the old id is no longer on the site
                if archive.mark_gone(old, at=item.fetched_at):
                    self.counts["gone"] += 1
                self.counts["redirected"] += 1

    def take(self) -> dict:
        """What changed since the last take (counts, reasons, errors, stats), reset."""
        out = {"counts": self.counts, "reasons": self.reasons, "errors": self.errors, "stats": self.stats}
        self.counts, self.reasons, self.errors, self.stats = Counter(), Counter(), [], Counter()
        return out


def _quiet() -> None:
    import signal

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
        import scraper.parsing  # noqa: F401

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
            _write_msg(out_fd, ("items", n, kept, prep.stats))
            prep.stats = Counter()
    except BaseException:
        try:
            _write_msg(out_fd, ("error", traceback.format_exc()))
        except OSError:
            pass


def _child(req_fd: int, res_fd: int, close_fds, db_path: str, run_id, since, batch_size: int,
           parsed: bool = False) -> None:
    """The store process: items in (raw, or `parsed` by the parse process), one transaction for what
    has arrived, results out to the crawling process."""
    for fd in close_fds:
        os.close(fd)
    import select

    _quiet()
    from scraper.storage.archive import Archive

    archive = None
    try:
        import scraper.parsing  # noqa: F401

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
                        writer.stats.update(stats)
                    else:
                        last, more = msg
                    items.extend(more)
                    if len(items) >= batch_size or not select.select([req_fd], [], [], 0)[0]:
                        break
            except EOFError:
                closing = True  # the crawling process is gone: store what arrived whole, then stop
            if items or writer.stats:
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


class StoreProcess:
    """The crawling process's handle on the store process: `send(items)` (non-blocking while fewer
    than `max_in_flight` messages wait), answers applied by `on_result(dict)` as they arrive. The
    process groups what it receives into transactions of at most `batch_size` items."""

    def __init__(self, db_path: str, run_id, since: str | None, on_result, max_in_flight: int = 20,
                 batch_size: int = 10, parse_process: bool = True):
        import multiprocessing

        self.on_result = on_result
        self.max_in_flight = max_in_flight
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
                target=_child, args=(mid_r, res_w, (req_r, req_w, mid_w, res_r), db_path, run_id, since, batch_size,
                                     True), name="ldtd-store", daemon=True))
            for proc in self.procs:
                proc.start()
            os.close(mid_r)
            os.close(mid_w)
        else:
            for fd in (req_w, res_w):
                _grow(fd)
            self.procs.append(ctx.Process(
                target=_child, args=(req_r, res_w, (req_w, res_r), db_path, run_id, since, batch_size),
                name="ldtd-store", daemon=True))
            self.procs[0].start()
        os.close(req_r)
        os.close(res_w)
        self.req_fd, self.res_fd = req_w, res_r
        self.sent = 0
        self.done = 0
        self.waiters: list = []  # (batch number, future) of process_item calls waiting for room
        self.failure: str | None = None
        self.loop = None

    # -- in the reactor ----------------------------------------------------------------------------
    def _watch(self) -> None:
        if self.loop is None:
            import asyncio

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
            self.failure = self.failure or "the store process ended unexpectedly"
            self._unwatch()
        self._wake()

    def _handle(self, msg) -> None:
        if msg[0] == "done":
            self.done = max(self.done, msg[1])
            self.on_result(msg[2])
        elif msg[0] == "error":
            self.failure = msg[1]
            self._unwatch()

    def _wake(self) -> None:
        for n, fut in list(self.waiters):
            if (self.sent - self.done < self.max_in_flight or self.failure) and not fut.done():
                fut.set_result(None)
        self.waiters = [(n, f) for n, f in self.waiters if not f.done()]

    def _check(self) -> None:
        if self.failure:
            raise RuntimeError(f"store process failed:\n{self.failure}")

    async def send(self, items) -> None:
        """Queue a batch; waits (asynchronously) while too many batches are in flight."""
        self._check()
        self._watch()
        self.sent += 1
        _write_msg(self.req_fd, (self.sent, items))
        while self.sent - self.done > self.max_in_flight and not self.failure:
            fut = self.loop.create_future()
            self.waiters.append((self.sent, fut))
            await fut
        self._check()

    def send_now(self, items) -> None:
        """Queue a batch from synchronous code (at close); `drain()` waits for it."""
        self._check()
        self.sent += 1
        _write_msg(self.req_fd, (self.sent, items))

    def drain(self) -> None:
        """Block until every batch sent is stored (the end of the run)."""
        self._unwatch()
        while self.done < self.sent and not self.failure:
            try:
                self._handle(_read_msg(self.res_fd))
            except EOFError:
                self.failure = "the store process ended unexpectedly"
        self._check()

    def close(self) -> None:
        """Stop the process once its queue is done (after `drain()`)."""
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
