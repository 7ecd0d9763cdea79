"""The app's frame: page config, navigation and the shared sidebar. Pages do the work."""

from pathlib import Path

import streamlit as st

from app_pages.common import drop_unreadable_numbers, frame_controls, sidebar, t

PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title=t("app.title"), page_icon=t("app.icon"), layout="wide")
page = st.navigation(
    [
        st.Page(
            PAGES / "overview.py", title=t("nav.overview"), icon=":material/grid_on:", default=True
        ),
        st.Page(PAGES / "train.py", title=t("nav.train"), icon=":material/model_training:"),
        st.Page(PAGES / "tune.py", title=t("nav.tune"), icon=":material/tune:"),
        st.Page(PAGES / "camera.py", title=t("nav.camera"), icon=":material/photo_camera:"),
    ]
)
drop_unreadable_numbers(page)
frame_controls()
# Less empty space above the title: on a 720-pixel projector every line counts. A heading
# that wraps wraps into lines of about the same length: never a last word (the digit in
# "...training images of a 2") alone on a line of its own. Captions and tables' headers
# are a darker gray than Streamlit's (7:1 against the page or more, not 4.5:1): a
# projector washes out light gray, and the captions say why each step is there.
st.html(
    "<style>[data-testid=stMainBlockContainer]{padding-top:2.5rem}"
    "h1,h2,h3{text-wrap:balance}"
    "[data-testid=stCaptionContainer]{opacity:.8}"
    "[data-testid=stTable] th,[data-testid=stFileUploaderDropzoneInstructions] span"
    "{color:inherit}</style>"
)
page.run()
sidebar()
