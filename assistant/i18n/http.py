"""Strings of the HTTP guard's answers (assistant/ui/guard.py): refusals and sign-in waits."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "http_cross_origin": (
        "Refused: this request came from another web page. Open Peer Coach itself and try there.",
        "Afvist: forespørgslen kom fra en anden webside. Åbn selve Peer Coach og prøv der.",
    ),
    "http_local_only": (
        "Refused: this Peer Coach answers only as localhost or 127.0.0.1, not as {host}.",
        "Afvist: denne Peer Coach svarer kun som localhost eller 127.0.0.1, ikke som {host}.",
    ),
    "http_too_large": (
        "Refused: the request is larger than the limit of {mb} MB.",
        "Afvist: forespørgslen er større end grænsen på {mb} MB.",
    ),
    "http_length_required": (
        "Refused: an upload must say its size (Content-Length).",
        "Afvist: en upload skal oplyse sin størrelse (Content-Length).",
    ),
    "http_bad_length": (
        "Refused: the request's Content-Length is not a number.",
        "Afvist: forespørgslens Content-Length er ikke et tal.",
    ),
    "http_sign_in_wait": (
        "Too many failed sign-ins: wait {seconds} s and try again.",
        "For mange mislykkede login: vent {seconds} s, og prøv igen.",
    ),
}
