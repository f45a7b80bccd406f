"""Collect the licence of everything a built bundle contains, and fail if one is missing.

    python packaging/licences.py CONTENTS_JSON BUNDLE_DIR

CONTENTS_JSON is what the spec wrote (every module, library and data file with the file
it came from). Each is traced to where it came from:

- a Python distribution (its dist-info licence files; a distribution that ships none
  but declares an SPDX licence, as PySide6 and shiboken6 do, gets those licences' texts
  from the system's /usr/share/common-licenses);
- Python itself (its LICENSE.txt);
- a system library copied from the build machine (the Debian package that owns it, and
  that package's /usr/share/doc/<package>/copyright);
- the app's own files: fonts (each must have its LICENSE-*.txt in the fonts folder), the
  icon and the user guide (the project's own work, under its LICENSE).

Writes BUNDLE_DIR/licences/<component>/... and BUNDLE_DIR/licences/README.txt (what each
component is, its version, its licence and where its texts are). Exit status 1 with a
list of what has no licence, so `make dist` stops.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import re
import shutil
import subprocess
import sys
import sysconfig
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMON = Path("/usr/share/common-licenses")
# SPDX id -> the text Debian keeps of it.
SPDX_TEXTS = {"LGPL-3.0-only": "LGPL-3", "LGPL-3.0-or-later": "LGPL-3", "GPL-2.0-only": "GPL-2",
              "GPL-2.0-or-later": "GPL-2", "GPL-3.0-only": "GPL-3",
              "GPL-3.0-or-later": "GPL-3", "Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0",
              "LGPL-2.1-only": "LGPL-2.1", "LGPL-2.1-or-later": "LGPL-2.1"}
FONT_LICENCES = {"DejaVu": "LICENSE-DejaVu.txt", "DroidSans": "LICENSE-DroidSansFallback.txt",
                 "Noto": "LICENSE-Noto.txt"}


class Collector:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.index: dict[str, str] = {}
        self.missing: list[str] = []

    def add(self, component: str, summary: str, texts: list[Path]) -> None:
        if component in self.index:
            return
        texts = [t for t in texts if t.is_file()]
        if not texts:
            self.missing.append(f"{component} ({summary})")
            return
        folder = self.out / re.sub(r"[^A-Za-z0-9._+-]", "_", component)
        folder.mkdir(parents=True, exist_ok=True)
        for text in texts:
            shutil.copyfile(text, folder / text.name)
        names = ", ".join(f"{folder.name}/{t.name}" for t in texts)
        self.index[component] = f"{component}: {summary}\n    {names}"


def distribution_files() -> dict[str, md.Distribution]:
    """Installed file (resolved path) -> the distribution that installed it."""
    owner: dict[str, md.Distribution] = {}
    for dist in md.distributions():
        for f in dist.files or []:
            owner[str(Path(dist.locate_file(f)).resolve())] = dist
    return owner


def dist_licence_texts(dist: md.Distribution) -> list[Path]:
    texts = []
    for f in dist.files or []:
        parts = Path(str(f)).parts
        if parts and parts[0].endswith(".dist-info") and (
                "licenses" in parts or re.match(r"(LICEN[CS]E|COPYING|NOTICE)", parts[-1], re.I)):
            texts.append(Path(dist.locate_file(f)))
    if texts:
        return texts
    declared = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
    ids = re.findall(r"[A-Za-z0-9.+-]+", declared)
    return [COMMON / SPDX_TEXTS[i] for i in ids if i in SPDX_TEXTS]


def debian_package(path: str) -> str | None:
    try:
        found = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    if found.returncode != 0:
        real = str(Path(path).resolve())
        if real != path:
            return debian_package(real)
        usr = path.replace("/usr/lib/", "/lib/", 1) if path.startswith("/usr/lib/") else None
        return debian_package(usr) if usr else None
    return found.stdout.split(":")[0].strip()


def debian_version(package: str) -> str:
    found = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                           capture_output=True, text=True, check=False)
    return found.stdout.strip()


def collect(contents: dict, bundle: Path) -> Collector:
    out = bundle / "licences"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    c = Collector(out)
    c.add("Evidence Organiser", "this app, its icon and its user guide; GPL-3.0-or-later",
          [ROOT / "LICENSE"])
    owners = distribution_files()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    python_licence = stdlib / "LICENSE.txt"
    by_dist: dict[str, md.Distribution] = {}
    unplaced: dict[str, list[str]] = defaultdict(list)
    entries = [("module", *e) for e in contents["modules"]] + \
              [("library", *e) for e in contents["binaries"]] + \
              [("data", *e) for e in contents["datas"]]
    for kind, name, src in entries:
        if src in ("-", "None", "") or src.startswith("<"):
            continue  # PyInstaller's own generated parts: its bootloader's licence below
        real = Path(src).resolve()
        text = str(real)
        if text.startswith(str(ROOT / "evidence_app")) or text.startswith(str(ROOT / "docs")) \
                or text.startswith(str(ROOT / "packaging")) or real.parent == ROOT:
            if real.suffix == ".ttf":
                family = next((k for k in FONT_LICENCES if real.name.startswith(k)), None)
                if family is None:
                    c.missing.append(f"font {real.name} (no licence known for it)")
                else:
                    c.add(f"font {family}", "fonts embedded in reports",
                          [real.parent / FONT_LICENCES[family], real.parent / "README.txt"])
            continue
        dist = owners.get(text)
        if dist is not None:
            by_dist[dist.metadata["Name"]] = dist
        elif text.startswith(str(stdlib)) or "libpython" in real.name or \
                real.name == "base_library.zip" or \
                text.startswith(str(Path(sys.base_prefix).resolve())):
            c.add("Python", f"Python {sys.version.split()[0]}, PSF licence", [python_licence])
        elif text.startswith(("/usr/", "/lib")):
            package = debian_package(src)
            if package is None:
                unplaced["no Debian package owns it"].append(text)
            else:
                c.add(f"system {package}",
                      f"Debian package {package} {debian_version(package)} ({real.name})",
                      [Path("/usr/share/doc") / package / "copyright"])
        else:
            unplaced["not traced to its source"].append(f"{kind} {name} <- {text}")
    for name, dist in sorted(by_dist.items()):
        declared = dist.metadata.get("License-Expression") or \
            (dist.metadata.get("License") or "").splitlines()[0:1]
        if isinstance(declared, list):
            declared = declared[0] if declared else "see the texts"
        c.add(name, f"{name} {dist.version}; {declared}", dist_licence_texts(dist))
    try:  # the bundle's launcher; only a PyInstaller build has one (the tests have not)
        pyinstaller = md.distribution("pyinstaller")
    except md.PackageNotFoundError:
        pass
    else:
        c.add("PyInstaller bootloader", f"PyInstaller {pyinstaller.version} (GPL with the "
              "bootloader exception)", dist_licence_texts(pyinstaller))
    for why, paths in unplaced.items():
        c.missing += [f"{p} ({why})" for p in paths]
    (out / "README.txt").write_text(
        "Licences of everything in this bundle.\n\nEvidence Organiser is free software under "
        "the GNU General Public License, version 3 or later (LICENSE). It contains the "
        "components below, each under its own licence, whose texts are in the folder "
        "named.\n\n" + "\n".join(c.index[k] for k in sorted(c.index, key=str.lower)) + "\n",
        encoding="utf-8")
    return c


def main(argv: list[str]) -> int:
    contents = json.loads(Path(argv[0]).read_text())
    bundle = Path(argv[1])
    c = collect(contents, bundle)
    print(f"licences: {len(c.index)} components in {bundle / 'licences'}")
    if c.missing:
        print("error: no licence found for:\n  " + "\n  ".join(sorted(set(c.missing))),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
