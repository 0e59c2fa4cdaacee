"""Talking to services: OpenAI, Azure OpenAI and OpenAI-compatible servers (through the official
openai SDK) and the OS keyring.

- ``secrets``     API keys in the keyring (memory-only without one; env vars for scripting)
- ``client``      ``make_client(profile, secret)`` -> an openai SDK client
- ``connection``  ``test_connection(profile, secret, cancelled=...)`` -> ConnectionReport
- ``errors``      SDK exceptions -> ``ProviderError`` (plain message, next step, retryable)

Profiles (no network, no keys) are in ``workbench.core.profiles``; masking and log scrubbing in
``workbench.core.redact``. Nothing is imported here, so importing one module stays cheap.
"""
