"""The catalog's one service, `offer_service`, is run by the demo loader and by
nothing else yet (the operator of the instance), never by a page; it asks no rule.
Declared here so that the permission tests see it while catalog/services.py stays as
it is."""

from rathaus.accounts.permissions import unguarded_names

unguarded_names("rathaus.catalog.services", {
    "offer_service": "run by the operator (the demo loader), never from a page",
})
