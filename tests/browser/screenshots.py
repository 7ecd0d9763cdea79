"""Screenshot every page at projector size (1280x720) from the running app.

Run: python -m tests.browser.screenshots [--out docs/screenshots]
The README's pictures are these files; the browser tests take the same ones into
screenshots/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.browser.chromium import (
    VIEWPORT,
    launch,
    missing_reason,
    read_sample,
    wait_until_drawn,
)
from tests.server import ROOT, running_app


def _read_a_sample(page) -> None:
    """Read the sample 3: the page scrolls its answer into view by itself."""
    read_sample(page, 3)
    wait_until_drawn(page)
    # Until the answer is on the screen and the page has stopped moving.
    page.wait_for_function(
        """() => new Promise(settled => {
            const main = document.querySelector('[data-testid=stMain]');
            const answer = document.querySelector('.st-key-answer');
            let last = -1;
            const check = () => {
                const shown = answer.getBoundingClientRect().bottom <= innerHeight;
                if (shown && main.scrollTop === last) settled(true);
                else { last = main.scrollTop; setTimeout(check, 300); }
            };
            check();
        })""",
        timeout=10_000,
    )


# name: (path, what to do before the picture)
PAGES = {
    "overview": ("", None),
    "train": ("train", None),
    "tune": ("tune", None),
    "camera": ("camera", _read_a_sample),
}


def take_screenshots(browser, url: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    written = []
    for name, (path, action) in PAGES.items():
        page.goto(f"{url}/{path}")
        wait_until_drawn(page)
        if action:
            action(page)
        target = out / f"{name}.png"
        page.screenshot(path=target)
        written.append(target)
    context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    with running_app() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        for path in take_screenshots(browser, url, args.out):
            print(path)
        browser.close()


if __name__ == "__main__":
    main()
