"""Who may prepare and who may release open data. Any staff member of the authority
prepares datasets and uploads; what goes public (a version's columns, publication,
withdrawal) needs a team lead or an administrator, so a second person looks at it."""

from rathaus.accounts.permissions import is_staff_of_authority, is_team_lead_or_administrator, rule


@rule("opendata.may_prepare")
def may_prepare(actor) -> bool:
    """Any staff member of the active authority."""
    return is_staff_of_authority(actor)


@rule("opendata.may_release")
def may_release(actor) -> bool:
    """A team lead or an administrator of the active authority."""
    return is_team_lead_or_administrator(actor)
