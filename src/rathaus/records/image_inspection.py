"""Looking inside an uploaded image before the eAkte accepts it."""

import io

from PIL import Image

from .file_types import FileType

_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}
MAX_MEGAPIXELS = 60  # a 50-megapixel camera is the most a citizen plausibly uses


def image_problem(content: bytes, file_type: FileType) -> str | None:
    """None for an intact image of `file_type`; else "image_broken" or "image_too_large".

    Only the header is read and the structure verified (Pillow's verify()); the pixels
    are not decoded, so a small file claiming a gigantic image costs nothing.
    """
    pillow_format = _PILLOW_FORMATS[file_type.media_type]
    try:
        with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
            width, height = image.size
            if width * height > MAX_MEGAPIXELS * 1_000_000:
                return "image_too_large"
            image.verify()
    except Image.DecompressionBombError:
        return "image_too_large"
    except Exception:  # Pillow raises many kinds of errors for damaged files
        return "image_broken"
    return None
