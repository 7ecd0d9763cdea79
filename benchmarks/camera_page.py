"""How long the Camera page takes to answer a photo, beside the reading alone.

Run: python benchmarks/camera_page.py [--photos 10]

Medians over ``--photos`` webcam frames of handwritten digits (640x480 JPEG, each new to
the page), all from this one run:
- reading alone (baseline): the pipeline, the camera model's answer and probabilities,
  and the notebook's reading, as the page asks for them;
- the page's charts alone: the probability bars, the 8x8 grids with their numbers (the
  model's and the notebook's) and the training images beside them, as drawn for the
  answer;
- the page, new photo: a whole Camera-page run (AppTest) for a photo uploaded, reading
  and drawing everything;
- the page, same photo: the run again with nothing changed (a click under the answer
  reruns the page), its reading cached;
- both page runs again in presentation mode (larger type in every chart).
AppTest runs the page in this process without a browser: the time a server spends on
each photo, for every visitor at once, before the browser draws anything.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from digits_core import figures, model, preprocess  # noqa: E402
from digits_core.data import load  # noqa: E402
from digits_core.samples import PaperStyle, pen_digit, photograph  # noqa: E402


def webcam_frames(n: int) -> list[bytes]:
    """``n`` different 640x480 JPEG frames, of the digits 0 to 9 in turn."""
    frames = []
    for index in range(n):
        rng = np.random.default_rng(index)
        ink = pen_digit(index % 10, stroke=0.06, slant=0.1, jitter=0.015, rng=rng)
        frames.append(photograph(ink, PaperStyle.random(rng), rng))
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=10)
    args = parser.parse_args()
    frames = webcam_frames(args.photos)

    camera = model.train_and_evaluate(model.CAMERA_DEFAULTS)
    calibrated = model.calibrate(camera)
    notebook = model.train_and_evaluate(model.NOTEBOOK).classifier
    images = load().images

    def read(photo: bytes) -> tuple[preprocess.Reading, model.Prediction]:
        reading = model.most_readable(preprocess.possible_readings(photo), camera.classifier)
        prediction = model.predict(reading.views, camera.classifier, calibrated)
        model.read_like_the_notebook(photo, notebook)
        return reading, prediction

    def charts(photo: bytes, reading, prediction, big: bool) -> None:
        grid, digit = reading.views[prediction.view].reshape(8, 8), prediction.digit
        drawn = [
            figures.probability_figure(prediction.probabilities, digit),
            figures.digit_numbers(grid, bright_ink=True),
            figures.digit_gallery(images[:8], [str(digit)] * 8, n_cols=4, bright_ink=True),
            figures.digit_numbers(preprocess.naive_features(photo).reshape(8, 8)),
        ]
        for fig in drawn if big else []:
            figures.enlarged(fig)

    read(frames[0])  # warm up
    times: dict[str, list[float]] = {}

    def timed(name: str, work, *args) -> None:
        start = time.perf_counter()
        work(*args)
        times.setdefault(name, []).append(time.perf_counter() - start)

    for photo in frames:
        timed("reading alone (baseline)", read, photo)
        reading, prediction = read(photo)
        timed("the page's charts alone", charts, photo, reading, prediction, False)
        timed("  in presentation mode", charts, photo, reading, prediction, True)

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/camera.py").run()
    for presenting in (False, True):
        at.toggle(key="presentation").set_value(presenting).run()
        suffix = "" if not presenting else ", presentation mode"
        for index, photo in enumerate(frames):
            # Each frame new to the page, its reading not cached: in presentation mode,
            # the same frames with a byte more after the picture's end.
            new = photo + b"\0" if presenting else photo
            at.file_uploader(key="upload").set_value((f"{index}.jpg", new, "image/jpeg"))
            timed(f"the page, new photo{suffix}", at.run)
            timed(f"the page, same photo{suffix}", at.run)
            assert not at.exception, at.exception

    baseline = statistics.median(times["reading alone (baseline)"])
    print(f"Camera page: time per photo on the server (median of {len(frames)} photos)")
    print(f"{'what':<42}{'median':>10}{'vs reading':>12}")
    for name, values in times.items():
        value = statistics.median(values)
        print(f"{name:<42}{value * 1000:>8.1f}ms{value / baseline:>11.1f}x")


if __name__ == "__main__":
    main()
