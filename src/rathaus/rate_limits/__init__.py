"""Rate limits per client address and per account (issue 11, ADR 0020).

A view is limited with `@rate_limited("login", account=posted("username"))`: the name
picks the rates from `settings.RATHAUS_RATE_LIMITS`, the one place where every limit is
defined. The counters are rows of one table in the main database, increased with one
atomic upsert, so every web process sees the same counts.
"""
