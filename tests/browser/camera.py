"""A fake webcam for Chromium: a .y4m video of a photo of a digit on paper."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from digits_core.samples import PaperStyle, pen_digit, photograph


def digit_frame(digit: int, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """An RGB frame (height, width, 3) of ``digit`` written on paper, as a webcam sees it."""
    ink = pen_digit(digit, stroke=0.1, slant=0.1, jitter=0.01)
    jpeg = photograph(ink, PaperStyle(size=size, digit_height=0.6, quality=92))
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))


def write_y4m(path: Path, rgb: np.ndarray, frames: int = 2) -> Path:
    """Write ``rgb`` as a still YUV4MPEG2 video (4:2:0, full-range JPEG colours)."""
    rgb = np.asarray(rgb, dtype=np.float32)
    height, width = rgb.shape[:2]
    height, width = height // 2 * 2, width // 2 * 2
    r, g, b = (rgb[:height, :width, i] for i in range(3))
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
    v = 0.5 * r - 0.418688 * g - 0.081312 * b + 128

    def plane(values: np.ndarray, half: bool) -> bytes:
        if half:
            values = values.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3))
        return np.clip(np.round(values), 0, 255).astype(np.uint8).tobytes()

    frame = b"FRAME\n" + plane(y, False) + plane(u, True) + plane(v, True)
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)
    return path
