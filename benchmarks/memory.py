"""Memory: one photo through the pipeline beside a plain decode; the server beside
Streamlit's own demo app.

Run: python benchmarks/memory.py [--photos-only]   (the server part needs Debian's chromium)

Per photo. For each photo, in a fresh Python process that has already read one small photo (so
that imports and warm-up are not counted), the peak memory added by:
- decode: Pillow opens and fully decodes the file (what any app must do at least);
- pipeline: bytes to the 8x8 grid, every step's picture included; or the clear error
  the pipeline answers with instead.
The peak is the process's high-water mark (VmHWM in /proc/self/status, Linux).

A JPEG is decoded at a fraction of its size, so even the largest accepted takes little.
Other formats must be decoded whole: WebP needs about 15 bytes per pixel to open, so
pictures that must be opened whole are accepted up to ``preprocess.MAX_WHOLE_PIXELS``
and refused, before opening, beyond that; large ones are opened one at a time, as the
row of two arriving at the same moment shows.

The server. The resident memory of a server started here: ``streamlit hello`` once its
first page is drawn (baseline), and this app after each page is drawn in headless
Chromium (the first builds the camera model, the Tune page its map), after ten sample
photos read in that tab, after ten webcam photos uploaded and counted there (a class's
count: the page keeps each photo counted, to be looked at again), and after ten more
visitors, each in their own tab, have read one.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from benchmarks.photo_speed import photo  # noqa: E402
from digits_core import cache, preprocess  # noqa: E402
from digits_core.samples import PaperStyle, pen_digit, photograph  # noqa: E402
from tests.browser.chromium import (  # noqa: E402
    VIEWPORT,
    launch,
    missing_reason,
    read_sample,
    wait_until_drawn,
)
from tests.server import running_server  # noqa: E402


def status_mb(field: str, process: int | str = "self") -> float:
    """A memory figure of a process (``VmHWM``: its peak; ``VmRSS``: now), in MB, from
    /proc/<pid>/status (Linux)."""
    with open(f"/proc/{process}/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def measure(what: str, path: Path, at_once: int) -> str:
    """In this (fresh) process: the peak memory ``what`` adds, in MB, or the error;
    done by ``at_once`` threads starting at the same moment, as by visitors."""
    data = path.read_bytes()
    preprocess.possible_readings(photo((320, 240)))  # imports and first-call work
    refused = []
    start = threading.Barrier(at_once)

    def work() -> None:
        start.wait()
        if what == "decode":
            with Image.open(io.BytesIO(data)) as image:
                image.load()
            return
        try:
            preprocess.possible_readings(data)
        except preprocess.PhotoError as error:
            refused.append(error.code)

    before = status_mb("VmHWM")
    threads = [threading.Thread(target=work) for _ in range(at_once - 1)]
    for thread in threads:
        thread.start()
    work()  # in this thread too: a thread of its own takes a few MB
    for thread in threads:
        thread.join()
    return f"{status_mb('VmHWM') - before:.1f}" + (f" {refused[0]}" if refused else "")


def in_fresh_process(what: str, path: Path, at_once: int) -> str:
    command = [sys.executable, __file__, "--measure", what, str(path), str(at_once)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def largest_4_by_3(pixels: int) -> tuple[int, int]:
    """The largest 4:3 (width, height) of at most ``pixels`` pixels."""
    unit = int((pixels / 12) ** 0.5)
    return 4 * unit, 3 * unit


def photos() -> dict[str, bytes]:
    phone = photo((4032, 3024))
    phone_image = Image.open(io.BytesIO(phone)).convert("RGB")
    largest_whole = phone_image.resize(largest_4_by_3(preprocess.MAX_WHOLE_PIXELS))
    largest_jpeg = phone_image.resize(largest_4_by_3(preprocess.MAX_PIXELS))
    too_large = phone_image.resize((8000, 6000), Image.Resampling.BILINEAR)
    whole_mp = round(largest_whole.width * largest_whole.height / 1e6)
    jpeg_mp = round(largest_jpeg.width * largest_jpeg.height / 1e6)
    largest_webp = encoded(largest_whole, "WEBP", quality=80)
    return {
        "webcam 640x480 JPEG": photo((640, 480)),
        "phone 12 MP JPEG": phone,
        f"largest JPEG, {jpeg_mp} MP": encoded(largest_jpeg, "JPEG", quality=90),
        "phone 12 MP PNG": encoded(phone_image, "PNG", compress_level=1),
        "phone 12 MP WebP": encoded(phone_image, "WEBP", quality=80),
        f"largest PNG, {whole_mp} MP": encoded(largest_whole, "PNG", compress_level=1),
        f"largest WebP, {whole_mp} MP": largest_webp,
        f"two {whole_mp} MP WebPs at once": largest_webp,
        "48 MP WebP": encoded(too_large, "WEBP", quality=80),
    }


def webcam_photo(digit: int) -> bytes:
    """A 1280x720 webcam frame of ``digit`` as the Camera page gets it (JPEG quality 100)."""
    ink = pen_digit(digit, stroke=0.08, slant=0.1)
    style = PaperStyle(size=(1280, 720), digit_height=0.5, noise=6.0, blur=0.3, quality=100)
    return photograph(ink, style)


def server_rows() -> list[tuple[str, float]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        with running_server("hello") as (url, server):
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(url)
            wait_until_drawn(page)
            rows.append(("streamlit hello: first page drawn", status_mb("VmRSS", server.pid)))
            page.context.close()
        # A first start on a computer: the camera model is built, not read back.
        with (
            tempfile.TemporaryDirectory() as models,
            running_server(env={cache.FOLDER_VARIABLE: models}) as (url, server),
        ):
            rows.append(("this app: started", status_mb("VmRSS", server.pid)))
            page = browser.new_context(viewport=VIEWPORT).new_page()
            for path, name in [("", "data"), ("train", "Train"), ("tune", "Tune")]:
                page.goto(f"{url}/{path}")
                wait_until_drawn(page)
                rows.append((f"this app: {name} page drawn", status_mb("VmRSS", server.pid)))
            page.goto(f"{url}/camera")
            wait_until_drawn(page)
            for digit in range(10):
                read_sample(page, digit)
            rows.append(("this app: 10 sample photos read", status_mb("VmRSS", server.pid)))
            # A class's count: ten webcam photos, as the page gets them, each said to be the
            # digit it is. The page keeps each one counted, to be looked at again.
            upload = page.get_by_test_id("stFileUploaderDropzoneInput")
            for digit in range(10):
                name = f"webcam-{digit}.jpg"
                jpeg = {"name": name, "mimeType": "image/jpeg", "buffer": webcam_photo(digit)}
                upload.set_input_files(files=[jpeg])
                page.get_by_text(f"Uploaded: {name}").wait_for(timeout=60_000)
                wait_until_drawn(page)
                page.get_by_test_id("stButtonGroup").get_by_role("radio", name=str(digit)).click()
                page.locator(".st-key-counted img").nth(digit).wait_for(timeout=60_000)
                wait_until_drawn(page)
            rows.append(("this app: 10 webcam photos counted", status_mb("VmRSS", server.pid)))
            page.context.close()
            for digit in range(10):
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(f"{url}/camera")
                wait_until_drawn(page)
                read_sample(page, digit)
                page.context.close()
            rows.append(("this app: 10 more visitors, 1 each", status_mb("VmRSS", server.pid)))
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos-only", action="store_true", help="skip the server part")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        what, path, at_once = args.measure
        print(measure(what, Path(path), int(at_once)))
        return
    print("Peak memory added by one photo (or two at once), MB; each in a fresh process")
    print(f"{'photo':<26}{'file':>9}{'decode':>9}{'pipeline':>10}  pipeline/decode")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in photos().items():
            at_once = 2 if name.startswith("two ") else 1
            path = Path(folder) / "photo"
            path.write_bytes(data)
            decode = float(in_fresh_process("decode", path, at_once))
            pipeline, *refused = in_fresh_process("pipeline", path, at_once).split()
            if refused:
                ratio = f"refused before opening ({refused[0]})"
            else:  # a few MB are within what the process had already used
                ratio = f"{float(pipeline) / decode:.2f}x" if decode >= 5 else "-"
            print(
                f"{name:<26}{len(data) / 1e6:>7.1f}MB{decode:>7.1f}MB"
                f"{float(pipeline):>8.1f}MB  {ratio}"
            )
    whole, jpeg = preprocess.MAX_WHOLE_PIXELS // 10**6, preprocess.MAX_PIXELS // 10**6
    print(f"Formats other than JPEG are opened whole: read up to {whole} MP; JPEG up to {jpeg} MP.")
    if args.photos_only:
        return
    reason = missing_reason()
    if reason:
        raise SystemExit(f"The server part needs a browser: {reason}")
    rows = server_rows()
    baseline = rows[0][1]
    print("\nThe server's resident memory, MB")
    print(f"{'when':<40}{'memory':>9}{'vs hello':>10}")
    for name, megabytes in rows:
        print(f"{name:<40}{megabytes:>7.0f}MB{megabytes / baseline:>9.1f}x")


if __name__ == "__main__":
    main()
