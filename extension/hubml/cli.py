"""``hubml``: user-side commands. ``hubml demo`` makes the demo project; ``hubml kernels``
lists and installs the kernel specs (see :mod:`hubml.kernels`); ``hubml serve`` and
``hubml batch-predict`` are in :mod:`hubml.serving.cli`."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _demo(args) -> int:
    from .demo import create_demo
    from .errors import HubMLError
    from .firststart import demo_marker

    try:
        p = create_demo(args.name, root=args.root, progress=not args.first_start)
    except HubMLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.first_start:
        demo_marker().parent.mkdir(parents=True, exist_ok=True)
        demo_marker().write_text(str(p.path))
    print(f"demo project ready: {p.path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hubml", description="hubml command line")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="create the demo project (datasets and models)")
    demo.add_argument("--name", default="demo", help="project name (default: demo)")
    demo.add_argument("--root", default=None, help="project root (default: first root)")
    demo.add_argument("--first-start", action="store_true",
                      help="quiet; record that the demo was made (used by the hub)")
    demo.set_defaults(func=_demo)
    from .kernels import add_parser as add_kernels_parser

    add_kernels_parser(sub)
    from .serving.cli import add_parsers as add_serving_parsers

    add_serving_parsers(sub)
    from .deployments import add_parser as add_deploy_parser
    from .serving.k8s import add_parser as add_k8s_parser

    add_deploy_parser(sub)
    add_k8s_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
