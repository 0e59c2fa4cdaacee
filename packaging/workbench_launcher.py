"""The frozen app's entry point: the same ``workbench.cli:main`` that ``pip install`` puts on PATH."""

from workbench.cli import main

raise SystemExit(main())
