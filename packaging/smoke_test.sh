#!/usr/bin/env bash
# Smoke-test a built bundle the way a person's machine would run it: no Python, a fresh
# home folder, no display.
#
#   packaging/smoke_test.sh BUNDLE_DIR VERSION
#
# The bundle starts offscreen, makes and opens the sample case in the desktop window and
# quits once it shows (--exit-when-shown); the command line makes the sample case in a
# folder, writes its police report and verifies the case; --version says VERSION.
# Everything runs under `env -i` with HOME and the XDG folders in a temporary folder and
# a PATH that holds no Python. When run as root where `unshare` works (as `make dist` is
# here), it also runs in a private mount namespace in which every Python on the machine
# (the project's .venv, pyenv, /usr/lib/python3*, /usr/bin/python*) is hidden.
set -euo pipefail
BUNDLE=$(cd "$1" && pwd)
VERSION=$2
PROGRAM="$BUNDLE/evidence-app"
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${SMOKE_INSIDE:-}" != 1 ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null \
    && unshare -m true 2>/dev/null; then
  hide=""
  for p in /root/.pyenv "$HERE/../.venv" /usr/lib/python3 /usr/lib/python3.* \
           /usr/local/lib/python3.*; do
    [ -d "$p" ] && hide="$hide mount -t tmpfs none '$p';"
  done
  for f in /usr/bin/python* /usr/local/bin/python*; do
    [ -e "$f" ] && hide="$hide mount --bind /dev/null '$f';"
  done
  echo "smoke test: every Python on this machine hidden (private mount namespace)"
  exec unshare -m bash -c "$hide SMOKE_INSIDE=1 exec bash '$0' '$BUNDLE' '$VERSION'"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/evidence-smoke.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home" "$T/bin"
run() {
  # A fresh account: nothing from this shell's environment, and no Python on PATH.
  env -i HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share" \
    XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" \
    XDG_STATE_HOME="$T/home/.local/state" XDG_RUNTIME_DIR="$T/run" PATH="$T/bin" \
    LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$PROGRAM" "$@"
}
mkdir -m 700 "$T/run"
fail() { echo "smoke test FAILED: $*" >&2; exit 1; }

if [ "${SMOKE_INSIDE:-}" = 1 ]; then
  for py in python3 python /usr/bin/python3 "$HERE/../.venv/bin/python"; do
    if "$py" -c pass >/dev/null 2>&1; then fail "a Python can still run here ($py)"; fi
  done
fi

out=$(run --version) || fail "--version exited $?"
[ "$out" = "evidence-app $VERSION" ] || fail "--version said '$out', not 'evidence-app $VERSION'"
echo "ok: $out"

out=$(run --demo --exit-when-shown 2>"$T/gui.err") \
  || { rc=$?; cat "$T/gui.err" >&2; fail "the window exited $rc"; }
case "$out" in
  "shown: "*"(sample)"*"incidents in the timeline") echo "ok: window $out" ;;
  *) cat "$T/gui.err" >&2; fail "the window said '$out'" ;;
esac

run sample "$T/case" >/dev/null || fail "sample exited $?"
run --case "$T/case" --exit-when-shown >"$T/gui2.out" 2>"$T/gui2.err" \
  || { rc=$?; cat "$T/gui2.err" >&2; fail "opening the sample case folder exited $rc"; }
echo "ok: $(cat "$T/gui2.out")"

run --case "$T/case" report --out "$T/report.pdf" >"$T/report.out" \
  || fail "report exited $?"
head -c 5 "$T/report.pdf" | grep -q '%PDF-' || fail "the report is not a PDF"
grep -q "pages" "$T/report.out" || fail "report said: $(cat "$T/report.out")"
echo "ok: $(head -1 "$T/report.out")"
if command -v pdftotext >/dev/null 2>&1 || [ -x /usr/bin/pdftotext ]; then
  /usr/bin/pdftotext -l 1 "$T/report.pdf" - | tr '\n' ' ' | grep -q "Evidence Organiser $VERSION" \
    || fail "the report's cover does not name Evidence Organiser $VERSION"
  echo "ok: the report's cover names Evidence Organiser $VERSION"
fi

run --case "$T/case" verify >"$T/verify.out" \
  || { rc=$?; cat "$T/verify.out" >&2; fail "verify exited $rc"; }
grep -q "Everything holds" "$T/verify.out" || fail "verify said: $(cat "$T/verify.out")"
echo "ok: verify: $(tr '\n' ' ' < "$T/verify.out")"

[ -s "$BUNDLE/licences/README.txt" ] || fail "no licences/README.txt in the bundle"
guide="$BUNDLE/_internal/evidence_app/resources/guide"
[ -s "$guide/user-guide.md" ] || fail "the user guide is not in the bundle"
for picture in $(grep -o '](guide/[^)]*\.png)' "$guide/user-guide.md" | sed 's/^](//; s/)$//'); do
  [ -s "$guide/$picture" ] || fail "the guide's picture $picture is not in the bundle"
done
echo "ok: the user guide and its pictures are in the bundle"

# What the README tells a person to do: put it in the menu, then start it from there.
env -i HOME="$T/home" XDG_DATA_HOME="$T/menu" PATH="$T/bin:/usr/bin:/bin" \
  sh "$BUNDLE/install-desktop.sh" >/dev/null \
  || fail "install-desktop.sh exited $?"
entry="$T/menu/applications/org.evidenceorganiser.EvidenceOrganiser.desktop"
exec_line=$(sed -n 's/^Exec=//p' "$entry")
[ "$exec_line" = "\"$PROGRAM\"" ] || fail "the menu entry runs $exec_line"
[ -s "$T/menu/icons/hicolor/256x256/apps/org.evidenceorganiser.EvidenceOrganiser.png" ] \
  || fail "no icon in the menu"
out=$(eval "env -i HOME='$T/home' PATH='$T/bin' $exec_line --version") \
  || fail "the menu entry's command did not start"
[ "$out" = "evidence-app $VERSION" ] || fail "the menu entry's command said '$out'"
echo "ok: install-desktop.sh: the menu entry starts $PROGRAM"
echo "smoke test passed"
