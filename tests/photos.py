"""Pictures the tests make: digits drawn with a pen and photographed on paper."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
from PIL import Image

from digits_core.samples import (
    PaperStyle,
    RoomStyle,
    cropped_to_ink,
    framed,
    held_up,
    pen_digit,
    photograph,
    underlined,
)

# Where and how a digit can appear: each must still be read right.
SCENARIOS = {
    "centred": {},
    "top left, small": {"centre": (0.25, 0.3), "digit_height": 0.3},
    "bottom right": {"centre": (0.72, 0.68), "digit_height": 0.4},
    "fills the frame": {"digit_height": 0.85},
    "tilted": {"rotation": 9.0},
    "dim side": {"light": 0.55, "light_angle": 160},
    "ruled paper and a shadow": {"ruled": True, "shadow": True},
    "squared paper": {"squared": True},
    "blue ink, yellow paper": {"ink": (30, 50, 140), "paper": (240, 225, 170)},
    "yellow marker": {"ink": (235, 215, 30)},  # nearly as bright as the paper
    # What the Camera page asks a webcam for, the sheet held far from it.
    "far off, 16:9 frame": {"size": (1280, 720), "digit_height": 0.06},
}
PENS = {"fine pen": 0.04, "marker": 0.13}


def digit_photo(
    digit: int, scenario: str = "centred", pen: str = "fine pen", slant: float = 0.1, seed=0
) -> bytes:
    rng = np.random.default_rng(seed * 100 + digit)
    ink = pen_digit(digit, stroke=PENS[pen], slant=slant, jitter=0.015, rng=rng)
    return photograph(ink, replace(PaperStyle(), **SCENARIOS[scenario]), rng)


def cut_off_photo(digit: int, centre: tuple[float, float]) -> bytes:
    """A marker digit placed so near the frame's edge that part of it is cut off."""
    ink = pen_digit(digit, stroke=PENS["marker"], slant=0.1)
    return photograph(ink, replace(PaperStyle(), digit_height=0.6, centre=centre))


def number_photo(digits: tuple[int, ...], gap: float = 0.6, seed: int = 0) -> bytes:
    """A number written on one page: ``digits`` side by side, ``gap`` (a share of their
    height) apart, photographed as :func:`digit_photo`'s are."""
    rng = np.random.default_rng(seed)
    inks = [pen_digit(d, stroke=PENS["fine pen"], slant=0.1, jitter=0.015, rng=rng) for d in digits]
    inks = [cropped_to_ink(ink) for ink in inks]  # no margin: the gap is all there is
    height = max(ink.shape[0] for ink in inks)
    space = np.zeros((height, round(gap * height)))
    row = []
    for ink in inks:
        row += [np.pad(ink, ((height - ink.shape[0], 0), (0, 0))), space]
    page = np.pad(np.hstack(row[:-1]), round(0.2 * height))
    return photograph(page, replace(PaperStyle(), digit_height=0.5), rng)


def underlined_photo(digit: int, pen: str) -> bytes:
    """A digit underlined with the same pen (:func:`underlined`)."""
    rng = np.random.default_rng(digit)
    ink = pen_digit(digit, stroke=PENS[pen], slant=0.1, jitter=0.015, rng=rng)
    return photograph(underlined(ink, PENS[pen]), replace(PaperStyle(), digit_height=0.5), rng)


def framed_photo(digit: int, frame: str) -> bytes:
    """A digit with a ``frame`` ("box" or "circle") drawn around it with the same pen,
    apart from it, as on a form or a worksheet (:func:`framed`)."""
    rng = np.random.default_rng(digit)
    ink = pen_digit(digit, stroke=PENS["fine pen"], slant=0.1, jitter=0.015, rng=rng)
    page = framed(ink, PENS["fine pen"], frame)
    return photograph(page, replace(PaperStyle(), digit_height=0.6), rng)


def blank_page() -> bytes:
    """A webcam photo of plain paper with nothing written on it (JPEG)."""
    return encode(Image.new("RGB", (640, 480), (236, 233, 226)), "JPEG")


def encode(image: Image.Image, format: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def held_up_photo(digit: int, sheet: float = 0.5, wall: int = 70, seed: int = 0) -> bytes:
    """A webcam frame of a sheet with a pen digit, held up in front of a room.

    The sheet spans ``sheet`` of the frame's width; with a dim ``wall`` (70) most of
    the frame is darker than the paper.
    """
    rng = np.random.default_rng(seed * 10 + digit)
    ink = pen_digit(digit, stroke=0.07, slant=0.1, jitter=0.015, rng=rng)
    room = RoomStyle(sheet=sheet, wall=wall, turn=float(rng.uniform(-8, 8)))
    return held_up(ink, room, rng)


def ring(shape=(360, 480), centre=(180, 240), radii=(60, 40)) -> np.ndarray:
    """A pen-drawn 0 as a mask: the ring between two ellipses."""
    y, x = np.ogrid[: shape[0], : shape[1]]
    outer, inner = (((y - centre[0]) / r) ** 2 + ((x - centre[1]) / (0.7 * r)) ** 2 for r in radii)
    return (outer <= 1) & (inner > 1)
