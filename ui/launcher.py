"""The ``provider-desk`` entry point: the core's command line, with the Qt GUI plugged in.

Qt is imported only when the GUI is actually started, so subcommands stay quick.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _run_gui(database: str | None, exit_after_start: bool, demo: bool = False) -> int:
    from ui.app import run_gui

    return run_gui(database, exit_after_start=exit_after_start, demo=demo)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``provider-desk``."""
    import multiprocessing

    from provider_desk.cli import main as cli_main

    # A packaged Windows build starts its export processes (see provider_desk.processes) by
    # running this program again: this turns that run into the export. Elsewhere it does nothing.
    multiprocessing.freeze_support()

    return cli_main(argv, run_gui=_run_gui)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
