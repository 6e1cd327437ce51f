"""The bastion-host case for real: the console runs at the far end of an SSH session to 127.0.0.1 (an
OpenSSH server started here), without DISPLAY or COLORTERM, so no local clipboard exists there and only
OSC 52, carried back through SSH into tmux, can deliver the copy."""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from .conftest import TRAIL_EVENTS
from .test_terminal import Tmux

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sshd exited: {process.stderr.read().decode() if process.stderr else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("sshd did not start listening")


@pytest.fixture
def ssh_server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """An sshd on 127.0.0.1 that lets this user in with a throwaway key; yields (port, client key)."""
    assert Path(SSHD).exists() and shutil.which("ssh"), "openssh-server is needed (.ci/run installs it)"
    keys = tmp_path / "ssh"
    keys.mkdir()
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    port = free_port()
    config = keys / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\n"
        f"AuthorizedKeysFile {keys / 'authorized_keys'}\nPidFile {keys / 'sshd.pid'}\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nStrictModes no\nUsePAM no\n"
        "X11Forwarding no\nAcceptEnv none\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation directory
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    try:
        wait_for_port(port, server)
        yield port, keys / "client"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    server("new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "cat")
    server("set", "-g", "set-clipboard", "on")
    yield server
    server("kill-server", check=False)


def test_copy_over_ssh_without_a_clipboard_reaches_tmux_through_osc_52(
    tmux: Tmux, ssh_server: tuple[int, Path], trail: Path, private_home: Path
) -> None:
    port, client_key = ssh_server
    query = (
        'fields @timestamp, eventName | filter eventName in ["GetObject", "PutObject"] | sort @timestamp asc'
    )
    remote = (
        f"env -u DISPLAY -u WAYLAND_DISPLAY -u COLORTERM TERM=xterm-256color "
        f"XDG_CONFIG_HOME={shlex.quote(str(private_home / 'config'))} "
        f"XDG_DATA_HOME={shlex.quote(str(private_home / 'data'))} "
        f"{shlex.join([sys.executable, '-m', 'trailtui', str(trail), '--query', query])}"
    )
    ssh = [
        "ssh", "-tt", "-i", str(client_key), "-p", str(port),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "root@127.0.0.1", remote,
    ]  # fmt: skip
    tmux(
        "respawn-pane",
        "-k",
        "-t",
        "main",
        f"env -u DISPLAY -u COLORTERM -u COLUMNS -u LINES {shlex.join(ssh)}",
    )
    tmux.wait_for(lambda: "│ Complete │" in tmux.screen(), "the query to complete over SSH")

    tmux("send-keys", "-t", "main", "Enter")
    tmux.wait_for(lambda: "Copy JSON" in tmux.screen(), "the event to open")
    tmux("send-keys", "-t", "main", "c")
    tmux.wait_for(lambda: tmux("show-buffer", check=False).returncode == 0, "the copy to reach tmux")
    pasted = tmux("show-buffer").stdout
    assert pasted == orjson.dumps(TRAIL_EVENTS[1]).decode()
