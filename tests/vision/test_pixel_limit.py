"""Images over the pixel limit are refused from their header, before decoding, and no
file's failure ends a ``recognize`` batch (issue 13 item 2)."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest

from lenet_desktop.cli import main
from lenet_desktop.vision import io
from lenet_desktop.vision.io import ImageReadError, header_size, read_image


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(path, width: int = 30000, height: int = 30000) -> None:
    """A PNG whose header says width x height; its data holds the first rows only.

    Decoding it would allocate width x height bytes before finding the data short.
    """
    rows = zlib.compress((b"\x00" + b"\xff" * width) * 8, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_bomb_is_refused_from_its_header(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.png"
    png_bomb(bomb)
    assert header_size(bomb) == (30000, 30000)

    def no_decoding(*args, **kwargs):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(io.cv2, "imdecode", no_decoding)
    with pytest.raises(ImageReadError, match=r"image too large \(30000 x 30000\)"):
        read_image(bomb)


def test_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "wide.png"
    cv2.imwrite(str(path), np.full((100, 200), 255, np.uint8))
    with pytest.raises(ImageReadError, match=r"image too large \(200 x 100\)"):
        read_image(path, limit=19_999)
    assert read_image(path, limit=20_000).shape == (100, 200)
    monkeypatch.setenv(io.MAX_PIXELS_ENV, "5000")
    assert io.max_pixels() == 5000
    with pytest.raises(ImageReadError, match="image too large"):
        read_image(path)
    monkeypatch.setenv(io.MAX_PIXELS_ENV, "lots")
    assert io.max_pixels() == io.DEFAULT_MAX_PIXELS
    assert read_image(path).shape == (100, 200)


def test_a_50_megapixel_photo_is_within_the_default_limit():
    assert 8256 * 6192 <= io.DEFAULT_MAX_PIXELS < 30000 * 30000


def digit_photo(path) -> None:
    image = np.full((120, 120), 255, np.uint8)
    cv2.line(image, (60, 20), (60, 100), 0, 9)
    cv2.imwrite(str(path), image)


def test_a_bomb_in_a_batch_does_not_stop_the_other_files(tmp_path, capsys):
    bomb, good = tmp_path / "bomb.png", tmp_path / "one.png"
    png_bomb(bomb)
    digit_photo(good)
    assert main([str(bomb), str(good), "--max-pixels", "1000000"]) == 1
    out, err = capsys.readouterr()
    assert "bomb.png: error: image too large (30000 x 30000)" in err
    assert f"{good}: 1" in out


def test_out_of_memory_on_one_file_does_not_end_the_batch(tmp_path, monkeypatch, capsys):
    import lenet_desktop.model.reading as reading

    files = [tmp_path / f"{name}.png" for name in ("a", "huge", "b")]
    for path in files:
        digit_photo(path)
    cv2.imwrite(str(files[1]), np.full((130, 120), 255, np.uint8))  # told apart by its height
    real = reading.find_marks

    def find_marks(image, *args, **kwargs):
        if image.shape[0] == 130:
            raise MemoryError
        return real(image, *args, **kwargs)

    monkeypatch.setattr(reading, "find_marks", find_marks)
    assert main([str(p) for p in files]) == 1
    out, err = capsys.readouterr()
    assert "huge.png: error: not enough memory to read it" in err
    assert f"{files[0]}: 1" in out and f"{files[2]}: 1" in out


@pytest.mark.parametrize("kind", ["png", "jpeg", "progressive-exif-jpeg", "bmp", "webp"])
def test_header_size_matches_the_decoded_image(tmp_path, kind):
    from PIL import Image

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 255, (37, 53, 3), dtype=np.uint8)
    path = tmp_path / f"image.{kind.split('-')[-1]}"
    if kind == "progressive-exif-jpeg":
        exif = Image.Exif()
        exif[0x010E] = "x" * 5000  # a large APP1 segment before the frame header
        Image.fromarray(pixels).save(path, progressive=True, exif=exif)
    else:
        cv2.imwrite(str(path), pixels)
    data = np.fromfile(path, np.uint8)
    assert header_size(path, data) == (53, 37) == header_size(path)
    assert read_image(path).shape[:2] == (37, 53)
