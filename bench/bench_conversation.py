"""First paint of the conversation view with 100,000 messages (target: under 300 ms).

Saves a 100,000-message WhatsApp-like conversation (texts, calls, a deleted message a
day, right-to-left lines, emoji) through core's importer API, and a 200-message one
beside it as the baseline, then opens each in the conversation view, alternately, and
times from asking for the conversation to the end of the first paint of its messages
(count, first page read on the reader thread, rows laid out, viewport painted). Also
times a jump to message 50,000 (a search hit) and reading the page above it. Run:

    .venv/bin/python bench/bench_conversation.py [--messages 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEXTS = ["where are you", "I know you're home, the lights are on", "answer me",
         "why are you ignoring me?? 😡", "I saw you with him today at AB12 CDE",
         "You can't hide forever, I will find out where you live now " * 3,
         "pick up the phone", "لماذا لا تردين؟", "I'm outside", "ok"]


def export(n: int, title: str) -> object:
    from evidence_app.core.importers.chat import ChatExport, ChatMessage

    at = datetime(2023, 1, 2, 18, 0, tzinfo=UTC)
    msgs = []
    for i in range(n):
        at += timedelta(minutes=3 + (i * 7) % 11)
        if i % 40 == 7:
            msgs.append(ChatMessage("Mark", at, "exact", i + 1, kind="call",
                                    call_direction="incoming", call_status="missed"))
        elif i % 97 == 3:
            msgs.append(ChatMessage("Mark", at, "case_zone", i + 1,
                                    text="This message was deleted"))
        else:
            sender = "Jane" if i % 6 == 5 else "Mark"
            msgs.append(ChatMessage(sender, at, "case_zone", i + 1,
                                    text=f"{TEXTS[i % len(TEXTS)]} ({i})"))
    return ChatExport("whatsapp", title, title, msgs, owner_names={"Jane"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EVIDENCE_APP_HOME"] = str(Path(tmp) / "home")
        from PySide6.QtWidgets import QApplication

        from evidence_app.core import conversations as conv
        from evidence_app.core.cases import create_case
        from evidence_app.core.importers.chat import save_exports
        from evidence_app.gui.app import make_application
        from evidence_app.gui.conversation_data import conversation_source
        from evidence_app.gui.tasks import CaseOps
        from evidence_app.gui.widgets.conversation_view import ConversationView

        case = create_case(Path(tmp) / "case", owner_name="Jane Smith", initials="JS")
        ids = {}
        for n, title in ((args.messages, "Mark (long)"), (200, "Mark (short)")):
            path = Path(tmp) / f"{n}.txt"
            path.write_text(f"{n} messages", encoding="utf-8")
            t0 = time.perf_counter()
            list(save_exports(case, path, [export(n, title)], "bench"))
            print(f"saved {n:,} messages in {time.perf_counter() - t0:.1f} s", flush=True)
        for c in conv.list_conversations(case):
            ids[c.message_count] = c.id
        app = make_application()
        ops = CaseOps(case)
        view = ConversationView(ops)
        view.resize(1000, 700)
        view.show()
        app.processEvents()

        def first_paint(cid: int) -> float:
            view.set_source(None)
            app.processEvents()
            t0 = time.perf_counter()
            view.set_source(conversation_source(cid), "bench")
            while not view.model.ready:
                app.processEvents()
                time.sleep(0.0005)
            view.list.viewport().repaint()  # the paint itself, synchronously
            return (time.perf_counter() - t0) * 1000

        def jump(message_index: int) -> tuple[float, float]:
            [m] = conv.messages_in_range(case, ids[args.messages], message_index,
                                         message_index)
            t0 = time.perf_counter()
            view.show_message(m.id)
            while not view.selected():
                app.processEvents()
                time.sleep(0.0005)
            view.list.viewport().repaint()
            jumped = (time.perf_counter() - t0) * 1000
            held = view.model.held
            t0 = time.perf_counter()
            view.list.verticalScrollBar().setValue(0)
            while view.model.held == held:
                app.processEvents()
                time.sleep(0.0005)
            view.list.viewport().repaint()
            return jumped, (time.perf_counter() - t0) * 1000

        long_ms, short_ms, jumps, earlier = [], [], [], []
        first_paint(ids[200])  # warm up fonts and the reader threads
        for _ in range(args.runs):
            long_ms.append(first_paint(ids[args.messages]))
            short_ms.append(first_paint(ids[200]))
        for _ in range(args.runs):
            first_paint(ids[args.messages])
            j, e = jump(args.messages // 2)
            jumps.append(j)
            earlier.append(e)
        ops.wait_idle()
        case.close()
        QApplication.processEvents()

        def row(label: str, values: list[float]) -> str:
            return (f"| {label} | {statistics.median(values):.0f} ms | {min(values):.0f} ms"
                    f" | {max(values):.0f} ms |")

        print(f"\n{args.runs} runs each (median, best, worst):\n")
        print("| | median | best | worst |\n|---|---|---|---|")
        print(row(f"first paint, {args.messages:,} messages", long_ms))
        print(row("first paint, 200 messages (baseline)", short_ms))
        print(row(f"jump to message {args.messages // 2:,} (search hit)", jumps))
        print(row("the page above it, scrolled to", earlier))


if __name__ == "__main__":
    main()
