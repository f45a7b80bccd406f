"""What every page says about itself: which incident it continues, and whether the
copy is private.

A reader who opens the report at a page of exhibits sees "Incident 24 (continued): ..."
above them, as a book's running head would say. A copy holding private notes, the
person's address or photo locations says "PRIVATE COPY - NOT FOR DISCLOSURE" at the top
and the bottom of every page, so a page photocopied on its own still carries the warning.

Zero-size markers placed at the start and end of each incident record, as the pages
are drawn, which incident is in progress; the page's end-of-page hook prints the line
when the page began inside an incident rather than with a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import black, white
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from evidence_app.core.report.fonts import SANS_BOLD, markup
from evidence_app.core.report.paragraph import ScriptParagraph
from evidence_app.core.report.styles import Styles

TITLE_LIMIT = 90  # characters of the title repeated on a continued page
PRIVATE_MARK = "PRIVATE COPY \u2013 NOT FOR DISCLOSURE"


def private_marking(kept_in: list[str]) -> str | None:
    """The words every page of this copy must carry, or None for a copy that may be
    disclosed: `kept_in` is what the copy holds that could endanger the person (private
    notes, the address, photo locations, or the address as typed into the log)."""
    return PRIVATE_MARK if kept_in else None


def draw_marking(canv: Any, text: str, centre: float, baseline: float) -> None:
    """The marking in white capitals on a black band: it survives a photocopy and
    cannot be mistaken for part of the text."""
    size = 8
    width = canv.stringWidth(text, SANS_BOLD, size) + 6 * mm
    canv.saveState()
    canv.setFillColor(black)
    canv.rect(centre - width / 2, baseline - 1.6 * mm, width, size + 1.4 * mm, stroke=0, fill=1)
    canv.setFillColor(white)
    canv.setFont(SANS_BOLD, size)
    canv.drawCentredString(centre, baseline, text)
    canv.restoreState()


@dataclass
class RunningState:
    """What the markers have seen so far in one build."""

    current: tuple[int, str] | None = None  # the incident being drawn
    at_page_start: tuple[int, str] | None = None  # the incident in progress when the page began
    fresh: bool = False  # this page began with a new incident


class IncidentMark(Flowable):
    """Placed first in an incident's record: from here on, that incident is in progress.

    It carries the space between two incidents as its space before, which a
    page's top drops; so a mark at the very top of the page means nothing of the
    previous incident is on it.
    """

    def __init__(self, state: RunningState, incident: tuple[int, str],
                 frame_top: float, space_before: float = 0.0) -> None:
        super().__init__()
        self.state, self.incident, self.frame_top = state, incident, frame_top
        self.spaceBefore = space_before
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        _, y = self.canv.absolutePosition(0, 0)
        if y >= self.frame_top - 0.5:
            self.state.fresh = True
        self.state.current = self.incident


class IncidentEnd(Flowable):
    """Placed after an incident's last exhibit: later pages continue no incident.

    It takes no room and is handled where the frame stands, even when the exhibit above
    filled the page: as an ordinary flowable it would be carried to a page of its own,
    which the next section's page break would then leave blank.
    """

    def __init__(self, state: RunningState) -> None:
        super().__init__()
        self.state = state
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def frameAction(self, frame: Any) -> None:  # noqa: N802 - reportlab's name
        self.state.current = None

    def draw(self) -> None:
        pass


def page_hooks(state: RunningState, st: Styles, frame_top: float, left: float, width: float,
               ) -> tuple[Any, Any]:
    """(on page start, on page end) callbacks for the page template."""
    style = st.muted.clone("continued", fontSize=8, leading=10, spaceAfter=0)
    # The line laid out once per incident, not once per page: an incident over many
    # pages (a long account, a hundred photos) repeats the same words on each.
    lines: dict[tuple[int, str], ScriptParagraph] = {}

    def start(canv: Any, doc: Any) -> None:
        state.at_page_start, state.fresh = state.current, False

    def end(canv: Any, doc: Any) -> None:
        if state.at_page_start is None or state.fresh:
            return
        para = lines.get(state.at_page_start)
        if para is None:
            number, title = state.at_page_start
            if len(title) > TITLE_LIMIT:
                title = title[:TITLE_LIMIT - 1].rstrip() + "\u2026"
            text = (f"<i>Incident {number} (continued)</i>"
                    + (f": {markup(title)}" if title else ""))
            para = lines[state.at_page_start] = ScriptParagraph(text, style,
                                                                keep_alignment=True)
            para.wrap(width, 30)
        para.drawOn(canv, left, frame_top + 2.5 * mm)

    return start, end
