"""Data-quality test setup: a fresh workspace per test, closed afterwards."""

import contextlib
import warnings

import pytest

from workbench.core.store import Workspace

# See tests/core/conftest.py: a failing Hypothesis test must not turn into an INTERNALERROR.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401


@pytest.fixture
def ws(tmp_path):
    workspace = Workspace.open(tmp_path / "project.ftw")
    yield workspace
    workspace.close()
