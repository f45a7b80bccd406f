#!/usr/bin/env bash
# Build the AppImage type 2 runtime (the small program at the front of an AppImage that
# mounts the squashfs image appended to it and starts AppRun) from source, statically
# linked, as the AppImage project's own scripts/build-runtime.sh does but with Debian's
# packages instead of downloads (their build uses Alpine/musl and a patched libfuse).
#
#   packaging/appimage/build_runtime.sh TYPE2_RUNTIME_SRC SQUASHFUSE_SRC OUT
#
# TYPE2_RUNTIME_SRC: a checkout of github.com/AppImage/type2-runtime (src/runtime);
# SQUASHFUSE_SRC: a checkout of github.com/vasi/squashfuse (0.5.2 or later). Neither is
# vendored here. Needs (Debian): gcc autoconf automake libtool pkg-config libfuse3-dev
# libzstd-dev zlib1g-dev liblzma-dev liblz4-dev.
#
# Differences from the official runtime: glibc rather than musl (static; glibc warns that
# libfuse's unused module loader would need the same glibc), and libfuse unpatched, so
# the AppImage mounts itself with fusermount3 (FUSE 3; every current distribution), not
# fuse2's fusermount; where FUSE cannot be used, `--appimage-extract-and-run` works.
set -euo pipefail
RT=$(cd "$1" && pwd)
SQ=$(cd "$2" && pwd)
OUT=$(realpath -m "$3")
W=$(mktemp -d "${TMPDIR:-/tmp}/appimage-runtime.XXXXXX")
trap 'rm -rf "$W"' EXIT
cp -r "$SQ" "$W/squashfuse"
(cd "$W/squashfuse" && ./autogen.sh >/dev/null 2>&1 \
  && CFLAGS="-ffunction-sections -fdata-sections -Os" ./configure --prefix="$W/inst" \
       --disable-demo >/dev/null \
  && make -s >/dev/null && make -s install >/dev/null \
  && install -m644 ./*.h "$W/inst/include/squashfuse/")
cd "$RT/src/runtime"
gcc -std=gnu99 -Os -D_FILE_OFFSET_BITS=64 -DGIT_COMMIT="\"$(cat version)\"" \
  -T data_sections.ld -ffunction-sections -fdata-sections -Wl,--gc-sections -Wall \
  -Wno-format-overflow -static -I"$W/inst/include" -I"$W/inst/include/squashfuse" \
  -I/usr/include/fuse3 runtime.c "$W/inst/lib/libsquashfuse_ll.a" "$W/inst/lib/libsquashfuse.a" \
  -lfuse3 -lzstd -lz -llzma -llz4 -lpthread -ldl -o "$W/runtime" 2> >(grep -v "dlopen\|fuse_get_module" >&2)
strip --strip-debug --strip-unneeded "$W/runtime"
# The AppImage magic: "AI" and the type, 2, in the ELF header's padding (offset 8).
printf 'AI\002' | dd of="$W/runtime" bs=1 count=3 seek=8 conv=notrunc 2>/dev/null
mkdir -p "$(dirname "$OUT")"
cp "$W/runtime" "$OUT"
# The licences of what the runtime is made of, for the AppImage's licences/ folder
# (packaging/build_appimage.py refuses a runtime without them).
L="$OUT.licences"
rm -rf "$L" && mkdir -p "$L"
cp "$RT/LICENSE" "$L/type2-runtime-LICENSE.txt"
cp "$SQ/LICENSE" "$L/squashfuse-LICENSE.txt"
for pkg in libfuse3-3 libzstd1 zlib1g liblzma5 liblz4-1 libc6; do
  cp "/usr/share/doc/$pkg/copyright" "$L/$pkg-copyright.txt"
done
cat > "$L/README.txt" <<TEXT
The AppImage runtime (the program at the front of this AppImage file) is built from
type2-runtime ($(cat "$RT/src/runtime/version" 2>/dev/null || echo unknown); MIT) with, statically linked: squashfuse
(BSD-2-Clause), libfuse 3 (LGPL-2.1), zstd (BSD-3-Clause or GPL-2.0), zlib (Zlib),
xz/liblzma (0BSD / public domain), lz4 (BSD-2-Clause) and the GNU C library (LGPL-2.1
or later), as packaged by Debian: their licence texts are beside this file. The runtime
is built by packaging/appimage/build_runtime.sh in the Evidence Organiser source.
TEXT
echo "$OUT: AppImage type 2 runtime, $(stat -c %s "$OUT") bytes; licences in $L"
