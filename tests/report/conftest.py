"""Fixtures for report tests."""

import pytest

from tests.report.casebuilder import RichCase, fill_case


@pytest.fixture
def rich_case(case, tmp_path) -> RichCase:
    """The `case` fixture filled with every kind of incident and exhibit."""
    return fill_case(case, tmp_path / "files")
