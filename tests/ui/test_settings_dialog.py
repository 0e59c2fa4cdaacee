"""Settings > Providers: profiles, keys in the keyring (never shown in full), test connection."""

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.openai_standin import TEST_KEY
from workbench.core.profiles import ProfileStore
from workbench.providers.secrets import SecretStore
from workbench.ui.settings_dialog import SettingsDialog


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.data = {}

    def get_password(self, service, username):
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


@pytest.fixture
def dialog(qtbot, tmp_path, monkeypatch):
    for var in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    backend = MemoryKeyring()
    store = ProfileStore(tmp_path / "profiles.json")
    dlg = SettingsDialog(store, SecretStore(backend))
    qtbot.addWidget(dlg)
    dlg.backend = backend
    return dlg


def test_add_a_local_profile_with_a_key_that_never_reaches_the_file(dialog, tmp_path):
    dialog.add_profile()
    dialog.name.setText("Local vLLM")
    dialog.edits["base_url"].setText("http://localhost:8000/v1")
    dialog.key.setText("sk-local-abcdefghijklmnop1234")
    assert dialog.save_profile()
    assert "Local vLLM" in dialog.store.names()
    assert dialog.backend.data[("FineTuneWorkbench", "Local vLLM")] == "sk-local-abcdefghijklmnop1234"
    assert "sk-local-abcdefghijklmnop1234" not in (tmp_path / "profiles.json").read_text()
    assert "1234" in dialog.key_state.text() and "abcdefghijklmnop" not in dialog.key_state.text()


def test_renaming_moves_the_key_and_bad_input_is_explained(dialog):
    dialog.add_profile()
    dialog.name.setText("Together")
    dialog.edits["base_url"].setText("https://api.together.xyz/v1")
    dialog.key.setText("tgp-key-0123456789abcdef")
    assert dialog.save_profile()
    dialog.name.setText("Together AI")
    assert dialog.save_profile()
    assert dialog.backend.data.get(("FineTuneWorkbench", "Together AI")) == "tgp-key-0123456789abcdef"
    assert ("FineTuneWorkbench", "Together") not in dialog.backend.data
    dialog.edits["base_url"].setText("not a url")
    assert not dialog.save_profile()
    assert dialog.problems.text()


def test_connection_lists_models_from_a_real_server(dialog, qtbot, openai_standin):
    dialog.add_profile()
    dialog.name.setText("Stand-in")
    dialog.edits["base_url"].setText(openai_standin.base_url)
    dialog.key.setText(TEST_KEY)
    assert dialog.save_profile()
    with qtbot.waitSignal(dialog.test().finished, timeout=20000):
        pass
    text = dialog.result.toPlainText()
    assert "Connected to" in text and "gpt-4o-mini" in text
    assert TEST_KEY not in text


def test_a_wrong_key_is_explained_without_showing_it(dialog, qtbot, openai_standin):
    dialog.add_profile()
    dialog.name.setText("Stand-in")
    dialog.edits["base_url"].setText(openai_standin.base_url)
    dialog.key.setText("sk-wrong-key-00000000000000000000")
    with qtbot.waitSignal(dialog.test().finished, timeout=20000):
        pass
    text = dialog.result.toPlainText()
    assert "key" in text.lower()
    assert "sk-wrong-key-00000000000000000000" not in text


def test_without_a_keyring_the_dialog_says_so(qtbot, tmp_path, monkeypatch):
    from keyring.backends.fail import Keyring as NoKeyring

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    dlg = SettingsDialog(ProfileStore(tmp_path / "p.json"), SecretStore(NoKeyring()))
    qtbot.addWidget(dlg)
    labels = " ".join(w.text() for w in dlg.findChildren(type(dlg.key_state)))
    assert "kept in memory until you quit" in labels
    assert keyring  # the real module is untouched by these tests
