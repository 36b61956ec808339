"""`rathaus verify-receipt FILE`: check a mailbox receipt and show what it confirms."""

import json
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

from django.core.management.base import BaseCommand, CommandError

from rathaus.mailbox import receipts
from rathaus.mailbox.models import SigningKey

EVENT_NAMES = {
    "sent": "sent (handed over for delivery)",
    "delivered": "delivered (placed in the recipient's mailbox)",
    "retrieved": "retrieved (opened by the recipient after logging in)",
}


class Command(BaseCommand):
    help = (
        "Verifies the signature of a mailbox receipt (JSON file) and prints its content. "
        "Exits non-zero if it is not valid."
    )
    # Offline use with --jwks must work without a database.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the receipt file")
        parser.add_argument(
            "--jwks", metavar="FILE_OR_URL",
            help="public keys as a JWK set (file, or http(s) URL of "
                 "/.well-known/rathaus/receipt-keys.json); default: this instance's database",
        )

    def handle(self, *args, **options):
        try:
            document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"Cannot read the receipt: {error}") from error
        lookup = _jwks_lookup(options["jwks"]) if options["jwks"] else _database_lookup
        try:
            claims = receipts.verify(document, public_key_for=lookup)
        except receipts.InvalidReceipt as error:
            raise CommandError(f"INVALID receipt: {error}") from error
        self.stdout.write(self.style.SUCCESS("Valid receipt: the signature matches."))
        for label, value in [
            ("Message", claims["message_id"]),
            ("Event", EVENT_NAMES.get(claims["event"], claims["event"])),
            ("Time (UTC)", claims["time"]),
            ("Authority", f"{claims['authority']['name']} ({claims['authority']['id']})"),
            ("Content SHA-256", claims["content_sha256"]),
            ("Key id", claims["kid"]),
        ]:
            self.stdout.write(f"  {label + ':':<17}{value}")


def _database_lookup(kid: str) -> bytes | None:
    row = SigningKey.all_authorities.filter(kid=kid).first()
    return bytes(row.public_key) if row else None


def _jwks_lookup(source: str):
    try:
        if urlparse(source).scheme in ("http", "https"):
            with urlopen(source, timeout=20) as response:  # noqa: S310 (scheme checked)
                jwks = json.load(response)
        else:
            jwks = json.loads(Path(source).read_text(encoding="utf-8"))
        return receipts.public_keys_from_jwks(jwks).get
    except (OSError, ValueError, AttributeError, KeyError) as error:
        raise CommandError(f"Cannot read the key set {source}: {error}") from error
