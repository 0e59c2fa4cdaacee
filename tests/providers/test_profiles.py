"""Provider profiles: validation in plain words, the JSON file, the built-in OpenAI profile."""

from __future__ import annotations

import json

import pytest

from tests.providers.conftest import AZURE_KEY, OPENAI_KEY
from workbench.core.profiles import (
    AZURE_DEPLOY_NOTE,
    DEFAULT_AZURE_API_VERSION,
    Profile,
    ProfileError,
    ProfileNotFound,
    ProfileStore,
    default_profiles_path,
)
from workbench.providers.secrets import SecretStore


def _messages(profile: Profile) -> dict[str, str]:
    return {p.field: p.message for p in profile.problems()}


def test_valid_profiles_of_each_kind():
    assert Profile.openai(organization="org-abc", project="proj_123").problems() == []
    assert Profile.azure("Contoso Azure", "https://contoso.openai.azure.com/").problems() == []
    assert Profile.compatible("Ollama (local)", "http://localhost:11434/v1").problems() == []
    assert Profile.compatible("vLLM box", "http://192.168.1.20:8000/v1").problems() == []
    assert Profile.compatible("gpu", "http://gpu-box:8000/v1").problems() == []
    assert Profile.compatible("Together", "https://api.together.xyz/v1").problems() == []


def test_normalising_strips_and_drops_fields_of_other_kinds():
    p = Profile(" Mine ", kind="compatible", base_url=" https://api.fireworks.ai/inference/v1/ ",
                organization="org-x", azure_endpoint="https://x.openai.azure.com", default_model="  ").normalised()
    assert (p.name, p.base_url, p.organization, p.azure_endpoint, p.default_model) == (
        "Mine", "https://api.fireworks.ai/inference/v1", None, None, None)


@pytest.mark.parametrize(("profile", "field", "words"), [
    (Profile(""), "name", "profile name needs 1 to 64 characters"),
    (Profile("a/b"), "name", "letters, digits"),
    (Profile("x" * 65), "name", "1 to 64"),
    (Profile("ok", kind="bedrock"), "kind", "choose openai, azure or compatible"),
    (Profile("ok", kind="compatible"), "base_url", "needs the server's base URL"),
    (Profile.compatible("ok", "localhost:11434"), "base_url", "not a web address"),
    (Profile.compatible("ok", "ftp://example.com"), "base_url", "not a web address"),
    (Profile.compatible("ok", "https://exa mple.com"), "base_url", "not a web address"),
    (Profile.compatible("ok", "https://example.com:99999/v1"), "base_url", "not a web address"),
    (Profile.compatible("ok", "https://user:pw@example.com/v1"), "base_url", "Remove the user name and password"),
    (Profile.compatible("ok", "https://example.com/v1?x=1"), "base_url", "Remove the '?…'"),
    (Profile.compatible("ok", "http://api.example.com/v1"), "base_url", "Use https:// for api.example.com"),
    (Profile("ok", kind="azure"), "azure_endpoint", "needs your resource endpoint"),
    (Profile("ok", kind="azure", azure_endpoint="https://r.openai.azure.com"), "api_version", "needs an API version"),
    (Profile.azure("ok", "https://r.openai.azure.com", api_version="latest-please"), "api_version", "not an Azure API version"),
    (Profile.azure("ok", "https://r.openai.azure.com/openai/deployments/x"), "azure_endpoint", "only the resource endpoint"),
    (Profile.openai(organization="org 1"), "organization", "cannot contain spaces"),
    (Profile.openai(default_model="gpt 4"), "default_model", "cannot contain spaces"),
])
def test_problems_are_plain_sentences_tied_to_a_field(profile, field, words):
    messages = _messages(profile)
    assert field in messages, messages
    assert words in messages[field]


def test_validated_raises_one_message_with_every_problem():
    with pytest.raises(ProfileError) as err:
        Profile("", kind="azure").validated()
    assert err.value.field == "name"
    assert "profile name" in str(err.value) and "resource endpoint" in str(err.value)


def test_a_key_pasted_into_a_field_is_refused_without_echoing_it():
    for profile in (Profile.openai(organization=OPENAI_KEY), Profile.compatible("x", f"https://h/{OPENAI_KEY}")):
        problems = profile.problems()
        assert any("looks like an API key" in p.message for p in problems)
        assert all(OPENAI_KEY not in p.message for p in problems)
    bad_version = Profile.azure("x", "https://r.openai.azure.com", api_version=AZURE_KEY)
    assert all(AZURE_KEY not in p.message for p in bad_version.problems())


def test_api_versions_accepted():
    for version in ("2024-10-21", "2025-04-01-preview", "v1", "preview", "latest"):
        assert Profile.azure("a", "https://r.openai.azure.com", api_version=version).problems() == []
    assert Profile.azure("a", "https://r.openai.azure.com").api_version == DEFAULT_AZURE_API_VERSION
    assert "deployed" in AZURE_DEPLOY_NOTE


def test_round_trip_through_the_file(profiles_path):
    store = ProfileStore(profiles_path)
    azure = store.add(Profile.azure("Contoso", "https://contoso.openai.azure.com", azure_deployment="ft-support",
                                    default_model="ft-support"))
    local = store.add(Profile.compatible("Ollama", "http://localhost:11434/v1/", default_model="llama3.1"))
    assert local.base_url == "http://localhost:11434/v1"
    again = ProfileStore(profiles_path)
    assert again.names() == ["OpenAI", "Contoso", "Ollama"]
    assert again.get("contoso") == azure and again.get("OLLAMA") == local
    data = json.loads(profiles_path.read_text("utf-8"))
    assert data["version"] == 1
    assert data["profiles"][0] == {"name": "Contoso", "kind": "azure", "azure_endpoint": "https://contoso.openai.azure.com",
                                   "api_version": DEFAULT_AZURE_API_VERSION, "azure_deployment": "ft-support",
                                   "default_model": "ft-support"}
    assert not list(profiles_path.parent.glob(".profiles.json.*"))  # the atomic writer left nothing behind


def test_builtin_openai_profile_is_there_editable_and_not_removable(profiles_path):
    store = ProfileStore(profiles_path)
    assert not profiles_path.exists()
    [builtin] = store.list()
    assert builtin.name == "OpenAI" and builtin.kind == "openai" and builtin.builtin
    edited = store.update("openai", Profile.openai(organization="org-acme"))
    assert edited.builtin and store.get("OpenAI").organization == "org-acme"
    assert store.list()[0].organization == "org-acme" and len(store.list()) == 1
    with pytest.raises(ProfileError, match="cannot be removed"):
        store.remove("OpenAI")
    with pytest.raises(ProfileError, match="stays an OpenAI profile"):
        store.update("OpenAI", Profile.openai("Renamed"))


def test_add_update_remove(profiles_path):
    store = ProfileStore(profiles_path)
    store.add(Profile.compatible("A", "https://a.example/v1"))
    store.add(Profile.compatible("B", "https://b.example/v1"))
    with pytest.raises(ProfileError, match="named 'A' already exists"):
        store.add(Profile.compatible("a", "https://other.example/v1"))
    with pytest.raises(ProfileError, match="named 'B' already exists"):
        store.update("A", Profile.compatible("b", "https://a.example/v1"))
    store.update("A", Profile.compatible("A2", "https://a2.example/v1"))
    assert store.names() == ["OpenAI", "A2", "B"]  # a rename keeps the position
    store.remove("a2")
    assert store.names() == ["OpenAI", "B"]
    with pytest.raises(ProfileNotFound, match="no profile named 'A2'. Profiles: OpenAI, B"):
        store.remove("A2")
    with pytest.raises(ProfileError):
        store.add(Profile.compatible("C", "nope"))
    assert store.names() == ["OpenAI", "B"]


def test_the_file_never_contains_a_key(profiles_path, fake_keyring):
    store, secrets = ProfileStore(profiles_path), SecretStore()
    profile = store.add(Profile.compatible("Together", "https://api.together.xyz/v1"))
    secrets.set(profile, OPENAI_KEY)
    store.update("Together", Profile.compatible("Together", "https://api.together.xyz/v1", default_model="m"))
    secrets.set("OpenAI", AZURE_KEY)
    store.update("OpenAI", Profile.openai(project="proj_1"))
    text = profiles_path.read_text("utf-8")
    assert OPENAI_KEY not in text and AZURE_KEY not in text and "key" not in text.lower()
    assert fake_keyring.data[("FineTuneWorkbench", "Together")] == OPENAI_KEY


def test_a_hand_edited_key_is_ignored_and_dropped_on_the_next_save(profiles_path):
    profiles_path.write_text(json.dumps({"version": 1, "profiles": [
        {"name": "Mine", "kind": "compatible", "base_url": "https://x.example/v1", "api_key": OPENAI_KEY}]}))
    store = ProfileStore(profiles_path)
    assert store.get("Mine").base_url == "https://x.example/v1"
    store.add(Profile.compatible("Other", "https://y.example/v1"))
    assert OPENAI_KEY not in profiles_path.read_text("utf-8")


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "is not valid JSON (line 1)"),
    ('{"profiles": 3}', "has no 'profiles' list"),
    ('{"profiles": [{"kind": "openai"}]}', "Profile 1 in"),
    ('{"profiles": [{"name": "x", "kind": "azure"}]}', "needs your resource endpoint"),
    ('{"profiles": [{"name": "x", "base_url": 5}]}', "must be text"),
    ('{"profiles": ["x"]}', "must be a JSON object"),
    ('{"profiles": [{"name": "x"}, {"name": "X"}]}', "two profiles named 'X'"),
])
def test_a_broken_file_is_reported_not_overwritten(profiles_path, content, words):
    profiles_path.write_text(content)
    store = ProfileStore(profiles_path)
    with pytest.raises(ProfileError) as err:
        store.list()
    assert words in str(err.value)
    with pytest.raises(ProfileError):
        store.add(Profile.compatible("New", "https://n.example/v1"))
    assert profiles_path.read_text() == content


def test_default_path_is_in_the_user_config_folder(tmp_path):
    path = default_profiles_path()
    assert path == tmp_path / "config" / "FineTuneWorkbench" / "profiles.json"  # redirected by the conftest
    store = ProfileStore()
    store.add(Profile.compatible("X", "https://x.example/v1"))
    assert path.exists()


def test_endpoint_for_display():
    assert Profile.openai().endpoint == "https://api.openai.com/v1"
    assert Profile.azure("a", "https://r.openai.azure.com").endpoint == "https://r.openai.azure.com"
    assert Profile.compatible("c", "http://localhost:1234/v1").kind_label == "OpenAI-compatible"
