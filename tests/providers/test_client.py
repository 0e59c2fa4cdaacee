"""make_client: the right SDK client for each profile kind, configured by the profile alone."""

from __future__ import annotations

import openai
import pytest

from tests.openai_standin import TEST_KEY
from tests.providers.conftest import AZURE_KEY, OPENAI_KEY
from workbench.core.profiles import Profile
from workbench.core.redact import Secret
from workbench.providers.client import NO_KEY_PLACEHOLDER, make_client
from workbench.providers.errors import NO_KEY, PROFILE, ProviderError


def test_openai_profile_with_organization_and_project(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://elsewhere.invalid/v1")  # the profile decides, not the shell
    client = make_client(Profile.openai(organization="org-acme", project="proj_9"), Secret(OPENAI_KEY),
                         timeout=12, max_retries=4)
    assert type(client) is openai.OpenAI
    assert str(client.base_url) == "https://api.openai.com/v1/"
    assert client.api_key == OPENAI_KEY and client.max_retries == 4 and client.timeout == 12
    assert client.default_headers["OpenAI-Organization"] == "org-acme"
    assert client.default_headers["OpenAI-Project"] == "proj_9"
    client.close()


def test_environment_organization_does_not_leak_into_other_profiles(monkeypatch):
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-shell")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_shell")
    for profile in (Profile.openai(), Profile.compatible("T", "https://api.together.xyz/v1"),
                    Profile.azure("A", "https://r.openai.azure.com")):
        client = make_client(profile, OPENAI_KEY)
        assert client.organization is None and client.project is None
        assert not isinstance(client.default_headers.get("OpenAI-Organization"), str)
        client.close()


def test_compatible_profile_uses_its_base_url_and_needs_no_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)  # not picked up behind our back
    client = make_client(Profile.compatible("Ollama", "http://localhost:11434/v1/"), None)
    assert type(client) is openai.OpenAI
    assert str(client.base_url) == "http://localhost:11434/v1/" and client.api_key == NO_KEY_PLACEHOLDER
    client.close()


def test_azure_profile(monkeypatch):
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "should-not-be-used")
    client = make_client(Profile.azure("Contoso", "https://contoso.openai.azure.com/", api_version="2025-04-01-preview",
                                       azure_deployment="support-ft"), Secret(AZURE_KEY))
    assert isinstance(client, openai.AzureOpenAI)
    assert str(client.base_url) == "https://contoso.openai.azure.com/openai/deployments/support-ft/"
    assert client.default_query["api-version"] == "2025-04-01-preview"
    client.close()


def test_azure_requests_carry_the_key_header_and_api_version(recorder):
    recorder.reply = (200, {"object": "list", "data": [
        {"id": "gpt-4o-mini-2024-07-18", "object": "model", "created": 1, "owned_by": "system",
         "capabilities": {"fine_tune": True, "inference": True}}]})
    client = make_client(Profile.azure("Contoso", recorder.url), AZURE_KEY, max_retries=0)
    assert [m.id for m in client.models.list()] == ["gpt-4o-mini-2024-07-18"]
    client.close()
    [request] = recorder.requests
    assert request["path"] == "/openai/models?api-version=2024-10-21"
    assert request["headers"]["api-key"] == AZURE_KEY and "authorization" not in request["headers"]


@pytest.mark.parametrize("profile", [Profile.openai(), Profile.azure("A", "https://r.openai.azure.com")])
def test_openai_and_azure_need_a_key(profile, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    with pytest.raises(ProviderError) as err:
        make_client(profile, None)
    assert err.value.kind == NO_KEY and f"no API key for the profile '{profile.name}'" in err.value.message
    assert "workbench keys set" in err.value.next_step
    with pytest.raises(ProviderError):
        make_client(profile, Secret("   "))


def test_an_incomplete_profile_is_a_plain_error():
    with pytest.raises(ProviderError) as err:
        make_client(Profile("Broken", kind="azure"), AZURE_KEY)
    assert err.value.kind == PROFILE and "resource endpoint" in err.value.message


def test_a_client_for_the_standin_works_end_to_end(openai_standin):
    client = make_client(Profile.openai(base_url=openai_standin.base_url), Secret(TEST_KEY), max_retries=0)
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
    assert reply.choices[0].message.content
    client.close()
