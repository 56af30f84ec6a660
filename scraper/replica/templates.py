"""HTML templates of the replica: MasterCMS 2026 (the reference page's), MasterCMS 2023, the 2020
template, listing pages, and a redesign. Plain string building, deterministic.

Every article renderer returns (html, related) where related is the list of
(block, [(url, title), ...]) in document order: the expected record's `related` comes from it,
not from parsing the page.
"""

from __future__ import annotations

import hashlib
import html
import json
import re

from .content import BASE, CAT_NAME, TOP_CATEGORIES, Art, subcategories, tag_url

E = lambda s: html.escape(s or "", quote=False)  # noqa: E731
A = lambda s: html.escape(s or "", quote=True)  # noqa: E731

SITE_NAME = "Lao Động Thủ Đô - Cơ quan của Liên đoàn Lao động thành phố Hà Nội"
V = "?v=2.620260424125520"
THEME = "/modules/frontend/themes/ldtd"
PLACEHOLDER = f"{BASE}{THEME}/images/no-image.png"
_MARK = re.compile(r"(\*\*.+?\*\*|__.+?__|\[\[.+?\]\])")


# ---------------------------------------------------------------- inline text
def inline_html(text: str, mode: str = "page") -> str:
    """Marked-up text as page HTML (mode "page"), canonical body_html ("clean"), or plain text ("text")."""
    out = []
    for part in _MARK.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**"):
            inner = part[2:-2]
            out.append(inner if mode == "text" else f"<strong>{E(inner)}</strong>")
        elif part.startswith("__") and part.endswith("__"):
            inner = part[2:-2]
            out.append(inner if mode == "text" else f"<em>{E(inner)}</em>")
        elif part.startswith("[[") and part.endswith("]]"):
            kw = part[2:-2]
            if mode == "text":
                out.append(kw)
            elif mode == "clean":
                out.append(f'<a href="{A(tag_url(kw))}">{E(kw)}</a>')
            else:
                out.append(f'<a class="__MB_LINK_IN_ARTICLE" href="{A(tag_url(kw))}" title="{A(kw)}">{E(kw)}</a>')
        else:
            out.append(part if mode == "text" else E(part))
    return "".join(out)


def vtime(a: Art) -> tuple[str, str]:
    return a.date.strftime("%H:%M"), a.date.strftime("%d/%m/%Y")


def iso(dt) -> str:
    return dt.isoformat()


# ---------------------------------------------------------------- page chrome
def head(title: str, *, desc: str = "", url: str = "", keywords: list | None = None, image: str = "",
         article: Art | None = None, rss: str = "", extra: str = "", jsonld: list | None = None,
         prefix: str = " | Lao Động Thủ Đô", og_title: str | None = None, updated_meta: bool = True,
         rel_next: str = "", rel_prev: str = "") -> str:
    kw = ",".join(keywords or [])
    h = [f"<title>{E(title)}{E(prefix)}</title>",
         '<meta name="google" content="notranslate">',
         '<meta http-equiv="content-language" content="vi" />',
         f'<meta name="description" content="{A(desc)}" />',
         f'<meta name="keywords" content="{A(kw)}" />',
         f'<meta name="news_keywords" content="{A(kw)}" />',
         '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />',
         '<meta name="robots" content="index,follow,max-image-preview:large">',
         f'<meta name="copyright" content="Copyright (c) by {BASE}/" />',
         '<meta name="author" content="Lao Động Thủ Đô" />',
         '<meta property="fb:app_id" content="1547540628876392" />',
         '<meta property="og:locale" content="vi_VN" />',
         f'<meta property="og:type" content="{"article" if article else "website"}" />',
         f'<meta property="og:url" content="{A(url)}" />',
         f'<meta property="og:site_name" content="{A(SITE_NAME)}" />',
         f'<meta property="og:title" content="{A(og_title if og_title is not None else title)}" />',
         f'<meta property="og:description" content="{A(desc)}" />']
    if image:
        h += [f'<meta property="og:image" content="{A(image)}" />',
              '<meta property="og:image:width" content="1200" />',
              '<meta property="og:image:height" content="630" />']
    if article is not None:
        h += [f'<meta property="article:section" content="{A(article.cat_name)}" />',
              f'<meta property="article:tag" content="{A(kw)}" />',
              f'<meta property="article:published_time" content="{iso(article.date)}" />']
        if updated_meta:
            h.append(f'<meta property="og:updated_time" content="{iso(article.modified or article.date)}" />')
    h += ['<meta name="viewport" content="width=device-width" />',
          f'<link rel="canonical" href="{A(url)}" />',
          f'<link rel="alternate" href="{A(url)}" hreflang="vi-vn"/>']
    if rel_prev:
        h.append(f'<link rel="prev" href="{A(rel_prev)}" />')
    if rel_next:
        h.append(f'<link rel="next" href="{A(rel_next)}" />')
    if rss:
        h.append(f'<link rel="alternate" type="application/rss+xml" title="RSS Feed for {A(title)}" href="{A(rss)}" />')
    h += [f'<link rel="icon" type="image/png" sizes="32x32" href="{THEME}/images/favicon/favicon-32x32.png{V}" />',
          '<script async src="https://www.googletagmanager.com/gtag/js?id=G-LDTD2026X1"></script>',
          "<script>\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){dataLayer.push(arguments);}\n"
          "  gtag('js', new Date());\n  gtag('config', 'G-LDTD2026X1');\n</script>"]
    org = {"@context": "https://schema.org", "@type": "Organization", "name": "Lao Động Thủ Đô",
           "url": f"{BASE}/", "logo": f"{BASE}{THEME}/images/logo.png"}
    for obj in [org, *(jsonld or [])]:
        h.append('<script type="application/ld+json">\n' + json.dumps(obj, ensure_ascii=False, indent=4) + "\n</script>")
    h += [f'<link href="{THEME}/css/fontawesome/css/fontawesome-all.min.css{V}" charset="UTF-8" type="text/css" rel="stylesheet" media="all" />',
          f'<link href="{THEME}/css/style.css{V}" charset="UTF-8" type="text/css" rel="stylesheet" media="all" />',
          f'<script src="{THEME}/js/mastercms-ultimate-edition.js{V}"></script>',
          f'<script src="{THEME}/js/lazyload.min.js"></script>',
          f'<script src="{THEME}/js/jquery.easy-ticker.js"></script>',
          f'<link href="{THEME}/css/css_mastercms_article_style_controler.css{V}" charset="UTF-8" type="text/css" rel="stylesheet" media="all" />',
          "<script>\n    var isMobile = /(android|iphone|ipad|mobile)/i.test(navigator.userAgent);\n"
          "    $(document).ready(function(e) { $(\"img.mastercms_lazyload\").lazyload(); "
          "if (isMobile) { $('.mobile-button').show(); } });\n</script>"]
    return "\n".join(h) + extra


def breadcrumb_ld(cat: str) -> dict:
    items, parts = [], cat.split("/")
    for i in range(len(parts)):
        c = "/".join(parts[: i + 1])
        items.append({"@type": "ListItem", "position": i + 1, "name": CAT_NAME[c], "item": f"{BASE}/{c}"})
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def header(ticker: list[Art], active: str = "") -> str:
    tick = "\n".join(f'                <li><a href="{A(a.url)}" title="{A(a.title)}">{E(a.title)}</a></li>'
                     for a in ticker[:5])
    menu = []
    for top in TOP_CATEGORIES:
        subs = "".join(f'\n                    <li class="sub-cat{" active" if active == s else ""}">'
                       f'<a href="{BASE}/{s}" title="{A(CAT_NAME[s])}">{E(CAT_NAME[s])}</a></li>'
                       for s in subcategories(top))
        act = " active" if active.split("/")[0] == top else ""
        menu.append(f'            <li class="cat{act}">\n                <a href="{BASE}/{top}" title="{A(CAT_NAME[top])}">'
                    f'{E(CAT_NAME[top])}</a>\n                <ul class="sub-menu">{subs}\n                </ul>\n            </li>')
    return f"""<span class="backTop"></span>
    <div class="webpage pc-detail">
<header id="header" class="fw clearfix">
    <div class="header-top fw clearfix">
        <div class="siteCenter clearfix">
            <div class="lt">
                <span class="hna-system-date">Hôm nay: <span style="text-transform: capitalize;">Thứ ba 24/11/2026</span></span>
            </div>
            <div class="rt">
                <form id="frmSearch" action="{BASE}/search_enginer.html?p=tim-kiem" name="frmSearch">
                    <input type="text" onkeypress="return enter_search_q(event);" name="q" value="" placeholder="Nhập từ khóa tìm kiếm" />
                    <button type="submit" name="submit" value="" onclick="return submit_search_q();"></button>
                </form>
            </div>
        </div>
    </div>
    <div class="header-logo fw clearfix">
        <div class="siteCenter clearfix">
            <div class="hna-heading-logo lt">
                <a class="logo" href="{BASE}/" title="{A(SITE_NAME)}"><img src="{THEME}/images/logo.png{V}" height="90" alt="Lao Động Thủ Đô" /></a>
            </div>
            <div class="banner banner-header rt"><a href="{BASE}/adsfw/1/0/MTI=&amp;mode=default&amp;zone=qc-header-pc" class="__ads_click" target=_blank><img border=0 src="{BASE}/stores/ads_data/2026/102026/01/08/banner-header20261001080000.jpg" alt="quang-cao-header" width="728" height="90"/></a></div>
        </div>
    </div>
    <div class="header-ticker fw clearfix">
        <div class="siteCenter clearfix">
            <span class="ticker-label">Dòng sự kiện</span>
            <div class="hna-ticker"><ul>
{tick}
            </ul></div>
        </div>
    </div>
</header>
<nav id="nav" class="fw clearfix">
    <div class="siteCenter clearfix">
        <ul class="main-menu f3 clearfix">
            <li class="cat cat-homepage"><a href="{BASE}/" title="{A(SITE_NAME)}"><i class="fa fa-home"></i></a></li>
{chr(10).join(menu)}
        </ul>
    </div>
</nav>"""


def footer() -> str:
    return f"""<footer id="footer" class="fw clearfix">
    <div class="footer-menu fw lt clearfix"><div class="siteCenter clearfix">
        {" ".join(f'<a href="{BASE}/{c}">{E(CAT_NAME[c])}</a>' for c in TOP_CATEGORIES)}
    </div></div>
    <div class="footer-info fw lt clearfix">
        <div class="siteCenter clearfix">
            <div class="footer-left lt">
                <a href="{BASE}/" title="{A(SITE_NAME)}"><img src="{THEME}/images/logo-footer.png{V}" width="240" alt="" /></a>
            </div>
            <div class="footer-center lt">
                <p><strong>BÁO LAO ĐỘNG THỦ ĐÔ</strong> - Cơ quan của Liên đoàn Lao động thành phố Hà Nội</p>
                <p>Tổng Biên tập: <span class="f4">Nguyễn Văn Bắc</span></p>
                <p>Giấy phép số 61/GP-BTTTT do Bộ Thông tin và Truyền thông cấp.</p>
                <p>Tòa soạn: 51 Quán Sứ, phường Cửa Nam, Hà Nội. Điện thoại: 024.39421740</p>
                <p>Email: <span class="f4">toasoan@laodongthudo.vn</span></p>
            </div>
            <div class="footer-right rt">
                <p>Ghi rõ nguồn "Lao Động Thủ Đô" khi phát hành lại thông tin từ website này.</p>
                <a class="hna-icon-social hna-icon-facebook" href="https://www.facebook.com/laodongthudo" target="_blank" rel="nofollow"></a>
                <a class="hna-icon-social hna-icon-youtube" href="https://www.youtube.com/@laodongthudo" target="_blank" rel="nofollow"></a>
                <a class="hna-icon-social hna-icon-rss" href="{BASE}/rss/home.rss" target="_blank"></a>
            </div>
        </div>
    </div>
    <div class="footer-mastercms fw lt"><div class="siteCenter clearfix">
        <a href="https://mastercms.org" target="_blank" rel="noopener">Based on MasterCMS Ultimate Edition v2.9 2024</a>
    </div></div>
</footer>
</div>
<a class="mobile-button" href="{BASE}/&amp;mobile=yes" title="Phiên bản di động">Phiên bản di động</a>"""


def page(head_html: str, body_html: str, comment: str = "") -> str:
    return (f"<!-- {BASE}/ BASED ON MASTERCMS ULTIMATE EDITION VERSION 2.9 (BUILD: {V}) PRODUCT SOLUTION HTTPS://MASTERCMS.ORG -->\n"
            f'<!DOCTYPE html>\n<html translate="no" lang="vi">\n<head>\n{head_html}\n</head>\n<body>\n{body_html}\n</body>\n</html>'
            f"<!-- High Performance Turbo V8 III By MasterCMS Framework!! https://mastercms.org{comment} -->\n")


def banner(zone: str, n: int, cls: str = "banner clearfix") -> str:
    return (f'<div class="{cls}">\n    <a href="{BASE}/adsfw/1/0/{n:02d}=&amp;mode=default&amp;zone={zone}" class="__ads_click" target=_blank>'
            f'<img border=0 src="{BASE}/stores/ads_data/2026/092026/15/10/{zone}-{n}.jpg" alt="{zone}" style="vertical-align:middle;" width="300" height="250"/></a></div>')


def card(a: Art, tag: str = "h3", show_img: bool = True, info: bool = True) -> str:
    t, d = vtime(a)
    meta = (f'    <p class="article-info">\n        <span class="article-date"><span class="format_time">{t}</span> | <span class="format_date">{d}</span></span>\n'
            f'        <a class="article-cat" href="{A(a.cat_url)}">{E(a.cat_name)}</a>\n    </p>\n') if info else ""
    img = (f'\n    <a class="article-image" href="{A(a.url)}" title="{A(a.title)}">\n'
           f'        <img src="{A(thumb(a))}" alt="{A(a.title)}" class="mastercms_lazyload">\n    </a>') if show_img else ""
    return (f'<div class="article">{img}\n    <{tag} class="article-title">\n        <a class="article-link f0" href="{A(a.url)}" title="{A(a.title)}">{E(a.title)}</a>\n'
            f'    </{tag}>\n{meta}'
            f'    <div class="article-desc">{E(a.sapo)}</div>\n</div>')


def thumb(a: Art) -> str:
    for b in a.blocks:
        if b.kind == "img":
            return b.url.replace("/news_dataimages/", "/news_dataimages/medium/", 1) if "/croped/" not in b.url else b.url
    return f"{BASE}/stores/news_dataimages/{a.date:%Y}/{a.date:%m%Y}/{a.date:%d}/medium/thumb-{a.id}.jpg"


def bx_cat(heading: str, arts: list[Art], extra_cls: str = "", link: str = "") -> str:
    head_link = (f'<a class="bx-cat-link" href="{A(link)}">{E(heading)}</a>' if link
                 else f'<span class="bx-cat-link">{E(heading)}</span>')
    items = "\n".join(card(a) for a in arts)
    return (f'<div class="bx-cat bx-cat-type-5 lt clearfix{extra_cls}">\n    <div class="bx-cat-title fw lt mb2">\n'
            f'        <h2 class="bx-cat-name f2 lt">{head_link}</h2>\n    </div>\n'
            f'    <div class="bx-cat-content fw lt">\n{items}\n    </div>\n</div>')


def sidebar(popular: list[Art], with_lists: bool = True) -> tuple[str, list]:
    parts = [banner("qc-right-top-pc", 21)]
    related = []
    if with_lists and popular:
        parts.append(bx_cat("Xem nhiều", popular, " bx-cat-most-view"))
        related.append(("Xem nhiều", [(a.url, a.title) for a in popular]))
    parts += [banner("qc-col-right-banner-xuyen-trang-pc", 99, "banner fw clearfix"),
              banner("qc-col-right-2-pc", 47, "banner fw clearfix")]
    return "\n".join(parts), related


# ---------------------------------------------------------------- article body
def figure_table(b, lazy: bool) -> str:
    if lazy:
        img = (f'<img src="{PLACEHOLDER}" data-src="{A(b.url)}" class="__img_mastercms mastercms_lazyload" alt="{A(b.alt)}" '
               f'style="max-width:100%; padding:0px; margin:0px;" title="{A(b.alt)}">')
    else:
        img = (f'<img  src="{A(b.url)}" class="__img_mastercms" alt="{A(b.alt)}" '
               f'style="max-width:100%; padding:0px; margin:0px;" title="{A(b.alt)}">')
    cap = f"<em>{E(b.text)}</em>" if b.text else ""
    return (f'<table class="MASTERCMS_TPL_TABLE" style="width: 100%;">  \t<tbody>  \t\t<tr>  \t\t\t<td>{img}</td>  \t\t</tr>  '
            f'\t\t<tr>  \t\t\t<td>{cap}</td>  \t\t</tr>  \t</tbody>  </table>')


def body_blocks(a: Art, *, lazy: bool, inline_box: str = "", pcls: str = ' class="normalPara" style="text-align: justify;"',
                sep: str = "    ") -> str:
    out = []
    if a.opt("inline") == "top" and inline_box:
        out.append(inline_box)
    for b in a.blocks:
        if b.kind == "p":
            out.append(f"<p{pcls}>{inline_html(b.text)}</p>")
        elif b.kind in ("h2", "h3"):
            out.append(f"<{b.kind}>{inline_html(b.text)}</{b.kind}>")
        elif b.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "quote":
            out.append(f'<blockquote class="quote"><p>{inline_html(b.text)}</p></blockquote>')
        elif b.kind == "img":
            out.append(figure_table(b, lazy))
        elif b.kind == "video":
            out.append(f'<div class="__mb_video_embed" style="text-align: center;"><video src="{A(b.url)}" controls="controls" '
                       f'width="640" height="360" poster="{A(thumb(a))}"></video></div>')
        elif b.kind == "iframe":
            out.append(f'<p style="text-align: center;"><iframe width="640" height="360" src="{A(b.url)}" frameborder="0" allowfullscreen></iframe></p>')
        elif b.kind == "inline" and a.opt("inline") == "middle" and inline_box:
            out.append(inline_box)
    return sep.join(out)


def box_mb_article_a(arts: list[Art]) -> str:
    links = " ".join(f'<a href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a>' for x in arts)
    return f'<table class="__MB_ARTICLE_A">  \t<tbody>  \t\t<tr>  \t\t\t<td align="left">{links}</td>  \t\t</tr>  \t</tbody>  </table>'


def share(a: Art) -> str:
    pop = "javascript:window.open(this.href, '', 'menubar=no,toolbar=no,resizable=yes,scrollbars=yes,height=600,width=600');return false;"
    return f"""<div class="article-button-share">
    <a class="btn-share btn-facebook" href="https://www.facebook.com/sharer/sharer.php?u={A(a.url)}" onclick="{pop}" rel="nofollow" target="_blank"><i class="fab fa-facebook-f"></i></a>
    <a class="btn-share btn-twitter" onclick="{pop}" href="https://twitter.com/share?url={A(a.url)}" rel="nofollow" target="_blank"><i class="fab fa-twitter"></i></a>
    <a class="btn-share btn-zalo" href="https://sp.zalo.me/share_inline?url={A(a.url)}" rel="nofollow" target="_blank">Zalo</a>
    <a class="btn-share btn-print" onclick="{pop}" href="{BASE}/apicenter@/print_article&amp;i={a.id}" rel="nofollow" target="_blank"><i class="fa fa-print"></i></a>
</div>"""


def tags_html(a: Art) -> str:
    links = "\n".join(f'        <a class="f5" href="{A(tag_url(t))}" title="{A(t)}">{E(t)}</a>' for t in a.tags)
    return (f'<div class="article-tag fw lt mb clearfix">\n    <span class="f4 mb">Tags:</span>\n    <div class="article-keyword">\n'
            f'{links}\n    </div>\n</div>')


def comments(a: Art) -> str:
    return (f'<div style="display: none;">\n    <iframe rel="nofollow" src="{BASE}/widgets@/article_statistic&amp;aid={a.id}" width="0" height="0" data-nosnippet></iframe>\n'
            f'    <input type="hidden" name="__printURL" value="{A(a.url)}" />\n</div>\n'
            f'<div id="user-comment" class="category fw lt mb3 clearfix">\n    <div class="bx-cat-title"><h2 class="bx-cat-name">Bình luận</h2></div>\n'
            f'    <div class="__API_WIDGET" data-type="user_comments" data-url="{BASE}/apicenter@/user_comments&amp;tpl_gui=tpl_member_comments_file_2&amp;sidinfo={a.id}"></div>\n</div>')


def article_jsonld(a: Art) -> dict:
    return {"@context": "https://schema.org", "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": a.url}, "headline": a.title, "description": a.sapo,
            "image": [thumb(a)], "datePublished": iso(a.date), "dateModified": iso(a.modified or a.date),
            "articleSection": a.cat_name, "author": {"@type": "Person", "name": a.author or "Lao Động Thủ Đô"},
            "publisher": {"@type": "Organization", "name": "Lao Động Thủ Đô",
                          "logo": {"@type": "ImageObject", "url": f"{BASE}{THEME}/images/logo.png"}}}


def article_head(a: Art, *, jsonld: bool, updated_meta: bool = True, og_title=None, prefix=" | Lao Động Thủ Đô") -> str:
    lds = [breadcrumb_ld(a.cat)] + ([article_jsonld(a)] if jsonld else [])
    return head(a.title, desc=a.sapo, url=a.url, keywords=a.tags, image=thumb(a), article=a,
                rss=f"{BASE}/rss_feed/{a.cat}", jsonld=lds, updated_meta=updated_meta, og_title=og_title, prefix=prefix)


def breadcrumb_ul(a: Art) -> str:
    parts = a.cat.split("/")
    lis = []
    for i in range(len(parts)):
        c = "/".join(parts[: i + 1])
        lis.append(f'    <li><a class="{"breadcrumb-first f0" if i == 0 else "f1"}" href="{BASE}/{c}" title="{A(CAT_NAME[c])}">{E(CAT_NAME[c])}</a></li>')
    return '<div class="navigation fw clearfix"><div class="siteCenter clearfix">\n<ul class="breadcrumb">\n' + "\n".join(lis) + "\n</ul>\n</div></div>"


def article_2026(a: Art, ctx) -> tuple[str, list]:
    """The reference page's template (suckhoeviet 2026 build), with LĐTĐ's blocks after the body."""
    related = []
    inline_arts = ctx.inline(a)
    box = box_mb_article_a(inline_arts) if inline_arts else ""
    if box:
        related.append(("inline", [(x.url, x.title) for x in inline_arts]))
    lazy = bool(a.opt("lazy"))
    author_pos = a.opt("author_pos", "inside")
    author = f'<div class="article-detail-author f0 clearfix">{E(a.author)}</div>' if a.author else ""
    t, d = vtime(a)
    content = body_blocks(a, lazy=lazy, inline_box=box)
    inside = author if author_pos == "inside" else ""
    after = author if author_pos == "after" else ""
    media_cls = " article-emagazine" if a.media else ""
    main = [f"""<div class="article-detail fw lt mb2 clearfix{media_cls}">
    <div class="article-detail-body fw clearfix">
        <div class="article-detail-grid fw lt clearfix">
            <div class="article-detail-body-left lt">
{share(a)}
            </div>
            <div class="article-detail-body-right rt">
                <span class="article-detail-subtitle f1"></span>
                <h1 class="article-detail-title f0">{E(a.title)}</h1>
                <div class="article-info fw clearfix">
                    <span class="article-date"><span class="format_time">{t}</span> | <span class="format_date">{d}</span></span>
                    <a class="article-cat" href="{A(a.cat_url)}">{E(a.cat_name)}</a>
                    <a class="hna-ico-google-news f3 rt" href="https://news.google.com/publications/laodongthudo" rel="nofollow">Theo dõi Lao Động Thủ Đô trên</a>
                </div>
                <div class="article-detail-desc fw lt f0 clearfix">{E(a.sapo)}</div>
                <div class="__MASTERCMS_CONTENT fw lt f1 mb clearfix">
                    {content}{inside}
                </div>{after}
            </div>
        </div>
    </div>
</div>""",
            '<div class="banner-full fw clearfix">\n<div data-type="_mgwidget" data-widget-id="1802901"></div>\n'
            '<script>(function(w,q){w[q]=w[q]||[];w[q].push(["_mgc.load"])})(window,"_mgq");</script>\n</div>',
            tags_html(a), comments(a)]
    if a.opt("interest", True):
        main.append('<div class="article-detail-interest fw lt mb2 clearfix">\n    <div class="bx-cat-title fw lt mb1">\n'
                    '        <h2 class="bx-cat-name f2"><span class="bx-cat-link">Có thể bạn quan tâm</span></h2>\n    </div>\n'
                    f'    <div class="bx-cat-content fw lt __API_WIDGET" data-type="article_suggest" data-url="{BASE}/apicenter@/article_suggest&amp;aid={a.id}"></div>\n</div>')
    nen = ctx.nenxem(a)
    if nen:
        items = "\n".join(card(x, info=False) for x in nen)
        main.append(f'<div class="article-detail-similar fw lt mb2 clearfix">\n    <div class="bx-cat-title fw lt mb1">\n'
                    f'        <h2 class="bx-cat-name f2"><span class="bx-cat-link">Nên xem</span></h2>\n    </div>\n'
                    f'    <div class="bx-cat-content fw lt">\n{items}\n    </div>\n</div>')
        related.append(("Nên xem", [(x.url, x.title) for x in nen]))
    other = ctx.tinkhac(a)
    if other:
        items = "\n".join(card(x, info=False) for x in other)
        main.append(f'<div class="article-detail-other hna-newsbreak fw lt mb3 clearfix">\n    <div class="bx-cat-title fw lt mb1">\n'
                    f'        <h2 class="bx-cat-name f2"><span class="bx-cat-link">Tin khác</span></h2>\n    </div>\n'
                    f'    <div class="bx-cat-content fw lt mb3">\n{items}\n    </div>\n'
                    f'    <div class="__MB_ARTICLE_PAGING fw lt clearfix">\n        <a href="{A(ctx.more_url(a))}">Xem thêm</a>\n    </div>\n</div>')
        related.append(("Tin khác", [(x.url, x.title) for x in other]))
    side, side_rel = sidebar(ctx.popular(a), with_lists=a.opt("sidebar", True))
    related += side_rel
    body = f"""{header(ctx.ticker, a.cat)}
<main>
{breadcrumb_ul(a)}
<div class="main-body fw lt cleafix">
    <div class="siteCenter clearfix">
        <div class="bx-grid-section fw lt mb3 clearfix">
            <div class="hna-section-left lt">
{chr(10).join(main)}
            </div>
            <div class="hna-section-right rt">
{side}
            </div>
        </div>
    </div>
</div>
</main>
<script>
    $('.navigation .breadcrumb li a').each(function() {{
        var currentCate = $('.article-detail-body-right .article-cat').html();
        if (currentCate.trim() == $(this).html().trim()) {{ $(this).addClass('active'); }}
    }});
</script>
{footer()}"""
    return page(article_head(a, jsonld=bool(a.opt("jsonld"))), body), related


def article_2023(a: Art, ctx) -> tuple[str, list]:
    """Older MasterCMS: related box above the body, #articleBody > #__MB_MASTERCMS_EL_3, related tables at its end."""
    related = []
    inline_arts = ctx.inline(a)
    t, d = vtime(a)
    relate = ""
    inline_rel = []
    if inline_arts:
        links = "\n".join(f'        <li><a class="article-link" href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a></li>' for x in inline_arts)
        relate = f'<div class="article-relate fw lt clearfix">\n    <ul>\n{links}\n    </ul>\n</div>'
        inline_rel += [(x.url, x.title) for x in inline_arts]
    end_boxes = ""
    in_img, embed = ctx.end_tables(a)
    if in_img:
        x = in_img
        end_boxes += (f'<table class="__mb_article_in_image" align="center">  <tbody>  <tr>  <td class="tpl_img"><a href="{A(x.url)}" title="{A(x.title)}">'
                      f'<img src="{A(thumb(x))}" alt="{A(x.title)}" width="120"></a></td>  <td class="tpl_info">'
                      f'<a class="tpl_title" href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a><span class="tpl_desc">{E(x.sapo)}</span></td>  </tr>  </tbody>  </table>')
        inline_rel.append((x.url, x.title))
    if embed:
        links = "".join(f'<li><a href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a></li>' for x in embed)
        end_boxes += (f'<table class="_MB_EMBEDNEWS" align="right" style="width: 40%;">  <tbody>  <tr>  <td><ul>{links}</ul></td>  </tr>  </tbody>  </table>')
        inline_rel += [(x.url, x.title) for x in embed]
    if inline_rel:
        related.append(("inline", inline_rel))
    author_pos = a.opt("author_pos", "inside")
    author = f'<div class="article-detail-author f0 clearfix">{E(a.author)}</div>' if a.author else ""
    content = body_blocks(a, lazy=a.opt("lazy", True), pcls="")
    main = [f"""<div class="article-detail fw lt mb2 clearfix">
    <h1 class="article-detail-title f0">{E(a.title)}</h1>
    <div class="article-info fw clearfix">
        <span class="article-date"><span class="format_time">{t}</span> | <span class="format_date">{d}</span></span>
        <a class="article-cat" href="{A(a.cat_url)}">{E(a.cat_name)}</a>
    </div>
{share(a)}
    <div class="article-detail-desc fw lt f0 clearfix">{E(a.sapo)}</div>
{relate}
    <div class="__MASTERCMS_CONTENT fw lt clearfix">
        <div id="articleBody" itemprop="articleBody"><div id="__MB_MASTERCMS_EL_3" class="__MB_MASTERCMS_EL item-content">
{content}
{banner("qc-giua-bai-viet", 33, "banner banner-inarticle clearfix")}
{end_boxes}
        </div></div>
        {author if author_pos == "inside" else ""}
    </div>
    {author if author_pos == "after" else ""}
</div>""", tags_html(a), comments(a)]
    rel = ctx.tinlienquan(a)
    if rel:
        lis = "\n".join(f'        <li><a class="article-link" href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a> '
                        f'<span class="format_date">{x.date:%d/%m/%Y}</span></li>' for x in rel)
        main.append(f'<div class="article-detail-relate fw lt mb2 clearfix">\n    <div class="bx-cat-title"><h3 class="bx-cat-name">Tin liên quan</h3></div>\n'
                    f'    <ul class="bx-cat-content">\n{lis}\n    </ul>\n</div>')
        related.append(("Tin liên quan", [(x.url, x.title) for x in rel]))
    more = ctx.docthem(a)
    if more:
        items = "\n".join(card(x, show_img=False) for x in more)
        main.append(f'<div class="article-read-more fw lt mb2 clearfix">\n    <div class="bx-cat-title"><h3 class="bx-cat-name">Đọc thêm</h3></div>\n'
                    f'    <div class="bx-cat-content">\n{items}\n    </div>\n</div>')
        related.append(("Đọc thêm", [(x.url, x.title) for x in more]))
    prev, nxt = ctx.prev_next(a)
    pn = []
    if prev:
        pn.append(f'    <div class="article-prev lt"><span>Bài trước đó</span> <a href="{A(prev.url)}" title="{A(prev.title)}">{E(prev.title)}</a></div>')
        related.append(("prev", [(prev.url, prev.title)]))
    if nxt:
        pn.append(f'    <div class="article-next rt"><span>Bài sau đó</span> <a href="{A(nxt.url)}" title="{A(nxt.title)}">{E(nxt.title)}</a></div>')
        related.append(("next", [(nxt.url, nxt.title)]))
    if pn:
        main.append('<div class="article-prev-next fw lt mb2 clearfix">\n' + "\n".join(pn) + "\n</div>")
    side, side_rel = sidebar(ctx.popular(a))
    related += side_rel
    body = f"""{header(ctx.ticker, a.cat)}
<main>
{breadcrumb_ul(a)}
<div class="main-body fw lt cleafix">
    <div class="siteCenter clearfix">
        <div class="hna-section-left lt">
{chr(10).join(main)}
        </div>
        <div class="hna-section-right rt">
{side}
        </div>
    </div>
</div>
</main>
{footer()}"""
    return page(article_head(a, jsonld=bool(a.opt("jsonld"))), body), related


def article_2020(a: Art, ctx) -> tuple[str, list]:
    """The LĐTĐ template of about 2020 (old pages still served by it)."""
    related = []
    wd = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"][a.date.weekday()]
    parts = a.cat.split("/")
    crumbs = [f'<span><a href="{BASE}/" title="Trang chủ"><span>Trang chủ</span></a></span>']
    for i in range(len(parts)):
        c = "/".join(parts[: i + 1])
        crumbs.append(f'<span><a href="{BASE}/{c}" title="{A(CAT_NAME[c])}"><span>{E(CAT_NAME[c])}</span></a></span>')
    body = body_blocks(a, lazy=False, pcls=' style="text-align: justify;"', sep="\n")
    if a.author:
        body += f'\n<p style="text-align: right;"><strong>{E(a.author)}</strong></p>'
    rel = ctx.tinlienquan(a)
    rel_html = ""
    if rel:
        rel_html = ('<div class="list_related">\n<h3 class="title_related">Tin liên quan</h3>\n<ul>\n' +
                    "\n".join(f'<li><a href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a></li>' for x in rel) + "\n</ul>\n</div>")
        related.append(("Tin liên quan", [(x.url, x.title) for x in rel]))
    other = ctx.tinkhac(a)[:5]
    other_html = ""
    if other:
        other_html = ('<div class="other_news">\n<h3 class="title_other">Tin khác</h3>\n<ul>\n' +
                      "\n".join(f'<li><a href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a> <i>({x.date:%d/%m/%Y})</i></li>' for x in other) +
                      "\n</ul>\n</div>")
        related.append(("Tin khác", [(x.url, x.title) for x in other]))
    pop = ctx.popular(a)
    side = ('<div class="box_right box_docnhieu">\n<div class="title_box_right">Đọc nhiều</div>\n<ul>\n' +
            "\n".join(f'<li><a href="{A(x.url)}" title="{A(x.title)}"><img src="{A(thumb(x))}" alt="{A(x.title)}" /></a>'
                      f'<a href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a></li>' for x in pop) + "\n</ul>\n</div>")
    related.append(("Đọc nhiều", [(x.url, x.title) for x in pop]))
    tags = " ".join(f'<a href="{A(tag_url(t))}" title="{A(t)}">{E(t)}</a>' for t in a.tags)
    menu = "\n".join(f'<li><a href="{BASE}/{c}">{E(CAT_NAME[c])}</a></li>' for c in TOP_CATEGORIES)
    html_body = f"""<div id="wrapper">
<div id="header"><div class="logo"><a href="{BASE}/"><img src="/modules/frontend/themes/laodongthudo/images/logo.png" alt="Lao Động Thủ Đô" /></a></div>
<div class="banner banner_top"><img src="{BASE}/stores/ads_data/2020/012020/02/09/banner-top.gif" alt="quang-cao" /></div></div>
<div id="menu"><ul class="menu_main">
<li class="home"><a href="{BASE}/">Trang chủ</a></li>
{menu}
</ul></div>
<div id="content" class="clearfix">
<div class="col_left">
<div class="title_new_nav">{" » ".join(crumbs)}</div>
<div class="content_detail">
<h1 class="title_detail">{E(a.title)}</h1>
<div class="tool"><i>{wd}, {a.date:%d/%m/%Y %H:%M}</i>
<span class="social"><a href="https://www.facebook.com/sharer/sharer.php?u={A(a.url)}" rel="nofollow" target="_blank">Chia sẻ</a> <a href="{BASE}/apicenter@/print_article&amp;i={a.id}" rel="nofollow" target="_blank">In bài</a></span></div>
<div class="sapo_detail">{E(a.sapo)}</div>
<div class="detail_info">
{body}
</div>
<div class="tags"><span>Tags:</span> {tags}</div>
{rel_html}
{other_html}
</div>
</div>
<div class="col_right">
<div class="banner"><img src="{BASE}/stores/ads_data/2020/012020/02/09/banner-right.gif" alt="quang-cao-phai" /></div>
{side}
</div>
</div>
<div id="footer"><p>Báo Lao Động Thủ Đô - Cơ quan của Liên đoàn Lao động thành phố Hà Nội</p>
<p>Tòa soạn: 51 Quán Sứ, Hoàn Kiếm, Hà Nội</p>
<a class="mobile-button" href="{BASE}/&amp;mobile=yes">Phiên bản di động</a></div>
</div>
<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-1234567-1']); _gaq.push(['_trackPageview']);</script>"""
    h = article_head(a, jsonld=False, updated_meta=False, og_title=a.title, prefix="")
    return page(h, html_body), related


ARTICLE_TEMPLATES = {"mastercms-2026": article_2026, "mastercms-2023": article_2023, "ldtd-2020": article_2020}


# ---------------------------------------------------------------- redesign
def article_redesign(a: Art, ctx) -> tuple[str, list]:
    """A new site template: every class and id renamed, sidebar on the left, related box moved after the body."""
    related = []
    pop = ctx.popular(a)
    rail = ""
    if pop:
        rail = ('<aside class="kx-rail">\n<section class="kx-panel"><h4 class="kx-panel__h">Xem nhiều</h4>\n<ol>\n' +
                "\n".join(f'<li><a href="{A(x.url)}">{E(x.title)}</a></li>' for x in pop) + "\n</ol></section>\n</aside>")
        related.append(("Xem nhiều", [(x.url, x.title) for x in pop]))
    blocks = []
    for b in a.blocks:
        if b.kind == "p":
            txt = inline_html(b.text).replace('class="__MB_LINK_IN_ARTICLE"', 'class="kx-kw"')
            blocks.append(f"<p>{txt}</p>")
        elif b.kind in ("h2", "h3"):
            blocks.append(f"<{b.kind} class=\"kx-sub\">{inline_html(b.text)}</{b.kind}>")
        elif b.kind == "ul":
            blocks.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "quote":
            blocks.append(f"<blockquote><p>{inline_html(b.text)}</p></blockquote>")
        elif b.kind == "img":
            cap = f"<figcaption>{E(b.text)}</figcaption>" if b.text else ""
            blocks.append(f'<figure class="kx-figure"><img src="{A(b.url)}" alt="{A(b.alt)}" loading="lazy">{cap}</figure>')
        elif b.kind == "video":
            blocks.append(f'<figure class="kx-media"><video src="{A(b.url)}" controls></video></figure>')
        elif b.kind == "iframe":
            blocks.append(f'<div class="kx-embed"><iframe src="{A(b.url)}" allowfullscreen></iframe></div>')
    inline_arts = ctx.inline(a)
    after = []
    if inline_arts:
        after.append('<section class="kx-more"><h4>Tin liên quan</h4><ul>' +
                     "".join(f'<li><a href="{A(x.url)}">{E(x.title)}</a></li>' for x in inline_arts) + "</ul></section>")
        related.append(("Tin liên quan", [(x.url, x.title) for x in inline_arts]))
    nen = ctx.nenxem(a) or ctx.docthem(a)
    if nen:
        after.append('<section class="kx-more kx-more--grid"><h4>Nên xem</h4>' +
                     "".join(f'<div class="kx-tile"><a href="{A(x.url)}"><img src="{A(thumb(x))}" alt=""></a>'
                             f'<h5><a href="{A(x.url)}">{E(x.title)}</a></h5><p>{E(x.sapo)}</p></div>' for x in nen) + "</section>")
        related.append(("Nên xem", [(x.url, x.title) for x in nen]))
    t, d = vtime(a)
    menu = " ".join(f'<a href="{BASE}/{c}">{E(CAT_NAME[c])}</a>' for c in TOP_CATEGORIES)
    body = f"""<div class="kx-top"><a class="kx-brand" href="{BASE}/">Lao Động Thủ Đô</a><nav class="kx-menu">{menu}</nav></div>
<div class="kx-layout">
{rail}
<article class="kx-story">
<div class="kx-crumbs"><a href="{BASE}/{a.top}">{E(CAT_NAME[a.top])}</a>{f' / <a href="{A(a.cat_url)}">{E(a.cat_name)}</a>' if "/" in a.cat else ""}</div>
<h1 class="kx-headline">{E(a.title)}</h1>
<div class="kx-meta"><time datetime="{iso(a.date)}">{t} - {d}</time></div>
<p class="kx-lead"><b>{E(a.sapo)}</b></p>
<div class="kx-text">
{chr(10).join(blocks)}
</div>
<footer class="kx-byline">{E(a.author or "")}</footer>
<div class="kx-topics">{" ".join(f'<a href="{A(tag_url(x))}">#{E(x)}</a>' for x in a.tags)}</div>
{chr(10).join(after)}
<div class="kx-ad" data-slot="below-article"></div>
</article>
</div>
<div class="kx-bottom"><p>© Báo Lao Động Thủ Đô</p><a href="{BASE}/&amp;mobile=yes">Phiên bản di động</a></div>
<script>window.kx = {{ page: "article", id: {a.id} }};</script>"""
    h = head(a.title, desc=a.sapo, url=a.url, keywords=a.tags, image=thumb(a), article=a, rss=f"{BASE}/rss_feed/{a.cat}")
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n{h}\n</head>\n<body class="kx">\n{body}\n</body>\n</html>\n'), related


# ---------------------------------------------------------------- listings, tags, print, 404
def listing_2020(arts: list[Art]) -> str:
    items = []
    for x in arts:
        items.append(f'<div class="list_news clearfix">\n<div class="list_news_img"><a href="{A(x.url)}" title="{A(x.title)}">'
                     f'<img src="{A(thumb(x))}" alt="{A(x.title)}" /></a></div>\n<div class="list_news_title">\n'
                     f'<h2><a href="{A(x.url)}" title="{A(x.title)}">{E(x.title)}</a></h2>\n<p>{E(x.sapo)}</p>\n</div>\n</div>')
    return '<div class="col_category">\n' + "\n".join(items) + "\n</div>"


def listing_2026(arts: list[Art]) -> str:
    return ('<div class="bx-cat bx-cat-list fw lt clearfix">\n<div class="bx-cat-content fw lt">\n' +
            "\n".join(card(x) for x in arts) + "\n</div>\n</div>")


def listing_page(*, title: str, url: str, rss: str, active: str, ctx, arts: list[Art], style: str,
                 paging_html: str, rel_next: str = "", rel_prev: str = "", featured: str = "", redesign: bool = False,
                 slim: bool = False) -> str:
    if slim:
        items = "\n".join(f'<div class="article"><h3 class="article-title"><a class="article-link" href="{A(x.url)}" title="{A(x.title)}">'
                          f'{E(x.title)}</a></h3><div class="article-desc">{E(x.sapo)}</div></div>' for x in arts)
        return page(f'<title>{E(title)} | Lao Động Thủ Đô</title>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
                    f'<meta name="robots" content="noindex,follow">\n<link rel="canonical" href="{A(url)}" />',
                    f'<div class="webpage pc-tag"><header id="header"><a class="logo" href="{BASE}/">Lao Động Thủ Đô</a></header>\n'
                    f'<div class="bx-cat-title"><h1 class="bx-cat-name">{E(title)}</h1></div>\n<div class="bx-cat-content">\n{items}\n</div>\n'
                    f'<footer id="footer"><a class="mobile-button" href="{BASE}/&amp;mobile=yes">Phiên bản di động</a></footer></div>')
    if redesign:
        items = "\n".join(f'<article class="kx-item"><h3><a href="{A(x.url)}">{E(x.title)}</a></h3><p>{E(x.sapo)}</p></article>' for x in arts)
        h = head(title, desc=f"Tin tức {title}", url=url, rss=rss, rel_next=rel_next, rel_prev=rel_prev)
        menu = " ".join(f'<a href="{BASE}/{c}">{E(CAT_NAME[c])}</a>' for c in TOP_CATEGORIES)
        return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n{h}\n</head>\n<body class="kx">\n'
                f'<div class="kx-top"><a class="kx-brand" href="{BASE}/">Lao Động Thủ Đô</a><nav class="kx-menu">{menu}</nav></div>\n'
                f'<main class="kx-list"><h1>{E(title)}</h1>\n{featured}{items}\n<nav class="kx-pager">{paging_html}</nav></main>\n</body>\n</html>\n')
    listing = listing_2020(arts) if style == "paging" else listing_2026(arts)
    subnav = ""
    top = active.split("/")[0] if active else ""
    if top and subcategories(top):
        subnav = ('<ul class="bx-cat-sub">' + "".join(f'<li><a href="{BASE}/{s}">{E(CAT_NAME[s])}</a></li>' for s in subcategories(top)) + "</ul>")
    side, _ = sidebar(ctx.popular(None))
    body = f"""{header(ctx.ticker, active)}
<main>
<div class="main-body fw lt cleafix">
    <div class="siteCenter clearfix">
        <div class="hna-section-left lt">
            <div class="bx-cat-title fw lt mb2"><h1 class="bx-cat-name f2"><a class="bx-cat-link" href="{A(url.split('&')[0])}">{E(title)}</a></h1>{subnav}</div>
{featured}
{listing}
{paging_html}
        </div>
        <div class="hna-section-right rt">
{side}
        </div>
    </div>
</div>
</main>
{footer()}"""
    return page(head(title, desc=f"Tin tức {title} mới nhất", url=url, rss=rss, rel_next=rel_next, rel_prev=rel_prev), body)


def print_page(a: Art) -> str:
    blocks = []
    for b in a.blocks:
        if b.kind == "p":
            blocks.append(f"<p>{inline_html(b.text)}</p>")
        elif b.kind in ("h2", "h3"):
            blocks.append(f"<{b.kind}>{inline_html(b.text)}</{b.kind}>")
        elif b.kind == "ul":
            blocks.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "quote":
            blocks.append(f"<blockquote><p>{inline_html(b.text)}</p></blockquote>")
        elif b.kind == "img":
            blocks.append(f'<table class="MASTERCMS_TPL_TABLE"><tr><td><img src="{A(b.url)}" alt="{A(b.alt)}"></td></tr><tr><td>{E(b.text)}</td></tr></table>')
    t, d = vtime(a)
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f'<title>{E(a.title)}</title>\n<meta name="robots" content="noindex,nofollow" />\n<link rel="canonical" href="{A(a.url)}" />\n'
            f'<script>window.onload = function() {{ window.print(); }};</script>\n</head>\n<body class="print-article">\n'
            f'<div class="print-logo"><img src="{THEME}/images/logo.png" alt="Lao Động Thủ Đô" /></div>\n'
            f'<h1 class="article-detail-title">{E(a.title)}</h1>\n<div class="article-date">{t} | {d}</div>\n'
            f'<div class="article-detail-desc">{E(a.sapo)}</div>\n<div class="__MASTERCMS_CONTENT">\n' + "\n".join(blocks) +
            f'\n</div>\n<div class="article-detail-author">{E(a.author or "")}</div>\n<p class="print-source">Nguồn: {A(a.url)}</p>\n</body>\n</html>\n')


def not_found_page(ctx) -> str:
    body = f"""{header(ctx.ticker)}
<main>
<div class="main-body fw lt cleafix"><div class="siteCenter clearfix">
    <div class="page-404 fw lt clearfix">
        <h1 class="title-404">404</h1>
        <p class="desc-404">Trang bạn tìm kiếm không tồn tại hoặc đã bị xóa.</p>
        <a class="btn-home" href="{BASE}/">Quay về trang chủ</a>
    </div>
</div></div>
</main>
{footer()}"""
    return page(head("Không tìm thấy trang", url=f"{BASE}/trang-bao-loi"), body)


def stable_pick(seed: str, arts: list[Art], n: int) -> list[Art]:
    return sorted(arts, key=lambda x: hashlib.md5(f"{seed}-{x.id}".encode()).hexdigest())[:n]
