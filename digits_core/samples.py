"""Photos of handwritten digits on paper that the project makes itself.

Two halves, used by the Camera page's sample row, the tests and the benchmarks:

- :func:`pen_digit` draws a digit as pen strokes (smooth curves through a few points,
  jittered like a hand, with any slant and stroke width); :func:`underlined` and
  :func:`framed` draw a line under it or a box or circle around it, as people do;
- :func:`photograph` puts any ink picture on paper as a webcam sees it: tinted paper,
  light falling off to one side, optional ruled lines and a shadow, sensor noise, blur
  and JPEG compression; :func:`held_up` holds such a sheet up to a webcam in a room.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from scipy import ndimage

# Each digit as strokes of (x, y) points in a unit box (y down), drawn as smooth curves.
STROKES: dict[int, list[list[tuple[float, float]]]] = {
    0: [
        [
            (0.5, 0.0), (0.18, 0.15), (0.08, 0.5), (0.2, 0.88), (0.5, 1.0),
            (0.8, 0.86), (0.92, 0.5), (0.82, 0.13), (0.5, 0.0), (0.3, 0.08),
        ]
    ],
    1: [[(0.28, 0.22), (0.58, 0.0), (0.58, 1.0)]],
    2: [
        [
            (0.12, 0.25), (0.3, 0.04), (0.6, 0.0), (0.84, 0.16), (0.8, 0.42),
            (0.5, 0.7), (0.1, 1.0), (0.9, 0.99),
        ]
    ],
    3: [
        [
            (0.12, 0.12), (0.45, 0.0), (0.8, 0.12), (0.78, 0.36), (0.42, 0.48),
            (0.82, 0.6), (0.86, 0.86), (0.5, 1.0), (0.1, 0.88),
        ]
    ],
    4: [[(0.62, 0.0), (0.1, 0.68), (0.92, 0.68)], [(0.66, 0.12), (0.66, 1.0)]],
    5: [
        [
            (0.25, 0.02), (0.2, 0.45), (0.55, 0.38), (0.84, 0.6), (0.8, 0.88),
            (0.48, 1.0), (0.12, 0.9),
        ],
        [(0.25, 0.02), (0.85, 0.0)],
    ],
    6: [
        [
            (0.78, 0.04), (0.45, 0.0), (0.2, 0.32), (0.12, 0.7), (0.34, 1.0),
            (0.72, 0.94), (0.85, 0.7), (0.62, 0.5), (0.3, 0.55), (0.15, 0.72),
        ]
    ],
    7: [[(0.08, 0.02), (0.9, 0.0), (0.38, 1.0)]],
    8: [
        [
            (0.5, 0.48), (0.2, 0.28), (0.5, 0.0), (0.8, 0.26), (0.5, 0.48),
            (0.14, 0.74), (0.5, 1.0), (0.86, 0.74), (0.5, 0.48),
        ]
    ],
    9: [
        [
            (0.82, 0.28), (0.5, 0.5), (0.18, 0.34), (0.3, 0.04), (0.65, 0.0),
            (0.84, 0.26), (0.78, 1.0),
        ]
    ],
}  # fmt: skip


def _smooth(points: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """A Catmull-Rom curve through ``points``: how a pen moves, not a polygon."""
    if len(points) < 3:
        return points
    padded = np.vstack([points[0], points, points[-1]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    curve = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1 : i + 3]
        curve.append(
            0.5
            * (
                2 * p1
                + (-p0 + p2) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3
            )
        )
    curve.append(points[-1:])
    return np.vstack(curve)


def pen_digit(
    digit: int,
    height: int = 200,
    stroke: float = 0.08,
    slant: float = 0.0,
    jitter: float = 0.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """A digit drawn with a pen: ink in [0, 1], ndarray of shape (about height, ...).

    Parameters
    ----------
    stroke : pen width as a share of the digit's height (0.02 fine pen, 0.15 marker)
    slant : horizontal shift of the top relative to the bottom, as a share of height
    jitter : random displacement of each point, as a share of height (a hand's wobble)
    """
    rng = rng if rng is not None else np.random.default_rng(digit)
    scale = 4  # draw large, then shrink: smooth edges
    h = height * scale
    w = int(h * 0.8)
    pad = int(h * (stroke + abs(slant) + jitter + 0.05))
    canvas = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    draw = ImageDraw.Draw(canvas)
    width = max(1, round(stroke * h))
    for points in STROKES[digit]:
        xy = np.array(points, dtype=float)
        xy += rng.normal(0, jitter, xy.shape) if jitter else 0
        xy[:, 0] = xy[:, 0] * w + slant * (1 - xy[:, 1]) * h + pad
        xy[:, 1] = xy[:, 1] * h + pad
        curve = _smooth(xy)
        draw.line([tuple(p) for p in curve], fill=255, width=width, joint="curve")
        r = width / 2
        for x, y in (curve[0], curve[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    small = canvas.resize((canvas.width // scale, canvas.height // scale), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


def cropped_to_ink(ink: np.ndarray) -> np.ndarray:
    """An ink picture (1 = ink) cropped to its ink, no margin left."""
    rows, cols = np.flatnonzero(ink.max(axis=1) > 0.05), np.flatnonzero(ink.max(axis=0) > 0.05)
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def underlined(ink: np.ndarray, stroke: float, gap: float = 0.12) -> np.ndarray:
    """An ink picture of a digit with a line drawn under it by the same pen (``stroke``,
    as for :func:`pen_digit`): ``gap`` of the digit's height below it, a little wider
    than the digit on both sides."""
    ink = cropped_to_ink(ink)
    height, width = ink.shape
    thickness = max(2, round(stroke * height))
    margin = height // 10
    page = np.zeros((height + round(gap * height) + thickness, width + 2 * margin), np.float32)
    page[:height, margin : margin + width] = ink
    page[-thickness:] = 1.0
    return np.pad(page, height // 5)


def framed(ink: np.ndarray, stroke: float, frame: str = "box") -> np.ndarray:
    """An ink picture of a digit with a ``frame`` ("box" or "circle") drawn around it by
    the same pen (``stroke``, as for :func:`pen_digit`), apart from it."""
    ink = cropped_to_ink(ink)
    margin = ink.shape[0] // 3
    page = np.pad(ink, margin)
    scale = 4  # drawn large, then shrunk: smooth edges
    drawing = Image.new("L", (page.shape[1] * scale, page.shape[0] * scale), 0)
    inset = scale * margin // 3
    outline = (inset, inset, drawing.width - inset, drawing.height - inset)
    width = max(1, round(stroke * ink.shape[0] * scale))
    draw = ImageDraw.Draw(drawing)
    (draw.rectangle if frame == "box" else draw.ellipse)(outline, outline=255, width=width)
    drawn = drawing.resize((page.shape[1], page.shape[0]), Image.Resampling.BOX)
    return np.pad(np.maximum(page, np.asarray(drawn, dtype=np.float32) / 255), margin)


def centre_lines(mask: np.ndarray) -> np.ndarray:
    """The centre lines of a boolean mask's strokes, one pixel wide and as connected as
    the strokes were (Zhang and Suen's thinning, 1984: border pixels that no line needs
    are peeled off, one side and then the other, until none is left)."""
    lines = np.pad(np.asarray(mask, dtype=bool), 1)
    while True:
        peeled = False
        for first_pass in (True, False):
            # The eight neighbours, clockwise from the one above.
            p = np.pad(lines, 1)
            n, ne, e, se = p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:]
            s, sw, w, nw = p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]
            ring = [n, ne, e, se, s, sw, w, nw, n]
            neighbours = sum(x.astype(np.uint8) for x in ring[:8])
            # Exactly one change from background to ink around the pixel: an end or an
            # edge, not a bridge between two parts.
            crossings = sum((~a & b).astype(np.uint8) for a, b in itertools.pairwise(ring))
            # The first pass leaves the north-west borders, the second the south-east ones.
            side = (n & e & s) | (e & s & w) if first_pass else (n & e & w) | (n & s & w)
            peel = lines & (neighbours >= 2) & (neighbours <= 6) & (crossings == 1) & ~side
            if peel.any():
                lines &= ~peel
                peeled = True
        if not peeled:
            return lines[1:-1, 1:-1]


def redrawn_thin(image: np.ndarray, radius: float, height: int = 112) -> np.ndarray:
    """A digit bitmap (values in [0, 1], 1 = ink) drawn again by a fine pen: enlarged to
    ``height`` rows, its strokes thinned to their centre lines, each line then drawn
    ``radius`` pixels to either side (edges anti-aliased). Ink in [0, 1]."""
    image = np.asarray(image, dtype=np.float32)
    width = max(1, round(image.shape[1] * height / image.shape[0]))
    big = Image.fromarray(np.clip(image * 255, 0, 255).astype(np.uint8)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    lines = centre_lines(np.asarray(big) > 127)
    margin = int(np.ceil(radius)) + 2
    distance = ndimage.distance_transform_edt(~np.pad(lines, margin))
    return np.clip(radius + 0.5 - distance, 0.0, 1.0).astype(np.float32)


@dataclass(frozen=True)
class PaperStyle:
    """How a webcam sees the paper. Colours are RGB in 0..255."""

    size: tuple[int, int] = (640, 480)
    digit_height: float = 0.55  # share of the picture's height
    centre: tuple[float, float] = (0.5, 0.5)  # (x, y) share of width and height
    rotation: float = 0.0  # degrees
    paper: tuple[int, int, int] = (226, 222, 212)
    ink: tuple[int, int, int] = (35, 35, 60)
    light: float = 0.3  # how much darker the dim side is
    light_angle: float = 30.0  # degrees: where the light comes from
    ruled: bool = False
    squared: bool = False  # small squares, as in many school exercise books
    shadow: bool = False
    noise: float = 3.0  # sensor noise, standard deviation in 0..255
    blur: float = 0.6  # Gaussian blur radius in pixels
    quality: int = 85  # JPEG quality

    @classmethod
    def random(cls, rng: np.random.Generator, hard: bool = False) -> PaperStyle:
        """A plausible webcam shot; ``hard`` adds ruled lines and a shadow."""
        tint = rng.uniform(-18, 12, 3)
        base = rng.uniform(170, 240)
        return cls(
            size=(640, 480),
            digit_height=float(rng.uniform(0.3, 0.8)),
            centre=(float(rng.uniform(0.3, 0.7)), float(rng.uniform(0.35, 0.65))),
            rotation=float(rng.uniform(-8, 8)),
            paper=tuple(int(np.clip(base + t, 0, 255)) for t in tint),
            ink=tuple(int(v) for v in rng.uniform(10, 70, 3)),
            light=float(rng.uniform(0.0, 0.45)),
            light_angle=float(rng.uniform(0, 360)),
            ruled=hard,
            shadow=hard,
            noise=float(rng.uniform(1, 6)),
            blur=float(rng.uniform(0.3, 1.4)),
            quality=int(rng.integers(60, 92)),
        )


def _printed(
    paper: np.ndarray, lines: Image.Image, colour: tuple[int, int, int], strength: float
) -> np.ndarray:
    """``paper`` (h, w, 3) with the lines drawn on ``lines`` (L) printed on it in ``colour``."""
    line_alpha = np.asarray(lines, dtype=np.float32)[..., None] / 255.0 * strength
    return paper * (1 - line_alpha) + np.array(colour, np.float32) * line_alpha


def photograph(
    ink: np.ndarray, style: PaperStyle = PaperStyle(), rng: np.random.Generator | None = None
) -> bytes:
    """Put an ink picture (values in [0, 1], 1 = ink) on paper and take a JPEG of it."""
    rng = rng if rng is not None else np.random.default_rng(0)
    width, height = style.size
    ink_image = Image.fromarray((np.clip(ink, 0, 1) * 255).astype(np.uint8), mode="L")
    ink_image = ink_image.rotate(style.rotation, resample=Image.Resampling.BICUBIC, expand=True)
    target_height = max(8, round(style.digit_height * height))
    scale = target_height / ink_image.height
    ink_image = ink_image.resize(
        (max(1, round(ink_image.width * scale)), target_height), Image.Resampling.LANCZOS
    )
    alpha = np.zeros((height, width), dtype=np.float32)
    left = round(style.centre[0] * width - ink_image.width / 2)
    top = round(style.centre[1] * height - ink_image.height / 2)
    placed = Image.new("L", (width, height), 0)
    placed.paste(ink_image, (left, top))
    alpha = np.asarray(placed, dtype=np.float32) / 255.0

    paper = np.ones((height, width, 3), dtype=np.float32) * np.array(style.paper, np.float32)
    if style.ruled:
        lines = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(lines)
        spacing = rng.uniform(0.08, 0.12) * height
        tilt = np.tan(np.radians(rng.uniform(-1.5, 1.5))) * width
        offset = rng.uniform(0, spacing)
        y = offset - abs(tilt)
        while y < height + abs(tilt):
            draw.line((0, y, width, y + tilt), fill=255, width=2)
            y += spacing
        paper = _printed(paper, lines, (120, 150, 200), 0.55)
    if style.squared:
        lines = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(lines)
        spacing = rng.uniform(0.04, 0.07) * height
        for start in np.arange(rng.uniform(0, spacing), max(width, height), spacing):
            draw.line((start, 0, start, height), fill=255, width=1)
            draw.line((0, start, width, start), fill=255, width=1)
        paper = _printed(paper, lines, (150, 130, 200), 0.6)
    page = paper * (1 - alpha[..., None]) + np.array(style.ink, np.float32) * alpha[..., None]

    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = np.radians(style.light_angle)
    ramp = (np.cos(angle) * (xs / width - 0.5) + np.sin(angle) * (ys / height - 0.5)) + 0.5
    light = 1.0 - style.light * np.clip(ramp, 0, 1)
    if style.shadow:
        mask = Image.new("L", (width, height), 0)
        corner = rng.integers(0, 4)
        cx = width if corner in (1, 2) else 0
        cy = height if corner in (2, 3) else 0
        rx, ry = rng.uniform(0.35, 0.6) * width, rng.uniform(0.5, 0.9) * height
        ImageDraw.Draw(mask).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(rng.uniform(4, 15)))
        depth = rng.uniform(0.25, 0.45)
        light = light * (1 - depth * np.asarray(mask, dtype=np.float32) / 255.0)
    page = page * light[..., None]
    page = page + rng.normal(0, style.noise, page.shape).astype(np.float32)
    picture = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), mode="RGB")
    if style.blur > 0:
        picture = picture.filter(ImageFilter.GaussianBlur(style.blur))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=style.quality)
    return out.getvalue()


@dataclass(frozen=True)
class RoomStyle:
    """A sheet of paper held up to a webcam, the room behind it."""

    sheet: float = 0.5  # the sheet's width as a share of the frame's
    wall: int = 70  # the wall's brightness, 0..255: a dim room is darker than paper
    turn: float = 0.0  # degrees the sheet is turned
    offset: tuple[float, float] = (0.0, 0.0)  # of the sheet from the middle, share of size
    noise: float = 3.0
    quality: int = 85

    @classmethod
    def random(cls, rng: np.random.Generator) -> RoomStyle:
        return cls(
            sheet=float(rng.uniform(0.35, 0.7)),
            wall=int(rng.integers(50, 170)),
            turn=float(rng.uniform(-10, 10)),
            offset=(float(rng.uniform(-0.08, 0.08)), float(rng.uniform(-0.08, 0.08))),
            noise=float(rng.uniform(1, 5)),
            quality=int(rng.integers(70, 92)),
        )


def held_up(
    ink: np.ndarray, room: RoomStyle = RoomStyle(), rng: np.random.Generator | None = None
) -> bytes:
    """A 640x480 webcam frame of a sheet with ``ink`` on it, held up by two fingers in
    front of a room: a face and shoulders behind it, a shelf and a lamp on the wall."""
    rng = rng if rng is not None else np.random.default_rng(0)
    width, height = 640, 480
    size = (round(room.sheet * width), round(room.sheet * width * 0.75))
    style = PaperStyle(size=size, digit_height=0.6, light=0.15, noise=0, blur=0, quality=95)
    sheet = Image.open(io.BytesIO(photograph(ink, style, rng))).convert("RGBA")
    sheet = sheet.rotate(room.turn, resample=Image.Resampling.BICUBIC, expand=True)
    xs = np.linspace(-0.5, 0.5, width, dtype=np.float32)[None, :].repeat(height, axis=0)
    wall = room.wall + 30 * xs
    frame = Image.fromarray(
        np.clip(np.stack([wall, wall * 0.9, wall * 1.1], axis=-1), 0, 255).astype(np.uint8)
    )
    draw = ImageDraw.Draw(frame)
    draw.ellipse((0.35 * width, 0.02 * height, 0.65 * width, 0.55 * height), fill=(200, 160, 130))
    draw.rectangle((0.15 * width, 0.6 * height, 0.85 * width, height), fill=(60, 40, 90))
    draw.rectangle((0, 0.2 * height, 0.2 * width, 0.25 * height), fill=(90, 60, 40))
    draw.ellipse((0.85 * width, 0.05 * height, 0.98 * width, 0.2 * height), fill=(250, 250, 230))
    left = round((0.5 + room.offset[0]) * width - sheet.width / 2)
    top = round((0.5 + room.offset[1]) * height - sheet.height / 2)
    frame.paste(sheet, (left, top), sheet)
    for share in (0.4, 0.55):  # two fingers on the sheet's left edge
        y = top + share * sheet.height
        draw.ellipse((left - 20, y - 12, left + 22, y + 12), fill=(210, 165, 140))
    frame = frame.filter(ImageFilter.GaussianBlur(0.7))
    noisy = np.asarray(frame, dtype=np.float32) + rng.normal(0, room.noise, (height, width, 3))
    out = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(
        out, format="JPEG", quality=room.quality
    )
    return out.getvalue()


# The Camera page's sample row: one photo per digit, each a different way of writing
# and photographing it, so a demo works without a camera.
_SAMPLE_LOOKS = [
    {"stroke": 0.10, "slant": 0.10, "style": {}},
    {"stroke": 0.06, "slant": 0.05, "style": {"light": 0.4, "light_angle": 200}},
    # A yellow marker: nearly as bright as the paper in gray, dark in blue.
    {"stroke": 0.12, "slant": -0.05, "style": {"ink": (248, 232, 60), "paper": (238, 236, 230)}},
    {"stroke": 0.05, "slant": 0.15, "style": {"ruled": True, "digit_height": 0.45}},
    # In a box, as on a form: the box is not the digit.
    {
        "stroke": 0.09,
        "slant": 0.0,
        "mark": "box",
        "style": {"centre": (0.4, 0.55), "digit_height": 0.7},
    },
    {"stroke": 0.07, "slant": 0.2, "style": {"ink": (20, 40, 110), "rotation": -5}},
    # Held up to the webcam in a dim room: most of the frame is darker than the paper.
    {"stroke": 0.11, "slant": 0.05, "room": {"sheet": 0.55, "wall": 70, "turn": -4.0}},
    # Underlined: joined to the digit, the line would make it a 2.
    {"stroke": 0.08, "slant": 0.12, "mark": "underline", "style": {"paper": (240, 238, 230)}},
    {"stroke": 0.04, "slant": 0.0, "style": {"digit_height": 0.7, "ink": (70, 70, 70)}},
    {"stroke": 0.09, "slant": 0.1, "style": {"shadow": True, "ruled": True}},
]


def sample_photo(digit: int) -> bytes:
    """The shipped sample photo of ``digit`` (always the same bytes for a given Pillow)."""
    look = _SAMPLE_LOOKS[digit]
    rng = np.random.default_rng(1000 + digit)
    ink = pen_digit(digit, stroke=look["stroke"], slant=look["slant"], jitter=0.02, rng=rng)
    if look.get("mark") == "underline":
        ink = underlined(ink, look["stroke"])
    elif look.get("mark") == "box":
        ink = framed(ink, look["stroke"])
    if "room" in look:
        return held_up(ink, RoomStyle(**look["room"]), rng)
    return photograph(ink, replace(PaperStyle(), **look["style"]), rng)
