"""Inline SVG charts (no JavaScript, nothing loaded from elsewhere): articles per day, per month, per category."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape


def _days_filled(per_day: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every day from the first to the last, zero where nothing was published (gaps stay visible)."""
    counts = {}
    for day, n in per_day:
        try:
            counts[date.fromisoformat(day)] = n
        except (TypeError, ValueError):
            continue
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if (last - first).days > 20_000:  # a broken date would make an absurd axis; show what there is
        return [(d.isoformat(), n) for d, n in sorted(counts.items())]
    out = []
    d = first
    while d <= last:
        out.append((d.isoformat(), counts.get(d, 0)))
        d += timedelta(days=1)
    return out


def day_chart(per_day: list[tuple[str, int]], link=None, height: int = 160) -> str:
    """A column per day; each column has a tooltip and links to that day's articles."""
    days = _days_filled(per_day)
    if not days:
        return '<p class="ldtd-empty">No dated articles yet.</p>'
    peak = max(n for _, n in days) or 1
    bar = 6 if len(days) <= 180 else 2 if len(days) <= 600 else 1
    width = len(days) * bar
    top = 14
    parts = [
        f'<svg class="ldtd-chart ldtd-days" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width + 40}" height="{height + top + 30}" viewBox="0 0 {width + 40} {height + top + 30}">',
        f"<title>Articles per day, {escape(days[0][0])} to {escape(days[-1][0])}</title>",
        f'<text x="0" y="10" class="ldtd-axis">{peak}</text>',
        f'<line x1="30" y1="{top}" x2="{width + 34}" y2="{top}" class="ldtd-grid"/>',
        f'<line x1="30" y1="{top + height}" x2="{width + 34}" y2="{top + height}" class="ldtd-grid"/>',
    ]
    # Ticks at month starts (at year starts when months would be too close), labels where they fit.
    per_month = bar * 30 >= 8
    last_tick, last_label_x = None, -10_000
    for i, (day, n) in enumerate(days):
        x = 32 + i * bar
        h = round(height * n / peak) if n else 0
        tick = day[:7] if per_month else day[:4]
        if tick != last_tick:
            last_tick = tick
            parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + height + 4}" class="ldtd-tick"/>')
            if x - last_label_x >= 56:
                parts.append(f'<text x="{x + 2}" y="{top + height + 16}" class="ldtd-axis">{escape(tick)}</text>')
                last_label_x = x
        if not h:
            continue
        rect = (
            f'<rect x="{x}" y="{top + height - h}" width="{max(bar - 1, 1)}" height="{h}" class="ldtd-bar">'
            f"<title>{escape(day)}: {n} article{'s' if n != 1 else ''}</title></rect>"
        )
        if link:
            rect = f'<a href="{escape(link(day), quote=True)}">{rect}</a>'
        parts.append(rect)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(items: list[tuple[str, int]], link=None, label: str = "", width: int = 260) -> str:
    """Horizontal bars with their labels and counts, one per item, each linking to its articles."""
    if not items:
        return '<p class="ldtd-empty">Nothing to show yet.</p>'
    peak = max(n for _, n in items) or 1
    row = 22
    label_w = 170
    parts = [
        f'<svg class="ldtd-chart ldtd-bars" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{label_w + width + 60}" height="{row * len(items) + 4}" '
        f'viewBox="0 0 {label_w + width + 60} {row * len(items) + 4}" preserveAspectRatio="xMinYMin meet">',
        f"<title>Articles per {escape(label)}</title>",
    ]
    for i, (name, n) in enumerate(items):
        y = i * row + 2
        w = max(1, round(width * n / peak))
        text = escape(str(name))
        group = (
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="ldtd-label">{text}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 6}" class="ldtd-bar">'
            f"<title>{text}: {n}</title></rect>"
            f'<text x="{label_w + w + 6}" y="{y + 15}" class="ldtd-count">{n}</text>'
        )
        if link:
            group = f'<a href="{escape(link(str(name)), quote=True)}">{group}</a>'
        parts.append(group)
    parts.append("</svg>")
    return "".join(parts)
