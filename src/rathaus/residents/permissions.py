"""Who may change the resident register."""

from django.conf import settings

from rathaus.accounts.permissions import memberships, rule


@rule("residents.may_keep_register")
def may_keep_register(actor) -> bool:
    """Staff of the authority's registration office (the Bürgerbüro, by the setting
    RATHAUS_RESIDENTS_OFFICE), in any role."""
    return memberships(actor).filter(
        department__slug=settings.RATHAUS_RESIDENTS_OFFICE).exists()
