"""Train page: gamma and C sliders, the grades, the confusion matrix, the report."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages.common import (
    chart,
    chosen_settings,
    clicked_point,
    digits,
    evaluation,
    fitted,
    grid_beside_training,
    into_view,
    mistakes_chart,
    notice,
    row,
    show,
    side_by_side,
    t,
    train_figures,
    use_model,
    whole,
)
from digits_core import figures, model

PAGES = Path(__file__).parent
SEED_WIDTH = 110  # pixels: room for a few digits and the +/- buttons
SLIDERS_KEY = "train_sliders"  # the settings the sliders stood at when the page last ran
PAIR_KEY = "mistake_pair"  # which mistakes the gallery shows: None for all, or (true, pred)
CLOSER_KEY = "mistake_closer"  # (settings, position in the test set) of a mistake clicked
N_EXAMPLES = 4  # training images of each digit beside a mistake looked at closer


def _mistake_clicked() -> None:
    # Runs before the page: a clicked image of the mistakes is looked at closer.
    point = clicked_point("mistakes")
    if point:
        st.session_state[CLOSER_KEY] = (chosen_settings(), figures.clicked_mistake(point))
        show(CLOSER_KEY)


def _cell_clicked() -> None:
    # Runs before the page: a clicked confusion-matrix cell chooses the mistakes shown.
    point = clicked_point("confusion")
    if point:
        true, predicted = figures.clicked_cell(point)
        st.session_state[PAIR_KEY] = (true, predicted) if true != predicted else None


SETTING_KEYS = ("gamma", "C", "test_size", "shuffle", "seed", "prepared")


def _set_widgets(settings: model.TrainSettings) -> None:
    for key in SETTING_KEYS:
        st.session_state[key] = getattr(settings, key)


def _bound(key: str) -> dict:
    """A setting kept in the page's address (``/train?gamma=0.01&C=10``), so a reload
    keeps it and a link opens with it. Its default is the notebook's: Streamlit leaves a
    default out of the address, and a setting the address leaves out is the notebook's."""
    return {"value": getattr(model.TrainSettings(), key), "bind": "query-params"}


def _log_slider(column, key: str, steps: list[float]) -> float:
    """A slider over round values on a log scale (1, 2, 5, 10, ...), shown as numbers."""
    return column.select_slider(
        t(f"train.{key}"),
        options=steps,
        format_func=lambda value: f"{value:g}",
        help=t(f"train.{key}_help"),
        key=key,
        **_bound(key),
    )


def _settings_widgets() -> model.TrainSettings:
    chosen = chosen_settings()
    if chosen is not None and chosen != st.session_state.get(SLIDERS_KEY):
        # The model in use was changed on another page (the Tune page's map, the Camera
        # page's button): the sliders go where it stands.
        _set_widgets(chosen)
    for key in SETTING_KEYS:
        # Until this visitor chooses, the notebook's settings. A value in the page's
        # address (a reload, a link) is the widget's own: Streamlit reads it, and drops
        # it if the widget does not offer it.
        if key not in st.query_params:
            st.session_state.setdefault(key, getattr(chosen or model.TrainSettings(), key))

    with st.container(border=True):
        gamma_column, c_column, size_column = st.columns([1.1, 1.1, 1])
        gamma = _log_slider(gamma_column, "gamma", model.GAMMA_STEPS)
        C = _log_slider(c_column, "C", model.C_STEPS)
        test_size = size_column.slider(
            t("train.test_size"),
            min_value=model.TEST_SIZE_RANGE[0],
            max_value=model.TEST_SIZE_RANGE[1],
            step=0.05,
            format="%.2f",
            help=t("train.test_size_help"),
            key="test_size",
            **_bound("test_size"),
        )
        below = row(horizontal_alignment="distribute", vertical_alignment="center")
        switches = below.container(horizontal=True, vertical_alignment="center", width="content")
        buttons = below.container(horizontal=True, vertical_alignment="center", width="content")
        prepared = switches.toggle(
            t("train.prepared"), help=t("train.prepared_help"), key="prepared", **_bound("prepared")
        )
        shuffle = switches.toggle(
            t("train.shuffle"), help=t("train.shuffle_help"), key="shuffle", **_bound("shuffle")
        )
        seed = switches.number_input(
            t("train.seed"),
            min_value=0,
            max_value=model.MAX_SEED,
            step=1,
            disabled=not shuffle,
            help=t("train.seed_help"),
            key="seed",
            **_bound("seed"),
            width=SEED_WIDTH,
        )
        # Callbacks run before the page is drawn again: they may set the widgets above.
        buttons.button(
            t("train.reset"),
            icon=":material/restart_alt:",
            on_click=_set_widgets,
            args=(model.TrainSettings(),),
            help=t("train.reset_help"),
            key="reset",
        )
        buttons.button(
            t("train.camera_defaults"),
            icon=":material/photo_camera:",
            on_click=_set_widgets,
            args=(model.CAMERA_DEFAULTS,),
            help=t("train.camera_defaults_help"),
            key="camera_defaults",
        )
    return model.TrainSettings(gamma, C, test_size, shuffle, int(seed), prepared)


def _grades(result: model.Evaluation) -> None:
    milliseconds = whole(round(result.fit_seconds * 1000))
    grades = (
        ("test_accuracy", f"{result.test_accuracy:.1%}", t("train.test_accuracy_help")),
        ("train_accuracy", f"{result.train_accuracy:.1%}", t("train.train_accuracy_help")),
        ("support_vectors", whole(result.n_support), t("train.support_vectors_help")),
        ("fit_time", t("train.fit_time_value", milliseconds=milliseconds), None),
    )
    with row():
        for name, value, explained in grades:
            st.metric(t(f"train.{name}"), value, help=explained, width="content")
    verdict = model.diagnose(result)
    if verdict == "overfit":
        st.warning(
            t("train.overfit_warning", train=result.train_accuracy, test=result.test_accuracy)
        )
    elif verdict == "underfit":
        st.warning(t("train.underfit_warning", train=result.train_accuracy))


def train_page() -> None:
    st.title(t("train.title"))
    st.write(t("train.intro"))
    try:
        settings = _settings_widgets()
    except ValueError as error:
        st.error(t("train.bad_settings", error=error))
        return
    spinner = "train.training_spinner_prepared" if settings.prepared else "train.training_spinner"
    with st.spinner(t(spinner), show_time=True):
        result = evaluation(settings)
    use_model(settings)
    st.session_state[SLIDERS_KEY] = settings
    _grades(result)

    pictures = train_figures(settings)
    matrix_column, report_column = side_by_side([3, 2], key="matrix_report", stack_below=700)
    with matrix_column:
        st.subheader(t("train.confusion_heading"))
        st.caption(t("train.confusion_caption"))
        chart(
            pictures.confusion,
            key="confusion",
            on_select=_cell_clicked,
            selection_mode="points",
        )
    with report_column:
        st.subheader(t("train.report_heading"))
        st.caption(t("train.report_caption"))
        st.table(pictures.report)

    st.subheader(t("train.predictions_heading"))
    st.caption(t("train.predictions_caption"))
    fitted(pictures.predictions, key="predictions")
    _mistakes(result)
    st.page_link(PAGES / "tune.py", label=t("train.to_tune"), icon=":material/tune:")
    notice("train")


def _mistakes(result: model.Evaluation) -> None:
    st.subheader(t("train.mistakes_heading"))
    pairs = model.mistake_pairs(result)
    if not pairs:
        st.info(t("train.mistakes_none"))
        return
    st.caption(t("train.mistakes_caption"))
    options = [None, *pairs]
    if st.session_state.get(PAIR_KEY) not in options:
        st.session_state[PAIR_KEY] = None

    def label(pair: tuple[int, int] | None) -> str:
        if pair is None:
            return t("train.mistakes_all", count=sum(pairs.values()))
        return t("train.mistakes_pair", true=pair[0], predicted=pair[1], count=pairs[pair])

    pair = st.selectbox(t("train.mistakes_filter"), options, format_func=label, key=PAIR_KEY)
    fitted(
        mistakes_chart(result.settings, pair),
        key="mistakes",
        on_select=_mistake_clicked,
        selection_mode="points",
    )
    closer = st.session_state.get(CLOSER_KEY)
    if closer and closer[0] == result.settings:
        position = closer[1]
        if position in model.mistakes(result, *(pair or (None, None))):
            _closer(result, position)


def _closer(result: model.Evaluation, position: int) -> None:
    """A test image read wrong, its 64 numbers beside training images of the digit it is
    and of the digit the model said: which is it more like?"""
    true, said = int(result.y_test[position]), int(result.y_pred[position])
    index = int(result.test_index[position])  # as the data page numbers it
    with st.container(key=CLOSER_KEY):
        st.subheader(t("train.closer_heading", index=index, true=true, predicted=said))
        st.caption(t("train.closer_caption", true=true, predicted=said))
        keys = ("closer_row", "closer_grid", "closer_examples")
        grid = digits().images[index]
        grid_beside_training(grid, result, [true, said], N_EXAMPLES, keys, bright_ink=False)
    into_view(CLOSER_KEY)


train_page()
