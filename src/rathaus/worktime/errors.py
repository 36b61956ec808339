"""The refusal of every working time service: `WorktimeError` says in German why what
was asked cannot be done; the pages show its message."""


class WorktimeError(ValueError):
    """What was asked cannot be done; `message` says why, in German."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
