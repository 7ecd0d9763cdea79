from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from digits_core import cache

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "streamlit_app.py")


@pytest.fixture(scope="session", autouse=True)
def kept_models(tmp_path_factory):
    """Models the tests build are kept (``digits_core.cache``) in a folder of this run's
    own, never the user's: built once for every page, server and command line the tests
    run. A test of a first start gives its server or command a new, empty folder."""
    folder = tmp_path_factory.mktemp("kept_models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.FOLDER_VARIABLE, str(folder))
        yield folder


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
