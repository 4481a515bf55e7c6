"""Static token file: kube's CSV format, generated tokens, and reloading on change."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from corral.auth.tokens import TokenFile, parse_token_file
from corral.auth.user import UserInfo
from corral.pki.files import write_atomic


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "tokens" / "tokens.csv"


def _only_user(text: str) -> UserInfo:
    [user] = parse_token_file(text, "t.csv").values()
    return user


def test_kube_format_with_quoted_groups() -> None:
    assert _only_user('secret,alice,42,"dev,ops"\n') == UserInfo("alice", uid="42", groups=("dev", "ops"))
    assert _only_user("secret,alice,42\n") == UserInfo("alice", uid="42")
    assert _only_user("secret,alice,42,dev,ignored\n") == UserInfo("alice", uid="42", groups=("dev",))


def test_blank_lines_and_empty_tokens_are_skipped() -> None:
    users = parse_token_file("\n,nobody,1\nsecret,alice,42\n\n", "t.csv")
    assert list(users.values()) == [UserInfo("alice", uid="42")]


def test_later_duplicate_wins() -> None:
    assert _only_user("same,alice,1\nsame,bob,2\n") == UserInfo("bob", uid="2")


def test_fewer_than_three_columns_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"must have at least 3 columns .* found 2"):
        parse_token_file("secret,alice\n", "t.csv")


def test_bad_quoting_is_an_error() -> None:
    with pytest.raises(csv.Error):
        parse_token_file('secret,"alice"x,42\n', "t.csv")


def test_missing_file_has_no_tokens(path: Path) -> None:
    assert TokenFile(path).authenticate("anything") is None


def test_malformed_file_fails_at_start(path: Path) -> None:
    path.parent.mkdir()
    path.write_text("only-a-token\n")
    with pytest.raises(ValueError, match="at least 3 columns"):
        TokenFile(path)


def test_add_writes_a_private_kube_format_file(path: Path) -> None:
    tokens = TokenFile(path)
    token = tokens.add("alice", "u-1", ["dev", "ops"])
    second = tokens.add("bob", "u-2", [])
    assert len(token) >= 40 and token != second
    assert tokens.authenticate(token) == UserInfo("alice", uid="u-1", groups=("dev", "ops"))
    assert tokens.authenticate(second) == UserInfo("bob", uid="u-2")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text().splitlines() == [f'{token},alice,u-1,"dev,ops"', f"{second},bob,u-2"]
    # A fresh reader of the file sees the same users.
    assert TokenFile(path).authenticate(token) == tokens.authenticate(token)


def test_add_keeps_hand_written_lines(path: Path) -> None:
    path.parent.mkdir()
    path.write_text("handmade,carol,3")  # no final newline
    tokens = TokenFile(path)
    token = tokens.add("alice", "u-1", [])
    assert tokens.authenticate("handmade") == UserInfo("carol", uid="3")
    assert tokens.authenticate(token) == UserInfo("alice", uid="u-1")


@pytest.mark.parametrize(("user", "uid", "groups"), [
    ("", "1", []), ("a\nb", "1", []), ("a", "1\r", []), ("a", "1", ["x,y"]), ("a", "1", [""]),
])
def test_add_refuses_what_the_format_cannot_hold(path: Path, user: str, uid: str, groups: list[str]) -> None:
    with pytest.raises(ValueError):
        TokenFile(path).add(user, uid, groups)
    assert not path.exists()


def test_add_refuses_to_extend_a_broken_file(path: Path) -> None:
    tokens = TokenFile(path)
    tokens.add("alice", "1", [])
    path.write_text("broken\n")
    with pytest.raises(ValueError):
        tokens.add("bob", "2", [])
    assert path.read_text() == "broken\n"


def test_wrong_and_empty_tokens_authenticate_nobody(path: Path) -> None:
    tokens = TokenFile(path)
    token = tokens.add("alice", "1", [])
    assert tokens.authenticate(token + "x") is None
    assert tokens.authenticate(token[:-1]) is None
    assert tokens.authenticate("") is None
    assert tokens.authenticate("\udcff") is None  # a header byte that is not UTF-8


def test_tokens_are_kept_only_as_digests(path: Path) -> None:
    tokens = TokenFile(path)
    token = tokens.add("alice", "1", [])
    assert token not in repr(vars(tokens))


def test_changes_are_noticed_at_most_once_a_second(path: Path, clock: Clock) -> None:
    tokens = TokenFile(path, clock=clock)
    old = tokens.add("alice", "1", [])
    write_atomic(path, b"fresh,bob,2\n")
    clock.now += 0.5
    assert tokens.authenticate("fresh") is None  # not looked at yet
    assert tokens.authenticate(old) is not None
    clock.now += 0.6
    assert tokens.authenticate("fresh") == UserInfo("bob", uid="2")
    assert tokens.authenticate(old) is None  # gone from the file, so revoked


def test_unparsable_change_keeps_previous_tokens_until_fixed(path: Path, clock: Clock) -> None:
    tokens = TokenFile(path, clock=clock)
    token = tokens.add("alice", "1", [])
    write_atomic(path, b"broken\n")
    clock.now += 2
    assert tokens.authenticate(token) == UserInfo("alice", uid="1")
    write_atomic(path, b"fixed,bob,2\n")
    clock.now += 2
    assert tokens.authenticate("fixed") == UserInfo("bob", uid="2")
    assert tokens.authenticate(token) is None


def test_deleted_file_revokes_every_token(path: Path, clock: Clock) -> None:
    tokens = TokenFile(path, clock=clock)
    token = tokens.add("alice", "1", [])
    path.unlink()
    clock.now += 2
    assert tokens.authenticate(token) is None
