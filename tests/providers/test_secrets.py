"""SecretStore: keys in the keyring (a fake one here), memory-only without one, env vars for scripts."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer, fail

from tests.providers.conftest import AZURE_KEY, OPENAI_KEY, MemoryKeyring
from workbench.core.profiles import Profile
from workbench.providers.secrets import (
    NO_KEYRING_NOTICE,
    SERVICE,
    SecretStore,
    SecretStoreError,
    backend_label,
    usable_backend,
)

OPENAI = Profile.openai()
AZURE = Profile.azure("Contoso", "https://contoso.openai.azure.com")
LOCAL = Profile.compatible("Local", "http://localhost:11434/v1")


def test_keys_go_to_the_keyring_under_the_app_service(fake_keyring):
    store = SecretStore()
    assert store.has_backend and store.notice is None
    assert store.backend_name == "test memory keyring"  # keyring's own name for backends we have no label for
    assert store.get(OPENAI) is None and store.source(OPENAI) == "none"
    assert store.set(OPENAI, f"  {OPENAI_KEY}\n") == "keyring"
    assert fake_keyring.data == {(SERVICE, "OpenAI"): OPENAI_KEY}
    found = store.get(OPENAI)
    assert found == OPENAI_KEY and found.source == "keyring" and OPENAI_KEY not in repr(found)
    assert store.delete(OPENAI) is True and store.delete("OpenAI") is False
    assert fake_keyring.data == {}


def test_rename_moves_the_key(fake_keyring):
    store = SecretStore()
    store.set("Old", OPENAI_KEY)
    assert store.rename("Old", "New") is True
    assert fake_keyring.data == {(SERVICE, "New"): OPENAI_KEY}
    assert store.rename("Old", "Newer") is False


@pytest.mark.parametrize("bad", ["", "   ", "sk-abc def", "sk-abc\nsk-def"])
def test_blank_or_multi_part_keys_are_refused(fake_keyring, bad):
    with pytest.raises(ValueError):
        SecretStore().set(OPENAI, bad)
    assert fake_keyring.data == {}


def test_without_a_backend_keys_live_in_memory_and_the_store_says_so(no_keyring):
    store = SecretStore()
    assert not store.has_backend and store.backend_name == "none"
    assert store.notice == NO_KEYRING_NOTICE == "No system keyring was found; your key is kept in memory until you quit."
    assert store.set(OPENAI, OPENAI_KEY) == "memory"
    found = store.get(OPENAI)
    assert found == OPENAI_KEY and found.source == "memory"
    assert SecretStore().get(OPENAI) is None  # another session (store) does not have it
    assert store.delete(OPENAI) is True and store.get(OPENAI) is None and store.delete(OPENAI) is False


def test_an_empty_chainer_counts_as_no_backend(monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert usable_backend(chainer.ChainerBackend()) is None
    assert SecretStore(chainer.ChainerBackend()).notice == NO_KEYRING_NOTICE
    assert usable_backend(fail.Keyring()) is None


def test_a_chainer_is_named_after_its_first_backend(monkeypatch):
    inner = MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [inner])
    store = SecretStore(chainer.ChainerBackend())
    assert store.has_backend and store.backend_name == "test memory keyring"


def test_backend_labels_people_recognise(monkeypatch):
    def fake(module: str):
        return type("Keyring", (MemoryKeyring,), {"__module__": module})()

    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)
    assert backend_label(fake("keyring.backends.SecretService")) == "Secret Service (GNOME Keyring)"
    assert backend_label(fake("keyring.backends.macOS")) == "macOS Keychain"
    assert backend_label(fake("keyring.backends.Windows")) == "Windows Credential Manager"
    assert backend_label(fake("keyring.backends.kwallet")) == "KDE Wallet"
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    assert backend_label(fake("keyring.backends.SecretService")) == "Secret Service (KDE Wallet)"


def test_environment_variables_are_the_fallback_per_kind(fake_keyring, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", AZURE_KEY)
    store = SecretStore()
    assert store.get(OPENAI) == OPENAI_KEY and store.source(OPENAI) == "environment"
    assert store.get(LOCAL) == OPENAI_KEY and store.env_var(LOCAL) == "OPENAI_API_KEY"
    assert store.get(AZURE) == AZURE_KEY and store.env_var(AZURE) == "AZURE_OPENAI_API_KEY"
    store.set(AZURE, "stored-azure-key-0000000000000000")
    assert store.get(AZURE) == "stored-azure-key-0000000000000000" and store.source(AZURE) == "keyring"
    assert store.delete(OPENAI) is False  # nothing stored; the variable is left alone


def test_environment_fallback_without_a_backend(no_keyring):
    store = SecretStore(environ={"OPENAI_API_KEY": OPENAI_KEY})
    assert store.get(OPENAI).source == "environment"
    assert store.get(AZURE) is None


def test_keyring_failures_become_plain_errors_without_the_key(fake_keyring):
    store = SecretStore()
    store.set(OPENAI, OPENAI_KEY)
    fake_keyring.locked = True
    for action in (lambda: store.get(OPENAI), lambda: store.set(OPENAI, OPENAI_KEY), lambda: store.delete(OPENAI)):
        with pytest.raises(SecretStoreError, match="keyring is locked") as err:
            action()
        assert OPENAI_KEY not in str(err.value)


def test_backend_errors_that_echo_the_key_are_scrubbed(fake_keyring, monkeypatch):
    def explode(service, username, password):
        raise RuntimeError(f"D-Bus refused to store {password}")

    monkeypatch.setattr(fake_keyring, "set_password", explode)
    with pytest.raises(SecretStoreError) as err:
        SecretStore().set(AZURE, AZURE_KEY)
    assert AZURE_KEY not in str(err.value) and "D-Bus refused" in str(err.value)
    assert "Could not save the key in test memory keyring" in str(err.value)


def test_the_default_backend_is_keyrings_choice(fake_keyring):
    assert keyring.get_keyring() is fake_keyring
    SecretStore().set("X", OPENAI_KEY)
    assert fake_keyring.data[(SERVICE, "X")] == OPENAI_KEY


def test_the_openai_key_is_never_offered_to_a_third_party_server():
    from workbench.providers.secrets import THIRD_PARTY_ENV_VAR, env_var_for

    env = {"OPENAI_API_KEY": OPENAI_KEY, THIRD_PARTY_ENV_VAR: "tgp-" + "x" * 20}
    store = SecretStore(environ=env)
    together = Profile.compatible("Together", "https://api.together.xyz/v1")
    assert store.env_var(together) == THIRD_PARTY_ENV_VAR
    assert store.get(together) == "tgp-" + "x" * 20
    assert SecretStore(environ={"OPENAI_API_KEY": OPENAI_KEY}).get(together) is None
    # OpenAI itself and servers on this machine still use OPENAI_API_KEY.
    assert env_var_for("compatible", "http://localhost:11434/v1") == "OPENAI_API_KEY"
    assert env_var_for("compatible", "http://127.0.0.1:8000/v1") == "OPENAI_API_KEY"
    assert env_var_for("compatible", "https://api.openai.com/v1") == "OPENAI_API_KEY"
    assert env_var_for("openai", None) == "OPENAI_API_KEY"
