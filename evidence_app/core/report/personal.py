"""The person's own address, postcode, phone numbers and email where they typed them.

A report that leaves out "the address" must not print it because the person wrote
"Outside my house, 14 Elm Road, BS7 8AA" as an incident's location. `PersonalDetails`
is made from the case settings (address, contact) and finds those details in any text,
however they were written: any case or spacing, "Rd" for "Road", the postcode with or
without its space, a phone number as +44 7700 900123, 07700900123 or 07700 900 123.
It can replace them ("[address withheld]") in a copy of an incident, its notes, people,
exhibits and amendments, and in audit events. The log itself is never changed: this
works on the views a report is laid out from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

ADDRESS, PHONE, EMAIL = "address", "phone", "email"
KINDS = (ADDRESS, PHONE, EMAIL)
MARKERS = {ADDRESS: "[address withheld]", PHONE: "[phone number withheld]",
           EMAIL: "[email address withheld]"}
NAMES = {ADDRESS: "address", PHONE: "phone number", EMAIL: "email address"}

# Fields that hold codes or hashes, never words the person typed.
_CODES = frozenset({"sha256", "exhibit_mark", "media_type", "kind", "precision", "category",
                    "timezone", "captured_offset", "captured_from", "ocr_status", "hash",
                    "action", "entity"})

_POSTCODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})"
                       r"(?![A-Za-z0-9])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_IN_CONTACT = re.compile(r"(?:\+|\b00)?\(?\d[\d\s().-]{6,}\d")
_SEP = r"[\s,.\-]*"
_GAP = r"[\s().\-]*"  # what may sit between a phone number's digits
# A street's kind and the ways it is abbreviated.
_STREET_WORDS = {
    "road": ("road", "rd"), "street": ("street", "st"), "avenue": ("avenue", "ave", "av"),
    "lane": ("lane", "ln"), "drive": ("drive", "dr", "drv"), "close": ("close", "cl"),
    "court": ("court", "ct"), "crescent": ("crescent", "cres", "cresc"),
    "gardens": ("gardens", "gdns", "gdn"), "place": ("place", "pl"),
    "terrace": ("terrace", "terr", "ter", "tce"), "square": ("square", "sq"),
    "grove": ("grove", "gr", "gro"), "park": ("park", "pk"), "parade": ("parade", "pde"),
    "mews": ("mews",), "way": ("way",), "row": ("row",), "walk": ("walk",),
    "hill": ("hill",), "rise": ("rise",), "green": ("green", "grn"),
    "vale": ("vale",), "view": ("view",), "mount": ("mount", "mt"),
}
_STREET_VARIANT = {v: k for k, vs in _STREET_WORDS.items() for v in vs}
_FLAT_WORDS = {"flat", "apartment", "apt", "unit", "room", "no", "number"}


def _token_pattern(token: str) -> str:
    low = token.lower()
    if low in _STREET_VARIANT:
        variants = sorted(_STREET_WORDS[_STREET_VARIANT[low]], key=len, reverse=True)
        return "(?:" + "|".join(variants) + r")\.?"
    if low.isdigit() or re.fullmatch(r"\d+[a-z]", low):
        return r"\s*".join(re.escape(c) for c in re.findall(r"\d+|[a-z]", low))
    return re.escape(low)


def _words_pattern(tokens: list[str]) -> str:
    return (r"(?<![\w])" + _SEP.join(_token_pattern(t) for t in tokens) + r"(?![\w])")


def _address_patterns(address: str) -> list[str]:
    """Patterns for the postcode, the house and street lines (with and without the house
    number) of an address. The town and county alone are not the person's address."""
    out = []
    for outward, inward in _POSTCODE.findall(address):
        out.append(r"(?<![A-Za-z0-9])" + re.escape(outward) + r"\s*" + re.escape(inward)
                   + r"(?![A-Za-z0-9])")
    rest = _POSTCODE.sub(" ", address)
    segments = [s.strip() for s in re.split(r"[,\n;]+", rest) if s.strip()]
    joined: list[str] = []
    for seg in segments:  # "14" on a line of its own belongs to the street after it
        if joined and re.fullmatch(r"\d+[A-Za-z]?", joined[-1]):
            joined[-1] = f"{joined[-1]} {seg}"
        else:
            joined.append(seg)
    for index, seg in enumerate(joined):
        tokens = re.findall(r"[\w']+", seg)
        if not tokens:
            continue
        lows = [t.lower() for t in tokens]
        has_number = any(any(c.isdigit() for c in t) for t in tokens)
        street_at = [i for i, t in enumerate(lows) if t in _STREET_VARIANT and i > 0]
        if all(t in _FLAT_WORDS or t.isdigit() for t in lows):
            continue  # "Flat 2" alone says nothing without the street
        if not (has_number or street_at or index == 0):
            continue  # a town or county
        out.append(_words_pattern(tokens))
        # The street without its number ("Outside home, Acacia Avenue").
        words = [t for t in tokens if not any(c.isdigit() for c in t)
                 and t.lower() not in _FLAT_WORDS]
        if street_at and len(words) >= 2 and words != tokens:
            out.append(_words_pattern(words))
    return out


def _national(number: str) -> str:
    """The digits of a phone number without its country code or leading 0."""
    international = number.lstrip().startswith(("+", "00"))
    digits = re.sub(r"\D", "", number.replace("(0)", ""))
    if international:
        digits = digits[2:] if digits.startswith("00") else digits
        digits = digits[2:] if digits.startswith("44") else (
            digits[1:] if digits.startswith("1") else digits[2:])
    return digits.lstrip("0")


def _phone_pattern(national: str) -> str:
    prefix = r"(?:(?:\+|00)\s*\d{1,3}" + _GAP + r"(?:\(0\)" + _GAP + r")?|0" + _GAP + r")?"
    body = _GAP.join(re.escape(d) for d in national)
    return r"(?<![\d+])" + prefix + body + r"(?!\d)"


@dataclass(frozen=True)
class PersonalDetails:
    """What to look for: compiled from the case's address and contact settings."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @classmethod
    def from_settings(cls, address: str, contact: str) -> PersonalDetails:
        found: list[tuple[str, str]] = [(ADDRESS, p) for p in _address_patterns(address or "")]
        contact = contact or ""
        for email in _EMAIL.findall(contact):
            found.append((EMAIL, r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-])"))
        for number in _PHONE_IN_CONTACT.findall(_EMAIL.sub(" ", contact)):
            national = _national(number)
            if len(national) >= 7:
                found.append((PHONE, _phone_pattern(national)))
        # Longest first, so "14 Acacia Avenue" goes before "Acacia Avenue" alone.
        found.sort(key=lambda kp: -len(kp[1]))
        return cls(tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in found))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def kinds_in(self, text: str) -> set[str]:
        """Which of address, phone, email `text` holds."""
        return {kind for kind, pattern in self.patterns if pattern.search(text)}

    def withheld(self, text: str) -> str:
        """`text` with every occurrence replaced by its marker."""
        for kind, pattern in self.patterns:
            text = pattern.sub(MARKERS[kind], text)
            # "14 Elm Road, BS7 8AA" is one address, withheld once.
            marker = re.escape(MARKERS[kind])
            text = re.sub(f"{marker}(?:[\\s,]*{marker})+", MARKERS[kind], text)
        return text

    def scan(self, value: Any) -> set[str]:
        """The kinds found anywhere in a view, a list or a dict of them (codes skipped)."""
        found: set[str] = set()
        for text in _texts(value):
            found |= self.kinds_in(text)
        return found

    def withhold(self, value: Any) -> Any:
        """A copy of a view (dataclass), list or dict with every text withheld."""
        if isinstance(value, str):
            return self.withheld(value)
        if isinstance(value, list):
            return [self.withhold(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.withhold(v) for v in value)
        if isinstance(value, dict):
            return {k: v if k in _CODES else self.withhold(v) for k, v in value.items()}
        if is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.withhold(getattr(value, f.name)) for f in fields(value)
                       if f.name not in _CODES}
            return replace(value, **changes)
        return value


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _texts(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in _CODES:
                yield from _texts(v)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name not in _CODES:
                yield from _texts(getattr(value, f.name))


@dataclass(frozen=True)
class Found:
    """Where a report's text holds the person's details, and whether they were withheld."""

    incidents: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (kind, report numbers)
    elsewhere: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, "the case name", ...)
    withheld: bool = False

    @classmethod
    def of(cls, by_number: dict[int, set[str]], elsewhere: dict[str, set[str]],
           withheld: bool) -> Found:
        inc = tuple((k, tuple(sorted(n for n, ks in by_number.items() if k in ks)))
                    for k in KINDS)
        other = tuple((k, tuple(sorted(p for p, ks in elsewhere.items() if k in ks)))
                      for k in KINDS)
        return cls(tuple(x for x in inc if x[1]), tuple(x for x in other if x[1]), withheld)

    def __bool__(self) -> bool:
        return bool(self.incidents or self.elsewhere)

    @property
    def kinds(self) -> list[str]:
        have = {k for k, _ in self.incidents} | {k for k, _ in self.elsewhere}
        return [k for k in KINDS if k in have]

    @property
    def numbers(self) -> list[int]:
        """Every incident (report number) that holds one of the details."""
        return sorted({n for _, ns in self.incidents for n in ns})

    def where(self, kind: str) -> str:
        """'the case name and 3 incidents: No. 4, 9, 12'."""
        parts = list(dict(self.elsewhere).get(kind, ()))
        numbers = dict(self.incidents).get(kind, ())
        if numbers:
            noun = "incident" if len(numbers) == 1 else "incidents"
            parts.append(f"{len(numbers)} {noun}: No. " + ", ".join(map(str, numbers)))
        return " and ".join(parts)

    def lines(self) -> list[str]:
        """'Your address appears in 3 incidents: No. 4, 9, 12.', one line per kind."""
        return [f"Your {NAMES[k]} appears in {self.where(k)}." for k in self.kinds]

    def markers(self) -> list[str]:
        return [MARKERS[k] for k in self.kinds]

    def message(self) -> str:
        """The warning with what was done about it, for the dialog and the CLI."""
        if not self:
            return ""
        text = " ".join(self.lines())
        if self.withheld:
            return text + " In this copy it is replaced by " + _or(self.markers()) + "."
        return text + " It is printed there as written."

    def to_json(self) -> dict[str, Any]:
        return {"withheld": self.withheld,
                "incidents": {k: list(ns) for k, ns in self.incidents},
                "elsewhere": {k: list(ps) for k, ps in self.elsewhere}}


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def statements(left: list[str], kept: list[str], found: Found, address_item: str,
               ) -> tuple[list[str], list[str]]:
    """The cover's "left out" and "includes" lists, made true for what was found.

    Withheld: the address item says how it reads where it was typed. Not withheld: the
    address is not claimed as left out, and the copy says it includes it, and where."""
    if address_item not in left or not found:
        return left, kept
    if found.withheld:
        item = (address_item + " (where they were typed into the log, they read "
                + _or(found.markers()) + ")")
        return [item if x == address_item else x for x in left], kept
    numbers = found.numbers
    where = (("incident No. " if len(numbers) == 1 else "incidents No. ")
             + ", ".join(map(str, numbers))) if numbers else ""
    others = sorted({p for _, ps in found.elsewhere for p in ps})
    place = " and ".join(others + ([where] if where else []))
    return ([x for x in left if x != address_item],
            [*kept, "the address or contact details of the person keeping this log, as "
             f"typed into {place}"])
