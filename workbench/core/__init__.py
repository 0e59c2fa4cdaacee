"""Qt-free, network-free core: examples, formats, validation, tokens, cost, workspace store.

Nothing under this package may import PySide6, openai or keyring (tests/test_architecture.py).
"""
