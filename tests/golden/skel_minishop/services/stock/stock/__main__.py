"""Serve the `stock` service: python -m stock [--host H] [--port P]."""

from __future__ import annotations

import argparse

from stock.webapp import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="stock")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    create_app().run(host=args.host, port=args.port, threaded=True)


if __name__ == "__main__":
    main()
