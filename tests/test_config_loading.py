import pytest

from aimds_middleware import Action, ConfigError, GuardConfig


def test_from_file_guard_table(tmp_path):
    p = tmp_path / "aimds.toml"
    p.write_text('[guard]\nblock_threshold = 0.7\non_error = "allow"\n[guard.category_actions]\n'
                 'instruction_override = "review"\n')
    cfg = GuardConfig.from_file(p)
    assert cfg.block_threshold == 0.7 and cfg.on_error == "allow"
    assert cfg.category_actions == {"instruction_override": Action.REVIEW}


def test_from_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        GuardConfig.from_file(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("block_threshold = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        GuardConfig.from_file(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("blok_threshold = 0.5\n")
    with pytest.raises(ConfigError) as e:
        GuardConfig.from_file(unknown)
    assert e.value.field == "blok_threshold"


def test_from_env():
    cfg = GuardConfig.from_env({"AIMDS_ON_ERROR": "allow", "AIMDS_FUZZY": "false", "AIMDS_MAX_INPUT_CHARS": "5000",
                                "AIMDS_BLOCK_THRESHOLD": "0.8", "AIMDS_PACKS": "builtin",
                                "AIMDS_CATEGORY_ACTIONS": "persona_jailbreak=review"})
    assert cfg.on_error == "allow" and cfg.fuzzy is False and cfg.max_input_chars == 5000
    assert cfg.block_threshold == 0.8 and cfg.packs == ("builtin",)
    assert cfg.category_actions == {"persona_jailbreak": Action.REVIEW}
    with pytest.raises(ConfigError) as e:
        GuardConfig.from_env({"AIMDS_MAX_INPUT_CHARS": "lots"})
    assert e.value.field == "max_input_chars"
    with pytest.raises(ConfigError):
        GuardConfig.from_env({"AIMDS_FUZZY": "perhaps"})
