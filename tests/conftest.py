from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "streamlit_app.py")


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
