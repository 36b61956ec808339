"""Who hands files over to the archive and destroys them: records managers, who keep
the file plan that decides retention (rathaus.records.permissions)."""

from rathaus.accounts.permissions import rule
from rathaus.records.permissions import is_records_manager


@rule("archive.may_hand_over")
def may_hand_over(actor) -> bool:
    """Records managers of the authority: legal holds, offers, hand-overs, destruction."""
    return is_records_manager(actor)
