"""Guard against a Qt binding that loses references to None/True/False.

PySide6 6.12.0 under Python 3.11 dropped one reference to None on every call of a
method returning nothing, and one to True on every signal emit; a few thousand calls
later the process died with "deallocating None". Python 3.12+ hides this (those objects
are immortal there), so the check only means something on 3.11.
"""

import sys

import pytest
from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12),
                                reason="None/True/False are immortal from Python 3.12")


class _Sender(QObject):
    value = Signal(object)


def _counts():
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_void_calls_signal_emits_and_empty_data_keep_references(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    sender = _Sender()
    received = []
    sender.value.connect(received.append)
    before = _counts()
    for _ in range(500):
        label.setText("")  # returns None
        sender.value.emit(None)  # returns True
        QModelIndex().data()  # an empty QVariant becomes None
    received.clear()
    after = _counts()
    # Other code may take or drop a handful of references; a leak loses 500 or more.
    assert all(abs(a - b) < 100 for a, b in zip(after, before, strict=True)), (before, after)
