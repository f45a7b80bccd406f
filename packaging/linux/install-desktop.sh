#!/bin/sh
# Put Evidence Organiser in the desktop's application menu for the current user: the
# icons, the .desktop entry (its Exec pointing at the program given) and the AppStream
# metainfo, under $XDG_DATA_HOME (~/.local/share when unset). Needs no Python.
#
#   install-desktop.sh RESOURCES_DIR PROGRAM     install (or update)
#   install-desktop.sh                           the same, for the bundle it sits in
#                                                (its resources/ and evidence-app)
#   install-desktop.sh --uninstall               remove what install put there
#
# `make install-desktop` runs it for a source checkout (PROGRAM = .venv/bin/evidence-app);
# the bundle's tarball carries it as install-desktop.sh beside the program.
set -eu
ID=org.evidenceorganiser.EvidenceOrganiser
DATA=${XDG_DATA_HOME:-"$HOME/.local/share"}
ICONS="$DATA/icons/hicolor"

refresh() {
  # Menus notice new entries by themselves on most desktops; these speed it up.
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
  # No icon cache is made here: a stale per-user cache would hide later icons.
  touch "$ICONS" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml" \
        "$ICONS/scalable/apps/$ID.svg" "$ICONS"/*/apps/"$ID.png"
  refresh
  echo "Removed Evidence Organiser from the application menu."
  exit 0
fi

if [ $# -eq 0 ]; then  # run from an unpacked bundle: what is beside this script
  HERE=$(cd "$(dirname "$0")" && pwd)
  set -- "$HERE/resources" "$HERE/evidence-app"
fi
[ $# -eq 2 ] || { echo "usage: $0 [RESOURCES_DIR PROGRAM] | --uninstall" >&2; exit 2; }
RES=$1
PROGRAM=$2
[ -f "$RES/$ID.desktop" ] || { echo "error: no $ID.desktop in $RES" >&2; exit 1; }
[ -x "$PROGRAM" ] || { echo "error: $PROGRAM is not a program that can be run" >&2; exit 1; }
case "$PROGRAM" in
  /*) ;;
  *) echo "error: give the program's full path (it goes into the menu entry)" >&2; exit 1 ;;
esac
case "$PROGRAM" in
  # Characters the desktop entry format would need escaping for, in Exec and TryExec alike.
  *[\"\`\$\\%]*) echo "error: the path $PROGRAM has a character menu entries cannot hold; move it" >&2; exit 1 ;;
esac

for png in "$RES"/icons/hicolor/*/apps/"$ID.png"; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  mkdir -p "$ICONS/$size/apps"
  cp "$png" "$ICONS/$size/apps/$ID.png"
done
mkdir -p "$ICONS/scalable/apps" "$DATA/applications" "$DATA/metainfo"
cp "$RES/$ID.svg" "$ICONS/scalable/apps/$ID.svg"
cp "$RES/$ID.metainfo.xml" "$DATA/metainfo/$ID.metainfo.xml"
# Exec is quoted (the path may hold spaces); TryExec is a plain path.
FOR_SED=$(printf '%s' "$PROGRAM" | sed 's/[&|]/\\&/g')
sed -e "s|^Exec=.*|Exec=\"$FOR_SED\"|" -e "s|^TryExec=.*|TryExec=$FOR_SED|" \
  "$RES/$ID.desktop" > "$DATA/applications/$ID.desktop.tmp"
mv "$DATA/applications/$ID.desktop.tmp" "$DATA/applications/$ID.desktop"
refresh
echo "Evidence Organiser is in the application menu (entry: $DATA/applications/$ID.desktop)."
