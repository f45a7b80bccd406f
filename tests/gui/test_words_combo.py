"""The describe pass's type list is picked by typing any word of a type."""

from evidence_app.core.vocab import CATEGORY_LABELS, Category
from evidence_app.gui.dialogs.describe import WordsCombo


def combo(qtbot) -> WordsCombo:
    box = WordsCombo()
    qtbot.addWidget(box)
    for cat in Category:
        box.addItem(CATEGORY_LABELS[cat], cat.value)
    box.show()
    box.setFocus()
    return box


def test_a_word_inside_a_type_finds_it(qtbot):
    box = combo(qtbot)
    qtbot.keyClicks(box, "texts")
    assert box.currentData() == "contact_text"  # "Unwanted contact: texts / messages"
    box._clock.invalidate()  # a pause: what is typed next is a new word
    qtbot.keyClicks(box, "track")
    assert box.currentData() == "monitoring"  # "Monitoring / tracking"
    box._clock.invalidate()
    qtbot.keyClicks(box, "thr")
    assert box.currentData() == "threats"  # the start of a type still comes first


def test_letters_that_match_nothing_leave_the_choice(qtbot):
    box = combo(qtbot)
    qtbot.keyClicks(box, "email")
    assert box.currentData() == "contact_email"
    box._clock.invalidate()
    qtbot.keyClicks(box, "zzz")
    assert box.currentData() == "contact_email"
