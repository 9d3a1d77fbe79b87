"""Remembered settings: theme choice, recent files (missing ones pruned)."""

from __future__ import annotations

import pytest

from editor.recent_files import RecentFiles
from editor.settings import Settings


def test_theme_is_remembered_and_checked(settings, tmp_path):
    assert settings.theme == "system"
    settings.theme = "dark"
    settings.sync()
    assert Settings.at_path(tmp_path / "settings.ini").theme == "dark"
    with pytest.raises(ValueError, match="theme must be one of"):
        settings.theme = "purple"


def test_recent_files_most_recent_first_without_duplicates_and_pruned(settings, tmp_path):
    recent = RecentFiles(settings, limit=3)
    files = [tmp_path / f"g{i}.json" for i in range(4)]
    for f in files:
        f.write_text("{}")
    for f in files[:3]:
        recent.add(f)
    recent.add(files[0])
    assert recent.paths() == [str(files[0]), str(files[2]), str(files[1])]
    recent.add(files[3])
    assert recent.paths() == [str(files[3]), str(files[0]), str(files[2])]
    files[0].unlink()
    assert recent.paths() == [str(files[3]), str(files[2])]
    assert settings.recent_files == [str(files[3]), str(files[2])]  # forgotten for good


def test_single_recent_file_survives_the_ini_round_trip(settings, tmp_path):
    only = tmp_path / "only.json"
    only.write_text("{}")
    RecentFiles(settings).add(only)
    settings.sync()
    assert RecentFiles(Settings.at_path(tmp_path / "settings.ini")).paths() == [str(only)]
