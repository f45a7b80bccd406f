"""The incidents-per-period chart by kind of behaviour (reportlab's own graphics, so it
stays vector)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String

from evidence_app.core.report.fonts import SANS, SANS_BOLD
from evidence_app.core.report.styles import INK, MUTED, RULE

# Kinds of behaviour in the chart: shades of one blue from dark to light and a grey, so
# that they stay apart when printed in black and white.
KIND_SHADES = ["#102a43", "#486581", "#9fb3c8", "#2680c2"]
OTHER_SHADE = "#e4e7eb"


def kinds_chart(periods: list[tuple[str, list[int]]], kinds: list[str], title: str,
                width: float, height: float = 170) -> Drawing:
    """Incidents per week or month, each bar stacked by kind of behaviour, with a key.

    `periods` is (axis label, count per kind) in order; `kinds` names the series.
    """
    from reportlab.graphics.charts.legends import Legend
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    if not periods:
        return drawing
    key_h = 12 * (1 + (len(kinds) - 1) // 3) + 12 if len(kinds) > 1 else 0
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 16 + key_h
    chart.width, chart.height = width - 40, height - 34 - key_h
    chart.data = [[counts[k] for _, counts in periods] for k in range(len(kinds))]
    chart.categoryAxis.style = "stacked"
    shades = [colors.HexColor(KIND_SHADES[k % len(KIND_SHADES)]) for k in range(len(kinds))]
    if kinds and kinds[-1].startswith("Other"):
        shades[-1] = colors.HexColor(OTHER_SHADE)
    for k, shade in enumerate(shades):
        chart.bars[k].fillColor = shade
        chart.bars[k].strokeColor = colors.HexColor("#7b8794")
        chart.bars[k].strokeWidth = 0.4
    totals = [sum(counts) for _, counts in periods]
    top = max(totals) or 1
    step = max(1, -(-top // 5))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * max(1, -(-top // step))
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.visibleGrid = True
    chart.barSpacing = 0
    chart.groupSpacing = 4 if len(periods) < 24 else 1
    every = 1 if len(periods) <= 18 else -(-len(periods) // 18)
    chart.categoryAxis.categoryNames = [label if i % every == 0 else ""
                                        for i, (label, _) in enumerate(periods)]
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    drawing.add(chart)
    drawing.add(String(0, height - 10, title, fontName=SANS_BOLD, fontSize=8.5,
                       fillColor=MUTED))
    if len(kinds) > 1:
        legend = Legend()
        legend.x, legend.y = 30, key_h - 8
        legend.alignment = "right"
        legend.columnMaximum = -(-len(kinds) // 3) if len(kinds) > 3 else 1
        legend.colorNamePairs = list(zip(shades, kinds, strict=True))
        legend.fontName = SANS
        legend.fontSize = 7
        legend.fillColor = INK
        legend.dx = legend.dy = 7
        legend.deltax = (width - 40) / 3
        legend.subCols.minWidth = (width - 40) / 3 - 14
        legend.boxAnchor = "nw"
        legend.strokeColor = None
        drawing.add(legend)
    return drawing
