"""Issue 10: candidate photos kept their EXIF data (GPS position included), and a file with JPEG
magic bytes followed by HTML was accepted as a photo. Now every photo is decoded and stored as a
new image (core.images): only the pixels are kept, what cannot be decoded is refused in Danish,
and a decompression bomb is refused from its header, before it is decoded."""

import io
import json
import subprocess
import sys
import zlib
from pathlib import Path
from struct import pack

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from core import images
from elections.models import Candidate

from . import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GPS_IFD = 0x8825
ORIENTATION = 0x0112
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
NOT_AN_IMAGE = "Filen er ikke et billede i JPEG, PNG eller WebP."


@pytest.fixture
def nominating(council):
    return factories.nominating(council)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Photos go to a temporary private folder per test, so a test sees only its own files."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def stored_files(settings=settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def gps_exif(orientation=1):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Telefonfabrikant"  # Make
    exif[0x0131] = "Hemmelig-App 1.0"  # Software
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (55.0, 40.0, 12.5), 3: "E", 4: (12.0, 34.0, 56.7)})
    return exif


def jpeg_with_gps(size=(40, 20), orientation=1, comment=b""):
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # left half blue: shows which way it turned
    out = io.BytesIO()
    image.save(out, "JPEG", exif=gps_exif(orientation), comment=comment)
    return out.getvalue()


def png_with_metadata():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Optaget på Vesterbrogade 12, 3. tv")
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 128, 0, 128)).save(out, "PNG", pnginfo=info, exif=gps_exif())
    return out.getvalue()


def png_bomb(side=30_000):
    """A real PNG of side × side black pixels (1 bit each): ~110 KB that decodes to side² pixels."""
    row = b"\x00" + b"\x00" * (side // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind, data):
        return pack(">I", len(data)) + kind + data + pack(">I", zlib.crc32(kind + data))

    header = pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def upload(data, name="mig.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def submit(client, election, number, photo):
    return client.post(
        reverse("elections:nominate", args=[election.pk]),
        {
            "name": "Samira Haddad",
            "email": "samira@example.org",
            "personal_number": number,
            "statement": "Jeg vil arbejde for flere sprogtilbud.",
            "languages": "dansk, arabisk",
            "consent": "on",
            "photo": photo,
        },
    )


def served_photo(client, candidate):
    """The photo as the public sees it once the candidate is approved."""
    candidate.approve()
    response = client.get(reverse("elections:candidate_photo", args=[candidate.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def assert_refused(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Samira Haddad"' in html, "what was typed is kept"
    assert Candidate.objects.count() == 0
    assert stored_files(settings) == [], "no file written"


def test_gps_and_every_other_exif_field_are_gone_from_the_stored_photo(client, nominating):
    election, numbers = nominating
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)[2] == (55.0, 40.0, 12.5)
    assert submit(client, election, numbers[0], upload(original)).status_code == 302

    stored = served_photo(client, Candidate.objects.get())
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"Exif" not in stored
    assert b"Telefonfabrikant" not in stored and b"Hemmelig-App" not in stored
    assert image.size == (40, 20)


def test_the_orientation_is_applied_before_the_exif_is_dropped(client, nominating):
    """A phone photo taken upright is stored sideways with »rotate 90°« in EXIF; without EXIF it
    must be turned already, or the candidate would lie on their side on the ballot."""
    election, numbers = nominating
    submit(client, election, numbers[0], upload(jpeg_with_gps(size=(40, 20), orientation=6)))
    image = Image.open(io.BytesIO(served_photo(client, Candidate.objects.get()))).convert("RGB")
    assert image.size == (20, 40)
    red, _green, blue = image.getpixel((10, 5))  # orientation 6: the blue left half is now on top
    assert blue > 200 and red < 60


def test_png_text_chunks_and_exif_are_gone_and_transparency_is_kept(client, nominating):
    election, numbers = nominating
    submit(client, election, numbers[0], upload(png_with_metadata(), "mig.png", "image/png"))
    candidate = Candidate.objects.get()
    assert candidate.photo.name.endswith(".png")
    stored = served_photo(client, candidate)
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.mode) == ("PNG", "RGBA")
    assert b"Vesterbrogade" not in stored and b"eXIf" not in stored and b"tEXt" not in stored
    assert image.getpixel((5, 5)) == (0, 128, 0, 128)


def test_webp_stays_webp_without_metadata(client, nominating):
    election, numbers = nominating
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "yellow").save(out, "WEBP", exif=gps_exif())
    assert b"EXIF" in out.getvalue() and b"Telefonfabrikant" in out.getvalue()
    submit(client, election, numbers[0], upload(out.getvalue(), "mig.webp", "image/webp"))
    stored = served_photo(client, Candidate.objects.get())
    assert Image.open(io.BytesIO(stored)).format == "WEBP"
    assert b"EXIF" not in stored and b"Exif" not in stored and b"Telefonfabrikant" not in stored


def test_jpeg_magic_bytes_followed_by_html_are_refused(client, nominating):
    election, numbers = nominating
    fake = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + HTML
    response = submit(client, election, numbers[0], upload(fake, "mig.jpg"))
    assert_refused(response, NOT_AN_IMAGE)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: jpeg_with_gps() + HTML, id="html-after-the-image"),
        pytest.param(lambda: jpeg_with_gps(comment=HTML), id="html-in-a-jpeg-comment"),
    ],
)
def test_html_riding_on_a_real_image_is_not_stored(client, nominating, data):
    """A real JPEG with HTML after its end, or in a comment segment, is stored as the image only."""
    election, numbers = nominating
    assert submit(client, election, numbers[0], upload(data())).status_code == 302
    stored = served_photo(client, Candidate.objects.get())
    assert b"<script" not in stored and b"<html" not in stored
    Image.open(io.BytesIO(stored)).verify()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "mig.gif", id="gif"),  # not one of the three types
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "mig.png", id="png-signature-only"),
        pytest.param(b"RIFF\x10\x00\x00\x00WEBPVP8 " + HTML, "mig.webp", id="webp-header-then-html"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "mig.svg", id="svg"),
    ],
)
def test_what_cannot_be_decoded_as_jpeg_png_or_webp_is_refused(client, nominating, data, name):
    election, numbers = nominating
    assert_refused(submit(client, election, numbers[0], upload(data, name)), NOT_AN_IMAGE)


def test_a_decompression_bomb_is_refused_from_its_header(client, nominating):
    """~110 KB of PNG that would decode to 900 million pixels."""
    election, numbers = nominating
    bomb = png_bomb()
    assert len(bomb) < 200_000
    response = submit(client, election, numbers[0], upload(bomb, "mig.png", "image/png"))
    assert_refused(
        response,
        "Billedet har for mange pixels. Som PNG må det højst have 12,6 millioner pixels. "
        "Gem det i en mindre størrelse, og prøv igen.",
    )


def test_a_photo_over_5_mb_is_refused(client, nominating):
    election, numbers = nominating
    big = jpeg_with_gps() + b"\x00" * (5 * 1024 * 1024)
    assert_refused(submit(client, election, numbers[0], upload(big)), "Billedet er for stort. Det må højst fylde 5 MB.")


def test_a_large_photo_is_scaled_down_to_the_longest_side():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(out, "JPEG")
    stored = images.reencode(upload(out.getvalue()), max_bytes=5 * 1024 * 1024, name="kandidat")
    assert stored.name == "kandidat.jpg" and stored.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(stored.read())).size == (images.MAX_SIDE, 1200)


MEASURE = """
import json, re, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from django.core.files.uploadedfile import SimpleUploadedFile
from core import images


def high_water_kb():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))


data = Path(sys.argv[2]).read_bytes()
before = high_water_kb()
try:
    images.reencode(SimpleUploadedFile("x.png", data), max_bytes=5 * 1024 * 1024)
    outcome = "stored"
except images.ImageRefused as refused:
    outcome = refused.reason
print(json.dumps({"outcome": outcome, "peak_growth_kb": high_water_kb() - before}))
"""


def measure(tmp_path, data):
    """Peak memory growth (KB) of re-encoding ``data``, in a process of its own: Pillow's pixel
    buffers are C memory, which tracemalloc does not see; the process's high-water mark (VmHWM,
    which starts afresh at exec, unlike ru_maxrss) does."""
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(ROOT), str(path)],
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_bomb_is_refused_without_decoding_it(tmp_path):
    """Decoded, the bomb would take 900 MB (one byte per pixel in Pillow); refused from its header it
    takes next to nothing."""
    bomb = measure(tmp_path, png_bomb())
    assert bomb["outcome"] == "too_many_pixels"
    assert bomb["peak_growth_kb"] < 5 * 1024, bomb
    print(f"peak memory growth, 30,000 × 30,000 PNG bomb: {bomb['peak_growth_kb']} KB")


@pytest.mark.parametrize(
    ("kind", "size"),
    [("JPEG", (8160, 6120)), ("PNG", (4096, 3072)), ("WEBP", (2400, 1750))],
)
def test_the_largest_photo_of_each_format_is_re_encoded_in_bounded_memory(tmp_path, kind, size):
    """At each format's pixel bound (a 50-megapixel phone JPEG, a 12.6-megapixel PNG, a 4.2-megapixel
    WebP) one re-encoding stays under 96 MB; one pixel row more is refused."""
    assert size[0] * size[1] <= images.MAX_PIXELS[kind]
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind)
    largest = measure(tmp_path, out.getvalue())
    assert largest["outcome"] == "stored"
    assert largest["peak_growth_kb"] < 96 * 1024, largest
    print(f"peak memory growth, {kind} {size[0]} × {size[1]}: {largest['peak_growth_kb'] // 1024} MB")
    over = io.BytesIO()
    Image.new("L", (size[0], images.MAX_PIXELS[kind] // size[0] + 1), "white").save(over, kind)
    with pytest.raises(images.ImageRefused) as refused:
        images.reencode(upload(over.getvalue()), max_bytes=5 * 1024 * 1024)
    assert (refused.value.reason, refused.value.kind) == ("too_many_pixels", kind)
