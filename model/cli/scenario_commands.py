"""Commands on scenarios themselves: presets, validate, convert."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from model.cli.common import apply_overrides, load_project_arg
from model.errors import InputError
from model.parameters import KINDS, LEVER, LEVERS, PARAMETERS, presets_of


def add_scenario_commands(commands) -> None:
    p = commands.add_parser("presets", help="list the built-in scenarios, the presets (policy "
                                            "packages, world assumptions, scenarios) and "
                                            "parameters")
    p.add_argument("--parameters", action="store_true",
                   help="also list every parameter with its default, range and meaning")
    p.add_argument("--json", action="store_true",
                   help="print all of it as UTF-8 JSON instead (docs/json-output.md)")
    p.set_defaults(handler=cmd_presets)

    p = commands.add_parser("validate", help="check a scenario file and report every problem")
    p.add_argument("file", metavar="FILE", help="a scenario file (.json, .xlsx, .graphml)")
    p.set_defaults(handler=cmd_validate)

    p = commands.add_parser("convert",
                            help="write a scenario in the format FILE's extension names")
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario file, `default` or `synthetic:N`")
    p.add_argument("file", metavar="FILE", help="output: .json, .xlsx or .graphml")
    p.add_argument("--preset", help="apply this preset first")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter (repeatable)")
    p.add_argument("--start", metavar="QUARTER", help="the quarter of step 0, e.g. 2024Q1")
    p.add_argument("--schedule", action="append", default=[],
                   metavar="KEY=Q:VALUE[,Q:VALUE...]",
                   help="a schedule of KEY (as in `run`; repeatable)")
    p.add_argument("--seed", type=int, default=0, help="seed for synthetic:N (default 0)")
    p.set_defaults(handler=cmd_convert)


def cmd_presets(args: argparse.Namespace) -> int:
    if args.json:
        from model.files.results_json import dumps, presets_json

        sys.stdout.flush()  # UTF-8 whatever the console's encoding
        sys.stdout.buffer.write(dumps(presets_json()).encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    from model.builtin import BUILTIN_NAMES

    print("Built-in scenarios (use as SCENARIO):")
    for name, description in BUILTIN_NAMES.items():
        print(f"  {name:<16} {description}")
    for kind, heading in KINDS.items():
        print(f"\n{heading}; use with --preset NAME:")
        for preset in presets_of(kind).values():
            _print_preset(preset)
    print("\nPolicy levers (use with --set NAME=VALUE):")
    for key in LEVERS:
        p = PARAMETERS[key]
        print(f"  {key:<24} default {p.default:<5g} [{p.low:g}, {p.high:g}]  {p.meaning}")
    if args.parameters:
        _print_coefficients()
    else:
        print("\n(`presets --parameters` lists the advanced coefficients too.)")
    return 0


def _print_preset(preset) -> None:
    print(f"  {preset.key:<20} {preset.title}: {preset.description}")
    values = [f"{k}={v:g}" for k, v in preset.values.items()]
    values += [f"{k} " + ",".join(f"{'step ' if isinstance(at, int) else ''}{at}:{v:g}"
                                  for at, v, *_ in changes)
               for k, changes in preset.schedule.items()]
    parts = " + ".join(preset.parts) + ": " if preset.parts else ""
    print(f"  {'':<20} {parts}{'; '.join(values)}")


def _print_coefficients() -> None:
    print("\nAdvanced coefficients:")
    for p in PARAMETERS.values():
        if p.group != LEVER:
            print(f"  {p.key:<26} {p.default:<8g} [{p.low:g}, {p.high:g}] {p.unit}: "
                  f"{p.meaning} ({p.group})")
            if p.plausible:
                print(f"  {'':<26} explored over {p.plausible[0]:g} to "
                      f"{p.plausible[1]:g}: {p.plausible_reason}")


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        project = load_project_arg(args.file)
    except InputError as error:
        problems = error.problems or ()
        if not problems:
            raise
        for problem in problems:
            print(problem.line(error.file or args.file))
        print(f"{args.file}: {len(problems)} problem{'s' * (len(problems) != 1)}; not valid")
        return 2
    for variant in project.variants:
        counts = variant.network.counts()
        nodes = ", ".join(f"{counts[k]} {k}" for k in ("platform", "zone", "leader", "sme",
                                                       "foreign"))
        print(f"{args.file}: variant {variant.name!r} is valid: {nodes}; "
              f"{len(variant.network.edges)} edges")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from model.files import save_file

    project = load_project_arg(args.scenario, args.seed)
    current = apply_overrides(project.current, args.preset, args.set, start=args.start,
                              schedules=args.schedule)
    variants = list(project.variants)
    variants[project.active] = current
    notes = save_file(replace(project, variants=tuple(variants)), args.file)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"wrote {args.file}")
    return 0
