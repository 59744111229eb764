"""Command line entry point: ``python -m shop [--host H] [--port P] [--init-db]``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from shop.app import create_app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m shop", description="Run the shop monolith.")
    parser.add_argument("--host", default=os.environ.get("SHOP_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SHOP_PORT", "8000")), help="TCP port")
    parser.add_argument("--database-url", default=None, help="overrides SHOP_DATABASE_URL")
    parser.add_argument("--init-db", action="store_true", help="create tables, seed if empty, then exit")
    parser.add_argument("--routes", action="store_true", help="print the URL map, then exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"DATABASE_URL": args.database_url} if args.database_url else None
    app = create_app(overrides)
    if args.init_db:
        print(f"database ready: {app.config['DATABASE_URL']}")
        return 0
    if args.routes:
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            methods = ",".join(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
            print(f"{methods:<8} {rule.rule:<50} {rule.endpoint}")
        return 0
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
