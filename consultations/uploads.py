"""Check uploaded attachments by their content, never by their name.

DOCX and ODT are ZIP containers, and a ZIP can be a bomb: a small file whose entries inflate to
gigabytes, or millions of entries. The container check therefore reads the entry count from the
archive's end record before parsing the directory, refuses an archive whose declared sizes or
compression ratios no document has, and reads the one or two entries it needs in bounded chunks,
so it never holds more than a few hundred kilobytes whatever the archive claims.

Macro-enabled Office files (DOCM and friends: a ``vbaProject.bin`` part or a macro-enabled content
type) and OpenDocument files with Basic or scripts are refused.
"""

import struct
import zipfile
import zlib

import filetype

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ALLOWED = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    DOCX: "docx",
    ODT: "odt",
}

# What a real document stays well inside (Word and LibreOffice files have tens of entries, the
# XML parts compress about 10:1, an embedded picture about 1:1).
MAX_ENTRIES = 1000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 1024 * 1024
MAX_PART_READ = 512 * 1024
READ_CHUNK = 64 * 1024

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"

# Entry names that mean executable content in an Office or OpenDocument container.
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "/activex/")
_OPENDOCUMENT_SCRIPT_FOLDERS = ("basic/", "scripts/")
_MACRO_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex", b"ms-office.vba")


class Refused(Exception):
    """The archive is not a document we keep (too many entries, a bomb, macros, unreadable)."""


def _entry_count(upload):
    """The number of entries the archive's end record declares, read without parsing the directory."""
    upload.seek(0, 2)
    size = upload.tell()
    tail_size = min(size, _EOCD_SIZE + 0xFFFF)
    upload.seek(size - tail_size)
    tail = upload.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise Refused("no end record")
    disk_entries, total_entries = struct.unpack("<HH", tail[at + 8 : at + 12])
    if total_entries == 0xFFFF or disk_entries == 0xFFFF or tail[max(0, at - 20) : at].startswith(_ZIP64_LOCATOR):
        # A ZIP64 archive: no document upload within our size limit needs one.
        raise Refused("zip64")
    return total_entries


def _read_bounded(archive, info, limit=MAX_PART_READ):
    """The entry's bytes, refusing it as soon as it inflates past ``limit``, whatever it declares."""
    if info.file_size > limit:
        raise Refused("part too large")
    parts, total = [], 0
    with archive.open(info) as handle:
        while chunk := handle.read(READ_CHUNK):
            total += len(chunk)
            if total > limit:
                raise Refused("part inflates past its limit")
            parts.append(chunk)
    return b"".join(parts)


def _check_sizes(infos):
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Office and OpenDocument use only these; bzip2 and LZMA inflate without a bound per read.
            raise Refused("compression method")
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise Refused("declared size")
        if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused("compression ratio")


def inspect_container(upload):
    """Return DOCX or ODT for a safe document container; raise ``Refused`` otherwise."""
    if _entry_count(upload) > MAX_ENTRIES:
        raise Refused("too many entries")
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Refused("too many entries")
        _check_sizes(infos)
        by_name = {info.filename: info for info in infos}
        lowered = [name.lower() for name in by_name]
        if any(marker in name for name in lowered for marker in _MACRO_PARTS):
            raise Refused("macros")
        if any(name.startswith(_OPENDOCUMENT_SCRIPT_FOLDERS) for name in lowered):
            raise Refused("macros")
        if "mimetype" in by_name:
            if _read_bounded(archive, by_name["mimetype"], 256).strip() == ODT.encode():
                return ODT
            raise Refused("not a text document")
        if "[Content_Types].xml" in by_name and "word/document.xml" in by_name:
            types = _read_bounded(archive, by_name["[Content_Types].xml"]).lower()
            if any(marker in types for marker in _MACRO_TYPES):
                raise Refused("macros")
            if b"wordprocessingml.document.main+xml" in types:
                return DOCX
    raise Refused("not a document")


def _zip_document_type(upload):
    """DOCX and ODT are zip containers: read the container to tell which, if either."""
    try:
        return inspect_container(upload)
    except (
        Refused,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        KeyError,
        RuntimeError,
        ValueError,
        EOFError,
        NotImplementedError,
        struct.error,
    ):
        return None
    finally:
        upload.seek(0)


def sniff(upload):
    """Return the content type of an allowed attachment, or None if the content is not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in (PDF, PNG, JPEG):
        return mime
    if mime in ("application/zip", DOCX, ODT) or head.startswith(b"PK\x03\x04"):
        return _zip_document_type(upload)
    return None


def extension_for(content_type):
    """The extension a file of this detected type is stored and served under."""
    return ALLOWED.get(content_type, "bin")


def download_name(original_name, content_type):
    """The person's file name with the extension of its detected type: »rapport.html« that is a PDF
    becomes »rapport.pdf«. Path parts and control or bidi characters are dropped."""
    base = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in _BIDI_CONTROLS).strip(" .")[:120]
    return f"{stem or 'bilag'}.{extension_for(content_type)}"


_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
