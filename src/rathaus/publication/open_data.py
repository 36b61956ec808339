"""The platform's own automatic dataset: the signed tree heads of the authority's audit
log (docs/decisions/0018). Kept by harvesters and archives, every published head is one
more copy outside the database that a rewritten history could not match."""

import json

from rathaus.audit.models import AuditTreeHead
from rathaus.audit.tree_heads import document
from rathaus.authorities.tenancy import current_authority

from .producers import Column, Produced, automatic_dataset


def _heads():
    return AuditTreeHead.objects.filter(authority=current_authority()).order_by("tree_size")


def _last_of_each_day() -> list[AuditTreeHead]:
    """Heads are signed every few minutes; one a day keeps the dataset small and is
    as good a witness (each head covers all entries before it)."""
    by_day = {}
    for head in _heads().select_related("authority"):
        by_day[head.signed_at.date()] = head
    return list(by_day.values())


@automatic_dataset(
    name="protokoll-pruefsummen",
    title="Prüfsummen des Verwaltungsprotokolls",
    description=(
        "Signierte Baumköpfe (Merkle-Baum nach RFC 9162) des Verwaltungsprotokolls, der "
        "letzte jedes Tages (alle paar Minuten neu unter /.well-known/rathaus/"
        "audit-tree-head.json): je Baumkopf die Zahl der Protokolleinträge, die "
        "Wurzel-Prüfsumme und die "
        "Ed25519-Signatur. Wer einen Baumkopf aufbewahrt, kann später nachweisen, dass "
        "das Protokoll seitdem nur ergänzt und nie geändert wurde. Enthält keine Inhalte "
        "des Protokolls und keine personenbezogenen Daten."
    ),
    theme="GOVE", keywords=("Transparenz", "Protokoll", "Integrität"), frequency="DAILY",
    applies=lambda: _heads().exists(),
)
def audit_tree_heads() -> Produced:
    return Produced(
        columns=[Column("eintraege", "integer"), Column("signiert_am", "text"),
                 Column("wurzel_sha256", "text"), Column("schluessel_id", "text"),
                 Column("signierter_kopf", "text")],
        rows=({"eintraege": head.tree_size, "signiert_am": signed["timestamp"],
               "wurzel_sha256": head.root_hash, "schluessel_id": head.key_id,
               "signierter_kopf": json.dumps(signed, sort_keys=True)}
              for head in _last_of_each_day()
              for signed in [document(head)]),
    )
