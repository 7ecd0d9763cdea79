"""How long a person waits in a real browser, beside Streamlit's own demo app.

Run: python benchmarks/browser_timing.py [--runs 5]   (needs Debian's chromium)

Medians over the runs, each in a fresh browser tab against a server started here:
- on a server just started, its first visitor: ``streamlit hello``'s first page drawn
  (baseline), and this app's first page drawn with the sidebar saying which model is
  in use (the camera model is built then, the first time on a computer); then, after a
  pause as long as a person takes to look at that page (``--pause``, 5 s), a click on
  Tune in the same tab until its map is drawn (the map is computed once per server);
  and the same first page on the server started again, its model kept on disk; and
  started again once more, the Camera page with a sample photo clicked at once until its
  answer is drawn;
- ``streamlit hello``: opening its URL until its first page is fully drawn (baseline);
- this app: opening the Train page's URL until its charts are drawn;
- this app: clicking the camera's "Take Photo" (a fake webcam showing a digit) until
  the answer is shown, its charts drawn, in a fresh tab opened on the Camera page (the
  page loads the charts' code, once per tab, before any photo is taken);
- this app: then clicking a sample photo in the same tab until its answer is shown, as
  every photo after the first is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digits_core import cache  # noqa: E402
from tests.browser.camera import digit_frame, write_y4m  # noqa: E402
from tests.browser.chromium import (  # noqa: E402
    VIEWPORT,
    fake_camera_flags,
    launch,
    missing_reason,
    read_sample,
    wait_until_drawn,
)
from tests.server import running_app  # noqa: E402


def time_to_draw(browser, url: str) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    wait_until_drawn(page)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def first_visit(
    browser, script: str, pause: float | None = None, models: str | None = None
) -> tuple[float, float | None]:
    """A server just started: its first page until drawn; for this app, until the
    sidebar names the model in use too, and then, ``pause`` seconds later (if given), the
    Tune page until its map is drawn (else None). ``models``: the folder its models are
    kept in (``digits_core.cache``)."""
    env = {cache.FOLDER_VARIABLE: models} if models is not None else None
    with running_app(script, env=env) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        wait_until_drawn(page)
        tune = None
        if script != "hello":
            page.get_by_text("Test accuracy").first.wait_for(timeout=120_000)
        elapsed = time.perf_counter() - start
        if pause is not None:
            page.wait_for_timeout(pause * 1000)
            start = time.perf_counter()
            page.get_by_role("link", name="Tune").click()
            page.get_by_text("Every gamma and C at once").wait_for(timeout=120_000)
            wait_until_drawn(page, timeout_ms=120_000)
            tune = time.perf_counter() - start
        context.close()
    return elapsed, tune


def camera_after_restart(browser, models: str) -> float:
    """A server started again, its models kept in ``models``: the Camera page opened and
    a sample photo clicked as soon as it is there, until its answer is drawn (a teacher
    opening the app before a class)."""
    with running_app(env={cache.FOLDER_VARIABLE: models}) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{url}/camera")
        read_sample(page, 3)
        wait_until_drawn(page)
        elapsed = time.perf_counter() - start
        context.close()
    return elapsed


def time_to_answer(browser, url: str) -> tuple[float, float]:
    """Take Photo to the answer in a fresh tab, then a sample photo to its answer in the
    same tab, as every photo after a class's first."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{url}/camera")
    wait_until_drawn(page)
    page.get_by_test_id("stCheckbox").get_by_text("Turn the camera on").click()
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=stCameraInput] video');"
        " return v && v.readyState >= 2 && v.videoWidth > 0; }",
        timeout=30_000,
    )
    start = time.perf_counter()
    page.get_by_test_id("stCameraInputButton").click()
    page.get_by_test_id("stMetric").filter(has_text="The model reads").wait_for(timeout=60_000)
    wait_until_drawn(page)
    first = time.perf_counter() - start
    start = time.perf_counter()
    read_sample(page, 7)
    wait_until_drawn(page)
    following = time.perf_counter() - start
    context.close()
    return first, following


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pause", type=float, default=5.0, help="seconds on the first page before Tune"
    )
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        # Models are kept here, not in the user's folder: the first start builds them.
        os.environ[cache.FOLDER_VARIABLE] = str(Path(folder) / "models")
        video = write_y4m(Path(folder) / "digit.y4m", digit_frame(5))
        browser = launch(playwright, fake_camera_flags(video))
        fresh_hello = [first_visit(browser, "hello")[0] for _ in range(args.runs)]
        fresh_app, again, camera_again = [], [], []
        for run in range(args.runs):
            # A first start on a computer, then a start again, its model kept.
            models = str(Path(folder) / f"models{run}")
            fresh_app.append(first_visit(browser, "streamlit_app.py", args.pause, models))
            again.append(first_visit(browser, "streamlit_app.py", models=models)[0])
            camera_again.append(camera_after_restart(browser, models))
        with running_app("hello") as url:
            time_to_draw(browser, url)  # first visit warms the server up
            hello = [time_to_draw(browser, url) for _ in range(args.runs)]
        rows.append(("streamlit hello: first page drawn", hello))
        with running_app() as url:
            time_to_draw(browser, f"{url}/train")
            time_to_answer(browser, url)  # trains and caches the camera model once
            train = [time_to_draw(browser, f"{url}/train") for _ in range(args.runs)]
            answers = [time_to_answer(browser, url) for _ in range(args.runs)]
        rows.append(("this app: Train page drawn", train))
        rows.append(("this app: Take Photo to answer shown", [first for first, _ in answers]))
        rows.append(("  then a sample photo, same tab", [then for _, then in answers]))
        browser.close()

    print(f"Median of {args.runs} runs in headless Chromium")
    print(f"{'what':<40}{'median':>10}{'vs hello':>10}")
    baseline = statistics.median(fresh_hello)
    fresh = [
        ("server just started: hello's first page", fresh_hello),
        ("  this app's, with the model in use", [first for first, _ in fresh_app]),
        (f"  {args.pause:g} s later its Tune page, map drawn", [tune for _, tune in fresh_app]),
        ("  started again: model kept, in use", again),
        ("  started again: Camera page, a sample read", camera_again),
    ]
    for name, times in fresh:
        median = statistics.median(times)
        print(f"{name:<40}{median * 1000:>8.0f}ms{median / baseline:>9.1f}x")
    print("Servers warmed up first:")
    baseline = statistics.median(hello)
    for name, times in rows:
        median = statistics.median(times)
        print(f"{name:<40}{median * 1000:>8.0f}ms{median / baseline:>9.1f}x")


if __name__ == "__main__":
    main()
