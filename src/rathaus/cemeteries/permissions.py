"""Who may do what in the cemetery cadastre: the department that keeps the cadastre
"cemeteries" (the Friedhofsverwaltung) keeps graves, rights of use and burials. Citizens
and undertakers apply through the burial service (its case is checked by the cases
app's rules); the public sees only the grave search (`public.py`) and open data."""

from rathaus.accounts.permissions import rule
from rathaus.assets.permissions import keeps


@rule("cemeteries.may_manage")
def may_manage(actor, *, cadastre) -> bool:
    """A member (any role) of the department that keeps the cemetery cadastre."""
    return keeps(actor, cadastre)


@rule("cemeteries.may_manage_grave")
def may_manage_grave(actor, *, grave) -> bool:
    """A member of the department that keeps the grave's cemetery cadastre."""
    return keeps(actor, grave.asset.cadastre)
