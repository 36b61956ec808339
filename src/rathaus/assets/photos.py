"""Photos of inspections, work orders and damage reports: checked like every upload
(by content, JPEG or PNG only) and kept in the document store with their hash."""

from django.conf import settings

from rathaus.accounts.permissions import unguarded_module
from rathaus.authorities.tenancy import current_authority
from rathaus.records.blobs import open_verified, store_stream
from rathaus.records.file_types import JPEG, PNG
from rathaus.records.uploads import UploadRejected, check_upload

from .models import Photo

unguarded_module(__name__, "checks and stores a photo for a guarded service or a "
                           "citizen's report; decides nothing")

PHOTO_TYPES = (JPEG.media_type, PNG.media_type)

__all__ = ["UploadRejected", "open_photo", "store_photo"]


def max_photo_bytes() -> int:
    return getattr(settings, "RATHAUS_PHOTO_MAX_MB", 15) * 1024 * 1024


def store_photo(uploaded_file, **links) -> Photo:
    """Check `uploaded_file` and store it; raises UploadRejected with a German reason.
    `links`: inspection=… or work_order=…"""
    checked = check_upload(uploaded_file, allowed_types=PHOTO_TYPES, max_bytes=max_photo_bytes())
    stored = store_stream(checked.content, authority_slug=current_authority().slug)
    return Photo.objects.create(
        blob_name=stored.name, sha256=stored.sha256, media_type=checked.media_type,
        size=stored.size, **links,
    )


def open_photo(photo: Photo):
    """A context manager giving the photo's verified blob (records.blobs)."""
    return open_verified(photo.blob_name, sha256=photo.sha256)
