"""Time per photo through the whole pipeline, beside the time to merely decode the file.

Run: python benchmarks/photo_speed.py [--repeats 20]

Photos of a handwritten digit, made here, all JPEG: a 640x480 webcam frame and a 1280x720
one (the resolution the Camera page asks for), each also as ``st.camera_input`` sends it
(JPEG at full quality: its frontend asks the browser for quality 1.0, at the camera
stream's own size; a webcam that cannot give 1280x720 gives 640x480), a 4032x3024
(12 MP) phone photo, and a webcam frame of a sheet held up in a dim room (a mostly dark
picture: read both ways, see ``preprocess.possible_readings``). For each, medians of:
- decode: Pillow opens and fully decodes the file (what any app must do at least);
- pipeline: bytes to the 8x8 grid, every step's picture included;
- pipeline + model: the same, then the camera model's answer and probabilities.
Goal: the whole pipeline under 3x the plain decode of the same file.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from digits_core import model, preprocess  # noqa: E402
from digits_core.samples import PaperStyle, RoomStyle, held_up, pen_digit, photograph  # noqa: E402


def held_up_photo() -> bytes:
    """A 640x480 webcam frame of a sheet held up in a dim room: read both ways."""
    ink = pen_digit(4, stroke=0.08, slant=0.1)
    return held_up(ink, RoomStyle(sheet=0.55, wall=70))


def photo(size: tuple[int, int], quality: int = 90) -> bytes:
    ink = pen_digit(4, height=max(200, size[1] // 2), stroke=0.08, slant=0.1)
    # Sensor noise as a real camera has: it makes the JPEG as large, and as slow to
    # decode, as a real frame.
    style = PaperStyle(size=size, digit_height=0.5, noise=6.0, blur=0.3, quality=quality)
    return photograph(ink, style)


def median_ms(work, repeats: int) -> float:
    work()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    result = model.train_and_evaluate(model.CAMERA_DEFAULTS)
    classifier, calibrated = result.classifier, model.calibrate(result)

    def answer(data: bytes) -> None:
        readings = preprocess.possible_readings(data)
        views = model.most_readable(readings, classifier).views
        model.predict(views, classifier, calibrated)

    print("Photo to 8x8 grid: median time per photo")
    print(
        f"{'photo':<22}{'file':>8}{'decode':>10}{'pipeline':>10}{'+ model':>10}"
        f"{'pipeline/decode':>17}"
    )
    photos = [
        ("webcam 640x480", photo((640, 480))),
        ("  as the page gets it", photo((640, 480), quality=100)),
        ("webcam 1280x720", photo((1280, 720))),  # what the Camera page asks the camera for
        ("  as the page gets it", photo((1280, 720), quality=100)),
        ("phone 4032x3024", photo((4032, 3024))),
        ("webcam, dim room", held_up_photo()),
    ]
    for name, data in photos:
        decode_ms = median_ms(lambda data=data: decode(data), args.repeats)
        pipeline_ms = median_ms(lambda data=data: preprocess.possible_readings(data), args.repeats)
        answer_ms = median_ms(lambda data=data: answer(data), args.repeats)
        print(
            f"{name:<22}{len(data) / 1e6:>6.2f}MB{decode_ms:>8.1f}ms{pipeline_ms:>8.1f}ms"
            f"{answer_ms:>8.1f}ms{pipeline_ms / decode_ms:>16.1f}x"
        )
    print("Goal: pipeline under 3x decode.")


if __name__ == "__main__":
    main()
