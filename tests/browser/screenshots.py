"""Screenshot every page at projector size (1280x720) from the running app.

Run: python -m tests.browser.screenshots [--out docs/screenshots]
The README's pictures are these files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.browser.chromium import VIEWPORT, launch, missing_reason, wait_until_drawn
from tests.server import ROOT, running_app

PAGES = {"overview": "", "train": "train"}


def take(out: Path, pages: dict[str, str] = PAGES) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with running_app() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport=VIEWPORT)
        for name, path in pages.items():
            page.goto(f"{url}/{path}")
            wait_until_drawn(page)
            target = out / f"{name}.png"
            page.screenshot(path=target)
            written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    for path in take(args.out):
        print(path)


if __name__ == "__main__":
    main()
