"""Every picture format and pixel mode imports with its real type and size and an
upright preview; files whose extension lies are named by their content."""

import pytest
from fixtures.corpus_checks import check_sample, import_corpus
from fixtures.corpus_formats import build_format_samples

from evidence_app.core.store.verify import run_verify


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    samples = build_format_samples(tmp_path_factory.mktemp("formats"))
    case, results = import_corpus(tmp_path_factory.mktemp("case") / "case", samples)
    yield {s.name: s for s in samples}, case, results
    case.close()


def _names():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return [s.name for s in build_format_samples(Path(tmp) / "d")]


NAMES = _names()


@pytest.mark.parametrize("name", NAMES)
def test_each_format_imports_as_it_should(corpus, name):
    samples, case, results = corpus
    check_sample(case, samples[name], results[name])


def test_the_whole_format_corpus_verifies(corpus):
    _samples, case, results = corpus
    report = run_verify(case)
    assert report.ok, report.problems
    assert report.originals_checked == len(results)
