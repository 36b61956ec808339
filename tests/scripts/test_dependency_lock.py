"""The lock files belong to pyproject.toml, and a lock left behind fails loudly."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checkout(tmp_path):
    for name in ("pyproject.toml", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def check(module, folder):
    module.check(folder / "pyproject.toml", folder / "requirements.lock",
                 folder / "requirements-dev.lock")


def test_the_committed_locks_belong_to_pyproject(dependency_lock):
    # Fails after a dependency changed in pyproject.toml without `make lock`.
    dependency_lock.check()


def test_every_locked_package_carries_its_hash(dependency_lock):
    for lock in (dependency_lock.RUNTIME_LOCK, dependency_lock.DEV_LOCK):
        assert dependency_lock.locked_pins(lock)
        assert dependency_lock.unhashed(lock) == []


def test_the_dev_lock_holds_the_runtime_versions(dependency_lock):
    runtime = dependency_lock.locked_pins(dependency_lock.RUNTIME_LOCK)
    dev = dependency_lock.locked_pins(dependency_lock.DEV_LOCK)
    assert {name: dev.get(name) for name in runtime} == runtime


def test_a_dependency_added_to_pyproject_makes_the_lock_stale(dependency_lock, checkout):
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        '    "uv==', '    "hypothesis==6.140.0",\n    "uv=='))
    with pytest.raises(dependency_lock.StaleLock, match="hypothesis==6.140.0, requirements-dev"):
        check(dependency_lock, checkout)


def test_a_changed_pin_makes_the_lock_stale(dependency_lock, checkout):
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"Django==5.2.19"', '"Django==5.2.20"'))
    with pytest.raises(dependency_lock.StaleLock,
                       match="django==5.2.20, requirements.lock has django==5.2.19"):
        check(dependency_lock, checkout)


def test_a_change_without_a_pin_is_caught_by_the_fingerprint(dependency_lock, checkout):
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'requires-python = ">=3.11,<3.12"', 'requires-python = ">=3.11,<3.13"'))
    with pytest.raises(dependency_lock.StaleLock, match="other dependency lists"):
        check(dependency_lock, checkout)


def test_a_lock_with_merge_conflict_markers_is_stale(dependency_lock, checkout):
    lock = checkout / "requirements.lock"
    lock.write_text("<<<<<<< HEAD\n" + lock.read_text() + ">>>>>>> other\n")
    with pytest.raises(dependency_lock.StaleLock, match="merge conflict"):
        check(dependency_lock, checkout)


def test_a_package_without_hash_is_refused(dependency_lock, checkout):
    lock = checkout / "requirements.lock"
    lines = lock.read_text().splitlines()
    django = next(i for i, line in enumerate(lines) if line.startswith("django=="))
    end = next(i for i in range(django + 1, len(lines)) if not lines[i].startswith("    --hash"))
    lock.write_text("\n".join([*lines[:django], "django==5.2.19", *lines[end:]]) + "\n")
    with pytest.raises(dependency_lock.StaleLock, match="no hash for django"):
        check(dependency_lock, checkout)


def test_the_check_tells_what_to_do(dependency_lock, monkeypatch, capsys):
    def stale():
        raise dependency_lock.StaleLock("requirements.lock is missing.")

    monkeypatch.setattr(dependency_lock, "check", stale)
    assert dependency_lock.main(["check"]) == 1
    assert "Run `make lock`" in capsys.readouterr().err
