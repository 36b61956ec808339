import pytest

from rathaus.records.services import add_file_plan_entry

from .s3_server import s3_endpoint, s3_storage  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    """Each test stores its documents in its own empty directory."""
    settings.MEDIA_ROOT = tmp_path / "storage"
    return settings.MEDIA_ROOT


@pytest.fixture
def dog_tax_plan(in_town):
    return add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10)
