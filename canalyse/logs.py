"""Logging: what went wrong, for whoever runs Canalyse, beside the message the user reads.

Every module logs to its own logger (`logging.getLogger(__name__)`); where a top-level catcher
turns an unexpected exception into a message (« … : KeyError »), it logs the traceback with
`logger.exception`. Nothing is configured on import: the package only keeps its records from
Python's last-resort output. The entry points call `configure`: the app always (warnings and
errors on the server's standard error), the command line with `--verbose` or `$CANALYSE_LOG`.
"""

from __future__ import annotations

import logging
import os
import sys

# The level (DEBUG, INFO, WARNING, ERROR) the entry points log at.
LEVEL_VARIABLE = "CANALYSE_LOG"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def requested_level(verbose: bool = False) -> str | None:
    """The level asked for: DEBUG with `verbose`, else `$CANALYSE_LOG` (a level's name), else None."""
    if verbose:
        return "DEBUG"
    chosen = os.environ.get(LEVEL_VARIABLE, "").strip().upper()
    return chosen if chosen in logging.getLevelNamesMapping() else None


def configure(level: str) -> None:
    """Send Canalyse's records of `level` and above to standard error (once: a process whose
    logging is already set up keeps its own)."""
    logging.basicConfig(format=_FORMAT, stream=sys.stderr)
    logging.getLogger("canalyse").setLevel(level)
