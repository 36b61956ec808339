from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How many requests one client or account made in one window of one limit.

    `key` is an HMAC (with SECRET_KEY) of limit, scope, address or account and window
    start, so the table holds no address or e-mail address in clear. On PostgreSQL the
    table is UNLOGGED (migration 0001): no WAL write per request; a crash empties it,
    which only forgives a few requests."""

    key = models.CharField(max_length=64, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True)  # Unix time the window ends

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key[:12]}…: {self.hits}"
