"""Photos, screenshots, videos and voice recordings from real devices and apps import
with the right time, offset, provenance, camera, place and kind, and upright previews."""

import pytest
from fixtures.corpus_av import build_av_samples
from fixtures.corpus_checks import check_sample, import_corpus
from fixtures.corpus_containers import build_container_samples
from fixtures.corpus_devices import build_device_samples

from evidence_app.core.store.verify import run_verify


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    samples = build_device_samples(tmp_path_factory.mktemp("devices"))
    samples += build_av_samples(tmp_path_factory.mktemp("av"))
    samples += build_container_samples(tmp_path_factory.mktemp("containers"))
    case, results = import_corpus(tmp_path_factory.mktemp("case") / "case", samples)
    yield {s.name: s for s in samples}, case, results
    case.close()


def _names():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return [s.name for s in build_device_samples(Path(tmp) / "d")] + [
            s.name for s in build_av_samples(Path(tmp) / "a")] + [
            s.name for s in build_container_samples(Path(tmp) / "c")]


NAMES = _names()


@pytest.mark.parametrize("name", NAMES)
def test_each_device_file_imports_as_it_should(corpus, name):
    samples, case, results = corpus
    check_sample(case, samples[name], results[name])


def test_the_whole_device_corpus_verifies(corpus):
    _samples, case, results = corpus
    report = run_verify(case)
    assert report.ok, report.problems
    assert report.originals_checked == len(results)
