"""``hubml-spawner``: hub-side commands (check-catalog; helm-values comes with Kubernetes)."""

from __future__ import annotations

import argparse
import sys

from .catalog import CatalogError, default_catalog_path, load_catalog

__all__ = ["main"]


def check_catalog(args) -> int:
    try:
        catalog = load_catalog(args.catalog)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in catalog.profiles:
        who = ", ".join(p.groups) if p.groups else "everyone"
        mark = " (default)" if p is catalog.default else ""
        print(f"{p.name:<12} {p.display_name:<18} {'+'.join(p.frameworks):<28} {who}{mark}")
    print(f"ok: {len(catalog.profiles)} profiles in {catalog.path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hubml-spawner", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check-catalog", help="validate a catalog file and list its profiles")
    check.add_argument("catalog", nargs="?", default=str(default_catalog_path()))
    check.set_defaults(func=check_catalog)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
