"""Paging from a listing's first page when the pager links page 1 explicitly (&page=1, &page=2, ...,
no rel=next): the next page is page 2, not page 1 again (which shows nothing new and ends the walk)."""

from .test_navigation import B, _next, _spider


def test_pager_that_links_page_one_explicitly():
    s = _spider()
    html = ('<div class="paging">' + "".join(f'<a href="{B}/cong-doan&page={n}">{n}</a>' for n in range(1, 6))
            + "</div>")
    assert _next(s, f"{B}/cong-doan", html) == [f"{B}/cong-doan&page=2"]
    assert _next(s, f"{B}/cong-doan&page=2", html) == [f"{B}/cong-doan&page=3"]
    assert _next(s, f"{B}/cong-doan&page=1", html) == [f"{B}/cong-doan&page=2"]
    # the same with ?page= and /trang-N, and an offset pager that links offset 0
    html = "".join(f'<a href="{B}/kinh-te?page={n}">{n}</a>' for n in range(1, 4))
    assert _next(s, f"{B}/kinh-te", html) == [f"{B}/kinh-te?page=2"]
    html = "".join(f'<a href="{B}/kinh-te/trang-{n}.html">{n}</a>' for n in range(1, 4))
    assert _next(s, f"{B}/kinh-te", html) == [f"{B}/kinh-te/trang-2.html"]
    html = "".join(f'<a href="{B}/thoi-su&s_cond=&BRSR={n}">{n // 10 + 1}</a>' for n in (0, 10, 20))
    assert _next(s, f"{B}/thoi-su", html) == [f"{B}/thoi-su&s_cond=&BRSR=10"]
    # a full walk asks for every page but page 1 again
    s.full_walk = True
    html = "".join(f'<a href="{B}/cong-doan&page={n}">{n}</a>' for n in range(1, 4))
    assert sorted(_next(s, f"{B}/cong-doan", html)) == [f"{B}/cong-doan&page=2", f"{B}/cong-doan&page=3"]
