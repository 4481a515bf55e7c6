"""The ``corral`` command: ``server`` runs a control plane in the foreground,
``kubeconfig`` prints the admin kubeconfig. Bad input ends with a one-line message and a
non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from corral import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"corral: error: {message} (see 'corral --help')\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range 1-65535")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="corral", description="A lightweight Kubernetes-compatible cluster manager.")
    parser.add_argument("--version", action="version", version=f"corral {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    server = sub.add_parser("server", help="run the control plane in the foreground")
    server.add_argument("--data-dir", type=Path, help="state directory (default: ~/.local/share/corral)")
    server.add_argument("--bind", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    server.add_argument("--port", type=_port, default=6443, help="HTTPS port (default 6443)")
    server.add_argument("--tls-san", action="append", default=[], metavar="NAME",
                        help="extra host name or IP for the serving certificate (repeatable)")
    server.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    kubeconfig = sub.add_parser("kubeconfig", help="print the admin kubeconfig")
    kubeconfig.add_argument("--data-dir", type=Path, help="state directory of the server")
    return parser


def _fail(message: str) -> int:
    print(f"corral: error: {message}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from corral.server import ServerConfig, default_data_dir

    data_dir: Path = args.data_dir or default_data_dir()
    if args.command == "kubeconfig":
        path = data_dir / "kubeconfig.yaml"
        try:
            sys.stdout.write(path.read_text())
        except OSError as exc:
            return _fail(f"cannot read {path}: {exc.strerror} (has 'corral server' run with this data dir?)")
        return 0
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from corral.server import Server

    config = ServerConfig(data_dir=data_dir, bind=args.bind, port=args.port, tls_sans=args.tls_san)
    try:
        asyncio.run(Server(config).run())
    except OSError as exc:
        return _fail(f"cannot serve on {args.bind}:{args.port}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
    return 0
