"""`workbench keys set|delete|list`: keys from stdin, shown masked, exit codes 0 / 1 / 2."""

from __future__ import annotations

import argparse
import io
import sys

import pytest

from tests.providers.conftest import AZURE_KEY, OPENAI_KEY
from workbench.cli_keys import add_keys_parser, run_keys_command
from workbench.core.profiles import Profile, ProfileStore


class FakeStdin(io.StringIO):
    def __init__(self, text: str = "", tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench")
    add_keys_parser(parser.add_subparsers(dest="command"))
    return parser


def run(argv: list[str], monkeypatch, capsys, stdin: FakeStdin | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", stdin or FakeStdin())
    code = run_keys_command(_parser().parse_args(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def profiles(profiles_path):
    store = ProfileStore(profiles_path)
    store.add(Profile.azure("Contoso", "https://contoso.openai.azure.com"))
    return profiles_path


def test_set_from_a_pipe_prints_only_the_masked_key(fake_keyring, profiles, monkeypatch, capsys):
    code, out, err = run(["keys", "--profiles", str(profiles), "set"], monkeypatch, capsys,
                         FakeStdin(OPENAI_KEY + "\n"))
    assert code == 0 and err == ""
    assert out == "Saved the key for 'OpenAI' (sk-...wxyz) in test memory keyring.\n"
    assert fake_keyring.data == {("FineTuneWorkbench", "OpenAI"): OPENAI_KEY}


def test_set_on_a_terminal_uses_a_hidden_prompt(fake_keyring, profiles, monkeypatch, capsys):
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or AZURE_KEY)
    code, out, _ = run(["keys", "--profiles", str(profiles), "set", "contoso"], monkeypatch, capsys,
                       FakeStdin(tty=True))
    assert code == 0 and prompts == ["API key for 'Contoso' (input is hidden): "]
    assert AZURE_KEY not in out and "...4a8c" in out
    assert fake_keyring.data[("FineTuneWorkbench", "Contoso")] == AZURE_KEY


@pytest.mark.parametrize(("stdin", "words"), [
    (FakeStdin(""), "no key was given"),
    (FakeStdin("sk-one two\n"), "contains spaces or line breaks"),
])
def test_set_refuses_no_key_or_garbage(fake_keyring, profiles, monkeypatch, capsys, stdin, words):
    code, out, err = run(["keys", "--profiles", str(profiles), "set"], monkeypatch, capsys, stdin)
    assert code == 2 and words in err and fake_keyring.data == {}


def test_set_interrupted_at_the_prompt(fake_keyring, profiles, monkeypatch, capsys):
    def interrupted(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupted)
    code, _, err = run(["keys", "--profiles", str(profiles), "set"], monkeypatch, capsys, FakeStdin(tty=True))
    assert code == 2 and "no key was given" in err


def test_set_for_an_unknown_profile(fake_keyring, profiles, monkeypatch, capsys):
    code, _, err = run(["keys", "--profiles", str(profiles), "set", "Nope"], monkeypatch, capsys,
                       FakeStdin(OPENAI_KEY))
    assert code == 1 and "no profile named 'Nope'. Profiles: OpenAI, Contoso" in err


def test_set_without_a_keyring_says_how_to_script_instead(no_keyring, profiles, monkeypatch, capsys):
    code, out, err = run(["keys", "--profiles", str(profiles), "set", "Contoso"], monkeypatch, capsys,
                         FakeStdin(AZURE_KEY))
    assert code == 2 and "No system keyring was found" in err and "AZURE_OPENAI_API_KEY" in err
    assert AZURE_KEY not in out + err


def test_list_shows_masked_keys_sources_and_the_backend(fake_keyring, profiles, monkeypatch, capsys):
    fake_keyring.data[("FineTuneWorkbench", "Contoso")] = AZURE_KEY
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    code, out, err = run(["keys", "--profiles", str(profiles), "list"], monkeypatch, capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Keyring: test memory keyring"
    assert lines[1].split() == ["PROFILE", "KIND", "KEY", "SOURCE"]
    assert lines[2].split() == ["OpenAI", "openai", "sk-...wxyz", "environment", "(OPENAI_API_KEY)"]
    assert lines[3].split() == ["Contoso", "azure", "...4a8c", "keyring"]
    assert OPENAI_KEY not in out and AZURE_KEY not in out


def test_list_one_profile_and_an_unknown_one(fake_keyring, profiles, monkeypatch, capsys):
    code, out, _ = run(["keys", "--profiles", str(profiles), "list", "contoso"], monkeypatch, capsys)
    assert code == 0 and out.splitlines()[2].split() == ["Contoso", "azure", "-", "none"]
    code, _, err = run(["keys", "--profiles", str(profiles), "list", "Nope"], monkeypatch, capsys)
    assert code == 1 and "no profile named 'Nope'" in err


def test_list_without_a_keyring(no_keyring, profiles, monkeypatch, capsys):
    code, out, _ = run(["keys", "--profiles", str(profiles), "list"], monkeypatch, capsys)
    assert code == 0
    assert out.splitlines()[:2] == ["Keyring: none",
                                    "No system keyring was found; your key is kept in memory until you quit."]


def test_delete(fake_keyring, profiles, monkeypatch, capsys):
    fake_keyring.data[("FineTuneWorkbench", "Contoso")] = AZURE_KEY
    code, out, _ = run(["keys", "--profiles", str(profiles), "delete", "Contoso"], monkeypatch, capsys)
    assert code == 0 and out == "Deleted the key for 'Contoso' from test memory keyring.\n"
    assert fake_keyring.data == {}
    code, _, err = run(["keys", "--profiles", str(profiles), "delete", "Contoso"], monkeypatch, capsys)
    assert code == 1 and "'Contoso' has no saved key." in err


def test_delete_when_the_key_comes_from_the_environment(fake_keyring, profiles, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    code, out, err = run(["keys", "--profiles", str(profiles), "delete"], monkeypatch, capsys)
    assert code == 1 and "uses OPENAI_API_KEY from the environment" in err and OPENAI_KEY not in out + err


def test_delete_the_key_of_a_profile_that_no_longer_exists(fake_keyring, profiles, monkeypatch, capsys):
    fake_keyring.data[("FineTuneWorkbench", "Gone")] = OPENAI_KEY
    code, out, _ = run(["keys", "--profiles", str(profiles), "delete", "Gone"], monkeypatch, capsys)
    assert code == 0 and fake_keyring.data == {}
    code, _, err = run(["keys", "--profiles", str(profiles), "delete", "Gone"], monkeypatch, capsys)
    assert code == 1 and "no profile named 'Gone'" in err


def test_a_locked_keyring_is_exit_2(fake_keyring, profiles, monkeypatch, capsys):
    fake_keyring.locked = True
    code, _, err = run(["keys", "--profiles", str(profiles), "list"], monkeypatch, capsys)
    assert code == 2 and "keyring is locked" in err
    code, _, err = run(["keys", "--profiles", str(profiles), "set"], monkeypatch, capsys, FakeStdin(OPENAI_KEY))
    assert code == 2 and OPENAI_KEY not in err


def test_a_broken_profiles_file_is_exit_2(fake_keyring, profiles_path, monkeypatch, capsys):
    profiles_path.write_text("{broken")
    code, _, err = run(["keys", "--profiles", str(profiles_path), "list"], monkeypatch, capsys)
    assert code == 2 and "not valid JSON" in err


def test_usage_errors_exit_2(capsys):
    for argv in (["keys"], ["keys", "show"], ["keys", "set", "a", "b"]):
        with pytest.raises(SystemExit) as stop:
            _parser().parse_args(argv)
        assert stop.value.code == 2


def test_the_default_profiles_file_is_used_without_the_option(fake_keyring, monkeypatch, capsys):
    code, out, _ = run(["keys", "list"], monkeypatch, capsys)
    assert code == 0 and "OpenAI" in out
