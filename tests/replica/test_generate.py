"""The committed replica is exactly what the generator writes."""

from scraper.replica.generate import generate

from .conftest import EXPECTED, SITE, STATES


def _files(root):
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def test_regenerating_gives_byte_identical_output(tmp_path):
    generate(tmp_path / "site", tmp_path / "expected")
    for state in STATES:
        for committed_root, fresh_root in ((SITE / state, tmp_path / "site" / state),
                                           (EXPECTED / state, tmp_path / "expected" / state)):
            committed, fresh = _files(committed_root), _files(fresh_root)
            assert sorted(committed) == sorted(fresh), f"file sets differ under {committed_root}"
            changed = [name for name in fresh if fresh[name].read_bytes() != committed[name].read_bytes()]
            assert not changed, f"{len(changed)} files differ, e.g. {changed[:3]}: run python -m scraper.replica.generate"
