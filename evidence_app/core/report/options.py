"""What a report contains: the reader it is for, the period, and what is left out.

A report may be disclosed to the defence and so to the suspect, so private notes, the
person's address and the places photos were taken stay out unless asked for; only the
"personal" profile (a copy for the person themselves) puts them in by default.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from evidence_app.core.errors import ValidationError

ADDRESS_ITEM = "the address and contact details of the person keeping this log"


class Profile(StrEnum):
    """Who the report is for; each sets sensible defaults for what it includes."""

    POLICE = "police"
    COURT = "court"
    ADVOCATE = "advocate"
    PERSONAL = "personal"

    @property
    def label(self) -> str:
        return PROFILE_LABELS[self]

    @property
    def note(self) -> str:
        """What this profile's copy holds, in a sentence for the report dialog."""
        return PROFILE_NOTES[self]

    @property
    def short(self) -> str:
        return "Personal copy" if self is Profile.PERSONAL else PROFILE_LABELS[self].split()[0]


PROFILE_LABELS: dict[Profile, str] = {
    Profile.POLICE: "Police",
    Profile.COURT: "Court",
    Profile.ADVOCATE: "Advocate or solicitor",
    Profile.PERSONAL: "Personal copy (not for disclosure)",
}


PROFILE_NOTES: dict[Profile, str] = {
    Profile.POLICE: "A summary of the suspect, vehicles, witnesses and the course of conduct, "
                    "then every incident in full.",
    Profile.COURT: "Adds the audit trail and, at the end, a declaration of truth for you to "
                   "sign and date.",
    Profile.ADVOCATE: "Puts the impact on you and the facts that bear on risk first; "
                      "pictures two to a row.",
    Profile.PERSONAL: "Everything, with private notes, your address and photo places: for "
                      "you only, not for disclosure.",
}


class Paper(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


class ImageLayout(StrEnum):
    """How exhibit pictures sit on the page."""

    FULL = "full"  # one picture per row, the full text width
    TWO = "two"  # two pictures side by side


# What each profile includes by default. Every value can be changed afterwards.
_PROFILE_DEFAULTS: dict[Profile, dict[str, Any]] = {
    Profile.POLICE: dict(include_private=False, include_gps=False, include_address=False,
                         include_audit=False, image_layout=ImageLayout.FULL),
    Profile.COURT: dict(include_private=False, include_gps=False, include_address=False,
                        include_audit=True, image_layout=ImageLayout.FULL),
    Profile.ADVOCATE: dict(include_private=False, include_gps=False, include_address=False,
                           include_audit=False, image_layout=ImageLayout.TWO),
    Profile.PERSONAL: dict(include_private=True, include_gps=True, include_address=True,
                           include_audit=True, image_layout=ImageLayout.TWO),
}


@dataclass(frozen=True)
class ReportOptions:
    """Everything that decides the content of one report. Immutable; use `with_changes`."""

    profile: Profile = Profile.POLICE
    date_from: date | None = None
    date_to: date | None = None
    categories: tuple[str, ...] = ()  # empty: every category
    tags: tuple[str, ...] = ()  # empty: no tag filter; else incidents with any of them
    incident_ids: tuple[int, ...] = ()  # empty: every incident that passes the filters
    include_undated: bool = True
    include_private: bool = False
    include_gps: bool = False
    include_address: bool = False
    include_audit: bool = False
    # With the address left out: also withhold it where the person typed it into the log.
    withhold_typed: bool = True
    image_layout: ImageLayout = ImageLayout.FULL
    paper: Paper = Paper.A4
    title: str = "Evidence log"

    @classmethod
    def for_profile(cls, profile: Profile | str, **changes: Any) -> ReportOptions:
        """Options with the profile's defaults, then any explicit `changes` applied."""
        prof = Profile(profile)
        values = {**_PROFILE_DEFAULTS[prof], **{k: v for k, v in changes.items() if v is not None}}
        return cls(profile=prof, **values).validated()

    def with_changes(self, **changes: Any) -> ReportOptions:
        """A copy with some values changed (validated)."""
        return replace(self, **changes).validated()

    def validated(self) -> ReportOptions:
        """Check and normalise the values; raises ValidationError with a readable reason."""
        from evidence_app.core.vocab import Category

        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError("The end of the report period is before its start.")
        known = {c.value for c in Category}
        bad = [c for c in self.categories if c not in known]
        if bad:
            raise ValidationError(f"Unknown categor{'y' if len(bad) == 1 else 'ies'}: "
                                  f"{', '.join(bad)}")
        return replace(
            self,
            profile=Profile(self.profile),
            paper=Paper(self.paper),
            image_layout=ImageLayout(self.image_layout),
            categories=tuple(sorted(set(self.categories))),
            tags=tuple(sorted({t.strip() for t in self.tags if t.strip()})),
            incident_ids=tuple(sorted(set(int(i) for i in self.incident_ids))),
            title=self.title.strip() or "Evidence log",
        )

    @property
    def filtered(self) -> bool:
        """True when the report leaves out incidents the log holds."""
        return bool(self.date_from or self.date_to or self.categories or self.tags
                    or self.incident_ids or not self.include_undated)

    def to_json(self) -> dict[str, Any]:
        """Plain values, for the export manifest."""
        data = asdict(self)
        for key in ("date_from", "date_to"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("categories", "tags", "incident_ids"):
            data[key] = list(data[key])
        for key in ("profile", "paper", "image_layout"):
            data[key] = str(data[key])
        return data

    def left_out(self) -> list[str]:
        """What this report withholds, in words for the cover page."""
        out = []
        if not self.include_private:
            out.append("private notes")
        if not self.include_address:
            out.append(ADDRESS_ITEM)
        if not self.include_gps:
            out.append("the places where photos were taken (GPS data)")
        return out

    def kept_in(self) -> list[str]:
        """What this report includes that could endanger the person if disclosed."""
        out = []
        if self.include_private:
            out.append("private notes")
        if self.include_address:
            out.append(ADDRESS_ITEM)
        if self.include_gps:
            out.append("the places where photos were taken (GPS data)")
        return out
