"""The images store beside the archive: ``<archive>.images/ab/abcdef….jpg``, each file named by the
SHA-256 of its bytes (its first two hex digits as a folder, so no folder grows past a few thousand
files), written once and never overwritten: an image the site replaces under the same URL keeps its
old bytes, and the new ones get a file of their own. The `images` rows name their file by `sha256`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

# extensions for what the site serves (mimetypes' own answer for image/jpeg varies between Pythons)
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
               "image/svg+xml": ".svg", "image/avif": ".avif", "image/bmp": ".bmp"}
_DEFAULT_TYPE = "application/octet-stream"


def store_dir(db_path: str | os.PathLike) -> Path:
    """Where an archive's images are kept: beside it."""
    return Path(f"{os.fspath(db_path)}.images")


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header ("image/jpeg; x=y" -> "image/jpeg")."""
    return (content_type or "").split(";", 1)[0].strip().lower() or _DEFAULT_TYPE


def extension(content_type: str | None, url: str = "") -> str:
    """The file extension for a content type, else the URL's, else ".bin"."""
    kind = media_type(content_type)
    ext = _EXTENSIONS.get(kind) or mimetypes.guess_extension(kind) or ""
    if not ext or kind == _DEFAULT_TYPE:
        guessed = mimetypes.guess_type(url.split("?", 1)[0])[0]
        ext = _EXTENSIONS.get(guessed or "") or (mimetypes.guess_extension(guessed) if guessed else "") or ".bin"
    return ext


def relative_path(sha256: str, content_type: str | None, url: str = "") -> str:
    """A file's place in the store, relative to it: "ab/abcdef….jpg"."""
    return f"{sha256[:2]}/{sha256}{extension(content_type, url)}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(store: Path, relative: str, data: bytes) -> bool:
    """Write ``data`` at ``relative`` unless a file is there already (same name, same bytes: it is named by
    their hash); written to a temporary file and renamed, so a crash never leaves half a file under a
    hash. True when it was written now."""
    path = store / relative
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def find(store: Path, sha256: str) -> Path | None:
    """The stored file with this hash, or None (also for anything that is not a hash)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        return None
    folder = store / sha256[:2]
    if not folder.is_dir():
        return None
    for path in folder.glob(f"{sha256}.*"):
        return path
    return None


def file_type(path: Path) -> str:
    """The content type a stored file is served with (from its extension, chosen from the type it was
    served with)."""
    for kind, ext in _EXTENSIONS.items():
        if path.suffix == ext:
            return kind
    return mimetypes.guess_type(path.name)[0] or _DEFAULT_TYPE


@dataclass
class StoreSize:
    files: int = 0
    bytes: int = 0


def size(store: Path) -> StoreSize:
    """How many files the store holds and their bytes (temporary files of a write in progress left out)."""
    out = StoreSize()
    if not store.is_dir():
        return out
    for folder in os.scandir(store):
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder.path):
            if entry.is_file() and not entry.name.startswith("."):
                out.files += 1
                out.bytes += entry.stat().st_size
    return out
