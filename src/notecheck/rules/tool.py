"""Rules NC9xx: the tool itself (configuration, inputs, internal errors)."""

from notecheck.models import Severity
from notecheck.rules import rule

CONFIG_UNKNOWN_KEY = rule(
    "NC901",
    "config-unknown-key",
    Severity.WARNING,
    "unknown configuration key {key!r} in {path}",
    what="Reports a key in `[tool.notecheck]` or `notecheck.toml` that notecheck does not know.",
    why="A misspelt key (`ingore`) is silently ignored by most tools, and the editor believes a "
    "rule is off when it is not.",
    example='`[tool.notecheck]\\ningore = ["NC301"]`',
    instead='`[tool.notecheck]\\nignore = ["NC301"]`',
)

CONFIG_INVALID = rule(
    "NC902",
    "config-invalid",
    Severity.ERROR,
    "invalid configuration in {path}: {reason}",
    what="Reports a configuration file that is not valid TOML or a value of the wrong type.",
    why="A broken configuration would otherwise be ignored and the check run with defaults the "
    "editor did not choose.",
    example='`select = "NC4"` (a string where a list is expected)',
    instead='`select = ["NC4"]`',
)

NO_BIBLIOGRAPHY = rule(
    "NC903",
    "no-bibliography",
    Severity.WARNING,
    "{reason}; citations are not resolved",
    what="Reports that no bibliography was given (neither `--bib` nor the configuration) or that "
    "the one given cannot be opened. The checks that need no bibliography still run.",
    why="Without a bibliography no reference can be resolved, so broken references go unseen.",
    example="`notecheck check edition/` with no `bibliography` key in the configuration.",
    instead="`notecheck check edition/ --bib bibliography.bib`",
)

INTERNAL_ERROR = rule(
    "NC904",
    "internal-error",
    Severity.ERROR,
    "notecheck failed while {stage} ({error}); please report this",
    what="Reports a bug in notecheck itself: a stage raised an unexpected exception. The stage's "
    "results for this file are missing; other files and stages still run.",
    why="A checker must never crash on an editor's file; a bug is shown as a finding, with the "
    "stage that failed, instead of a traceback.",
    example="(none: this is notecheck's fault, not the edition's)",
    instead="Report the file and the message to the notecheck maintainers.",
)

UNREADABLE_PATH = rule(
    "NC905",
    "unreadable-path",
    Severity.ERROR,
    "cannot read {path}: {reason}",
    what="Reports an input path that does not exist or cannot be opened.",
    why="A misspelt path must not pass as an edition without problems.",
    example="`notecheck check edtion/`",
    instead="`notecheck check edition/`",
)

UNKNOWN_SELECTOR = rule(
    "NC906",
    "unknown-rule-selector",
    Severity.WARNING,
    "{key} in {path}: {selector!r} matches no rule",
    what="Reports a code or prefix in `select`, `ignore`, `extend-select`, `per-file-ignores` or "
    "`[[accept]]` that matches no registered rule.",
    why="A misspelt code (`NC4O1` with a letter O) selects or ignores nothing, and the editor "
    "believes a rule is on or off when it is not.",
    example='`ignore = ["NC4O1"]`',
    instead='`ignore = ["NC401"]` (see `notecheck rules` for every code)',
)

BASELINE_INVALID = rule(
    "NC907",
    "baseline-invalid",
    Severity.ERROR,
    "cannot use baseline {path}: {reason}",
    what="Reports a baseline file (`--baseline` or `baseline` in the configuration) that cannot "
    "be read or is not a notecheck baseline.",
    why="Without its baseline every known finding would be reported as new; with a silently "
    "ignored baseline a build would fail for reasons nobody can see.",
    example="`notecheck check --baseline notecheck-baseline.json` when the file was never written.",
    instead="`notecheck baseline edition/ --output notecheck-baseline.json` once, then commit it.",
)

UNMATCHED_ACCEPT = rule(
    "NC908",
    "unmatched-accept",
    Severity.INFO,
    "accepted finding {code} {fingerprint} no longer occurs; remove it from {path}",
    what="Reports an `[[accept]]` entry of the configuration whose code and fingerprint match no "
    "finding of this run (only for codes that are selected).",
    why="Accepted findings that were fixed long ago clutter the configuration and hide which "
    "decisions still matter.",
    example='`[[tool.notecheck.accept]]\\ncode = "NC401"\\nfingerprint = "0a1b2c3d4e5f6789"` after '
    "the citation was corrected.",
    instead="Delete the `[[accept]]` entry.",
)
