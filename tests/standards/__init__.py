"""Copies of the public specifications the tests validate against, with their licences.

They are copied from the shared standards folder beside the project, so that a clone
with nothing beside it tests on its own. Each folder keeps its licence file; README.md
says where each one comes from.
"""

from pathlib import Path

STANDARDS = Path(__file__).resolve().parent
