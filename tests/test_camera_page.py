"""The Camera page through AppTest: every way in, the steps, the answer, the errors."""

import json
import re

import pytest
from PIL import Image

from digits_core.text import EQUALS
from tests.conftest import open_page
from tests.photos import (
    blank_page,
    cut_off_photo,
    decoded,
    digit_photo,
    encode,
    held_up_photo,
    number_photo,
)

STEP_COUNT = 9


def answer(at) -> str:
    return next(m.value for m in at.metric if m.label == "The model reads")


def captions(at) -> list[str]:
    return [caption for image in at.image for caption in image.captions]


@pytest.fixture
def camera(app):
    return open_page(app, "camera")


def test_page_asks_for_a_photo_first(camera):
    assert "Choose a sample photo" in camera.info[0].value
    assert not camera.metric


def test_a_sample_photo_is_read_and_every_step_shown(camera):
    camera.button(key="sample_3").click().run()
    assert not camera.exception
    assert answer(camera) == "3"
    shown = captions(camera)
    step_captions = [c for c in shown if c[:2] in {f"{i}." for i in range(1, 10)}]
    assert len(step_captions) == STEP_COUNT
    assert any("Otsu" in c for c in step_captions)
    # The views the model compared are explained, and how many read the answer.
    assert any("surest of" in m.value for m in camera.markdown)
    assert re.search(r"(all 9|[7-9] of the 9) views read 3", camera.success[0].value)
    # Each of the nine views is shown with what it reads as.
    view_captions = [c for c in shown if " · " in c]
    assert len(view_captions) == 9 and "upright · as is: 3" in view_captions


def test_photographs_are_sent_as_jpeg_and_drawings_exactly_as_png(camera):
    camera.button(key="sample_3").click().run()
    sent = [
        (img.caption, img.url.rsplit(".", 1)[-1]) for im in camera.image for img in im.proto.imgs
    ]
    kinds = {}
    for caption, kind in sent:
        if caption[:2] in {"1.", "2.", "3."}:  # the photo, gray, the paper alone
            kinds.setdefault("photographs", set()).add(kind)
        elif caption[:2] in {"5.", "6.", "7.", "8.", "9."} or " · " in caption:
            kinds.setdefault("drawings", set()).add(kind)  # the digit separated ... views
        elif not caption:
            kinds.setdefault("sample tiles", set()).add(kind)
    assert kinds == {"photographs": {"jpg"}, "drawings": {"png"}, "sample tiles": {"jpg"}}


def test_the_same_photo_is_also_read_the_original_notebooks_way(camera):
    camera.button(key="sample_3").click().run()
    assert not camera.exception
    notebook = next(m.value for m in camera.metric if m.label == "The notebook reads")
    assert notebook in [str(digit) for digit in range(10)]
    assert any("whole photo" in c for c in [c.value for c in camera.caption])
    assert any("This app reads 3." in m.value for m in camera.markdown)


def tally(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric if m.label.endswith("so far")}


def test_saying_which_digit_each_photo_was_counts_how_often_each_way_reads_right(camera):
    def upload(name: str, photo: bytes) -> None:
        camera.file_uploader(key="upload").set_value((name, photo, "image/jpeg"))
        camera.run()
        assert answer(camera) == name[0]

    upload("7.jpg", digit_photo(7))
    assert not tally(camera)  # nothing said yet: nothing counted
    assert not camera.get("download_button")
    camera.pills[0].set_value(7).run()
    assert tally(camera)["This app, so far"] == "1 of 1 right"
    # The count comes away as a file: the photos and what was read, for the command line.
    (download,) = camera.get("download_button")
    assert download.label == "Download the count"
    assert "`python -m digits_core predict digits-count/photos`" in download.help
    assert tally(camera)["The notebook's way, so far"].endswith("of 1 right")
    upload("2.jpg", digit_photo(2))
    camera.pills[0].set_value(5).run()  # the class says the 2 was a 5: the app was wrong
    assert tally(camera)["This app, so far"] == "1 of 2 right"
    camera.pills[0].set_value(2).run()  # corrected: the same photo is not counted twice
    assert tally(camera)["This app, so far"] == "2 of 2 right"
    assert not any("where a" in m.value for m in camera.markdown)
    upload("7.jpg", digit_photo(7))  # a photo read again keeps what was said about it
    assert camera.pills[0].value == 7
    camera.button(key="forget_marks").click().run()
    assert not tally(camera) and camera.pills[0].value is None
    assert not camera.get("download_button")


def chart_spec(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    return json.loads(chart.proto.spec)


def examples_shown(at) -> list[str]:
    """The labels above the training images the grid the model saw is compared with."""
    return [a["text"] for a in chart_spec(at, "examples")["layout"]["annotations"]]


def test_a_photo_read_wrong_is_compared_with_training_images_of_both_digits(camera):
    camera.file_uploader(key="upload").set_value(("2.jpg", digit_photo(2), "image/jpeg"))
    camera.run()
    assert answer(camera) == "2"
    assert examples_shown(camera) == ["2"] * 8
    camera.pills[0].set_value(5).run()  # the class says a 5 was written
    note = next(m.value for m in camera.markdown if "where a 5 was written" in m.value)
    assert note.startswith("This app read 2") and "](#compare)" in note
    heading = next(h for h in camera.subheader if h.value.startswith("What the model saw"))
    assert heading.value.endswith("of a 2 and of a 5") and heading.proto.anchor == "compare"
    # A row of the digit read above a row of the digit written.
    assert examples_shown(camera) == ["2"] * 4 + ["5"] * 4
    # The chart of how sure the model is points at the 5's bar.
    assert [a["x"] for a in chart_spec(camera, "probabilities")["layout"]["annotations"]] == ["5"]
    caption = next(c.value for c in camera.caption if "what was written" in c.value)
    chance = r"The model put the chance of a 5 at (under 1%|[1-9]\d?%); \d of the 9 views read it"
    assert re.search(chance, caption)
    camera.pills[0].set_value(2).run()  # it was a 2 after all
    assert examples_shown(camera) == ["2"] * 8
    assert not any("where a" in m.value for m in camera.markdown)


def counted(at) -> list:
    """The tiles of the photos counted: one button each."""
    return [button for button in at.button if button.key.startswith("kept_")]


def test_every_photo_counted_can_be_looked_at_again(camera):
    # A class counts its photos; at the end, the teacher opens the one read wrong.
    camera.toggle(key="camera_on").set_value(True).run()
    camera.camera_input(key="camera").set_value(("photo.jpg", digit_photo(7), "image/jpeg"))
    camera.run()
    camera.pills[0].set_value(7).run()
    camera.camera_input(key="camera").set_value(("photo.jpg", digit_photo(2), "image/jpeg"))
    camera.run()
    camera.pills[0].set_value(5).run()  # the class says it was a 5: read wrong
    camera.button(key="sample_3").click().run()  # not counted: no tile
    assert answer(camera) == "3"
    first, second = counted(camera)
    assert "check" in first.proto.icon and "close" in second.proto.icon
    assert ":red[" in second.label and ":red[" not in first.label
    assert "a 5 was written. This app read 2" in second.help
    # The camera's photo has been replaced twice since: it is read again, whole.
    second.click().run()
    assert not camera.exception
    assert answer(camera) == "2" and camera.pills[0].value == 5
    # Its tile is filled blue, as the photo on the page: its digit white, not red on blue.
    shown = counted(camera)[1]
    assert shown.proto.type == "primary" and ":red[" not in shown.label
    assert any(c.value == "Photo 2 of the count" for c in camera.caption)
    assert len([c for c in captions(camera) if c[:2] in {f"{i}." for i in range(1, 10)}]) == 9
    counted(camera)[0].click().run()
    assert answer(camera) == "7" and camera.pills[0].value == 7
    # A new count: the tiles go, the photo on the page stays.
    camera.button(key="forget_marks").click().run()
    assert not counted(camera)
    assert answer(camera) == "7" and camera.pills[0].value is None
    assert any(c.value == "A photo from earlier" for c in camera.caption)


def test_the_count_stays_between_photos_and_beside_one_without_a_digit(camera):
    camera.button(key="sample_3").click().run()
    camera.pills[0].set_value(3).run()
    blank = blank_page()
    camera.file_uploader(key="upload").set_value(("blank.jpg", blank, "image/jpeg")).run()
    assert "No digit found" in camera.error[0].value
    assert tally(camera)["This app, so far"] == "1 of 1 right"
    counted(camera)[0].click().run()
    assert answer(camera) == "3"
    # The camera's photo cleared for the next one: nothing to read, the count stays.
    camera.toggle(key="camera_on").set_value(True).run()
    camera.camera_input(key="camera").set_value(("photo.jpg", digit_photo(2), "image/jpeg"))
    camera.run()
    assert answer(camera) == "2"
    camera.camera_input(key="camera").set_value(None).run()
    assert camera.info[0].value.startswith("Hold the paper up to the camera")
    assert tally(camera)["This app, so far"] == "1 of 1 right" and len(counted(camera)) == 1


def test_a_lab_colour_tiff_is_read_both_ways(camera):
    # A scanner's TIFF in CIE LAB colour, named .png (the uploader goes by the name; the
    # pipeline by the content): the notebook's way of reading it must manage it too.
    lab = decoded(digit_photo(7)).convert("RGB").convert("LAB")
    scan = ("scan.png", encode(lab, "TIFF"), "image/png")
    camera.file_uploader(key="upload").set_value(scan).run()
    assert not camera.exception
    assert answer(camera) == "7"
    notebook = next(m.value for m in camera.metric if m.label == "The notebook reads")
    assert notebook in [str(digit) for digit in range(10)]


def test_a_photo_the_pipeline_fails_on_gets_a_message_and_the_page_goes_on(
    camera, monkeypatch, caplog
):
    from digits_core import preprocess

    def fails(image, darkest=False):
        raise ValueError("image has wrong mode")

    with monkeypatch.context() as patch:
        patch.setattr(preprocess, "to_gray", fails)
        photo = ("odd.png", encode(Image.new("L", (300, 200), 240)), "image/png")
        camera.file_uploader(key="upload").set_value(photo).run()
    assert not camera.exception
    assert camera.error[0].value.startswith("This picture could not be read: the app failed")
    assert "ValueError: image has wrong mode" in camera.error[0].value
    # The server's log has the whole story.
    assert any(
        record.exc_info and "wrong mode" in str(record.exc_info[1]) for record in caplog.records
    )
    camera.button(key="sample_4").click().run()
    assert answer(camera) == "4"


def test_large_photos_counted_make_room_for_newer_ones(camera):
    # Large phone photos, 6 MB each (their JPEG data padded): a session keeps the newest
    # up to 20 MB, and counts them all.
    for digit in (7, 2, 3, 4, 5):
        photo = digit_photo(digit) + bytes(6_000_000 + digit)
        camera.file_uploader(key="upload").set_value((f"{digit}.jpg", photo, "image/jpeg"))
        camera.run()
        camera.pills[0].set_value(digit).run()
    assert tally(camera)["This app, so far"] == "5 of 5 right"
    tiles = counted(camera)
    assert len(tiles) == 3 and tiles[0].help.startswith("Photo 3: a 3 was written")
    tiles[0].click().run()
    assert answer(camera) == "3"


def test_a_photo_taken_or_uploaded_is_still_there_after_another_page(camera):
    # A teacher reads a photo, opens the Train page to show something, and comes back:
    # Streamlit forgets the uploader's and the camera's values meanwhile.
    def away_and_back(page: str, digit: str, caption: str) -> None:
        camera.run()
        open_page(camera, page)
        open_page(camera, "camera")
        assert answer(camera) == digit
        assert any(c.value == caption for c in camera.caption)

    camera.file_uploader(key="upload").set_value(("seven.jpg", digit_photo(7), "image/jpeg"))
    away_and_back("train", "7", "Uploaded: seven.jpg")
    camera.toggle(key="camera_on").set_value(True).run()
    camera.camera_input(key="camera").set_value(("photo.jpg", digit_photo(2), "image/jpeg"))
    away_and_back("overview", "2", "Camera photo")
    # The camera is still on, for the next photo, which takes its place; cleared for the
    # one after, it is gone.
    assert camera.toggle(key="camera_on").value and camera.camera_input(key="camera")
    camera.camera_input(key="camera").set_value(("photo.jpg", digit_photo(4), "image/jpeg"))
    camera.run()
    assert answer(camera) == "4"
    camera.camera_input(key="camera").set_value(None).run()
    assert not camera.metric and camera.info[0].value.startswith("Hold the paper up")
    # And an upload taken away (its ✕) goes too.
    camera.file_uploader(key="upload").set_value(("seven.jpg", digit_photo(7), "image/jpeg"))
    camera.run()
    assert answer(camera) == "7"
    camera.file_uploader(key="upload").set_value(None).run()
    assert not camera.metric


def test_an_uploaded_photo_is_read(camera):
    camera.file_uploader(key="upload").set_value(("seven.jpg", digit_photo(7), "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert answer(camera) == "7"
    assert any("seven.jpg" in c.value for c in camera.caption)


def test_a_photo_of_a_number_says_one_digit_is_read_at_a_time(camera):
    camera.file_uploader(key="upload").set_value(("42.jpg", number_photo((4, 2)), "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert answer(camera) in {"4", "2"}
    note = " ".join(i.value for i in camera.info)
    assert "more than one digit (yellow in step 5)" in note
    assert any(c.startswith("5. ") and "yellow" in c for c in captions(camera))
    camera.button(key="sample_3").click().run()
    assert not any("more than one digit" in i.value for i in camera.info)


def test_a_number_written_close_together_is_never_called_sure(camera):
    close = number_photo((4, 2), gap=0.15)
    camera.file_uploader(key="upload").set_value(("42.jpg", close, "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert "several digits written close together" in camera.warning[0].value
    assert not camera.success


def test_a_digit_cut_off_by_the_frame_is_never_called_sure(camera):
    cut = cut_off_photo(7, (0.5, 0.08))
    camera.file_uploader(key="upload").set_value(("cut.jpg", cut, "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert "touches the photo's edge (top)" in camera.warning[0].value
    assert not camera.success
    camera.button(key="sample_7").click().run()
    assert camera.success and not camera.warning


def test_a_digit_far_from_the_camera_is_read_and_the_page_says_come_closer(camera):
    far = digit_photo(4, "far off, 16:9 frame")
    camera.file_uploader(key="upload").set_value(("far.jpg", far, "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert answer(camera) == "4"
    assert any("Hold the paper closer" in i.value for i in camera.info)
    camera.button(key="sample_4").click().run()
    assert not any("Hold the paper closer" in i.value for i in camera.info)


def test_a_sheet_held_up_in_a_dim_room_is_read_and_the_page_says_why(camera):
    photo = held_up_photo(5)
    camera.file_uploader(key="upload").set_value(("held.jpg", photo, "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert answer(camera) == "5"
    assert any("mostly dark, yet" in c and "not turned around" in c for c in captions(camera))


def test_a_camera_photo_is_read(camera):
    camera.toggle(key="camera_on").set_value(True).run()
    # The camera is on: the page no longer asks for it to be turned on.
    assert camera.info[0].value.startswith("Hold the paper up to the camera and take a photo")
    camera.camera_input(key="camera").set_value(("photo.jpg", digit_photo(2), "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert answer(camera) == "2"


@pytest.mark.parametrize(
    ("url", "blocked"),
    [
        # A class served over plain http on the school's network: browsers refuse cameras.
        ("http://192.168.1.20:8501/camera", True),
        ("http://teachers-laptop.local:8501/camera", True),
        # https (Community Cloud), or the computer the app runs on: the camera works.
        ("https://digits.streamlit.app/camera", False),
        ("http://localhost:8501/camera", False),
        ("http://127.0.0.1:8501/camera", False),
        ("http://[::1]:8501/camera", False),
        # An address that cannot be read is not refused (nor a traceback).
        ("http://[::1:8501/camera", False),
    ],
)
def test_where_browsers_refuse_the_camera_the_switch_is_off_and_the_page_says_why(
    app, url, blocked
):
    app.context = {"url": url}
    camera = open_page(app, "camera")
    switch = camera.toggle(key="camera_on")
    address = url.removesuffix("/camera")
    said = any(address in caption.value for caption in camera.caption)
    assert (switch.disabled, said) == (blocked, blocked)
    prompt = camera.info[0].value
    assert ("turn the camera on" in prompt) != blocked
    if blocked:
        assert prompt == "Choose a sample photo or upload one."
    # Either way, a sample is read.
    camera.button(key="sample_3").click().run()
    assert answer(camera) == "3"


def test_a_blank_page_says_no_digit_and_what_to_try(camera):
    blank = blank_page()
    camera.file_uploader(key="upload").set_value(("blank.jpg", blank, "image/jpeg"))
    camera.run()
    assert not camera.exception
    assert "No digit found" in camera.error[0].value
    assert "thick dark marker" in camera.info[0].value
    assert not camera.metric
    # The notebook's way would still have named a digit: the page says so.
    assert any("would have read this photo as a" in c.value for c in camera.caption)


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (("notes.png", b"hello, not a picture", "image/png"), "not a picture"),
        # A megabyte to upload, hundreds of megabytes to open: refused before opening.
        (
            ("page.webp", encode(Image.new("L", (4800, 3600), 255), "WEBP"), "image/webp"),
            "save it as JPEG",
        ),
    ],
    ids=["not a picture", "huge webp"],
)
def test_a_file_it_cannot_read_gets_a_clear_message_and_the_page_goes_on(camera, upload, says):
    camera.file_uploader(key="upload").set_value(upload)
    camera.run()
    assert not camera.exception
    assert says in camera.error[0].value
    camera.button(key="sample_5").click().run()
    assert answer(camera) == "5"


def test_the_model_trained_on_the_train_page_is_the_one_used(camera):
    camera.button(key="sample_8").click().run()
    assert "app's camera model" in " ".join(c.value for c in camera.caption)
    open_page(camera, "train")
    camera.select_slider(key="gamma").set_value(0.1).run()
    open_page(camera, "camera")
    notes = " ".join(c.value for c in camera.caption)
    assert "Train page's model" in notes and f"gamma{EQUALS}0.1" in notes


def test_a_model_trained_on_scanned_digits_says_so_and_one_click_brings_the_camera_model(camera):
    # Opening the Train page trains the notebook's model (digits as scanned) and makes it
    # the one in use; the Camera page says it reads photos less well and offers the other.
    camera.button(key="sample_8").click().run()
    assert not camera.info and "use_camera_model" not in [b.key for b in camera.button]
    open_page(camera, "train")
    open_page(camera, "camera")
    assert "as they were scanned" in camera.info[0].value
    camera.button(key="use_camera_model").click().run()
    assert not camera.exception
    assert "app's camera model" in " ".join(c.value for c in camera.caption)
    assert not any("as they were scanned" in i.value for i in camera.info)
    assert f"gamma{EQUALS}0.001, C{EQUALS}5" in " ".join(m.value for m in camera.sidebar.markdown)
    open_page(camera, "train")
    assert camera.select_slider(key="C").value == 5.0 and camera.toggle(key="prepared").value
