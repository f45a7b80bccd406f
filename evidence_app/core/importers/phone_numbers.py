"""One number however it is written: `07700 900123`, `+44 7700 900123`, `0044 7700
900123` and `447700900123` are one person; so are `(555) 123-4567`, `555-123-4567`,
`1 555 123 4567` and `+1 555 123 4567` in an American case.

`number_key(number, country)` is only for MATCHING (which conversation, which
participant): the number as written is what is stored and shown. Numbers of the case's
country become their national form (`07700900123`, `5551234567`), every other number
written internationally `+` and its digits (`+33612345678`); a national number of
another country cannot be told from the case's own and is left as its digits. The
country is the case's, told from its time zone (`country_for_zone`): the app keeps no
other country setting, and is made for cases in the UK, the fallback.

A small table of calling codes and trunk prefixes, not a full numbering plan: the
`phonenumbers` library would know every country but is a large dependency for this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# country: (calling code, trunk prefix dialled before national numbers ("" = none),
# lengths of the national significant number).
COUNTRIES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "GB": ("44", "0", (9, 10)), "IE": ("353", "0", (7, 8, 9)),
    "US": ("1", "1", (10,)), "CA": ("1", "1", (10,)),
    "AU": ("61", "0", (9,)), "NZ": ("64", "0", (8, 9, 10)),
    "FR": ("33", "0", (9,)), "DE": ("49", "0", (6, 7, 8, 9, 10, 11)),
    "NL": ("31", "0", (9,)), "BE": ("32", "0", (8, 9)), "ZA": ("27", "0", (9,)),
    "IN": ("91", "0", (10,)), "ES": ("34", "", (9,)), "IT": ("39", "", (6, 7, 8, 9, 10, 11)),
    "PT": ("351", "", (9,)), "PL": ("48", "", (9,)),
}
# Time zones of those countries (a case's zone tells its country). North American
# zones are listed by name: "America/" alone would take in Mexico and Brazil.
_ZONES = {
    "Europe/London": "GB", "Europe/Belfast": "GB", "GB": "GB", "Europe/Dublin": "IE",
    "Europe/Paris": "FR", "Europe/Berlin": "DE", "Europe/Amsterdam": "NL",
    "Europe/Brussels": "BE", "Europe/Madrid": "ES", "Atlantic/Canary": "ES",
    "Europe/Rome": "IT", "Europe/Lisbon": "PT", "Europe/Warsaw": "PL",
    "Africa/Johannesburg": "ZA", "Asia/Kolkata": "IN", "Asia/Calcutta": "IN",
    "Pacific/Auckland": "NZ",
}
_NANP = {"New_York", "Chicago", "Denver", "Los_Angeles", "Phoenix", "Anchorage", "Juneau",
         "Adak", "Boise", "Detroit", "Indiana/Indianapolis", "Kentucky/Louisville",
         "Puerto_Rico", "Toronto", "Vancouver", "Edmonton", "Winnipeg", "Regina", "Halifax",
         "St_Johns", "Moncton", "Whitehorse"}
_CANADA = {"Toronto", "Vancouver", "Edmonton", "Winnipeg", "Regina", "Halifax", "St_Johns",
           "Moncton", "Whitehorse"}
_CODES = sorted({c for c, _, _ in COUNTRIES.values()}, key=len, reverse=True)
_PHONE = re.compile(r"^\s*\+?[\d\s().\-/]{7,}$")


def country_for_zone(zone: str) -> str:
    """The country a time zone is in, among those `COUNTRIES` knows ("GB" else)."""
    if zone.startswith("Australia/"):
        return "AU"
    if zone.startswith("US/") or zone.startswith("America/") and zone[8:] in _NANP:
        return "CA" if zone[8:] in _CANADA else "US"
    return _ZONES.get(zone, "GB")


def looks_like_number(text: str) -> bool:
    """A telephone number (digits, with spaces, brackets, dots or dashes), not a name,
    an e-mail address or a handle."""
    return bool(_PHONE.match(text)) and sum(ch.isdigit() for ch in text) >= 7


def number_key(number: str, country: str = "GB") -> str:
    """The form two ways of writing one number share (see the module's notes)."""
    text = number.strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return text
    code, trunk, lengths = COUNTRIES.get(country, COUNTRIES["GB"])
    international = None
    if text.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif code == "1" and digits.startswith("011"):  # North America dials out with 011
        international = digits[3:]
    if international is None:
        if trunk and digits.startswith(trunk) and len(digits) - len(trunk) in lengths:
            return _national(digits[len(trunk):], trunk, code)
        if digits.startswith(code) and len(digits) - len(code) in lengths and (
                not trunk or not digits.startswith(trunk) or code == trunk):
            return _national(digits[len(code):], trunk, code)  # "447700900123"
        return digits
    if international.startswith(code) and len(international) - len(code) in lengths:
        return _national(international[len(code):], trunk, code)
    return "+" + international


def _national(significant: str, trunk: str, code: str) -> str:
    # North America: the ten digits; elsewhere as dialled at home ("0" + the number).
    return significant if code == "1" else trunk + significant


@lru_cache(maxsize=32)
def address_key(zone: str) -> Callable[[str], str]:
    """For matching participants' addresses in a conversation kept in `zone`: numbers
    by `number_key` in the zone's country, anything else (e-mail, handle) as it is."""
    country = country_for_zone(zone)

    def key(address: str) -> str:
        return number_key(address, country) if looks_like_number(address) else address

    return key
