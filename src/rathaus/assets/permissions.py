"""Who may do what in the cadastres.

The department that keeps a cadastre (`Cadastre.department`) edits its assets,
inspects them, imports, plans inspections and gives work orders. A team's work orders
are read and finished by the team's department and by the cadastre's keepers.
Citizens see only what the public pages publish (`public.py`).
"""

from rathaus.accounts.permissions import is_member_of, is_staff_of_authority, rule


def keeps(actor, cadastre) -> bool:
    return is_member_of(actor, [cadastre.department_id])


@rule("assets.may_keep_cadastre")
def may_keep_cadastre(actor, *, cadastre) -> bool:
    """A member (any role) of the department that keeps the cadastre."""
    return keeps(actor, cadastre)


@rule("assets.may_inspect")
def may_inspect(actor, *, asset) -> bool:
    """Whoever keeps the asset's cadastre: inspectors are its staff."""
    return keeps(actor, asset.cadastre)


@rule("assets.may_see_cadastres")
def may_see_cadastres(actor) -> bool:
    """Any staff member of the authority; the lists show what their departments keep."""
    return is_staff_of_authority(actor)


@rule("assets.may_work_on_order")
def may_work_on_order(actor, *, work_order) -> bool:
    """The team's department, and the keepers of the cadastre of its asset."""
    if is_member_of(actor, [work_order.team.department_id]):
        return True
    asset = work_order.asset
    return asset is not None and keeps(actor, asset.cadastre)
