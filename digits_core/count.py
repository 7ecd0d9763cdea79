"""The class's count as a file to keep: the photos counted, as they were sent, and a table
of the digit written in each and what each way read it as."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from digits_core.preprocess import PhotoError, picture_format

FOLDER = "digits-count"  # what the file unpacks into
FILE_NAME = f"{FOLDER}.zip"
TABLE = f"{FOLDER}/count.csv"
PHOTOS = f"{FOLDER}/photos"  # the photos alone: ``python -m digits_core predict`` reads them
COLUMNS = ("photo", "written", "this_app", "notebook_way", "file")
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif",
              "BMP": "bmp", "TIFF": "tif"}  # fmt: skip


@dataclass(frozen=True)
class Counted:
    """One photo of the count."""

    number: int  # where it comes in the count, from 1
    written: int  # the digit written, as the class said
    answer: int  # what this app read it as
    notebook: int  # what the notebook's way read it as
    photo: bytes | None  # the file as it was sent; None where it is no longer kept


def _extension(photo: bytes) -> str:
    """The usual extension of the picture format ``photo`` is in, from its content."""
    try:
        found = picture_format(photo)
    except PhotoError:  # not for a photo the pipeline has read: its bytes are kept anyway
        return "img"
    return EXTENSIONS.get(found, found.lower())


def photo_name(counted: Counted) -> str:
    """A counted photo's file name: its number, the digit written and what this app read
    (``03-written-4-read-9.jpg``), so that a folder of them sorts in the count's order and
    a mistake shows in its name."""
    return (
        f"{counted.number:02d}-written-{counted.written}-read-{counted.answer}"
        f".{_extension(counted.photo or b'')}"
    )


def archive(photos: Iterable[Counted]) -> bytes:
    """A zip of ``FOLDER``: ``count.csv``, a row per photo counted (its file blank where
    the photo is no longer kept), and in ``photos/`` each photo still kept, byte for byte
    as it was sent."""
    table = io.StringIO(newline="")
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(COLUMNS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as file:
        for counted in photos:
            name = ""
            if counted.photo is not None:
                name = f"{PHOTOS}/{photo_name(counted)}"
                # Photos are compressed already: stored as they are.
                file.writestr(name, counted.photo, compress_type=zipfile.ZIP_STORED)
            row = (counted.number, counted.written, counted.answer, counted.notebook)
            writer.writerow((*row, name.removeprefix(f"{FOLDER}/")))
        file.writestr(TABLE, table.getvalue(), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
