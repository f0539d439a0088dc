"""Issue 10: document containers (DOCX, ODT) are inspected with bounded reads.

A zip bomb (1 MB that inflates to 1 GiB), an archive with thousands of entries, and macro-enabled
Office files are refused, and the check never holds more than a little memory.
"""

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.uploads import DOCX, ODT, sniff
from tests.consultations.test_response_form import assert_nothing_stored, docx_bytes, form_data, odt_bytes

pytestmark = pytest.mark.django_db

GIB = 1024**3
MIB = 1024**2
DOCX_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _deflated_zeros(total):
    """A raw deflate stream of ``total`` zero bytes, built from one compressed MiB repeated.

    After a full flush the compressor starts afresh, so the compressed form of each further MiB
    is the same bytes; the stream is built in a few milliseconds instead of deflating 1 GiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return piece * (total // MIB) + compressor.flush(zlib.Z_FINISH)


def raw_zip(entries):
    """A ZIP from (name, compressed bytes, method, declared size, crc) written by hand, so the
    declared sizes can be the truth or a lie."""
    out, directory = io.BytesIO(), []
    for name, data, method, size, crc in entries:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        )
        out.write(encoded)
        out.write(data)
        directory.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for record in directory:
        out.write(record)
    end = out.tell()
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), end - start, start, 0))
    return out.getvalue()


def docx_bomb(declared_size):
    """A DOCX whose [Content_Types].xml inflates to 1 GiB (its real start is a valid content types
    part, then zeros), declaring ``declared_size`` as its size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(DOCX_TYPES) + compressor.flush(zlib.Z_FULL_FLUSH)
    zeros = _deflated_zeros(GIB)
    crc = zlib.crc32(DOCX_TYPES)
    if declared_size == GIB + len(DOCX_TYPES):
        crc = _crc_over_zeros(crc, GIB)
    document = zlib.compress(b"<w:document/>")[2:-4]
    return raw_zip(
        [
            ("[Content_Types].xml", head + zeros, zipfile.ZIP_DEFLATED, declared_size, crc),
            ("word/document.xml", document, zipfile.ZIP_DEFLATED, 13, zlib.crc32(b"<w:document/>")),
        ]
    )


def _crc_over_zeros(crc, total):
    block = bytes(MIB)
    for _ in range(total // MIB):
        crc = zlib.crc32(block, crc)
    return crc


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def peak_of(function, *args):
    tracemalloc.start()
    try:
        result = function(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.fixture(scope="module")
def honest_bomb():
    return docx_bomb(GIB + len(DOCX_TYPES))


@pytest.fixture(scope="module")
def lying_bomb():
    # The directory claims 2 KB: only a bounded read finds out.
    return docx_bomb(2048)


def test_the_bombs_are_real(honest_bomb):
    """The honest bomb is about 1 MB and a plain zipfile read of it gives 1 GiB (read here in
    chunks, so the test itself stays small)."""
    assert 0.9 * MIB < len(honest_bomb) < 1.5 * MIB
    with zipfile.ZipFile(io.BytesIO(honest_bomb)) as archive, archive.open("[Content_Types].xml") as part:
        total = 0
        while chunk := part.read(16 * MIB):
            total += len(chunk)
    assert total == GIB + len(DOCX_TYPES)


@pytest.mark.parametrize("bomb", ["honest_bomb", "lying_bomb"])
def test_zip_bomb_is_refused_in_little_memory(bomb, request):
    data = request.getfixturevalue(bomb)
    result, peak = peak_of(sniff, upload("svar.docx", data))
    assert result is None
    assert peak < 50 * MIB, f"the check held {peak / MIB:.0f} MB"


def test_zip_bomb_upload_is_refused_with_a_message_and_nothing_stored(client, hearing, lying_bomb):
    answer = client.post(hearing.url, form_data(attachments=[upload("svar.docx", lying_bomb)]))
    assert answer.status_code == 200
    assert "Filen »svar.docx« er ikke en PDF-, DOCX-, ODT-, PNG- eller JPEG-fil." in answer.content.decode()
    assert_nothing_stored()


def test_archive_with_too_many_entries_is_refused_before_its_directory_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(5000):
            archive.writestr(f"word/media/x{number}.xml", "")
    assert sniff(upload("svar.docx", buffer.getvalue())) is None


def test_real_documents_still_pass():
    assert sniff(upload("svar.docx", docx_bytes())) == DOCX
    assert sniff(upload("svar.odt", odt_bytes())) == ODT


def office_file(main_type, extra_parts=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name in extra_parts:
            archive.writestr(name, b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # Word's own macro-enabled document: its content type says so.
        ("doc.docm", office_file("application/vnd.ms-word.document.macroEnabled.main+xml", ["word/vbaProject.bin"])),
        # A macro project smuggled into a file whose content type claims a plain document.
        (
            "doc.docx",
            office_file(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                ["word/vbaProject.bin"],
            ),
        ),
        ("ark.xlsm", office_file("application/vnd.ms-excel.sheet.macroEnabled.main+xml", ["xl/vbaProject.bin"])),
        (
            "dias.pptm",
            office_file("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", ["ppt/vbaProject.bin"]),
        ),
    ],
)
def test_macro_enabled_office_files_are_refused_by_content(name, data):
    assert sniff(upload(name, data)) is None


def test_opendocument_with_basic_macros_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    assert sniff(upload("svar.odt", buffer.getvalue())) is None


def test_bzip2_entries_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    assert sniff(upload("svar.docx", buffer.getvalue())) is None
