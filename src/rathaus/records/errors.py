"""What the eAkte refuses. Views turn these into messages; tasks let them fail loudly."""


class RecordsError(Exception):
    pass


class UnknownPlanCode(RecordsError):
    """No file plan entry of the active authority has this code."""


class CaseFileClosed(RecordsError):
    """A closed file (zdA) takes no new documents or versions and cannot be closed again."""


class ContentIntegrityError(RecordsError):
    """A stored blob is missing or its bytes no longer match the recorded hash.

    Means tampering or storage damage: never served, never reused, never overwritten.
    """
