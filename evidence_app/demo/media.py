"""Pictures for the sample case, drawn with Pillow: phone photos with EXIF, and phone
screenshots of messages, calls, social media and email with readable text.

Nothing here is evidence; it exists so the sample case (demo/case.py) looks like a real
one in the app, in reports and in documentation screenshots.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from PIL.TiffImagePlugin import IFDRational

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
_SYSTEM_FONTS = ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc",
                 "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "SegoeUI.ttf")
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

PHONE = (1080, 2340)
PHOTO = (1600, 1200)


@cache
def font(size: int, bold: bool = False) -> Font:
    """The bundled DejaVu Sans, else a common system font, else Pillow's own."""
    names = ["DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"]
    candidates = [str(FONT_DIR / n) for n in names] + list(_SYSTEM_FONTS)
    for candidate in candidates:
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType: small, but still readable
        return ImageFont.load_default()


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=face) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- EXIF
def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def photo_exif(taken: datetime, make: str = "samsung", model: str = "SM-S911B",
               gps: tuple[float, float] | None = None) -> bytes:
    """EXIF as a phone camera writes it: time with offset, camera, and GPS when given."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "S911BXXS3BXF1"
    sub = exif.get_ifd(0x8769)
    offset = taken.strftime("%z")
    sub[0x9003] = sub[0x9004] = taken.strftime("%Y:%m:%d %H:%M:%S")
    sub[0x9011] = sub[0x9012] = f"{offset[:3]}:{offset[3:]}"
    sub[0x9291] = "214"
    if gps is not None:
        g = exif.get_ifd(0x8825)
        g[1], g[2] = ("N" if gps[0] >= 0 else "S"), _dms(gps[0])
        g[3], g[4] = ("E" if gps[1] >= 0 else "W"), _dms(gps[1])
    return exif.tobytes()


# --------------------------------------------------------------------------- photos
def _noise(img: Image.Image, seed: int, amount: int = 18) -> Image.Image:
    """Sensor grain, so a drawing looks (a little) like a photograph."""
    random.seed(seed)
    w, h = img.size
    # Noise made small and enlarged: soft grain at a tenth of the cost.
    grain = Image.effect_noise((w // 3, h // 3), amount).convert("RGB").resize(
        img.size, Image.Resampling.BILINEAR)
    return Image.blend(img, grain, 0.12)


def car_at_night(plate: str, seed: int = 1) -> Image.Image:
    """A silver hatchback under a street light, its number plate readable. The seed moves
    the car and the light, so no two photos are the same."""
    w, h = PHOTO
    rnd = random.Random(seed)
    dx = rnd.randrange(-220, 160)
    lamp = rnd.randrange(1150, 1450)
    img = Image.new("RGB", PHOTO)
    d = ImageDraw.Draw(img)
    for y in range(h):  # night sky to wet road
        shade = int(12 + 18 * y / h)
        d.line((0, y, w, y), fill=(shade, shade, shade + 14))
    d.rectangle((0, 820, w, h), fill=(34, 34, 38))
    for x in range(-100, w, 420):  # the terrace across the road, a few windows lit
        d.polygon([(x, 330), (x + 210, 230), (x + 420, 330)], fill=(22, 22, 28))
        d.rectangle((x, 330, x + 420, 820), fill=(26, 26, 32))
        for wx, wy in ((x + 60, 400), (x + 260, 400), (x + 60, 600), (x + 260, 600)):
            lit = rnd.random() < 0.3
            d.rectangle((wx, wy, wx + 100, wy + 120), fill=(150, 120, 60) if lit else (16, 16, 20))
    for r in range(260, 0, -20):  # the street light's glow
        tone = int(40 + (260 - r) * 0.6)
        d.ellipse((lamp - r, 180 - r, lamp + r, 180 + r), fill=(tone, tone - 10, tone // 3))
    d.rectangle((lamp - 6, 180, lamp + 6, 830), fill=(60, 60, 64))

    def shift(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(x + dx, y) for x, y in points]

    d.rounded_rectangle((330 + dx, 470, 1180 + dx, 640), radius=70, fill=(150, 152, 158))
    d.polygon(shift([(420, 480), (520, 380), (960, 380), (1090, 480)]), fill=(135, 138, 145))
    d.polygon(shift([(450, 478), (540, 398), (740, 398), (740, 478)]), fill=(30, 36, 46))
    d.polygon(shift([(760, 478), (760, 398), (950, 398), (1060, 478)]), fill=(30, 36, 46))
    d.rounded_rectangle((280 + dx, 560, 1240 + dx, 800), radius=50, fill=(170, 172, 178))
    for x in (430 + dx, 1090 + dx):
        d.ellipse((x - 95, 700, x + 95, 890), fill=(18, 18, 20))
        d.ellipse((x - 50, 745, x + 50, 845), fill=(110, 110, 115))
    d.rectangle((1180 + dx, 610, 1240 + dx, 650), fill=(250, 236, 170))  # headlight
    face = font(58, bold=True)
    box = d.textbbox((0, 0), plate, font=face)
    pw, ph = box[2] - box[0] + 60, box[3] - box[1] + 34
    cx = 760 + dx
    d.rectangle((cx - pw // 2, 690, cx + pw // 2, 690 + ph), fill=(252, 252, 245),
                outline=(20, 20, 20), width=3)
    d.text((cx - (box[2] - box[0]) // 2, 690 + 14 - box[1]), plate, font=face, fill=(10, 10, 10))
    return _noise(img, seed, 30)


def doorstep_parcel(seed: int = 2) -> Image.Image:
    """A parcel left on a doormat in front of a front door, with a handwritten label."""
    img = Image.new("RGB", PHOTO, (150, 140, 128))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 900, 1600, 1200), fill=(120, 112, 104))  # step
    d.rectangle((520, 40, 1080, 900), fill=(32, 58, 96))  # door
    for box in ((580, 110, 780, 440), (820, 110, 1020, 440), (580, 500, 780, 840),
                (820, 500, 1020, 840)):
        d.rectangle(box, outline=(22, 44, 78), width=10)
    d.ellipse((960, 470, 990, 500), fill=(200, 170, 60))
    d.rectangle((470, 860, 1130, 1010), fill=(90, 70, 50))  # mat
    d.polygon([(640, 760), (1000, 760), (1060, 820), (700, 820)], fill=(205, 160, 110))
    d.rectangle((700, 820, 1060, 1000), fill=(190, 145, 95))
    d.polygon([(1060, 820), (1000, 760), (1000, 940), (1060, 1000)], fill=(160, 120, 80))
    d.rectangle((860, 820, 900, 1000), fill=(200, 190, 150))  # tape
    d.rectangle((730, 880, 840, 960), fill=(245, 242, 230))
    d.text((742, 900), "For S x", font=font(26), fill=(40, 40, 120))
    return _noise(img, seed)


def damaged_fence(seed: int = 3) -> Image.Image:
    """A garden fence with a panel kicked in and splintered boards."""
    img = Image.new("RGB", PHOTO, (170, 196, 220))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 860, 1600, 1200), fill=(76, 120, 60))
    rnd = random.Random(seed)
    for i, x in enumerate(range(0, 1600, 100)):
        if 5 <= i <= 8:
            continue
        d.rectangle((x + 4, 300, x + 96, 900), fill=(120, 82, 48), outline=(80, 52, 28), width=4)
    for i, x in enumerate(range(500, 900, 100)):  # the broken panel: boards leaning, snapped
        top = 420 + rnd.randrange(120)
        lean = rnd.randrange(-90, 90)
        d.polygon([(x + 10, 900), (x + 90, 900), (x + 90 + lean, top), (x + 10 + lean, top + 40)],
                  fill=(140, 98, 60), outline=(80, 52, 28))
        d.line((x + 20 + lean, top + 20, x + 60 + lean, top - 30 - i * 10), fill=(200, 170, 120),
               width=8)
    d.rectangle((0, 560, 1600, 590), fill=(96, 64, 36))
    return _noise(img, seed)


def flowers(seed: int = 4) -> Image.Image:
    """A bouquet in a paper cone with a small card, on a kitchen table."""
    img = Image.new("RGB", PHOTO, (222, 214, 200))
    d = ImageDraw.Draw(img)
    d.polygon([(620, 1150), (980, 1150), (1220, 560), (380, 560)], fill=(236, 228, 236))
    rnd = random.Random(seed)
    for _ in range(24):
        x, y, r = rnd.randrange(440, 1160), rnd.randrange(260, 600), rnd.randrange(40, 80)
        d.ellipse((x - r, y - r, x + r, y + r), fill=rnd.choice(
            [(196, 30, 58), (220, 60, 90), (250, 210, 220), (180, 20, 40)]))
        d.ellipse((x - r // 3, y - r // 3, x + r // 3, y + r // 3), fill=(120, 20, 30))
    d.rectangle((1040, 820, 1420, 1040), fill=(252, 250, 244), outline=(200, 190, 180), width=3)
    for i, line in enumerate(["You can't ignore me", "forever. D x"]):
        d.text((1070, 860 + i * 60), line, font=font(34), fill=(30, 30, 80))
    return _noise(img, seed)


def scratched_car_door(seed: int = 5) -> Image.Image:
    """The driver's side of a car, keyed from the front wing to the back door."""
    img = Image.new("RGB", PHOTO, (70, 72, 78))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 1000, 1600, 1200), fill=(46, 46, 50))  # road
    d.rounded_rectangle((-40, 180, 1640, 1010), radius=60, fill=(168, 170, 176))  # body
    d.polygon([(140, 190), (300, 40), (1400, 40), (1540, 190)], fill=(40, 46, 56))  # glass
    d.rectangle((790, 40, 815, 190), fill=(120, 122, 128))  # pillar
    for x0, x1 in ((180, 800), (805, 1420)):  # door seams and handles
        d.rounded_rectangle((x0, 200, x1, 940), radius=30, outline=(120, 122, 128), width=5)
        d.rounded_rectangle((x1 - 190, 330, x1 - 60, 365), radius=12, fill=(130, 132, 138))
    for cx in (-20, 1620):
        d.ellipse((cx - 230, 760, cx + 230, 1220), fill=(22, 22, 24))
    rnd = random.Random(seed)
    x, y = 60, 560
    points = [(x, y)]
    while x < 1540:
        x += rnd.randrange(30, 90)
        y += rnd.randrange(-22, 23)
        points.append((x, y))
    d.line(points, fill=(236, 238, 242), width=6)
    d.line([(px, py + 5) for px, py in points], fill=(110, 112, 120), width=3)
    return _noise(img, seed)


def letter(seed: int = 6) -> Image.Image:
    """A handwritten note pushed through the letterbox."""
    img = Image.new("RGB", PHOTO, (110, 84, 62))
    d = ImageDraw.Draw(img)
    d.polygon([(260, 120), (1340, 160), (1300, 1120), (230, 1080)], fill=(250, 248, 238))
    lines = ["Sarah,", "I know you're reading these.", "I saw you with him on Saturday.",
             "We need to talk. I'm not going", "anywhere.", "D"]
    for i, line in enumerate(lines):
        d.text((340, 240 + i * 120), line, font=font(56), fill=(20, 30, 90))
    return _noise(img, seed)


def bus_stop_figure(seed: int = 7) -> Image.Image:
    """A man in a dark hoodie standing at a bus stop across the road, at dusk."""
    img = Image.new("RGB", PHOTO, (90, 96, 120))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 820, 1600, 1200), fill=(60, 60, 64))
    d.rectangle((0, 760, 1600, 830), fill=(120, 120, 126))
    d.rectangle((900, 300, 1300, 780), outline=(40, 40, 46), width=10)  # shelter
    d.rectangle((1220, 200, 1250, 780), fill=(40, 40, 46))
    d.ellipse((1050, 420, 1110, 480), fill=(24, 24, 28))  # the figure
    d.rounded_rectangle((1030, 470, 1130, 650), radius=30, fill=(20, 20, 24))
    d.rectangle((1045, 640, 1075, 770), fill=(30, 30, 40))
    d.rectangle((1085, 640, 1115, 770), fill=(30, 30, 40))
    soft = _noise(img, seed, 34).resize((400, 300), Image.Resampling.BILINEAR)
    return soft.filter(ImageFilter.GaussianBlur(0.6)).resize(PHOTO, Image.Resampling.BICUBIC)


# Drawings by name (the car is drawn by car_at_night, which needs the plate).
PHOTOS: dict[str, Callable[[int], Image.Image]] = {
    "parcel": doorstep_parcel, "fence": damaged_fence, "flowers": flowers,
    "scratch": scratched_car_door, "letter": letter, "figure": bus_stop_figure}


# --------------------------------------------------------------------------- screens
def _status_bar(d: ImageDraw.ImageDraw, clock: str, dark: bool = False) -> None:
    colour = (255, 255, 255) if dark else (0, 0, 0)
    d.text((70, 40), clock, font=font(40, bold=True), fill=colour)
    d.rounded_rectangle((930, 48, 1000, 80), radius=8, outline=colour, width=3)
    d.rectangle((936, 54, 984, 74), fill=colour)


def messages(contact: str, clock: str, items: Sequence[tuple[bool, str, str]],
             app: str = "messages") -> Image.Image:
    """A chat: (from them?, text, time) per bubble; SMS grey/blue or WhatsApp green."""
    whatsapp = app == "whatsapp"
    instagram = app == "instagram"
    bg = (236, 229, 221) if whatsapp else (255, 255, 255)
    img = Image.new("RGB", PHONE, bg)
    d = ImageDraw.Draw(img)
    header = (7, 94, 84) if whatsapp else (248, 248, 248)
    d.rectangle((0, 0, PHONE[0], 300), fill=header)
    _status_bar(d, clock, dark=whatsapp)
    title_colour = (255, 255, 255) if whatsapp else (0, 0, 0)
    d.text((120, 170), "<", font=font(60), fill=(0, 122, 255) if not whatsapp else title_colour)
    d.ellipse((200, 150, 300, 250), fill=(160, 170, 190))
    d.text((232, 172), contact[:1].upper(), font=font(48, bold=True), fill=(255, 255, 255))
    d.text((330, 160), contact, font=font(46, bold=True), fill=title_colour)
    sub = "Instagram" if instagram else ("online" if whatsapp else "Text message")
    d.text((330, 220), sub, font=font(30), fill=title_colour if whatsapp else (120, 120, 120))
    body = font(40)
    small = font(28)
    y = 360
    for theirs, text, stamp in items:
        lines = _wrap(d, text, body, 700)
        height = 54 * len(lines) + 80
        width = max(int(max(d.textlength(line, font=body) for line in lines)), 160) + 70
        x0 = 50 if theirs else PHONE[0] - 50 - width
        if whatsapp:
            fill = (255, 255, 255) if theirs else (220, 248, 198)
        elif instagram:
            fill = (239, 239, 239) if theirs else (131, 58, 180)
        else:
            fill = (233, 233, 235) if theirs else (0, 122, 255)
        ink = (0, 0, 0) if theirs or whatsapp else (255, 255, 255)
        d.rounded_rectangle((x0, y, x0 + width, y + height), radius=42, fill=fill)
        for i, line in enumerate(lines):
            d.text((x0 + 35, y + 22 + i * 54), line, font=body, fill=ink)
        d.text((x0 + width - 110, y + height - 46), stamp, font=small,
               fill=(120, 120, 120) if ink == (0, 0, 0) else (225, 225, 255))
        y += height + 36
        if y > PHONE[1] - 400:
            break
    d.rectangle((0, PHONE[1] - 200, PHONE[0], PHONE[1]), fill=(246, 246, 246))
    d.rounded_rectangle((60, PHONE[1] - 170, PHONE[0] - 60, PHONE[1] - 80), radius=45,
                        outline=(200, 200, 200), width=3)
    d.text((110, PHONE[1] - 150), "Message", font=body, fill=(170, 170, 170))
    return img


def call_log(clock: str, calls: Sequence[tuple[str, str, str]]) -> Image.Image:
    """Recent calls: (who, when, kind) with missed calls in red."""
    img = Image.new("RGB", PHONE, (255, 255, 255))
    d = ImageDraw.Draw(img)
    _status_bar(d, clock)
    d.text((60, 160), "Recents", font=font(80, bold=True), fill=(0, 0, 0))
    y = 320
    for who, when, kind in calls:
        missed = kind.lower().startswith("missed")
        d.text((60, y), who, font=font(46, bold=True), fill=(220, 30, 30) if missed else (0, 0, 0))
        d.text((60, y + 64), kind, font=font(32), fill=(130, 130, 130))
        d.text((760, y + 20), when, font=font(36), fill=(130, 130, 130))
        d.line((60, y + 130, PHONE[0], y + 130), fill=(225, 225, 225), width=2)
        y += 150
    return img


def email(clock: str, sender: str, subject: str, sent: str, body: str) -> Image.Image:
    """An email opened in a phone's mail app."""
    img = Image.new("RGB", PHONE, (255, 255, 255))
    d = ImageDraw.Draw(img)
    _status_bar(d, clock)
    d.text((60, 160), "< Inbox", font=font(40), fill=(0, 122, 255))
    d.text((60, 260), sender, font=font(44, bold=True), fill=(0, 0, 0))
    d.text((60, 320), f"To: me  ·  {sent}", font=font(32), fill=(130, 130, 130))
    y = 400
    for line in _wrap(d, subject, font(50, bold=True), 960):
        d.text((60, y), line, font=font(50, bold=True), fill=(0, 0, 0))
        y += 66
    d.line((60, y + 20, PHONE[0] - 60, y + 20), fill=(225, 225, 225), width=2)
    y += 60
    for line in _wrap(d, body, font(40), 960):
        d.text((60, y), line, font=font(40), fill=(30, 30, 30))
        y += 58
    return img
