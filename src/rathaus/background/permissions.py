"""Who may send failed background work off again: team leads and administrators, who
can see to the cause (a bylaw, the mail server) first."""

from rathaus.accounts.permissions import is_team_lead_or_administrator, rule


@rule("background.may_manage")
def may_manage(actor) -> bool:
    """A team lead or an administrator of the active authority."""
    return is_team_lead_or_administrator(actor)
