"""Plain-language messages for failures on the job paths (upload, create, watch, cancel).

The wording comes from ``workbench.providers.errors.map_error`` (one mapping for the whole app);
this only says which step failed: "Could not create the fine-tuning job. OpenAI rejected ...".
"""

from __future__ import annotations

from workbench.core.profiles import Profile
from workbench.providers.errors import map_error


def profile_name(profile: Profile | str | None) -> str | None:
    return profile.name if isinstance(profile, Profile) else profile


def explain(exc: BaseException, doing: str = "talk to the service", *, profile: Profile | str | None = None,
            operation: str | None = None) -> str:
    """One or two sentences a person can act on; ``doing`` completes "Could not ...". With a Profile
    the wording names the service and gives its own next steps (Azure, local servers)."""
    error = map_error(exc, profile=profile if isinstance(profile, Profile) else None, operation=operation)
    return f"Could not {doing}. {error.text}"
