"""The private bucket's storage (STORAGES["private"] when S3_PRIVATE_BUCKET is set; see core.storage).

In its own module so that processes without S3 configured never import boto3.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """S3 for private files. No URL: files are streamed through the permission-checked views, and a
    signed URL would open the file for whoever got hold of it."""

    def url(self, name, *args, **kwargs):
        raise ValueError("This file is not accessible via a URL.")
