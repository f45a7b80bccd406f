"""Finding one's way in the report on screen: bookmarks (the PDF outline) and links.

Each section and each incident is an outline entry; the chronology's rows, its exhibit
marks and the exhibit list link to where the incident or exhibit is drawn, and each
exhibit's mark links back to its row in the exhibit list. Links are set in a quiet
dark blue with no frame round them (link annotations with a zero-width border), so a
printed page looks as it did before.

Destinations are named (`incident_key`, `exhibit_key`, `listed_key`) and bound to the
page being drawn when their flowable is drawn; `Bookmark` and `ExhibitAnchor` take no
room, so they change no layout.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

LINK_COLOUR = "#1d4f91"  # a dark blue: seen on screen, close to black on paper
OUTLINE_LIMIT = 90  # characters of a title shown in the outline


def incident_key(number: int) -> str:
    """The destination of incident `number` (as numbered in the report)."""
    return f"incident-{number}"


def exhibit_key(serial: int) -> str:
    """The destination of the exhibit whose mark has this serial: where it is drawn."""
    return f"exhibit-{serial}"


def listed_key(serial: int) -> str:
    """The destination of the exhibit's row in the exhibit list."""
    return f"exhibit-list-{serial}"


def link(text: str, key: str) -> str:
    """Paragraph markup: `text` (already markup) as a link to destination `key`."""
    if not text:
        return text
    return f'<a href="#{key}" color="{LINK_COLOUR}">{text}</a>'


def anchor(key: str) -> str:
    """Paragraph markup: destination `key` at this point of the text."""
    return f'<a name="{key}"/>'


def outline_title(text: str, limit: int = OUTLINE_LIMIT) -> str:
    """A title for the outline: one line, not too long."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1].rstrip() + "\u2026"


class Bookmark(Flowable):
    """Where it is drawn: a named destination and, with a title, an outline entry.

    `lift` is how far above its position a viewer shows when it jumps here (the rule
    above an incident's heading); it never goes above the page.
    """

    def __init__(self, key: str, title: str = "", level: int = 0, lift: float = 0.0,
                 closed: bool = False) -> None:
        super().__init__()
        self.key, self.title, self.level, self.lift = key, outline_title(title), level, lift
        self.closed = closed
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv: Any = self.canv
        _, y = canv.absolutePosition(0, 0)
        top = min(float(canv._pagesize[1]), y + self.lift)
        canv.bookmarkPage(self.key, fit="XYZ", top=round(top, 2))
        if self.title:
            canv.addOutlineEntry(self.title, self.key, self.level, closed=self.closed or None)


class ExhibitAnchor(Flowable):
    """First in an exhibit's caption: the exhibit's destination, at its picture's top.

    The caption is drawn below or beside its picture; the canvas remembers the top
    edge of the last picture it drew (`picture_top`), so a viewer jumping here shows the
    picture, not only its caption. An exhibit with no picture is found at its caption.
    """

    def __init__(self, key: str, has_picture: bool) -> None:
        super().__init__()
        self.key, self.has_picture = key, has_picture
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv: Any = self.canv
        _, top = canv.absolutePosition(0, 0)
        drawn = getattr(canv, "picture_top", None)
        canv.picture_top = None
        if self.has_picture and drawn is not None and drawn[0] == canv.getPageNumber():
            top = max(top, drawn[1])
        top = min(float(canv._pagesize[1]), top + 2 * mm)
        canv.bookmarkPage(self.key, fit="XYZ", top=round(top, 2))
