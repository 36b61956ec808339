"""Turning uploads into published versions and keeping them current: the services
and their refusals, the background tasks (checking, publishing, refreshing the
automatic datasets) and the housekeeping of the store."""
