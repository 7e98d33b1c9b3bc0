"""The bundled example: the Rennes Métropole flood-crisis campaign, views per network."""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"
RENNES_SAMPLE = SAMPLES_DIR / "rennes_crue_campagne.csv"


def example_files() -> list[tuple[str, bytes]]:
    """The example files as (name, bytes), ready for the importer."""
    return [(RENNES_SAMPLE.name, RENNES_SAMPLE.read_bytes())]
