"""The scripts under scripts/ are no package: each is loaded from its file."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load(name):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def dependency_lock():
    return _load("dependency_lock")


@pytest.fixture
def dependency_audit():
    return _load("dependency_audit")


@pytest.fixture
def screens():
    return _load("screens")
