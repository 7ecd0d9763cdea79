"""Tune page: every gamma and C at once, and the validation curve, for the model in use."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from app_pages.common import (
    chart,
    chosen_settings,
    clicked_point,
    curve_chart,
    evaluation,
    language,
    map_chart,
    notice,
    parameter_map,
    row,
    t,
    use_model,
)
from digits_core import figures, model

PAGES = Path(__file__).parent
# Where the map is too narrow for its cells' numbers (a phone), they would run together:
# the colours, and a tap on a cell, tell instead. The numbers need 15 pixels a column,
# 16 columns; the axes and the colour bar take about 11.5rem (more in presentation mode).
MAP_STYLE = (
    "<style>.st-key-parameter_map{container-type:inline-size}"
    "@container (max-width:calc(11.5rem + 240px))"
    "{.st-key-parameter_map .heatmap-label{display:none}}</style>"
)


def _current() -> model.TrainSettings:
    # The Train page's sliders, or the notebook's settings before they are touched.
    return chosen_settings() or model.TrainSettings()


def _map_clicked() -> None:
    # Runs before the page: a clicked cell becomes the model in use, so the Train
    # page's sliders stand there too.
    point = clicked_point("parameter_map")
    if point:
        gamma, C = figures.clicked_values(point)
        gamma = model.nearest_step(gamma, model.GAMMA_STEPS)
        C = model.nearest_step(C, model.C_STEPS)
        use_model(replace(_current(), gamma=gamma, C=C))


def _parameter_map() -> model.ParameterMap:
    """The map behind both pictures; a progress bar while it is first computed."""
    bar = st.progress(0.0)

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("train.map_progress", done=done, total=total))

    pmap = parameter_map(progress)
    bar.empty()
    return pmap


def tune_page() -> None:
    st.title(t("tune.title"))
    st.write(t("tune.intro"))
    settings = _current()
    st.caption(t("tune.sliders_now"))
    with row():
        for name, value in (
            ("gamma", f"{settings.gamma:g}"),
            ("C", f"{settings.C:g}"),
            ("test_accuracy", f"{evaluation(settings).test_accuracy:.1%}"),
        ):
            st.metric(t(f"train.{name}"), value, width="content")
        st.page_link(
            PAGES / "train.py",
            label=t("tune.to_train"),
            icon=":material/model_training:",
            width="content",
        )

    pmap = _parameter_map()
    st.subheader(t("train.map_heading"))
    st.caption(t("train.map_caption"))
    st.html(MAP_STYLE)
    chart(
        map_chart(pmap, settings.gamma, settings.C, language()),
        key="parameter_map",
        on_select=_map_clicked,
        selection_mode="points",
        # Cells are clicked, not zoomed: a toolbar would only cover the map's title (on
        # a phone, always).
        config={"displayModeBar": False},
    )
    st.subheader(t("train.curve_heading"))
    chart(curve_chart(pmap, settings.gamma, settings.C, language()), key="curve")
    st.caption(t("train.curve_caption"))
    st.info(t("train.curve_gap", best=pmap.curve(settings.C).best_gamma))
    notice("tune")


tune_page()
