"""Gradio's queue protocol spoken the way the browser speaks it, for timing the app.

``gradio_client`` (2.7) adds its own latency to every call, which a browser does not:

- each submit posts with ``httpx.post``, a fresh HTTP client per call that loads the CA bundle
  into a new SSL context even for ``http://127.0.0.1`` (about 40-50 ms here, see
  ``bench/README.md``);
- the thread that hands streamed messages to the caller checks its queue every 50 ms
  (``time.sleep(0.05)`` in ``gradio_client.utils.stream_sse_v1plus``), so every message waits
  25 ms on average and up to 50 ms before the caller sees it.

``QueueClient`` does what the page's JavaScript does: ``POST .../queue/join`` on a kept-alive
connection, then reads ``GET .../queue/data`` (server-sent events) as the bytes arrive and
applies the streamed diffs. It borrows the config, the endpoint table and the browser session
(``session_hash``) from a ``gradio_client.Client``, so calls made through either share the same
server-side state.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx


class QueueError(RuntimeError):
    """The app reported an error for the event (or the stream ended without a result)."""


class QueueClient:
    """Submit to a Gradio app's queue and stream its outputs without client-side polling."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.base = client.src_prefixed  # ".../gradio_api/"
        self.http = httpx.Client(timeout=httpx.Timeout(60.0), cookies=client.cookies)

    def close(self) -> None:
        """Close the kept-alive connections."""
        self.http.close()

    def stream(self, api_name: str, *args: Any) -> Iterator[tuple[float, list[Any]]]:
        """Yield ``(time.monotonic(), outputs)`` for every update of one event, the last being
        the final result. ``outputs`` lists every output component, state included."""
        fn_index = self.client._infer_fn_index(api_name, None)
        data = self.client.endpoints[fn_index].insert_empty_state(*args)
        session = self.client.session_hash
        joined = self.http.post(
            self.base + "queue/join",
            json={
                "data": list(data),
                "fn_index": fn_index,
                "session_hash": session,
                "event_data": None,
                "trigger_id": None,
            },
        )
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        outputs: list[Any] | None = None
        with self.http.stream(
            "GET", self.base + "queue/data", params={"session_hash": session}, timeout=None
        ) as response:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                kind = message.get("msg")
                if kind == "close_stream":
                    break
                if message.get("event_id") != event_id:
                    continue
                if kind == "process_generating":
                    data_now = message["output"]["data"]
                    if outputs is None:
                        outputs = list(data_now)
                    else:
                        pairs = zip(outputs, data_now, strict=True)
                        outputs = [apply_diff(old, diff) for old, diff in pairs]
                    yield time.monotonic(), outputs
                elif kind == "process_completed":
                    if not message.get("success", True):
                        raise QueueError(str(message.get("output", {}).get("error")))
                    yield time.monotonic(), list(message["output"]["data"])
                    return
        raise QueueError(f"{api_name}: the stream closed before the event completed")


def apply_diff(value: Any, diff: list[list[Any]]) -> Any:
    """Apply one output's streamed diff (a list of ``[action, path, value]`` edits) in place.

    Gradio's own ``gradio_client.utils.apply_diff`` deep-copies the whole value first, which
    for a long chat costs the client more than the server spends on the update.
    """
    for action, path, new in diff:
        if not path:
            if action == "replace":
                value = new
            elif action == "append":
                value = value + new
            else:
                raise ValueError(f"unsupported diff action {action!r}")
            continue
        target = value
        for key in path[:-1]:
            target = target[key]
        last = path[-1]
        if action == "replace":
            target[last] = new
        elif action == "append":
            target[last] += new
        elif action == "add":
            if isinstance(target, list):
                target.insert(int(last), new)
            else:
                target[last] = new
        elif action == "delete":
            del target[int(last) if isinstance(target, list) else last]
        else:
            raise ValueError(f"unsupported diff action {action!r}")
    return value
