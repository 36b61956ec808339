from tests.forms.conftest import citizen_client, dog_service, dog_town  # noqa: F401
