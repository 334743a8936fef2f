"""A minimal Chrome DevTools Protocol client over the browser's websocket (``websockets``).

Playwright cannot reach what the policy test needs: an extension installed by policy opens no
page under Playwright, and its service worker is not attachable from a page session."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import connect


def devtools_url(profile: Path, timeout: float = 30.0) -> str:
    """The browser's websocket, from the ``DevToolsActivePort`` file Chromium writes in its profile."""
    path = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while not path.is_file() or len(path.read_text().splitlines()) < 2:
        if time.monotonic() > deadline:
            raise TimeoutError("Chromium wrote no DevToolsActivePort")
        time.sleep(0.1)
    port, ws_path = path.read_text().splitlines()[:2]
    return f"ws://127.0.0.1:{port}{ws_path}"


def connect_to(profile: Path) -> Any:
    return connect(devtools_url(profile), max_size=None, open_timeout=30)


class Cdp:
    """Commands over an open connection (``with connect_to(profile) as ws: Cdp(ws)``)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.last = 0

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        self.last += 1
        message: dict[str, Any] = {"id": self.last, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:  # events in between are not needed here
            answer = json.loads(self.ws.recv(timeout=60))
            if answer.get("id") == self.last:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return dict(answer.get("result", {}))

    def targets(self) -> list[dict[str, Any]]:
        return list(self.send("Target.getTargets")["targetInfos"])

    def attach(self, target_id: str) -> str:
        return str(self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"])

    def open(self, url: str) -> str:
        """A new tab at ``url``; its session."""
        return self.attach(str(self.send("Target.createTarget", {"url": url})["targetId"]))

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")
