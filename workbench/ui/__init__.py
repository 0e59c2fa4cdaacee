"""PySide6 widgets and Qt models: thin adapters over workbench.core and workbench.providers."""
