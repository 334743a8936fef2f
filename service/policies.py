"""Browser policy files that make the service the default search engine of a fleet.

Pure functions from a base URL to file contents; ``sdc policies`` writes them.

* Firefox (all platforms): ``policies.json`` with ``SearchEngines``
  (``Add`` + ``Default``; ``Default`` applies to Firefox ESR and to managed
  installs), dropped in ``distribution/`` of the install or pushed by GPO.
* Chrome and Edge: ``DefaultSearchProvider*`` policies, as JSON for Linux's
  managed policy directories and as ``.reg`` files for Windows (GPO or
  ``reg import``).  Both browsers only honour them on managed machines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

NAME = "Sources de Confiance"
KEYWORD = "sdc"
DESCRIPTION = "Recherche dans les sites publics et les sources de confiance"


@dataclass(frozen=True, slots=True)
class Endpoints:
    search: str
    suggest: str
    icon: str
    home: str


def endpoints(base_url: str) -> Endpoints:
    """Absolute URLs of the service at ``base_url``; raises ``ValueError`` if it is not one."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"not an absolute http(s) base URL: {base_url!r}")
    base = base_url.strip().rstrip("/")
    return Endpoints(search=f"{base}/recherche?q={{searchTerms}}",
                     suggest=f"{base}/api/suggest?q={{searchTerms}}",
                     icon=f"{base}/static/favicon.png", home=f"{base}/")


def firefox(base_url: str, name: str = NAME, keyword: str = KEYWORD) -> dict[str, object]:
    e = endpoints(base_url)
    return {"policies": {"SearchEngines": {
        "Add": [{
            "Name": name, "Description": DESCRIPTION, "Alias": keyword, "Method": "GET",
            "URLTemplate": e.search, "SuggestURLTemplate": e.suggest, "IconURL": e.icon,
        }],
        "Default": name,
    }}}


def chromium(base_url: str, name: str = NAME, keyword: str = KEYWORD) -> dict[str, object]:
    """``DefaultSearchProvider*`` policies, identical for Chrome and Edge."""
    e = endpoints(base_url)
    return {
        "DefaultSearchProviderEnabled": True,
        "DefaultSearchProviderName": name,
        "DefaultSearchProviderKeyword": keyword,
        "DefaultSearchProviderSearchURL": e.search,
        "DefaultSearchProviderSuggestURL": e.suggest,
        "DefaultSearchProviderIconURL": e.icon,
        "DefaultSearchProviderEncodings": ["UTF-8"],
    }


REG_KEYS = {
    "chrome": r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome",
    "edge": r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Edge",
}


def registry_file(policies: dict[str, object], key: str) -> str:
    """A Windows ``.reg`` file (UTF-16 is what regedit writes; it also reads this ASCII-safe form)."""
    lines = ["Windows Registry Editor Version 5.00", "", f"[{key}]"]
    lists: dict[str, list[str]] = {}
    for name, value in policies.items():
        if isinstance(value, bool):
            lines.append(f'"{name}"=dword:{int(value):08x}')
        elif isinstance(value, list):
            lists[name] = [str(v) for v in value]
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'"{name}"="{escaped}"')
    for name, values in lists.items():
        lines += ["", f"[{key}\\{name}]"]
        lines += [f'"{i}"="{v}"' for i, v in enumerate(values, start=1)]
    return "\r\n".join(lines) + "\r\n"


def policy_files(base_url: str, name: str = NAME, keyword: str = KEYWORD) -> dict[str, str]:
    """Relative path -> content of every policy file for ``base_url``."""
    provider = chromium(base_url, name, keyword)
    as_json = json.dumps(provider, indent=2, ensure_ascii=False) + "\n"
    return {
        "firefox/policies.json": json.dumps(firefox(base_url, name, keyword), indent=2,
                                            ensure_ascii=False) + "\n",
        "chrome/linux/sources-de-confiance.json": as_json,
        "chrome/windows/sources-de-confiance.reg": registry_file(provider, REG_KEYS["chrome"]),
        "edge/linux/sources-de-confiance.json": as_json,
        "edge/windows/sources-de-confiance.reg": registry_file(provider, REG_KEYS["edge"]),
    }


# --- the extension, force-installed from the service, with its managed settings ----------------

GECKO_ID = "sources-de-confiance@sdc.extension"
SITE_SEARCH_SHORTCUT = "confiance"


def extension_managed(base_url: str, classification: str = "local") -> dict[str, object]:
    """The keys of ``extension/src/managed_schema.json`` an administration sets (locked for users)."""
    if classification not in ("local", "service"):
        raise ValueError(f"classification must be local or service, not {classification!r}")
    return {"serviceUrl": endpoints(base_url).home.rstrip("/"), "classification": classification}


def chromium_extension(base_url: str, extension_id: str, classification: str = "local") -> dict[str, object]:
    """Chrome/Edge: force install from the service's update manifest, and the managed settings."""
    if not re.fullmatch(r"[a-p]{32}", extension_id):
        raise ValueError(f"not a Chromium extension id (32 letters a-p): {extension_id!r}")
    base = endpoints(base_url).home.rstrip("/")
    return {
        "ExtensionSettings": {extension_id: {"installation_mode": "force_installed",
                                             "update_url": f"{base}/extension/updates.xml"}},
        "3rdparty": {"extensions": {extension_id: extension_managed(base_url, classification)}},
    }


def site_search(base_url: str, name: str = NAME, shortcut: str = SITE_SEARCH_SHORTCUT) -> dict[str, object]:
    """Chrome's ``SiteSearchSettings``: ``@confiance`` in the address bar, the default engine kept."""
    return {"SiteSearchSettings": [{"name": name, "shortcut": shortcut, "url": endpoints(base_url).search,
                                    "featured": True}]}


def firefox_extension(base_url: str, classification: str = "local",
                      gecko_id: str = GECKO_ID) -> dict[str, object]:
    base = endpoints(base_url).home.rstrip("/")
    return {"policies": {
        "ExtensionSettings": {gecko_id: {
            "installation_mode": "force_installed",
            "install_url": f"{base}/extension/sources-de-confiance-firefox.xpi"}},
        "3rdparty": {"Extensions": {gecko_id: extension_managed(base_url, classification)}},
    }}


def _reg_value(name: str, value: object) -> str:
    if isinstance(value, bool):
        return f'"{name}"=dword:{int(value):08x}'
    if isinstance(value, int):
        return f'"{name}"=dword:{value:08x}'
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}"="{escaped}"'


def registry_tree(key: str, policies: dict[str, object], *, json_values: tuple[str, ...] = ()) -> str:
    """A ``.reg`` file for nested policies: a dict becomes a subkey, except the policies named in
    ``json_values`` (``ExtensionSettings``, ``SiteSearchSettings``), which the browsers read as
    JSON text in one string value."""
    sections: list[list[str]] = []

    def walk(path: str, tree: dict[str, object]) -> None:
        lines = [f"[{path}]"]
        children = []
        for name, value in tree.items():
            if isinstance(value, dict) and name not in json_values:
                children.append((name, value))
            else:
                lines.append(_reg_value(name, value))
        sections.append(lines)
        for name, child in children:
            walk(f"{path}\\{name}", child)

    walk(key, policies)
    body = "\r\n\r\n".join("\r\n".join(lines) for lines in sections)
    return f"Windows Registry Editor Version 5.00\r\n\r\n{body}\r\n"


def _windows_3rdparty(tree: dict[str, object]) -> dict[str, object]:
    """Chrome and Edge read an extension's managed keys under ``...\\3rdparty\\extensions\\<id>\\policy``."""
    extensions = tree["3rdparty"]["extensions"]  # type: ignore[index]
    return {**tree, "3rdparty": {"extensions": {i: {"policy": v} for i, v in extensions.items()}}}


def mobileconfig(payloads: list[tuple[str, dict[str, object]]], name: str, identifier: str) -> str:
    """A macOS configuration profile with one custom-settings payload per preference domain."""
    import plistlib
    import uuid

    content = []
    for domain, settings in payloads:
        content.append({
            "PayloadType": domain, "PayloadVersion": 1,
            "PayloadIdentifier": f"{identifier}.{domain}",
            "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{identifier}/{domain}")).upper(),
            "PayloadDisplayName": domain, **settings,
        })
    profile = {
        "PayloadType": "Configuration", "PayloadVersion": 1, "PayloadDisplayName": name,
        "PayloadIdentifier": identifier, "PayloadScope": "System",
        "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, identifier)).upper(),
        "PayloadContent": content,
    }
    return plistlib.dumps(profile).decode("utf-8")


FIREFOX_REG_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox"
JSON_POLICIES = ("ExtensionSettings", "SiteSearchSettings")


def extension_policy_files(base_url: str, extension_id: str, classification: str = "local",
                           name: str = NAME) -> dict[str, str]:
    """Relative path -> content of the extension's policy files (force install + managed settings),
    and of Chrome's site-search shortcut, for Linux (JSON), Windows (.reg) and macOS (.mobileconfig)."""
    chrome = chromium_extension(base_url, extension_id, classification)
    search = site_search(base_url, name)
    fox = firefox_extension(base_url, classification)
    managed = chrome["3rdparty"]["extensions"][extension_id]  # type: ignore[index]

    def as_json(document: object) -> str:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    files = {
        "chrome/linux/sources-de-confiance-extension.json": as_json(chrome),
        "chrome/linux/sources-de-confiance-site-search.json": as_json(search),
        "chrome/windows/sources-de-confiance-extension.reg":
            registry_tree(REG_KEYS["chrome"], _windows_3rdparty(chrome), json_values=JSON_POLICIES),
        "chrome/windows/sources-de-confiance-site-search.reg":
            registry_tree(REG_KEYS["chrome"], search, json_values=JSON_POLICIES),
        "edge/linux/sources-de-confiance-extension.json": as_json(chrome),
        "edge/windows/sources-de-confiance-extension.reg":
            registry_tree(REG_KEYS["edge"], _windows_3rdparty(chrome), json_values=JSON_POLICIES),
        "firefox/extension/policies.json": as_json(fox),
        "firefox/windows/sources-de-confiance-extension.reg":
            registry_tree(FIREFOX_REG_KEY, fox["policies"], json_values=JSON_POLICIES),  # type: ignore[arg-type]
        "macos/sources-de-confiance-extension.mobileconfig": mobileconfig([
            ("com.google.Chrome", {"ExtensionSettings": chrome["ExtensionSettings"], **search}),
            (f"com.google.Chrome.extensions.{extension_id}", managed),
            ("com.microsoft.Edge", {"ExtensionSettings": chrome["ExtensionSettings"]}),
            (f"com.microsoft.Edge.extensions.{extension_id}", managed),
            ("org.mozilla.firefox", {"EnterprisePoliciesEnabled": True, **fox["policies"]}),  # type: ignore[dict-item]
        ], f"{name} (extension)", "fr.sources-de-confiance.extension"),
    }
    return files
