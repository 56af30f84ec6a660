"""Crash recovery: `kill -9` a real `ldtd crawl` many times at random moments, and check every time.

    python -m bench.crash_recovery [--kills 30] [--chain 5] [--seed 1] [--json out.json]

Against the replica served on 127.0.0.1 by this process, each crawl in its own subprocess (and
process group: the kill takes its parse workers too):
1. reference: one uninterrupted backfill of the base state;
2. `--kills` times: a backfill into a fresh archive (small batches, a little download delay, so the
   crawl lasts a few seconds) is SIGKILLed at a random moment: one kill in three after a uniform
   random delay in [0.3 s, the crawl's duration] (often during startup and the listing walk), the
   others a random 0-0.3 s after a random number of articles (1 to all but one) is stored, so that
   most kills land among the writes;
   then `PRAGMA integrity_check` and the FTS5 integrity check, then one plain incremental run (what
   cron would start next), then the archive is compared with the reference (articles and their
   content, related links, images, tags, versions) and checked for duplicate rows;
3. `--chain` times in a row on one archive: a run killed at a random moment, each resuming the
   last, then one run to completion, compared likewise.

Prints one line per kill and the totals: kills, of which mid-run (the crawl had not ended), integrity
failures, next runs that failed, archives that differ from the reference. Exit 1 if any check failed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW = {"LDTD_BATCH_SIZE": "2", "DOWNLOAD_DELAY": "0.03", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}


def _helpers():
    sys.path.insert(0, str(ROOT))
    from tests.hardening import conftest as h

    return h


def _duplicates(h, db) -> int:
    n = 0
    for sql in (
        "SELECT 1 FROM related_links GROUP BY article_id, block, position HAVING count(*) > 1",
        "SELECT 1 FROM images GROUP BY article_id, position HAVING count(*) > 1",
        "SELECT 1 FROM article_tags GROUP BY article_id, position HAVING count(*) > 1",
        "SELECT 1 FROM article_versions GROUP BY article_id, content_hash HAVING count(*) > 1",
    ):
        n += len(h.db_rows(db, sql))
    return n


def _spawn(h, db, base_url, *args):
    return subprocess.Popen(h.crawl_cmd(db, base_url, *args, now=h.snapshot_time("base"), settings=SLOW),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _complete(h, db, base_url, workdir, name):
    t = time.monotonic()
    run = h.run_crawl(db, base_url, stats_dir=workdir, name=name)
    return run, time.monotonic() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--chain", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)

    h = _helpers()
    from scraper.replica.server import ReplicaServer

    rng = random.Random(args.seed)
    rows = []
    with tempfile.TemporaryDirectory(prefix="ldtd-crash-") as tmp, ReplicaServer("base") as srv:
        work = Path(tmp)
        reference = work / "reference.db"
        t = time.monotonic()
        proc = _spawn(h, reference, srv.base_url, "--backfill")
        proc.wait()
        slow_duration = time.monotonic() - t
        assert proc.returncode == 0, "the reference crawl failed"
        expected = h.archive_content(reference)
        total = len(expected["articles"])
        print(f"reference: {total} articles, slowed crawl {slow_duration:.1f} s; kills in [0.3, {slow_duration:.1f}] s",
              flush=True)

        def moment(i, already=0):
            if i % 3 == 0:
                return {"seconds": rng.uniform(0.3, slow_duration)}
            step = rng.randint(1, 12) if already else rng.randint(1, total - 1)
            return {"seconds": rng.uniform(0, 0.3), "stored": min(total - 1, already + step)}

        def describe(m):
            return f"{m['seconds']:.2f} s after {m['stored']} stored" if "stored" in m else f"{m['seconds']:.2f} s"

        def check(db, label, delay, killed, stored):
            integ = h.integrity(db) if db.exists() else ("ok", True)
            run, took = _complete(h, db, srv.base_url, work, label)
            equal = h.archive_content(db) == expected
            dups = _duplicates(h, db)
            row = {"label": label, "moment": delay, "mid_run": killed, "articles_at_kill": stored,
                   "integrity": integ[0], "fts_ok": integ[1], "next_rc": run.returncode,
                   "recovery_s": round(took, 1), "equal": equal, "duplicates": dups}
            rows.append(row)
            ok = integ == ("ok", True) and run.returncode == 0 and equal and not dups
            print(f"{label:>10} kill at {describe(delay) if isinstance(delay, dict) else delay:>20}"
                  f" {'mid-run' if killed else 'after end'}"
                  f" ({stored:2d}/{total} stored) integrity={integ[0]} fts={'ok' if integ[1] else 'BAD'}"
                  f" next run rc={run.returncode} in {took:.1f} s, archive {'equal' if equal else 'DIFFERS'}"
                  f"{', %d duplicate groups' % dups if dups else ''}{'' if ok else '  <-- FAILED'}", flush=True)

        for i in range(args.kills):
            db = work / f"kill-{i}.db"
            m = moment(i)
            proc = _spawn(h, db, srv.base_url, "--backfill")
            killed = h.kill_after(proc, db=db, **m)
            check(db, f"kill {i + 1}", m, killed, h.archived_count(db))

        if args.chain:
            db = work / "chain.db"
            moments = []
            for i in range(args.chain):
                m = moment(i + 1, h.archived_count(db))  # each after a few more articles are stored
                proc = _spawn(h, db, srv.base_url, *(("--backfill",) if i == 0 else ()))
                killed = h.kill_after(proc, db=db, **m)
                moments.append(m)
                integ = h.integrity(db) if db.exists() else ("ok", True)
                print(f"     chain kill {i + 1} at {describe(m):>20} {'mid-run' if killed else 'after end'}"
                      f" ({h.archived_count(db)}/{total} stored) integrity={integ[0]} fts={'ok' if integ[1] else 'BAD'}",
                      flush=True)
                if integ != ("ok", True):
                    rows.append({"label": f"chain {i + 1}", "integrity": integ[0], "fts_ok": integ[1]})
            check(db, f"chain x{args.chain}", f"{len(moments)} kills", True, h.archived_count(db))

    kills = [r for r in rows if "next_rc" in r]
    summary = {
        "kills": args.kills + args.chain,
        "checked_recoveries": len(kills),
        "mid_run": sum(1 for r in kills if r["mid_run"]),
        "among_writes": sum(1 for r in kills if 0 < r["articles_at_kill"] < total),
        "integrity_failures": sum(1 for r in rows if r.get("integrity") != "ok" or not r.get("fts_ok", True)),
        "next_run_failures": sum(1 for r in kills if r["next_rc"] != 0),
        "archives_differing": sum(1 for r in kills if not r["equal"]),
        "duplicate_groups": sum(r["duplicates"] for r in kills),
        "median_recovery_s": sorted(r["recovery_s"] for r in kills)[len(kills) // 2] if kills else None,
        "seed": args.seed,
    }
    print(json.dumps(summary))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "runs": rows}, indent=1))
    failed = summary["integrity_failures"] or summary["next_run_failures"] or summary["archives_differing"] \
        or summary["duplicate_groups"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
