"""Entry point for the ``kpo-calc`` script and ``python -m kpo_calc``.

``--version`` is answered here, before the CLI framework is imported, so that
the most common liveness check in CI costs a bare interpreter start-up.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run the command line interface."""
    if sys.argv[1:] == ["--version"]:
        from kpo_calc._version import __version__

        sys.stdout.write(f"kpo-calc {__version__}\n")
        return
    # The command line never uses pydantic plugins (observability hooks found
    # through entry points); skipping their discovery saves a scan of every
    # installed package's metadata on each run. A library caller is unaffected.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from kpo_calc.cli import run

    run()


if __name__ == "__main__":
    main()
