"""``python -m digits_core``, run as a user runs it."""

import os
import re
import struct
import subprocess
import sys

import pytest

from digits_core import cache, model


def run(
    *args: str, env: dict[str, str] | None = None, memory: int | None = None
) -> subprocess.CompletedProcess:
    """The command line with ``args``; its output read as the UTF-8 it writes.
    ``memory``: the most bytes of address space it may take (Linux)."""

    def limited() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "digits_core", *args],
        capture_output=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        preexec_fn=limited if memory else None,
    )


def test_report_prints_the_notebooks_report_and_matrix():
    result = run("report")
    assert result.returncode == 0, result.stderr
    assert "Classification report for classifier SVC(gamma=0.001)" in result.stdout
    assert "[[87  0  0  0  1  0  0  0  0  0]" in result.stdout
    assert "accuracy                           0.97       899" in result.stdout


def test_report_takes_the_train_page_settings():
    result = run("report", "--gamma", "0.1")
    assert result.returncode == 0, result.stderr
    assert "SVC(gamma=0.1)" in result.stdout
    assert "0.97       899" not in result.stdout


def test_report_of_the_camera_model_is_the_model_predict_reads_with():
    """The report of the model that reads photos: the very model kept for predict."""
    camera = cache.evaluation(model.CAMERA_DEFAULTS)
    result = run("report", "--camera-model")
    assert result.returncode == 0, result.stderr
    svc = model.svc(camera.classifier)
    assert f"classifier {svc}, trained on the digits prepared like photos:" in result.stdout
    assert f"Confusion matrix:\n{camera.confusion}" in result.stdout
    test_line = f"accuracy {camera.test_accuracy:.2f} {len(camera.y_test)}"
    assert test_line in " ".join(result.stdout.split())
    # The Train page's "Like photos" with the camera model's settings is that model too.
    same = run("report", "--like-photos", "--C", "5", "--test-size", "0.25", "--shuffle")
    assert same.returncode == 0, same.stderr
    assert same.stdout == result.stdout


def test_report_help_says_what_each_setting_does_and_its_default():
    result = run("report", "--help")
    assert result.returncode == 0, result.stderr
    words = " ".join(result.stdout.split())
    defaults = model.TrainSettings()
    for option, default in [("--gamma", defaults.gamma), ("--C", defaults.C)]:
        assert re.search(rf"{option} \S+ [^-]*\(default {default:g},", words), option
    for option in ["--test-size", "--shuffle", "--seed", "--like-photos", "--camera-model"]:
        assert re.search(rf"{option}( [A-Z_]+)? [A-Z]", words), option


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--camera-model", "--C", "3"], "leave out --C"),
        (["report", "--gamma", "-1"], "gamma must be between"),
        (["report", "--test-size", "1.5"], "test size must be between"),
        (["report", "--shuffle", "--seed", "99999999999"], "seed must be a whole number from"),
        (["report", "--gamma", "abc"], "invalid float value"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_get_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def _many_channels_tiff() -> bytes:
    """A small RGB TIFF whose header says each pixel has 2362 samples."""
    from PIL import Image

    from tests.photos import encode

    data = bytearray(encode(Image.new("RGB", (64, 48), "white"), "TIFF"))
    (directory,) = struct.unpack("<I", data[4:8])
    (count,) = struct.unpack("<H", data[directory : directory + 2])
    for entry in range(directory + 2, directory + 2 + 12 * count, 12):
        if struct.unpack("<H", data[entry : entry + 2]) == (277,):  # SamplesPerPixel
            data[entry + 8 : entry + 10] = struct.pack("<H", 2362)
            return bytes(data)
    raise AssertionError("no SamplesPerPixel tag")


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory):
    from PIL import Image

    from tests.photos import digit_photo, encode

    folder = tmp_path_factory.mktemp("photos")
    (folder / "three.jpg").write_bytes(digit_photo(3))
    (folder / "eight.png").write_bytes(encode(Image.open(__import__("io").BytesIO(digit_photo(8)))))
    (folder / "notes.txt").write_text("not a picture")
    (folder / "cut.jpg").write_bytes(digit_photo(5)[:1500])
    # Damaged headers that Pillow remarks on as it gives up: cut short (a warning,
    # "Corrupt EXIF data"), and claiming 2362 colour channels (a log message).
    (folder / "cut.tif").write_bytes(encode(Image.new("L", (64, 48), 255), "TIFF")[:60])
    (folder / "channels.tif").write_bytes(_many_channels_tiff())
    (folder / "blank.png").write_bytes(encode(Image.new("L", (300, 200), 240)))
    return folder


def test_predict_reads_good_files_and_names_the_bad_ones(photo_folder):
    files = sorted(str(p) for p in photo_folder.iterdir())
    result = run("predict", *files)
    assert result.returncode == 2
    lines = dict(line.split("\t") for line in result.stdout.splitlines())
    assert lines == {str(photo_folder / "three.jpg"): "3", str(photo_folder / "eight.png"): "8"}
    assert "not a picture" in result.stderr and "cut short" in result.stderr
    assert "No digit found" in result.stderr and "Traceback" not in result.stderr


def test_predict_json_gives_one_object_per_file(photo_folder):
    import json

    files = [str(photo_folder / "three.jpg"), str(photo_folder / "notes.txt"), "missing.jpg"]
    result = run("predict", "--json", *files)
    assert result.returncode == 2
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["file"] for a in answers] == files
    assert answers[0]["digit"] == 3 and answers[0]["error"] is None
    assert 0.5 < answers[0]["confidence"] <= 1
    assert answers[1]["digit"] is None and answers[1]["confidence"] is None
    assert "not a picture" in answers[1]["error"] and answers[2]["error"]


def test_predict_reads_every_file_in_a_folder(photo_folder):
    result = run("predict", str(photo_folder))
    assert result.returncode == 2
    read = dict(line.split("\t") for line in result.stdout.splitlines())
    assert read == {str(photo_folder / "three.jpg"): "3", str(photo_folder / "eight.png"): "8"}
    named = [line.split("\t")[0] for line in result.stderr.splitlines()]
    # One line for each file that could not be read, and nothing else.
    expected = ("blank.png", "channels.tif", "cut.jpg", "cut.tif", "notes.txt")
    assert sorted(named) == [str(photo_folder / name) for name in expected]


def test_predict_says_a_folder_holds_no_file_to_read(photo_folder, tmp_path):
    (tmp_path / ".hidden.jpg").write_bytes((photo_folder / "three.jpg").read_bytes())
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "four.jpg").write_bytes((photo_folder / "three.jpg").read_bytes())
    result = run("predict", str(tmp_path), str(photo_folder / "three.jpg"))
    assert result.returncode == 2
    assert result.stdout == f"{photo_folder / 'three.jpg'}\t3\n"
    empty = "error: no files to read in this folder (hidden ones and folders inside it are"
    assert result.stderr.startswith(f"{tmp_path}\t{empty}")
    assert result.stderr.count("\n") == 1


def test_predict_names_a_file_the_pipeline_fails_on_and_reads_the_others(
    photo_folder, monkeypatch, capsys
):
    from digits_core import preprocess
    from digits_core.__main__ import main

    to_gray = preprocess.to_gray

    def fails_on_blank(image, darkest=False):  # blank.png is the only 300x200 picture
        if image.size == (300, 200):
            raise ValueError("image has wrong mode")
        return to_gray(image, darkest)

    monkeypatch.setattr(preprocess, "to_gray", fails_on_blank)
    blank, three = str(photo_folder / "blank.png"), str(photo_folder / "three.jpg")
    assert main(["predict", blank, three]) == 2
    out, err = capsys.readouterr()
    assert out == f"{three}\t3\n"
    assert err == (
        f"{blank}\terror: This picture could not be read: the app failed on it "
        "(ValueError: image has wrong mode). Try another photo, or save this one as JPEG.\n"
    )


def test_predict_names_a_folder_it_may_not_look_in_and_reads_the_others(
    photo_folder, tmp_path, monkeypatch, capsys
):
    from pathlib import Path

    from digits_core.__main__ import main

    locked = tmp_path / "locked"
    locked.mkdir()
    iterdir = Path.iterdir

    def refused(self):  # as for a folder whose permissions keep this user out
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    three = str(photo_folder / "three.jpg")
    assert main(["predict", str(locked), three]) == 2
    out, err = capsys.readouterr()
    assert out == f"{three}\t3\n"
    assert err == f"{locked}\terror: Permission denied\n"


def test_predict_stops_quietly_when_its_reader_goes(photo_folder):
    # As in ``predict photos/ | head -1``: the reader stops reading after a line.
    process = subprocess.Popen(
        [sys.executable, "-m", "digits_core", "predict", str(photo_folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # before its first answer
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "Traceback" not in errors.decode() and "Exception ignored" not in errors.decode()


def test_predict_exits_0_when_every_file_is_read(photo_folder):
    result = run("predict", str(photo_folder / "three.jpg"))
    assert result.returncode == 0
    assert result.stdout.strip().endswith("\t3")


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/zero and a memory limit, as on Linux")
def test_predict_refuses_a_huge_file_and_an_endless_device_without_reading_them_whole(
    photo_folder, tmp_path
):
    huge = tmp_path / "huge.jpg"
    with open(huge, "wb") as file:
        file.truncate(300_000_000)  # 300 MB of zeros that take no room on disk
    files = ["/dev/zero", str(huge), str(photo_folder / "three.jpg")]
    # Within 4 GB (the command takes under 1 GB), a reader that went on to the end of
    # /dev/zero fails at once instead of taking all the machine's memory.
    result = run("predict", *files, memory=4 * 2**30)
    assert result.returncode == 2
    assert result.stdout == f"{photo_folder / 'three.jpg'}\t3\n"
    errors = dict(line.split("\t") for line in result.stderr.splitlines())
    too_large = "error: This file is over 100 MB: too large for a photo of a digit."
    assert set(errors) == set(files[:2])
    assert all(message.startswith(too_large) for message in errors.values())


def _at_a_terminal(args: list[str], **options) -> tuple[subprocess.Popen, int]:
    """The command line started with its stderr on a pseudo-terminal, as a person sees
    it; returns the process and the terminal's end to read from."""
    import pty

    terminal, their_end = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "digits_core", *args],
        stdout=subprocess.PIPE,
        stderr=their_end,
        **options,
    )
    os.close(their_end)
    return process, terminal


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
def test_predict_says_what_it_is_waiting_for_to_a_person_at_a_terminal(photo_folder, tmp_path):
    # The model takes seconds to prepare, the first time on a computer: said on a
    # terminal, and only there (the other tests read stderr through a pipe, and find
    # nothing but each file's line). The next time, the model is kept: nothing to wait for.
    new_computer = os.environ | {cache.FOLDER_VARIABLE: str(tmp_path)}
    for first in (True, False):
        process, terminal = _at_a_terminal(
            ["predict", str(photo_folder / "three.jpg")], env=new_computer
        )
        said = b""
        while chunk := _read_terminal(terminal):
            said += chunk
        os.close(terminal)
        stdout, _ = process.communicate(timeout=120)
        assert process.returncode == 0 and stdout.decode().strip().endswith("\t3")
        if first:
            assert said.decode().startswith("Preparing the Camera page's model")
        else:
            assert said == b""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
def test_predict_stops_without_a_traceback_on_ctrl_c(photo_folder, tmp_path):
    import signal

    process, terminal = _at_a_terminal(
        ["predict", str(photo_folder)],
        # The first time on a computer: seconds to prepare the model, to be stopped in.
        env=os.environ | {cache.FOLDER_VARIABLE: str(tmp_path)},
        # Ctrl-C as at a terminal, even where these tests run in the background, whose
        # commands are started ignoring it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    said = _read_terminal(terminal)  # "Preparing the Camera page's model..."
    process.send_signal(signal.SIGINT)
    while chunk := _read_terminal(terminal):
        said += chunk
    os.close(terminal)
    process.communicate(timeout=120)
    assert said.decode().startswith("Preparing")
    assert process.returncode == 130 and "Traceback" not in said.decode()


def _read_terminal(terminal: int) -> bytes:
    try:
        return os.read(terminal, 1024)
    except OSError:  # Linux: the other end closed
        return b""


def test_predict_notes_a_digit_cut_off_a_small_one_and_numbers_beside_their_answers(tmp_path):
    from tests.photos import cut_off_photo, digit_photo, number_photo

    (tmp_path / "cut.jpg").write_bytes(cut_off_photo(7, (0.5, 0.08)))
    (tmp_path / "42.jpg").write_bytes(number_photo((4, 2)))
    (tmp_path / "close.jpg").write_bytes(number_photo((4, 2), gap=0.15))
    (tmp_path / "far.jpg").write_bytes(digit_photo(4, "far off, 16:9 frame"))
    result = run("predict", str(tmp_path))
    assert result.returncode == 0  # all are read: notes are no errors
    assert sorted(line.split("\t")[0] for line in result.stdout.splitlines()) == sorted(
        str(tmp_path / name) for name in ("42.jpg", "close.jpg", "cut.jpg", "far.jpg")
    )
    notes = dict(line.split("\t") for line in result.stderr.splitlines())
    assert notes[str(tmp_path / "cut.jpg")].startswith(
        "note: the digit touches the photo's edge (top)"
    )
    assert "more than one digit" in notes[str(tmp_path / "42.jpg")]
    assert "written close together" in notes[str(tmp_path / "close.jpg")]
    assert "hold the paper closer" in notes[str(tmp_path / "far.jpg")]


def test_predict_writes_any_file_name_whatever_the_outputs_encoding(tmp_path):
    # On Windows, output sent to a file or a pipe is encoded in a legacy code page
    # (cp1252) that has no Vietnamese letters.
    from tests.photos import digit_photo

    (tmp_path / "chữ số 4.jpg").write_bytes(digit_photo(4))
    (tmp_path / "ảnh hỏng.png").write_text("not a picture")
    result = run("predict", str(tmp_path), env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 2
    assert result.stdout == f"{tmp_path / 'chữ số 4.jpg'}\t4\n"
    errors = result.stderr
    assert errors.startswith(f"{tmp_path / 'ảnh hỏng.png'}\terror: This file is not a picture")
    assert "Traceback" not in errors
