"""Headless Chromium driven over the DevTools protocol on a pipe (standard library only).

Used by the browser tests of app/draw/verify.html and by bench/verify_html.py:
open a page from a file:// URL, give its <input type=file> real files (as a
person picking them would), evaluate JavaScript and wait for a condition.

Chromium is started with `--remote-debugging-pipe`: it reads commands from its
file descriptor 3 and writes replies to 4, each a JSON text ended by a NUL byte.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Puts the pipes at the file descriptors 3 and 4 the browser reads and writes,
# then becomes the browser. (Through a Python one-liner: moving two numbered
# descriptors at once is easy to get wrong in a shell, and dash allows only 0-9.)
MOVE_FDS = """
import fcntl, os, sys
r, w = int(sys.argv[1]), int(sys.argv[2])
r2, w2 = fcntl.fcntl(r, fcntl.F_DUPFD, 10), fcntl.fcntl(w, fcntl.F_DUPFD, 10)
os.dup2(r2, 3)  # r2 and w2 are above 9: moving one cannot clobber the other
os.dup2(w2, 4)
os.set_inheritable(3, True)
os.set_inheritable(4, True)
for fd in {r, w, r2, w2} - {3, 4}:
    os.close(fd)
os.execv(sys.argv[3], sys.argv[3:])
"""


def find_chromium() -> str | None:
    """The browser to run: $DUALRANDOM_CHROMIUM, else the first of BINARIES on PATH."""
    chosen = os.environ.get("DUALRANDOM_CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).exists() else None)
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    """Chromium failed, answered with an error, or a wait timed out."""


class Chromium:
    """One headless browser process; close() (or `with`) ends it."""

    def __init__(self, binary: str | None = None, *, timeout: float = 60.0) -> None:
        found = binary or find_chromium()
        if found is None:
            raise BrowserError("chromium not found")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="dualrandom-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            "about:blank",
        ]
        self.log = Path(self.profile) / "chromium.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    *("-c", MOVE_FDS, str(to_browser_r), str(from_browser_w)),
                    *(found, *args),
                ],
                pass_fds=(to_browser_r, from_browser_w),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(BrowserError, OSError):
                self.call("Browser.close", timeout=5)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for chromium")
            ready, _, _ = select.select([self._from_browser], [], [], min(left, 1.0))
            if not ready:
                if self.process.poll() is not None:
                    code = self.process.returncode
                    raise BrowserError(f"chromium exited with {code}: {self.log_tail()}")
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError(f"chromium closed its pipe: {self.log_tail()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one command and wait for its reply (events in between are dropped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._to_browser, data) :]
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def open(self, url: str) -> Page:
        """A new tab showing url, once its document has loaded."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        self.call("Page.navigate", {"url": url}, session=session)
        page.wait_for(
            f"location.href === {json.dumps(url)} && document.readyState === 'complete'",
            timeout=30,
        )
        return page


class Page:
    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session

    def call(self, method: str, params: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        return self.browser.call(method, params, session=self.session, **kw)

    def evaluate(self, expression: str, *, timeout: float | None = None) -> Any:
        """The value of a JavaScript expression (awaited when it is a promise)."""
        reply = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout=timeout,
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript error: {text}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 60.0, every: float = 0.05) -> Any:
        """Poll until the expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for: {expression}")
            time.sleep(every)

    def set_files(self, selector: str, paths: list[Path]) -> None:
        """Pick files in an <input type=file>, as a person would (fires its change event)."""
        root = self.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise BrowserError(f"no element {selector}")
        files = [str(Path(p).resolve()) for p in paths]
        self.call("DOM.setFileInputFiles", {"nodeId": node, "files": files})

    def screenshot(self, path: Path, width: int = 1280, height: int = 720) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})
