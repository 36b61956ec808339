"""Whether a request may pass the named limit, counted per client and per account."""

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings

from . import counters
from .rates import rates_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """A request over a limit: which limit and scope, and when to try again."""

    limit: str
    scope: str  # "client" or "account"
    retry_after: int  # seconds


def client_key(address: str | None) -> str | None:
    """The part of an address that identifies a client: an IPv6 client usually holds a
    whole /64 network, so counting single addresses would let it step around a limit."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def refusal_for(limit: str, *, client: str | None, account: str | None) -> Refusal | None:
    """Counts this request against `limit` and returns a Refusal if it is one too many.

    The client is counted first, and an account only for requests the client's limit
    let through: someone refused for flooding does not use up the quota of the
    accounts they name (which would lock their owners out)."""
    if not settings.RATHAUS_RATE_LIMITS_ENABLED:
        return None
    rates = rates_of(limit)
    for scope, who in (("client", client_key(client)), ("account", account or None)):
        rate = rates[scope]
        if rate is None or who is None:
            continue
        count, retry_after = counters.hit(f"{limit}|{scope}|{who}", rate.period)
        if count > rate.count:
            # No address or account in the log: the limit and scope say what happened.
            logger.info("Rate limit %s reached per %s", limit, scope)
            return Refusal(limit=limit, scope=scope, retry_after=retry_after)
    return None


def failures_exhausted(limit: str, *, account: str) -> Refusal | None:
    """A Refusal when `account` has already failed as often as the named limit allows
    in the current window (counted with `count_failure`); nothing is counted here.

    For attempts that are limited by their failures, not by their number (a wrong
    security code): a citizen who gets it right is never held up, one who guesses is
    stopped before the next guess is even compared."""
    rate = rates_of(limit)["account"]
    if not settings.RATHAUS_RATE_LIMITS_ENABLED or rate is None:
        return None
    count, retry_after = counters.current(f"{limit}|account|{account}", rate.period)
    if count >= rate.count:
        logger.info("Rate limit %s reached per account", limit)
        return Refusal(limit=limit, scope="account", retry_after=retry_after)
    return None


def count_failure(limit: str, *, account: str) -> None:
    """One failed attempt of `account` against the named limit."""
    rate = rates_of(limit)["account"]
    if settings.RATHAUS_RATE_LIMITS_ENABLED and rate is not None:
        counters.hit(f"{limit}|account|{account}", rate.period)
