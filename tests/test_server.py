"""The real server: ``streamlit run streamlit_app.py`` starts, answers, and stops."""

import os
import select
import subprocess
import time
import urllib.request

import pytest

from tests.server import ROOT, free_port, healthy, running_app, stop, streamlit_command

pytestmark = pytest.mark.server


def test_real_server_starts_answers_and_stops():
    with running_app() as url:
        assert healthy(url)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
            assert b"<noscript>" in response.read()
    assert not healthy(url)


def test_a_first_run_in_a_terminal_serves_the_app_without_a_question(tmp_path):
    """The README's command typed into a terminal on a desktop, on a machine that has
    never run Streamlit (an empty home folder): the app is served straight away. Out of
    the box, Streamlit first asks for an email address there and serves nothing until
    someone answers."""
    pty = pytest.importorskip("pty", reason="a terminal is made with pty, on Linux and macOS")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = streamlit_command("streamlit_app.py", port, headless=False)
    # The browser it opens is `true`: nothing appears.
    env = {**os.environ, "HOME": str(tmp_path), "BROWSER": "true"}
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    shown = bytearray()
    try:
        deadline = time.monotonic() + 60
        while not healthy(url) and process.poll() is None and time.monotonic() < deadline:
            if select.select([controller], [], [], 0.25)[0]:
                try:
                    shown += os.read(controller, 4096)
                except OSError:  # the server has exited: the terminal is closed
                    break
        text = shown.decode(errors="replace")
        assert healthy(url), f"no app served; the terminal shows:\n{text}"
        assert "Email" not in text
    finally:
        stop(process)
        os.close(controller)
