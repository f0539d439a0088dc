"""Check uploaded attachments by their content, never by their name."""

import zipfile

import filetype

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    DOCX: "docx",
    ODT: "odt",
}


def _zip_document_type(upload):
    """DOCX and ODT are zip containers: read the container to tell which, if either."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.read("mimetype").strip() == ODT.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.read("[Content_Types].xml")
                if b"wordprocessingml.document.main+xml" in types:
                    return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload):
    """Return the content type of an allowed attachment, or None if the content is not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in ("application/pdf", "image/png", "image/jpeg"):
        return mime
    if mime in ("application/zip", DOCX, ODT) or head.startswith(b"PK\x03\x04"):
        return _zip_document_type(upload)
    return None
