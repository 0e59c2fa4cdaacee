"""Clients from a profile or a bare base URL, and what an answer costs where."""

from __future__ import annotations

import pytest

from tests.playground.conftest import LOCAL, PRICED
from workbench.core.playground.cost import answer_cost, format_cost, inference_prices, priced_by_openai
from workbench.core.profiles import Profile, ProfileStore
from workbench.providers.client import NO_KEY_PLACEHOLDER
from workbench.providers.connect import ConnectError, Connector, connect


def test_a_bare_base_url_works_without_a_key_only_when_allowed(monkeypatch):
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-the-shell")
    made = connect(base_url="http://localhost:11434/v1", key_required=False)
    assert made.client.api_key == NO_KEY_PLACEHOLDER and made.secret is None and made.profile is None
    assert made.client.organization is None  # the shell's organization is not sent to someone else's server
    assert made.priced is False
    with pytest.raises(ConnectError, match="OPENAI_API_KEY"):
        connect(base_url="http://localhost:11434/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdefghij")
    assert connect(base_url="https://api.openai.com/v1").priced is True


def test_profiles_give_clients_and_say_whether_openai_prices_apply(profiles):
    assert connect(PRICED).priced is True and connect(PRICED).kind == "openai"
    assert connect(LOCAL).priced is False
    with pytest.raises(ConnectError, match="There is no profile named 'Nope'"):
        connect("Nope")
    ProfileStore().add(Profile.azure("Azure", "https://res.openai.azure.com"))
    with pytest.raises(ConnectError, match="no API key for the profile 'Azure'"):
        connect("Azure")


def test_the_connector_shares_one_client_per_service(profiles):
    from workbench.core.playground.answer import ChatTarget

    connector = Connector()
    a = connector.connection(ChatTarget("m1", profile=PRICED))
    assert connector.connection(ChatTarget("m2", profile=PRICED)) is a
    assert connector.connection(ChatTarget("m1", profile=LOCAL)) is not a
    connector.close()


def test_prices_for_base_tuned_and_unknown_models():
    assert inference_prices("gpt-4.1-mini") == (0.40, 1.60)  # the base model
    assert inference_prices("ft:gpt-4.1-mini-2025-04-14:acme::x1") == (0.80, 3.20)  # tuned from it
    assert inference_prices("ft:gpt-4.1-mini-2025-04-14:acme::x1:ckpt-step-40") == (0.80, 3.20)
    assert inference_prices("llama3:8b") is None
    assert answer_cost("gpt-4.1-mini", 1_000_000, 500_000, priced=True) == pytest.approx(0.40 + 0.80)
    assert answer_cost("gpt-4.1-mini", 10, 10, priced=False) is None
    assert answer_cost("gpt-4.1-mini", None, 10, priced=True) is None
    assert priced_by_openai("azure", None) is False and priced_by_openai(None, "https://API.openai.com/v1")


def test_costs_read_well():
    assert format_cost(None) == "unknown"
    assert format_cost(0) == "$0"
    assert format_cost(0.0000125) == "$0.000013"
    assert format_cost(0.25) == "$0.2500"
    assert format_cost(12.345) == "$12.35"
