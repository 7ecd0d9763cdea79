import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from digits_core import cache, model

try:
    import fcntl
except ImportError:  # Windows: workers that start together may each build the model
    fcntl = None

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "streamlit_app.py")


@pytest.fixture(scope="session", autouse=True)
def kept_models(tmp_path_factory):
    """Models the tests build are kept (``digits_core.cache``) in a folder of this run's
    own, never the user's: built once for every page, server and command line the tests
    run. The tests run in two processes (pytest-xdist, a test file to a process), which
    share the folder, the camera model built by one of them before the first test. A
    test of a first start gives its server or command a new, empty folder."""
    shared = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    if shared:
        folder = tmp_path_factory.getbasetemp().parent / "kept_models"
        folder.mkdir(exist_ok=True)
    else:  # one process (-n 0): each model built when a test first needs it
        folder = tmp_path_factory.mktemp("kept_models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.FOLDER_VARIABLE, str(folder))
        if shared:
            with _alone(folder / "building.lock"):  # the other reads it, once built
                cache.evaluation(model.CAMERA_DEFAULTS)
        yield folder


@contextlib.contextmanager
def _alone(lock: Path) -> Iterator[None]:
    """While no other process of this run is inside the same ``lock``."""
    with open(lock, "a") as file:
        if fcntl is not None:
            fcntl.flock(file, fcntl.LOCK_EX)
        yield


@pytest.fixture
def app():
    """The whole app (navigation and sidebar included), run once on its default page."""
    return opened_at_link({})


def opened_at_link(params: dict[str, str], page: str | None = None) -> AppTest:
    """The whole app run once as a link opens it: ``params`` in its address, at ``page``
    (its default page if None)."""
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.query_params.update(params)
    if page is not None:
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at
