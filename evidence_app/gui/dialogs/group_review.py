"""Review a "group by time" proposal before any incident is created.

The person chooses the gap, unticks groups they do not want and renames the rest;
nothing is written until they press Create (then one transaction creates them all).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTreeWidgetItem, QWidget

from evidence_app.core.importers.inbox import DEFAULT_GAP, Grouping, ProposedGroup, group_by_time
from evidence_app.core.views import AttachmentView
from evidence_app.gui.dialogs.proposal_review import ProposalReview, proposal_item
from evidence_app.gui.exhibit_text import capture_text
from evidence_app.gui.look import muted
from evidence_app.gui.thumbs import ThumbnailLoader

ICON = 40
COPIED_TIP = ("These files carry no date of their own. The time shown is when they were "
              "copied or saved on a computer, not when they were taken.")


def _groups(n: int) -> str:
    return "group" if n == 1 else f"{n} groups"


def _span_text(group: ProposedGroup, tz: str) -> str:
    first = capture_text(group.attachments[0], tz, short=True)
    last = capture_text(group.attachments[-1], tz, short=True)
    if first == last:
        return first
    if first.split(",")[0] == last.split(",")[0]:
        return f"{first} to {last.split(', ')[-1]}"
    return f"{first} to {last}"


class GroupReviewDialog(ProposalReview):
    """Open with `open()`; when accepted, `chosen()` lists (title, attachment ids)."""

    def __init__(self, attachments: list[AttachmentView], tz: str, loader: ThumbnailLoader,
                 scope: str, parent: QWidget | None = None) -> None:
        super().__init__("Group by time", 720, 540, parent)
        self.attachments = attachments
        self.tz = tz
        self.loader = loader
        self.grouping = Grouping()
        self._titles: dict[frozenset[int], str] = {}  # renames survive a change of gap
        self._ticks: dict[frozenset[int], bool] = {}  # the person's own ticks and unticks
        self._rows: dict[str, list[QTreeWidgetItem]] = {}

        self.add_heading("Make incidents from files taken close together", scope)
        gap_row = QHBoxLayout()
        gap_row.addWidget(QLabel("Files taken within"))
        self.gap = QSpinBox()
        self.gap.setRange(1, 24 * 60)
        self.gap.setValue(int(DEFAULT_GAP.total_seconds() // 60))
        self.gap.setSuffix(" minutes")
        self.gap.setAccessibleName("Gap between groups in minutes")
        gap_row.addWidget(self.gap)
        gap_row.addWidget(QLabel("of each other become one incident."))
        gap_row.addStretch(1)
        self.body.addLayout(gap_row)

        self.add_tree("Files").setIconSize(QSize(ICON, ICON))
        self.undated = muted(QLabel())
        self.undated.setWordWrap(True)
        self.body.addWidget(self.undated)
        self.add_buttons("Untick any group you do not want. Nothing is created until you press "
                         "the button below; the files of unticked groups stay in the Inbox.")

        self.gap.valueChanged.connect(self._regroup)
        self.tree.itemChanged.connect(self._item_changed)
        loader.ready.connect(self._thumb_ready)
        self._regroup()

    # -- building the proposal -----------------------------------------------------------
    def _regroup(self) -> None:
        self.grouping = group_by_time(self.attachments, self.tz,
                                      timedelta(minutes=self.gap.value()))
        self.tree.blockSignals(True)
        self.tree.clear()
        self._rows.clear()
        for group in self.grouping.groups:
            key = frozenset(group.ids)
            group.title = self._titles.get(key, group.title)
            group.accepted = self._ticks.get(key, group.accepted)
            span = _span_text(group, self.tz)
            top = proposal_item([group.title, f"copied {span.removeprefix('c. ')}"
                                 if group.file_times_only else span,
                                 str(len(group.attachments))], group.accepted,
                                "Click to rename; untick to leave these files in the Inbox")
            top.setData(0, Qt.ItemDataRole.UserRole, key)
            if group.file_times_only:
                top.setToolTip(0, COPIED_TIP)
                top.setToolTip(1, COPIED_TIP)
                top.setForeground(1, self.palette().placeholderText())
            top.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for att in group.attachments:
                child = QTreeWidgetItem([f"{att.exhibit_mark}   {att.original_name}",
                                         capture_text(att, self.tz, short=True), ""])
                child.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self._set_icon(child, att)
                self._rows.setdefault(att.sha256, []).append(child)
                top.addChild(child)
            top.setExpanded(len(self.grouping.groups) <= 6)
        self.tree.blockSignals(False)
        n = len(self.grouping.undated)
        notes = [f"{n} file{'s have' if n != 1 else ' has'} no capture time, so "
                 f"{'they stay' if n != 1 else 'it stays'} in the Inbox for you to place by "
                 "hand."] if n else []
        copied = [g for g in self.grouping.groups if g.file_times_only]
        if copied:
            files = sum(len(g.attachments) for g in copied)
            one = len(copied) == 1
            notes.insert(0, f"The last {_groups(len(copied))} ({files} files) "
                         f"{'has' if one else 'have'} no date of {'its' if one else 'their'} "
                         "own: the times shown are when the files were copied or saved "
                         "on a computer, which may be long after they were taken. They are "
                         "unticked; check when they were taken before making incidents of "
                         "them.")
        self.undated.setText("\n\n".join(notes))
        self.undated.setVisible(bool(notes))
        self._update_button()

    def _set_icon(self, item: QTreeWidgetItem, att: AttachmentView) -> None:
        # Every icon is the same square, so file names line up whatever the picture's shape;
        # a hairline frame keeps pale screenshots visible on a pale row.
        canvas = QPixmap(ICON, ICON)
        canvas.fill(Qt.GlobalColor.transparent)
        pix = self.loader.pixmap(att)
        if pix is not None:
            small = pix.scaled(ICON - 2, ICON - 2, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
            painter = QPainter(canvas)
            x, y = (ICON - small.width()) // 2, (ICON - small.height()) // 2
            painter.drawPixmap(x, y, small)
            painter.setPen(QColor(0, 0, 0, 60))
            painter.drawRect(x, y, small.width() - 1, small.height() - 1)
            painter.end()
        item.setIcon(0, QIcon(canvas))

    def _thumb_ready(self, sha256: str) -> None:
        for item in self._rows.get(sha256, ()):
            att = next((a for a in self.attachments if a.sha256 == sha256), None)
            if att is not None:
                self._set_icon(item, att)

    # -- the person's choices ------------------------------------------------------------
    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if not isinstance(key, frozenset):
            return
        group = next(g for g in self.grouping.groups if frozenset(g.ids) == key)
        title = item.text(0).strip()
        if title and title != group.title:
            group.title = title
            self._titles[key] = title
        group.accepted = item.checkState(0) == Qt.CheckState.Checked
        self._ticks[key] = group.accepted
        self._update_button()

    def _update_button(self) -> None:
        self.show_count(sum(g.accepted for g in self.grouping.groups))

    def chosen(self) -> list[tuple[str, list[int]]]:
        return [(g.title, g.ids) for g in self.grouping.groups if g.accepted]
