"""Playground tests: the OpenAI stand-in reached through real profiles, with a clean environment,
no keyring and the config folder in tmp_path."""

from __future__ import annotations

import keyring
import platformdirs
import pytest
from keyring.backends import fail

from workbench.core.profiles import Profile, ProfileStore
from workbench.core.store import Workspace
from workbench.providers.connect import Connector

ENV_VARS = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_ENDPOINT",
            "OPENAI_API_VERSION", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_ADMIN_KEY")
PRICED = "Standin"  # an OpenAI profile pointed at the stand-in: OpenAI's prices apply
LOCAL = "Local"  # an OpenAI-compatible profile: cost unknown, max_tokens sent as such
WORDS = " ".join(f"w{i}" for i in range(30))


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No key or endpoint from the shell, no real keyring, profiles in tmp_path."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    real = platformdirs.user_config_dir
    monkeypatch.setattr(platformdirs, "user_config_dir",
                        lambda appname=None, *a, **kw: str(config / appname) if appname else real(*a, **kw))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def standin(openai_standin, monkeypatch):
    """The stand-in, its key in OPENAI_API_KEY (where profiles without a stored key look)."""
    monkeypatch.setenv("OPENAI_API_KEY", openai_standin.api_key)
    return openai_standin


@pytest.fixture
def profiles(standin):
    store = ProfileStore()
    store.add(Profile.openai(PRICED, base_url=standin.base_url))
    store.add(Profile.compatible(LOCAL, base_url=standin.base_url))
    return store


@pytest.fixture
def connector(profiles):
    made = Connector(timeout=10, max_retries=0)
    yield made
    made.close()


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "play.ftw")
    yield workspace
    workspace.close()


def by_model(replies: dict[str, str], default: str = WORDS):
    """A stand-in responder that answers per model."""
    return lambda request: replies.get(request["model"], default)
