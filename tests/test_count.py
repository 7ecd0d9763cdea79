"""The class's count as a file to keep (``digits_core.count``)."""

import csv
import io
import zipfile

from digits_core import count
from digits_core.__main__ import main
from tests.photos import decoded, digit_photo, encode


def unpacked(archive: bytes, folder) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as file:
        assert file.testzip() is None
        file.extractall(folder)
    with open(folder / count.TABLE, newline="", encoding="utf-8") as table:
        return list(csv.DictReader(table))


def test_the_count_comes_away_with_its_photos_as_sent_and_predict_reads_them_again(
    tmp_path, capsys
):
    seven, two = digit_photo(7), encode(decoded(digit_photo(2, "ruled paper and a shadow")), "PNG")
    photos = [
        count.Counted(1, written=7, answer=7, notebook=1, photo=seven),
        count.Counted(2, written=5, answer=2, notebook=8, photo=two),  # read wrong
        count.Counted(3, written=4, answer=4, notebook=5, photo=None),  # no longer kept
    ]
    rows = unpacked(count.archive(photos), tmp_path)
    assert [list(row.values()) for row in rows] == [
        ["1", "7", "7", "1", "photos/01-written-7-read-7.jpg"],
        ["2", "5", "2", "8", "photos/02-written-5-read-2.png"],
        ["3", "4", "4", "5", ""],
    ]
    folder = tmp_path / count.PHOTOS
    assert (folder / "01-written-7-read-7.jpg").read_bytes() == seven
    assert (folder / "02-written-5-read-2.png").read_bytes() == two
    assert sorted(path.name for path in folder.iterdir()) == [
        "01-written-7-read-7.jpg",
        "02-written-5-read-2.png",
    ]
    # The command line the help text names reads the photos again, to the same answers.
    assert main(["predict", str(folder)]) == 0
    answers = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(path.rsplit("/", 1)[-1], digit) for path, digit in answers] == [
        ("01-written-7-read-7.jpg", "7"),
        ("02-written-5-read-2.png", "2"),
    ]


def test_an_empty_count_is_a_table_with_its_header_only(tmp_path):
    assert unpacked(count.archive([]), tmp_path) == []
    header = (tmp_path / count.TABLE).read_text(encoding="utf-8").splitlines()
    assert header == [",".join(count.COLUMNS)]
