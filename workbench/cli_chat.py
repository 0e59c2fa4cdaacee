"""`workbench chat`: ask 1-4 models the same message at once and print the answers one after another.

    workbench chat --model gpt-4o-mini --model ft:gpt-4o-mini-2024-07-18:acme::abc "Where is my order?"

Which service: ``--profile NAME`` (its key from the keyring or the environment; default the
"OpenAI" profile) or ``--base-url URL`` (an OpenAI-compatible server; key from OPENAI_API_KEY, or
none for a local server). Every answer is printed with its model's name, time to first token,
total time, tokens in/out and cost; a failed one with its error and whatever had arrived.

Exit codes: 0 every answer came, 1 at least one failed, 2 the command line or the settings are
wrong, 130 interrupted (Ctrl+C stops every stream).
"""

from __future__ import annotations

import argparse
import sys

from workbench.core.playground.answer import DONE, MAX_COLUMNS, Answer, ChatSettings, ChatTarget

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def add_chat_parser(subparsers) -> None:
    p = subparsers.add_parser("chat", help="ask up to four models the same message and compare the answers",
                              description="Ask 1-4 models the same message at once; the answers are printed "
                                          "one after another with their timings, tokens and cost.")
    p.add_argument("message", help="what to ask")
    p.add_argument("--model", action="append", required=True, metavar="M",
                   help="a model, base or fine-tuned (ft:...); repeat for up to four")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--profile", metavar="P", help="provider profile to use (default: OpenAI)")
    where.add_argument("--base-url", metavar="URL",
                       help="an OpenAI-compatible API; the key comes from OPENAI_API_KEY (none needed locally)")
    p.add_argument("--system", metavar="TEXT", help="system prompt for every model")
    p.add_argument("--temperature", type=float, metavar="T", help="0 to 2 (default: the server's)")
    p.add_argument("--max-tokens", type=int, metavar="N", help="longest answer, in tokens")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="longest wait for the server, per read (default 60)")


def run_chat_command(args: argparse.Namespace) -> int:
    from workbench.providers.connect import ConnectError, Connector, connect
    from workbench.providers.parallel_chat import ChatRequest, ParallelChat

    models = [m.strip() for m in args.model]
    if any(not m for m in models):
        return _usage("--model needs a model name.")
    if len(models) > MAX_COLUMNS:
        return _usage(f"compare at most {MAX_COLUMNS} models at once (got {len(models)}).")
    if not args.message.strip():
        return _usage("the message is empty.")
    try:
        settings = ChatSettings(temperature=args.temperature, max_tokens=args.max_tokens)
    except ValueError as exc:
        return _usage(str(exc))
    try:  # check the service once up front, so a wrong profile is one message, not one per model
        connect(args.profile, args.base_url, timeout=args.timeout, key_required=False).client.close()
    except ConnectError as exc:
        return _usage(str(exc))

    messages = ([{"role": "system", "content": args.system}] if args.system and args.system.strip() else [])
    messages.append({"role": "user", "content": args.message})
    requests = [ChatRequest(ChatTarget(m, profile=None if args.base_url else args.profile, base_url=args.base_url),
                            tuple(messages)) for m in models]
    connector = Connector(timeout=args.timeout)
    chat = ParallelChat(requests, connector=connector, settings=settings)
    chat.start()
    try:
        for column, model in enumerate(models):
            chat.wait_column(column)
            _print_answer(model, chat.answer(column), first=column == 0)
    except KeyboardInterrupt:
        chat.cancel()
        chat.wait(5)
        print("\nworkbench: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        connector.close()
    return EXIT_OK if all(a.status == DONE for a in chat.results()) else EXIT_FAILED


def _usage(message: str) -> int:
    print(f"workbench: {message}", file=sys.stderr)
    return EXIT_USAGE


def describe(answer: Answer) -> str:
    """One line of facts: first token, total time, tokens in/out, cost."""
    from workbench.core.playground.cost import format_cost

    first = f"{answer.ttft:.2f} s" if answer.ttft is not None else "–"
    total = f"{answer.total_time:.2f} s" if answer.total_time is not None else "–"
    if answer.tokens_in is not None:
        tokens = f"{answer.tokens_in:,} in / {answer.tokens_out:,} out" + (" (estimated)" if answer.estimated else "")
    else:
        tokens = "unknown"
    return f"first token {first}, total {total}, tokens {tokens}, cost {format_cost(answer.cost)}"


def _print_answer(model: str, answer: Answer, *, first: bool) -> None:
    if not first:
        print()
    print(f"=== {model} ===")
    if answer.text:
        print(answer.text)
    if answer.status == DONE:
        print(f"--- {describe(answer)}")
    else:
        if answer.text:
            print("--- (the answer above is incomplete)")
        print(f"--- FAILED: {answer.error}" if answer.status != "stopped" else "--- stopped")
        print(f"--- {describe(answer)}")
    sys.stdout.flush()
