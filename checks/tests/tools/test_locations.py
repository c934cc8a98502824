"""Where dlfs reads and where it writes (issue #24): a checkout and an installed dlfs (checks/locations.py).

The real non-editable install is the slow tier's (test_install.py); these fast tests pose as
an installed dlfs by pointing the package folder at one without a pyproject.toml.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from checks import cli, locations
from checks.isolation.adapters import REPO_ROOT
from checks.locations import PACKAGE_ROOT, checkout, output


def test_this_checkout_is_the_package_folder_and_outputs_go_under_the_current_folder():
    assert checkout() == PACKAGE_ROOT and (PACKAGE_ROOT / "checks" / "locations.py").is_file()
    assert output("grade") == Path("build") / "grade" and not output("grade").is_absolute()


def test_the_data_cache_is_the_checkouts_the_users_or_dlfs_data_home(monkeypatch, tmp_path):
    from data import config

    monkeypatch.delenv("DLFS_DATA_HOME", raising=False)
    assert config.data_home() == PACKAGE_ROOT / "data" / "cache"
    site = tmp_path / "site-packages"
    (site / "data").mkdir(parents=True)
    monkeypatch.setattr(config, "_PACKAGE", site / "data")  # an installed dlfs: no pyproject.toml beside it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert config.data_home() == tmp_path / "xdg" / "dlfs"
    monkeypatch.setenv("DLFS_DATA_HOME", str(tmp_path / "mine"))
    assert config.data_home() == tmp_path / "mine"


def test_an_installed_dlfs_refuses_the_maintainers_commands_naming_where_it_is(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(locations, "PACKAGE_ROOT", tmp_path / "site-packages")
    for command in (["check"], ["docs"], ["exercises"], ["mutants"], ["matrix"]):
        assert cli.main(command) == 2
        error = capsys.readouterr().err
        assert "works on a checkout of dlfs" in error and str(tmp_path / "site-packages") in error, command
    with pytest.raises(SystemExit) as done:
        cli.main(["docs", "--help"])  # help still answers
    assert done.value.code == 0 and "usage:" in capsys.readouterr().out


def test_grading_takes_its_wiring_and_settings_from_the_package():
    from checks.grading.run import _SETTINGS, _pytest_command

    command = _pytest_command("spec.json", Path("run"), None, 1, None, None, 1, 1, 1, 1 << 30)
    assert ["--noconftest", "-p", "checks.suite.wiring", "-c", str(_SETTINGS)] == command[command.index("--noconftest"):
                                                                                         command.index("--noconftest") + 5]
    assert _SETTINGS.is_file() and _SETTINGS.parent == PACKAGE_ROOT / "checks" / "grading"


def test_a_temporary_folder_left_by_a_killed_process_is_removed_by_the_next_graders_sweep():
    # a grader killed at a time limit runs no cleanup: what it made must carry its pid for the next one
    script = ("import os, sys\nfrom checks.locations import temporary_folder\n"
              "folder = temporary_folder('intake')\nprint(folder.name, flush=True)\nos._exit(0)\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    left = Path(run.stdout.strip())
    assert left.is_dir()
    from checks.isolation.boundary import TEMPORARY_PREFIXES
    from checks.isolation.tree import sweep_stale

    assert str(left) in sweep_stale(TEMPORARY_PREFIXES) and not left.exists()


def test_a_grading_run_folder_outside_a_checkout_carries_its_pid_for_the_sweep(monkeypatch):
    # an installed dlfs keeps a grading's run folder in the temporary folder: a grader killed there
    # must not leave it behind for good (it was `dlfs-grade-run-…`, no pid: never swept)
    from checks.grading import run as grading_run

    monkeypatch.setattr(grading_run, "checkout", lambda: None)
    folder = grading_run._run_folder()
    try:
        assert folder.name.startswith(f"dlfs-run-{os.getpid()}-") and folder.stat().st_mode & 0o777 == 0o700
    finally:
        folder.rmdir()


def _temporary_prefixes_made(monkeypatch, work):
    made = []
    real = tempfile.TemporaryDirectory

    def recording(*args, **kwargs):
        made.append(kwargs.get("prefix"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", recording)
    work()
    return made


def test_grade_all_and_the_mount_probe_make_their_temporary_folders_sweepable(monkeypatch, tmp_path):
    # a grade-all killed mid-run left `dlfs-grade-all-…` (every submission's copy), the mount probe
    # `dlfs-mount-probe-…`: no pid, so no sweep ever removed them
    from checks.grading.batch import grade_all
    from checks.isolation import private_mounts

    sweepable = {locations.temporary_prefix(kind) for kind in locations.TEMPORARY_KINDS}
    (tmp_path / "submissions").mkdir()
    made = _temporary_prefixes_made(monkeypatch, lambda: grade_all(tmp_path / "submissions", tmp_path / "out"))
    assert made and set(made) <= sweepable, made
    if os.geteuid() == 0:  # the probe makes its folder only as root
        made = _temporary_prefixes_made(monkeypatch, lambda: private_mounts._probe.__wrapped__("on"))
        assert made and set(made) <= sweepable, made
