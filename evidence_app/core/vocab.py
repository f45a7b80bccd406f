"""Fixed vocabularies: date precision, behaviour categories, person roles, capture sources.

Values are stored as plain strings (portable SQL); labels are what people read.
"""

from __future__ import annotations

from enum import StrEnum


class Precision(StrEnum):
    """How exactly the person knows when an incident happened."""

    EXACT = "exact"
    CIRCA = "circa"
    DAY = "day"
    MONTH = "month"
    BETWEEN = "between"
    UNDATED = "undated"

    @property
    def label(self) -> str:
        return PRECISION_LABELS[self]


PRECISION_LABELS: dict[Precision, str] = {
    Precision.EXACT: "Exact date and time",
    Precision.CIRCA: "Approximate time (circa)",
    Precision.DAY: "Date only",
    Precision.MONTH: "Month only",
    Precision.BETWEEN: "Between two times",
    Precision.UNDATED: "Undated",
}


class Category(StrEnum):
    """Behaviour categories police and advocates look for in a course of conduct."""

    FOLLOWING = "following"
    LOITERING = "loitering"
    CALL = "contact_call"
    TEXT = "contact_text"
    EMAIL = "contact_email"
    SOCIAL = "contact_social"
    GIFTS = "gifts_letters"
    THIRD_PARTY = "third_party"
    MONITORING = "monitoring"
    DAMAGE = "property_damage"
    THREATS = "threats"
    VIOLENCE = "violence"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.FOLLOWING: "Following",
    Category.LOITERING: "Loitering / turning up",
    Category.CALL: "Unwanted contact: calls",
    Category.TEXT: "Unwanted contact: texts / messages",
    Category.EMAIL: "Unwanted contact: email",
    Category.SOCIAL: "Unwanted contact: social media",
    Category.GIFTS: "Gifts or letters",
    Category.THIRD_PARTY: "Contact through other people",
    Category.MONITORING: "Monitoring / tracking",
    Category.DAMAGE: "Property damage",
    Category.THREATS: "Threats",
    Category.VIOLENCE: "Violence",
    Category.OTHER: "Other",
}


def category_label(value: str | None) -> str:
    """Human label for a stored category value (unknown values shown as they are)."""
    if not value:
        return ""
    try:
        return Category(value).label
    except ValueError:
        return value


def parse_category(text: str) -> Category:
    """Match a category from its value or label, case-insensitively, with a few synonyms."""
    key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    found = _category_lookup().get(key)
    if found is None:
        raise ValueError(f"unknown category {text!r}")
    return found


_LOOKUP: dict[str, Category] = {}


def _category_lookup() -> dict[str, Category]:
    # Values and labels first, so a synonym never shadows a real name.
    if not _LOOKUP:
        table: dict[str, Category] = {}
        for cat, words in _SYNONYMS.items():
            for word in words:
                table.setdefault(word, cat)
        for cat in Category:
            table[cat.value.replace("_", " ")] = cat
            table[cat.label.lower()] = cat
        _LOOKUP.update(table)
    return _LOOKUP


_SYNONYMS: dict[Category, tuple[str, ...]] = {
    Category.FOLLOWING: ("followed", "follow"),
    Category.LOITERING: ("loitering", "turned up", "sighting", "seen", "watching"),
    Category.CALL: ("call", "calls", "phone call", "phone", "voicemail"),
    Category.TEXT: ("text", "texts", "sms", "message", "messages", "whatsapp"),
    Category.EMAIL: ("email", "emails", "e mail"),
    Category.SOCIAL: ("social media", "social", "facebook", "instagram", "online"),
    Category.GIFTS: ("gift", "gifts", "letter", "letters", "gifts or letters"),
    Category.THIRD_PARTY: ("third party", "via others", "through others"),
    Category.MONITORING: ("tracking", "monitoring", "spyware"),
    Category.DAMAGE: ("damage", "criminal damage", "property damage"),
    Category.THREATS: ("threat", "threats", "threatening"),
    Category.VIOLENCE: ("violence", "assault", "violent"),
    Category.OTHER: ("other", "misc"),
}


# An incident's stored fields as the report and the windows name them when they say what
# changed. Kept here, not in core/report, so the GUI can use them without loading
# reportlab at start-up.
FIELD_LABELS = {
    "title": "title", "description": "what happened", "location": "location",
    "category": "category", "suspect_appearance": "suspect's appearance",
    "suspect_voice": "suspect's voice", "suspect_clothing": "suspect's clothing",
    "witnesses": "witnesses", "impact": "effect on me", "police_reference": "police reference",
    "police_officer": "officer", "reported_on": "date reported", "occurred_at": "date and time",
    "occurred_end": "end of period", "precision": "date precision", "timezone": "time zone",
    "tags": "tags",
}


class ImpactKind(StrEnum):
    """Effects on the person that the stalking offence turns on (Protection from
    Harassment Act 1997, s4A(1)(b)): fear that violence will be used, or serious alarm or
    distress with a substantial adverse effect on usual day-to-day activities, and the
    changes to daily life that show that effect."""

    FEAR = "fear_of_violence"
    DISTRESS = "alarm_distress"
    ROUTINE = "changed_routine"
    MOVED = "moved_home"
    TIME_OFF = "time_off"
    STOPPED_GOING_OUT = "stopped_going_out"
    COSTS = "costs"
    CHILDREN = "children"
    HEALTH = "health"

    @property
    def label(self) -> str:
        """Short words for a tick box."""
        return IMPACT_LABELS[self][0]

    @property
    def statement(self) -> str:
        """The words a report uses (the Act's own where it has them)."""
        return IMPACT_LABELS[self][1]

    @property
    def has_amount(self) -> bool:
        return self is ImpactKind.COSTS


# (tick box, report wording). The first two are s4A(1)(b)(i) and (ii) word for word.
IMPACT_LABELS: dict[ImpactKind, tuple[str, str]] = {
    ImpactKind.FEAR: ("Feared violence would be used",
                      "Fear that violence will be used against me"),
    ImpactKind.DISTRESS: ("Serious alarm or distress",
                          "Serious alarm or distress which has a substantial adverse effect "
                          "on my usual day-to-day activities"),
    ImpactKind.ROUTINE: ("Changed routine, route or number",
                         "Changed my routine, my route or my phone number"),
    ImpactKind.MOVED: ("Moved home or stayed elsewhere", "Moved home or stayed elsewhere"),
    ImpactKind.TIME_OFF: ("Time off work or study", "Time off work or study"),
    ImpactKind.STOPPED_GOING_OUT: ("Stopped going out or seeing people",
                                   "Stopped going out or seeing people"),
    ImpactKind.COSTS: ("Money spent (locks, CCTV \u2026)",
                       "Money spent because of this (locks, CCTV, travel)"),
    ImpactKind.CHILDREN: ("Effect on my children", "Effect on my children"),
    ImpactKind.HEALTH: ("Effect on my health or sleep",
                        "Effect on my physical or mental health"),
}


def impact_label(value: str) -> str:
    """Tick-box words for a stored impact kind (unknown values shown as they are)."""
    try:
        return ImpactKind(value).label
    except ValueError:
        return value


class Role(StrEnum):
    """Who a person is in the case."""

    SUSPECT = "suspect"
    WITNESS = "witness"
    OFFICER = "officer"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CaptureSource(StrEnum):
    """Where an attachment's capture time came from."""

    EXIF = "exif"
    FILENAME = "filename"
    MTIME = "mtime"
    PASTED = "pasted"
    MEDIA = "media"  # the recording time in a video or sound file's own header
    DOCUMENT = "document"  # the creation date a PDF records (CreationDate, xmp:CreateDate)
    MESSAGE = "message"  # a file with no date of its own, sent in a message: its time

    @property
    def label(self) -> str:
        return {
            "exif": "camera metadata (EXIF)",
            "filename": "date in the file name",
            "mtime": "file modification time",
            "pasted": "time it was pasted into the app",
            "media": "time stored in the video or sound file",
            "document": "creation date stored in the PDF",
            "message": "time of the message it was sent in",
        }[self.value]
