"""A photo of a digit on paper -> the 8x8 grid of 0..16 values the digits data is made of.

Every step keeps its picture (:class:`Step`), so a class can see why each one is needed.
The training digits were made by NIST's programs: a digit scanned as black on white,
cropped, scaled so that its height fills a 32x32 box, then on-pixels counted in 4x4
blocks. A photo has to be brought to that same form:

1. decode, turn upright (EXIF), grayscale (ink too light to find in gray, a yellow or
   orange marker, is looked for again in each pixel's darkest colour channel). A
   picture that is mostly dark may be light ink on dark paper (turned around) or a
   white sheet held up in a dim room (kept): both readings are made
   (:func:`possible_readings`). When one's digit lies in a hole of the other's, that
   decides (:func:`nested_reading`); otherwise the model keeps the one it reads best;
2. estimate the paper (a large closing of the gray image) and divide it out, so shadows
   and uneven light disappear: ``ink = 1 - gray / paper``;
3. Otsu's threshold on that ink map separates ink from paper;
4. long thin ruled lines, specks, marks far from the digit, solid blobs, small pieces
   cut off by the frame's edge and the rims of dark things (a shadow, the room around
   a sheet held up) are dropped. A digit whose ink stands out no more from the grain
   of the paper around it than a textured surface's blotches do is none
   (:func:`_standout`): a desk, a carpet;
5. the digit is cropped, its slant undone by image moments, its height scaled to 32
   pixels and its width to about 24 (a thin "1" stays thin), and its strokes thickened
   or thinned to cover the share of the box the training digits cover;
6. 4x4 blocks are averaged into 8x8 values from 0 to 16;
7. the same is done for the digit turned 5 degrees each way and drawn narrower and
   wider: the model answers from the view it is surest of (:func:`view_boxes`).

A reading also says what makes its digit less certain than the model's confidence: other
digits beside it, several digits written so close that they were joined into one, a
digit touching the picture's edge (:class:`Reading`).

Errors a user can cause raise :class:`PhotoError` whose ``code`` names the sentence to
show (``photo.error.<code>`` in the text catalogue).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageOps
from scipy import ndimage

# What we read: the photo formats phones, webcams and browsers produce, checked by
# content (Pillow's own detection), never by file name.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "TIFF"}
MAX_PIXELS = 64_000_000  # a 12 MP phone photo is 12,000,000; larger is a mistake or a bomb
# A 12 MP phone photo is a few MB, a 16 MP picture stored whole (16-bit RGB TIFF) 96 MB: a
# larger file is not a photo of a digit, and is not read further than this.
MAX_FILE_BYTES = 100_000_000
# A JPEG is decoded straight at a fraction of its size; other formats must be decoded
# whole first: a 16 MP WebP takes about 250 MB to open, a 48 MP one over 700 MB.
MAX_WHOLE_PIXELS = 16_000_000
SHRINKS_WHILE_DECODING = {"JPEG", "MPO"}
WHOLE_AT_ONCE_PIXELS = 4_000_000  # larger ones that must be opened whole: one at a time
_OPENING_WHOLE = threading.Lock()
FORMAT_NAMES = {"WEBP": "WebP"}  # as people write them, where Pillow's names differ
# An iPhone's photos are HEIC, which Pillow cannot open: told apart from garbage by the
# brand in the file's first box (ISO base media file format), so the message can say so.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1"}
MIN_SIDE = 8
GRAY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}  # no colour
WORK_SIDE = 480  # long side of the image the pipeline works on...
WORK_ASPECT = (4, 3)  # ...if no wider than this; a wider one (a 16:9 webcam frame) keeps as
WIDE_WORK_SIZE = (640, 360)  # many rows as a 4:3 one would, within this (width, height)
SHOW_SIDE = 320  # long side of the pictures kept for showing
BOX = 32  # NIST's normalized bitmap
GRID = 8
BLOCK = BOX // GRID
TARGET_WIDTH = 24  # columns of the 32 a digit spans: the training digits span 6 of 8
THIN_ASPECT = 0.35  # narrower than this (width / height) is a "1"-like stroke: kept thin
TARGET_COVERAGE = 0.30  # share of the 32x32 box the training digits' ink covers
MIN_STROKE = 2.0  # thinnest stroke, in pixels of the 32x32 box, that survives shrinking
MIN_INK = 0.10  # weakest ink/paper contrast that can still be a digit
MIN_STANDOUT = 10.0  # ...and the fewest spreads of the paper's grain it must stand out by
MAX_SKEW = 0.7
VIEW_TURNS = (-5.0, 0.0, 5.0)  # degrees the model also looks at the digit turned by
VIEW_WIDTHS = (20, TARGET_WIDTH, 28)  # and the widths, in columns of the 32, it tries
CENTRE_VIEW = VIEW_TURNS.index(0.0) * len(VIEW_WIDTHS) + VIEW_WIDTHS.index(TARGET_WIDTH)
DIGIT_SIDE = 4 * BOX  # the deskewed digit is scaled from a copy at most this tall
PAPER_SIDE = 96  # the paper is estimated on a copy this small: light varies slowly
PAPER_SHARE = 0.16  # ...closing over this share of the picture's long side...
MAX_PAPER_SHARE = 0.5  # ...or, for a small picture enlarged first, up to this share
MIN_WORK_SIDE = 256  # smaller pictures (a 28x28 bitmap) are enlarged to this first
MIN_DIGIT_SHARE = 0.03  # a digit less tall than this share of _frame_side is a speck
# ...and one less tall than this is read wrong more often: on photos made here of digits
# by other writers, 66% right below 4%, 79% at 4-5%, 85% at 5-6%, 88-92% from 6% up.
SMALL_DIGIT_SHARE = 0.05
COLOUR_DIGIT_SHARE = 0.1  # ...and of the height, found in one colour only (a yellow marker)
CUT_OFF_SHARE = 0.25  # a piece the frame cuts off, smaller than this share of it: no digit
RIM_REACH = 3  # pixels around a piece of ink looked at to tell a stroke from a rim
MAX_STROKE_SHARE = 0.35  # strokes wider than this share of a piece's length: a blob
RIM_CANDIDATES = 8  # the pieces, most inky first, that are looked at that closely
NESTED_SHARE = 0.8  # share of a digit inside another's outline that counts as nested...
IN_HOLES_SHARE = 0.3  # ...when at least this share lies in its holes, not on its strokes
SHEET_STROKES = 3.0  # an outer "digit" with strokes this many times as wide: a sheet
MAX_BAR_ASPECT = 3.0  # a piece this many times wider than tall is a bar, not a digit
ANOTHER_DIGIT_HEIGHTS = (0.5, 2.0)  # a piece left out this tall, relative to the digit...
ANOTHER_DIGIT_INK = 0.3  # ...with at least this share of its ink: another digit
SAME_PEN = 2.5  # strokes at most this many times as wide (+2 px): the same pen
FRAMED_HEIGHT = 0.4  # a piece in the holes of the main one this tall: a framed digit
SEVERAL_ASPECT = 1.1  # a digit wider than this times its height, of pieces side by side
JOINED_SHARE = 0.3  # share of augmented training copies drawn with gaps closed...
JOIN_REACH = 5  # ...up to this many pixels of the 32x32 box wide
DIGIT_COLOUR = (255, 255, 255)  # the separated digit, as shown...
DROPPED_COLOUR = (200, 60, 40)  # ...and the ink left out: lines, shadows, specks...
ANOTHER_COLOUR = (240, 190, 40)  # ...and another digit beside it
EDGES = ("top", "bottom", "left", "right")
FAILED_REASON_CHARS = 120  # of the cause, when the pipeline fails on a picture
AUGMENT_BATCH = 512  # training copies whose random changes are drawn at once
AUGMENT_PIECE = 256  # copies made at once by each thread: fast, and tens of MB at a time
AUGMENT_THREADS = 2


ERROR_CODES = (
    "empty",
    "not_an_image",
    "unsupported_format",
    "too_large",
    "too_large_format",
    "too_large_file",
    "too_small",
    "truncated",
    "no_digit",
    "failed",  # none of the above: the pipeline itself failed on the picture
)


class PhotoError(ValueError):
    """A photo that cannot be read, or holds no digit. ``code`` keys the message."""

    def __init__(self, code: str, **details: object) -> None:
        assert code in ERROR_CODES, code
        self.code = code
        self.details = details
        text = ", ".join(f"{k}={v}" for k, v in details.items())
        super().__init__(f"{code}" + (f" ({text})" if text else ""))


@dataclass(frozen=True)
class Step:
    """One picture of the pipeline.

    Attributes
    ----------
    name : short key
    image : ndarray of shape (h, w) with values in [0, 1] (gray: 1 = white paper; ink
        maps: 1 = ink), or (h, w, 3) uint8 for colour pictures, or (8, 8) in [0, 16]
    caption : the text-catalogue key of its caption, ``photo.step.<caption>``; the name
        unless the step has more than one story to tell
    """

    name: str
    image: np.ndarray = field(repr=False)
    caption: str = ""

    def __post_init__(self) -> None:
        if not self.caption:
            object.__setattr__(self, "caption", self.name)


@dataclass(frozen=True)
class Reading:
    """What the pipeline made of one picture.

    Attributes
    ----------
    steps : every picture from the photo as taken to the 8x8 grid
    views : ndarray of shape (9, 64), values in [0, 16], the digit as it is and turned
        and widened a little (see :func:`view_boxes`), ready for the classifier
    digit_mask : ndarray of shape (h, w), bool, where the digit was found in the picture
        (at the size the pipeline works at)
    light_ink : whether the picture was read as light ink on dark paper (turned around)
    another_digit : whether the picture holds another mark like a digit, beside the
        one read (a "42"): one digit is read at a time
    cut_off : the picture's edges the digit touches (of ``EDGES``): part of it may lie
        beyond them, and cannot be read
    joined_digits : whether the digit read looks like several digits written close
        together, taken as one (:func:`_looks_like_several`)
    small : whether the digit is less tall than ``SMALL_DIGIT_SHARE`` of the picture's
        side (:func:`_frame_side`): too far from the camera, or written small
    """

    steps: tuple[Step, ...] = field(repr=False)
    views: np.ndarray = field(repr=False)
    digit_mask: np.ndarray = field(repr=False)
    light_ink: bool = False
    another_digit: bool = False
    cut_off: tuple[str, ...] = ()
    joined_digits: bool = False
    small: bool = False

    @property
    def features(self) -> np.ndarray:
        """The digit as it is (view ``CENTRE_VIEW``): ndarray of shape (64,)."""
        return self.views[CENTRE_VIEW]

    @property
    def grid(self) -> np.ndarray:
        """The features as an 8x8 image."""
        return self.features.reshape(GRID, GRID)

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)

    def __repr__(self) -> str:
        return f"Reading(ink_total={self.features.sum():.0f}, steps={[s.name for s in self.steps]})"


# --- decoding -----------------------------------------------------------------------


def read_file(path: str | Path) -> bytes:
    """The bytes of the file at ``path``, for the pipeline: at most ``MAX_FILE_BYTES`` + 1
    of them, which it refuses as too large. A huge file, or a device that never ends
    (/dev/zero), is never read whole. Raises OSError as ``open`` does."""
    with open(path, "rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


@contextlib.contextmanager
def opened(data: bytes) -> Iterator[Image.Image]:
    """Open image bytes safely, for as long as the picture is in use (``with
    opened(data) as image``): check the format by content, refuse bombs and truncation.

    Yields an upright (EXIF-rotated) image at most about twice the working size
    (:func:`_work_box`) for JPEGs (decoded at reduced size: much faster) and full size
    otherwise; the first frame of an animation. A large picture that must be opened
    whole takes up to about 15 bytes a pixel (a 16 MP WebP: 240 MB): such pictures are
    opened one at a time, so that several arriving at once from a class wait for each
    other instead of adding up.
    """
    image = _header_checked(data)
    whole = image.format not in SHRINKS_WHILE_DECODING
    one_at_a_time = whole and image.width * image.height > WHOLE_AT_ONCE_PIXELS
    with _OPENING_WHOLE if one_at_a_time else contextlib.nullcontext():
        yield _loaded(image)


def picture_format(data: bytes) -> str:
    """The format of the picture in ``data``, as Pillow names it ("JPEG", "PNG"), found
    from its content and checked as the pipeline checks it, without decoding it. Raises
    PhotoError as the pipeline does."""
    with _header_checked(data) as image:
        return image.format


def _header_checked(data: bytes) -> Image.Image:
    """The picture in ``data``, not decoded yet, its format and size checked."""
    if not data:
        raise PhotoError("empty")
    if len(data) > MAX_FILE_BYTES:
        raise PhotoError("too_large_file", limit=MAX_FILE_BYTES // 10**6)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_large(_claimed_megapixels(error)) from None
    except Exception:  # not a picture: Pillow raises many kinds on garbage headers
        if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
            raise PhotoError("unsupported_format", format="HEIC") from None
        raise PhotoError("not_an_image") from None
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError("unsupported_format", format=image.format)
    width, height = image.size
    megapixels = round(width * height / 1e6)
    if width * height > MAX_PIXELS:
        raise _too_large(megapixels)
    if width * height > MAX_WHOLE_PIXELS and image.format not in SHRINKS_WHILE_DECODING:
        raise PhotoError(
            "too_large_format",
            format=FORMAT_NAMES.get(image.format, image.format),
            megapixels=megapixels,
            limit=MAX_WHOLE_PIXELS // 10**6,
            jpeg_limit=MAX_PIXELS // 10**6,
        )
    # A thin strip (4000x8) is shrunk to fit the working size like any picture: too few
    # rows are left of it.
    box = _work_box((width, height))
    if round(min(width, height) * min(1.0, box[0] / width, box[1] / height)) < MIN_SIDE:
        raise PhotoError("too_small", width=width, height=height)
    return image


def _too_large(megapixels: int | str) -> PhotoError:
    return PhotoError("too_large", megapixels=megapixels, limit=MAX_PIXELS // 10**6)


def _claimed_megapixels(error: Exception) -> int | str:
    """The size a picture Pillow refused to open claims, in megapixels, from Pillow's
    message ("Image size (N pixels) exceeds limit..."); failing that, more than Pillow's
    limit, which is all that is certain."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    if found:
        return round(int(found[1]) / 1e6)
    return f"> {Image.MAX_IMAGE_PIXELS // 10**6}"


def _loaded(image: Image.Image) -> Image.Image:
    """The checked picture decoded (JPEGs at reduced size) and turned upright."""
    try:
        if getattr(image, "n_frames", 1) > 1:
            image.seek(0)
        if image.format in SHRINKS_WHILE_DECODING:
            # Decode at 1/2, 1/4 or 1/8 size straight from the JPEG data.
            image.draft("RGB", _work_box(image.size))
        image.load()
        # In place: turned when its EXIF says so, never copied (a copy of a 12 MP PNG is
        # another 36 MB).
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        raise PhotoError("truncated") from None
    return image


def to_gray(image: Image.Image, darkest: bool = False) -> np.ndarray:
    """Grayscale in [0, 1] (1 = white). Transparent pixels count as white paper.

    ``darkest``: each pixel's darkest colour channel instead of its brightness. A yellow
    or orange marker is nearly as bright as paper, but much darker in blue.

    Returns ndarray of shape (h, w), float32, fitting in :func:`_work_box`.
    """
    mode = image.mode
    high_depth = mode in {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}
    has_alpha = mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        mode == "P" and "transparency" in image.info
    )
    original = image
    if mode.startswith("I;16"):
        # 16-bit gray, as 32-bit: the same values, in a mode Pillow can shrink by whole
        # factors (thumbnail's first step, for a large picture) as well as resize.
        image = image.convert("I")
    elif not (high_depth or has_alpha):
        # One channel to shrink instead of three.
        image = image if mode in {"L", "RGB"} else image.convert("RGB")
        if darkest and image.mode == "RGB":
            red, green, blue = image.split()
            image = ImageChops.darker(ImageChops.darker(red, green), blue)
        else:
            image = image.convert("L")
    box = _work_box(image.size)
    if image.width > box[0] or image.height > box[1]:
        image = image.copy() if image is original else image  # the caller's stays whole
        image.thumbnail(box, Image.Resampling.BILINEAR, reducing_gap=2.0)
    if high_depth:
        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if values.max(initial=0) > 255 else 255.0
        return np.clip(values / top, 0, 1)
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
        colour, weights = rgba[..., :3], np.array([0.299, 0.587, 0.114], dtype=np.float32)
        gray = colour.min(axis=2) if darkest else colour @ weights
        alpha = rgba[..., 3]
        return gray * alpha + (1.0 - alpha)
    return np.asarray(image, dtype=np.float32) / 255.0


def _work_box(size: tuple[int, int]) -> tuple[int, int]:
    """The (width, height) a picture of this size is shrunk to fit in for the pipeline:
    ``WORK_SIDE`` on its long side; for one wider than ``WORK_ASPECT``,
    ``WIDE_WORK_SIZE`` (turned, for a tall one). A 16:9 webcam frame thus keeps as many
    rows as a 4:3 one, and a digit as tall a share of it as many pixels."""
    long, short = max(size), min(size)
    if long * WORK_ASPECT[1] <= short * WORK_ASPECT[0]:
        return WORK_SIDE, WORK_SIDE
    return WIDE_WORK_SIZE if size[0] >= size[1] else WIDE_WORK_SIZE[::-1]


def _frame_side(shape: tuple[int, int]) -> float:
    """The side sizes in a picture of this (height, width) are measured against: its long
    side, or for one wider than ``WORK_ASPECT``, the long side of a 4:3 picture as
    tall. The extra room at the sides of a 16:9 frame makes nothing in it smaller."""
    long, short = max(shape), min(shape)
    return min(long, short * WORK_ASPECT[0] / WORK_ASPECT[1])


def _show_size(size: tuple[int, int]) -> tuple[int, int]:
    """(width, height) scaled down so the long side is at most ``SHOW_SIDE``."""
    scale = min(1.0, SHOW_SIDE / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _shown(image: Image.Image, resample=Image.Resampling.BILINEAR) -> Image.Image:
    """A Pillow picture no larger than ``SHOW_SIDE``, for showing."""
    size = _show_size(image.size)
    return image if size == image.size else image.resize(size, resample)


def _colour_picture(image: Image.Image) -> np.ndarray:
    # Averaging whole blocks first (reducing_gap=1) is several times faster, and as good
    # for a picture to look at; Pillow does that for 8-bit pictures only.
    gap = 1.0 if image.mode in {"L", "RGB", "RGBA"} else None
    picture = image.resize(_show_size(image.size), Image.Resampling.BILINEAR, reducing_gap=gap)
    if picture.mode in {"RGBA", "LA", "PA", "P"}:
        rgba = picture.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(white, rgba)
    return np.asarray(picture.convert("RGB"))


def _resize(values: np.ndarray, size: tuple[int, int], resample=Image.Resampling.BILINEAR):
    """Resize a float array to (width, height) with Pillow (fast, C)."""
    return np.asarray(
        Image.fromarray(values.astype(np.float32), mode="F").resize(size, resample),
        dtype=np.float32,
    )


def _shrink(values: np.ndarray) -> np.ndarray:
    """A float picture no larger than ``SHOW_SIDE``, for showing."""
    return np.asarray(
        _shown(Image.fromarray(values.astype(np.float32), mode="F"), Image.Resampling.BOX)
    )


def _mean3(values: np.ndarray, edge: str = "symmetric") -> np.ndarray:
    """Each pixel averaged with its eight neighbours; beyond the edges the picture is
    mirrored (``edge="symmetric"``) or its edge pixels repeated (``"edge"``). As
    ``ndimage.uniform_filter(size=3)``, several times faster."""
    padded = np.pad(values, 1, mode=edge)
    rows = padded[:-2] + padded[1:-1] + padded[2:]
    return (rows[:, :-2] + rows[:, 1:-1] + rows[:, 2:]) / np.float32(9)


def _separated_picture(
    dropped: np.ndarray, digit: np.ndarray, another: np.ndarray | None = None
) -> np.ndarray:
    """The digit white, what was dropped (lines, shadows, specks) red, another digit
    left out (part of what was dropped) yellow, the rest black: a uint8 colour picture
    no larger than ``SHOW_SIDE``. (The digit never overlaps the others.)"""
    values = digit.astype(np.uint8) * 2 + dropped
    if another is not None:
        values[another] = 3
    labels = Image.fromarray(values, mode="L").convert("P")
    labels.putpalette([0, 0, 0, *DROPPED_COLOUR, *DIGIT_COLOUR, *ANOTHER_COLOUR])
    return np.asarray(_shown(labels.convert("RGB"), Image.Resampling.BOX))


# --- lighting and ink ---------------------------------------------------------------


def estimate_paper(gray: np.ndarray, share: float = PAPER_SHARE) -> np.ndarray:
    """The paper's brightness everywhere, ink removed: a large grayscale closing, over
    ``share`` of the picture's long side. A stroke wider than that is taken for paper.

    Worked out on a small copy (fast) and scaled back up.
    """
    height, width = gray.shape
    scale = PAPER_SIDE / max(height, width)
    small_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = _resize(gray, small_size, Image.Resampling.BOX) if scale < 1 else gray
    size = max(3, round(share * max(small.shape)) | 1)
    paper = ndimage.grey_closing(small, size=(size, size), mode="nearest")
    paper = _mean3(paper, edge="edge")
    if scale < 1:
        paper = _resize(paper, (width, height))
    return np.maximum(paper, gray)


def ink_map(gray: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """How much darker than its paper each pixel is: 0 = paper, 1 = black ink."""
    return np.clip(1.0 - gray / np.maximum(paper, 1e-3), 0.0, 1.0)


def otsu_threshold(values: np.ndarray, bins: int = 128) -> float:
    """Otsu's threshold: the cut that best splits ``values`` into two groups."""
    index = np.clip(
        (np.asarray(values, dtype=np.float32).ravel() * bins).astype(np.int32), 0, bins - 1
    )
    histogram = np.bincount(index, minlength=bins)
    centres = (np.arange(bins) + 0.5) / bins
    weight = np.cumsum(histogram).astype(np.float64)
    total = weight[-1]
    if total == 0:
        return 1.0
    mass = np.cumsum(histogram * centres)
    mean_low = mass / np.maximum(weight, 1)
    mean_high = (mass[-1] - mass) / np.maximum(total - weight, 1)
    between = weight * (total - weight) * (mean_low - mean_high) ** 2
    return float(centres[int(np.argmax(between))])


def light_on_dark(gray: np.ndarray) -> bool:
    """True when most of the picture is dark: light ink on dark paper (or a screen)."""
    return float(np.median(gray[::4, ::4])) < 0.4


# --- finding the digit --------------------------------------------------------------


def _line_like(box: tuple[slice, slice], shape: tuple[int, int]) -> bool:
    rows, cols = box
    height, width = rows.stop - rows.start, cols.stop - cols.start
    return width > 0.5 * shape[1] and height < 0.08 * shape[0]


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal runs of True in each row: (row, start, stop) arrays."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    row, start = np.nonzero(change == 1)
    _, stop = np.nonzero(change == -1)
    return row, start, stop


def _paint(shape: tuple[int, int], row: np.ndarray, start: np.ndarray, stop: np.ndarray):
    """A mask with the given horizontal runs set (vectorized: no loop over runs)."""
    marks = np.zeros((shape[0], shape[1] + 1), dtype=np.int32)
    np.add.at(marks, (row, start), 1)
    np.add.at(marks, (row, stop), -1)
    return np.cumsum(marks, axis=1)[:, : shape[1]] > 0


def _long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels in horizontal runs at least ``length`` long (an opening by a line, fast)."""
    row, start, stop = _runs(mask)
    keep = stop - start >= length
    return _paint(mask.shape, row[keep], start[keep], stop[keep])


def _bridge(mask: np.ndarray, gap: int) -> np.ndarray:
    """Fill horizontal breaks shorter than ``gap`` between two pieces of a row."""
    row, start, stop = _runs(~mask)
    inner = (start > 0) & (stop < mask.shape[1]) & (stop - start < gap)
    return mask | _paint(mask.shape, row[inner], start[inner], stop[inner])


def _remove_ruled_lines(mask: np.ndarray) -> np.ndarray:
    """Drop the pixels of ruled lines: thin ink running nearly all the way across.

    A digit's own strokes rarely reach both edges of the picture, a line on the page
    does. Where a line crosses the digit, the digit loses only the line's thickness,
    which later steps close up again.
    """
    height, width = mask.shape
    if width < 16 or height < 4:
        return mask
    # Look for lines on a half-size copy (any ink in a 2x2 block counts): a quarter of
    # the work, and a thin line survives it.
    even = mask[: height // 2 * 2, : width // 2 * 2]
    small = even[::2, ::2] | even[1::2, ::2] | even[::2, 1::2] | even[1::2, 1::2]
    # Allow lines a little off horizontal, and small breaks in them.
    tolerant = small.copy()
    tolerant[1:] |= small[:-1]
    tolerant[:-1] |= small[1:]
    long_enough = int(0.85 * small.shape[1])
    runs = _long_runs(_bridge(tolerant, max(3, small.shape[1] // 40)), long_enough)
    if not runs.any():
        return mask
    full = np.zeros_like(mask)
    full[: height // 2 * 2, : width // 2 * 2] = runs.repeat(2, axis=0).repeat(2, axis=1)
    lines = full & mask
    # Only thin bands count: a tall block of "runs" is a big dark area, not a line.
    thick = _long_runs(lines.T, max(3, height // 25)).T
    return mask & ~(lines & ~thick)


def _widened(box: tuple[slice, slice], margin: int) -> tuple[slice, slice]:
    """A (rows, columns) box ``margin`` pixels wider on each side, as far as the picture
    goes (slicing stops at its far edges)."""
    rows, cols = box
    return (
        slice(max(0, rows.start - margin), rows.stop + margin),
        slice(max(0, cols.start - margin), cols.stop + margin),
    )


def _bounds(mask: np.ndarray, margin: int = 0) -> tuple[slice, slice]:
    """The box around a boolean mask's pixels (not empty), ``margin`` pixels wider on
    each side as far as the picture goes."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return _widened((slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)), margin)


def _around(box: tuple[slice, slice], share: float, least: int) -> tuple[slice, slice]:
    """A (rows, columns) box wider on each side by ``share`` of its height, at least
    ``least`` pixels, as far as the picture goes."""
    rows, _ = box
    return _widened(box, max(least, int(share * (rows.stop - rows.start))))


def _stroke_width(mask: np.ndarray) -> float:
    """About how many pixels wide the strokes of a boolean mask are (at least 1).

    Across a stroke ``w`` pixels wide the distance to the background rises from 1 to
    ``w / 2`` and falls back: it averages about ``(w + 2) / 4``.
    """
    if not mask.any():
        return 1.0
    mask = mask[_bounds(mask)]
    inside = ndimage.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
    return max(1.0, 4.0 * float(inside[mask].mean()) - 2.0)


def _rim(piece: np.ndarray, gray: np.ndarray) -> bool:
    """Whether a piece of "ink" is the rim of something dark, not a pen stroke.

    ``piece``: its mask in a box with a margin around it; ``gray``: the same box. A
    stroke has paper on both sides. The edge of a sheet held up in front of a darker
    room, or of a shadow, has the dark thing on one side: as dark as the piece itself.
    """
    around = ndimage.binary_dilation(piece, iterations=RIM_REACH) & ~piece
    if not around.any():
        return False
    level = float(np.median(gray[piece]))
    paper = float(np.percentile(gray[around], 90))
    if paper <= level:
        return True
    return float(np.mean(gray[around] <= level + 0.25 * (paper - level))) > 0.3


def _blob(box: tuple[slice, slice], stroke_width: float) -> bool:
    """Whether a piece of ink in ``box``, with strokes ``stroke_width`` wide, is a solid
    blob (a lamp, a knob, a blot), not pen strokes: its strokes would be nearly as wide
    as it is long."""
    rows, cols = box
    length = max(rows.stop - rows.start, cols.stop - cols.start)
    return stroke_width > MAX_STROKE_SHARE * length


def select_digit(mask: np.ndarray, ink: np.ndarray, gray: np.ndarray | None = None) -> np.ndarray:
    """The connected pieces of ink that make up the digit, as a boolean mask; see
    :func:`_select`."""
    return _select(mask, ink, gray)[0]


def _select(
    mask: np.ndarray, ink: np.ndarray, gray: np.ndarray | None = None, others: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """The connected pieces of ink that make up the digit, as a boolean mask; and, when
    asked for ``others``, the pieces like other digits beside it (:func:`_other_digits`)
    as a mask, or None.

    The main piece is the one with the most ink, favouring the middle of the picture
    and pieces that do not run off its edge (shadows, page edges, fingers); nearby
    pieces big enough to be part of the same digit (the bar of a 5) join it, except a
    bar under it, at least as wide: an underline. A bar on its own (a shelf, a ruler, a
    piece of a line) is never the digit; a box or a circle drawn around a digit is not
    either (:func:`_framed`). Given the ``gray`` picture, the rims of dark things
    (:func:`_rim`) and solid blobs (:func:`_blob`) are left out.
    """
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if count == 0:
        raise PhotoError("no_digit")
    height, width = mask.shape
    # Each piece's ink, summed over the mask's pixels only: a few percent of the picture.
    inked = np.flatnonzero(mask)
    sizes = np.bincount(labels.ravel()[inked], weights=ink.ravel()[inked], minlength=count + 1)[1:]
    boxes = ndimage.find_objects(labels)
    centre = np.array([height / 2, width / 2])
    scores = np.zeros(count)
    for index, box in enumerate(boxes):
        rows, cols = box
        if _line_like(box, mask.shape):
            continue
        box_height, box_width = rows.stop - rows.start, cols.stop - cols.start
        middle = np.array([(rows.start + rows.stop) / 2, (cols.start + cols.stop) / 2])
        distance = np.linalg.norm((middle - centre) / centre)
        score = sizes[index] * np.exp(-(distance**2))
        touches = (
            (rows.start == 0) + (cols.start == 0) + (rows.stop == height) + (cols.stop == width)
        )
        if touches and (box_height > 0.6 * height or box_width > 0.6 * width):
            score *= 0.02  # runs off the frame: a shadow, a finger or the edge of the page
        elif touches and box_height < CUT_OFF_SHARE * height and box_width < CUT_OFF_SHARE * width:
            continue  # a small piece cut off by the frame: of the room, not a whole digit
        elif touches:
            score *= 0.3
        scores[index] = score

    widths: dict[int, float] = {}

    def stroke_width(index: int) -> float:  # each piece measured once
        if index not in widths:
            widths[index] = _stroke_width(labels[boxes[index]] == index + 1)
        return widths[index]

    def odd(index: int) -> bool:  # a rim or a blob, not pen strokes
        box = _widened(boxes[index], RIM_REACH)
        piece = labels[box] == index + 1
        return _rim(piece, gray[box]) or _blob(boxes[index], stroke_width(index))

    checked = set()
    if gray is not None:
        # Only the pieces that could win are looked at closely: there may be hundreds.
        for index in np.argsort(-scores)[:RIM_CANDIDATES]:
            if scores[index] < 0.05 * scores.max():
                break
            checked.add(index)
            if odd(index):
                scores[index] = 0.0
    # A bar may join a digit (the top of a 5), but it cannot be one.
    bars = np.array([c.stop - c.start > MAX_BAR_ASPECT * (r.stop - r.start) for r, c in boxes])
    while True:
        if not scores[~bars].any():
            raise PhotoError("no_digit")
        main = int(np.argmax(np.where(bars, 0.0, scores)))
        # The winner itself is always looked at closely, however far down it came from.
        if gray is None or main in checked or len(checked) >= 4 * RIM_CANDIDATES:
            break
        checked.add(main)
        if not odd(main):
            break
        scores[main] = 0.0
    framed = _framed(labels, boxes, scores, bars, main)
    if framed is not None:
        # A box or a circle drawn around the digit: the digit is what it holds.
        scores[main], main = 0.0, framed
    rows, cols = boxes[main]
    main_height = rows.stop - rows.start
    reach = 0.3 * main_height
    top, bottom = rows.start - reach, rows.stop + reach
    left, right = cols.start - reach, cols.stop + reach
    keep = [main + 1]
    main_width = stroke_width(main)

    def same_pen(index: int) -> bool:  # a blot or a patch of shadow is much thicker
        return stroke_width(index) <= SAME_PEN * main_width + 2

    for index, (r, c) in enumerate(boxes):
        if index == main or scores[index] == 0:
            continue
        # A piece within reach of the main one, and no bigger than a digit, is part of
        # it: the bar of a 5, or the two strokes of an open 4 that did not quite meet.
        near = r.stop > top and r.start < bottom and c.stop > left and c.start < right
        small = max(r.stop - r.start, c.stop - c.start) <= 1.2 * main_height
        if not (near and small and sizes[index] >= 0.03 * sizes[main]):
            continue
        # A bar at least as wide as the digit, its middle below the digit, underlines
        # it: no digit ends in a loose bar that long.
        under = r.start + r.stop > 2 * rows.stop and c.stop - c.start >= cols.stop - cols.start
        if bars[index] and under:
            continue
        # ...and drawn with the same pen.
        if same_pen(index):
            keep.append(index + 1)
    digit = np.isin(labels, keep)
    if not others:
        return digit, None
    like_digits = [
        index
        for index in _other_digits(boxes, sizes, scores, bars, main, keep, mask.shape)
        # ...drawn with the same pen, and no rim or blob.
        if same_pen(index) and not (gray is not None and odd(index))
    ]
    return digit, (np.isin(labels, np.add(like_digits, 1)) if like_digits else None)


def _framed(labels, boxes, scores, bars, main) -> int | None:
    """The index of the piece a frame holds, when the main piece is a frame (a box or
    a circle drawn around a digit), or None: the inkiest piece lying in the main piece's
    holes that is at least ``FRAMED_HEIGHT`` of its height. No digit holds another so
    tall in a loop."""
    rows, cols = boxes[main]
    height = rows.stop - rows.start
    candidates = [
        index
        for index, (r, c) in enumerate(boxes)
        if index != main
        and scores[index] > 0
        and not bars[index]
        and rows.start < r.start
        and r.stop < rows.stop
        and cols.start < c.start
        and c.stop < cols.stop
        and r.stop - r.start >= FRAMED_HEIGHT * height
    ]
    if not candidates:
        return None
    outline = ndimage.binary_fill_holes(labels[boxes[main]] == main + 1)
    held = []
    for index in candidates:
        r, c = boxes[index]
        piece = labels[r, c] == index + 1
        local = (
            slice(r.start - rows.start, r.stop - rows.start),
            slice(c.start - cols.start, c.stop - cols.start),
        )
        if outline[local][piece].all():
            held.append(index)
    return max(held, key=lambda index: scores[index]) if held else None


def _other_digits(boxes, sizes, scores, bars, main, keep, shape) -> list[int]:
    """The indices of the pieces like other digits beside the digit (a "42" written on
    one page), most likely first, at most ``RIM_CANDIDATES``: pieces left out of the
    digit that are no line, bar, speck or piece of the frame's edge, about as tall as
    the digit and with a fair share of its ink."""
    height, width = shape
    rows, _ = boxes[main]
    main_height = rows.stop - rows.start
    found = []
    for index, (r, c) in enumerate(boxes):
        if index + 1 in keep or bars[index] or scores[index] <= 0:
            continue
        if r.start == 0 or c.start == 0 or r.stop == height or c.stop == width:
            continue
        low, high = ANOTHER_DIGIT_HEIGHTS
        if not low * main_height <= r.stop - r.start <= high * main_height:
            continue
        if sizes[index] >= ANOTHER_DIGIT_INK * sizes[main]:
            found.append(index)
    return sorted(found, key=lambda index: -scores[index])[:RIM_CANDIDATES]


def _look_closer(
    digit_mask: np.ndarray, ink: np.ndarray, gray: np.ndarray, lines: np.ndarray, threshold: float
) -> np.ndarray:
    """Find the digit again around where it was found, with a threshold of its own.

    A shadow's edge or a dark corner can push the whole picture's threshold above a thin
    pen's faint strokes; around the digit, Otsu's cut is made for the digit's own ink.
    """
    window = _around(_bounds(digit_mask), share=0.25, least=2)
    local_ink = ink[window]
    local = max(min(threshold, otsu_threshold(local_ink)), MIN_INK / 2)
    if local >= threshold:
        return digit_mask
    local_mask = (local_ink > local) & ~ndimage.binary_dilation(lines[window], iterations=2)
    if local_mask.mean() > 0.6:
        return digit_mask
    refined = np.zeros_like(digit_mask)
    refined[window] = select_digit(local_mask, local_ink, gray[window])
    return refined if (refined & digit_mask).any() else digit_mask


# --- normalizing like NIST ----------------------------------------------------------


def _tight(values: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """``values`` cropped to the box around those above ``threshold``."""
    above = values > threshold
    if not above.any():
        raise PhotoError("no_digit")
    return values[_bounds(above)]


def deskew(digit: np.ndarray) -> np.ndarray:
    """Undo the slant: shear so that the ink's main axis is vertical (image moments)."""
    height, width = digit.shape
    total = digit.sum()
    if total <= 0 or height < 3:
        return digit
    ys, xs = np.mgrid[0:height, 0:width]
    y_mean = (ys * digit).sum() / total
    x_mean = (xs * digit).sum() / total
    mu11 = ((ys - y_mean) * (xs - x_mean) * digit).sum() / total
    mu02 = ((ys - y_mean) ** 2 * digit).sum() / total
    if mu02 <= 0:
        return digit
    skew = float(np.clip(mu11 / mu02, -MAX_SKEW, MAX_SKEW))
    if abs(skew) < 0.02:
        return digit
    pad = int(np.ceil(abs(skew) * height / 2)) + 1
    out_width = width + 2 * pad
    # output (y, x) samples input (y, x + skew * (y - y_mean) - pad)
    matrix = np.array([[1.0, 0.0], [skew, 1.0]])
    offset = np.array([0.0, -skew * y_mean - pad])
    sheared = ndimage.affine_transform(
        digit, matrix, offset=offset, output_shape=(height, out_width), order=1
    )
    return _tight(sheared, 0.05)


def _keep_strokes(digit: np.ndarray, scale: float) -> np.ndarray:
    """Thicken strokes that would fade to less than half ink when shrunk by ``scale``.

    A fine pen on a phone photo draws strokes a few pixels wide on a digit hundreds of
    pixels tall; shrunk to 32 rows, such a stroke would be averaged away.
    """
    ink = digit > 0.5
    if not ink.any():
        return digit
    grow = int(np.ceil((MIN_STROKE / scale - _stroke_width(ink)) / 2))
    if grow < 1:
        return digit
    y, x = np.ogrid[-grow : grow + 1, -grow : grow + 1]
    return ndimage.maximum_filter(digit, footprint=x * x + y * y <= grow * grow)


def fit_box(digit: np.ndarray, target_width: int = TARGET_WIDTH) -> np.ndarray:
    """Scale the digit into the 32x32 box as NIST did: height 32; width about 24.

    A narrow digit (a "1") keeps its own width; anything wider is brought to
    ``target_width`` columns, centred.
    """
    height, width = digit.shape
    aspect = width / height
    new_height = BOX
    new_width = max(1, round(aspect * BOX)) if aspect < THIN_ASPECT else target_width
    # Pillow's BOX filter averages the source area under each new pixel: no aliasing.
    scaled = _resize(digit, (new_width, new_height), Image.Resampling.BOX)
    box = np.zeros((BOX, BOX), dtype=np.float32)
    left = (BOX - new_width) // 2
    box[:, left : left + new_width] = scaled
    return np.clip(box, 0, 1)


def even_strokes(box: np.ndarray, coverage: float = TARGET_COVERAGE) -> np.ndarray:
    """Thicken thin strokes, or thin thick ones, until ink covers ``coverage`` of the box.

    Works on distances: a pixel is ink when it lies within ``r`` of the stroke, with
    ``r`` picked so the covered share comes out right. Edges stay soft (anti-aliased).
    """
    return _even_strokes_each(box[None], np.array([coverage]))[0]


def _even_strokes_each(boxes: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """:func:`even_strokes` for a stack of boxes (n, 32, 32), each to its own coverage."""
    ink = boxes > 0.5
    faint = ~ink.any(axis=(1, 2))
    if faint.any():  # no pixel half inked: the strongest ones are the strokes
        peaks = boxes[faint].max(axis=(1, 2))
        if not (peaks > 0).all():
            raise PhotoError("no_digit")
        ink[faint] = boxes[faint] >= 0.5 * peaks[:, None, None]
    current = ink.mean(axis=(1, 2))
    evened = np.empty(boxes.shape, dtype=np.float32)
    thicken = current < coverage
    if thicken.any():
        outside = _distances(~ink[thicken])
        radius = _quantiles(outside, coverage[thicken])
        evened[thicken] = np.clip(radius[:, None, None] + 0.5 - outside, 0.0, 1.0)
    thin = ~thicken
    if thin.any():
        inside = _distances(ink[thin])
        # Among the ink pixels only: the others lie at distance 0 and sort first.
        paper = np.count_nonzero(~ink[thin], axis=(1, 2))
        radius = _quantiles(inside, 1.0 - coverage[thin] / current[thin], skip=paper)
        radius = np.minimum(radius, 0.5 * inside.max(axis=(1, 2)))  # never erase a stroke
        evened[thin] = np.clip(inside - radius[:, None, None] + 0.5, 0.0, 1.0)
    return evened


def _distances(masks: np.ndarray) -> np.ndarray:
    """Each pixel's distance to the nearest False pixel of its own mask, mask by mask."""
    return np.stack([ndimage.distance_transform_edt(mask) for mask in masks])


def _quantiles(values: np.ndarray, share: np.ndarray, skip: np.ndarray | int = 0) -> np.ndarray:
    """For each picture in ``values`` (n, h, w), the ``share`` quantile of its pixel values
    after leaving out its ``skip`` smallest (linear interpolation, as ``np.quantile``)."""
    ordered = np.sort(values.reshape(len(values), -1), axis=1)
    skip = np.asarray(skip)
    position = skip + np.asarray(share) * (ordered.shape[1] - skip - 1)
    low = np.clip(np.floor(position).astype(np.intp), 0, ordered.shape[1] - 1)
    high = np.minimum(low + 1, ordered.shape[1] - 1)
    rows = np.arange(len(values))
    below, above = ordered[rows, low], ordered[rows, high]
    return below + (above - below) * (position - low)


def count_blocks(box: np.ndarray) -> np.ndarray:
    """4x4 blocks of the 32x32 box averaged into 8x8 values from 0 to 16; for a stack of
    boxes (..., 32, 32), a stack of grids (..., 8, 8)."""
    blocks = box.reshape(*box.shape[:-2], GRID, BLOCK, GRID, BLOCK)
    return blocks.mean(axis=(-3, -1)) * 16.0


def _ready_to_fit(straight: np.ndarray) -> np.ndarray:
    """The deskewed digit with strokes thick enough to survive scaling to 32 rows, and at
    most ``DIGIT_SIDE`` rows tall: faster to turn and scale, the box comes out the same."""
    height, width = straight.shape
    thick = _keep_strokes(straight, BOX / height)
    if height <= DIGIT_SIDE:
        return thick
    new_width = max(1, round(width * DIGIT_SIDE / height))
    return _resize(thick, (new_width, DIGIT_SIDE), Image.Resampling.BOX)


def normalize(digit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A cropped digit (ink high, any size) -> (deskewed, 32x32 box, 8x8 grid)."""
    straight = deskew(_tight(digit))
    box = even_strokes(fit_box(_ready_to_fit(straight)))
    return straight, box, count_blocks(box)


def _turn(digit: np.ndarray, degrees: float) -> np.ndarray:
    """The digit turned by ``degrees``: positive turns it anticlockwise as drawn."""
    padded = Image.fromarray(np.pad(digit, 2).astype(np.float32), mode="F")
    turned = padded.rotate(degrees, Image.Resampling.BILINEAR, expand=True)
    return _tight(np.clip(np.asarray(turned), 0.0, 1.0), 0.05)


def view_boxes(straight: np.ndarray) -> list[np.ndarray]:
    """The deskewed digit as the model looks at it: turned a little each way and drawn a
    little narrower and wider, each normalized into its own 32x32 box.

    Other people write slightly turned and wider or narrower than the training digits'
    writers; the model answers from the view it is surest of (``model.predict``).

    Returns ``len(VIEW_TURNS) * len(VIEW_WIDTHS)`` boxes; box ``CENTRE_VIEW`` is the
    digit as it is, the same as :func:`normalize` gives.
    """
    small = _ready_to_fit(straight)
    fitted = []
    for turn in VIEW_TURNS:
        turned = small if turn == 0 else _turn(small, turn)
        fitted += [fit_box(turned, width) for width in VIEW_WIDTHS]
    return list(_even_strokes_each(np.stack(fitted), np.full(len(fitted), TARGET_COVERAGE)))


# --- the whole pipeline -------------------------------------------------------------


def _checked(gray: np.ndarray) -> np.ndarray:
    """A 2-D float32 picture in [0, 1], or the :class:`PhotoError` saying why not."""
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2 or min(gray.shape) < MIN_SIDE:
        raise PhotoError("too_small", width=gray.shape[-1], height=gray.shape[0])
    if not np.isfinite(gray).all():
        raise PhotoError("not_an_image")
    return np.clip(gray, 0.0, 1.0)


def _work_size(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Small pictures (a 28x28 bitmap) enlarged to ``MIN_WORK_SIDE``, others as they
    are; and the paper's share for :func:`estimate_paper`.

    A small picture's share is that of the picture as it came: a 28x28 bitmap holds
    little but its digit, and a thick pen's strokes are a fifth of it or more. Over
    ``PAPER_SHARE`` of the enlarged picture, such strokes were taken for paper and
    the digit lost (a 6 whose loop is nearly filled in, a 1 or a 4 in a broad brush).
    """
    if max(gray.shape) >= MIN_WORK_SIDE:
        return gray, PAPER_SHARE
    scale = MIN_WORK_SIDE / max(gray.shape)
    height, width = gray.shape
    enlarged = np.clip(_resize(gray, (round(width * scale), round(height * scale))), 0, 1)
    return enlarged, min(MAX_PAPER_SHARE, PAPER_SHARE * scale)


def read_gray(
    gray: np.ndarray, picture: np.ndarray | None = None, light_ink: bool | None = None
) -> Reading:
    """Run the pipeline on a grayscale picture (1 = white). See the module docstring.

    ``light_ink``: read the picture as light ink on dark paper (True) or dark ink on light
    paper (False); by default, light ink when most of the picture is dark.
    """
    gray = _checked(gray)
    picture = picture if picture is not None else gray
    gray, paper_share = _work_size(gray)
    light_ink = light_on_dark(gray) if light_ink is None else light_ink
    return _read(gray, picture, light_ink, paper_share=paper_share)


def _read(
    gray: np.ndarray,
    picture: np.ndarray,
    light_ink: bool,
    darkest: bool = False,
    paper_share: float = PAPER_SHARE,
) -> Reading:
    """The pipeline on a checked gray picture at its working size; see :func:`read_gray`.
    ``darkest``: the gray picture is made of each pixel's darkest colour channel;
    ``paper_share``: see :func:`_work_size`."""
    steps = [Step("photo", picture)]
    dark = light_on_dark(gray)
    if light_ink:
        gray = 1.0 - gray
    paper = estimate_paper(gray, paper_share)
    ink = ink_map(gray, paper)
    if light_ink:
        gray_story = "gray_turned"
    elif dark:
        gray_story = "gray_kept"
    else:
        gray_story = "gray_darkest" if darkest else "gray"
    steps += [
        Step("gray", _shrink(gray), gray_story),
        Step("paper", _shrink(paper)),
        Step("ink", _shrink(ink)),
    ]
    smooth = _mean3(ink)
    threshold = max(otsu_threshold(smooth[::2, ::2]), MIN_INK / 2)
    if float(smooth.max()) < MIN_INK:
        raise PhotoError("no_digit")
    mask = smooth > threshold
    if mask.mean() > 0.5:
        raise PhotoError("no_digit")
    cleaned = _remove_ruled_lines(mask)
    chosen, others = _select(cleaned, smooth, gray, others=True)
    digit_mask = _look_closer(chosen, smooth, gray, mask & ~cleaned, threshold)
    another = None if others is None else others & ~digit_mask
    if another is not None and not another.any():
        another = None
    # The strength of the digit's ink against the paper: too faint is noise, not ink; not
    # standing out from the grain of the surface around it, a texture (a desk, a carpet).
    strength = float(np.percentile(smooth[digit_mask], 90))
    digit_box = _bounds(digit_mask)
    around = _around(digit_box, share=0.5, least=4)
    if strength < MIN_INK or (
        _standout(strength, smooth[around], mask[around] | digit_mask[around]) < MIN_STANDOUT
    ):
        raise PhotoError("no_digit")
    separated = _separated_picture(mask & ~digit_mask, digit_mask, another)
    story = "separated" if another is None else "separated_another"
    steps.append(Step("separated", separated, story))
    box = _widened(digit_box, 1)
    # The digit's own ink, soft edges kept: one pixel around its mask, nothing else.
    digit = np.where(ndimage.binary_dilation(digit_mask[box]), smooth[box], 0.0)
    digit = np.clip((digit - threshold / 2) / max(threshold, 1e-3), 0.0, 1.0)
    cropped = _tight(digit)
    share = cropped.shape[0] / _frame_side(gray.shape)  # of the picture's side, its height
    if min(cropped.shape) < 2 or share < MIN_DIGIT_SHARE:
        raise PhotoError("no_digit")  # a speck
    steps.append(Step("cropped", cropped))
    straight = deskew(cropped)
    boxes = view_boxes(straight)
    views = np.array([count_blocks(box).ravel() for box in boxes], dtype=np.float64)
    steps.append(Step("deskewed", straight))
    steps.append(Step("normalized", boxes[CENTRE_VIEW]))
    steps.append(Step("grid", views[CENTRE_VIEW].reshape(GRID, GRID)))
    return Reading(
        tuple(steps),
        views,
        digit_mask,
        light_ink,
        another_digit=another is not None,
        cut_off=_edges_touched(digit_mask),
        joined_digits=_looks_like_several(digit_mask[digit_box]),
        small=share < SMALL_DIGIT_SHARE,
    )


def _standout(strength: float, ink: np.ndarray, mask: np.ndarray) -> float:
    """How many spreads (standard deviations) of the paper's own grain ink of this
    ``strength`` lies above the paper's typical level, in an ink map where ``mask`` marks
    the ink. Paper is what lies more than two pixels from any ink (every other pixel
    looked at: as good, four times faster).

    Measured around the digit, a digit in pen stands out by 17 spreads or more: a thin
    pen beside a shadow, a sheet held up in a dim room, a phone photo. The darkest
    blotches of a textured surface (a desk, fabric, a carpet), taken for a digit, stand
    out by 4 to 10, rarely more.
    """
    near_ink = _mean3(mask[::2, ::2].astype(np.float32), edge="edge") > 0
    paper = ink[::2, ::2][~near_ink]
    if paper.size < 2:
        return np.inf  # no paper to measure: nothing to say against the ink
    spread = max(float(paper.std()), 1e-3)
    return (strength - float(np.median(paper))) / spread


def _looks_like_several(crop: np.ndarray) -> bool:
    """Whether a digit's mask, cropped to its box, is wider than a digit and made of
    pieces side by side, at least two of them most of its height: digits written close
    together ("42") are joined as the pieces of one digit are, and read as one."""
    height, width = crop.shape
    if width <= SEVERAL_ASPECT * height:
        return False
    boxes = ndimage.find_objects(ndimage.label(crop, structure=np.ones((3, 3), bool))[0])
    return sum(rows.stop - rows.start >= 0.5 * height for rows, _ in boxes) >= 2


def _edges_touched(mask: np.ndarray) -> tuple[str, ...]:
    """The edges of the picture (of ``EDGES``) that a boolean mask touches."""
    touched = (mask[0].any(), mask[-1].any(), mask[:, 0].any(), mask[:, -1].any())
    return tuple(edge for edge, touches in zip(EDGES, touched, strict=True) if touches)


def _only_photo_errors(read):
    """``read(data)``, raising :class:`PhotoError` and nothing else, whatever the bytes:
    code "failed", the cause attached as ``__cause__``, where it fails on a picture
    itself. A person is told, not shown a traceback; whoever mends it has the cause."""

    @functools.wraps(read)
    def guarded(data: bytes):
        try:
            return read(data)
        except PhotoError:
            raise
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            raise PhotoError("failed", reason=reason[:FAILED_REASON_CHARS]) from error

    return guarded


@_only_photo_errors
def read_photo(data: bytes) -> Reading:
    """Run the pipeline on the bytes of an image file (JPEG, PNG, WebP, ...), one way
    (:func:`possible_readings` tries both for a dark picture). Raises :class:`PhotoError`
    and nothing else."""
    with opened(data) as image:
        gray, picture = to_gray(image), _colour_picture(image)
    return read_gray(gray, picture=picture)


@_only_photo_errors
def possible_readings(data: bytes) -> tuple[Reading, ...]:
    """Every way the bytes of an image file can be read: one, or two for a dark picture.
    Raises :class:`PhotoError`, and nothing else (:func:`_only_photo_errors`).

    A picture that is mostly dark is light ink on dark paper (a blackboard, a screen,
    white digits on black) or a white sheet held up in a dark room. Only how the digit
    reads tells the two apart, so both readings are made, light ink first, for the model
    to choose from (``model.most_readable``). Raises the first reading's
    :class:`PhotoError` when neither holds a digit.

    A colour picture with no digit in gray is read once more from each pixel's darkest
    colour channel (``to_gray(darkest=True)``): ink as light as a yellow marker.
    """
    with opened(data) as image:
        (gray, paper_share), picture = _work_size(_checked(to_gray(image))), _colour_picture(image)
        coloured = image.mode not in GRAY_MODES
    try:
        return _readings(gray, picture, paper_share=paper_share)
    except PhotoError as error:
        if error.code != "no_digit" or not coloured:
            raise
        first_error = error
    with opened(data) as image:
        darkest, _ = _work_size(_checked(to_gray(image, darkest=True)))
    try:
        readings = _readings(darkest, picture, darkest=True, paper_share=paper_share)
    except PhotoError:
        raise first_error from None
    # Found in one colour only, running off the picture or small: the room's coloured
    # things around a blank sheet, a speck, not a digit.
    whole = []
    for reading in readings:
        rows, _ = _bounds(reading.digit_mask)
        if not reading.cut_off and rows.stop - rows.start >= COLOUR_DIGIT_SHARE * len(gray):
            whole.append(reading)
    if not whole:
        raise first_error
    return tuple(whole)


def _readings(
    gray: np.ndarray, picture: np.ndarray, darkest: bool = False, paper_share: float = PAPER_SHARE
) -> tuple[Reading, ...]:
    """:func:`possible_readings` of a checked gray picture at its working size."""
    if not light_on_dark(gray):
        return (_read(gray, picture, light_ink=False, darkest=darkest, paper_share=paper_share),)
    readings, errors = [], []
    for light_ink in (True, False):
        try:
            reading = _read(gray, picture, light_ink, darkest=darkest, paper_share=paper_share)
            readings.append(reading)
        except PhotoError as error:
            errors.append(error)
    if not readings:
        raise errors[0]
    return tuple(readings)


def nested_reading(first: Reading, second: Reading) -> Reading | None:
    """Of two readings of one picture, the one whose digit is the digit, when one digit
    lies in a hole of the other; None when neither does.

    Read the wrong way round, a digit on a sheet offers either the inside of one of its
    loops (lying in a hole of the digit: the outer one is the digit) or the sheet around
    it (the digit lies in the sheet's holes: the inner one is the digit). A sheet, or a
    board, is solid: its "strokes" are many times as wide as the digit's. A digit's
    strokes are at most about twice as wide as the inside of one of its loops.
    """
    for inner, outer in ((first, second), (second, first)):
        # Inside the outer one's outline (their soft edges overlap), much of it in a hole.
        # Holes are filled in the box around it: the same outline, sooner.
        outline = np.zeros_like(outer.digit_mask)
        box = _bounds(outer.digit_mask, margin=1)
        outline[box] = ndimage.binary_fill_holes(outer.digit_mask[box])
        inside = inner.digit_mask & outline
        in_holes = inside & ~outer.digit_mask
        size = int(inner.digit_mask.sum())
        if inside.sum() > NESTED_SHARE * size and in_holes.sum() > IN_HOLES_SHARE * size:
            sheet = _stroke_width(outer.digit_mask) > SHEET_STROKES * _stroke_width(
                inner.digit_mask
            )
            return inner if sheet else outer
    return None


@_only_photo_errors
def naive_features(data: bytes) -> np.ndarray:
    """The original notebook's reading: whole photo to 8x8, 0..255 scaled to 0..15.

    Kept as the baseline every measurement is compared with.
    """
    with opened(data) as image:
        if image.mode == "LAB":  # a TIFF's: Pillow makes it gray only by way of RGB
            image = image.convert("RGB")
        grid = image.convert("L").resize((GRID, GRID))
    return (np.asarray(grid, dtype=np.float64) / 255 * 15).ravel()


def training_bitmap(image: np.ndarray) -> np.ndarray:
    """A training digit (8x8, 0..16) back to a 32x32 bitmap like the one NIST counted.

    Each 4x4 block gets exactly as many ink pixels as its count says; which ones is
    decided by a smooth (cubic) upsampling of the counts, so strokes run on from block
    to block instead of filling blocks corner first.
    """
    counts = np.clip(np.rint(np.asarray(image, dtype=np.float64)), 0, BLOCK * BLOCK)
    smooth = ndimage.zoom(counts, BLOCK, order=3, mode="nearest")
    # Rank the pixels of each block from most to least inky (ties: the fixed order).
    blocks = smooth.reshape(GRID, BLOCK, GRID, BLOCK).transpose(0, 2, 1, 3)
    blocks = blocks.reshape(GRID, GRID, BLOCK * BLOCK)
    rank = np.argsort(np.argsort(-blocks, axis=-1, kind="stable"), axis=-1)
    on = rank < counts[..., None]
    return (
        on.reshape(GRID, GRID, BLOCK, BLOCK)
        .transpose(0, 2, 1, 3)
        .reshape(BOX, BOX)
        .astype(np.float32)
    )


def training_box(image: np.ndarray) -> np.ndarray:
    """A training digit (8x8, 0..16) normalized the way photos are: its 32x32 box.

    Back to a 32x32 bitmap, then deskewed, fitted into the box and its strokes evened,
    so that training digits and photos are made the same way.
    """
    bitmap = training_bitmap(image)
    if not bitmap.any():
        return bitmap
    return normalize(bitmap)[1]


def augment_boxes(boxes: np.ndarray, which: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """New, slightly different copies of normalized training digits: of ``boxes[which]``,
    where ``boxes`` are 32x32 boxes (n, 32, 32).

    Normalization takes away slant, size and stroke width, so the changes are made
    after it. Those that remain between one writer's normalized digits and another's:

    - proportions: the top part drawn taller or shorter than the bottom part (a 9's
      loop, a 4's arms), the left part wider or narrower than the right;
    - a shape wider at the top than at the bottom, or the other way round, and strokes
      bowed a little to one side;
    - turned up to 16 degrees, up to 17% narrower or wider, a little shorter, moved up
      to 1.5 pixels, strokes a little thinner or thicker;
    - in some copies, strokes that nearly meet drawn joined, narrow gaps and sharp
      corners filled in, as a thick pen or a hurried hand draws them (a closing).

    Every random change is drawn first, ``AUGMENT_BATCH`` copies at a time in order; the
    copies are then made ``AUGMENT_PIECE`` at a time, ``AUGMENT_THREADS`` pieces at once
    (most of the work lets other threads run). Each copy depends only on its own box and
    changes, so the copies are the same however many threads make them. Returns ndarray
    of shape (len(which), 64), values in [0, 16].
    """
    which = np.asarray(which)
    pieces = []
    for start in range(0, len(which), AUGMENT_BATCH):
        batch = which[start : start + AUGMENT_BATCH]
        changes = _Changes.draw(len(batch), rng)
        pieces += [
            (batch[at : at + AUGMENT_PIECE], changes.part(at, at + AUGMENT_PIECE))
            for at in range(0, len(batch), AUGMENT_PIECE)
        ]
    with ThreadPoolExecutor(AUGMENT_THREADS) as pool:
        copies = pool.map(
            lambda piece: _augment_batch(np.asarray(boxes[piece[0]], float), piece[1]), pieces
        )
        return np.concatenate(list(copies) or [np.empty((0, GRID * GRID))])


@dataclass(frozen=True)
class _Changes:
    """The random changes made to ``n`` copies (see :func:`augment_boxes`), copy by copy
    along the first axis."""

    angle: np.ndarray  # (n,) degrees
    row_scale: np.ndarray  # (n,)
    col_scale: np.ndarray  # (n,)
    row_shift: np.ndarray  # (n, 1) pixels
    col_shift: np.ndarray  # (n, 1)
    row_power: np.ndarray  # (n, 1): proportions, top part against bottom part
    col_power: np.ndarray  # (n, 1): left part against right part
    taper: np.ndarray  # (n, 1): wider at the top or at the bottom
    bow: np.ndarray  # (n, 1): strokes bowed to one side
    joined: np.ndarray  # (n,) bool: narrow gaps closed...
    reach: np.ndarray  # (n,) ...up to this many pixels
    coverage: np.ndarray  # (n,) share of the box the strokes cover

    @classmethod
    def draw(cls, n: int, rng: np.random.Generator) -> _Changes:
        angle = rng.uniform(-16, 16, n)
        row_scale, col_scale = rng.uniform(0.9, 1.0, n), rng.uniform(0.83, 1.17, n)
        row_shift, col_shift = rng.uniform(-1.5, 1.5, (2, n, 1))
        return cls(
            angle=angle,
            row_scale=row_scale,
            col_scale=col_scale,
            row_shift=row_shift,
            col_shift=col_shift,
            row_power=np.exp(rng.uniform(-0.3, 0.3, (n, 1))),
            col_power=np.exp(rng.uniform(-0.2, 0.2, (n, 1))),
            taper=rng.uniform(-0.2, 0.2, (n, 1)),
            bow=rng.uniform(-0.1, 0.1, (n, 1)),
            joined=rng.random(n) < JOINED_SHARE,
            reach=rng.integers(3, JOIN_REACH + 1, n),
            coverage=rng.uniform(0.24, 0.36, n),
        )

    def part(self, start: int, stop: int) -> _Changes:
        """The changes of copies ``start`` to ``stop``."""
        return _Changes(**{name: value[start:stop] for name, value in vars(self).items()})


def _augment_batch(boxes: np.ndarray, changes: _Changes) -> np.ndarray:
    n = len(boxes)
    # Where each pixel of a copy is taken from: first the turn, scale and shift...
    angle, row_scale, col_scale = np.radians(changes.angle), changes.row_scale, changes.col_scale
    centre = (BOX - 1) / 2 + np.stack([changes.row_shift, changes.col_shift])
    grid_rows, grid_cols = np.mgrid[0:BOX, 0:BOX].reshape(2, 1, -1) - centre
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    # (the inverse of turning after scaling: scale back the turned-back position)
    rows = (cos * grid_rows + sin * grid_cols) / row_scale[:, None] + (BOX - 1) / 2
    cols = (cos * grid_cols - sin * grid_rows) / col_scale[:, None] + (BOX - 1) / 2
    # ...then the proportions, measured across each digit's own extent.
    inked_rows, inked_cols = boxes.max(axis=2) > 0.1, boxes.max(axis=1) > 0.1
    top, bottom = _first_last(inked_rows)
    left, right = _first_last(inked_cols)
    height, width = np.maximum(bottom - top, 1), np.maximum(right - left, 1)
    down = np.clip((rows - top) / height, 0.0, 1.0)  # 0 at the top, 1 at the bottom
    across = np.clip((cols - left) / width, 0.0, 1.0)
    inside_rows = (rows >= top) & (rows <= bottom)
    inside_cols = (cols >= left) & (cols <= right)
    rows = np.where(inside_rows, top + down**changes.row_power * height, rows)
    cols = np.where(inside_cols, left + across**changes.col_power * width, cols)
    middle = (left + right) / 2
    level = down - 0.5  # -0.5 at the top, 0.5 at the bottom
    cols = middle + (cols - middle) / (1.0 + 2.0 * changes.taper * level)
    cols = cols - changes.bow * (1.0 - 4.0 * level**2) * width
    # All boxes one above the other: one call. A point off its own box is blank.
    off = (rows < 0) | (rows > BOX - 1) | (cols < 0) | (cols > BOX - 1)
    stacked = np.where(off, 0.0, rows + BOX * np.arange(n)[:, None])
    moved = ndimage.map_coordinates(boxes.reshape(n * BOX, BOX), [stacked, cols], order=1)
    moved = np.where(off, 0.0, moved).reshape(n, BOX, BOX)
    for size in range(3, JOIN_REACH + 1):
        chosen = changes.joined & (changes.reach == size)
        moved[chosen] = ndimage.grey_closing(moved[chosen], size=(1, size, size))
    coverage = changes.coverage
    # A box with hardly any ink, or a copy moved off its box, stays as it was.
    kept = (
        (inked_rows.sum(axis=1) < 2)
        | (inked_cols.sum(axis=1) < 2)
        | (moved.max(axis=(1, 2)) <= 0.5)
    )
    copies = np.where(kept[:, None, None], boxes, 0.0)
    if not kept.all():
        copies[~kept] = _even_strokes_each(moved[~kept], coverage[~kept])
    return count_blocks(copies).reshape(n, -1)


def _first_last(inked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last True of each row of ``inked`` (n, k), as (n, 1) columns."""
    first = np.argmax(inked, axis=1)
    last = inked.shape[1] - 1 - np.argmax(inked[:, ::-1], axis=1)
    return first[:, None].astype(np.float64), last[:, None].astype(np.float64)
