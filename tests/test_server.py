"""The real server: ``streamlit run streamlit_app.py`` starts, answers, and stops."""

import urllib.request

import pytest

from tests.server import healthy, running_app

pytestmark = pytest.mark.server


def test_real_server_starts_answers_and_stops():
    with running_app() as url:
        assert healthy(url)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
            assert b"<noscript>" in response.read()
    assert not healthy(url)
