"""The one private storage: files that have no public URL and are served only through
permission-checked views (hearing response attachments, candidate photos before approval; later
survey exports and poll-card letters).

``private_storage()`` is the accessor for every such file. It is ``STORAGES["private"]``: local disk
under ``PRIVATE_MEDIA_ROOT`` by default, or an S3 bucket when ``S3_PRIVATE_BUCKET`` is set (README
"Object storage"), so several app servers share the files without sharing a disk.

Private files are streamed through the app after the permission check (``private_file_response``),
never handed out as a signed URL: the check then runs on every download, a link that is forwarded,
logged or left in a browser history opens nothing, the bucket needs no address reachable by
citizens, and local disk and S3 behave the same. Downloads are capped in size (attachments
10 MB) and read in blocks, so streaming them costs an app worker little. ``url()`` therefore
refuses on both backends.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty

PRIVATE = "private"


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (read at use, so tests can point it elsewhere)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class _PrivateFiles(LazyObject):
    """``STORAGES["private"]``, looked up at first use and again after the STORAGES setting changes."""

    def _setup(self):
        if PRIVATE in settings.STORAGES:
            self._wrapped = storages[PRIVATE]
        else:  # settings that replace STORAGES without naming it (e.g. bench/) keep the local default
            self._wrapped = PrivateStorage()


_private_files = _PrivateFiles()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_files._wrapped = empty


def private_storage():
    """The storage for private files; a callable so models and migrations don't freeze a backend."""
    return _private_files


def private_file_response(file, filename, content_type):
    """Stream a private file as a download. Call it only after the permission check.

    ``file`` is a FieldFile on the private storage; a file missing from the storage is a 404.
    """
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
