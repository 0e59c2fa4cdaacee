"""Provider profiles: which service to talk to and how (never the key), kept in a JSON file.

Three kinds, all spoken to through the official openai SDK (``workbench.providers.client``):
``openai`` (api.openai.com, optional organization / project), ``azure`` (Azure OpenAI: resource
endpoint + api-version) and ``compatible`` (any OpenAI-compatible base URL: Together, Fireworks,
Ollama, vLLM, LM Studio). Keys live in the OS keyring (``workbench.providers.secrets``); this file
holds only fields named here, so a key cannot reach it even if someone hand-edits one in.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs

from workbench.core.atomic import atomic_writer
from workbench.core.redact import looks_like_key

APP_NAME = "FineTuneWorkbench"
FILE_VERSION = 1
Kind = Literal["openai", "azure", "compatible"]
KINDS: tuple[str, ...] = ("openai", "azure", "compatible")
KIND_LABELS = {"openai": "OpenAI", "azure": "Azure OpenAI", "compatible": "OpenAI-compatible"}
OPENAI_BASE_URL = "https://api.openai.com/v1"
# Latest GA data-plane version that covers files, fine-tuning and chat on Azure OpenAI.
DEFAULT_AZURE_API_VERSION = "2024-10-21"
DEFAULT_PROFILE_NAME = "OpenAI"

AZURE_DEPLOY_NOTE = (
    "On Azure OpenAI a fine-tuned model must be deployed before you can chat with it: create a "
    "deployment for it in the Azure AI Foundry portal (or with the Azure CLI), then use the "
    "deployment name as the model."
)

_NAME = re.compile(r"^[^\W_][\w .()+&@-]{0,63}$")
_API_VERSION = re.compile(r"^(\d{4}-\d{2}-\d{2}(-preview)?|v1|preview|latest)$")
_TOKEN = re.compile(r"^\S{1,200}$")
# The fields a profile file may hold, in the order they are written. Nothing else is ever saved.
_FIELDS = ("name", "kind", "base_url", "organization", "project", "azure_endpoint", "api_version",
           "azure_deployment", "default_model")
_KIND_FIELDS = {
    "openai": {"base_url", "organization", "project", "default_model"},
    "azure": {"azure_endpoint", "api_version", "azure_deployment", "default_model"},
    "compatible": {"base_url", "default_model"},
}
_LOCAL_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".home.arpa")


class ProfileError(ValueError):
    """A profile or the profiles file is wrong; the message is for people."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ProfileNotFound(ProfileError, LookupError):
    pass


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class Profile:
    name: str
    kind: Kind = "openai"
    base_url: str | None = None          # openai: optional override; compatible: required
    organization: str | None = None      # openai only
    project: str | None = None           # openai only
    azure_endpoint: str | None = None    # azure: https://RESOURCE.openai.azure.com
    api_version: str | None = None       # azure: e.g. 2024-10-21
    azure_deployment: str | None = None  # azure: optional; pins every request to one deployment
    default_model: str | None = None
    builtin: bool = field(default=False, compare=False)

    # -- convenience constructors --------------------------------------------------------------
    @classmethod
    def openai(cls, name: str = DEFAULT_PROFILE_NAME, **kw: Any) -> Profile:
        return cls(name=name, kind="openai", **kw)

    @classmethod
    def azure(cls, name: str, azure_endpoint: str, api_version: str = DEFAULT_AZURE_API_VERSION,
              **kw: Any) -> Profile:
        return cls(name=name, kind="azure", azure_endpoint=azure_endpoint, api_version=api_version, **kw)

    @classmethod
    def compatible(cls, name: str, base_url: str, **kw: Any) -> Profile:
        return cls(name=name, kind="compatible", base_url=base_url, **kw)

    # -- validation ----------------------------------------------------------------------------
    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def endpoint(self) -> str:
        """Where requests go, for display."""
        if self.kind == "azure":
            return self.azure_endpoint or ""
        return self.base_url or (OPENAI_BASE_URL if self.kind == "openai" else "")

    def normalised(self) -> Profile:
        """Strings stripped, empty ones None, URLs without a trailing slash, other kinds' fields dropped."""
        values: dict[str, Any] = {}
        keep = _KIND_FIELDS.get(self.kind, set(_FIELDS))
        for name in _FIELDS[2:]:
            value = getattr(self, name)
            value = value.strip() if isinstance(value, str) else value
            if name in ("base_url", "azure_endpoint") and value:
                value = value.rstrip("/")
            values[name] = (value or None) if name in keep else None
        name = self.name.strip() if isinstance(self.name, str) else self.name
        kind = self.kind.strip().lower() if isinstance(self.kind, str) else self.kind
        return dataclasses.replace(self, name=name, kind=kind, **values)

    def problems(self) -> list[Problem]:
        """Everything wrong with this profile, one plain sentence per field."""
        p = self.normalised()
        found: list[Problem] = []
        if not isinstance(p.name, str) or not _NAME.match(p.name):
            found.append(Problem("name", "A profile name needs 1 to 64 characters: letters, digits, spaces "
                                         "and - _ . ( ) + & @, starting with a letter or digit."))
        if p.kind not in KINDS:
            found.append(Problem("kind", f"Unknown provider kind '{p.kind}': choose openai, azure or compatible."))
            return found
        for name in _FIELDS[2:]:
            value = getattr(p, name)
            if value and looks_like_key(value):
                found.append(Problem(name, "This looks like an API key. Keys are stored in the system keyring, "
                                           "not in a profile: paste it into the API key field instead."))
        if any(x.message.startswith("This looks like an API key") for x in found):
            return found  # say nothing else about those fields (and never echo them)
        if p.kind == "compatible" and not p.base_url:
            found.append(Problem("base_url", "An OpenAI-compatible profile needs the server's base URL, "
                                             "e.g. http://localhost:11434/v1 for Ollama."))
        if p.base_url:
            found += _url_problems("base_url", p.base_url, "base URL")
        if p.kind == "azure":
            if not p.azure_endpoint:
                found.append(Problem("azure_endpoint", "Azure OpenAI needs your resource endpoint, "
                                                       "e.g. https://my-resource.openai.azure.com"))
            else:
                found += _url_problems("azure_endpoint", p.azure_endpoint, "endpoint")
                if "/deployments" in urlsplit(p.azure_endpoint).path:
                    found.append(Problem("azure_endpoint", "Use only the resource endpoint "
                                         "(https://my-resource.openai.azure.com); put the deployment name "
                                         "in its own field."))
            if not p.api_version:
                found.append(Problem("api_version", f"Azure OpenAI needs an API version, e.g. {DEFAULT_AZURE_API_VERSION}."))
            elif not _API_VERSION.match(p.api_version):
                found.append(Problem("api_version", "That is not an Azure API version: it looks like "
                                                    f"{DEFAULT_AZURE_API_VERSION} or 2025-04-01-preview."))
        for name, label in (("organization", "organization ID"), ("project", "project ID"),
                            ("azure_deployment", "deployment name"), ("default_model", "model name")):
            value = getattr(p, name)
            if value and not _TOKEN.match(value):
                found.append(Problem(name, f"The {label} cannot contain spaces."))
        return found

    def validated(self) -> Profile:
        """The normalised profile; ProfileError (all problems in one message) if it is not valid."""
        found = self.problems()
        if found:
            raise ProfileError(" ".join(x.message for x in found), found[0].field)
        return self.normalised()

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Only the named fields that are set; never a key (there is no field for one)."""
        p = self.normalised()
        return {name: getattr(p, name) for name in _FIELDS if getattr(p, name) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """Unknown entries (including any 'api_key' someone typed in) are ignored, never kept."""
        if not isinstance(data, dict):
            raise ProfileError("A profile entry must be a JSON object.")
        values = {name: data.get(name) for name in _FIELDS if data.get(name) is not None}
        for name, value in values.items():
            if not isinstance(value, str):
                raise ProfileError(f"Profile field '{name}' must be text.", name)
        if "name" not in values:
            raise ProfileError("A profile entry has no name.", "name")
        return cls(**values).validated()


def _is_local(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or ("." not in host and ":" not in host):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def _url_problems(field_name: str, url: str, label: str) -> list[Problem]:
    bad = Problem(field_name, f"The {label} is not a web address: it should look like "
                              "https://api.example.com/v1 (or http://localhost:8000/v1 for a local server).")
    if any(c.isspace() for c in url):
        return [bad]
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises ValueError for a bad port
    except ValueError:
        return [bad]
    if parts.scheme not in ("http", "https") or not host:
        return [bad]
    if parts.username or parts.password:
        return [Problem(field_name, f"Remove the user name and password from the {label}: "
                                    "credentials are stored in the system keyring.")]
    if parts.query or parts.fragment:
        return [Problem(field_name, f"Remove the '?…' or '#…' part from the {label}.")]
    if parts.scheme == "http" and not _is_local(host):
        return [Problem(field_name, f"Use https:// for {host}: over http:// your API key would travel "
                                    "unencrypted (http:// is fine for servers on this machine or your network).")]
    return []


# -- the profiles file -------------------------------------------------------------------------------

def default_profiles_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "profiles.json"


def builtin_profile() -> Profile:
    return Profile(name=DEFAULT_PROFILE_NAME, kind="openai", builtin=True)


class ProfileStore:
    """Profiles in ``profiles.json`` plus the built-in "OpenAI" one (editable, not removable).

    Every call re-reads the file and every change rewrites it atomically, so the app and the
    ``workbench keys`` command see each other's changes. Names are unique ignoring case.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_profiles_path()
        self._lock = threading.RLock()

    # -- reading -------------------------------------------------------------------------------
    def list(self) -> list[Profile]:
        stored = self._load()
        builtin = next((p for p in stored if _same(p.name, DEFAULT_PROFILE_NAME)), None)
        first = dataclasses.replace(builtin, builtin=True) if builtin else builtin_profile()
        return [first, *(p for p in stored if p is not builtin)]

    def find(self, name: str) -> Profile | None:
        return next((p for p in self.list() if _same(p.name, name)), None)

    def get(self, name: str) -> Profile:
        found = self.find(name)
        if found is None:
            names = ", ".join(p.name for p in self.list())
            raise ProfileNotFound(f"There is no profile named '{name}'. Profiles: {names}.", "name")
        return found

    def names(self) -> list[str]:
        return [p.name for p in self.list()]

    # -- changing ------------------------------------------------------------------------------
    def add(self, profile: Profile) -> Profile:
        profile = profile.validated()
        with self._lock:
            stored = self._load()
            existing = self.find(profile.name)
            if existing is not None:
                raise ProfileError(f"A profile named '{existing.name}' already exists.", "name")
            self._save([*stored, profile])
        return profile

    def update(self, name: str, profile: Profile) -> Profile:
        """Replace profile ``name`` with ``profile`` (which may rename it; moving the key is the caller's job)."""
        profile = profile.validated()
        with self._lock:
            current = self.get(name)
            if current.builtin and (not _same(profile.name, current.name) or profile.kind != "openai"):
                raise ProfileError(f"The built-in '{current.name}' profile stays an OpenAI profile with that "
                                   "name; add a new profile instead.", "name")
            clash = self.find(profile.name)
            if clash is not None and not _same(clash.name, current.name):
                raise ProfileError(f"A profile named '{clash.name}' already exists.", "name")
            loaded = self._load()
            position = next((i for i, p in enumerate(loaded) if _same(p.name, current.name)), len(loaded))
            stored = [p for p in loaded if not _same(p.name, current.name)]
            stored.insert(position, profile)
            self._save(stored)
        return dataclasses.replace(profile, builtin=current.builtin)

    def remove(self, name: str) -> None:
        with self._lock:
            current = self.get(name)
            if current.builtin:
                raise ProfileError(f"The built-in '{current.name}' profile cannot be removed; you can edit it.",
                                   "name")
            self._save([p for p in self._load() if not _same(p.name, current.name)])

    # -- the file --------------------------------------------------------------------------------
    def _load(self) -> list[Profile]:
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ProfileError(f"The profiles file {self.path} cannot be read ({exc.strerror}).") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ProfileError(f"The profiles file {self.path} is not valid JSON (line {exc.lineno}); "
                               "fix it or move it away to start over.") from None
        entries = data.get("profiles") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ProfileError(f"The profiles file {self.path} has no 'profiles' list; "
                               "fix it or move it away to start over.")
        profiles: list[Profile] = []
        for index, entry in enumerate(entries, 1):
            try:
                profile = Profile.from_dict(entry)
            except ProfileError as exc:
                raise ProfileError(f"Profile {index} in {self.path}: {exc.message}", exc.field) from None
            if any(_same(p.name, profile.name) for p in profiles):
                raise ProfileError(f"The profiles file {self.path} has two profiles named '{profile.name}'.")
            profiles.append(profile)
        return profiles

    def _save(self, profiles: list[Profile]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": FILE_VERSION, "profiles": [p.to_dict() for p in profiles]}
        with atomic_writer(self.path) as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()
