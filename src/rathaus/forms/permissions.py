"""The form engine's services ask no rule of their own: a draft belongs to the citizen
who started it, and every caller reaches a draft only through `get_draft(user=…)`,
which answers "not found" for anyone else's. Sending a draft is guarded in
`cases.submission` (`cases.may_send_draft`).

Declared here rather than on the functions, so that the permission tests see them
(tests/accounts/test_permissions.py) while forms/services.py stays as it is."""

from rathaus.accounts.permissions import unguarded_names

OWN_DRAFT = "the citizen's own draft, reached only through get_draft(user=…)"

unguarded_names("rathaus.forms.services", {
    "start_draft": "any citizen may start a draft; it is theirs alone",
    "get_draft": "the ownership check itself: anyone else's draft is not found",
    "open_drafts": "reads the user's own drafts only",
    "save_step": OWN_DRAFT,
    "fill_in": OWN_DRAFT + " (and the demo's own holders)",
    "uploads_by_field": "reads only, " + OWN_DRAFT,
    "upload_content": "reads only, " + OWN_DRAFT,
    "discard_draft": OWN_DRAFT + "; the housekeeping discards expired drafts",
})
