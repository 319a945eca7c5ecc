"""The `qa` command: index, ask, serve, eval. Domain errors become one line on stderr and exit code 1."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.answer.filters import Filters
from qa.config import MAX_TOP_K, Settings
from qa.errors import IndexDamagedError, QAError
from qa.evaluate import (
    evaluate,
    format_by_style,
    format_reliability,
    format_risk_coverage,
    format_side_by_side,
    load_questions,
    reliability,
    risk_coverage,
)
from qa.indexing.refresh import located
from qa.noise import noisy
from qa.ofsted.metadata import KINDS
from qa.ofsted.regions import REGIONS
from qa.pipeline import QA
from qa.runtime import cpu_description
from qa.types import REASONS, Answer, Reply


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        settings = Settings.load(corpus=args.corpus, index=args.index)
        return args.run(QA(settings), args)
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whatever read the output stopped (`qa ask ... | head`): nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, help="folder of reports (default: corpus/, or QA_CORPUS)")
    common.add_argument("--index", type=Path, help="folder of the index (default: index/, or QA_INDEX)")
    parser = argparse.ArgumentParser(prog="qa", description="Ask questions of Ofsted reports; "
                                     "answers are exact, cited words from the reports.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    index = commands.add_parser("index", parents=[common], help="add new and changed reports, drop removed ones")
    index.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the corpus)")
    index.add_argument("--rebuild", action="store_true", help="start a new index from scratch")
    index.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                       help="read and embed the reports on a Ray cluster: HOST:PORT, ray://HOST:PORT or auto "
                       "(default: QA_RAY_ADDRESS, else a new local Ray); QA_RAY_ADDRESS alone does the same")
    index.set_defaults(run=_index)

    scoped = argparse.ArgumentParser(add_help=False)
    scoped.add_argument("--authority", help="only reports on this local authority")
    scoped.add_argument("--kind", choices=KINDS, help="only reports of this type")
    scoped.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="only reports published on or after")
    scoped.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="only reports published on or before")
    scoped.add_argument("--region", choices=REGIONS, metavar="REGION",
                        help=f"only reports on authorities of this region ({', '.join(REGIONS)})")
    ask = commands.add_parser("ask", parents=[common, scoped], help="answer a question from the reports")
    ask.add_argument("question")
    ask.add_argument("-k", "--top-k", type=int, default=None, help=f"answers to show (1-{MAX_TOP_K})")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.set_defaults(run=_ask)

    survey = commands.add_parser("survey", parents=[common, scoped],
                                 help="ask one question of every report in scope, a row per report")
    survey.add_argument("question")
    output = survey.add_mutually_exclusive_group()
    output.add_argument("--csv", type=Path, metavar="FILE", help="write the rows as CSV to FILE")
    output.add_argument("--json", action="store_true", help="print the rows as JSON")
    survey.set_defaults(run=_survey)

    feedback = commands.add_parser("feedback", parents=[common], help="users' verdicts on answers")
    feedback.add_argument("action", choices=["export"], help="export: write them as a question file")
    feedback.add_argument("file", type=Path, help="the JSONL question file to write")
    feedback.add_argument("--db", type=Path, help="the feedback database (default: QA_FEEDBACK, or "
                          "feedback.sqlite3 beside the index)")
    feedback.set_defaults(run=_feedback)

    fetch = commands.add_parser("fetch", parents=[common],
                                help="download new reports from Ofsted's reports site into the corpus and index them")
    fetch.add_argument("--since", metavar="YYYY-MM-DD",
                       help="reports published on or after this day (default: the newest report indexed)")
    fetch.add_argument("--kinds", nargs="+", metavar="KIND", choices=sorted(FETCH_KINDS),
                       help="inspection, focused-visit, monitoring-visit, send (default: all four)")
    fetch.add_argument("--authority", help="only this local authority's reports")
    fetch.add_argument("--dry-run", action="store_true", help="list what is new; download nothing")
    fetch.add_argument("--json", action="store_true", help="print what was done as JSON")
    fetch.set_defaults(run=_fetch)

    serve = commands.add_parser("serve", parents=[common], help="start the web chat and JSON API")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    serve.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    serve.add_argument("--fetch-every", type=_interval, metavar="INTERVAL",
                       help="also fetch new reports from Ofsted's site at start and then every INTERVAL "
                            "(e.g. 24h; at least 10m), as `qa fetch` does (default: off)")
    serve.set_defaults(run=_serve)

    score = commands.add_parser("eval", parents=[common], help="score against a question file")
    score.add_argument("file", type=Path)
    score.add_argument("--json", action="store_true", help="print every question's result as JSON")
    score.add_argument("--tidy-only", action="store_true",
                       help="score the questions as written only (by default also a noisy variant of them, "
                            "as people type: qa/noise.py)")
    score.set_defaults(run=_eval)
    return parser


def _index(qa: QA, args) -> int:
    _check_paths(qa, args.paths)
    ray = args.ray if args.ray else qa.settings.ray_address or ("local" if args.ray == "" else None)
    summary = qa.refresh(args.paths or None, rebuild=args.rebuild, progress=sys.stderr.isatty(), ray=ray)
    print(summary.describe())
    store = qa.store
    print(f"index: {len(store.entries)} reports, {store.chunk_count} chunks in {qa.settings.index}/")
    return 0


def _check_paths(qa: QA, paths: list[Path]) -> None:
    """Refuse a path that is neither on disk nor where an indexed report came from (a report's file
    that is gone is dropped from the index; a typo is an error), and a missing corpus."""
    if not paths:
        _check_corpus(qa)
        return
    indexed = [located(entry.path, qa.settings.corpus).resolve() for entry in qa.store.entries.values()] \
        if qa.index_exists() else []
    for path in paths:
        if not path.exists() and not any(file == path.resolve() or file.is_relative_to(path.resolve())
                                         for file in indexed):
            raise QAError(f"no such file or folder: {path}")


def _check_corpus(qa: QA) -> None:
    corpus = qa.settings.corpus
    if not corpus.is_dir():
        raise QAError(f"there is no corpus folder at {corpus.absolute()}: put reports there, or name the folder with "
                      "--corpus or QA_CORPUS")


def _ensure_index(qa: QA) -> None:
    if not qa.index_exists():
        _check_corpus(qa)
        print(f"building the index of {qa.settings.corpus}/ (first run)...", file=sys.stderr)
        print(qa.refresh(progress=sys.stderr.isatty()).describe(), file=sys.stderr)


def _ask(qa: QA, args) -> int:
    if args.top_k is not None and not 1 <= args.top_k <= MAX_TOP_K:
        raise QAError(f"--top-k must be between 1 and {MAX_TOP_K}")
    qa.check_question(args.question)
    filters = _filters(args)
    _ensure_index(qa)
    qa.warm_up()
    reply = qa.ask(args.question, top_k=args.top_k, filters=filters)
    print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2) if args.json else _show(reply))
    return 0


def _filters(args) -> Filters:
    """The --authority, --kind, --from and --to options (checked: a bad one is a FilterError)."""
    return Filters(args.authority, args.kind, args.date_from, args.date_to, args.region)


def _survey(qa: QA, args) -> int:
    from qa.research.survey import survey, to_csv

    qa.check_question(args.question)
    filters = _filters(args)
    _ensure_index(qa)
    qa.warm_up()
    began = time.perf_counter()
    total, found = survey(qa, args.question, filters)
    rows = []
    for row in found:
        rows.append(row)
        if sys.stderr.isatty():
            print(f"\r{len(rows)}/{total} reports", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - began
    answered = sum(row.answer is not None for row in rows)
    summary = f"{answered} of {total} reports answer it ({seconds:.1f} s)"
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.csv:
        args.csv.write_text(to_csv(rows), encoding="utf-8")
        print(f"{summary}; rows written to {args.csv}")
    elif args.json:
        print(json.dumps({"question": args.question, "total": total, "rows": [row.to_dict() for row in rows]},
                         ensure_ascii=False, indent=2))
    else:
        for row in rows:
            where = f"{row.authority or row.title}, {row.kind} {row.date or 'undated'}"
            said = f"{row.answer.text} (score {row.score:.2f})" if row.answer else "not found"
            print(f"- {where}: {said}")
        print(summary)
    return 0


def _feedback(qa: QA, args) -> int:
    from qa.research.feedback import FeedbackStore, question_file

    path = args.db or qa.settings.feedback_path
    if not path.is_file():
        raise QAError(f"no feedback database at {path}")
    rows = FeedbackStore(path).all()
    items = question_file(rows)
    args.file.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    answered = sum(bool(item["answers"]) for item in items)
    print(f"{len(rows)} verdicts: {len(items)} questions written to {args.file} ({answered} with gold answers, "
          f"{len(items) - answered} known only by wrong answers)")
    return 0


def _report_refresh(qa: QA):
    def report(outcome) -> None:
        if isinstance(outcome, QAError):
            print(f"error: the start-up refresh failed: {outcome}", file=sys.stderr, flush=True)
        else:
            print(f"refreshed from {qa.settings.corpus}/: {outcome.describe()}", file=sys.stderr, flush=True)
    return report


def _loads(qa: QA) -> bool:
    """Whether the index on disk loads (an earlier generation, if the current one is damaged); when
    none does, it is rebuilt from the corpus."""
    try:
        _ = qa.store
    except IndexDamagedError as error:
        print(f"error: {error}; rebuilding it from the corpus", file=sys.stderr, flush=True)
        return False
    if qa.store.damaged:
        print(f"warning: the index's current generation is damaged: {qa.store.damaged}", file=sys.stderr)
    return True


# `qa fetch --kinds` names, and the kinds of report they stand for.
FETCH_KINDS = {"inspection": "inspection", "focused-visit": "focused visit", "monitoring-visit": "monitoring visit",
               "send": "send inspection"}


def _fetch(qa: QA, args) -> int:
    from qa.indexing.fetch import describe, fetch

    since = _day(args.since, "--since") if args.since else None
    result = fetch(qa, since, [FETCH_KINDS[kind] for kind in args.kinds or FETCH_KINDS], args.authority,
                   args.dry_run, say=lambda line: print(line, file=sys.stderr, flush=True))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif args.dry_run:
        for publication in result.listed:
            print(f"{publication.provider.name}, {publication.label} published {publication.published.isoformat()}: "
                  f"{publication.url}")
    else:
        for line in describe(result, qa):
            print(line)
        if result.refresh is not None:
            print(result.refresh.describe())
        elif not result.fetched:
            print("nothing new")
    return 0


def _interval(text: str) -> float:
    from qa.indexing.fetch import every

    try:
        return every(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QAError(f"{option} must be a day as YYYY-MM-DD, got {value!r}") from None


def _serve(qa: QA, args) -> int:
    from qa.indexing.uploads import remove_stale_uploads
    from qa.indexing.watch import CorpusWatcher
    from qa.runtime import return_large_blocks
    from web import create_app
    from web.server import make_server

    return_large_blocks()
    for path in remove_stale_uploads(qa.settings.corpus):
        print(f"removed {path.name}, left in the corpus by an upload that was killed", file=sys.stderr)
    if qa.index_exists() and _loads(qa):
        # Answer from the index on disk at once; what changed in the corpus meanwhile is picked up
        # in the background (from the loaded index, not a second copy) and swapped in when ready.
        qa.refresh_in_background(report=_report_refresh(qa))
    else:
        # No index (or none that loads): build it in the background and serve at once; /api/health
        # and the chat say how far it is, and answers start with its first saved part.
        _check_corpus(qa)
        print(f"building the index of {qa.settings.corpus}/ in the background (/api/health says how far it is)",
              file=sys.stderr)
        qa.refresh_in_background(rebuild=qa.index_exists(), report=_report_refresh(qa))
    qa.warm_up()
    if qa.settings.scan_seconds > 0:
        CorpusWatcher(qa, qa.settings.scan_seconds).start()
    app = create_app(qa=qa)
    if args.fetch_every:
        from qa.indexing.fetch import Schedule

        app.extensions["fetch"] = Schedule(qa, args.fetch_every).start()
        print(f"fetching new reports from {qa.settings.ofsted_url} every {args.fetch_every / 3600:g} h",
              file=sys.stderr)
    server = make_server(app, qa.settings, args.host, args.port, args.threads)
    print(f"serving on http://{args.host}:{args.port}/ (Ctrl+C stops)", file=sys.stderr, flush=True)
    server.run()
    return 0


def _eval(qa: QA, args) -> int:
    items = load_questions(args.file)
    _ensure_index(qa)
    results = {"tidy": evaluate(qa, items)}
    if not args.tidy_only:
        results["noisy"] = evaluate(qa, [noisy(item) for item in items])
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"CPU: {cpu_description()}")
    print(format_side_by_side(results))
    for name, result in results.items():
        print(f"\nrisk-coverage, {name} (answered when score >= threshold; now {qa.settings.threshold}):")
        print(format_risk_coverage(risk_coverage(result["questions"], np.arange(0.0, 1.0001, 0.05))))
        print(f"\nreliability of the score, {name} (right: the first answer's paragraph holds the evidence, or "
              "it holds the gold words and comes from the question's report):")
        print(format_reliability(*reliability(result["questions"])))
    if "noisy" in results:
        print("\nnoisy questions by style:")
        print(format_by_style(results["noisy"]["questions"]))
    return 0


def _show(reply: Reply) -> str:
    lines = [f"(searched for: {reply.searched_for})"] if reply.searched_for else []
    if reply.could_mean:
        lines.append(f"Which authority do you mean? The question's name could be {_either(reply.could_mean)}; "
                     "ask again with its name.")
    elif reply.table is not None:
        if reply.answered and not reply.from_table:
            for number, answer in enumerate(reply.answers, 1):
                lines += [f"{number}. {answer.shown}", *_cite(answer)]
            lines.append("Each inspection's grade:")
        found = [row for row in reply.table if row.answer]
        lines.append(f"{len(found)} of {len(reply.table)} reports:")
        for row in found:
            note = f" ({row.note})" if row.note else ""
            lines.append(f"- {row.authority}, {row.kind} published {row.date}: {' '.join(row.answer.text.split())} "
                         f"[{row.answer.citation.reference}]{note}")
        for row in reply.table:
            if row.note and not row.answer:
                lines.append(f"- {row.authority}, {row.kind} published {row.date}: {row.note}")
    elif reply.answered:
        for number, answer in enumerate(reply.answers, 1):
            lines += [f"{number}. {answer.shown}", *_cite(answer)]
    if not reply.answered and not reply.could_mean:
        lines.append(REASONS[reply.reason])
    if reply.closest and not reply.could_mean:
        lines.append("\nClosest passages (not answers):")
        for answer in reply.closest:
            lines += [f"- {answer.text}", *_cite(answer)]
    lines.append(f"({reply.took_ms:.0f} ms)")
    return "\n".join(lines)


def _either(names: Sequence[str]) -> str:
    """Names as a choice: "A", "A or B", "A, B or C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _cite(answer: Answer) -> list[str]:
    citation = answer.citation
    section = f" ({citation.section})" if citation.section else ""
    page = f", p. {citation.page}" if citation.page else ""
    return [f"   {citation.reference}{page}{section} [{citation.source}] (score {answer.score:.2f}:"
            f" {answer.likelihood})",
            textwrap.indent(textwrap.fill(_marked(answer), 96), "   | ")]


def _marked(answer: Answer) -> str:
    citation = answer.citation
    text = citation.paragraph
    return " ".join(f"{text[:citation.start]}»{text[citation.start:citation.end]}«{text[citation.end:]}".split())


if __name__ == "__main__":
    sys.exit(main())
