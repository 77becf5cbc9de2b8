"""``hubml-spawner``: hub-side commands (check-catalog, helm-values)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalog import CatalogError, default_catalog_path, load_catalog
from .helm import DEFAULT_HUB_IMAGE, Z2JH_VERSION, helm_values, shared_pvcs, to_yaml

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


_VALUES_HEADER = """\
# Zero to JupyterHub values for hubml, written by `hubml-spawner helm-values` from
# {catalog}. Regenerate it after changing the catalog rather than editing it.
#   helm upgrade --install hubml jupyterhub/jupyterhub --version {version} --values <this file>
"""


def helm_values_command(args) -> int:
    try:
        catalog = load_catalog(args.catalog)
        text = Path(args.catalog).read_text(encoding="utf-8")
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    values = helm_values(catalog, text, hub_image=args.hub_image,
                         storage_class=args.storage_class, admin=args.admin,
                         idle_timeout=args.idle_timeout)
    out = _VALUES_HEADER.format(catalog=args.catalog, version=Z2JH_VERSION) + to_yaml(values)
    if args.output and args.output != "-":
        Path(args.output).write_text(out, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(out)
    if args.shared_pvcs:
        pvcs = shared_pvcs(catalog, storage_class=args.shared_storage_class)
        Path(args.shared_pvcs).write_text(to_yaml(pvcs, many=True), encoding="utf-8")
        print(f"wrote {args.shared_pvcs} ({len(pvcs)} group shares)", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hubml-spawner", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check-catalog", help="validate a catalog file and list its profiles")
    check.add_argument("catalog", nargs="?", default=str(default_catalog_path()))
    check.set_defaults(func=check_catalog)
    helm = sub.add_parser("helm-values", help="write Zero to JupyterHub values.yaml from a catalog")
    helm.add_argument("--catalog", default=str(default_catalog_path()), help="catalog.yaml")
    helm.add_argument("-o", "--output", help="values file to write (default: standard output)")
    helm.add_argument("--hub-image", default=DEFAULT_HUB_IMAGE,
                      help="hub image: the chart's k8s-hub with hubml installed")
    helm.add_argument("--storage-class", help="storage class of users' home volumes")
    helm.add_argument("--admin", default="admin", help="the admin account (signs up first)")
    helm.add_argument("--idle-timeout", type=int, default=3600,
                      help="seconds before the idle culler stops an unused server")
    helm.add_argument("--shared-pvcs", metavar="FILE",
                      help="also write the group shares' PersistentVolumeClaims to FILE")
    helm.add_argument("--shared-storage-class",
                      help="storage class of the group shares (needs ReadWriteMany)")
    helm.set_defaults(func=helm_values_command)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
