"""`evidence-app sample FOLDER`: the sample case, made in a folder of the person's choice
(the user guide and the bundle's smoke test use it)."""

import json

from evidence_app.core.cases import open_case
from evidence_app.core.incidents import list_incidents


def test_sample_makes_the_sample_case_in_the_folder(cli, tmp_path):
    folder = tmp_path / "Sample"
    code, out, err = cli("sample", folder, "--json")
    assert code == 0, err
    said = json.loads(out)
    assert said["case"] == str(folder) and said["initials"] == "SM"
    with open_case(folder) as case:
        assert len(list_incidents(case)) >= 30
    code, out, _ = cli("--case", folder, "verify")
    assert code == 0 and "Everything holds" in out


def test_sample_refuses_a_folder_that_holds_anything(cli, tmp_path):
    folder = tmp_path / "Mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    code, out, err = cli("sample", folder)
    assert code == 2 and "is not empty" in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
