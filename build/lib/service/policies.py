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
