"""The figure builders, checked on what a viewer reads off them."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from digits_core import data, figures, preprocess, samples


def test_confusion_hover_says_it_in_words():
    confusion = np.zeros((10, 10), dtype=int)
    confusion[3, 8] = 5
    confusion[3, 3] = 80
    cells = figures.confusion_figure(confusion).data[-1]
    hover = {tuple(pair): text for pair, text in zip(cells.customdata, cells.text, strict=True)}
    assert hover[3, 8] == "true 3, predicted 8: 5 images"
    assert hover[3, 3] == "true 3, predicted 3: 80 images"


def test_errors_have_their_own_colour_scale():
    confusion = np.diag([90] * 10)
    confusion[3, 8] = 1
    fig = figures.confusion_figure(confusion)
    correct, errors, _cells = fig.data
    # The single mistake is the darkest cell of its own scale, not a near-white cell
    # next to the ninety correct ones.
    assert errors.zmax == 1
    assert errors.z[3][8] == 1
    assert np.isnan(errors.z[3][3]) and np.isnan(errors.z[0][1])
    assert correct.z[3][3] == 90 and np.isnan(correct.z[3][8])
    assert correct.colorscale[-1][1] != errors.colorscale[-1][1]


def test_confusion_rows_read_top_down_from_zero():
    fig = figures.confusion_figure(np.eye(10, dtype=int))
    assert tuple(fig.layout.yaxis.range) == (9.5, -0.5)  # row 0 at the top
    assert list(fig.data[0].x) == [str(i) for i in range(10)]


def test_gallery_titles_and_wrong_ones_in_red():
    images = data.load().images[:3]
    fig = figures.digit_gallery(images, ["a", "b", "c"], wrong=[False, True, False], n_cols=3)
    by_text = {a.text.replace("<b>", "").replace("</b>", ""): a for a in fig.layout.annotations}
    assert set(by_text) == {"a", "b", "c"}
    # Each title stands above its own image, left to right.
    assert by_text["a"].x < by_text["b"].x < by_text["c"].x
    assert by_text["b"].font.color == figures.WRONG_TEXT_COLOUR
    assert by_text["a"].font.color != figures.WRONG_TEXT_COLOUR


def test_gallery_tiles_every_image_in_reading_order():
    images = data.load().images[:10]
    fig = figures.digit_gallery(images, [str(i) for i in range(10)], n_cols=4)
    mosaic = np.asarray(fig.data[0].z, dtype=float)
    tiles = [
        mosaic[r * 11 + 3 : r * 11 + 11, c * 10 : c * 10 + 8] for r in range(3) for c in range(4)
    ]
    for image, tile in zip(images, tiles[:10], strict=True):
        np.testing.assert_array_equal(tile, image)
    assert np.isnan(tiles[-1]).all()  # the eleventh and twelfth places stay blank


def test_a_gallery_is_all_pictures_and_one_image_is_as_large_as_in_a_full_row():
    images = data.load().images[:16]
    full = figures.digit_gallery(images, [str(i) for i in range(16)], n_cols=8)
    one = figures.digit_gallery(images[:1], ["0"], n_cols=8)
    # No margin: drawn picture_aspect times as wide as tall, the images fill the chart.
    margin = full.layout.margin
    assert (margin.l, margin.r, margin.t, margin.b) == (0, 0, 0, 0)
    # One image keeps a row of eight places: as wide a row, half as many rows.
    assert figures.picture_aspect(one) == pytest.approx(2 * figures.picture_aspect(full))
    assert np.isnan(np.asarray(one.data[0].z, dtype=float)[:, 10:]).all()


def test_gallery_needs_one_title_per_image():
    with pytest.raises(ValueError, match="one title per image"):
        figures.digit_gallery(data.load().images[:2], ["only one"])


def test_digit_numbers_shows_all_64_values():
    image = data.load().images[0]
    fig = figures.digit_numbers(image)
    assert np.asarray(fig.data[0].z).shape == (8, 8)
    assert fig.data[0].texttemplate == "%{z:.0f}"
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 16)


def test_class_counts_bars_match_the_data():
    counts = data.load().class_counts
    fig = figures.class_counts_figure(counts)
    assert list(fig.data[0].y) == counts.tolist()
    assert sum(fig.data[0].y) == 1797


def test_each_confusion_cell_carries_its_pair_for_clicking():
    confusion = np.arange(100).reshape(10, 10)
    fig = figures.confusion_figure(confusion)
    cells = fig.data[-1]
    assert len(cells.customdata) == 100
    for (true, predicted), x, y, text in zip(
        cells.customdata, cells.x, cells.y, cells.text, strict=True
    ):
        # The marker sits on its own cell, and says what that cell holds.
        assert (x, y) == (str(predicted), str(true))
        assert text == f"true {true}, predicted {predicted}: {confusion[true, predicted]} images"


def test_the_digit_written_is_pointed_at_and_a_wrong_answer_is_red():
    probabilities = np.full(10, 0.001)
    probabilities[4], probabilities[1] = 0.9, 0.091
    answered = figures.probability_figure(probabilities, 4)
    assert answered.data[0].marker.color[4] == figures.RIGHT_COLOUR
    assert not answered.layout.annotations
    # The class says a 9 was written: the model gave it under 1%, a bar too low to see.
    wrong = figures.probability_figure(probabilities, 4, written=9)
    assert wrong.data[0].marker.color[4] == figures.WRONG_COLOUR
    (arrow,) = wrong.layout.annotations
    assert (arrow.text, arrow.x, arrow.y, arrow.showarrow) == ("written", "9", 0.001, True)
    assert (
        figures.probability_figure(probabilities, 4, "vi", written=1).layout.annotations[0].text
        == "đã viết"
    )
    # Written as read: nothing to point at.
    right = figures.probability_figure(probabilities, 4, written=4)
    assert right.data[0].marker.color[4] == figures.RIGHT_COLOUR and not right.layout.annotations


def test_a_click_on_a_mistake_names_the_test_image_under_it():
    from digits_core.model import TrainSettings, mistakes, train_and_evaluate

    result = train_and_evaluate(TrainSettings())
    images = data.load().images
    fig = figures.mistakes_gallery(result, images, n_cols=8)
    mosaic, markers = fig.data[0].z, fig.data[1]
    clicked = [figures.clicked_mistake({"customdata": list(c)}) for c in markers.customdata]
    # Nine markers over each image shown, in the gallery's order...
    assert list(dict.fromkeys(clicked)) == list(mistakes(result)[:48])
    assert all(clicked.count(position) == 9 for position in clicked)
    for x, y, position in zip(markers.x, markers.y, clicked, strict=True):
        # ...each on that very image: its pixel there, and the image around it.
        row, column = round(y), round(x)
        top = row - (row - 3) % 11  # images start 3 rows down, 11 apart, 10 columns apart
        left = column - column % 10
        image = images[result.test_index[position]]
        assert np.array_equal(mosaic[top : top + 8, left : left + 8], image)


def test_validation_figure_marks_the_current_gamma():
    from digits_core.model import GAMMA_STEPS, ValidationCurve

    n = len(GAMMA_STEPS)
    curve = ValidationCurve(
        np.array(GAMMA_STEPS), np.ones(n), np.zeros(n), np.linspace(0.5, 0.9, n), np.zeros(n)
    )
    fig = figures.validation_figure(curve, 0.01)
    assert [trace.name for trace in fig.data] == [
        "training folds",
        "held-out folds (cross-validation)",
    ]
    assert fig.layout.shapes[0].x0 == 0.01 and fig.layout.xaxis.type == "log"
    # Its gamma axis writes gamma as the sliders and the map do, one label a power of ten.
    axis = fig.layout.xaxis
    labels = dict(zip(axis.tickvals, axis.ticktext, strict=True))
    assert labels == {value: f"{value:g}" for value in GAMMA_STEPS if f"{value:e}"[0] == "1"}
    assert labels[1e-5] == "1e-05" and labels[1e-3] == "0.001"


@pytest.mark.parametrize("customdata", [[3, 8], {"0": 3, "1": 8}, {"1": 8, "0": 3}])
def test_a_clicked_cell_is_read_back_as_true_and_predicted(customdata):
    point = {"x": "8", "y": "3", "customdata": customdata}
    assert figures.clicked_cell(point) == (3, 8)


def test_map_cells_carry_their_gamma_and_c_and_mark_best_and_current():
    from digits_core.model import ParameterMap

    gammas, Cs = np.array([1e-4, 1e-3, 1e-2]), np.array([0.1, 1.0, 10.0])
    accuracy = np.array([[0.5, 0.6, 0.7], [0.6, 0.95, 0.9], [0.2, 0.3, 0.3]])
    zeros = np.zeros_like(accuracy)
    pmap = ParameterMap(gammas, Cs, accuracy, zeros, np.ones_like(accuracy), zeros)
    fig = figures.map_figure(pmap, current=(1e-2, 0.1))
    _heatmap, cells, best, now = fig.data
    for (gamma, C), x, y in zip(cells.customdata, cells.x, cells.y, strict=True):
        # The marker on column x, row y carries that cell's settings.
        assert (x, y) == (f"{C:g}", f"{gamma:g}")
        point = {"customdata": {"0": gamma, "1": C}}
        assert figures.clicked_values(point) == [gamma, C]
    assert (best.x[0], best.y[0]) == ("1", "0.001")
    assert (now.x[0], now.y[0]) == ("0.1", "0.01")
    assert "gamma 0.001, C 1, 95.0%" in fig.layout.title.text
    # Each cell shows its accuracy in percent, two figures that fit a narrow cell.
    assert _heatmap.texttemplate == "%{text}"
    assert _heatmap.text[1][1] == "95" and _heatmap.text[2][0] == "20"


def test_presentation_mode_enlarges_type_but_adds_no_blank_band_to_a_picture():
    images = data.load().images[:16]
    gallery = figures.digit_gallery(images, [str(i) for i in range(16)], n_cols=8)
    confusion = figures.confusion_figure(np.diag([90] * 10))
    counts = figures.class_counts_figure(np.full(10, 180))
    for fig in (gallery, confusion, counts):
        big = figures.enlarged(fig)
        assert big.layout.font.size > fig.layout.font.size
        assert big.layout.xaxis.tickfont.size > fig.layout.xaxis.tickfont.size
    # A gallery's height follows from its width: taller would only be blank.
    assert figures.enlarged(gallery).layout.height == gallery.layout.height
    assert figures.enlarged(gallery).layout.annotations[0].font.size > figures.FONT_SIZE
    # A chart's larger type gets a little more room.
    assert figures.enlarged(counts).layout.height > counts.layout.height
    # The confusion matrix's counts grow with the type around them.
    assert figures.enlarged(confusion).data[0].textfont.size > confusion.data[0].textfont.size


def test_presentation_mode_changes_the_type_size_and_nothing_else():
    images = data.load().images[:3]
    gallery = figures.digit_gallery(images, ["a", "b", "c"], wrong=[False, True, False], n_cols=3)
    bars = figures.probability_figure(np.full(10, 0.1), 3, written=8)
    for fig in (gallery, bars):
        big = figures.enlarged(fig)
        # A wrong title stays red; the arrow still points at the digit written.
        for note, big_note in zip(fig.layout.annotations, big.layout.annotations, strict=True):
            assert (big_note.x, big_note.y, big_note.text) == (note.x, note.y, note.text)
            assert big_note.font.color == note.font.color
            assert big_note.font.size > (note.font.size or figures.FONT_SIZE) - 1
        assert big.layout.template == fig.layout.template  # the same colours and lines
        assert json.loads(big.to_json())["data"] == json.loads(fig.to_json())["data"]
    assert figures.enlarged(gallery).layout.annotations[1].font.color == figures.WRONG_TEXT_COLOUR
    assert figures.enlarged(bars).layout.annotations[0].arrowcolor == figures.RIGHT_COLOUR


@pytest.mark.parametrize("chosen", [True, False])
def test_a_view_shows_its_grid_framed_and_the_chosen_one_stands_out(chosen):
    grid = data.load().images[0]
    picture = figures.view_picture(grid, chosen=chosen, side=120)
    assert picture.shape == (120, 120, 3) and picture.dtype == np.uint8
    highlight = tuple(int(figures.CHOSEN_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    assert (tuple(picture[0, 0]) == highlight) == chosen
    # Inside the frame, each of the 64 values is a square of its own brightness.
    frame = int(np.argmax((picture[60] != picture[60, 0]).any(axis=1)))
    cell = (120 - 2 * frame) / 8
    centres = (frame + (np.arange(8) + 0.5) * cell).astype(int)
    shown = picture[np.ix_(centres, centres)][:, :, 0]
    np.testing.assert_array_equal(shown, (grid / 16 * 255).astype(np.uint8))


def test_step_pictures_are_framed_in_their_own_background():
    grid = np.zeros((8, 8))
    grid[[0, -1], 1:7] = 16  # a "0" filling its top and bottom rows...
    grid[:, [1, 6]] = 16  # ...and its sides
    framed = figures.step_picture(grid)
    assert framed[0, 0] == 0 and framed[framed.shape[0] // 2, 0] == 0  # ink map: black
    paper = np.full((60, 80), 0.9)
    paper[10:50, 30:40] = 0.1  # dark ink on light paper
    assert figures.step_picture(paper)[0, 0] == int(0.9 * 255)


@pytest.fixture(scope="module")
def sample_reading():
    return preprocess.possible_readings(samples.sample_photo(3))[0]


def _sent(picture: np.ndarray) -> tuple[str, np.ndarray]:
    with Image.open(io.BytesIO(figures.picture_file(picture))) as image:
        return image.format, np.asarray(image)


def test_a_photograph_is_sent_as_a_small_jpeg_that_looks_the_same(sample_reading):
    for step in ("photo", "gray", "paper"):
        picture = figures.step_picture(sample_reading.step(step).image)
        format, shown = _sent(picture)
        assert format == "JPEG"
        assert np.abs(shown.astype(float) - picture).mean() < 2  # of 255
        # Under half the bytes of the JPEG Streamlit makes of an array (quality 100).
        its_own = io.BytesIO()
        Image.fromarray(picture).save(its_own, format="JPEG", quality=100)
        assert len(figures.picture_file(picture)) < len(its_own.getvalue()) / 2


def test_a_drawing_is_sent_exactly(sample_reading):
    # The digit separated, its 32x32 box, its 8x8 grid, and a view: every pixel as it is.
    drawings = [
        figures.step_picture(sample_reading.step(step).image)
        for step in ("separated", "normalized", "grid")
    ]
    drawings.append(figures.view_picture(sample_reading.views[0], chosen=True))
    for picture in drawings:
        format, shown = _sent(picture)
        assert format == "PNG"
        np.testing.assert_array_equal(shown, picture)


def test_a_sample_tile_is_its_photo_made_small():
    photo = samples.sample_photo(4)
    tile = figures.thumbnail(photo, 160)
    with Image.open(io.BytesIO(photo)) as image, Image.open(io.BytesIO(tile)) as small:
        assert small.format == "JPEG" and small.width == 160
        assert small.height == round(image.height * 160 / image.width)
        expected = np.asarray(image.convert("RGB").resize(small.size, Image.Resampling.BOX))
        assert np.abs(np.asarray(small, dtype=float) - expected).mean() < 4
    assert len(tile) < len(photo) / 4
