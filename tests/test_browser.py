"""The notebook HTML rendered by a real browser (Debian's headless Chromium) is not blank.
Skipped when Chromium is absent; CI installs it."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import arnews_nlp
from arnews_nlp.display import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _distinct_pixel_bytes(png: bytes) -> int:
    """How many distinct byte values the decompressed image data holds (a blank page
    has one colour and its row filter bytes: a handful)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(data)))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_rendered_page_is_not_blank(tmp_path: Path) -> None:
    doc = arnews_nlp.analyze("قال البيت الأبيض إن بايدن تحدث مع أمير قطر بشأن غزة.")
    page = tmp_path / "page.html"
    page.write_text(
        f'<!doctype html><meta charset="utf-8"><body>{render(doc)}</body>', encoding="utf-8"
    )
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=800,400",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert _distinct_pixel_bytes(shot.read_bytes()) > 20


def test_blank_detector_detects_blank() -> None:
    # a 2x2 white RGB PNG, built by hand: the detector must call it blank
    raw = b"".join(b"\x00" + b"\xff" * 6 for _ in range(2))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    assert _distinct_pixel_bytes(png) <= 2
