"""Plotly figure builders: pure functions of arrays, so they can be tested without a browser.

Sizes are chosen to read from the back of a classroom: large fonts, few gridlines.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from PIL import Image

from digits_core.data import MAX_VALUE
from digits_core.model import Evaluation, mistakes
from digits_core.tables import formatted, report_table
from digits_core.text import DEFAULT_LANGUAGE, t

FONT_SIZE = 16
# Plotly shrinks the number on a bar to the bar's width: a probability never smaller
# than this, which still fits between the bars beside it...
SMALLEST_BAR_TEXT = 12
# ...and an image count, three digits over a narrow bar, left off if it would be smaller
# than this, rather than shown too small to read (the axis and hovering still tell).
SMALLEST_COUNT_TEXT = 10
# Every word on a chart is dark enough to read on a projector, which washes out gray:
# at least 7:1 against white (WCAG's strictest level). Streamlit's chart theme draws axis
# numbers and titles in a light gray (3.7:1); the charts here name their own colours.
TEXT_COLOUR = "#444444"  # 9.7:1
RIGHT_COLOUR = "#1a518f"  # the app's blue (the theme's primaryColor): 8.0:1
WRONG_COLOUR = "#c0392b"
WRONG_TEXT_COLOUR = "#962d22"  # the same red, dark enough for words: 7.8:1
CHOSEN_COLOUR = "#f39c12"  # the view a photo was read from
TILE_GAP, TITLE_SPACE = 2, 3  # a gallery's columns between images, rows for a title
MISTAKE_MARKER = 30  # pixels: each of the clickable squares over an image of the mistakes
INK_SCALE = "gray_r"  # 0 = white paper, 16 = black ink, as the notebook drew the digits
BRIGHT_INK_SCALE = "gray"  # 16 = white: how the Camera page shows ink after its steps


def _merged(base: dict, over: dict) -> dict:
    """``base`` with ``over`` laid on it; dictionaries in both are merged key by key."""
    merged = dict(base)
    for key, value in over.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merged(merged[key], value) if both else value
    return merged


def _sized(size: int) -> dict:
    return {"font": {"size": size}}


def _type_sizes(size: int) -> dict:
    """Layout settings for type of ``size`` in ``TEXT_COLOUR``: the chart's own, its
    axes' numbers and titles, its legend's."""
    font = {"size": size, "color": TEXT_COLOUR}
    axis = {"tickfont": font, "title": {"font": font}}
    return {"font": font, "xaxis": axis, "yaxis": axis, "legend": {"font": font}}


def _figure(data: Sequence, height: int | None = None, **layout) -> go.Figure:
    """A figure of ``data`` (traces) in large type, made in one step: ``layout`` laid
    on the shared type sizes and margins. (Plotly checks each property as it is set:
    one step is several times faster than a figure made and then updated.)"""
    shared = {**_type_sizes(FONT_SIZE), "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
    if height is not None:
        shared["height"] = height
    return go.Figure(data=list(data), layout=_merged(shared, layout))


NO_MARGINS = {"l": 0, "r": 0, "t": 0, "b": 0}


def nothing() -> go.Figure:
    """A chart with nothing in it, not even axes: the smallest a browser draws."""
    hidden = {"visible": False}
    return go.Figure(layout={"xaxis": hidden, "yaxis": hidden, "height": 10, "margin": NO_MARGINS})


def _picture(data: Sequence, **layout) -> go.Figure:
    """A picture (a gallery, a digit's grid) with no height and no margins: the page
    draws it :func:`picture_aspect` times as wide as tall, and it fills its chart."""
    return _figure(data, margin=NO_MARGINS, **layout)


def _titled(text: str) -> dict:
    return {"title": {"text": text}}


def _cell_markers(x, y, customdata, hover, size: int) -> go.Scatter:
    """One invisible square marker per heatmap cell, carrying the cell's values.

    Heatmap cells give Streamlit no selection; these markers answer hovers and clicks
    (see :func:`clicked_values`).
    """
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker={"symbol": "square", "size": size, "opacity": 0.01},
        customdata=customdata,
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        name="cells",
        showlegend=False,
    )


def _every_label(labels: list[str]) -> dict:
    """Axis settings that label every category. Left to itself, Plotly labels only every
    other digit, or every fourth, where they are crowded: a narrow chart on a
    1024-pixel projector, or presentation mode's larger type."""
    return {"tickmode": "array", "tickvals": labels, "ticktext": labels}


def confusion_figure(confusion: np.ndarray, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """The confusion matrix: correct counts in blue on the diagonal, errors in red.

    Two colour scales, so that a single mistake stands out as clearly as the ninety
    correct images beside it; zero cells stay blank.

    Parameters
    ----------
    confusion : ndarray of shape (n, n), row = true digit, column = predicted digit
    """
    confusion = np.asarray(confusion)
    n = confusion.shape[0]
    labels = [str(i) for i in range(n)]
    true, pred = np.indices(confusion.shape)
    hover = np.vectorize(
        lambda tr, pr, count: t(
            "figures.confusion_hover", language, true=tr, predicted=pr, count=count
        )
    )(true, pred, confusion)
    diagonal = true == pred
    correct = np.where(diagonal, confusion, np.nan)
    errors = np.where(~diagonal & (confusion > 0), confusion, np.nan)
    common = {
        "x": labels,
        "y": labels,
        "hoverinfo": "skip",  # the cell markers below answer hovers and clicks
        "texttemplate": "%{z:.0f}",
        "textfont": {"size": FONT_SIZE},
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
    }
    cells = [
        go.Heatmap(
            z=correct,
            colorscale=[[0, "#dbe8f6"], [1, RIGHT_COLOUR]],
            zmin=0,
            name=t("figures.correct", language),
            **common,
        ),
        go.Heatmap(
            z=errors,
            colorscale=[[0, "#f6c8b8"], [1, WRONG_COLOUR]],
            zmin=0,
            zmax=max(1, int(np.nan_to_num(errors).max())),
            name=t("figures.errors", language),
            **common,
        ),
        # Hovering and clicking go through a marker per cell, carrying (true, predicted).
        _cell_markers(
            x=[labels[p] for p in pred.ravel()],
            y=[labels[r] for r in true.ravel()],
            customdata=np.stack([true.ravel(), pred.ravel()], axis=1),
            hover=hover.ravel(),
            size=34,
        ),
    ]
    # Fixed ranges: the grid fills the plot exactly, with 0 at the top left.
    return _figure(
        cells,
        height=520,
        hoverdistance=40,
        plot_bgcolor="#f4f4f4",
        xaxis={
            **_titled(t("figures.predicted_digit", language)),
            "side": "bottom",
            "type": "category",
            "range": [-0.5, n - 0.5],
            "constrain": "domain",
            **_every_label(labels),
        },
        yaxis={
            **_titled(t("figures.true_digit", language)),
            "type": "category",
            "range": [n - 0.5, -0.5],
            "scaleanchor": "x",
            **_every_label(labels),
        },
    )


def clicked_values(point: dict) -> list[float]:
    """The ``customdata`` of a clicked marker, from a Streamlit selection point.

    The browser sends it back either as a list or as a dict keyed "0", "1", ...; both
    are read.
    """
    data = point["customdata"]
    if isinstance(data, dict):
        data = [data[key] for key in sorted(data, key=int)]
    return [float(value) for value in data]


def clicked_cell(point: dict) -> tuple[int, int]:
    """(true, predicted) of a clicked confusion-matrix cell."""
    true, predicted = (int(value) for value in clicked_values(point))
    return true, predicted


def digit_gallery(
    images: np.ndarray,
    titles: Sequence[str],
    wrong: Sequence[bool] | None = None,
    n_cols: int = 8,
    bright_ink: bool = False,
) -> go.Figure:
    """Small digit images in a grid, each with a title; titles of wrong ones in red.

    The images are tiled into one heatmap (gaps are blank), which draws far faster in
    the browser and in Python than one subplot per image. The tiles fill the chart, the
    titles included: drawn :func:`picture_aspect` times as wide as tall, at any width,
    the chart has no blank band around them.

    Parameters
    ----------
    images : ndarray of shape (n, h, w), values in [0, 16]
    titles : one string per image
    wrong : optional, one flag per image; flagged titles are drawn in red
    bright_ink : draw ink white on black (as the Camera page's steps) instead of black
        on white
    """
    mosaic, annotations = _mosaic(images, titles, wrong, n_cols)
    return _gallery(mosaic, annotations, bright_ink)


def _mosaic(
    images: np.ndarray, titles: Sequence[str], wrong: Sequence[bool] | None, n_cols: int
) -> tuple[np.ndarray, list[dict]]:
    """A gallery's images tiled into one array, blank (NaN) between them, and their
    titles as annotations (see :func:`digit_gallery`)."""
    images = np.asarray(images, dtype=float)
    if images.ndim != 3 or len(images) != len(titles):
        raise ValueError("one title per image is needed")
    n_images, height, width = images.shape
    n_cols = max(1, n_cols)  # fewer images leave places blank: a tile is as large as ever
    n_rows = -(-n_images // n_cols)
    mosaic = np.full(
        (n_rows * (height + TITLE_SPACE), n_cols * (width + TILE_GAP) - TILE_GAP), np.nan
    )
    flags = list(wrong) if wrong is not None else [False] * n_images
    annotations = []
    for index, image in enumerate(images):
        top, left = _tile_corner(index, n_cols, images.shape[1:])
        mosaic[top : top + height, left : left + width] = image
        annotations.append(
            {
                "x": left + (width - 1) / 2,
                "y": top - 1.6,
                "text": f"<b>{titles[index]}</b>" if flags[index] else titles[index],
                "showarrow": False,
                "font": {
                    "size": FONT_SIZE,
                    "color": WRONG_TEXT_COLOUR if flags[index] else "#222",
                },
            }
        )
    return mosaic, annotations


def _gallery(
    mosaic: np.ndarray,
    annotations: list[dict],
    bright_ink: bool,
    more: Sequence = (),
    xaxis: dict | None = None,
    yaxis: dict | None = None,
) -> go.Figure:
    """A gallery's picture: its mosaic, titles, and ``more`` traces over it; ``xaxis``
    and ``yaxis``: settings laid on its axes'."""
    tiles = go.Heatmap(
        z=mosaic,
        colorscale=BRIGHT_INK_SCALE if bright_ink else INK_SCALE,
        zmin=0,
        zmax=MAX_VALUE,
        showscale=False,
        hoverinfo="skip",
    )
    return _picture(
        [tiles, *more],
        annotations=annotations,
        plot_bgcolor="white",
        xaxis={"visible": False, "constrain": "domain", **(xaxis or {})},
        yaxis={"visible": False, "autorange": "reversed", "scaleanchor": "x", **(yaxis or {})},
    )


def _tile_corner(index: int, n_cols: int, shape: tuple[int, int]) -> tuple[int, int]:
    """(top, left) of image ``index`` in a gallery's mosaic: rows of ``n_cols`` images of
    ``shape``, each under its title."""
    height, width = shape
    row, col = divmod(index, n_cols)
    return row * (height + TITLE_SPACE) + TITLE_SPACE, col * (width + TILE_GAP)


def picture_aspect(fig: go.Figure) -> float:
    """Width over height of a gallery or a grid drawn with no margins: drawn that much
    wider than tall, its tiles fill the chart."""
    height, width = np.shape(fig.data[0].z)
    return width / height


def view_picture(grid: np.ndarray, chosen: bool, side: int = 120) -> np.ndarray:
    """One view's 8x8 grid for ``st.image``: RGB uint8, ink white on black, pixels sharp,
    framed in the highlight colour when the answer came from it, else in gray.

    Parameters
    ----------
    grid : (8, 8) or (64,) values in [0, 16]
    chosen : whether the model answered from this view
    side : width and height of the picture, in pixels
    """
    values = np.clip(np.asarray(grid, dtype=float).reshape(8, 8) / MAX_VALUE, 0, 1)
    frame = max(2, side // 16) if chosen else max(1, side // 60)
    inner = side - 2 * frame
    gray = Image.fromarray((values * 255).astype(np.uint8)).resize(
        (inner, inner), Image.Resampling.NEAREST
    )
    colour = CHOSEN_COLOUR if chosen else "#9a9a9a"
    picture = Image.new("RGB", (side, side), colour)
    picture.paste(gray.convert("RGB"), (frame, frame))
    return np.asarray(picture)


def digit_numbers(
    image: np.ndarray,
    bright_ink: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> go.Figure:
    """One digit drawn large, each of its pixels labelled with its number.

    Parameters
    ----------
    image : ndarray of shape (h, w), values in [0, 16]
    bright_ink : draw ink white on black instead of black on white

    No height and no margins: drawn :func:`picture_aspect` times as wide as tall (square),
    the grid fills the chart.
    """
    pixels = go.Heatmap(
        z=np.asarray(image, dtype=float),
        colorscale=BRIGHT_INK_SCALE if bright_ink else INK_SCALE,
        zmin=0,
        zmax=MAX_VALUE,
        texttemplate="%{z:.0f}",
        textfont={"size": 20},
        xgap=1,
        ygap=1,
        showscale=False,
        hovertemplate=t("figures.pixel_hover", language) + "<extra></extra>",
    )
    bare = {"showticklabels": False, "ticks": "", "showgrid": False, "zeroline": False}
    return _picture(
        [pixels],
        plot_bgcolor="white",
        xaxis=bare,
        yaxis={**bare, "autorange": "reversed", "scaleanchor": "x"},
    )


def class_counts_figure(counts: np.ndarray, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """How many images of each digit there are, as bars."""
    counts = np.asarray(counts)
    digits = [str(i) for i in range(len(counts))]
    bars = go.Bar(
        x=digits,
        y=counts,
        text=counts,
        textposition="outside",
        marker_color=RIGHT_COLOUR,
        hovertemplate=t("figures.count_hover", language) + "<extra></extra>",
    )
    return _figure(
        [bars],
        height=320,
        uniformtext={"minsize": SMALLEST_COUNT_TEXT, "mode": "hide"},
        xaxis={**_titled(t("figures.digit", language)), "type": "category", **_every_label(digits)},
        yaxis={**_titled(t("figures.images", language)), "range": [0, counts.max() * 1.2]},
    )


@dataclass(frozen=True)
class TrainFigures:
    """Everything the Train page draws for one fitted model."""

    confusion: go.Figure
    predictions: go.Figure
    report: pd.DataFrame  # as text, ready to show


def train_figures(
    result: Evaluation,
    images: np.ndarray,
    language: str = DEFAULT_LANGUAGE,
    n_shown: int = 16,
    n_cols: int = 8,
) -> TrainFigures:
    """The confusion matrix, the first ``n_shown`` test predictions and the report table.

    Parameters
    ----------
    result : the evaluation to draw
    images : ndarray of shape (1797, 8, 8), all the digits (``result.test_index`` points in)
    n_cols : predictions to a row (fewer leaves room for larger titles)
    """
    shown = slice(0, n_shown)
    titles = [
        # What it said; a mistake (in red) as the mistakes gallery shows it: "3 → 8".
        t("train.mistake_title", language, true=true, predicted=predicted)
        if predicted != true
        else str(predicted)
        for predicted, true in zip(result.y_pred[shown], result.y_test[shown], strict=True)
    ]
    return TrainFigures(
        confusion=confusion_figure(result.confusion, language),
        predictions=digit_gallery(
            images[result.test_index[shown]],
            titles,
            wrong=result.wrong[shown],
            n_cols=n_cols,
        ),
        report=formatted(report_table(result.report, language)),
    )


def probability_figure(
    probabilities: np.ndarray,
    digit: int,
    language: str = DEFAULT_LANGUAGE,
    written: int | None = None,
) -> go.Figure:
    """How sure the model is of each digit, as bars; the digit it chose stands out. Where
    another digit was ``written`` (as a class says), the chosen one is red, as a mistake,
    and an arrow points at the written one's bar, however low."""
    probabilities = np.asarray(probabilities, dtype=float)
    digits = [str(i) for i in range(len(probabilities))]
    wrong = written is not None and written != digit
    chosen = WRONG_COLOUR if wrong else RIGHT_COLOUR
    colours = [chosen if i == digit else "#b9c6d6" for i in range(len(probabilities))]
    bars = go.Bar(
        x=digits,
        y=probabilities,
        marker_color=colours,
        text=[f"{p:.0%}" if p >= 0.01 else "" for p in probabilities],
        textposition="outside",
        cliponaxis=False,  # a number over the first bar may reach past the axis
        hovertemplate=t("figures.probability_hover", language) + "<extra></extra>",
    )
    arrows = []
    if wrong:
        arrows.append(
            {
                "x": str(written),
                "y": probabilities[written],
                "text": t("figures.written", language),
                "showarrow": True,
                "arrowhead": 2,
                "arrowwidth": 2,
                "ax": 0,
                "ay": -50,
                "standoff": 22,  # above the bar's own number
                "font": {"color": RIGHT_COLOUR},
                "arrowcolor": RIGHT_COLOUR,
            }
        )
    return _figure(
        [bars],
        height=300,
        annotations=arrows,
        uniformtext={"minsize": SMALLEST_BAR_TEXT, "mode": "show"},
        xaxis={**_titled(t("figures.digit", language)), "type": "category", **_every_label(digits)},
        yaxis={
            **_titled(t("figures.probability", language)),
            "range": [0, 1.15],
            "tickformat": ".0%",
        },
    )


def step_picture(image: np.ndarray, size: tuple[int, int] = (320, 240)) -> np.ndarray:
    """A pipeline picture ready for ``st.image``: uint8, fitted into a ``size`` frame.

    Every step gets the same frame, so a row of steps lines up. Small pictures (the
    32x32 box, the 8x8 grid) are enlarged with hard pixel edges, so their pixels show.
    Gray pictures (white paper) get a white border, ink maps (dark paper) a black one.

    Parameters
    ----------
    image : (h, w) floats in [0, 1], or (8, 8) in [0, 16], or (h, w, 3) uint8
    size : (width, height) of the frame
    """
    image = np.asarray(image)
    if image.dtype != np.uint8:
        top = MAX_VALUE if image.shape == (8, 8) else 1.0
        image = (np.clip(image / top, 0, 1) * 255).astype(np.uint8)
    frame_width, frame_height = size
    height, width = image.shape[:2]
    scale = min(frame_width / width, frame_height / height)
    new_size = (max(1, int(width * scale)), max(1, int(height * scale)))
    enlarge = scale > 2
    resample = Image.Resampling.NEAREST if enlarge else Image.Resampling.BILINEAR
    picture = Image.fromarray(image).resize(new_size, resample)
    edges = [image[0], image[-1], image[:, 0], image[:, -1]]
    border = int(np.median(np.concatenate([edge.ravel() for edge in edges])))
    fill = (border,) * 3 if picture.mode == "RGB" else border
    frame = Image.new(picture.mode, size, fill)
    frame.paste(picture, ((frame_width - new_size[0]) // 2, (frame_height - new_size[1]) // 2))
    return np.asarray(frame)


# Pictures are sent to the browser as files. A photograph as JPEG at this quality: it
# looks the same as at 100 (Streamlit's own choice for an array), a quarter of the bytes.
PHOTO_QUALITY = 90
# A picture with at least this share of one colour (a mask, the digit cut out), or with
# no more colours than an 8x8 grid's 64 and a frame: a drawing, sent exactly (PNG), and
# smaller so. A photograph has hundreds of colours, none covering a third of it.
DRAWING_SHARE, DRAWING_COLOURS = 0.6, 65


def picture_file(picture: np.ndarray) -> bytes:
    """A picture for ``st.image`` (uint8, gray or RGB) as the file it is sent in: a
    photograph as JPEG, a drawing as PNG (see ``DRAWING_SHARE``)."""
    picture = np.asarray(picture, dtype=np.uint8)
    # Judged on every fourth pixel each way: as sure, and a sixteenth of the work.
    sample = picture[::4, ::4].astype(np.int32)
    if sample.ndim == 3:  # each colour as one number
        sample = (sample[..., 0] << 16) | (sample[..., 1] << 8) | sample[..., 2]
    _, counts = np.unique(sample, return_counts=True)
    drawing = counts.max() >= DRAWING_SHARE * sample.size or len(counts) <= DRAWING_COLOURS
    out = io.BytesIO()
    if drawing:  # compressed quickly: a drawing is small however it is compressed
        Image.fromarray(picture).save(out, format="PNG", compress_level=1)
    else:
        Image.fromarray(picture).save(out, format="JPEG", quality=PHOTO_QUALITY)
    return out.getvalue()


def thumbnail(photo: bytes, width: int) -> bytes:
    """A JPEG photo made ``width`` pixels wide (a tile to click): decoded straight at a
    fraction of its size, as JPEGs allow."""
    with Image.open(io.BytesIO(photo)) as image:
        height = max(1, round(image.height * width / image.width))
        image.draft("RGB", (width, height))
        small = image.convert("RGB").resize((width, height), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=PHOTO_QUALITY)
    return out.getvalue()


def validation_figure(curve, current_gamma: float, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Training and cross-validated accuracy against gamma (log scale), current gamma marked.

    Parameters
    ----------
    curve : digits_core.model.ValidationCurve
    """
    curves = [
        go.Scatter(
            x=curve.gammas,
            y=mean,
            error_y={"array": std, "visible": True},
            mode="lines+markers",
            name=name,
            line={"color": colour, "width": 3},
            hovertemplate=f"{name}: %{{y:.1%}} (gamma %{{x:g}})<extra></extra>",
        )
        for mean, std, name, colour in (
            (curve.train_mean, curve.train_std, t("figures.train_curve", language), "#7a8ca3"),
            (curve.cv_mean, curve.cv_std, t("figures.cv_curve", language), RIGHT_COLOUR),
        )
    ]
    span = np.log10([curve.gammas.min(), curve.gammas.max()])
    # Each power of ten written as the sliders and the map write gamma ("1e-05",
    # "0.001"): Plotly's own labels ("10µ", "100µ") mean nothing for gamma.
    decades = [10.0**power for power in range(math.ceil(span[0]), math.floor(span[1]) + 1)]
    fig = _figure(
        curves,
        height=380,
        legend={"orientation": "h", "y": -0.25},
        xaxis={
            **_titled("gamma"),
            "type": "log",
            "range": [span[0] - 0.15, span[1] + 0.15],
            "tickmode": "array",
            "tickvals": decades,
            "ticktext": [f"{value:g}" for value in decades],
        },
        yaxis={**_titled(t("figures.accuracy", language)), "range": [0, 1.08], "tickformat": ".0%"},
    )
    return fig.add_vline(
        x=current_gamma,
        line={"color": WRONG_COLOUR, "dash": "dash", "width": 2},
        annotation_text=t("figures.current_gamma", language, gamma=current_gamma),
        annotation_position="top",
    )


def map_figure(pmap, current: tuple[float, float], language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Cross-validated accuracy over the gamma x C grid; the current setting circled,
    the best cell starred. Every cell is a clickable marker carrying (gamma, C).

    Parameters
    ----------
    pmap : digits_core.model.ParameterMap
    current : (gamma, C) of the sliders
    """
    gamma_labels = [f"{g:g}" for g in pmap.gammas]
    c_labels = [f"{c:g}" for c in pmap.Cs]
    rows, columns = np.indices(pmap.accuracy.shape)
    hover = [
        t(
            "figures.map_hover",
            language,
            gamma=pmap.gammas[r],
            C=pmap.Cs[c],
            accuracy=pmap.accuracy[r, c],
        )
        for r, c in zip(rows.ravel(), columns.ravel(), strict=True)
    ]
    best_gamma, best_C, best_accuracy = pmap.best
    cells = go.Heatmap(
        z=pmap.accuracy,
        x=c_labels,
        y=gamma_labels,
        colorscale="Viridis",
        zmin=0,
        zmax=1,
        # Percentages without "%": two figures fit a cell on a 1024-pixel projector.
        text=np.vectorize(lambda accuracy: f"{accuracy:.0%}".removesuffix("%"))(pmap.accuracy),
        texttemplate="%{text}",
        textfont={"size": 12},
        hoverinfo="skip",
        # Slim and untitled (the title says what the map shows): the room is the
        # cells'. A titled bar took a third of the width on a 1024-pixel projector.
        colorbar={
            "tickformat": ".0%",
            "thickness": 12,
            "dtick": 0.2,
            "tickfont": {"color": TEXT_COLOUR},
        },
    )
    markers = _cell_markers(
        x=[c_labels[c] for c in columns.ravel()],
        y=[gamma_labels[r] for r in rows.ravel()],
        customdata=[
            [pmap.gammas[r], pmap.Cs[c]] for r, c in zip(rows.ravel(), columns.ravel(), strict=True)
        ],
        hover=hover,
        size=26,
    )
    marked = [
        go.Scatter(
            x=[f"{C:g}"],
            y=[f"{gamma:g}"],
            mode="markers",
            marker={
                "symbol": symbol,
                "size": 22,
                "color": colour,
                "line": {"width": 3, "color": colour},
            },
            name=name,
            hoverinfo="skip",
        )
        for (gamma, C), symbol, colour, name in (
            ((best_gamma, best_C), "star", "#ffd400", t("figures.map_best", language)),
            (current, "circle-open", WRONG_COLOUR, t("figures.map_current", language)),
        )
    ]
    n_gamma, n_c = pmap.accuracy.shape
    title = t("figures.map_title", language, gamma=best_gamma, C=best_C, accuracy=best_accuracy)
    return _figure(
        [cells, markers, *marked],
        height=560,
        hoverdistance=30,
        legend={"orientation": "h", "y": -0.2},
        **_titled(title),
        xaxis={
            **_titled("C"),
            "type": "category",
            "range": [-0.5, n_c - 0.5],
            "constrain": "domain",
        },
        yaxis={**_titled("gamma"), "type": "category", "range": [-0.5, n_gamma - 0.5]},
    )


def enlarged(fig: go.Figure, factor: float = 1.4) -> go.Figure:
    """A copy of ``fig`` with every font ``factor`` times larger (presentation mode).
    Numbers in cells drawn at the text's size (the confusion matrix's counts) grow with
    it; others keep the size their cells have room for (a digit's 64 values, already
    larger; the parameter map's, 16 to a row).

    Taller by a little, for the larger type; not a picture whose shape is fixed (a
    gallery, a digit's grid): its height follows from its width, and more would only
    be blank above and below it.
    """
    spec = fig.to_dict()
    # Made afresh with Plotly's default template, as every figure here is: a copy of
    # the template would take longer to check than all the rest.
    layout = {key: value for key, value in spec["layout"].items() if key != "template"}
    size = round(FONT_SIZE * factor)
    bigger = _type_sizes(size)
    if layout.get("yaxis", {}).get("scaleanchor") is None:
        bigger["height"] = round(layout.get("height", 450) * 1.15)
    layout = _merged(layout, bigger)
    notes = layout.get("annotations", [])
    layout["annotations"] = [_merged(note, _sized(size)) for note in notes]
    for trace in spec["data"]:
        if trace["type"] == "heatmap" and trace.get("textfont", {}).get("size") == FONT_SIZE:
            trace["textfont"] = {**trace["textfont"], "size": round(FONT_SIZE * factor)}
    return go.Figure(data=spec["data"], layout=layout)


def mistakes_gallery(
    result: Evaluation,
    images: np.ndarray,
    pair: tuple[int, int] | None = None,
    language: str = DEFAULT_LANGUAGE,
    limit: int = 48,
    n_cols: int = 8,
) -> go.Figure:
    """The test images read wrong (all, or one (true, predicted) pair), titled "3 → 8".
    Each answers a click with its position in the test set (see :func:`clicked_mistake`).

    Parameters
    ----------
    images : ndarray of shape (1797, 8, 8), all the digits (``result.test_index`` points in)
    n_cols : as for :func:`digit_gallery`
    """
    shown = mistakes(result, *(pair or (None, None)))[:limit]
    titles = [
        t("train.mistake_title", language, true=result.y_test[i], predicted=result.y_pred[i])
        for i in shown
    ]
    mosaic, annotations = _mosaic(
        images[result.test_index[shown]], titles, wrong=[True] * len(shown), n_cols=n_cols
    )
    # Markers over each image, three by three: a click anywhere on it says which it was.
    height, width = images.shape[1:]
    corners = [_tile_corner(i, n_cols, (height, width)) for i in range(len(shown))]
    tops, lefts = np.array(corners, dtype=float).reshape(-1, 2).T
    across = np.array([-1, 0, 1]) * (width / 3)
    down, along = np.meshgrid(across * height / width, across, indexing="ij")
    x = (lefts[:, None] + (width - 1) / 2 + along.ravel()).ravel()
    y = (tops[:, None] + (height - 1) / 2 + down.ravel()).ravel()
    each = along.size
    hover = [t("train.mistake_hover", language, title=title) for title in titles]
    customdata = np.repeat(shown, each)[:, None]
    markers = _cell_markers(x, y, customdata, np.repeat(hover, each), MISTAKE_MARKER)
    # The mosaic's own extent: left to themselves, the axes would make room around the
    # markers, and the images would no longer fill the chart.
    rows, columns = mosaic.shape
    return _gallery(
        mosaic,
        annotations,
        bright_ink=False,
        more=[markers],
        xaxis={"range": [-0.5, columns - 0.5]},
        yaxis={"range": [rows - 0.5, -0.5], "autorange": False, "constrain": "domain"},
    )


def clicked_mistake(point: dict) -> int:
    """The position in the test set of a clicked image of :func:`mistakes_gallery`."""
    return int(clicked_values(point)[0])
