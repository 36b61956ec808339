"""What the open data services refuse, and the German message for each: the views show
`message(error)`, so the wording lives in one place."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..ingest.privacy import PrivacyRefusal


class OpenDataError(Exception):
    pass


class NameTaken(OpenDataError):
    pass


class UploadTooLarge(OpenDataError):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


class UnknownFormat(OpenDataError):
    pass


class UploadNotReady(OpenDataError):
    """The upload had errors or was already used."""


class NoPublicColumn(OpenDataError):
    pass


class TypeNotAllowed(OpenDataError):
    def __init__(self, column: str):
        super().__init__(column)
        self.column = column


class NoVersion(OpenDataError):
    pass


def message(error: Exception) -> str:
    if isinstance(error, NameTaken):
        return _("A dataset with this short name exists already. Choose another one.")
    if isinstance(error, UploadTooLarge):
        megabytes = error.limit // (1024 * 1024)
        return ngettext("The file is larger than %(size)s megabyte.",
                        "The file is larger than %(size)s megabytes.", megabytes) % {
            "size": megabytes}
    if isinstance(error, UnknownFormat):
        return _("Upload a CSV, JSON or GeoJSON file (.csv, .json or .geojson).")
    if isinstance(error, UploadNotReady):
        return _("This upload cannot be published: it has errors or was used already.")
    if isinstance(error, NoPublicColumn):
        return _("Choose at least one column to publish.")
    if isinstance(error, TypeNotAllowed):
        return _("The column “%(column)s” can only keep the type found or be published as "
                 "text.") % {"column": error.column}
    if isinstance(error, NoVersion):
        return _("Upload data before you publish the dataset.")
    if isinstance(error, PrivacyRefusal):
        return " ".join(text for _column, text in error.problems)
    raise TypeError(f"No message for {type(error).__name__}")
