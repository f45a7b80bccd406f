"""`init`, `case settings` and `verify`: making a case folder, its details (whose it is,
initials, address, contact, time zone), and checking that nothing in it has changed."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    chosen_case,
    emit,
    one_line,
    open_case,
    result_of,
)
from evidence_app.core.errors import CaseError, UserError


def cmd_init(args: argparse.Namespace) -> int:
    from evidence_app import paths
    from evidence_app.core.cases import create_case

    folder = Path(args.case).expanduser() if args.case else paths.default_case_dir()
    passphrase = None
    if args.encrypt:
        from evidence_app.cli.common import ask_passphrase

        passphrase = ask_passphrase(args, "Passphrase for the new case: ", new=True)
    with create_case(folder, owner_name=args.owner, initials=args.initials,
                     case_name=args.name, timezone=args.timezone,
                     passphrase=passphrase) as case:
        s = case.settings()
        # The default case made here is the one the app opens too, unless the app has
        # opened another (that one stays the default) or the person asked it not to
        # remember cases. A case made with --case is never remembered.
        if (not args.case and paths.last_opened_case() is None
                and paths.cases_remembered() is not False):
            paths.remember_last_case(case.folder, by="init")
        data = {"case": str(case.folder), "case_name": s.case_name, "owner": s.owner_name,
                "initials": s.initials, "timezone": s.timezone, "encrypted": case.encrypted}
        text = (f"Created case '{s.case_name}' in {case.folder} (exhibits marked "
                f"{s.initials}/1, {s.initials}/2, ...)")
        if case.recovery_key is not None:
            from evidence_app.cli.encryption import recovery_text

            data["recovery_key"] = case.recovery_key
            text = (f"Created the encrypted case '{s.case_name}' in {case.folder} (exhibits "
                    f"marked {s.initials}/1, {s.initials}/2, ...).\n\n"
                    + recovery_text(case.recovery_key))
        emit(args, data, text)
    return 0


def add_init(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("init", parents=[json_parent], help="create a new case folder")
    p.add_argument("--owner", required=True, help="full name of the person the case belongs to")
    p.add_argument("--initials", required=True, help="initials for exhibit marks, e.g. JS")
    p.add_argument("--name", default="", help="case name (default: the owner's name)")
    p.add_argument("--timezone", default="Europe/London",
                   help="IANA time zone of the dates you type (default: Europe/London)")
    p.add_argument("--encrypt", action="store_true",
                   help="encrypt the case with a passphrase (asked twice; or one line of "
                        "standard input with --passphrase-stdin); prints its recovery key")
    p.set_defaults(run=cmd_init)


# --phone and --email keep their own line of the contact details (the app has one
# free-text Contact field, "Phone, email"); other lines are left as they are.
PHONE = re.compile(r"^\+?[0-9 ()\-.]+(?:\s*(?:ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def contact_with(contact: str, label: str, value: str) -> str:
    """The contact text with its 'Label: ...' line set to `value` (removed when empty)."""
    out: list[str] = []
    placed = False
    for line in contact.splitlines():
        if line.strip().lower().startswith(label.lower() + ":"):
            if value and not placed:
                out.append(f"{label}: {value}")
            placed = True
        else:
            out.append(line)
    if value and not placed:
        out.append(f"{label}: {value}")
    return "\n".join(out).strip()


def contact_line(contact: str, label: str) -> str:
    """What the contact text's 'Label: ...' line holds ('' if none)."""
    for line in contact.splitlines():
        if line.strip().lower().startswith(label.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def _phone(text: str) -> str:
    value = one_line(text, "--phone")
    digits = sum(ch.isdigit() for ch in value)
    if value and (not PHONE.match(value) or not 5 <= digits <= 20):
        raise UserError(f"{value!r} does not look like a phone number; give digits, spaces "
                        "and + ( ) - only, e.g. '07700 900123' or '+44 7700 900123'.")
    return value


def _email(text: str) -> str:
    value = one_line(text, "--email")
    if value and not EMAIL.match(value):
        raise UserError(f"{value!r} does not look like an email address, e.g. "
                        "jane@example.com.")
    return value


def cmd_case_settings(args: argparse.Namespace) -> int:
    """Print the case's details, or change those given through the same service (and so
    with the same audit event) as the app's Case settings window."""
    from evidence_app.core.settings import update_settings, validate_initials, validate_timezone

    changes: dict[str, str] = {}
    if args.owner is not None:
        changes["owner_name"] = one_line(args.owner, "--owner")
        if not changes["owner_name"]:
            raise UserError("Your name cannot be empty: it goes on the report.")
    if args.name is not None:
        changes["case_name"] = one_line(args.name, "--name")
    if args.initials is not None:
        changes["initials"] = validate_initials(one_line(args.initials, "--initials"))
    if args.timezone is not None:
        changes["timezone"] = validate_timezone(one_line(args.timezone, "--timezone"))
    if args.address is not None:
        changes["address"] = args.address.replace("\x00", "").strip()
    phone = _phone(args.phone) if args.phone is not None else None
    email = _email(args.email) if args.email is not None else None
    with open_case(args) as case:
        before = case.settings()
        if changes or phone is not None or email is not None or args.contact is not None:
            contact = before.contact if args.contact is None else args.contact.replace(
                "\x00", "").strip()
            if phone is not None:
                contact = contact_with(contact, "Phone", phone)
            if email is not None:
                contact = contact_with(contact, "Email", email)
            changes["contact"] = contact
            if changes.get("case_name") == "":  # as the app does: the owner's name
                changes["case_name"] = changes.get("owner_name", before.owner_name)
            # Only what differs, as the app's window sends it.
            changes = {k: v for k, v in changes.items() if getattr(before, k) != v}
            if changes:
                update_settings(case, **changes)
        s = case.settings()
    data = {"case": str(case.folder), "case_name": s.case_name, "owner": s.owner_name,
            "initials": s.initials, "address": s.address, "contact": s.contact,
            "phone": contact_line(s.contact, "Phone"), "email": contact_line(s.contact, "Email"),
            "timezone": s.timezone, "next_exhibit": f"{s.initials}/{s.next_exhibit_serial}",
            "changed": sorted(changes)}

    def text() -> str:
        lines = []
        if changes:
            lines.append("Changed: " + ", ".join(k.replace("_", " ") for k in sorted(changes))
                         + ".")
        address = s.address.replace("\n", ", ") if s.address else "(none)"
        contact = s.contact.replace("\n", "; ") if s.contact else "(none)"
        lines += [f"Case name:  {s.case_name}", f"Owner:      {s.owner_name}",
                  f"Initials:   {s.initials} (next exhibit {data['next_exhibit']})",
                  f"Address:    {address}", f"Contact:    {contact}",
                  f"Time zone:  {s.timezone}"]
        return "\n".join(lines)

    emit(args, data, text)
    return 0


def add_case(sub: Subcommands, json_parent: Parser) -> None:
    group = sub.add_parser("case", help="the case's details: whose it is, initials, address, "
                                        "contact, time zone")
    csub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = csub.add_parser(
        "settings", parents=[json_parent],
        help="show the case's details, or change those given",
        epilog="With no option, prints them. Each change is audited as one made in the app's "
               "Case settings window (old and new values). New initials apply to new "
               "exhibits only: marks already given never change. The address and contact "
               "details are left out of reports unless you ask for them.")
    p.add_argument("--owner", metavar="NAME", help="your full name, as it goes on the report")
    p.add_argument("--name", metavar="TEXT", help="the case's name (empty: your name)")
    p.add_argument("--initials", metavar="XX", help="1 to 6 letters for new exhibit marks")
    p.add_argument("--address", metavar="TEXT", help="your address (may span lines)")
    p.add_argument("--phone", metavar="TEXT",
                   help="your phone number: the 'Phone:' line of the contact details "
                        "('' removes it)")
    p.add_argument("--email", metavar="TEXT",
                   help="your email address: the 'Email:' line of the contact details "
                        "('' removes it)")
    p.add_argument("--contact", metavar="TEXT",
                   help="all the contact details at once, as the app's Contact box holds "
                        "them (--phone and --email then set their lines in it)")
    p.add_argument("--timezone", metavar="ZONE",
                   help="IANA time zone of the dates you type, e.g. Europe/London")
    p.set_defaults(run=cmd_case_settings)


def cmd_verify(args: argparse.Namespace) -> int:
    from evidence_app.core.store.anchor import parse_head_text
    from evidence_app.core.store.verify import VerifyReport, recovered_words, verify_case

    stated = None
    if args.head:
        try:
            stated = parse_head_text(args.head)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
    try:
        opened = open_case(args)
    except CaseError as exc:
        from evidence_app.core.cases import check_damaged, database_refused

        folder = chosen_case(args)[0]
        if not database_refused(folder, exc):
            raise
        # SQLite refuses the database (its start is damaged): the checks run on a
        # repaired copy made aside, and say so first.
        found = result_of(check_damaged(folder, stated_head=stated), VerifyReport,
                          quiet=args.json)
    else:
        with opened as case:
            if getattr(args, "repair", False):
                from evidence_app.core.search.index import rebuild_case_index

                rebuilt = rebuild_case_index(case)
                if not args.json:
                    print(f"Rebuilt the search index ({rebuilt} record(s)).", file=sys.stderr)
            found = result_of(verify_case(case, stated_head=stated), VerifyReport,
                              quiet=args.json)
    report = found if found is not None else VerifyReport()

    def text() -> str:
        lines = [f"Checked {report.originals_checked} original(s), {report.audit_events} "
                 f"audit event(s) and {report.records_checked} record(s) against the "
                 "audit trail."]
        if report.damage:
            held = recovered_words(report.recovered)
            lines.insert(0, "THE CASE DATABASE IS DAMAGED: " + report.damage + ". Nothing "
                         "in the case folder was changed by this check.")
            lines.insert(1, f"What can still be read: {held}." if held else
                         "Nothing in the database can be read.")
        if report.head:
            since = report.head.get("kept_since") or {}
            kept = (f"; kept beside the case since event {since.get('events', '?')}"
                    if since else "")
            lines.append(f"The log's head: {report.head['text']}{kept}.")
        lines += [f"PROBLEM: {p}" for p in report.problems]
        if report.unreferenced:
            from evidence_app.core.evidence_check import never_added

            lines.append(f"note: {never_added(len(report.unreferenced))}")
        lines += [f"note: {n}" for n in report.notices]
        lines.append("Everything holds." if report.ok else f"{len(report.problems)} problem(s) found.")
        return "\n".join(lines)

    emit(args, report.to_json(), text)
    return 0 if report.ok else 1


def add_verify(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("verify", parents=[json_parent],
                       help="check originals, database and audit trail")
    p.add_argument("--repair", action="store_true",
                   help="first rebuild what can be rebuilt (the search index)")
    p.add_argument("--head", metavar="EVENTS:HASH",
                   help="also check that the log has only grown since this head (as a "
                        "report or backup states it, e.g. 1234:3f5a9c0d...)")
    p.set_defaults(run=cmd_verify)
