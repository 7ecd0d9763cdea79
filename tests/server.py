"""Start the real app with ``streamlit run`` on a free port, and always stop it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def streamlit_command(script: str, port: int, headless: bool = True) -> list[str]:
    """``streamlit run script`` (``script="hello"``: ``streamlit hello``) on ``port`` of
    127.0.0.1. ``headless=False``: as on a desktop, where Streamlit opens a browser."""
    verb = ["hello"] if script == "hello" else ["run", script]
    return [
        sys.executable, "-m", "streamlit", *verb,
        f"--server.headless={str(headless).lower()}", f"--server.port={port}",
        "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]  # fmt: skip


@contextlib.contextmanager
def running_app(
    script: str = "streamlit_app.py", timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``streamlit run script`` headless; yield its URL once /_stcore/health says ok.

    ``script="hello"`` runs Streamlit's own demo app (``streamlit hello``) instead.
    ``env``: environment variables for the server, besides this process's.
    """
    with running_server(script, timeout, env) as (url, _):
        yield url


@contextlib.contextmanager
def running_server(
    script: str = "streamlit_app.py", timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As :func:`running_app`, yielding the server's process too."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = streamlit_command(script, port)
    log = _log_path(url)
    log.parent.mkdir(exist_ok=True)
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=os.environ | (env or {})
        )
        try:
            deadline = time.monotonic() + timeout
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; its output:\n{log.read_text()}")
                time.sleep(0.25)
            yield url, process
        finally:
            stop(process)


def _log_path(url: str) -> Path:
    return ROOT / ".pytest_cache" / f"streamlit-{urlsplit(url).port}.log"


def server_output(url: str) -> str:
    """What the server at ``url``, started here, has written to its terminal so far."""
    return _log_path(url).read_text(encoding="utf-8", errors="replace")


def stop(process: subprocess.Popen) -> None:
    """Ask a server to stop; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
