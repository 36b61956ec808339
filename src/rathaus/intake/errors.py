"""What intake refuses; views turn these into German messages."""

from django.utils.translation import gettext_lazy as _


class IntakeRefused(Exception):
    """A request about incoming mail that cannot be done as asked; `message` (lazy,
    English msgid) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


NOT_OPEN = _("This item has already been filed or discarded.")
NOT_READY = _("This item is not ready to be filed: its text has not been recognised yet.")
NO_SUCH_FILE = _("No file has the file reference “%(reference)s”.")
FILE_CLOSED = _("The file %(reference)s is closed and takes no more documents.")
NOT_FAILED = _("Only items whose text recognition failed can be tried again.")
