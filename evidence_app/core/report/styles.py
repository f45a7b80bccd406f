"""Paragraph and table styles: a calm, formal document that reads well on paper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from evidence_app.core.report.fonts import MONO, SANS, SANS_BOLD, SANS_ITALIC, register_fonts
from evidence_app.core.report.options import Paper

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f0f4f8")
ACCENT = colors.HexColor("#243b53")
WARNING = colors.HexColor("#9b2c2c")
WARNING_SHADE = colors.HexColor("#fff5f5")

MARGIN = 20 * mm
HEADER_GAP = 9 * mm  # space above the text frame for the running header


def page_size(paper: Paper) -> tuple[float, float]:
    return LETTER if paper is Paper.LETTER else A4


@dataclass(frozen=True)
class PageGeometry:
    """Where text goes on a page: the body frame's size and its top edge on the page."""

    width: float
    height: float
    top: float
    left: float = MARGIN


def page_geometry(paper: Paper) -> PageGeometry:
    """The body frame of every page (inside the margins, below the running header)."""
    page_w, page_h = page_size(paper)
    return PageGeometry(width=page_w - 2 * MARGIN, height=page_h - 2 * MARGIN - HEADER_GAP,
                        top=page_h - MARGIN - HEADER_GAP)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    head_cell: ParagraphStyle
    mono: ParagraphStyle
    caption: ParagraphStyle
    notice: ParagraphStyle
    recorded: ParagraphStyle
    cell_muted: ParagraphStyle
    warning: ParagraphStyle
    number_cell: ParagraphStyle


def make_styles() -> Styles:
    """The document's paragraph styles (fonts registered on first use)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13.5, textColor=INK,
                          alignment=TA_LEFT, splitLongWords=True, spaceAfter=3)
    return Styles(
        title=ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=24, leading=30,
                             textColor=ACCENT, spaceAfter=6),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=13, leading=18,
                                textColor=MUTED, spaceAfter=14),
        h1=ParagraphStyle("h1", parent=base, fontName=SANS_BOLD, fontSize=15, leading=20,
                          textColor=ACCENT, spaceBefore=4, spaceAfter=8, keepWithNext=True),
        h2=ParagraphStyle("h2", parent=base, fontName=SANS_BOLD, fontSize=11.5, leading=15,
                          textColor=ACCENT, spaceBefore=8, spaceAfter=4, keepWithNext=True),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        muted=ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        label=ParagraphStyle("label", parent=base, fontName=SANS_BOLD, fontSize=8.5,
                             leading=12, textColor=MUTED, spaceAfter=0),
        cell=ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        cell_bold=ParagraphStyle("cell_bold", parent=base, fontName=SANS_BOLD, fontSize=8.5,
                                 leading=11, spaceAfter=0),
        head_cell=ParagraphStyle("head_cell", parent=base, fontName=SANS_BOLD, fontSize=8.5,
                                 leading=11, textColor=colors.white, spaceAfter=0),
        mono=ParagraphStyle("mono", parent=base, fontName=MONO, fontSize=7, leading=9,
                            textColor=MUTED, spaceAfter=0),
        caption=ParagraphStyle("caption", parent=base, fontSize=8.5, leading=11.5,
                               spaceAfter=1),
        notice=ParagraphStyle("notice", parent=base, fontName=SANS_ITALIC, fontSize=8.5,
                              leading=12, textColor=MUTED),
        recorded=ParagraphStyle("recorded", parent=base, fontSize=8.5, leading=11.5,
                                textColor=MUTED, spaceBefore=4),
        cell_muted=ParagraphStyle("cell_muted", parent=base, fontSize=7.5, leading=10,
                                  spaceAfter=0, textColor=MUTED),
        warning=ParagraphStyle("warning", parent=base, textColor=WARNING, spaceAfter=2),
        number_cell=ParagraphStyle("number_cell", parent=base, fontSize=8.5, leading=11,
                                   spaceAfter=0, alignment=TA_RIGHT),
    )


def grid_table(header: bool = True, zebra: bool = True) -> TableStyle:
    """A ruled table with a dark header row and light banding."""
    cmds: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        cmds += [("BACKGROUND", (0, 0), (-1, 0), ACCENT)]
    if zebra:
        cmds += [("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, SHADE])]
    return TableStyle(cmds)


def fields_table() -> TableStyle:
    """Label/value pairs: labels muted on the left, no grid."""
    return TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ])


class ReportTable(Table):
    """A Table whose cells start in the embedded report font, never reportlab's Helvetica.

    Row heights are worked out only as far as the page being filled (reportlab's
    LongTable mode): a long exhibit list or audit trail is no longer measured whole again
    at every page break.
    """

    _longTableOptimize = 1

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        # A row taller than a page (a very long title, a hundred exhibit marks, months of
        # counts beside each other) splits across pages instead of stopping the report.
        kwargs.setdefault("splitInRow", 1)
        super().__init__(data, *args, **kwargs)
        super().setStyle([("FONT", (0, 0), (-1, -1), SANS, 8.5)])
