"""Core-engine test setup."""

import contextlib
import warnings

# When a Hypothesis test fails, its pytest plugin imports hypothesis.extra._patching (-> libcst ->
# mypy_extensions), which emits a DeprecationWarning. Under filterwarnings=error that warning turns
# a plain test failure into an INTERNALERROR that aborts the whole run. Import it once here, quietly.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401
