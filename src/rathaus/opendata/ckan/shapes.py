"""What the CKAN API answers, in CKAN 2.10's shapes: packages, resources, the
organisation (the authority), groups (the EU data themes), tags and licences.

Ids are UUIDs derived from what never changes (the authority's slug, a theme code, a
tag, the dataset's id and a download format), so a harvester sees the same resource
under the same id in every version of a dataset."""

import json
import uuid
from datetime import datetime

from django.db.models import Min
from django.urls import reverse

from ..models import DatasetVersion
from ..store.selectors import Entry
from ..vocabularies import LICENCES, THEMES

_NAMESPACE = uuid.UUID("6f1c3c1e-8d0a-4d43-9a55-7d1e0f0a7a11")
MEDIA_TYPES = {"CSV": "text/csv", "JSON": "application/json",
               "GeoJSON": "application/geo+json"}
DOWNLOADS = {"CSV": "opendata:csv", "JSON": "opendata:json", "GeoJSON": "opendata:geojson"}


def iso(moment: datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC without an offset."""
    return moment.replace(tzinfo=None).isoformat() if moment else None


def organization_id(authority) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"authority:{authority.slug}"))


def group_id(code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"theme:{code}"))


def tag_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"tag:{name}"))


def resource_id(dataset, fmt: str) -> str:
    """Stable across versions: the download in one format of one dataset."""
    return str(uuid.uuid5(_NAMESPACE, f"resource:{dataset.pk}:{fmt}"))


def metadata_created(dataset) -> datetime:
    return dataset.created_at


def metadata_modified(dataset) -> datetime:
    """Every change of the dataset (metadata, a new version, publishing) saves it and
    so moves `updated_at`; never earlier than its creation."""
    return max(m for m in (dataset.updated_at, dataset.modified, dataset.created_at) if m)


def first_version_times(entries: list[Entry]) -> dict:
    """When each dataset's first version was written (its resources' `created`), in
    one query for all the entries."""
    rows = (DatasetVersion.objects.filter(dataset__in=[e.dataset for e in entries])
            .values("dataset").annotate(first=Min("created_at")))
    return {row["dataset"]: row["first"] for row in rows}


def organization_dict(authority, *, package_count: int | None = None) -> dict:
    result = {
        "id": organization_id(authority),
        "name": authority.slug, "title": authority.name, "display_name": authority.name,
        "description": "", "type": "organization", "state": "active",
        "is_organization": True, "approval_status": "approved", "image_url": "",
        "created": iso(authority.created_at),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(code: str, *, package_count: int | None = None) -> dict:
    title = str(THEMES.get(code, code))
    result = {"id": group_id(code), "name": code.lower(), "title": title,
              "display_name": title, "description": "", "image_url": "",
              "type": "group", "state": "active", "is_organization": False,
              "approval_status": "approved"}
    if package_count is not None:
        result["package_count"] = package_count
    return result


def tag_dict(name: str) -> dict:
    return {"id": tag_id(name), "name": name, "display_name": name, "state": "active",
            "vocabulary_id": None}


def licence_dict(licence) -> dict:
    # Every licence of the vocabulary is open in the Open Definition's sense.
    return {"id": licence.id, "title": licence.title, "url": licence.uri,
            "status": "active", "maintainer": "", "family": "",
            "od_conformance": "approved", "osd_conformance": "not reviewed",
            "domain_content": True, "domain_data": True, "domain_software": False,
            "is_generic": False, "is_okd_compliant": True, "is_osi_compliant": False}


def spatial_geometry(entry: Entry) -> dict | None:
    """GeoJSON for CKAN's spatial extension: the box around the dataset's points (a
    Point when they all coincide); None when the dataset has no coordinates."""
    box = entry.version.bbox
    if box is None:
        return None
    west, south, east, north = box
    if west == east and south == north:
        return {"type": "Point", "coordinates": [west, south]}
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                [west, north], [west, south]]]}


def resource_dict(base: str, entry: Entry, fmt: str, position: int, *,
                  first_created: datetime | None) -> dict:
    dataset, version = entry.dataset, entry.version
    return {
        "id": resource_id(dataset, fmt), "package_id": str(dataset.pk),
        "position": position, "state": "active",
        "name": f"{dataset.title} ({fmt})", "description": "", "format": fmt,
        "mimetype": MEDIA_TYPES[fmt], "mimetype_inner": None,
        "resource_type": "file", "url_type": None, "datastore_active": False,
        "url": base + reverse(DOWNLOADS[fmt], args=[dataset.name]),
        "size": version.csv_size if fmt == "CSV" else None, "hash": "",
        "created": iso(first_created or version.created_at),
        "last_modified": iso(version.created_at),
        "metadata_modified": iso(version.created_at),
    }


def package_dict(base: str, authority, entry: Entry, *,
                 first_created: datetime | None = None) -> dict:
    dataset, version = entry.dataset, entry.version
    licence = LICENCES.get(dataset.licence)
    organization = organization_dict(authority)
    resources = [resource_dict(base, entry, fmt, position, first_created=first_created)
                 for position, fmt in enumerate(entry.formats)]
    geometry = spatial_geometry(entry)
    extras = (
        ("spatial", json.dumps(geometry) if geometry else ""),
        ("municipality_key", dataset.spatial),
        ("temporal_start", dataset.temporal_start.isoformat() if dataset.temporal_start
         else ""),
        ("temporal_end", dataset.temporal_end.isoformat() if dataset.temporal_end else ""),
        ("frequency", dataset.frequency), ("issued", iso(dataset.issued)),
    )
    return {
        "id": str(dataset.pk), "name": dataset.name, "title": dataset.title,
        "notes": dataset.description, "type": "dataset", "state": "active",
        "private": False, "isopen": licence is not None,
        "url": base + reverse("opendata:dataset", args=[dataset.name]),
        "version": str(version.number),
        "license_id": dataset.licence, "license_title": licence.title if licence else "",
        "license_url": licence.uri if licence else "",
        "author": dataset.contact_name, "author_email": dataset.contact_email,
        "maintainer": dataset.contact_name, "maintainer_email": dataset.contact_email,
        "metadata_created": iso(metadata_created(dataset)),
        "metadata_modified": iso(metadata_modified(dataset)),
        "organization": organization, "owner_org": organization["id"],
        "tags": [tag_dict(k) for k in dataset.keywords], "num_tags": len(dataset.keywords),
        "groups": [group_dict(dataset.theme)],
        "resources": resources, "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in extras if value],
    }
