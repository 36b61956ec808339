"""Checking the audit chains: every edited, inserted or removed entry shows up."""

from dataclasses import dataclass

from rathaus.authorities.models import Authority

from .chain import entry_hash
from .models import AuditChain, AuditEntry


@dataclass(frozen=True)
class Finding:
    authority: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "chain head"
        return f"{self.authority}: {where}: {self.problem}"


def verify_authority(authority: Authority) -> tuple[int, list[Finding]]:
    findings: list[Finding] = []
    expected_seq, prev_hash, count = 1, "0" * 64, 0
    entries = AuditEntry.all_authorities.filter(authority=authority).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            findings.append(
                Finding(
                    authority.slug,
                    entry.seq,
                    f"expected #{expected_seq}: entries missing or inserted",
                )
            )
        if entry.prev_hash != prev_hash:
            findings.append(
                Finding(authority.slug, entry.seq, "does not link to the entry before it")
            )
        if entry_hash(entry, entry.prev_hash) != entry.hash:
            findings.append(Finding(authority.slug, entry.seq, "content was changed"))
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    head = AuditChain.objects.filter(authority=authority).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev_hash):
        findings.append(
            Finding(
                authority.slug,
                None,
                f"chain head expects #{head.last_seq} but the log ends at #{last_seq}",
            )
        )
    if head is None and count:
        findings.append(Finding(authority.slug, None, "entries exist without a chain head"))
    return count, findings


def verify_all() -> tuple[int, list[Finding]]:
    total, findings = 0, []
    for authority in Authority.objects.order_by("pk"):
        count, found = verify_authority(authority)
        total += count
        findings.extend(found)
    return total, findings
