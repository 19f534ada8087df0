"""`warehouse emulator serve` on a port already taken: one clear line and exit 2."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from loaders.cli.main import cli


def test_busy_port_is_a_clear_message_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["emulator", "serve", "--world", "small", "--port", str(port)]
        )
    assert result.exit_code == 2, result.output
    assert f"the emulator cannot listen on 127.0.0.1:{port}: the port is already in use" in (
        result.output
    )
    assert "--port 0" in result.output and "Traceback" not in result.output
