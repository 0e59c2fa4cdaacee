"""One openai SDK client per profile: OpenAI, Azure OpenAI or any OpenAI-compatible server.

The profile is the whole truth: the key is passed explicitly and OPENAI_ORG_ID / OPENAI_PROJECT_ID /
OPENAI_BASE_URL from the environment are not picked up behind the profile's back (the SDK would
otherwise send your OpenAI organization header to a third-party server).
"""

from __future__ import annotations

import openai

from workbench.core.profiles import OPENAI_BASE_URL, Profile, ProfileError
from workbench.core.redact import Secret
from workbench.providers.errors import PROFILE, ProviderError, no_key_error
from workbench.providers.secrets import env_var_for

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
# Local servers (Ollama, LM Studio, vLLM) accept any key; the SDK insists on one.
NO_KEY_PLACEHOLDER = "not-needed"


def make_client(profile: Profile, secret: Secret | str | None, *, timeout: float = DEFAULT_TIMEOUT,
                max_retries: int = DEFAULT_MAX_RETRIES) -> openai.OpenAI | openai.AzureOpenAI:
    """An SDK client for ``profile``. Raises ProfileError (invalid profile) or ProviderError (no key).

    ``compatible`` profiles work without a key; ``openai`` and ``azure`` ones need one.
    """
    try:
        profile = profile.validated()
    except ProfileError as exc:
        raise ProviderError(f"The profile '{profile.name}' is not complete: {exc.message}",
                            "Fix it in Settings → Providers.", False, kind=PROFILE) from None
    key = secret.reveal() if isinstance(secret, Secret) else (secret or "")
    key = key.strip()
    if not key:
        if profile.kind != "compatible":
            raise no_key_error(profile, env_var_for(profile.kind, profile.base_url))
        key = NO_KEY_PLACEHOLDER

    if profile.kind == "azure":
        client: openai.OpenAI = openai.AzureOpenAI(
            api_key=key,
            azure_endpoint=profile.azure_endpoint or "",
            api_version=profile.api_version,
            azure_deployment=profile.azure_deployment,
            timeout=timeout,
            max_retries=max_retries,
        )
    else:
        client = openai.OpenAI(
            api_key=key,
            base_url=profile.base_url or OPENAI_BASE_URL,
            organization=profile.organization if profile.kind == "openai" else None,
            project=profile.project if profile.kind == "openai" else None,
            timeout=timeout,
            max_retries=max_retries,
        )
    # The SDK falls back to OPENAI_ORG_ID / OPENAI_PROJECT_ID when these are None; the profile decides.
    client.organization = profile.organization if profile.kind == "openai" else None
    client.project = profile.project if profile.kind == "openai" else None
    return client
