"""What staff decided for each column of an upload before it is written into a version:
the type, whether the column is published, and why a personal-looking column may be.

The decisions travel between the confirmation, the worker and the version as
`ColumnDecision`s; they become JSON only where they wait on the upload
(`Upload.confirmed_columns`) for the worker."""

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class ColumnDecision:
    name: str
    type: str  # models.ColumnType, as confirmed
    public: bool
    reason: str = ""  # why a personal-looking public column is not personal
    role: str = ""  # "lon"/"lat" for point coordinates, as inferred
    personal_kind: str = ""  # privacy.PersonalKind as inferred, "" if none

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ColumnDecision":
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})
