"""Photos people upload (candidate photos): decoded by Pillow and stored as a new image.

What is stored is never the uploaded file. The upload is read (at most ``max_bytes``), opened
by Pillow as JPEG, PNG or WebP only, refused before decoding when its header claims more than
``MAX_PIXELS`` pixels for its format (a decompression bomb: a 110 KB PNG can claim 30,000 ×
30,000 pixels), decoded scaled down to ``max_side``, turned the way its EXIF orientation says and
written as a fresh image of the same format. Everything but the pixels is left behind: EXIF (with GPS
position, camera serial number, time), XMP, ICC profiles, comments, text chunks and any bytes
after the image – so a file that starts like a JPEG and goes on as HTML is either refused
(it cannot be decoded) or, if it also holds a real image, stored as that image only.

:func:`reencode` raises :class:`ImageRefused` with a ``reason`` the form turns into its message.
"""

import io
import math

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → (file extension, content type)
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
# The most pixels a photo of each format may have. Each bound keeps the peak memory of one
# re-encoding under about 80 MB (measured in tests/elections/test_candidate_photos.py): a JPEG
# is decoded at a fraction of its size, a PNG whole (4 bytes a pixel), a WebP whole and copied.
MAX_PIXELS = {"JPEG": 50_000_000, "PNG": 12_600_000, "WEBP": 4_200_000}
MAX_SIDE = 1600  # the stored photo's longest side (shown at 96 px; enough for print)
_SIGNATURES = {"JPEG": b"\xff\xd8\xff", "PNG": b"\x89PNG\r\n\x1a\n"}


class ImageRefused(Exception):
    """``reason``: ``"too_big"`` (bytes), ``"not_an_image"`` or ``"too_many_pixels"`` (then ``kind``
    is the format and ``max_pixels`` its bound)."""

    def __init__(self, reason, kind=None):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.max_pixels = MAX_PIXELS.get(kind)


def _kind_of(data):
    for kind, signature in _SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return "WEBP" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else None


def _open(data):
    """Pillow's image of ``data`` with only its header read; refused if it claims too many pixels."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except Image.DecompressionBombError as error:  # Pillow's own bound, far above ours
        raise ImageRefused("too_many_pixels", _kind_of(data)) from error
    width, height = image.size
    if width * height > MAX_PIXELS[image.format]:
        raise ImageRefused("too_many_pixels", image.format)
    return image


def _decode_small(image, max_side):
    """Decode ``image`` scaled to fit ``max_side`` (a JPEG at 1/2, 1/4 or 1/8 of its size while
    decoding, where that is still big enough), before turning it: no second full-size copy."""
    width, height = image.size
    scale = min(1, max_side / max(width, height))
    if image.format == "JPEG":
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=None)
    image.load()
    return ImageOps.exif_transpose(image)


def _pixels_only(image, keep_alpha):
    """A new image with ``image``'s pixels and nothing else (no info, EXIF, palette tricks)."""
    mode = "RGBA" if keep_alpha and ("A" in image.getbands() or "transparency" in image.info) else "RGB"
    if image.mode == "L" and mode == "RGB":
        mode = "L"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def reencode(upload, *, max_bytes, max_side=MAX_SIDE, name="billede"):
    """The uploaded photo as a fresh image file (ContentFile named ``name.<ext>``) with
    ``content_type`` set; raises :class:`ImageRefused`."""
    if upload.size is not None and upload.size > max_bytes:
        raise ImageRefused("too_big")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ImageRefused("too_big")
    try:
        image = _open(data)
        kind = image.format
        clean = _pixels_only(_decode_small(image, max_side), keep_alpha=kind != "JPEG")
        out = io.BytesIO()
        if kind == "JPEG":
            clean.save(out, "JPEG", quality=85, optimize=True)
        elif kind == "PNG":
            clean.save(out, "PNG", optimize=True)
        else:
            clean.save(out, "WEBP", quality=85)
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRefused("not_an_image") from error
    extension, content_type = FORMATS[kind]
    result = ContentFile(out.getvalue(), name=f"{name}.{extension}")
    result.content_type = content_type
    return result
