# Replaces pyinstaller-hooks-contrib's hook, which collects every phonenumbers submodule: the app needs
# the per-region metadata (imported lazily by name, so PyInstaller cannot see it) but not the place-name,
# carrier and time-zone tables (see EXCLUDED_MODULES in packaging/exclusions.py).
from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("phonenumbers.data") + collect_submodules("phonenumbers.shortdata")
