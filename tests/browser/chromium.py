"""Headless Chromium from Debian's package, driven by Playwright, kept off the network."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = os.environ.get("DIGITS_CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 720}  # a projector
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
]


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    return None


def fake_camera_flags(video: Path) -> list[str]:
    """Flags that make Chromium's camera show ``video`` (a .y4m file) and allow it silently."""
    return [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video.resolve()}",
    ]


def launch(playwright, extra_flags: list[str] | None = None):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=QUIET_FLAGS + (extra_flags or [])
    )


def wait_until_drawn(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script and Plotly has drawn."""
    page.wait_for_selector("[data-testid=stApp]", timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            const running = document.querySelector('[data-testid=stStatusWidget]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning' && !running;
        }""",
        timeout=timeout_ms,
    )
    # Widgets and charts are drawn lazily: wait until no placeholder skeleton is left.
    page.wait_for_function(
        "() => !document.querySelector("
        "'[data-testid=stSkeleton], [data-testid=stSkeletonElement]')",
        timeout=timeout_ms,
    )
    # Every chart shown drawn: one kept hidden only loads the charts' code ahead of time.
    # The charts are looked for again each time: a page being left still shows its own.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
        ".filter(chart => chart.checkVisibility())"
        ".every(chart => chart.querySelector('.main-svg'))",
        timeout=timeout_ms,
    )


def read_sample(page, digit: int, timeout_ms: int = 60_000) -> None:
    """On the Camera page: click the sample photo of ``digit`` and wait for its answer."""
    page.get_by_role("button", name=str(digit), exact=True).click()
    page.wait_for_function(
        "digit => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(value => value.innerText.trim() === digit)",
        arg=str(digit),
        timeout=timeout_ms,
    )
