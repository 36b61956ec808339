class CouncilError(Exception):
    """A step the Sitzungsdienst asked for cannot be done; the message is German and
    meant for the page (gettext)."""
