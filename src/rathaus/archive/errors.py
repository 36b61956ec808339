"""What can go wrong in an Aussonderung, each with the German (translatable) message
staff read on the page."""


class ArchiveError(Exception):
    """A refused step; `str(error)` is the message for staff."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class BadMessage(ArchiveError):
    """An uploaded file is no valid xdomea message or does not fit the process."""
