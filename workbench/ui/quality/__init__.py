"""The Data quality tab (issue 7): personal data, duplicates, consistency, splits, balance, versions."""

from workbench.ui.quality.tab import PAGES, QualityTab

# The main window's Data menu: (text, page key, shortcut or None).
MENU_ACTIONS = (
    ("Find &Personal Data…", "pii", "Ctrl+Shift+D"),
    ("Find &Duplicates…", "duplicates", None),
    ("&Standardise Greetings and Sign-offs…", "consistency", None),
    ("Assign S&plits…", "splits", None),
    ("&Balance Report", "balance", None),
    ("Dataset &Versions…", "versions", None),
)

__all__ = ["MENU_ACTIONS", "PAGES", "QualityTab"]
