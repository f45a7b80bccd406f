"""The incidents-per-month bar chart (reportlab's own graphics, so it stays vector)."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String

from evidence_app.core.report.fonts import SANS, SANS_BOLD
from evidence_app.core.report.styles import BAR, INK, MUTED, RULE


def _month_label(month: date, many: bool) -> str:
    if many:
        return f"{month:%b}\n{month:%Y}" if month.month == 1 else f"{month:%b}"
    return f"{month:%b}\n{month:%Y}"


def monthly_chart(months: list[tuple[date, int]], width: float, height: float = 150) -> Drawing:
    """Incidents per month, every month in the period shown (empty months as gaps)."""
    drawing = Drawing(width, height)
    if not months:
        return drawing
    counts = [n for _, n in months]
    top = max(counts)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 34
    chart.width, chart.height = width - 40, height - 52
    chart.data = [counts]
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 4 if len(months) < 24 else 1
    chart.valueAxis.valueMin = 0
    step = max(1, -(-top // 5))
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * max(1, -(-top // step))
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.strokeColor = RULE
    many = len(months) > 12
    # With many months, label every few so the labels never overlap.
    every = 1 if len(months) <= 18 else -(-len(months) // 18)
    chart.categoryAxis.categoryNames = [
        _month_label(m, many) if i % every == 0 or m.month == 1 else ""
        for i, (m, _) in enumerate(months)
    ]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 6.5 if many else 7
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    if len(months) <= 24:
        chart.barLabelFormat = lambda v: str(int(v)) if v else ""
        chart.barLabels.fontName = SANS_BOLD
        chart.barLabels.fontSize = 6.5
        chart.barLabels.fillColor = INK
        chart.barLabels.nudge = 5
    drawing.add(chart)
    drawing.add(String(0, height - 10, "Incidents per month", fontName=SANS_BOLD, fontSize=8.5,
                       fillColor=MUTED))
    return drawing
