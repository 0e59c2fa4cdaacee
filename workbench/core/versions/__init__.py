"""Dataset versions: named snapshots of a workspace's examples, their differences, and the version
each fine-tuning job trained on (``jobs.version_id``)."""

from workbench.core.versions.diff import (
    ExampleChange,
    ExampleState,
    VersionDiff,
    change_data,
    describe_content_change,
    diff_versions,
    example_data,
)
from workbench.core.versions.state import CURRENT
from workbench.core.versions.store import (
    AUTO_NOTE,
    VERSIONS,
    VersionError,
    VersionInfo,
    consistent_read,
    create_version,
    current_digest,
    delete_version,
    get_version,
    list_versions,
    matching_version,
    rename_version,
    set_note,
    version_for_export,
)

__all__ = [
    "AUTO_NOTE", "CURRENT", "VERSIONS", "ExampleChange", "ExampleState", "VersionDiff", "VersionError", "VersionInfo",
    "change_data", "consistent_read", "create_version", "current_digest", "delete_version",
    "describe_content_change", "diff_versions", "example_data", "get_version", "list_versions",
    "matching_version", "rename_version", "set_note", "version_for_export",
]
