"""One instance per PC: a second start asks the first to come forward, then exits.

The first instance listens on a local socket (a named pipe on Windows, a
socket file on Unix) named after the user and the data folder; a second one
connects, sends "activate" and quits. A socket file left by a crashed
instance is noticed (nobody answers) and replaced.
"""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app import APP_NAME
from app.config import data_dir

ACTIVATE = b"activate\n"


def default_server_name() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment
        user = "user"
    folder = hashlib.sha256(str(data_dir()).encode("utf-8")).hexdigest()[:10]
    safe = "".join(c for c in user if c.isalnum())[:32] or "user"
    return f"{APP_NAME}-{safe}-{folder}"


class SingleInstance(QObject):
    """Emits `activated` when another start of the program asked this one to show itself."""

    activated = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or default_server_name()
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def notify_running(self, timeout_ms: int = 1000) -> bool:
        """True when another instance answered (and was asked to come forward)."""
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(timeout_ms):
                return False
            socket.write(ACTIVATE)
            socket.flush()
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                socket.waitForDisconnected(timeout_ms)
            return True
        finally:
            socket.deleteLater()

    def listen(self) -> bool:
        """Become the instance others find; replaces a socket left by a crash."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                server.deleteLater()
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        for socket in list(self._clients):
            self._drop(socket)
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    @Slot()
    def _on_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._clients.append(socket)
            socket.readyRead.connect(self._read)
            if socket.bytesAvailable():
                self._read_from(socket)

    @Slot()
    def _read(self) -> None:
        for socket in list(self._clients):
            self._read_from(socket)

    def _read_from(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        # One message per connection: answer it, then let the socket go. Its
        # signals are cut first, so nothing calls back while Qt tears it down.
        self._drop(socket)
        if line == ACTIVATE:
            self.activated.emit()

    def _drop(self, socket: QLocalSocket) -> None:
        if socket in self._clients:
            self._clients.remove(socket)
        socket.readyRead.disconnect(self._read)
        socket.abort()
        socket.deleteLater()


def claim(name: str | None = None, parent: QObject | None = None) -> SingleInstance | None:
    """This process's instance guard, or None when another instance was asked to show itself."""
    instance = SingleInstance(name, parent)
    if instance.notify_running():
        instance.deleteLater()
        return None
    instance.listen()
    return instance
