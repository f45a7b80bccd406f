"""The left side of the Report dialog: who it is for, what it covers, what it leaves out."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.report.options import ImageLayout, Paper, Profile, ReportOptions
from evidence_app.core.report.personal import Found
from evidence_app.core.vocab import Category

DISCLOSURE = (
    "<b>Before you share a report:</b> a report given to the police or a court may be shown "
    "to the person you are reporting, because the defence sees the evidence. That is why "
    "your private notes, your address and the places your photos were taken are left out "
    "unless you tick them below."
)


class ReportOptionsPanel(QWidget):
    """Edits a ReportOptions; `changed` fires on every edit."""

    changed = Signal()

    def show_to_describe(self, count: int) -> None:
        """Say how many incidents have no title yet or are typed Other (0: nothing)."""
        self.describe_notice.setVisible(count > 0)
        if count:
            many = count != 1
            self.describe_notice.setText(
                f"<b>{count} incident{'s' if many else ''} {'have' if many else 'has'} no "
                f"title yet or {'are' if many else 'is'} typed Other,</b> so the summary and "
                "chronology say little about "
                f"{'them' if many else 'it'}. To describe {'them' if many else 'it'}: close "
                "this window, then Incident \u203a Show incidents to describe.")

    def __init__(self, selected_ids: list[int] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selected_ids = list(selected_ids or [])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.notice = QLabel(DISCLOSURE)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("disclosureNotice")
        self.notice.setStyleSheet("QLabel#disclosureNotice { background: #fff8e1; "
                                  "border: 1px solid #e0c060; border-radius: 4px; padding: 8px; }")
        layout.addWidget(self.notice)
        # Incidents still titled by their files ("7 screenshots") or typed Other make a
        # thin summary and chronology: said before the report is handed over.
        self.describe_notice = QLabel()
        self.describe_notice.setWordWrap(True)
        self.describe_notice.setAccessibleName("Incidents still to describe")
        self.describe_notice.hide()
        layout.addWidget(self.describe_notice)

        form = QFormLayout()
        self.profile = QComboBox()
        for profile in Profile:
            self.profile.addItem(profile.label, profile.value)
            self.profile.setItemData(self.profile.count() - 1, profile.note,
                                     Qt.ItemDataRole.ToolTipRole)
        self.profile.setAccessibleName("Prepared for")
        form.addRow("Prepared for:", self.profile)
        self.profile_note = QLabel(Profile.POLICE.note)
        self.profile_note.setObjectName("muted")
        self.profile_note.setWordWrap(True)
        form.addRow("", self.profile_note)
        self.paper = QComboBox()
        self.paper.addItem("A4", Paper.A4.value)
        self.paper.addItem("US Letter", Paper.LETTER.value)
        form.addRow("Paper:", self.paper)
        layout.addLayout(form)

        period = QGroupBox("Which incidents")
        pl = QVBoxLayout(period)
        self.limit_period = QCheckBox("Only those between")
        dates = QHBoxLayout()
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-3))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setEnabled(False)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.date_to)
        pl.addWidget(self.limit_period)
        pl.addLayout(dates)
        self.only_selected = QCheckBox(f"Only the {len(self.selected_ids)} selected incident(s)")
        self.only_selected.setVisible(bool(self.selected_ids))
        pl.addWidget(self.only_selected)
        self.include_undated = QCheckBox("Undated incidents")
        self.include_undated.setChecked(True)
        pl.addWidget(self.include_undated)
        pl.addWidget(QLabel("Categories (none ticked means all):"))
        self.categories = QListWidget()
        for cat in Category:
            item = QListWidgetItem(cat.label)
            item.setData(Qt.ItemDataRole.UserRole, cat.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.categories.setMaximumHeight(110)
        pl.addWidget(self.categories)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("Only these tags, separated by commas")
        pl.addWidget(self.tags)
        layout.addWidget(period)

        include = QGroupBox("Include")
        il = QVBoxLayout(include)
        self.include_private = QCheckBox("My private notes")
        self.include_address = QCheckBox("My address and contact details")
        self.include_gps = QCheckBox("Where photos were taken (GPS)")
        self.include_audit = QCheckBox("The audit trail (history of every change)")
        # Left out of the case details is not enough when the person typed their
        # address into an incident ("Outside my house, 14 Elm Road"): withheld there too.
        self.withhold_typed = QCheckBox("Where I typed my address or phone number\n"
                                        "into an incident, print [address withheld]")
        self.personal_notice = QLabel()
        self.personal_notice.setWordWrap(True)
        self.personal_notice.setObjectName("personalNotice")
        self.personal_notice.setVisible(False)
        typed = QHBoxLayout()
        typed.addSpacing(22)  # it belongs to the address box above
        typed.addWidget(self.withhold_typed, 1)
        for box in (self.include_private, self.include_address, typed,
                    self.personal_notice, self.include_gps, self.include_audit):
            if isinstance(box, QHBoxLayout):
                il.addLayout(box)
            else:
                il.addWidget(box)
        self.include_address.toggled.connect(
            lambda on: self.withhold_typed.setEnabled(not on))
        pics = QHBoxLayout()
        pics.addWidget(QLabel("Pictures:"))
        self.layout_full = QRadioButton("Full width")
        self.layout_two = QRadioButton("Two per row")
        self._layout_group = QButtonGroup(self)
        for button in (self.layout_full, self.layout_two):
            self._layout_group.addButton(button)
            pics.addWidget(button)
        pics.addStretch(1)
        il.addLayout(pics)
        layout.addWidget(include)
        layout.addStretch(1)

        self.apply_profile(Profile.POLICE)
        self.profile.currentIndexChanged.connect(
            lambda _: self.apply_profile(Profile(self.profile.currentData())))
        self.limit_period.toggled.connect(self.date_from.setEnabled)
        self.limit_period.toggled.connect(self.date_to.setEnabled)
        for signal in (self.limit_period.toggled, self.only_selected.toggled,
                       self.include_undated.toggled, self.include_private.toggled,
                       self.include_address.toggled, self.include_gps.toggled,
                       self.include_audit.toggled, self.withhold_typed.toggled,
                       self.layout_full.toggled,
                       self.date_from.dateChanged, self.date_to.dateChanged,
                       self.tags.textChanged, self.categories.itemChanged,
                       self.paper.currentIndexChanged):
            signal.connect(self.changed)

    def apply_profile(self, profile: Profile) -> None:
        """Set every choice to the profile's defaults."""
        defaults = ReportOptions.for_profile(profile)
        self.profile_note.setText(profile.note)
        self.include_private.setChecked(defaults.include_private)
        self.include_address.setChecked(defaults.include_address)
        self.include_gps.setChecked(defaults.include_gps)
        self.include_audit.setChecked(defaults.include_audit)
        self.withhold_typed.setChecked(defaults.withhold_typed)
        self.withhold_typed.setEnabled(not defaults.include_address)
        full = defaults.image_layout is ImageLayout.FULL
        self.layout_full.setChecked(full)
        self.layout_two.setChecked(not full)
        self.changed.emit()

    def show_personal(self, found: Found) -> None:
        """Say where the last report found the person's own details typed into the log,
        and what that copy did with them."""
        if not found:
            self.personal_notice.setVisible(False)
            return
        lines = " ".join(found.lines())
        if found.withheld:
            text = (f"<b>{lines}</b> In this report it is replaced by "
                    + " or ".join(found.markers()) + ".")
            colours = "background: #eef6ee; border: 1px solid #8fbc8f;"
        else:
            text = (f"<b>{lines}</b> It is printed as you typed it: do not give this copy "
                    "to anyone who may show it to the defence.")
            colours = "background: #fdecea; border: 1px solid #d9534f;"
        self.personal_notice.setText(text)
        self.personal_notice.setStyleSheet(f"QLabel#personalNotice {{ {colours} "
                                           "border-radius: 4px; padding: 6px; }")
        self.personal_notice.setVisible(True)
        # A wrapped label keeps its old height when its text grows; make room for it.
        width = self.personal_notice.width()
        if width > 50:
            self.personal_notice.setMinimumHeight(self.personal_notice.heightForWidth(width))
        widget: QWidget | None = self.personal_notice
        while widget is not None:  # lay out now, not after the next event
            layout = widget.layout()
            if layout is not None:
                layout.activate()
            widget = widget.parentWidget()

    def options(self) -> ReportOptions:
        """The choices as ReportOptions (may raise ValidationError)."""
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        cats = tuple(
            self.categories.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.categories.count())
            if self.categories.item(i).checkState() == Qt.CheckState.Checked)
        return ReportOptions(
            profile=Profile(self.profile.currentData()),
            date_from=day(self.date_from) if self.limit_period.isChecked() else None,
            date_to=day(self.date_to) if self.limit_period.isChecked() else None,
            categories=cats,
            tags=tuple(t.strip() for t in self.tags.text().split(",") if t.strip()),
            incident_ids=tuple(self.selected_ids) if self.only_selected.isChecked() else (),
            include_undated=self.include_undated.isChecked(),
            include_private=self.include_private.isChecked(),
            include_gps=self.include_gps.isChecked(),
            include_address=self.include_address.isChecked(),
            include_audit=self.include_audit.isChecked(),
            withhold_typed=self.withhold_typed.isChecked(),
            image_layout=ImageLayout.FULL if self.layout_full.isChecked() else ImageLayout.TWO,
            paper=Paper(self.paper.currentData()),
        ).validated()
