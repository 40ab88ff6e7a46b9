"""The command line (contract §5): ``spotting explain`` and ``spotting check-data``; and
``spotting serve``, which starts a dashboard server (not part of the contract). ``serve`` is a
door: its options and the server live in the ``spotting_host`` package, imported only when the
command runs, so the other commands never load a web server or a QR-code library.

Exit status: 0 on success; 2 for bad answers (message on stderr, nothing on stdout); 1 when
the knowledge base is invalid. A person never sees a traceback: answers arrive from files and
pipes nobody checked (not UTF-8, numbers of 5,000 digits, JSON nested 5,000 deep, a key given
twice), and each of those is one line naming the problem; a reader that closes the pipe early
(``| head``) ends the program quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from .case_suite import default_case_files, suite_problems
from .errors import AnswerError, DataError, shown
from .explain import explain
from .knowledge import DEFAULT_DATA_DIR, available_languages, check_data, load_knowledge
from .localise import LANGUAGE_KEY
from .regions import choose_region, split_region
from .render_text import to_text

EXIT_OK, EXIT_DATA, EXIT_ANSWERS = 0, 1, 2
POLICY_REGION = "GB"
"""The clinical policy is the NHS line, so its document shows the UK wording."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spotting", description="Explain light bleeding after sex (education, not diagnosis)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    explain_cmd = commands.add_parser("explain", help="explain a set of answers (JSON)")
    explain_cmd.add_argument("file", nargs="?", default="-", help="answers JSON file, or - for standard input")
    explain_cmd.add_argument("--format", choices=("json", "text"), default="json")
    explain_cmd.add_argument("--data", default=None, help="knowledge base folder (default: the shipped data/)")
    explain_cmd.add_argument(
        "--region",
        default=None,
        metavar="CODE",
        help='word the advice for a region: its code in data/regions.csv, e.g. GB (default: the answers\' '
        '"region", else neutral wording); an unknown code lists them all',
    )
    explain_cmd.add_argument(
        "--lang",
        default=None,
        metavar="CODE",
        help="the language of the words, e.g. es (default: English); an unknown one lists those available",
    )
    check_cmd = commands.add_parser("check-data", help="validate a knowledge base folder")
    check_cmd.add_argument("dir", nargs="?", default=None, help="folder to check (default: the shipped data/)")
    check_cmd.add_argument(
        "--cases",
        action="append",
        metavar="FILE",
        help="a clinical case suite to run against it (default: the repository's tests/*_cases.json)",
    )
    policy_cmd = commands.add_parser(
        "policy-doc", help="rewrite the generated tables in docs/clinical-policy.md and docs/clinical-safety-case.md"
    )
    policy_cmd.add_argument("--check", action="store_true", help="only report whether the document is up to date")
    i18n_cmd = commands.add_parser(
        "i18n",
        help="translation catalogs: extract the template of data/'s prose, update every language, show status",
    )
    i18n_cmd.add_argument(
        "action", choices=("extract", "update", "status"),
        help="extract: write spotting/locale/data.pot; update: extract, then merge it into every "
        "locale/<lang>/LC_MESSAGES/data.po (changed English becomes fuzzy); status: counts per language",
    )  # fmt: skip
    i18n_cmd.add_argument("--data", default=None, help="knowledge base folder (default: the shipped data/)")
    # Its options are spotting_host's (spotting serve --help): every argument after "serve" goes there.
    commands.add_parser(
        "serve",
        add_help=False,
        help="serve a dashboard with Voila (default: the explorer, for one person, on this computer)",
    )
    return parser


def _serve(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """The lazy door to spotting_host: imported here only, when ``spotting serve`` runs."""
    try:
        from spotting_host.cli import main as serve_main
    except ModuleNotFoundError as error:
        if error.name != "spotting_host":
            raise
        print("spotting: serving needs the spotting_host package: serve from a checkout (make dashboard)", file=stderr)
        return EXIT_DATA
    return serve_main(argv, stdout, stderr)


def _policy_doc(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Content editors run this after changing data/, so the written policy never drifts."""
    from . import policy_doc

    docs = Path(__file__).resolve().parents[1] / "docs"
    documents = {"clinical-policy.md": policy_doc.generated, "clinical-safety-case.md": policy_doc.hazard_log}
    knowledge = load_knowledge(region=POLICY_REGION)
    status = EXIT_OK
    for name, make in documents.items():
        path = docs / name
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if args.check:
            if policy_doc.rewrite(current, knowledge, make) != current:
                print(f"spotting: {name} is out of date; run: spotting policy-doc", file=stderr)
                status = EXIT_DATA
            else:
                print(f"{name} is up to date", file=stdout)
            continue
        changed = policy_doc.write(path, knowledge, make)
        print(f"{path} {'rewritten' if changed else 'already up to date'}", file=stdout)
    return status


def _i18n(args: argparse.Namespace, stdout: TextIO) -> int:
    """Translators' tools: Babel is imported only here and when a translated page is loaded."""
    from . import catalogs

    data = Path(args.data) if args.data else DEFAULT_DATA_DIR
    if args.action == "extract":
        path, count, changed = catalogs.extract(data)
        print(f"{path}: {count} messages ({'rewritten' if changed else 'unchanged'})", file=stdout)
    elif args.action == "update":
        for path, changed in catalogs.update(data):
            print(f"{path}: {'updated' if changed else 'unchanged'}", file=stdout)
    for row in catalogs.status(data):
        complete = "yes" if row.safety_done == row.safety else "no"
        print(
            f"{row.language}: {row.messages} messages, {row.translated} translated, {row.fuzzy} fuzzy; "
            f"safety strings {row.safety_done}/{row.safety} (complete: {complete}); "
            f"interface phrases {row.phrases_done}/{row.phrases}; "
            f"reviewed by a clinician: {row.reviewed_by or 'no'}",
            file=stdout,
        )
    return EXIT_OK


def _read_answers(file: str, stdin: TextIO) -> object:
    try:
        raw = _read_bytes(file, stdin)
    except OSError as error:
        raise AnswerError(None, f"cannot read answers from {shown(file)}: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise AnswerError(None, f"answers are not UTF-8 text (byte {error.start} cannot be read)") from None
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as error:
        raise AnswerError(
            None, f"answers are not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except AnswerError:
        raise
    except RecursionError:
        raise AnswerError(None, "answers are nested too deeply: they must be one JSON object of field: value") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise AnswerError(None, "answers cannot be read: a number in them is far too long") from None


def _read_bytes(file: str, stdin: TextIO) -> bytes | str:
    """Bytes where there are bytes (so bad UTF-8 is reported, not raised); a test's StringIO as text."""
    if file != "-":
        return Path(file).read_bytes()
    buffer = getattr(stdin, "buffer", None)
    return buffer.read() if buffer is not None else stdin.read()


def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """JSON lets a key appear twice and Python keeps the last: {"pregnant": "yes", "pregnant": "no"}
    would quietly become "no". Two answers to one question are refused instead."""
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise AnswerError(key, f"{shown(key)} is given twice; give each answer once")
        result[key] = value
    return result


def _explain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        answers, given = split_region(_read_answers(args.file, stdin))
        knowledge = load_knowledge(args.data, region=choose_region(given, args.region), lang=args.lang)
        explanation = explain(answers, knowledge)
    except AnswerError as error:
        what = "unknown language" if error.field == LANGUAGE_KEY else "bad answers"
        print(f"spotting: {what}: {error}", file=stderr)
        return EXIT_ANSWERS
    except DataError as error:
        print(f"spotting: {error}", file=stderr)
        return EXIT_DATA
    if args.format == "json":
        json.dump(explanation.to_dict(), stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
    else:
        stdout.write(to_text(explanation, knowledge))
    return EXIT_OK


def _check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Validate in full, then run the clinical case suites: a knowledge base that changes a single
    case's advice is refused, with the case named (``case_suite``)."""
    problems = check_data(args.dir)
    suites = [Path(file) for file in args.cases] if args.cases else default_case_files()
    if not problems and suites:
        # Every case in every offered language: a translation may change words, never a decision.
        for language in available_languages(args.dir):
            knowledge = load_knowledge(args.dir, lang=language)
            found = [problem for suite in suites for problem in suite_problems(suite, knowledge)]
            problems += [replace(p, message=f"[{language}] {p.message}") if language != "en" else p for p in found]
    if problems:
        print(f"{len(problems)} problem(s) in the knowledge base:", file=stdout)
        for problem in problems:
            print(f"  {problem}", file=stdout)
        print(f"spotting: {len(problems)} problem(s); first: {problems[0]}", file=stderr)
        return EXIT_DATA
    ran = f"; clinical cases met ({', '.join(suite.name for suite in suites)})" if suites else ""
    print(f"knowledge base OK{ran}", file=stdout)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit status."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "serve":  # spotting_host imports Voila only once a server starts
        return _serve(extra, stdout, stderr)
    if args.command == "explain":
        return _explain(args, stdin, stdout, stderr)
    if args.command == "policy-doc":
        return _policy_doc(args, stdout, stderr)
    if args.command == "i18n":
        return _i18n(args, stdout)
    return _check(args, stdout, stderr)


def run() -> None:
    """Console-script entry point: a closed pipe ends quietly, and no error is a traceback."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        status = EXIT_OK
    except KeyboardInterrupt:
        status = 130
    except Exception as error:  # the last line of defence: one line, never a traceback
        print(f"spotting: unexpected error ({type(error).__name__}); please report it", file=sys.stderr)
        status = EXIT_DATA
    sys.exit(status)


def _quiet_stdout() -> None:
    """The reader has gone (``| head``): point stdout at nothing so the exit flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
