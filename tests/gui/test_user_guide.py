"""Help › User guide: the guide opens from the menu and F1, reads from this computer,
shows every picture it names, and its contents jump to each section. Then the guide's
main steps, done on the sample case the way it tells a newcomer to do them."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextDocument
from PySide6.QtWidgets import QApplication

from evidence_app import APP_NAME, __version__
from evidence_app.gui.dialogs.user_guide import GUIDE_PLACES, UserGuide, guide_file

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "user-guide.md"
SECTIONS = ["Getting started", "Getting screenshots and photos off your phone",
            "Bringing pictures and chats into the app", "Writing down an incident",
            "What the police want recorded, and why", "Finding things again",
            "Making and printing a report", "Keeping your case safe",
            "What the app does not protect you from", "Trying it on the sample case"]


def shown_guide() -> UserGuide | None:
    found = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, UserGuide) and w.isVisible()]
    return found[0] if found else None


def pictures(guide: UserGuide) -> list[str]:
    names = []
    block = guide.text.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def test_a_source_checkout_reads_the_guide_from_docs():
    assert guide_file() == GUIDE
    assert GUIDE_PLACES[0].parts[-3:] == ("resources", "guide", "user-guide.md")


def test_help_user_guide_opens_with_its_sections_and_pictures(qtbot, window):
    help_menu = window.menus["help"]
    labels = [a.text().replace("&", "") for a in help_menu.actions()]
    assert labels[0] == "User guide" and f"About {APP_NAME}" in labels
    window.act_guide.trigger()
    qtbot.waitUntil(lambda: shown_guide() is not None, timeout=10000)
    guide = shown_guide()
    assert guide.windowTitle() == f"{APP_NAME} — User guide"
    titles = [re.sub(r"^\d+\. ", "", t) for t in guide.section_titles()]
    assert titles == ["Evidence Organiser: user guide", *SECTIONS]
    assert "call 999" in guide.text.toPlainText()
    # Every picture the guide names is drawn (loaded from the installed folder).
    names = pictures(guide)
    wanted = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert sorted(set(names)) == sorted(set(wanted)) and len(wanted) >= 6
    doc = guide.text.document()
    for name in names:
        image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(image, QImage | QPixmap) and not image.isNull(), name
        assert image.width() > 300, name
    # No picture is wider than the page: the whole screenshot is seen.
    qtbot.waitUntil(lambda: guide.text.horizontalScrollBar().maximum() == 0, timeout=5000)
    # A second Help › User guide raises the same window.
    window.act_guide.trigger()
    assert shown_guide() is guide
    guide.close()


def test_f1_opens_the_guide_and_the_contents_jump_to_each_section(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: shown_guide() is not None, timeout=10000)
    guide = shown_guide()
    qtbot.waitUntil(lambda: guide.text.horizontalScrollBar().maximum() == 0, timeout=5000)
    for row in (2, 4, 7):  # sections that are followed by more than a page
        title = guide.contents.item(row).text().strip()
        guide.contents.setCurrentRow(row)
        qtbot.wait(50)
        # The section's heading is at the top of the page, not scrolled past.
        top = guide.text.cursorForPosition(QPoint(60, 10))  # the first line on the page
        assert top.block().text() == title
        assert guide.text.verticalScrollBar().value() > 0
    # The last section cannot reach the top of the page: it is on screen all the same.
    guide.contents.setCurrentRow(guide.contents.count() - 1)
    qtbot.wait(50)
    bar = guide.text.verticalScrollBar()
    assert bar.value() == bar.maximum()
    assert guide.text.cursorRect().top() in range(0, guide.text.viewport().height())
    guide.close()


def test_every_picture_in_the_guide_is_made_by_the_screenshot_script():
    wanted = set(re.findall(r"\]\(guide/([^)]+\.png)\)", GUIDE.read_text(encoding="utf-8")))
    script = (ROOT / "docs" / "make_screenshots.py").read_text(encoding="utf-8")
    made = set(re.findall(r'guide / "([^"]+\.png)"', script))
    assert wanted == made
    kept = {p.name for p in (ROOT / "docs" / "guide").glob("*.png")}
    assert kept == wanted  # none missing, none left over from an older guide


def test_the_guide_says_what_the_app_does_on_screen(qtbot, window):
    """The words the guide tells a person to click are the app's own words."""
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    labels = [a.text().replace("&", "").rstrip("…") for a in window.findChildren(type(
        window.act_new)) if a.text()]
    for words in ("New incident", "Import a whole folder", "User guide", "New case",
                  "Open case", "Case settings"):
        assert any(label.startswith(words) for label in labels), words
        assert words in text
    assert f"{__version__}" not in text  # the guide does not go stale with each release



def test_every_menu_the_guide_names_is_where_it_says(qtbot, window):
    """"File › Back up now…" and the like: each menu path in the guide is a command in
    that menu of the app, under the same words (the phone's own folders are not menus)."""
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    paths = re.findall(r"\*\*([A-Z][a-z]+) › ([^*]+)\*\*", text)
    menus = {m.title().replace("&", ""): m for m in window.menus.values()}
    named = [(menu, item) for menu, item in paths if menu in menus
             or menu in ("Settings", "Pictures", "DCIM")]
    assert len(named) == len(paths), paths  # a path to something that is neither
    checked = 0
    for menu, item in named:
        if menu not in menus:
            continue
        labels = [a.text().replace("&", "").rstrip("…") for a in menus[menu].actions()]
        assert item.rstrip("…") in labels, (menu, item, labels)
        checked += 1
    assert checked >= 10  # Help, File and Tools paths were all looked at



def test_the_chat_buttons_the_guide_names_are_on_the_conversations_page(qtbot, case_window):
    """Section 3, "Chats and text messages": the buttons it names are the page's own."""
    from PySide6.QtWidgets import QPushButton

    from evidence_app.gui.conversations_hookup import install as install_conversations
    from evidence_app.gui.exhibits_hookup import install as install_exhibits

    window = case_window
    install_exhibits(window)
    install_conversations(window)
    window.case_opened.emit(window.session.ops)
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    assert "**View › Conversations**" in text
    buttons = {b.text() for b in window.conversations.page.findChildren(QPushButton)}
    for words in ("Make an incident from these", "Add to incident…", "Group by day…",
                  "Who is who"):
        assert f"**{words}**" in text, words
        assert words in buttons, (words, buttons)


def test_writing_an_incident_as_the_guide_says(qtbot, case_window):
    """Section 4: New incident (Ctrl+N), type when it happened as you would say it and
    press Enter, read what was understood; where; no Save button: 'All changes saved'."""
    window = case_window
    text = GUIDE.read_text(encoding="utf-8")
    assert "press Ctrl+N" in text and "press **Enter**" in text and "All changes saved" in text
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.view.editor
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=15000)
    form = editor.form
    when = form.when
    when.typed.setFocus()
    qtbot.keyClicks(when.typed, "yesterday 9pm")
    qtbot.keyClick(when.typed, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: when.understood.isVisible(), timeout=5000)
    assert when.understood.text().startswith("Understood as ")
    assert "21:00" in when.understood.text()
    form.location.setFocus()
    qtbot.keyClicks(form.location, "Outside my house")
    qtbot.keyClick(form.location, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: window.save_label.text() == "All changes saved"
                    and editor.detail.location == "Outside my house", timeout=15000)
    # The vehicle is linked where the guide says: the form's own button.
    assert f"**{form.link_vehicle.text()}**" in text
    assert form.link_vehicle.isVisibleTo(window)


def test_the_guide_names_what_hiding_shows_for_each_kind_of_case(qtbot, window):
    """The words on the lock screen and in the menu, taken from the app itself, are the
    ones the guide tells a person to look for."""
    from evidence_app.gui.widgets.lock_screen import LockScreen

    text = GUIDE.read_text("utf-8")
    start = text.index("**Hide it in a hurry.**")
    part = text[start:text.index("- **Back it up.**", start)]
    screen = LockScreen()
    qtbot.addWidget(screen)
    screen.show_state(protected=False, has_case=True, neutral="")
    plain = (screen.title.text(), screen.unlock_button.text())
    screen.show_state(protected=True, has_case=True, neutral="")
    locked = (screen.title.text(), screen.unlock_button.text())
    screen.show_state(protected=False, has_case=True, neutral="Notes")
    neutral = screen.unlock_button.text()
    assert plain == ("Hidden", "Show my case") and locked[0] == "Locked"
    for words in (*plain, *locked, neutral):
        assert f"**{words}**" in part, words
    assert part.index("**without a passphrase**") < part.index("**Hidden**") \
        < part.index("**with a passphrase**") < part.index("**Locked**")
    menu = window.act_lock.text().replace("&", "")
    assert f"File › {menu}" in part
    assert window.act_lock.shortcut().toString() in part
