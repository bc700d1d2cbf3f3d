"""The ``arnews`` command (also ``python -m arnews_nlp``).

    arnews analyze article.txt                 one document per text file → JSONL on stdout
    arnews analyze --jsonl news.jsonl          one document per JSON line (field "text")
    cat article.txt | arnews analyze           stdin as one text document
    arnews analyze --jsonl - < news.jsonl      stdin as JSONL

Each output line is ``{"id": ..., **Document.to_dict()}``. A record that fails is
reported on stderr with its id and the others go on (``--fail-fast`` stops at the first);
the exit status is 1 when any record failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from arnews_nlp._version import __version__
from arnews_nlp.config import TOKENIZERS
from arnews_nlp.types import Document

__all__ = ["main"]


def _read_records(
    sources: Sequence[str], *, jsonl: bool, text_field: str, id_field: str
) -> Iterator[tuple[Any, Any]]:
    """Yield ``(record_id, text_or_error)``; an unreadable record yields an exception
    in place of its text so that the caller reports it and goes on."""
    for source in sources or ["-"]:
        is_jsonl = jsonl or source.endswith((".jsonl", ".ndjson"))
        name = "<stdin>" if source == "-" else source
        try:
            opened: contextlib.AbstractContextManager[TextIO] = (
                contextlib.nullcontext(sys.stdin)
                if source == "-"
                else open(source, encoding="utf-8")  # noqa: SIM115
            )
        except OSError as error:
            yield name, error
            continue
        with opened as handle:
            if not is_jsonl:
                try:
                    yield name, handle.read()
                except UnicodeDecodeError as error:
                    yield name, error
                continue
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                record_id: Any = f"{name}:{number}"
                try:
                    record = json.loads(line)
                    if not isinstance(record, dict):
                        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
                    record_id = record.get(id_field, record_id)
                    if text_field not in record:
                        raise KeyError(f"no field {text_field!r} (use --text-field)")
                    yield record_id, record[text_field]
                except (ValueError, KeyError) as error:
                    yield record_id, error


def _progress(records: Iterator[Any], enabled: bool) -> Iterator[Any]:
    """Records with a progress indicator on stderr: tqdm when installed, else a plain
    counter."""
    if not enabled:
        yield from records
        return
    try:
        from tqdm import tqdm
    except ImportError:
        count = 0
        for record in records:
            yield record
            count += 1
            if count % 100 == 0:
                print(f"\r{count} records", end="", file=sys.stderr, flush=True)
        print(f"\r{count} records", file=sys.stderr)
        return
    yield from tqdm(records, unit="doc", file=sys.stderr)


def _analyze_command(args: argparse.Namespace) -> int:
    from arnews_nlp.errors import ArnewsError
    from arnews_nlp.export import rows
    from arnews_nlp.pipeline import Pipeline

    nlp = Pipeline(ner=args.ner, tokenizer=args.tokenizer, quotes=not args.no_quotes)
    out = sys.stdout
    writer = None
    if args.format == "csv":
        import csv

        writer = csv.writer(out)
    failures = 0
    show_progress = args.progress if args.progress is not None else sys.stderr.isatty()
    records = _read_records(
        args.inputs, jsonl=args.jsonl, text_field=args.text_field, id_field=args.id_field
    )
    header_written = False
    for record_id, payload in _progress(records, show_progress):
        try:
            if isinstance(payload, Exception):
                raise payload
            doc = nlp(payload)
        except (ArnewsError, TypeError, ValueError, KeyError, OSError) as error:
            failures += 1
            print(f"arnews: record {record_id}: {type(error).__name__}: {error}", file=sys.stderr)
            if args.fail_fast:
                return 1
            continue
        if writer is None:
            row = {"id": record_id, **doc.to_dict()}
            out.write(json.dumps(row, ensure_ascii=False, indent=args.indent) + "\n")
            continue
        items = rows([doc], args.kind, doc_ids=[record_id])
        if items and not header_written:
            writer.writerow(list(items[0]))
            header_written = True
        for item in items:
            writer.writerow([" | ".join(v) if isinstance(v, list) else v for v in item.values()])
    return 1 if failures else 0


def format_document(doc: Document) -> str:
    """A plain-text summary of a document: entities, then quotes with their parts."""
    lines = [repr(doc), "", f"entities ({len(doc.entities)}):"]
    for e in doc.entities:
        canonical = f"  [{e.canonical}]" if e.canonical else ""
        lines.append(f"  {e.label.value:<4} {e.text}  @{e.start}-{e.end}{canonical}")
    lines += ["", f"quotes ({len(doc.quotes)}):"]
    for q in doc.quotes:
        speaker = q.speaker or q.speaker_resolved
        who = speaker.text if speaker else "?"
        if q.speaker is None and q.speaker_resolved is not None:
            who += " (implicit)"
        chain = "".join(f" via {s.text}" for s in q.chain)
        cue = q.cue.text if q.cue else "-"
        lines.append(f"  [{q.mode.value}/{q.rule}] {who}{chain} | {cue} | {q.content_text}")
    if doc.meta.notes:
        lines += ["", "notes:", *(f"  {note}" for note in doc.meta.notes)]
    return "\n".join(lines)


def _show_command(args: argparse.Namespace) -> int:
    from arnews_nlp.pipeline import Pipeline

    nlp = Pipeline(ner=args.ner, tokenizer=args.tokenizer)
    status = 0
    for record_id, payload in _read_records(
        args.inputs, jsonl=args.jsonl, text_field=args.text_field, id_field=args.id_field
    ):
        if isinstance(payload, Exception) or not isinstance(payload, str):
            print(f"arnews: record {record_id}: cannot read: {payload}", file=sys.stderr)
            status = 1
            continue
        print(f"== {record_id}")
        print(format_document(nlp(payload)))
    return status


def _backends_command(args: argparse.Namespace) -> int:
    from arnews_nlp.backends import backend_status

    for row in backend_status():
        print(f"{row.name}: package {row.package}, model {row.model}")
        print(f"    looked in: {row.looked}")
        if row.fix:
            print(f"    to enable: {row.fix}")
    return 0


def _check_command(args: argparse.Namespace) -> int:
    from arnews_nlp.errors import ArnewsError
    from arnews_nlp.testing import check_case, load_cases

    rows = []
    failures = 0
    for path in args.fixtures:
        passed = failed = 0
        try:
            for case in load_cases(path):
                try:
                    check_case(case)
                    passed += 1
                except AssertionError as error:
                    failed += 1
                    print(f"FAIL {case.where} ({case.id}): {error}", file=sys.stderr)
        except (OSError, ArnewsError) as error:
            print(f"arnews: {path}: {error}", file=sys.stderr)
            failed += 1
        failures += failed
        rows.append((path, passed, failed))
    width = max((len(p) for p, _, _ in rows), default=4)
    print(f"{'file':<{width}}  passed  failed")
    for path, passed, failed in rows:
        print(f"{path:<{width}}  {passed:>6}  {failed:>6}")
    total_passed = sum(r[1] for r in rows)
    print(f"{total_passed} passed, {failures} failed")
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arnews",
        description="Arabic news NLP: tokens, entities and attributions as JSON lines.",
    )
    parser.add_argument("--version", action="version", version=f"arnews_nlp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze = commands.add_parser(
        "analyze",
        help="analyse texts and write one JSON document per line",
        description=(
            "Analyse text files (one document each), JSONL files (one document per "
            "line) or stdin, and write one JSON line per document: "
            '{"id": ..., "text": ..., "tokens": [...], "entities": [...], "quotes": [...]}.'
        ),
    )
    analyze.add_argument(
        "inputs", nargs="*", metavar="FILE", help="text or .jsonl files; - or nothing: stdin"
    )
    analyze.add_argument(
        "--jsonl", action="store_true", help="read every input as JSONL (default: by extension)"
    )
    analyze.add_argument("--text-field", default="text", help="JSONL field with the text")
    analyze.add_argument("--id-field", default="id", help="JSONL field with the record id")
    analyze.add_argument(
        "--ner",
        default="default",
        choices=["default", "camel", "stanza", "none"],
        help="entity backend (default: the model shipped in the package)",
    )
    analyze.add_argument(
        "--tokenizer",
        default="default",
        choices=list(TOKENIZERS),
        help="tokenizer (default: the package's own; camel, stanza: the backends')",
    )
    analyze.add_argument("--no-quotes", action="store_true", help="skip attribution extraction")
    analyze.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")
    analyze.add_argument(
        "--format",
        choices=["jsonl", "csv"],
        default="jsonl",
        help="jsonl: one document per line (default); csv: one row per --kind item",
    )
    analyze.add_argument(
        "--kind",
        choices=["entities", "quotes", "tokens", "sentences"],
        default="entities",
        help="what a CSV row is (with --format csv)",
    )
    analyze.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: only when stderr is a terminal)",
    )
    analyze.add_argument(
        "--fail-fast", action="store_true", help="stop at the first record that fails"
    )
    analyze.set_defaults(handler=_analyze_command)

    show = commands.add_parser(
        "show",
        help="print a readable summary: entities and who said what",
        description="Print each document's entities and quotes as readable text.",
    )
    show.add_argument("inputs", nargs="*", metavar="FILE", help="text or .jsonl files; - : stdin")
    show.add_argument("--jsonl", action="store_true", help="read every input as JSONL")
    show.add_argument("--text-field", default="text", help="JSONL field with the text")
    show.add_argument("--id-field", default="id", help="JSONL field with the record id")
    show.add_argument("--ner", default="default", choices=["default", "camel", "stanza", "none"])
    show.add_argument("--tokenizer", default="default", choices=list(TOKENIZERS))
    show.set_defaults(handler=_show_command)

    backends = commands.add_parser(
        "backends",
        help="list entity backends: package installed? model present? where looked",
        description="Report each entity backend's package and model, and where the "
        "model was looked for. Nothing is imported or downloaded.",
    )
    backends.set_defaults(handler=_backends_command)

    check = commands.add_parser(
        "check",
        help="run fixture files (JSONL cases) and print a summary table",
        description="Check fixture files of expected entities and quotes (the format of "
        "arnews_nlp.testing); exit status 1 when any case fails.",
    )
    check.add_argument("fixtures", nargs="+", metavar="FILE", help="fixture .jsonl files")
    check.set_defaults(handler=_check_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    status: int = args.handler(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
