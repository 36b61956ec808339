"""Who may hand services to other authorities and adopt theirs."""

from rathaus.accounts.models import StaffMembership
from rathaus.accounts.permissions import memberships, rule


@rule("catalog.may_exchange_services")
def may_exchange_services(actor) -> bool:
    """An administrator of the authority: an adopted service changes what the portal
    offers every citizen, and its bylaw values what they pay."""
    return memberships(actor).filter(role=StaffMembership.Role.ADMINISTRATOR).exists()
