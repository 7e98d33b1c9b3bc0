"""The bundled example: the Rennes Métropole flood-crisis campaign, views per network.

The example is not user data: the first real import removes it (and says so), so its figures are
never added to a workspace's own. It sits in `data/samples/` of a checkout; a built wheel carries it
inside the package (`canalyse/_samples`), where an installed Canalyse finds it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGED = Path(__file__).resolve().with_name("_samples")
SAMPLES_DIR = (
    _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "data" / "samples"
)
RENNES_SAMPLE = SAMPLES_DIR / "rennes_crue_campagne.csv"


def example_files() -> list[tuple[str, bytes]]:
    """The example files as (name, bytes), ready for the importer."""
    return [(RENNES_SAMPLE.name, RENNES_SAMPLE.read_bytes())]


def example_hashes() -> list[str]:
    """The content hashes of the example files, to recognise them in a workspace."""
    return [hashlib.sha256(data).hexdigest() for _, data in example_files()]
