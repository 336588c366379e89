"""Entry point for the ``kpo-calc`` script and ``python -m kpo_calc``.

``--version`` is answered here, before the CLI framework is imported, so that
the most common liveness check in CI costs a bare interpreter start-up.
"""

from __future__ import annotations

import gc
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
    # The engine does elementwise arithmetic, no linear algebra: a BLAS thread
    # pool would only be spun up and torn down.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    # The imports (pydantic schemas, numpy, rich) make hundreds of thousands of
    # long-lived objects; the default thresholds would rescan them repeatedly.
    gc.set_threshold(100_000, 50, 100)
    from kpo_calc.cli import run

    try:
        run()
    finally:
        # Every object the run made lives until exit; freezing them spares the
        # interpreter's final collections a walk over all of them.
        gc.freeze()


if __name__ == "__main__":
    main()
