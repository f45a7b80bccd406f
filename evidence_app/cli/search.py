"""`search` and `ocr` subcommands.

    evidence-app --case DIR search silver astra --from 2025-03-01 --person "Mark Jones"
    evidence-app --case DIR search -- "ab12 cde" -tesco --json
    evidence-app --case DIR ocr

Query words may be mixed with options; a word starting with one `-` leaves out what
contains it (put `--` before the query if it starts with one).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from evidence_app.cli.common import Parser, Subcommands, day, emit, open_case, progress_to_stderr
from evidence_app.core.errors import UserError

if TYPE_CHECKING:
    from evidence_app.core.cases import Case

# option -> (destination, takes a value, repeatable)
_OPTIONS: dict[str, tuple[str, bool, bool]] = {
    "--from": ("date_from", True, False), "--to": ("date_to", True, False),
    "--category": ("category", True, True), "--tag": ("tag", True, True),
    "--person": ("person", True, True), "--vehicle": ("vehicle", True, True),
    "--order": ("order", True, False), "--limit": ("limit", True, False),
    "--has-exhibits": ("has_exhibits", False, False), "--inbox": ("inbox", False, False),
    "--include-trash": ("include_trash", False, False), "--json": ("json", False, False),
    "--exact": ("exact", False, False),
}


def _split_words(args: argparse.Namespace) -> list[str]:
    """Options given after the first query word land in `words`: take them out."""
    words: list[str] = []
    tokens = list(args.words)
    literal = False
    while tokens:
        token = tokens.pop(0)
        if token == "--" and not literal:
            literal = True
            continue
        name, _, inline = token.partition("=")
        spec = None if literal else _OPTIONS.get(name)
        if spec is None:
            words.append(token)
            continue
        dest, takes_value, repeat = spec
        if takes_value:
            if not inline and not tokens:
                raise UserError(f"{name} needs a value.")
            value: Any = inline or tokens.pop(0)
        else:
            value = True
        if repeat:
            getattr(args, dest).append(value)
        else:
            setattr(args, dest, value)
    return words


def _person_ids(case: Case, wanted: list[str]) -> tuple[int, ...]:
    from evidence_app.core.people import list_people

    people = list_people(case)
    out = []
    for text in wanted:
        if text.isdigit() and any(p.id == int(text) for p in people):
            out.append(int(text))
            continue
        exact = [p for p in people if p.name.casefold() == text.casefold()]
        some = exact or [p for p in people if text.casefold() in p.name.casefold()]
        if len(some) != 1:
            names = ", ".join(f"{p.name} ({p.id})" for p in (some or people)[:10]) or "none yet"
            raise UserError(f"No single person matches {text!r}; people: {names}.")
        out.append(some[0].id)
    return tuple(out)


def _vehicle_ids(case: Case, wanted: list[str]) -> tuple[int, ...]:
    from evidence_app.core.people import find_vehicle_by_plate, list_vehicles

    vehicles = list_vehicles(case)
    out = []
    for text in wanted:
        if text.isdigit() and any(v.id == int(text) for v in vehicles):
            out.append(int(text))
            continue
        found = find_vehicle_by_plate(case, text)
        if found is None:
            known = ", ".join(f"{v.label} ({v.id})" for v in vehicles[:10]) or "none yet"
            raise UserError(f"No vehicle has the plate {text!r}; vehicles: {known}.")
        out.append(found.id)
    return tuple(out)


def cmd_search(args: argparse.Namespace) -> int:
    from evidence_app.core.search.find import SearchFilters, search
    from evidence_app.core.vocab import parse_category

    query = " ".join(_split_words(args))
    if args.order not in ("relevance", "newest", "oldest"):
        raise UserError("--order must be relevance, newest or oldest.")
    try:
        limit = int(args.limit)
    except ValueError as exc:
        raise UserError("--limit must be a number.") from exc
    if limit < 0:
        raise UserError("--limit must be 0 or more.")
    try:
        categories = tuple(parse_category(c).value for c in args.category)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    with open_case(args) as case:
        filters = SearchFilters(
            date_from=day(args.date_from, False), date_to=day(args.date_to, True),
            categories=categories, tags=tuple(args.tag),
            people=_person_ids(case, args.person), vehicles=_vehicle_ids(case, args.vehicle),
            has_exhibits=args.has_exhibits, inbox_only=args.inbox,
            include_trash=args.include_trash)
        if not query.strip() and not filters.active:
            raise UserError("Give some words to look for, or a filter such as --tag.")
        result = search(case, query, filters, order=args.order, limit=limit,
                        prefix_last=not args.exact)
        messages, message_total = _messages(case, query, filters, limit, not args.exact)
    bold = sys.stdout.isatty()

    def text() -> str:
        if messages and not result.hits and result.total <= 0:
            return _message_lines(messages, message_total, bold)
        if not result.hits and result.total <= 0:
            return result.message or (f"Nothing found for {query!r}." if query.strip()
                                      else "Nothing found.")
        shown = f" (showing {len(result.hits)})" if len(result.hits) < result.total else ""
        many = f"more than {result.total - 1}" if result.more else str(result.total)
        lines = [f"{many} result(s){shown}" + (":" if result.hits else ".")]
        for h in result.hits:
            what = f"incident {h.id}" if h.kind == "incident" else f"exhibit {h.exhibit}"
            flag = "  [in the trash]" if h.trashed else ""
            lines.append(f"{what:<16} {h.when:<28} {h.title}{flag}")
            if h.snippet:
                marked = (h.marked_snippet("\033[1m", "\033[0m") if bold
                          else h.marked_snippet("[", "]"))
                lines.append(f"{'':<16} {marked}")
        if result.message:
            lines.append(result.message)
        if messages:
            lines.append(_message_lines(messages, message_total, bold))
        return "\n".join(lines)

    emit(args, {"query": query, "total": result.total, "more": result.more,
                "message": result.message,
                "results": [h.to_json() for h in result.hits],
                "messages": {"total": message_total,
                             "results": [h.to_json() for h in messages]}}, text)
    return 0


def _messages(case: Case, query: str, filters: Any, limit: int, prefix: bool,
              ) -> tuple[list[Any], int]:
    """Messages matching the words (filters about incidents leave messages out)."""
    from evidence_app.core.search.messages import search_messages
    from evidence_app.core.search.query import parse_query

    if filters.active or not query.strip() or limit == 0:
        return [], 0
    return search_messages(case, parse_query(query, prefix_last=prefix), limit=limit)


def _message_lines(hits: list[Any], total: int, bold: bool) -> str:
    shown = f" (showing {len(hits)})" if len(hits) < total else ""
    lines = [f"{total} message(s){shown}:"]
    for h in hits:
        where = f"conv {h.conversation_id} #{h.message_index}"
        lines.append(f"{where:<16} {h.when:<28} {h.title}")
        marked = h.marked_snippet("\033[1m", "\033[0m") if bold else h.marked_snippet("[", "]")
        lines.append(f"{'':<16} {marked}")
    return "\n".join(lines)


def add_search(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser(
        "search", parents=[json_parent],
        help="find incidents, exhibits and messages by their words",
        description="Plain words must all match (any order; accents and case ignored); "
                    '"a phrase"; -word leaves out; a OR b; the last word also matches as a '
                    "prefix unless --exact. Number plates match with or without spaces.")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="on or after this day")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="on or before this day")
    p.add_argument("--category", action="append", default=[], help="behaviour category")
    p.add_argument("--tag", action="append", default=[], help="has this tag")
    p.add_argument("--person", action="append", default=[], metavar="NAME|ID",
                   help="linked to this person")
    p.add_argument("--vehicle", action="append", default=[], metavar="PLATE|ID",
                   help="linked to this vehicle")
    p.add_argument("--has-exhibits", action="store_true", help="only with exhibits")
    p.add_argument("--inbox", action="store_true", help="only imported files not yet filed")
    p.add_argument("--include-trash", action="store_true", help="also what is in the trash")
    p.add_argument("--order", choices=["relevance", "newest", "oldest"], default="relevance")
    p.add_argument("--limit", type=int, default=50, help="how many results to print (50)")
    p.add_argument("--exact", action="store_true", help="no prefix matching of the last word")
    p.add_argument("words", nargs=argparse.REMAINDER, metavar="QUERY",
                   help="what to look for")
    p.set_defaults(run=cmd_search)


def cmd_ocr(args: argparse.Namespace) -> int:
    from evidence_app.core import ocr

    with open_case(args) as case:
        if args.retry_failed:
            again = ocr.retry_failed(case)
            if not args.json:
                print(f"{again} image(s) queued again.", file=sys.stderr)
        if args.status:
            counts = ocr.counts(case)
            emit(args, dict(counts.to_json(), tesseract=ocr.tesseract_version()),
                 f"{counts.pending} waiting, {counts.done} read, {counts.failed} could not "
                 f"be read.\n{ocr.availability()}")
            return 0
        if ocr.tesseract_version() is None:
            raise UserError(ocr.availability())
        results = []
        for event in progress_to_stderr(ocr.run_queue(case, respect_pause=False),
                                        quiet=args.json):
            item = event.item
            if item is None:
                continue
            results.append(item)
            if not args.json:
                detail = f"{item.chars} characters" if item.status == "done" else item.reason
                print(f"{item.status:<7} {item.exhibit:<8} {detail}".rstrip())
        counts = ocr.counts(case)
    summary = {s: sum(r.status == s for r in results) for s in ("done", "failed", "skipped")}
    emit(args, {"results": [r.to_json() for r in results], **summary,
                "pending": counts.pending},
         f"{summary['done']} read, {summary['failed']} could not be read; "
         f"{counts.pending} waiting.")
    return 1 if summary["failed"] else 0


def add_ocr(sub: Subcommands, json_parent: Parser) -> None:
    p = sub.add_parser("ocr", parents=[json_parent],
                       help="read the text in queued screenshots and photos (Tesseract)")
    p.add_argument("--status", action="store_true", help="only say how many wait")
    p.add_argument("--retry-failed", action="store_true",
                   help="queue again the images that could not be read")
    p.set_defaults(run=cmd_ocr)
