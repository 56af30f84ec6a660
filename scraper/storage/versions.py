"""An article's versions, numbered, and a line diff between any two: shared by `ldtd show` and Datasette's
diff page."""

from __future__ import annotations

import difflib
import json
import sqlite3

from sqlite_utils import Database

from .archive import Archive

SQLITE_MAX_INT = (1 << 63) - 1


def storable_id(n: int) -> bool:
    """Whether n fits an SQLite INTEGER: a bigger number cannot be an article id (binding it raises
    OverflowError), so a lookup of it is simply "no such article"."""
    return -SQLITE_MAX_INT - 1 <= n <= SQLITE_MAX_INT


def versions(db: Database | sqlite3.Connection, article_id: int) -> list[dict]:
    """Every state of the article, oldest first, numbered from 1; the last one is the current record
    (empty when there is no such article)."""
    if not isinstance(db, Database):
        db = Database(db)
    if not storable_id(article_id):
        return []
    out = []
    for row in db.query(
        "select id, valid_from, valid_until, record, title, sapo, body, author, published_at, updated_at,"
        " category, url from article_versions where article_id = ? order by valid_from, id",
        [article_id],
    ):
        record = json.loads(row["record"]) if row.get("record") else {k: row[k] for k in row if k != "record"}
        out.append({"version_id": row["id"], "valid_from": row["valid_from"], "valid_until": row["valid_until"],
                    "record": record})
    current = Archive(db).record(article_id)
    if current is None:
        return []
    cur = db.execute("select last_changed_at, first_seen_at from articles where id = ?", [article_id]).fetchone()
    out.append({"version_id": None, "valid_from": cur[0] or cur[1], "valid_until": None, "record": current})
    for n, v in enumerate(out, 1):
        v["number"] = n
    return out


def record_lines(record: dict) -> list[str]:
    """A record as text lines for diffing: fields, then paragraphs, tags, images, related links."""
    lines = []
    for key in ("url", "title", "author", "published_at", "updated_at", "category", "category_url"):
        lines.append(f"{key}: {record.get(key) or ''}")
    lines += ["", "sapo:", record.get("sapo") or "", "", "body:"]
    lines += (record.get("body") or "").split("\n\n")
    lines += ["", "tags: " + ", ".join(record.get("tags") or [])]
    for i in record.get("images") or []:
        lines.append(f"image: {i.get('url')} | {i.get('caption') or ''}")
    for r in record.get("related") or []:
        lines.append(f"related [{r.get('block')} {r.get('position')}]: {r.get('title')} <{r.get('url')}>")
    return lines


class NoSuchVersion(ValueError):
    pass


def pick(all_versions: list[dict], ref: str) -> dict:
    """A version by number (1..N, negative from the end) or by name: current/latest/now, first/oldest."""
    ref = str(ref).strip().lower()
    if ref in ("current", "latest", "now"):
        return all_versions[-1]
    if ref in ("first", "oldest"):
        return all_versions[0]
    try:
        n = int(ref)
    except ValueError:
        raise NoSuchVersion(f"{ref!r}: give a version number (1..{len(all_versions)}) or 'current'") from None
    if n < 0:
        n = len(all_versions) + 1 + n
    if not 1 <= n <= len(all_versions):
        raise NoSuchVersion(f"version {ref} does not exist: this article has versions 1..{len(all_versions)}")
    return all_versions[n - 1]


def label(v: dict) -> str:
    until = f" .. {v['valid_until']}" if v["valid_until"] else ", current"
    return f"version {v['number']} ({v['valid_from'] or '?'}{until})"


def diff(a: dict, b: dict) -> list[str]:
    """Unified diff lines from version a to version b (empty when their content is identical)."""
    return list(difflib.unified_diff(record_lines(a["record"]), record_lines(b["record"]),
                                     fromfile=label(a), tofile=label(b), lineterm=""))
