"""Digits drawn again with a fine pen: the benchmark's "thin pen" photos are made this way."""

import numpy as np
from PIL import Image
from scipy import ndimage

from digits_core import preprocess
from digits_core.samples import centre_lines, pen_digit, photograph, redrawn_thin
from tests.photos import ring

EIGHT_WAY = np.ones((3, 3), bool)


def pieces_and_holes(mask: np.ndarray) -> tuple[int, int]:
    pieces = ndimage.label(mask, structure=EIGHT_WAY)[1]
    # Holes: background pieces (four-way) that do not touch the edge.
    count = ndimage.label(np.pad(~mask, 1))[1]
    return pieces, count - 1


def test_a_thick_ring_thins_to_a_one_pixel_ring_along_its_middle():
    thick = ring(shape=(120, 120), centre=(60, 60), radii=(40, 25))
    lines = centre_lines(thick)
    assert pieces_and_holes(lines) == (1, 1)
    # One pixel wide: no 2x2 square is all ink.
    assert not (lines[:-1, :-1] & lines[1:, :-1] & lines[:-1, 1:] & lines[1:, 1:]).any()
    # Along the middle of the stroke: as far from its edges as anything near it.
    inside = ndimage.distance_transform_edt(thick)
    assert not lines[~thick].any()
    assert (inside[lines] >= ndimage.maximum_filter(inside, size=9)[lines] - 1.5).all()


def test_a_thick_bar_thins_to_a_line_down_its_middle():
    bar = np.zeros((60, 40), bool)
    bar[5:55, 14:27] = True
    lines = centre_lines(bar)
    rows, cols = np.nonzero(lines)
    assert set(cols) <= {19, 20, 21}
    assert rows.max() - rows.min() > 30  # most of its length is kept


def test_a_marker_digit_redrawn_thin_keeps_its_shape_with_a_fine_pen():
    for digit, holes in ((8, 2), (6, 1), (7, 0)):
        marker = pen_digit(digit, height=28, stroke=0.15)
        thin = redrawn_thin(marker, radius=1.5)
        assert pieces_and_holes(thin > 0.5) == (1, holes), digit
        # Strokes about 2 * radius + 1 = 4 pixels wide, the picture 112 rows tall.
        width = preprocess._stroke_width(thin > 0.5)
        assert 3 <= width <= 5.5, (digit, width)
        # Where the marker's strokes were: inside them, scaled to the same size.
        margin = (thin.shape[0] - 112) // 2
        size = (thin.shape[1] - 2 * margin, 112)
        scaled = np.asarray(Image.fromarray((marker * 255).astype(np.uint8)).resize(size)) > 127
        assert np.mean(np.pad(scaled, margin)[thin > 0.5]) > 0.95


def test_a_photo_of_a_digit_redrawn_thin_is_read_as_that_digit():
    marker = pen_digit(4, height=28, stroke=0.15)
    photo = photograph(redrawn_thin(marker, radius=2.0))
    reading = preprocess.read_photo(photo)
    thick = preprocess.read_photo(photograph(marker))
    # The same digit, at the same place in the pipeline's 8x8 grid: strokes evened out.
    assert np.abs(reading.grid - thick.grid).mean() < 2.0
