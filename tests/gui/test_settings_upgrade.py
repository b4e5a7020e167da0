"""Settings written by an earlier version (Qt's own per-user INI) survive the upgrade."""

from lenet_desktop import paths
from lenet_desktop.gui import settings


def _use_default_location(monkeypatch, tmp_path, legacy_text):
    legacy = tmp_path / "old" / "LeNet Desktop" / "lenet-desktop.ini"
    if legacy_text is not None:
        legacy.parent.mkdir(parents=True)
        legacy.write_text(legacy_text)
    monkeypatch.setattr(settings, "_legacy_settings_file", lambda: legacy)
    monkeypatch.setattr(paths, "user_config_dir", lambda: tmp_path / "new")
    settings.set_settings_path(None)
    return legacy


def test_earlier_settings_are_adopted_once(monkeypatch, tmp_path):
    legacy = _use_default_location(monkeypatch, tmp_path, "[General]\npen_width=27\nmode=2\n")
    values = settings.read_settings()
    assert values["pen_width"] == 27
    assert values["mode"] == 2
    assert (tmp_path / "new" / settings.SETTINGS_FILE).is_file()

    # From now on the new file rules: a later change to the old one is not copied again.
    settings.write_settings({"pen_width": 12})
    legacy.write_text("[General]\npen_width=33\n")
    assert settings.read_settings()["pen_width"] == 12


def test_no_earlier_settings_gives_the_defaults(monkeypatch, tmp_path):
    _use_default_location(monkeypatch, tmp_path, None)
    assert settings.read_settings()["pen_width"] == 18
    assert not (tmp_path / "new" / settings.SETTINGS_FILE).exists()
