"""A real S3-protocol server on loopback for the storage tests: moto's server mode
(ADR 0036). Every test gets a bucket of its own and Django's default storage pointed at
it, so blobs go through django-storages, boto3 and HTTP exactly as in production."""

import socket
import uuid
from dataclasses import dataclass

import boto3
import pytest
from django.core.files.storage import default_storage

REGION = "eu-central-1"
CREDENTIALS = {"aws_access_key_id": "rathaus-test", "aws_secret_access_key": "rathaus-test"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings):
    """The default storage is a fresh bucket on the loopback server."""
    bucket = f"rathaus-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    client.create_bucket(Bucket=bucket,
                         CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": s3_endpoint,
                    "region_name": REGION, "access_key": CREDENTIALS["aws_access_key_id"],
                    "secret_key": CREDENTIALS["aws_secret_access_key"],
                    "default_acl": None, "file_overwrite": True,
                    "max_memory_size": 64 * 1024},
    }}
    assert default_storage.bucket_name == bucket  # Django let go of the old storage
    return Bucket(client=client, name=bucket)


@dataclass
class Bucket:
    client: object
    name: str

    def object_names(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listed.get("Contents", ()))

    def put(self, key: str, body: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=body)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.name, Key=key)
