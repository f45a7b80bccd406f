"""How capture times read: honest about a day without a time, and about file dates."""

from evidence_app.core.attachments import list_inbox
from evidence_app.core.importers.files import import_files
from evidence_app.gui.exhibit_text import capture_text, source_text
from tests.sample_images import screenshot


def test_capture_times_say_how_exact_they_are(case, tmp_path):
    day_only = screenshot(tmp_path / "IMG-20250301-WA0004.png", lines=("a",))
    timed = screenshot(tmp_path / "Screenshot_20250312-081530.png", lines=("b",))
    plain = screenshot(tmp_path / "message.png", lines=("c",))
    list(import_files(case, [day_only, timed, plain]))
    by_name = {a.original_name: a for a in list_inbox(case)}
    tz = "Europe/London"
    day = by_name[day_only.name]
    assert capture_text(day, tz, short=True) == "1 Mar 2025"
    assert capture_text(day, tz) == "Sat 1 Mar 2025, time not known"
    assert capture_text(by_name[timed.name], tz) == "Wed 12 Mar 2025, 08:15:30 GMT"
    assert source_text(by_name[timed.name]) == "From the date in the file name"
    assert capture_text(by_name[plain.name], tz, short=True).startswith("c. ")
    assert source_text(by_name[plain.name]) == "From the file modification time"
