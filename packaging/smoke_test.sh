#!/usr/bin/env bash
# Smoke-test a built bundle the way a person's machine would run it: no Python, a fresh
# home folder, no display.
#
#   packaging/smoke_test.sh BUNDLE_DIR VERSION [SAMPLES_DIR]
#
# The bundle starts offscreen, makes and opens the sample case in the desktop window and
# quits once it shows (--exit-when-shown); the command line makes the sample case in a
# folder, writes its police report and verifies the case; --version says VERSION.
# Everything runs under `env -i` with HOME and the XDG folders in a temporary folder and
# a PATH that holds no Python. With SAMPLES_DIR (packaging/build_dist.py makes it: a HEIC
# photo, a TIFF scan, a two-page PDF and a JPEG screenshot), it imports each into a new
# case through the bundle's command line and checks each is stored with its thumbnail
# (the HEIC, TIFF and PDF are read by the bundle's child processes) and that the report
# shows them; with Tesseract installed, it reads the screenshot's words and finds them. When run as root where `unshare` works (as `make dist` is
# here), it also runs in a private mount namespace in which every Python on the machine
# (the project's .venv, pyenv, /usr/lib/python3*, /usr/bin/python*) is hidden.
set -euo pipefail
BUNDLE=$(cd "$1" && pwd)
VERSION=$2
SAMPLES=${3:+$(cd "$3" && pwd)}
# SMOKE_PROGRAM: what to run instead of BUNDLE_DIR/evidence-app (the AppImage made from
# that folder: packaging/build_appimage.py).
PROGRAM=${SMOKE_PROGRAM:-$BUNDLE/evidence-app}
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
  exec unshare -m bash -c "$hide SMOKE_INSIDE=1 exec bash '$0' '$BUNDLE' '$VERSION' '$SAMPLES'"
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

if [ -n "$SAMPLES" ]; then
  C="$T/imported"
  run --case "$C" init --owner "Smoke Test" --initials ST >/dev/null || fail "init exited $?"
  id=$(run --case "$C" incident add --when "12/03/2025 14:30" --title "Letter and photos" \
       --category gifts_letters) || fail "incident add exited $?"
  # name, media type, what `attachment show` must say besides; one import each, so the
  # attachments' ids are 1, 2, 3, 4 in this order.
  n=0
  while read -r name type want; do
    n=$((n + 1))
    run --case "$C" import --incident "$id" "$SAMPLES/$name" >"$T/import.out" 2>&1 \
      || { cat "$T/import.out" >&2; fail "importing $name exited $?"; }
    run --case "$C" attachment show "$n" >"$T/show.txt" || fail "attachment show $n exited $?"
    grep -qx "original_name: $name" "$T/show.txt" || fail "attachment $n is not $name"
    grep -qx "media_type: $type" "$T/show.txt" \
      || fail "$name was stored as $(sed -n 's/^media_type: //p' "$T/show.txt"), not $type"
    grep -qx "$want" "$T/show.txt" \
      || { cat "$T/show.txt" >&2; fail "$name: attachment show does not say '$want'"; }
    sha=$(sed -n 's/^sha256: //p' "$T/show.txt")
    [ "$(sha256sum < "$SAMPLES/$name" | cut -d' ' -f1)" = "$sha" ] \
      || fail "$name: the stored original's hash is not the file's"
    thumb="$C/cache/thumbs/${sha:0:2}/$sha.jpg"
    [ "$(head -c 3 "$thumb" 2>/dev/null | od -An -tx1 | tr -d ' ')" = "ffd8ff" ] \
      || fail "$name has no thumbnail ($thumb)"
    echo "ok: imported $name as $type, with its thumbnail ($want)"
  done <<'LIST'
IMG_0001.HEIC image/heic preview: True
scan.tif image/tiff preview: True
letter.pdf application/pdf preview_error: a PDF document, 2 pages
screenshot.jpg image/jpeg preview: True
LIST
  grep -qx "captured_from: document" <(run --case "$C" attachment show 3) \
    || fail "the PDF's own creation date was not read"
  run --case "$C" report --out "$T/imported.pdf" >"$T/imported.out" || fail "report exited $?"
  grep -q "4 exhibits" "$T/imported.out" || fail "report said: $(cat "$T/imported.out")"
  if [ -x /usr/bin/pdfimages ]; then
    # The three pictures and the PDF's first page, drawn by the bundle's PDF reader.
    images=$(/usr/bin/pdfimages -list "$T/imported.pdf" | tail -n +3 | wc -l)
    [ "$images" -ge 4 ] || fail "the report shows $images pictures, not the 4 exhibits"
  fi
  echo "ok: $(head -1 "$T/imported.out")"
  tesseract=$(PATH=/usr/local/bin:/usr/bin:/bin command -v tesseract || true)
  if [ -n "$tesseract" ]; then
    ln -s "$tesseract" "$T/bin/tesseract"
    run --case "$C" ocr >"$T/ocr.out" 2>&1 || { cat "$T/ocr.out" >&2; fail "ocr exited $?"; }
    run --case "$C" search FOLLOWING >"$T/search.out" 2>&1 \
      || { cat "$T/search.out" >&2; fail "search exited $?"; }
    grep -q "\[FOLLOWING\] ME HOME" "$T/search.out" \
      || { cat "$T/ocr.out" "$T/search.out" >&2; fail "the screenshot's words were not found"; }
    rm "$T/bin/tesseract"
    echo "ok: ocr read the screenshot; search finds its words"
  else
    echo "skipped: ocr (Tesseract is not installed)"
  fi
fi

[ -s "$BUNDLE/licences/README.txt" ] || fail "no licences/README.txt in the bundle"
guide="$BUNDLE/_internal/evidence_app/resources/guide"
[ -s "$guide/user-guide.md" ] || fail "the user guide is not in the bundle"
for picture in $(grep -o '](guide/[^)]*\.png)' "$guide/user-guide.md" | sed 's/^](//; s/)$//'); do
  [ -s "$guide/$picture" ] || fail "the guide's picture $picture is not in the bundle"
done
echo "ok: the user guide and its pictures are in the bundle"

# What the README tells a person to do: put it in the menu, then start it from there.
# (An AppImage is put in the menu by the desktop's AppImage tools, from its own entry.)
if [ -n "${SMOKE_PROGRAM:-}" ]; then
  echo "smoke test passed"
  exit 0
fi
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
