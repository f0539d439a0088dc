"""The one private storage: files that have no public URL and are served only through
permission-checked views (hearing response attachments, candidate photos before approval …)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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


def private_storage():
    """The storage for private files; a callable so models and migrations don't freeze a location."""
    return PrivateStorage()
