"""Geometry for the analysis charts. templates/analysis/_charts.html draws them as inline
SVG with presentation attributes only (no <style>, no style="", no script), so the same
chart passes the page's Content-Security-Policy and prints in the PDF report through
WeasyPrint. Each chart carries an accessible name (<title>, aria-labelledby) and the
template puts its numbers in a table beside it.

Hand-written rather than pygal: pygal's SVG relies on an embedded <style> element and
optional JavaScript, which the page CSP blocks when the SVG is inline, and as a separate
<img> it would lose the accessible text and the translated labels in the PDF."""
from dataclasses import dataclass, field

PALETTE = ("#7a1416", "#b4552d", "#d9a441", "#4b7f52", "#2f6690", "#6b4c9a", "#8a8a8a")


@dataclass
class Bar:
    label: str
    value: float
    text: str
    y: float
    width: float
    color: str


@dataclass
class BarChart:
    title: str
    bars: list = field(default_factory=list)
    width: int = 560
    height: int = 0
    label_width: int = 190
    bar_height: int = 18
    plot_width: int = 0


def bar_chart(title: str, items: list[tuple[str, float]], unit: str = "",
              width: int = 560, label_width: int = 190) -> BarChart:
    """Horizontal bars, one per (label, value); values scaled to the largest."""
    chart = BarChart(title=title, width=width, label_width=label_width)
    plot = width - label_width - 70
    chart.plot_width = plot
    top = max((v for _l, v in items if v is not None), default=0) or 1
    y = 4
    for k, (label, value) in enumerate(items):
        v = value or 0
        text = (f"{v:g}{unit}" if isinstance(v, float) else f"{v}{unit}") if value is not None else "—"
        chart.bars.append(Bar(label=str(label), value=v, text=text, y=y,
                              width=round(max(v, 0) / top * plot, 1),
                              color=PALETTE[k % len(PALETTE)] if len(items) <= 7 else PALETTE[0]))
        y += chart.bar_height + 8
    chart.height = y + 4
    return chart


@dataclass
class Column:
    label: str
    x: float
    total: int
    part: int
    total_y: float
    total_h: float
    part_y: float
    part_h: float
    show_label: bool


@dataclass
class ColumnChart:
    title: str
    columns: list = field(default_factory=list)
    width: int = 560
    height: int = 220
    base_y: int = 180
    column_width: float = 0
    ticks: list = field(default_factory=list)
    left: int = 40


def column_chart(title: str, points: list[tuple[str, int, int]], width: int = 560,
                 height: int = 220) -> ColumnChart:
    """Vertical columns for (label, total, part): part (e.g. rejected) drawn darker at the
    foot of its total. Y axis ticks at 0, ½ and the maximum."""
    chart = ColumnChart(title=title, width=width, height=height)
    plot_h = chart.base_y - 14
    plot_w = width - chart.left - 10
    n = max(len(points), 1)
    slot = plot_w / n
    chart.column_width = round(slot * 0.7, 1)
    top = max((t for _l, t, _p in points), default=0) or 1
    # Label every k-th column so that labels never overlap (CJK glyphs are about twice as
    # wide as Latin ones at the chart's font size).
    widest = max((sum(12 if ord(ch) > 0x2E80 else 6.5 for ch in str(label)) + 6
                  for label, _t, _p in points), default=0)
    every = max(1, -(-n // 12), int(-(-widest // slot)) if slot else 1)
    for k, (label, total, part) in enumerate(points):
        th = round(total / top * plot_h, 1)
        ph = round(part / top * plot_h, 1)
        chart.columns.append(Column(
            label=label, x=round(chart.left + k * slot + slot * 0.15, 1), total=total, part=part,
            total_y=round(chart.base_y - th, 1), total_h=th, part_y=round(chart.base_y - ph, 1),
            part_h=ph, show_label=(k % every == 0)))
    chart.ticks = [(0, chart.base_y)]
    if top > 1:
        chart.ticks.append((top // 2, round(chart.base_y - (top // 2) / top * plot_h, 1)))
    chart.ticks.append((top, round(chart.base_y - plot_h, 1)))
    return chart
