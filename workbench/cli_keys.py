"""`workbench keys set|delete|list [PROFILE]`: API keys in the system keyring, from the command line.

The key is read from stdin (hidden prompt on a terminal, or piped: ``printf %s "$KEY" | workbench keys
set``), never from an argument (those end up in shell history and ``ps``), and only ever printed masked.
Exit codes: 0 done, 1 no such profile or key, 2 bad usage or the keyring failed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

EXIT_OK, EXIT_NOT_FOUND, EXIT_ERROR = 0, 1, 2


def add_keys_parser(subparsers) -> None:
    p = subparsers.add_parser("keys", help="save, delete or list provider API keys (kept in the system keyring)",
                              description="API keys live in the system keyring, one per provider profile.")
    p.add_argument("--profiles", type=Path, metavar="FILE",
                   help="profiles file (default: profiles.json in the user's config folder)")
    actions = p.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    s = actions.add_parser("set", help="save the key for PROFILE, read from stdin (hidden prompt on a terminal)")
    s.add_argument("profile", nargs="?", default=None, metavar="PROFILE", help="profile name (default: OpenAI)")
    d = actions.add_parser("delete", help="delete the saved key for PROFILE")
    d.add_argument("profile", nargs="?", default=None, metavar="PROFILE", help="profile name (default: OpenAI)")
    ls = actions.add_parser("list", help="profiles with their (masked) key and where it comes from")
    ls.add_argument("profile", nargs="?", default=None, metavar="PROFILE", help="show only this profile")


def run_keys_command(args: argparse.Namespace) -> int:
    from workbench.core.profiles import DEFAULT_PROFILE_NAME, ProfileError, ProfileNotFound, ProfileStore
    from workbench.providers.secrets import SecretStore, SecretStoreError

    profiles = ProfileStore(args.profiles)
    try:
        secrets = SecretStore()
        if args.keys_action == "list":
            return _list(profiles, secrets, args.profile)
        name = args.profile or DEFAULT_PROFILE_NAME
        if args.keys_action == "set":
            return _set(profiles, secrets, name)
        if args.keys_action == "delete":
            return _delete(profiles, secrets, name)
    except ProfileNotFound as exc:
        return _fail(exc.message, EXIT_NOT_FOUND)
    except (ProfileError, SecretStoreError) as exc:
        return _fail(str(exc), EXIT_ERROR)
    return _fail(f"unknown keys action '{args.keys_action}'", EXIT_ERROR)


def _set(profiles, secrets, name: str) -> int:
    from workbench.core.redact import mask

    profile = profiles.get(name)
    env_var = secrets.env_var(profile)
    if not secrets.has_backend:
        return _fail(f"No system keyring was found, so the key cannot be saved. For scripts, set {env_var} "
                     "in the environment instead.", EXIT_ERROR)
    key = _read_key(profile.name)
    if key is None:
        return _fail("no key was given (nothing on stdin).", EXIT_ERROR)
    try:
        secrets.set(profile, key)
    except ValueError as exc:
        return _fail(str(exc), EXIT_ERROR)
    print(f"Saved the key for '{profile.name}' ({mask(key)}) in {secrets.backend_name}.")
    return EXIT_OK


def _read_key(profile_name: str) -> str | None:
    stdin = sys.stdin
    if stdin is None:
        return None
    try:
        if stdin.isatty():
            key = getpass.getpass(f"API key for '{profile_name}' (input is hidden): ")
        else:
            key = stdin.read()
    except (EOFError, KeyboardInterrupt):
        return None
    key = key.strip()
    return key or None


def _delete(profiles, secrets, name: str) -> int:
    from workbench.core.profiles import ProfileNotFound

    try:
        profile = profiles.get(name)
    except ProfileNotFound:
        # The profile may be gone while its key is still in the keyring: delete by name then.
        if secrets.delete(name):
            print(f"Deleted the key for '{name}' from {secrets.backend_name}.")
            return EXIT_OK
        raise
    if secrets.delete(profile):
        print(f"Deleted the key for '{profile.name}' from {secrets.backend_name}.")
        return EXIT_OK
    found = secrets.get(profile)
    if found is not None and found.source == "environment":
        return _fail(f"'{profile.name}' has no saved key; it uses {secrets.env_var(profile)} from the environment "
                     "(unset it there).", EXIT_NOT_FOUND)
    return _fail(f"'{profile.name}' has no saved key.", EXIT_NOT_FOUND)


def _list(profiles, secrets, name: str | None) -> int:
    print(f"Keyring: {secrets.backend_name}")
    if secrets.notice:
        print(secrets.notice)
    shown = [profiles.get(name)] if name else profiles.list()
    rows = [("PROFILE", "KIND", "KEY", "SOURCE")]
    for profile in shown:
        found = secrets.get(profile)
        if found is None:
            key, source = "-", "none"
        else:
            key = found.masked
            source = f"environment ({secrets.env_var(profile)})" if found.source == "environment" else found.source
        rows.append((profile.name, profile.kind, key, source))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3])
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"workbench keys: {message}", file=sys.stderr)
    return code
