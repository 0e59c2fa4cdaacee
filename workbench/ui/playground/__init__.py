"""The Playground tab: compare 2-4 models side by side (blind if wanted) and run held-out evaluations.

Importing this package loads the openai SDK (through workbench.providers): import it lazily."""

from workbench.ui.playground.tab import PlaygroundTab

__all__ = ["PlaygroundTab"]
