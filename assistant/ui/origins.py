"""Where a request comes from: the app's own page, an origin the operator listed, another page,
or not a browser at all (see assistant/ui/guard.py, which acts on it)."""

from __future__ import annotations

import urllib.parse
from typing import Literal

Source = Literal["own", "allowed", "foreign", "unknown"]


def normalize_origin(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port, or None for "null"
    and anything that is not an http(s) origin."""
    parts = urllib.parse.urlsplit(origin.strip().lower())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    try:
        port = parts.port
    except ValueError:
        return None
    default = 80 if parts.scheme == "http" else 443
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def own_origins(headers: dict[str, str]) -> set[str]:
    """The origins the browser may have used to reach the app: its ``Host`` (and a reverse
    proxy's ``X-Forwarded-Host``), in the scheme ``X-Forwarded-Proto`` names, or either."""
    hosts = [headers.get("host", "")]
    forwarded = headers.get("x-forwarded-host", "").split(",")[0].strip()
    if forwarded:
        hosts.append(forwarded)
    proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    schemes = [proto] if proto in ("http", "https") else ["http", "https"]
    found = {normalize_origin(f"{scheme}://{host}") for host in hosts if host for scheme in schemes}
    return {origin for origin in found if origin}


def request_source(headers: dict[str, str], allowed: frozenset[str]) -> Source:
    """Whether a request comes from the app's own page, a listed origin, another page, or
    not from a browser at all."""
    own = own_origins(headers)

    def judge(origin: str | None) -> Source:
        if origin is None:
            return "foreign"
        if origin in own:
            return "own"
        return "allowed" if origin in allowed else "foreign"

    if "origin" in headers:
        return judge(normalize_origin(headers["origin"]))
    site = headers.get("sec-fetch-site")
    if site is not None:
        return "own" if site in ("same-origin", "none") else "foreign"
    if "referer" in headers:
        return judge(normalize_origin(headers["referer"]))
    return "unknown"
