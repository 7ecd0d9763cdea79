"""What every page shares: the language, the text catalogue, cached data and the model in use.

Fitted models are cached per server (``st.cache_resource``, read-only and shared by every
visitor), and kept on disk where they take seconds to train (``digits_core.cache``);
which settings *this* visitor chose lives in ``st.session_state``.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
import threading
from string import Template
from urllib.parse import urlsplit

import numpy as np
import streamlit as st
from sklearn.calibration import CalibratedClassifierCV

from digits_core import cache, data, figures, model, preprocess, samples, text
from digits_core.model import (
    CAMERA_DEFAULTS,
    Evaluation,
    TrainSettings,
    calibrate,
)
from digits_core.preprocess import Reading

SETTINGS_KEY = "model_settings"


LANGUAGE_BY_NAME = {name: code for code, name in text.LANGUAGES.items()}


def language() -> str:
    """The visitor's language. On a visit's first run the switch (:func:`frame_controls`)
    has not yet read it from the address, and the page's title and navigation come
    before it: they read the address themselves."""
    chosen = st.session_state.get("language")
    if chosen is None:
        chosen = LANGUAGE_BY_NAME.get(st.query_params.get("language"), text.DEFAULT_LANGUAGE)
    return chosen


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the visitor's language."""
    return text.t(key, language(), **values)


def whole(value: int) -> str:
    """A whole number as the visitor's language writes it: "1,797", "1.797"."""
    return text.whole_number(value, language())


def digits() -> data.Digits:
    """The digits, loaded once per process (read-only arrays: nothing to copy per rerun)."""
    return data.load()


@st.cache_resource(max_entries=64, show_spinner=False)
def evaluation(settings: TrainSettings) -> Evaluation:
    """The fitted model for ``settings``: trained once per server, then shared (read-only);
    one that takes seconds to train is kept on disk for the next start too (``cache``)."""
    return cache.evaluation(settings)


def on_phone() -> bool:
    """Whether the visitor's browser is a phone's: phones' browsers say "Mobi" in their
    user agent. (The server never learns how wide the screen is.)"""
    return "Mobi" in st.context.headers.get("User-Agent", "")


def gallery_columns(n_cols: int = 8) -> int:
    """Images to a row in a gallery: ``n_cols`` on a laptop; four on a phone, where eight
    would be too small to read and their titles run together."""
    return 4 if on_phone() else n_cols


@st.cache_resource(max_entries=64, show_spinner=False)
def _train_figures(settings: TrainSettings, language: str, n_cols: int) -> figures.TrainFigures:
    return figures.train_figures(evaluation(settings), digits().images, language, n_cols=n_cols)


def train_figures(settings: TrainSettings) -> figures.TrainFigures:
    """The Train page's pictures for ``settings``, drawn once per setting, language and
    gallery shape.

    In presentation mode the predictions come four to a row: titles in larger type need
    twice the room.
    """
    return _train_figures(settings, language(), gallery_columns(4 if presenting() else 8))


class _MapJob:
    """The gamma x C map, computed once per server in a thread of its own.

    It starts as soon as the first page has its model (:func:`sidebar`), so a class
    usually finds it ready on the Tune page; a visitor who arrives sooner watches its
    progress, as does anyone arriving meanwhile, instead of starting it again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.done, self.total = 0, len(model.GAMMA_STEPS)
        self.result: model.ParameterMap | None = None
        self.error: BaseException | None = None

    def start(self) -> threading.Thread:
        with self._lock:
            if self._thread is None or (self.error is not None and not self._thread.is_alive()):
                self.error, self.done = None, 0
                self._thread = threading.Thread(target=self._run, name="parameter-map", daemon=True)
                self._thread.start()
            return self._thread

    def _run(self) -> None:
        try:
            self.result = model.parameter_map(progress=self._progress)
        except BaseException as error:  # shown to whoever waits for it
            self.error = error

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total


@st.cache_resource(show_spinner=False)
def _map_job() -> _MapJob:
    return _MapJob()


def start_parameter_map() -> None:
    """Start computing the Tune page's map in the background, if nobody has yet."""
    _map_job().start()


def parameter_map(progress) -> model.ParameterMap:
    """The gamma x C map on the notebook's training half: computed once per server.

    Until it is ready, ``progress(done, total)`` is told how far it has got.
    """
    job = _map_job()
    thread = job.start()
    while thread.is_alive():
        progress(job.done, job.total)
        thread.join(timeout=0.25)
    if job.error is not None:
        raise job.error
    return job.result


def presenting() -> bool:
    return bool(st.session_state.get("presentation", False))


def clicked_point(key: str) -> dict | None:
    """The point last clicked on the chart drawn with ``key``, if any (for callbacks)."""
    event = st.session_state.get(key)
    points = event.selection.points if event and event.selection else []
    return points[0] if points else None


def chart(fig, where=st, **options):
    """``st.plotly_chart``, with larger fonts in presentation mode. Returns its event."""
    if presenting():
        fig = figures.enlarged(fig)
    return where.plotly_chart(fig, **options)


CHARTS_AHEAD = "charts_ahead"


def unseen(key: str):
    """A container never shown, taking no room on the page, for what works unseen."""
    container = st.container(key=key)
    # The container's wrapper too: else the page's gap between blocks stays.
    container.html(f"<style>:has(> .st-key-{key}){{display:none}}</style>")
    return container


def load_charts_ahead() -> None:
    """An empty chart, never seen: the browser loads the charts' code (Plotly's, several
    megabytes, once per tab) while a page with no chart yet is looked at. Else it is
    loaded after the first photo is read, and that answer's charts come a second later
    than its digit."""
    unseen(CHARTS_AHEAD).plotly_chart(figures.nothing(), config={"staticPlot": True})


UNSAVED_GUARD = "unsaved_guard"
# While ``window.digitsUnsaved`` holds, the browser asks before the tab is reloaded or
# closed. The listener is added once per tab; the flag is set on every run that draws it.
_GUARD_LISTENER = """
if (!window.digitsGuard) {
    window.digitsGuard = (event) => {
        if (window.digitsUnsaved) { event.preventDefault(); event.returnValue = ""; }
    };
    window.addEventListener("beforeunload", window.digitsGuard);
}"""


def ask_before_leaving(unsaved: bool) -> None:
    """While ``unsaved``, the browser asks ("Leave site?") before a reload or closing the
    tab would lose what this visitor's session holds and nothing else does: a reload
    starts a new session. Moving between the app's pages loses nothing and is not asked
    about."""
    flag = f"window.digitsUnsaved = {'true' if unsaved else 'false'};"
    unseen(UNSAVED_GUARD).html(
        f"<script>{flag}{_GUARD_LISTENER}</script>", unsafe_allow_javascript=True
    )


def fitted(fig, key: str, where=st, max_width: int | None = None, **options) -> None:
    """A picture (a gallery of digits, a digit's 8x8 grid) as tall as its width makes
    it: it fills its chart whatever the room (a phone, a 1024-pixel projector,
    presentation mode), with no blank band above or below. (The server never learns the
    width: the browser keeps the shape.) ``max_width``: in pixels, for a picture that
    would be too large with the page's whole width. No toolbar: nothing to zoom, and it
    would cover a gallery's first titles. ``options``: for ``st.plotly_chart``."""
    frame = f"{key}_frame"
    # min-height 0: else the frame, a flex item, stays as tall as the chart is before it
    # is fitted (400 px), whatever its width.
    shape = f"aspect-ratio:{figures.picture_aspect(fig):.4f};min-height:0"
    widest = f";max-width:{max_width}px" if max_width else ""
    where.html(f"<style>.st-key-{frame}{{{shape}{widest}}}</style>")
    with where.container(key=frame):
        chart(fig, key=key, height="stretch", config={"displayModeBar": False}, **options)


# An 8x8 grid with its numbers beside something twice as wide: side by side only where
# the grid gets a third of at least this many pixels, so that "14" beside "15" never
# reads "1415" (a 1024-pixel projector with the sidebar open puts it below instead).
GRID_ROW = 720
GRID_WIDTH = 400  # pixels: no larger where it gets the row's whole width, below the text


def grid_beside(grid, key: str, grid_key: str, bright_ink: bool = True):
    """An 8x8 grid with its numbers, fitted to a third of a row keyed ``key`` (above the
    rest where the row is too narrow); returns the column for what it is compared with."""
    grid_column, beside = side_by_side([1, 2], key=key, stack_below=GRID_ROW, presenting_too=True)
    numbers = figures.digit_numbers(grid, bright_ink=bright_ink, language=language())
    fitted(numbers, key=grid_key, where=grid_column, max_width=GRID_WIDTH)
    return beside


def grid_beside_training(
    grid,
    result: Evaluation,
    shown: list[int],
    each: int,
    keys: tuple[str, str, str],
    bright_ink: bool = True,
) -> None:
    """An 8x8 grid with its numbers (:func:`grid_beside`) beside training images to
    compare it with: for each digit in ``shown``, a row of the first ``each`` that
    ``result``'s model learned from, labelled. ``keys``: the row's, the grid's and the
    training images' elements."""
    row_key, grid_key, images_key = keys
    beside = grid_beside(grid, row_key, grid_key, bright_ink)
    dataset = digits()
    trained_on = np.setdiff1d(np.arange(len(dataset.target)), result.test_index)
    rows = [trained_on[dataset.target[trained_on] == digit][:each] for digit in shown]
    titles = [str(digit) for digit in shown for _ in range(each)]  # as on the data page
    images = dataset.images[np.concatenate(rows)]
    examples = figures.digit_gallery(images, titles, n_cols=4, bright_ink=bright_ink)
    fitted(examples, key=images_key, where=beside)


SHOWN_KEY = "shown"  # element key -> how many times it was asked to come into view
SESSION_TOKEN_KEY = "session_token"  # tells this session's askings from an earlier one's

# What a click adds far down the page (a photo's answer, below the ways in that fill a
# projector's or a phone's first screen; the camera's "Take Photo" button) would come in
# out of sight, with nothing seen to change. Each is scrolled into view when asked for,
# as little as shows it whole below Streamlit's header (its top, if taller than the
# screen). Streamlit runs the script again only when its text changes: never when the
# page is redrawn for anything else. It is followed for a few seconds as it is drawn (the
# camera's picture comes once the browser allows it, and changes its height), unless
# someone scrolls meanwhile. Drawn again when the page is opened again from another one,
# it was not asked for again: the page opens at its top, as any does.
INTO_VIEW_SCRIPT = Template("""<script>/* $times */ (() => {
  const target = document.querySelector(".st-key-$key");
  if (!target) return;
  const asked = (window.digitsIntoView ??= {});
  if (asked["$session $key"] === $times) return;
  asked["$session $key"] = $times;
  window.digitsStopFollowing?.();
  const behavior = matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  let moved = false;
  const show = () => {
    const box = target.getBoundingClientRect();
    // The camera's picture is drawn at its own size (1280 wide) before it is fitted.
    const video = target.querySelector("video")?.getBoundingClientRect();
    if (video && (video.height === 0 || video.width > box.width + 1)) return;
    const header = document.querySelector("[data-testid=stHeader]");
    const top = header ? header.getBoundingClientRect().bottom : 0;
    const bottom = innerHeight - 16;  // a little room below it
    if (box.height === 0 || (!moved && box.top >= top && box.bottom <= bottom)) return;
    moved = true;
    target.style.scrollMargin = `$${top}px 0 16px`;
    const block = box.height > bottom - top ? "start" : "end";
    target.scrollIntoView({block, behavior});
  };
  const follow = new ResizeObserver(show);
  const stop = () => follow.disconnect();
  for (const event of ["wheel", "touchmove", "keydown"])
    addEventListener(event, stop, {once: true, passive: true});
  window.digitsStopFollowing = stop;
  follow.observe(target);
  // Asked for on a page just opened: as what comes above it is drawn (charts take their
  // height late), it would move down out of view.
  const page = document.querySelector("[data-testid=stMainBlockContainer]");
  if ($opening && page) follow.observe(page);
  setTimeout(stop, 10000);
})();</script>""")


def show(key: str) -> None:
    """Ask for the element keyed ``key`` to be scrolled into view (see :func:`into_view`)."""
    shown = st.session_state.setdefault(SHOWN_KEY, {})
    shown[key] = shown.get(key, 0) + 1


def into_view(key: str, where=st, opening: bool = False) -> None:
    """Scroll the element keyed ``key`` into view when it is first drawn, and again each
    time :func:`show` asks; not when the page is opened again with it on. ``opening``:
    the page is being opened at it (a link), so it is kept in view while everything above
    it is drawn too."""
    times = st.session_state.get(SHOWN_KEY, {}).get(key, 0)
    # A tab keeps its window when the server starts a new session (after a restart).
    session = st.session_state.setdefault(SESSION_TOKEN_KEY, secrets.token_hex(8))
    script = INTO_VIEW_SCRIPT.substitute(
        key=key, times=times, session=session, opening=str(opening).lower()
    )
    where.html(script, unsafe_allow_javascript=True)


# Figures are built once per setting and language and shared (read-only): a rerun only
# sends them again.
@st.cache_resource(max_entries=64, show_spinner=False)
def map_chart(_pmap: model.ParameterMap, gamma: float, C: float, language: str):
    return figures.map_figure(_pmap, (gamma, C), language)


@st.cache_resource(max_entries=64, show_spinner=False)
def curve_chart(_pmap: model.ParameterMap, gamma: float, C: float, language: str):
    return figures.validation_figure(_pmap.curve(C), gamma, language)


@st.cache_resource(max_entries=64, show_spinner=False)
def _mistakes_chart(
    settings: TrainSettings,
    pair: tuple[int, int] | None,
    language: str,
    n_cols: int,
):
    return figures.mistakes_gallery(
        evaluation(settings), digits().images, pair, language, n_cols=n_cols
    )


def mistakes_chart(settings: TrainSettings, pair: tuple[int, int] | None):
    """The Train page's mistakes (all, or one pair), drawn once per setting, pair,
    language and gallery shape.

    In presentation mode they come six to a row: eight, on a 1024-pixel projector, left
    their titles ("3 → 8", in larger type) touching each other and the images."""
    return _mistakes_chart(settings, pair, language(), gallery_columns(6 if presenting() else 8))


def notice(page: str) -> None:
    """The page's "what to notice" panel for a class."""
    with st.expander(t(f"{page}.notice_heading"), icon=":material/lightbulb:"):
        st.markdown(t(f"{page}.notice"))


def chosen_settings() -> TrainSettings | None:
    """The settings this visitor chose on the Train page, if any."""
    return st.session_state.get(SETTINGS_KEY)


def model_settings() -> TrainSettings:
    """The settings of the model this visitor uses: the Train page's, else the camera's."""
    return chosen_settings() or CAMERA_DEFAULTS


@st.cache_resource(max_entries=16, show_spinner=False)
def calibrated(settings: TrainSettings) -> CalibratedClassifierCV:
    """The model for ``settings`` with calibrated probabilities (shared, read-only)."""
    return calibrate(evaluation(settings))


# A reading keeps its step pictures, about 1.6 MB; a dark photo has two readings.
@st.cache_data(max_entries=32, show_spinner=False)
def read_photo(data: bytes) -> tuple[Reading, ...]:
    """The pipeline's possible readings of a photo, once per distinct photo."""
    return preprocess.possible_readings(data)


@st.cache_data(max_entries=32, show_spinner=False)
def read_like_the_notebook(data: bytes) -> tuple[np.ndarray, int]:
    """The photo read the original notebook's way: (its 8x8 grid, what its model says),
    once per distinct photo (each click under the answer reruns the page)."""
    return model.read_like_the_notebook(data, evaluation(model.NOTEBOOK).classifier)


@st.cache_data(show_spinner=False)
def sample_photos() -> list[bytes]:
    """The ten sample photos, one per digit."""
    return [samples.sample_photo(digit) for digit in range(10)]


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def picture(file: bytes, where=st, **options) -> None:
    """``st.image`` of a picture file (``figures.picture_file``, ``figures.thumbnail``),
    sent as it is. Streamlit is told its format: else it sends a PNG without
    transparency as a JPEG it makes again, and a drawing loses its exact pixels."""
    image_format = "PNG" if file.startswith(PNG_SIGNATURE) else "JPEG"
    where.image(file, output_format=image_format, **options)


@st.cache_data(show_spinner=False)
def sample_tiles(width: int) -> list[bytes]:
    """The ten sample photos made ``width`` pixels wide, for the tiles they are chosen on."""
    return [figures.thumbnail(photo, width) for photo in sample_photos()]


def row(**options):
    """A row whose elements are each as wide as they need and wrap onto another line
    when the room runs out (a narrow window, presentation mode's larger type), so no
    label or number is ever cut short."""
    layout = {"gap": "medium", "vertical_alignment": "bottom"} | options
    return st.container(horizontal=True, **layout)


def side_by_side(
    widths: list[float], key: str | None = None, stack_below: int = 0, presenting_too: bool = False
) -> list:
    """Columns of these relative widths; in presentation mode, one above the other, as
    its larger type needs the page's whole width (unless ``presenting_too``: pictures,
    whose size does not change, stay side by side where the row has room).

    With a ``key``, they are also stacked wherever their row is narrower than
    ``stack_below`` pixels (a small window, a 1024-pixel projector with the sidebar
    open): a container query, so it follows the room the row has, not the screen's size.
    """
    if presenting() and not presenting_too:
        return [st.container() for _ in widths]
    if key is None:
        return st.columns(widths)
    st.html(
        f"<style>.st-key-{key}{{container-type:inline-size}}"
        f"@container (max-width:{stack_below}px)"
        f"{{.st-key-{key} .stColumn{{min-width:100% !important}}}}</style>"
    )
    return st.container(key=key).columns(widths)


def camera_refused_at(url: str | None) -> str | None:
    """The address (``scheme://host:port``) of a page at ``url`` whose browser refuses
    the camera, or None where it allows it: cameras work only in a secure context, an
    ``https://`` address or the computer the app runs on (``localhost``, ``127.x.x.x``,
    ``[::1]``). A class served over plain http on a local network
    (``http://192.168.1.20:8501``) gets none. An unknown address is not refused."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:  # not an address ("http://[::1"): unknown
        return None
    if parts.scheme != "http":
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:  # a name, not an address
        pass
    return f"{parts.scheme}://{parts.netloc}"


# The whole-number inputs kept in the page's address: the data page's image, the seed.
WHOLE_NUMBER_KEYS = ("image", "seed")


def drop_unreadable_numbers(page) -> None:
    """Open ``page`` (the one being run) again without a value for a whole-number input
    that is no finite number (``?seed=inf``, ``?image=1e400``). Streamlit drops any other
    value it cannot read from the address, but on these it fails (an OverflowError it
    does not catch) as the input is drawn."""
    unreadable = [key for key in WHOLE_NUMBER_KEYS if not _finite(st.query_params.get(key))]
    if unreadable:
        kept = {k: v for k, v in st.query_params.to_dict().items() if k not in unreadable}
        st.switch_page(page, query_params=kept)


def _finite(value: str | None) -> bool:
    try:
        return value is None or math.isfinite(float(value))
    except ValueError:  # no number at all: Streamlit drops it itself
        return True


def use_model(settings: TrainSettings) -> None:
    st.session_state[SETTINGS_KEY] = settings


# Streamlit sizes text and widgets in rem: a larger root font enlarges them all.
PRESENTATION_STYLE = "<style>html{font-size:21px}</style>"


def frame_controls() -> None:
    """The sidebar's language switch and presentation mode, kept across pages and in the
    page's address (``?language=Tiếng+Việt&presentation=true``): a reload keeps them, and
    a link opens with them. Values the switches do not offer are ignored."""
    with st.sidebar:
        st.selectbox(
            t("app.language"),
            options=list(text.LANGUAGES),
            format_func=text.LANGUAGES.get,
            key="language",
            bind="query-params",
        )
        st.toggle(
            t("app.presentation"),
            help=t("app.presentation_help"),
            key="presentation",
            bind="query-params",
        )
    if presenting():
        st.html(PRESENTATION_STYLE)


def model_spinner():
    """The spinner shown while the model in use is built (once per server, or read back
    from disk), counting the seconds."""
    return st.spinner(t("camera.model_spinner"), show_time=True)


def sidebar() -> None:
    """The sidebar every page shows: which model is in use."""
    settings = model_settings()
    with st.sidebar:
        st.subheader(t("sidebar.model_heading"))
        with model_spinner():
            result = evaluation(settings)
    # The model is ready: the Tune page's map is next, while this page is being read.
    start_parameter_map()
    with st.sidebar:
        st.markdown(t("sidebar.model_summary", gamma=settings.gamma, C=settings.C))
        if settings.prepared:
            st.caption(t("sidebar.model_prepared"))
        st.caption(
            t("sidebar.model_accuracy", accuracy=result.test_accuracy, n_test=len(result.y_test))
        )
        st.caption(t("sidebar.model_hint"))
