"""Camera page: a photo of a digit on paper, every step as a picture, then the prediction."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from app_pages.common import (
    ask_before_leaving,
    calibrated,
    camera_refused_at,
    chart,
    evaluation,
    grid_beside,
    grid_beside_training,
    into_view,
    language,
    load_charts_ahead,
    model_settings,
    model_spinner,
    notice,
    on_phone,
    picture,
    presenting,
    read_like_the_notebook,
    read_photo,
    row,
    sample_photos,
    sample_tiles,
    show,
    side_by_side,
    t,
    use_model,
)
from digits_core import count, figures, model, text
from digits_core.preprocess import (
    TARGET_WIDTH,
    VIEW_TURNS,
    VIEW_WIDTHS,
    PhotoError,
    Reading,
)

SOURCE_KEY = "photo_source"  # the way in used last: "camera", "upload", a sample, a photo kept
MARKS_KEY = "photo_marks"  # photo id -> (digit written, the app's answer, the notebook's)
KEPT_KEY = "kept_photos"  # photo id -> Kept: the photos counted, to be looked at again
KEPT_PREFIX = "kept_"  # the source of a photo chosen again from those counted
# The last photo the camera took or upload chosen: (source, file name, bytes). Streamlit
# forgets a widget's value while a page without it is open: on coming back to this page,
# the photo on it would be gone.
ON_PAGE_KEY = "photo_on_page"
CAMERA_WANTED_KEY = "camera_wanted"  # the camera switch's position, kept the same way
# The photos counted are kept in the visitor's session: the count's newest, up to this many
# bytes in all. A webcam's photo, as the page gets it, is under 1 MB, a phone's 2 to 5 MB:
# twenty webcam photos fit, or four to ten from a phone; thirty visitors keep 600 MB at most.
MAX_KEPT_BYTES = 20_000_000
STEPS_PER_ROW = 3
SAMPLE_TILE = 56  # pixels: five sample photos fit across a phone, ten across a laptop
SAMPLE_TILE_PRESENTING = 80  # five across a 1024-pixel projector
# Pixels wide of a sample's picture on its tile: sharp where a screen has two pixels to
# each of the page's. (The photo itself is ten times the bytes.)
SAMPLE_TILE_PICTURE = 2 * SAMPLE_TILE_PRESENTING
KEPT_TILE = 80  # pixels: a photo counted, its picture above what this app read
KEPT_TILE_PRESENTING = 112
KEPT_PICTURE = (160, 120)
N_EXAMPLES = 8
COMPARE_ANCHOR = "compare"  # the heading of the grid beside training images
ANSWER_STYLE = (
    "<style>.st-key-answer [data-testid=stMetricValue]"
    "{font-size:7rem !important;line-height:1.05;font-weight:700}</style>"
)

# Columns that stay side by side on a phone still keep a minimum width of 8rem, too wide
# for three across one: let the views' columns share whatever room there is.
VIEWS_STYLE = "<style>.st-key-views .stColumn{min-width:0 !important}</style>"


@dataclass(frozen=True)
class Kept:
    """A photo counted, kept so that the class can look at it again."""

    photo: bytes
    picture: bytes  # a small picture of it, for its tile, as a file


def _choose(source: str) -> None:
    st.session_state[SOURCE_KEY] = source
    show("reading")


def _camera_switched() -> None:
    st.session_state[CAMERA_WANTED_KEY] = st.session_state.get("camera_on", False)
    if st.session_state.get("camera_on"):
        show("camera")


def _camera_changed() -> None:
    _choose("camera")
    if st.session_state.get("camera") is None:
        # "Clear photo": the answer is gone, and the next photo is taken up there.
        st.session_state.pop(ON_PAGE_KEY, None)
        show("camera")


def _upload_changed() -> None:
    _choose("upload")
    if st.session_state.get("upload") is None:  # the file taken away (its ✕)
        st.session_state.pop(ON_PAGE_KEY, None)


def _sample_tile(digit: int, tile: bytes) -> None:
    picture(tile, width="stretch", alt=t("camera.source_sample", digit=digit))
    st.button(
        str(digit),
        key=f"sample_{digit}",
        help=t("camera.sample_help", digit=digit),
        on_click=_choose,
        args=(f"sample_{digit}",),
        width="stretch",
    )


def _inputs(refused_at: str | None) -> tuple[str, bytes] | None:
    """Draw the three ways in; return (description, bytes) of the photo chosen last.
    ``refused_at``: the page's address, where the browser refuses the camera."""
    st.subheader(t("camera.samples_heading"))
    st.caption(t("camera.samples_caption"))
    photos, tiles = sample_photos(), sample_tiles(SAMPLE_TILE_PICTURE)
    # Two groups of five fixed-width tiles, in rows that wrap: ten to a row on a laptop,
    # five on a phone, a small window or a projector (where the tiles are larger).
    tile = SAMPLE_TILE_PRESENTING if presenting() else SAMPLE_TILE
    half = len(photos) // 2
    with st.container(horizontal=True, gap="small"):
        for group in (range(half), range(half, len(photos))):
            with st.container(horizontal=True, gap="small", width="content"):
                for digit in group:
                    with st.container(width=tile, gap="small"):
                        _sample_tile(digit, tiles[digit])

    upload_column, camera_column = side_by_side([1, 1])
    upload = upload_column.file_uploader(
        t("camera.upload"),
        # .jfif: what Windows often names a JPEG saved from a web page.
        type=["jpg", "jpeg", "jfif", "png", "webp"],
        help=t("camera.upload_help"),
        key="upload",
        on_change=_upload_changed,
    )
    shot = None
    camera_on = camera_column.toggle(
        t("camera.camera_switch"),
        help=t("camera.camera_switch_help"),
        key="camera_on",
        value=st.session_state.get(CAMERA_WANTED_KEY, False),
        on_change=_camera_switched,
        disabled=refused_at is not None,
    )
    if refused_at:
        # Turned on, the camera would only ask to "allow access", which cannot be given.
        camera_column.caption(t("camera.camera_blocked", address=refused_at))
    elif camera_on:
        shot = camera_column.camera_input(
            # A phone opens its front camera: paper is easier to photograph with the back.
            t("camera.camera_label_phone" if on_phone() else "camera.camera_label"),
            key="camera",
            resolution="720p",
            on_change=_camera_changed,
        )
        into_view("camera", camera_column)

    source = st.session_state.get(SOURCE_KEY)
    if source == "camera" and shot is not None:
        st.session_state[ON_PAGE_KEY] = (source, "", shot.getvalue())
    elif source == "upload" and upload is not None:
        st.session_state[ON_PAGE_KEY] = (source, upload.name, upload.getvalue())
    on_page = st.session_state.get(ON_PAGE_KEY)
    if on_page is not None and on_page[0] == source:
        # From its widget, or kept from it while another page was open.
        _, name, photo = on_page
        if source == "upload":
            return t("camera.source_upload", name=name), photo
        return t("camera.source_camera"), photo
    if source and source.startswith("sample_"):
        digit = int(source.removeprefix("sample_"))
        return t("camera.source_sample", digit=digit), photos[digit]
    if source and source.startswith(KEPT_PREFIX):
        photo_id = source.removeprefix(KEPT_PREFIX)
        kept = st.session_state.get(KEPT_KEY, {}).get(photo_id)
        if kept is not None:
            number = _number(photo_id)
            if not number:  # no longer counted, still on the page
                return t("camera.source_earlier"), kept.photo
            return t("camera.source_kept", number=number), kept.photo
    return None


def _model_note(settings: model.TrainSettings) -> str:
    if settings == model.CAMERA_DEFAULTS:
        return t("camera.model_default", gamma=settings.gamma, C=settings.C)
    prepared = t("camera.model_yours_prepared") if settings.prepared else ""
    return t("camera.model_yours", gamma=settings.gamma, C=settings.C, prepared=prepared)


def _prepare(settings: model.TrainSettings):
    """The model in use and its calibrated twin, made once per server.

    Also called before any photo is chosen, once the ways in are drawn: the first photo
    is then read without the wait.
    """
    with model_spinner():
        return evaluation(settings).classifier, calibrated(settings)


def _how_sure(reading: Reading, prediction: model.Prediction) -> None:
    """How sure the answer is, in one sentence: sure, or why not. A digit cut short, or
    several read as one, is never called sure."""
    top = prediction.probabilities[prediction.digit]
    views = {"agreeing": prediction.agreeing, "views": len(prediction.readings)}
    if reading.cut_off:
        # However sure the model is, a digit cut short may be another one.
        st.warning(t("camera.cut_off", edges=text.edges(reading.cut_off, language())))
    elif reading.joined_digits:  # several digits read as one: whatever it says is a guess
        st.warning(t("camera.joined_digits"))
    elif prediction.sure:
        key = "camera.sure_all" if not prediction.other_readings else "camera.sure"
        st.success(t(key, probability=top, digit=prediction.digit, **views))
    elif not prediction.views_agree:
        others = ", ".join(str(d) for d in prediction.other_readings)
        st.warning(t("camera.views_split", digit=prediction.digit, others=others, **views))
    elif int(prediction.probabilities.argmax()) != prediction.digit:
        st.warning(t("camera.disagree"))
    else:
        runner_up = prediction.runner_up
        probability = prediction.probabilities[runner_up]
        st.warning(t("camera.not_sure", runner_up=runner_up, probability=probability))


def _answer(
    readings: tuple[Reading, ...], settings: model.TrainSettings, written: int | None
) -> tuple[Reading, model.Prediction]:
    classifier, probabilities_model = _prepare(settings)
    reading = model.most_readable(readings, classifier)
    prediction = model.predict(reading.views, classifier, probabilities_model)
    answer_column, chart_column = st.columns([1, 2])
    with answer_column:
        # The answer is the one thing the back row must read: draw it very large.
        st.html(ANSWER_STYLE)
        with st.container(key="answer"):
            st.metric(t("camera.answer_label"), prediction.digit)
        _how_sure(reading, prediction)
        if reading.another_digit:
            number = 1 + [step.name for step in reading.steps].index("separated")
            st.info(t("camera.another_digit", step=number))
        if reading.small:
            st.info(t("camera.small_digit"))
        st.caption(_model_note(settings))
    with chart_column:
        st.markdown(f"**{t('camera.chart_heading')}**")
        chart(
            figures.probability_figure(
                prediction.probabilities, prediction.digit, language(), written
            ),
            key="probabilities",
        )
        st.caption(t("camera.chart_caption"))
    if not settings.prepared:
        # The Train page starts at the notebook's settings: a visit alone makes its model
        # the one in use, and it reads photos less well than the camera model.
        st.info(t("camera.scanned_model"))
        st.button(
            t("camera.use_camera_model"),
            icon=":material/photo_camera:",
            on_click=use_model,
            args=(model.CAMERA_DEFAULTS,),
            key="use_camera_model",
        )
    return reading, prediction


def _steps(reading: Reading) -> None:
    st.subheader(t("camera.steps_heading"))
    for index, step in enumerate(reading.steps):
        if index % STEPS_PER_ROW == 0:
            columns = st.columns(STEPS_PER_ROW)
        picture(
            figures.picture_file(figures.step_picture(step.image)),
            columns[index % STEPS_PER_ROW],
            caption=f"{index + 1}. {t(f'photo.step.{step.caption}')}",
            width="stretch",
        )


def _turn_name(degrees: float) -> str:
    # Image rows run downwards: a positive angle turns the digit anticlockwise on screen.
    if degrees > 0:
        return t("camera.view_turn_anticlockwise", degrees=degrees)
    if degrees < 0:
        return t("camera.view_turn_clockwise", degrees=-degrees)
    return t("camera.view_turn_none")


def _width_name(width: int) -> str:
    if width < TARGET_WIDTH:
        return t("camera.view_narrow")
    return t("camera.view_wide") if width > TARGET_WIDTH else t("camera.view_usual")


def _views(reading: Reading, prediction: model.Prediction) -> None:
    st.subheader(t("camera.views_heading"))
    turns = [_turn_name(turn) for turn in VIEW_TURNS]
    widths = [_width_name(width) for width in VIEW_WIDTHS]
    pictures_column, text_column = st.columns([3, 2])
    text_column.write(t("camera.views_caption"))
    # Three across on a phone too: views are compared side by side.
    st.html(VIEWS_STYLE)
    grid = pictures_column.container(key="views")
    index = 0
    for turn in turns:
        row = grid.columns(len(widths), wrap=False)
        for column, width in zip(row, widths, strict=True):
            view = figures.view_picture(reading.views[index], chosen=index == prediction.view)
            picture(
                figures.picture_file(view),
                column,
                caption=f"{turn} · {width}: {prediction.readings[index]}",
                width="stretch",
            )
            index += 1


def _compare(reading: Reading, prediction: model.Prediction, written: int | None) -> None:
    """The grid the model saw beside training images of its answer; where the class said
    another digit was ``written``, beside training images of that one too."""
    digit = prediction.digit
    seen = reading.views[prediction.view].reshape(reading.grid.shape)
    if written is None or written == digit:
        st.subheader(t("camera.compare_heading", digit=digit), anchor=COMPARE_ANCHOR)
        st.caption(t("camera.compare_caption", digit=digit))
        shown = [digit]
    else:
        heading = t("camera.compare_heading_written", digit=digit, written=written)
        st.subheader(heading, anchor=COMPARE_ANCHOR)
        views = int(np.sum(prediction.readings == written))
        probability = prediction.probabilities[written]
        # "0%" would say the model ruled it out: it only gave it less than one in 200.
        chance = f"{probability:.0%}" if probability >= 0.005 else t("camera.under_one_percent")
        caption = t(
            "camera.compare_caption_written",
            digit=digit,
            written=written,
            chance=chance,
            views=views,
            n_views=len(prediction.readings),
        )
        st.caption(caption)
        shown = [digit, written]  # a row of each
    # Of the images the model reading the photo learned from.
    result = evaluation(model_settings())
    keys = ("compare", "grid", "examples")
    grid_beside_training(seen, result, shown, N_EXAMPLES // len(shown), keys)


def _photo_id(photo: bytes) -> str:
    return hashlib.sha256(photo).hexdigest()[:16]


def _number(photo_id: str) -> int:
    """Where a photo comes in the count, from 1; 0 if it is not counted."""
    marks = list(st.session_state.get(MARKS_KEY, {}))
    return marks.index(photo_id) + 1 if photo_id in marks else 0


def _written(photo_id: str) -> int | None:
    """The digit the class said was written in the photo, if it has said."""
    return st.session_state.get(MARKS_KEY, {}).get(photo_id, (None,))[0]


def _shown_kept() -> str | None:
    """The id of the counted photo on the page now, if one was chosen again."""
    source = st.session_state.get(SOURCE_KEY) or ""
    return source.removeprefix(KEPT_PREFIX) if source.startswith(KEPT_PREFIX) else None


def _keep(photo_id: str, kept: Kept | None) -> None:
    """Keep a counted photo (``kept``), or let it go (None). The oldest are let go when
    they add up to more than ``MAX_KEPT_BYTES``; never the one on the page."""
    store = st.session_state.setdefault(KEPT_KEY, {})
    if kept is None:
        if photo_id != _shown_kept():
            store.pop(photo_id, None)
        return
    store[photo_id] = kept
    total = sum(len(each.photo) for each in store.values())
    for old in list(store):
        if total <= MAX_KEPT_BYTES:
            break
        if old not in (photo_id, _shown_kept()):
            total -= len(store.pop(old).photo)


def _mark(photo_id: str, answer: int, notebook: int, photo: bytes, reading: Reading) -> None:
    written = st.session_state.get(f"written_{photo_id}")
    marks = st.session_state.setdefault(MARKS_KEY, {})
    if written is None:
        marks.pop(photo_id, None)
        _keep(photo_id, None)
    else:
        marks[photo_id] = (written, answer, notebook)
        small = figures.step_picture(reading.steps[0].image, KEPT_PICTURE)
        _keep(photo_id, Kept(photo, figures.picture_file(small)))


def _forget_marks() -> None:
    st.session_state[MARKS_KEY] = {}
    shown = _shown_kept()
    kept = st.session_state.get(KEPT_KEY, {})
    # The photo on the page stays on it; it is no longer counted.
    st.session_state[KEPT_KEY] = {shown: kept[shown]} if shown in kept else {}
    for key in [key for key in st.session_state if str(key).startswith("written_")]:
        del st.session_state[key]


def _tally(photo: bytes, photo_id: str, reading: Reading, answer: int, notebook: int) -> None:
    """Which digit was written, as the class says: the app's and the notebook's answers
    counted over this session's photos ("Try ten digits and count"), and the photos
    counted, each to be looked at again."""
    written = _written(photo_id)
    st.pills(
        t("camera.written_label"),
        options=range(10),
        default=written,
        key=f"written_{photo_id}",
        help=t("camera.written_help"),
        on_change=_mark,
        args=(photo_id, answer, notebook, photo, reading),
    )
    if written is not None and written != answer:
        st.markdown(
            t("camera.written_wrong", answer=answer, written=written, anchor=COMPARE_ANCHOR)
        )
    _count(photo_id)


def _count(shown: str | None = None) -> None:
    """The count so far, and the photos counted as tiles: a click reads one again. Under
    each, what this app read, red where that was not what was written. Shown with any
    photo, one that holds no digit too, and between photos (the camera cleared for the
    next): ``shown`` is the id of the photo on the page, if it was read."""
    marks = st.session_state.get(MARKS_KEY, {})
    # The class's count lives in this session only: a reload would start it again.
    ask_before_leaving(bool(marks))
    if not marks:
        return
    kept = st.session_state.get(KEPT_KEY, {})
    with row():
        for label, said in (("camera.tally_app", 1), ("camera.tally_notebook", 2)):
            right = sum(mark[0] == mark[said] for mark in marks.values())
            st.metric(t(label), t("camera.tally_value", right=right, n=len(marks)))
        st.button(t("camera.tally_reset"), on_click=_forget_marks, key="forget_marks")
        # The class's work, to keep: the file is made only when asked for, from the count
        # as it is now.
        photos = [
            count.Counted(
                number, *marks[photo_id], kept[photo_id].photo if photo_id in kept else None
            )
            for number, photo_id in enumerate(marks, start=1)
        ]
        st.download_button(
            t("camera.tally_download"),
            data=partial(count.archive, photos),
            file_name=count.FILE_NAME,
            mime="application/zip",
            on_click="ignore",
            icon=":material/download:",
            help=t("camera.tally_download_help", folder=count.PHOTOS),
            key="download_count",
        )
    # Numbered as in the count, which may hold more photos than are kept.
    counted = [(n, photo_id) for n, photo_id in enumerate(marks, start=1) if photo_id in kept]
    if not counted:
        return
    st.caption(t("camera.counted_caption"))
    tile = KEPT_TILE_PRESENTING if presenting() else KEPT_TILE
    with st.container(horizontal=True, gap="small", key="counted"):
        for number, photo_id in counted:
            written, answer, notebook = marks[photo_id]
            right, on_page = written == answer, photo_id == shown
            with st.container(width=tile, gap="small"):
                alt = t("camera.source_kept", number=number)
                picture(kept[photo_id].picture, width="stretch", alt=alt)
                st.button(
                    # The photo on the page is filled blue: red on it would not be seen.
                    f"{answer}" if right or on_page else f":red[**{answer}**]",
                    icon=":material/check:" if right else ":material/close:",
                    key=f"{KEPT_PREFIX}{photo_id}",
                    help=t(
                        "camera.counted_help",
                        number=number,
                        written=written,
                        answer=answer,
                        notebook=notebook,
                    ),
                    on_click=_choose,
                    args=(f"{KEPT_PREFIX}{photo_id}",),
                    type="primary" if on_page else "secondary",
                    width="stretch",
                )


def _notebook(grid, read: int, digit: int) -> None:
    """The same photo read the original notebook's way, for a class to compare."""
    st.subheader(t("camera.notebook_heading"))
    st.caption(t("camera.notebook_caption"))
    with grid_beside(grid, key="notebook", grid_key="notebook_grid"):
        st.metric(t("camera.notebook_label"), read)
        st.markdown(t("camera.notebook_why", digit=digit))


def camera_page() -> None:
    st.title(t("camera.title"))
    st.write(t("camera.intro"))
    refused_at = camera_refused_at(st.context.url)
    chosen = _inputs(refused_at)
    if chosen is None:
        # Right under the ways in, where it is seen: the first visitor after the server
        # starts waits here for the model, and a spinner at the page's foot is off screen.
        _prepare(model_settings())
        load_charts_ahead()
        if refused_at:
            st.info(t("camera.pick_one_no_camera"))
        elif st.session_state.get("camera_on"):
            st.info(t("camera.pick_one_camera_on"))
        else:
            st.info(t("camera.pick_one"))
        _count()
        _discussion()
        return
    description, photo = chosen
    photo_id = _photo_id(photo)
    written = _written(photo_id)
    st.divider()
    with st.container(key="reading"):
        st.caption(description)
        answered = _read(photo, written)
        into_view("reading")
    if answered is None:
        _count()
        return
    reading, prediction = answered
    grid, notebook = read_like_the_notebook(photo)
    _tally(photo, photo_id, reading, prediction.digit, notebook)
    _steps(reading)
    _views(reading, prediction)
    _compare(reading, prediction, written)
    _notebook(grid, notebook, prediction.digit)
    _discussion()


def _read(photo: bytes, written: int | None) -> tuple[Reading, model.Prediction] | None:
    """The answer for ``photo``; or, for a photo that cannot be read, why and what to try.
    ``written``: the digit the class said was written in it, if it has said."""
    try:
        with st.spinner(t("camera.reading_spinner")):
            readings = read_photo(photo)
    except PhotoError as error:
        if error.code == "failed":  # a fault of the pipeline's: its whole story, logged
            logging.getLogger(__name__).exception("Reading a photo failed")
        st.error(t(f"photo.error.{error.code}", **error.details))
        if error.code == "no_digit":
            st.info(f"**{t('camera.tips_heading')}**: {t('camera.tips')}")
            # A picture, with nothing in it the pipeline calls a digit: the notebook's
            # way has no such check, and always answers.
            _, guess = read_like_the_notebook(photo)
            st.caption(t("camera.notebook_guess", digit=guess))
        return None
    return _answer(readings, model_settings(), written)


def _discussion() -> None:
    notice("camera")
    st.subheader(t("camera.questions_heading"))
    st.markdown(t("camera.questions"))


camera_page()
