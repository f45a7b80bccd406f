"""A 50-megapixel photo makes its thumbnail cheaply: JPEGs are decoded at reduced scale,
so the peak memory stays far below the 150 MB a full decode would need."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fixtures.marked import is_upright, stored_pixels, upright_scene
from fixtures.media_factory import make_exif
from PIL import Image

pytestmark = pytest.mark.slow

if not Path("/proc/self/clear_refs").exists():
    pytest.skip("peak memory is measured with Linux /proc (VmHWM)", allow_module_level=True)

PROBE = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from evidence_app.core.media.analysis import analyse, load_display_image
    def rss_mb(field):
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    def reset_peak():
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # VmHWM := VmRSS
    small = Path(sys.argv[3])
    analyse(small, small.name, thumbnail=True)  # load every codec
    reset_peak()
    base = rss_mb("VmRSS")
    start = time.perf_counter()
    info = analyse(Path(sys.argv[1]), "PXL_20240312_081530123.jpg", thumbnail=True)
    Path(sys.argv[2]).write_bytes(info.thumbnail)
    seconds = time.perf_counter() - start
    thumb_mb = rss_mb("VmHWM") - base
    reset_peak()
    base = rss_mb("VmRSS")
    page = load_display_image(Path(sys.argv[1]), max_side=1600)
    print(json.dumps({"thumb_mb": thumb_mb, "page_mb": rss_mb("VmHWM") - base,
                      "seconds": seconds, "preview": info.preview, "size": [info.width, info.height],
                      "page": list(page.size)}))
""")



def test_a_50_megapixel_photo_is_thumbnailed_in_little_memory(tmp_path):
    upright = upright_scene((8660, 5774))  # 50 MP as the person sees it
    big = tmp_path / "big.jpg"
    stored_pixels(upright, 6).save(big, "JPEG", quality=80, exif=make_exif(
        orientation=6, make="Google", model="Pixel 8 Pro").tobytes())
    del upright
    small = tmp_path / "small.jpg"
    upright_scene((64, 48)).save(small, "JPEG")
    thumb = tmp_path / "thumb.jpg"
    out = subprocess.run([sys.executable, "-c", PROBE, str(big), str(thumb), str(small)],
                         capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(out.stdout)
    assert figures["preview"] is True
    assert figures["size"] == [5774, 8660]
    assert figures["page"] == [1600, round(1600 * 5774 / 8660)]
    # A full decode would need 150 MB for the pixels alone.
    assert figures["thumb_mb"] < 40, figures
    assert figures["page_mb"] < 40, figures
    with Image.open(thumb) as img:
        assert img.size == (256, round(256 * 5774 / 8660))
        assert is_upright(img)


MANY = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from concurrent.futures import ThreadPoolExecutor
    from evidence_app.core.media.analysis import analyse
    def rss_mb(field):
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    paths = [Path(p) for p in sys.argv[1:]]
    analyse(paths[0], "warm.png")  # codecs loaded, first decode done
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    base = rss_mb("VmRSS")
    with ThreadPoolExecutor(4) as pool:
        infos = list(pool.map(lambda p: analyse(p, p.name, thumbnail=True), paths))
    print(json.dumps({"peak_mb": rss_mb("VmHWM") - base, "previews": sum(i.preview for i in infos)}))
""")


def test_big_pictures_decoded_by_four_workers_at_once_need_the_memory_of_one(tmp_path):
    """Each 5800 x 5800 screenshot needs 100 MB decoded; four import workers must not
    hold four of them (nor keep four threads' worth of freed memory)."""
    paths = []
    for i in range(5):
        img = Image.new("RGB", (5800, 5800), (20 + i, 30, 60))
        path = tmp_path / f"huge screen {i}.png"
        img.save(path, "PNG", compress_level=1)
        paths.append(path)
    out = subprocess.run([sys.executable, "-c", MANY, *map(str, paths)], capture_output=True,
                         text=True, timeout=300, check=True)
    figures = json.loads(out.stdout)
    assert figures["previews"] == 5
    assert figures["peak_mb"] < 160, figures  # two decodes' worth would be over 200 MB
