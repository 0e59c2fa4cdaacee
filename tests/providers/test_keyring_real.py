"""The real Secret Service (gnome-keyring under dbus-run-session in CI). Skipped, with the reason,
when none is reachable. Entries go under a throw-away service name, never the app's own."""

from __future__ import annotations

import uuid

import keyring
import pytest

from tests.providers.conftest import AZURE_KEY, OPENAI_KEY
from workbench.core.profiles import Profile
from workbench.providers.secrets import SecretStore

pytestmark = pytest.mark.keyring


@pytest.fixture
def store(secret_service):
    service = f"FineTuneWorkbench-test-{uuid.uuid4().hex[:12]}"
    made = SecretStore(secret_service, service=service)
    yield made
    for name in ("OpenAI", "Contoso", "Renamed"):
        made.delete(name)


def test_the_default_backend_is_the_secret_service(secret_service):
    found = SecretStore()
    assert found.has_backend and found.notice is None
    assert found.backend_name.startswith("Secret Service"), type(keyring.get_keyring())


def test_set_get_delete_round_trip(store):
    profile = Profile.openai()
    assert store.get(profile) is None
    assert store.set(profile, OPENAI_KEY) == "keyring"
    found = store.get(profile)
    assert found == OPENAI_KEY and found.source == "keyring"
    assert store.delete(profile) is True
    assert store.get(profile) is None and store.delete(profile) is False


def test_a_second_store_sees_the_key_and_replacing_keeps_one_entry(store, secret_service):
    azure = Profile.azure("Contoso", "https://contoso.openai.azure.com")
    store.set(azure, OPENAI_KEY)
    store.set(azure, AZURE_KEY)
    other = SecretStore(secret_service, service=store.service)
    assert other.get(azure) == AZURE_KEY
    assert store.rename("Contoso", "Renamed") is True
    assert other.get(azure) is None and other.get(Profile.azure("Renamed", "https://c.openai.azure.com")) == AZURE_KEY
