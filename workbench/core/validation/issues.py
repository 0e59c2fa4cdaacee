"""Validation findings: a stable code, a severity, a location, words for a person, and a fix.

Every code the engine can emit is declared once in ``CODES`` (Orange-style declared messages), so
the UI, the CLI's ``--json`` output and the tests all speak the same vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    severity: Severity
    title: str  # short, for a Problems panel heading
    message: str  # str.format template with the finding's details
    fix: str  # what the user can do about it


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    # --- the file itself ---
    "unreadable_file": Code(E, "File cannot be read", "{reason}", "Check the path and that you may read the file."),
    "not_text": Code(E, "Not a text file", "This looks like a binary file (it contains NUL bytes at byte {offset}), not JSONL.",
                     "Choose the .jsonl file itself, not a spreadsheet, archive or database."),
    "bom": Code(W, "Byte-order mark", "The file starts with a UTF-8 byte-order mark (BOM); some uploaders reject it.",
                "Export again from Fine-Tune Workbench, or save the file as 'UTF-8' (without BOM)."),
    "invalid_utf8": Code(E, "Not UTF-8", "{where} is not valid UTF-8 (bad byte 0x{byte:02x} at column {column}).",
                         "Save the file as UTF-8, or import it through the CSV importer, which detects encodings."),
    "blank_line": Code(W, "Blank line", "{where} is empty.", "Delete the empty line; training files have one example per line."),
    "line_too_long": Code(E, "Line too long", "{where} is {size} long, more than the {limit} one example may take.",
                          "Check the file was exported as JSONL (one example per line), not as one big JSON document."),
    "invalid_json": Code(E, "Invalid JSON", "{where} is not valid JSON: {reason} (column {column}).",
                         "Fix the line in a text editor; often a quote, comma or bracket is missing, or the line was cut off."),
    "data_type": Code(E, "Not an object", "{where} is a JSON {found}, but each line must be an object {{...}}.",
                      "Put one example object per line."),
    "unknown_format": Code(E, "Unknown format", "{where} has none of 'messages', 'prompt'/'completion' or 'input'/'preferred_output' (keys: {keys}).",
                           "Each example needs a 'messages' list (chat), or 'prompt' and 'completion' (legacy)."),
    "unknown_key": Code(W, "Unknown field", "{where} has a field '{key}' that the {kind} format does not define; it is kept but the provider may reject it.",
                        "Remove the field unless your provider documents it."),
    # --- chat messages (OpenAI cookbook checks, updated for current formats) ---
    "missing_messages_list": Code(E, "No messages", "{where}: 'messages' must be a non-empty list of messages.",
                                  "Give the example a list of messages: at least a user and an assistant message."),
    "message_not_object": Code(E, "Message not an object", "{where}, message {index}: each message must be an object with 'role' and 'content'.",
                               "Replace the message by {{\"role\": ..., \"content\": ...}}."),
    "message_missing_key": Code(E, "Message missing a field", "{where}, message {index} has no '{key}'.",
                                "Add the missing '{key}' to the message."),
    "message_unrecognized_key": Code(E, "Unrecognised message field", "{where}, message {index} has a field '{key}' that messages may not have.",
                                     "Remove '{key}' from the message (allowed: role, content, name, weight, tool_calls, tool_call_id, function_call)."),
    "unrecognized_role": Code(E, "Unknown role", "{where}, message {index} has the role '{role}'.",
                              "Use one of system, user, assistant or tool."),
    "missing_content": Code(E, "Empty message", "{where}, message {index} ({role}) has no text.",
                            "Write the message, or delete it."),
    "invalid_content": Code(E, "Content of the wrong type", "{where}, message {index}: 'content' must be text or a list of parts, not {found}.",
                            "Make the content a string."),
    "invalid_content_part": Code(E, "Bad content part", "{where}, message {index}, part {part}: {reason}.",
                                 "Each part must be {{\"type\": \"text\", \"text\": ...}} or {{\"type\": \"image_url\", \"image_url\": {{\"url\": ...}}}}."),
    "invalid_name": Code(E, "Bad name", "{where}, message {index}: 'name' must be text without spaces (found {found}).",
                         "Use letters, digits, underscores or hyphens, at most 64 characters."),
    "example_missing_assistant_message": Code(E, "No assistant reply", "{where} has no assistant message to learn from.",
                                              "Add the reply the model should give, or delete the example."),
    "no_trainable_message": Code(W, "Nothing to learn", "{where}: every assistant message has weight 0, so training learns nothing from it.",
                                 "Set weight 1 on at least one assistant reply, or delete the example."),
    "last_message_not_assistant": Code(W, "Ends without a reply", "{where} ends with a {role} message; it is ignored by training.",
                                       "End the conversation on the assistant's reply."),
    "invalid_weight": Code(E, "Bad weight", "{where}, message {index}: 'weight' is {found}; it must be 0 or 1, and only on assistant messages.",
                           "Set weight to 0 (do not learn this reply) or 1 (learn it), or remove it."),
    "invalid_tool_calls": Code(E, "Bad tool call", "{where}, message {index}: {reason}.",
                               "Each tool call needs an 'id', \"type\": \"function\" and a 'function' with 'name' and 'arguments' (a JSON string)."),
    "tool_call_id_unmatched": Code(E, "Tool reply without a call", "{where}, message {index}: tool_call_id '{id}' answers no earlier tool call.",
                                   "Make the id match the 'id' of a tool call in an earlier assistant message."),
    "tool_message_missing_id": Code(E, "Tool reply without an id", "{where}, message {index}: a tool message needs a 'tool_call_id'.",
                                    "Add the id of the tool call it answers."),
    "invalid_tools": Code(E, "Bad tool definitions", "{where}: {reason}.",
                          "'tools' must be a list of {{\"type\": \"function\", \"function\": {{\"name\": ..., \"parameters\": {{...}}}}}}."),
    "too_many_images": Code(E, "Too many images", "{where} has {count} images; an example may have at most {limit}.",
                            "Split the conversation or remove images."),
    "image_in_assistant": Code(E, "Image in a reply", "{where}, message {index}: assistant messages may not contain images.",
                               "Move the image to a user message or remove it."),
    # --- DPO preference pairs ---
    "dpo_missing_input": Code(E, "Preference pair without input", "{where}: a preference example needs 'input' with a non-empty 'messages' list.",
                              "Add the conversation so far under input.messages."),
    "dpo_invalid_output": Code(E, "Bad preferred/non-preferred output", "{where}: '{key}' {reason}.",
                               "Give '{key}' as a list with exactly one assistant message."),
    "dpo_identical_outputs": Code(W, "Identical answers", "{where}: the preferred and non-preferred answers are the same, so there is nothing to prefer.",
                                  "Edit one of the two answers, or delete the example."),
    "dpo_input_ends_with_assistant": Code(W, "Input ends with a reply", "{where}: input.messages should end with the user's turn, not an assistant message.",
                                          "Remove the last assistant message from the input."),
    # --- legacy prompt/completion ---
    "legacy_invalid_field": Code(E, "Bad prompt/completion", "{where}: '{key}' must be text.", "Give both 'prompt' and 'completion' as text."),
    "legacy_empty_completion": Code(E, "Empty completion", "{where} has an empty completion.", "Write the completion, or delete the example."),
    "format_model_mismatch": Code(E, "Wrong format for the model", "{where} is {kind} data, which {model} does not train on.",
                                  "{fix_hint}"),
    # --- tokens ---
    "too_many_tokens": Code(W, "Too long", "{where} has {tokens:,} tokens, {over:,} more than the {limit:,} {model} trains on; OpenAI truncates it to the first {limit:,}.",
                            "Shorten the conversation or split it into two examples."),
    # --- dataset level ---
    "too_few_examples": Code(E, "Too few examples", "The dataset has {count} examples; fine-tuning needs at least 10.",
                             "Add examples; 50 to 100 good ones is a sensible start."),
    "few_examples": Code(W, "Few examples", "The dataset has {count} examples; results are usually clearly better with at least 50.",
                         "Add more examples if you can."),
    "duplicate_examples": Code(W, "Duplicates", "Exact copies of other examples: {count} ({noun} {lines}).",
                               "Delete the copies; they make the model over-learn those conversations."),
    "mixed_formats": Code(E, "Mixed formats", "The file mixes formats: {counts}. A training file must use one format.",
                          "Keep one format; convert legacy prompt/completion examples to chat."),
    "train_validation_overlap": Code(W, "Validation overlaps training", "{count} validation examples also appear in the training data (validation {noun} {lines}).",
                                     "Remove them from one of the two files, or validation scores will look better than they are."),
    "empty_dataset": Code(E, "No examples", "The file has no examples.", "Choose a file with one example per line."),
}


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message: str
    fix: str
    line: int | None = None
    message_index: int | None = None
    field: str | None = None

    def to_json(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        # "line" is always present (null for dataset-level findings); other locations only when known
        return {k: v for k, v in d.items() if v is not None or k == "line"}


def make_issue(
    code: str,
    *,
    line: int | None = None,
    index: int | None = None,
    field: str | None = None,
    where: str | None = None,
    **details,
) -> Issue:
    spec = CODES[code]
    if where is None:
        where = f"Line {line}" if line is not None else "This example"
    params = {"line": line, "index": index, "where": where, **details}
    return Issue(
        code=code,
        severity=spec.severity,
        message=spec.message.format(**params),
        fix=spec.fix.format(**params),
        line=line,
        message_index=index,
        field=field,
    )
