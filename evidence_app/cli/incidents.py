"""`incident` (add, edit, list, show, delete, and import a diary kept in a spreadsheet) and
`note`."""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from itertools import zip_longest
from pathlib import Path

from evidence_app.cli.common import (
    Parser,
    Subcommands,
    emit,
    open_case,
    plural,
    printable,
    record_id,
)
from evidence_app.core.dates import When
from evidence_app.core.errors import UserError
from evidence_app.core.vocab import Category, Precision

SHOW_ROWS = 20  # a terminal shows this many row problems; --json lists them all


def cmd_incident_add(args: argparse.Namespace) -> int:
    from evidence_app.core.dates import parse_when
    from evidence_app.core.incidents import create_incident

    if args.from_messages:
        from evidence_app.cli.messages import create_from_messages

        if args.when or args.until:
            raise UserError("An incident made from messages takes its time from them; "
                            "leave out --when and --until.")
        with open_case(args) as case:
            category = _category(args.category).value if args.category != "other" else None
            new_id = create_from_messages(case, args, category)
        emit(args, {"id": new_id}, str(new_id))
        return 0
    if not args.title:
        raise UserError("An incident needs a --title (or --from-messages); see "
                        "evidence-app incident add --help.")
    with open_case(args) as case:
        tz = case.settings().timezone
        when = parse_when(args.when, tz, precision=args.precision, end_text=args.until)
        warn_clock_change(when)
        category = _category(args.category)
        new_id = create_incident(
            case, when=when, title=args.title, location=args.location,
            description=args.description, category=category.value,
            suspect_appearance=args.suspect_appearance, suspect_voice=args.suspect_voice,
            suspect_clothing=args.suspect_clothing, witnesses=args.witnesses,
            impact=args.impact, police_reference=args.police_reference,
            police_officer=args.police_officer, tags=args.tag)
    emit(args, {"id": new_id}, str(new_id))
    return 0


def warn_clock_change(when: When) -> None:
    """A time in the hour the clocks repeat gets the warning the diary import gives."""
    from evidence_app.core.dates import clock_change_warning

    note = clock_change_warning(when)
    if note:
        print(f"warning: {note}", file=sys.stderr)


def _category(text: str) -> Category:
    from evidence_app.core.vocab import parse_category

    try:
        return parse_category(text)
    except ValueError as exc:
        raise UserError(f"{exc}; choose one of: {', '.join(c.value for c in Category)}") from exc


# The free-text fields `incident add` and `incident edit` take, beside title, location and
# description: (option, what it is).
MORE_FIELDS = (("suspect-appearance", "what the suspect looked like"),
               ("suspect-voice", "how the suspect sounded"),
               ("suspect-clothing", "what the suspect wore"),
               ("witnesses", "who saw or heard it"),
               ("impact", "how it affected you"),
               ("police-reference", "the police or crime reference number"),
               ("police-officer", "the officer dealing with it"))
TEXT_OPTIONS = ("title", "location", "description", *(name for name, _ in MORE_FIELDS))


def cmd_incident_edit(args: argparse.Namespace) -> int:
    """Change the fields given, through the same service (and so the same audit event)
    as the app's incident editor; tags through the same service as its tag buttons."""
    from evidence_app.core.dates import parse_when
    from evidence_app.core.incidents import get_incident, set_tags, update_incident

    changes: dict[str, object] = {}
    for option in TEXT_OPTIONS:
        value = getattr(args, option.replace("-", "_"))
        if value is not None:
            changes[option.replace("-", "_")] = value
    if "title" in changes and not str(changes["title"]).strip():
        raise UserError("The title cannot be empty; give a few words, e.g. 'Car outside the "
                        "house'.")
    if args.category is not None:
        changes["category"] = _category(args.category).value
    if args.when is None and (args.until is not None or args.precision is not None):
        raise UserError("Give --when with --until or --precision: the whole date is "
                        "read again.")
    if not changes and args.when is None and not args.tag and not args.untag:
        raise UserError("Nothing to change: give the fields to change, e.g. --title TEXT "
                        "(see incident edit --help).")
    with open_case(args) as case:
        before = get_incident(case, args.id)
        when = None
        if args.when is not None:
            # Read in the incident's own zone: where it happened.
            when = parse_when(args.when, before.timezone, precision=args.precision,
                              end_text=args.until or "")
            warn_clock_change(when)
        changed = update_incident(case, args.id, when=when, **changes)
        tags = list(before.tags)
        if args.tag or args.untag:
            remove = {" ".join(t.split()) for t in args.untag}
            wanted = [t for t in [*tags, *args.tag] if " ".join(t.split()) not in remove]
            set_tags(case, args.id, wanted)
            after = get_incident(case, args.id).tags
            if after != tags:
                changed = sorted({*changed, "tags"})
            tags = after
    data = {"id": args.id, "changed": changed, "tags": tags}
    if changed:
        text = f"Incident {args.id}: changed {', '.join(f.replace('_', ' ') for f in changed)}."
    else:
        text = f"Incident {args.id}: nothing changed (it already holds what was given)."
    emit(args, data, text)
    return 0


NBSP = "\u00a0"
_DAY = re.compile(r"\b(?:[A-Z][a-z]{2} )?\d{1,2} [A-Z][a-z]{2} \d{4}\b")
WHEN_W, CAT_W = 36, 28  # `incident list` columns: a same-day "between" fits WHEN


def cmd_incident_list(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import list_incidents

    with open_case(args) as case:
        rows = list_incidents(case)

    def text() -> str:
        if not rows:
            return "No incidents yet."
        # A WHEN or CATEGORY too long for its column wraps onto lines of its own under
        # that column (never cut: a date must be read whole), so the columns stay in line.
        lines = [f"{'ID':>5}  {'WHEN':<{WHEN_W}} {'CATEGORY':<{CAT_W}} {'EXH':>3}  TITLE"]
        for r in rows:
            # "12 Mar 2025" is never split across lines (no-break spaces while wrapping).
            when = [w.replace(NBSP, " ") for w in
                    textwrap.wrap(_DAY.sub(lambda m: m[0].replace(" ", NBSP), r.when_text),
                                  WHEN_W)] or [""]
            cat = textwrap.wrap(r.category_text, CAT_W) or [""]
            for n, (w, c) in enumerate(zip_longest(when, cat, fillvalue="")):
                first = n == 0
                lines.append((f"{r.id:>5}" if first else " " * 5)
                             + f"  {w:<{WHEN_W}} {c:<{CAT_W}} "
                             + (f"{r.exhibit_count:>3}  {r.title}" if first else ""))
        return "\n".join(line.rstrip(" ") for line in lines)  # a title's own ends stay

    emit(args, {"incidents": [dict(r.to_json(), when=r.when_text) for r in rows]}, text)
    return 0


def cmd_incident_show(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import get_incident

    with open_case(args) as case:
        d = get_incident(case, args.id)

    def text() -> str:
        out = [f"Incident {d.id}: {d.title}", f"  When:      {d.when_text}",
               f"  Category:  {d.category_text}"]
        for label, value in (("Location", d.location), ("What happened", d.description),
                             ("Suspect", d.suspect_appearance), ("Voice", d.suspect_voice),
                             ("Clothing", d.suspect_clothing), ("Witnesses", d.witnesses),
                             ("Impact", d.impact), ("Police ref", d.police_reference),
                             ("Officer", d.police_officer)):
            if value:
                out.append(f"  {label + ':':<14} {value}")
        until = f" to {d.recorded_until:%d %b %Y %H:%M}" if d.recorded_until else ""
        out.append(f"  Recorded:  {d.recorded_at:%d %b %Y %H:%M}{until} UTC")
        for a in d.amendments:
            out.append(f"  Amended:   {a.at:%d %b %Y %H:%M} UTC ({', '.join(a.fields)})")
        for n in d.notes:
            out.append(f"  Note {n.created_at:%d %b %Y %H:%M}{' (private)' if n.private else ''}: {n.text}")
        for att in d.attachments:
            out.append(f"  Exhibit {att.exhibit_mark}: {printable(att.original_name)} ({att.sha256[:12]}...)")
        for person in d.people:
            out.append(f"  Person {person.id}: {person.name} ({person.role})")
        for vehicle in d.vehicles:
            out.append(f"  Vehicle {vehicle.id}: {vehicle.label}")
        if d.tags:
            out.append(f"  Tags:      {', '.join(d.tags)}")
        return "\n".join(out)

    data = d.to_json()
    data["when"] = d.when_text
    emit(args, data, text)
    return 0


def cmd_incident_delete(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import delete_incident

    with open_case(args) as case:
        delete_incident(case, args.id)
    emit(args, {"id": args.id, "trashed": True}, f"Incident {args.id} moved to the trash.")
    return 0


def cmd_incident_import(args: argparse.Namespace) -> int:
    from evidence_app.core.importers.diary_csv import DiaryRowsInvalid, import_diary, read_diary

    with open_case(args) as case:
        preview = read_diary(args.file, case.settings().timezone)
        try:
            result = import_diary(case, preview, skip_invalid=args.skip_invalid,
                                  allow_duplicates=args.allow_duplicates)
        except DiaryRowsInvalid as exc:
            if args.json:
                emit(args, {"imported": 0, "invalid": [{"line": r.line, "reason": r.error}
                                                       for r in exc.rows]}, "")
            else:
                for r in exc.rows[:SHOW_ROWS]:
                    print(f"line {r.line}: {r.error}", file=sys.stderr)
                if len(exc.rows) > SHOW_ROWS:
                    print(f"... and {len(exc.rows) - SHOW_ROWS} more", file=sys.stderr)
            print(f"error: {len(exc.rows)} row(s) cannot be read; nothing was imported "
                  "(use --skip-invalid to import the readable rows)", file=sys.stderr)
            return 2
    warnings = [{"line": r.line, "warning": w} for r in preview.valid for w in r.warnings]

    def text() -> str:
        lines = [f"Imported {plural(result.imported, 'incident')} from {args.file}."]
        if result.exhibit:
            lines.append(f"The diary itself is kept as exhibit {result.exhibit}.")
        if result.already:
            lines.append(f"Left out {plural(len(result.already), 'row')} already in the case "
                         "(same date, title and description; --allow-duplicates imports "
                         "them anyway).")
        lines += [f"skipped line {r.line}: {r.error}" for r in result.skipped[:SHOW_ROWS]]
        if len(result.skipped) > SHOW_ROWS:
            lines.append(f"... and {len(result.skipped) - SHOW_ROWS} more skipped")
        lines += [f"line {w['line']}: {w['warning']}" for w in warnings[:SHOW_ROWS]]
        if len(warnings) > SHOW_ROWS:
            lines.append(f"... and {len(warnings) - SHOW_ROWS} more warnings")
        return "\n".join(lines)

    emit(args, dict(result.to_json(), warnings=warnings), text)
    return 0


def add_incident(sub: Subcommands, json_parent: Parser) -> None:
    js = json_parent
    inc = sub.add_parser("incident", help="add, edit, list, show, delete and import incidents")
    isub = inc.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = isub.add_parser("add", parents=[js], help="record an incident; prints its id")
    _incident_options(p, editing=False)
    p.add_argument("--from-messages", action="append", default=[], metavar="CONV:RANGE",
                   help="make it from imported messages, e.g. 3:341-355 (numbers from "
                        "conversation show; repeatable): its time, title and type follow "
                        "from them unless given")
    p.set_defaults(run=cmd_incident_add)
    p = isub.add_parser("edit", parents=[js],
                        help="change some fields of an incident (only those given)",
                        epilog="Each change is audited as an edit made in the app (old and new "
                               "values). An empty value (--location '') clears a field; "
                               "--when '' makes the incident undated.")
    p.add_argument("id", type=record_id, metavar="ID", help="the incident's id (see incident list)")
    _incident_options(p, editing=True)
    p.set_defaults(run=cmd_incident_edit)
    p = isub.add_parser("list", parents=[js], help="all incidents, oldest first")
    p.set_defaults(run=cmd_incident_list)
    p = isub.add_parser("show", parents=[js], help="every field of one incident")
    p.add_argument("id", type=record_id, metavar="ID", help="the incident's id (see incident list)")
    p.set_defaults(run=cmd_incident_show)
    p = isub.add_parser("import", parents=[js], help="import a diary kept in a spreadsheet (CSV)")
    p.add_argument("file", type=Path, metavar="FILE.csv", help="the diary saved as CSV")
    p.add_argument("--skip-invalid", action="store_true",
                   help="import the readable rows even if some cannot be read")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="also import rows already in the case (same date, title and "
                        "description); by default they are left out, so importing an "
                        "updated diary again adds only its new rows")
    p.set_defaults(run=cmd_incident_import)
    p = isub.add_parser("delete", parents=[js], help="move an incident to the trash")
    p.add_argument("id", type=record_id, metavar="ID", help="the incident's id")
    p.set_defaults(run=cmd_incident_delete)


def _incident_options(p: Parser, editing: bool) -> None:
    """The field options of `incident add`; with `editing`, none has a default, so only
    the options given change anything."""
    unset = None if editing else ""
    p.add_argument("--when", default=unset, metavar="DATE",
                   help="day first: '12/03/2025 14:30', '12/03/2025 about 9pm', 'March 2025', "
                        "2025-03-12T14:30; years 1900 to 2100 "
                        + ("(read in the incident's own time zone)" if editing
                           else "(default: undated)"))
    p.add_argument("--until", default=unset, metavar="DATE", help="end of a 'between' period")
    p.add_argument("--precision", choices=[p.value for p in Precision],
                   help="how exactly the time is known (default: read from --when)")
    p.add_argument("--title", default=None,
                   help="a few words, e.g. 'Car outside the house'")
    p.add_argument("--location", default=unset, metavar="TEXT", help="where it happened")
    p.add_argument("--description", default=unset, metavar="TEXT", help="what happened")
    p.add_argument("--category", default=None if editing else "other",
                   help="one of: " + ", ".join(c.value for c in Category)
                        + ("" if editing else " (default: other)"))
    for name, what in MORE_FIELDS:
        p.add_argument(f"--{name}", default=unset, metavar="TEXT", help=what)
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="a tag such as 'astra' (repeatable)"
                        + ("; added to the incident's tags" if editing else ""))
    if editing:
        p.add_argument("--untag", action="append", default=[], metavar="TAG",
                       help="take this tag off the incident (repeatable)")


def cmd_note_add(args: argparse.Namespace) -> int:
    from evidence_app.core.incidents import add_note

    with open_case(args) as case:
        note_id = add_note(case, args.incident, args.text, private=args.private)
    emit(args, {"id": note_id}, str(note_id))
    return 0


def add_note(sub: Subcommands, json_parent: Parser) -> None:
    note = sub.add_parser("note", help="add notes to incidents")
    nsub = note.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = nsub.add_parser("add", parents=[json_parent], help="add a timestamped note")
    p.add_argument("incident", type=record_id, metavar="INCIDENT_ID",
                   help="the incident the note is about")
    p.add_argument("--text", required=True, help="what to note, e.g. 'Rang 101'")
    p.add_argument("--private", action="store_true", help="keep out of reports by default")
    p.set_defaults(run=cmd_note_add)
