"""Overview page: what the digits data is, and that an image is just 64 numbers."""

from __future__ import annotations

import streamlit as st

from app_pages.common import (
    chart,
    digits,
    fitted,
    into_view,
    language,
    notice,
    row,
    side_by_side,
    t,
    whole,
)
from digits_core import data, figures

N_GALLERY = 12
CLOSER_WIDTH = 440  # pixels: a digit's 8x8 grid with its numbers, no larger
LINKED_KEY = "image_linked"  # whether the visit began at a link to one image (/?image=42)


def overview_page() -> None:
    dataset = digits()
    st.title(t("overview.title"))
    st.write(t("overview.intro"))

    with row():
        for label, value in (
            (t("overview.metric_images"), whole(len(dataset.target))),
            (t("overview.metric_pixels"), "8 × 8 = 64"),
            (t("overview.metric_values"), f"0 … {data.MAX_VALUE}"),
            (t("overview.metric_classes"), f"{data.N_CLASSES}"),
        ):
            st.metric(label, value, width="content")

    # Presenting, or in a narrow row, one above the other: side by side, the chart's ten
    # digits would be written over one another, the gallery's titles over its images.
    gallery_column, counts_column = side_by_side([3, 2], key="first_look", stack_below=500)
    with gallery_column:
        st.subheader(t("overview.gallery_heading"))
        titles = [t("overview.gallery_title", label=label) for label in dataset.target[:N_GALLERY]]
        fitted(figures.digit_gallery(dataset.images[:N_GALLERY], titles, n_cols=6), key="gallery")
    with counts_column:
        st.subheader(t("overview.counts_heading"))
        counts = figures.class_counts_figure(dataset.class_counts, language())
        chart(counts, key="counts")

    with st.container(key="closer_look"):
        _closer_look(dataset)
    # A visit that began at a link to one image (or a reload there) opens at that image.
    if st.session_state.setdefault(LINKED_KEY, "image" in st.query_params):
        into_view("closer_look", opening=True)

    notice("overview")


def _closer_look(dataset: data.Digits) -> None:
    st.subheader(t("overview.closer_heading"))
    pick_column, picture_column = st.columns([1, 2])
    index = pick_column.number_input(
        t("overview.closer_pick"),
        min_value=0,
        max_value=len(dataset.target) - 1,
        value=0,
        step=1,
        help=t("overview.closer_help"),
        key="image",
        bind="query-params",  # a link can open a chosen image: /?image=42
    )
    label = int(dataset.target[index])
    pick_column.write(t("overview.closer_label", index=index, label=label))
    numbers = figures.digit_numbers(dataset.images[index], language=language())
    fitted(numbers, key="closer", where=picture_column, max_width=CLOSER_WIDTH)


overview_page()
