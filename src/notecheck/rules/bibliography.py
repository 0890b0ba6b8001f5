"""Rules NC2xx: the bibliography (parse failures, fields, duplicates, unused entries).

NC250-NC259 are reserved for the resolver's findings about the bibliography (unused entries).
"""

from notecheck.models import Severity
from notecheck.rules import rule

PARSE_ERROR = rule(
    "NC201",
    "bib-parse-error",
    Severity.ERROR,
    "this block could not be parsed and was skipped: {reason}",
    what="Reports a block of a BibTeX file that the parser could not read (an unclosed brace, a "
    "missing `=`, an entry cut off by the next `@`), with the parser's reason. For CSL-JSON, "
    "reports text that is not valid JSON or an item that is not an object with an `id`.",
    why="A block the parser cannot read is left out of the bibliography: every citation of the "
    "work it describes becomes a broken reference, and nothing else says why.",
    example="@book{wildman1967,\n  title = {The Making of a Workers' Revolution,\n  year = {1967}\n}",
    instead="@book{wildman1967,\n  title = {The Making of a Workers' Revolution},\n  year = {1967}\n}",
)

DUPLICATE_KEY = rule(
    "NC202",
    "duplicate-key",
    Severity.ERROR,
    "duplicate key {key!r}{detail}; the first definition (line {first_line}) is kept",
    what="Reports an entry (or `@string` macro, or CSL-JSON item id) whose key was already "
    "defined earlier in the file. Keys that differ only in case are duplicates too: BibTeX "
    "matches citation keys without regard to case.",
    why="Only one of the two entries can be cited; which one depends on the tool, and the other "
    "work silently disappears from the bibliography.",
    example="@book{stites1989, ...}\n@book{stites1989, ...}",
    instead="@book{stites1978, ...}\n@book{stites1989, ...}",
)

DUPLICATE_FIELD = rule(
    "NC203",
    "duplicate-field",
    Severity.ERROR,
    "field {field!r} is given more than once in {key!r}; the first value {kept!r} is kept",
    what="Reports an entry that gives the same field twice (also `journal` next to "
    "`journaltitle`, or `address` next to `location`, with different values). The parser drops "
    "such an entry entirely; notecheck keeps it with the first value of the field.",
    why="Which value wins differs between BibTeX, biber and other tools; a second `year` is "
    "usually a pasted-over entry whose other fields are mixed up too.",
    example="@book{graham1967, year = {1967}, year = {1976}, ...}",
    instead="@book{graham1967, year = {1967}, ...}",
)

MISSING_FIELD = rule(
    "NC204",
    "missing-field",
    Severity.ERROR,
    "@{entry_type} entry {key!r} lacks the required field{plural} {fields}",
    what="Reports an entry without the fields biblatex requires for its type: an author "
    "(or editor), a title and a year or date for most types; a `journaltitle` for @article, "
    "a `booktitle` for @incollection, a `type` and an `institution` for @thesis. An archival "
    "@misc entry (one with a `fond`) needs `archive` and `title`, not an author.",
    why="An entry without its author, title or year cannot be matched against a citation, and "
    "the printed bibliography is incomplete.",
    example="@article{zelnik1976, author = {Zelnik, Reginald E.}, title = {Russian Bebels}, year = {1976}}",
    instead="@article{zelnik1976, author = {Zelnik, Reginald E.}, title = {Russian Bebels}, "
    "journaltitle = {Russian Review}, year = {1976}}",
)

UNKNOWN_TYPE = rule(
    "NC205",
    "unknown-entry-type",
    Severity.WARNING,
    "unknown entry type @{entry_type} for {key!r}{hint}",
    what="Reports an entry type that neither biblatex nor classic BibTeX defines (nor, for "
    "CSL-JSON, the CSL specification). Classic types (`@phdthesis`, `@techreport`) are accepted "
    "and mapped onto the biblatex ones.",
    why="Styles print unknown types as @misc or not at all, and the required fields cannot be checked.",
    example="@boook{wildman1967, ...}",
    instead="@book{wildman1967, ...}",
)

MALFORMED_NAME = rule(
    "NC206",
    "malformed-name",
    Severity.ERROR,
    "malformed name in the {field} of {key!r}: {reason}",
    what="Reports a name list that cannot be split into persons the BibTeX way: too many commas "
    "in one name, a trailing comma, an unbalanced brace, an empty name between two `and`s, "
    "or (CSL-JSON) a name object without `family` or `literal`.",
    why="A wrongly split name puts a first name where the surname should be, so citations by "
    "surname no longer find the entry.",
    example="author = {Mehlinger, Howard D., Thompson, John M.}",
    instead="author = {Mehlinger, Howard D. and Thompson, John M.}",
)

INVALID_YEAR = rule(
    "NC207",
    "invalid-year",
    Severity.ERROR,
    "invalid {field} {value!r} in {key!r}: {reason}",
    what="Reports a `year` that is not a whole number of at most four digits, a `date` (or "
    "`origdate`, `urldate`, `eventdate`) that is not an ISO 8601 date or range, or a `month` "
    "outside 1-12.",
    why="The year is what tells two editions apart (Medvedev 1972 and 1989); a malformed year "
    "cannot be compared with the year of a citation.",
    example="year = {19867}",
    instead="year = {1986}",
)

MISSING_CROSSREF = rule(
    "NC208",
    "missing-crossref",
    Severity.ERROR,
    "{key!r} refers to {target!r} in its {field}, but no entry has that key",
    what="Reports a `crossref` (or `xref`) that names a key not defined in the bibliography.",
    why="The fields the entry was meant to inherit (the book title, the editors, the place and "
    "year) are missing, so the entry is incomplete.",
    example="@incollection{morison1986, crossref = {coquin1986}, ...}  % no coquin1986 entry",
    instead="Add the @collection entry coquin1986, or correct the key.",
)

UNDEFINED_STRING = rule(
    "NC209",
    "undefined-string",
    Severity.ERROR,
    "{field} of {key!r} uses the undefined @string macro {macro!r}; kept as literal text",
    what="Reports a bare word in a field value that is not a number, not a month abbreviation "
    "and not defined by an `@string`.",
    why="BibTeX prints an empty field (and bibtexparser keeps the macro's name as text), so "
    "the journal or publisher is lost or wrong.",
    example="journal = rusrev",
    instead="@string{rusrev = {Russian Review}} before the entry, or journal = {Russian Review}",
)

MISSING_COMMA = rule(
    "NC210",
    "missing-comma",
    Severity.ERROR,
    "missing comma before field {swallowed!r} in {key!r}: the parser read it as part of "
    "{field!r}; both fields were recovered",
    what="Reports two fields not separated by a comma. The parser does not fail: it reads the "
    "second field, name and all, as part of the first value (the title ends up inside the "
    "author). notecheck compares the entry's text with the parsed fields, reports the "
    "difference and recovers both fields.",
    why="The entry looks parsed but has no title, and its author value is garbage; nothing "
    "else would report it.",
    example="author = {Wildman, Allan K.}\n  title = {The Making of a Workers' Revolution},",
    instead="author = {Wildman, Allan K.},\n  title = {The Making of a Workers' Revolution},",
)

FIELDS_AFTER_BRACE = rule(
    "NC211",
    "fields-after-closing-brace",
    Severity.ERROR,
    "a stray closing brace ended {key!r} early; the parser dropped the field{plural} {fields} "
    "after it (recovered here)",
    what="Reports an entry closed too early by a `}` too many: the parser ends the entry there "
    "and silently skips the fields after it as comment text. notecheck finds those fields "
    "after the entry, reports them and adds them back.",
    why="The fields after the brace (often the year and place) vanish without any parser error.",
    example="title = {The Great Terror}},\n  year = {1968}",
    instead="title = {The Great Terror},\n  year = {1968}",
)

UNQUOTED_VALUE = rule(
    "NC212",
    "unquoted-value",
    Severity.ERROR,
    "{field} of {key!r} has text outside braces or quotes ({text!r}); taken literally",
    what="Reports a field value that is neither in braces, nor in quotes, nor a number, a "
    "macro name or a `#` concatenation of those: words written bare, or text after a value's "
    "closing brace.",
    why="BibTeX rejects such a value; bibtexparser keeps it as literal text, so the error "
    "shows only when the bibliography is typeset.",
    example="title = The Making of a Workers' Revolution,",
    instead="title = {The Making of a Workers' Revolution},",
)

NESTED_TOO_DEEPLY = rule(
    "NC213",
    "nested-too-deeply",
    Severity.ERROR,
    "{field} of {key!r} has braces nested {depth} deep inside its value; kept with its braces "
    "removed, LaTeX not decoded",
    what="Reports a field value whose braces nest deeper than notecheck decodes (200 levels), "
    "usually the result of a broken conversion or a runaway macro.",
    why="No real value nests that deep; the field's text is almost certainly damaged.",
    example="title = {{{{{{{{...}}}}}}}}",
    instead="title = {The Great Terror}",
)

BAD_KEY = rule(
    "NC214",
    "bad-entry-key",
    Severity.ERROR,
    "entry key {key!r} is {reason}",
    what="Reports an entry whose key is empty or contains whitespace or a character that "
    "BibTeX does not allow in keys (`,{}()\"#%'=\\`).",
    why="Such an entry cannot be cited: `\\cite` and the resolver can never name it.",
    example="@book{wildman 1967, ...}",
    instead="@book{wildman1967, ...}",
)

STRAY_TEXT = rule(
    "NC215",
    "entry-without-at",
    Severity.WARNING,
    "text outside any entry looks like an entry without its '@': {text!r}",
    what="Reports text between entries that has the shape of an entry (`book{key, title = ...`) "
    "but no `@`, so the parser treats it as a comment.",
    why="The entry silently does not exist; its citations become broken references.",
    example="book{davies1989,\n  title = {Soviet History in the Gorbachev Revolution}, ...}",
    instead="@book{davies1989,\n  title = {Soviet History in the Gorbachev Revolution}, ...}",
)

EMPTY_BIBLIOGRAPHY = rule(
    "NC216",
    "empty-bibliography",
    Severity.WARNING,
    "{path} contains no bibliography entries",
    what="Reports a bibliography file in which no entry at all was found (an empty file, a "
    "file of comments, or the wrong file).",
    why="Every citation would be reported as broken, hiding the real cause.",
    example="`notecheck check edition/ --bib notes.txt`",
    instead="`notecheck check edition/ --bib bibliography.bib`",
)

NOT_TEXT = rule(
    "NC217",
    "bibliography-not-text",
    Severity.ERROR,
    "{path} does not look like a text file ({reason}); no entries were read",
    what="Reports a bibliography file that is binary (NUL bytes or mostly control characters), "
    "such as a library database or a PDF given by mistake.",
    why="Reading it as text would yield nothing or garbage, and every citation would look broken.",
    example="`--bib zotero.sqlite`",
    instead="Export the library as BibTeX (.bib) or CSL-JSON (.json).",
)

INCOMPLETE_ARCHIVAL = rule(
    "NC218",
    "incomplete-archival-entry",
    Severity.ERROR,
    "archival entry {key!r} (fond {fond}) lacks {missing}",
    what="Reports a Russian-style archival entry (an entry with a `fond`) without its `opis` "
    "or without its storage unit (`delo` or `edkhr`).",
    why="Fond and opis and unit together name one file; without the opis or the unit, "
    "archival references cannot be matched to the entry and readers cannot order the file.",
    example="@misc{rtskhidni17, archive = {RTsKhIDNI}, fond = {17}, delo = {134977}, title = {...}}",
    instead="@misc{rtskhidni17, archive = {RTsKhIDNI}, fond = {17}, opis = {100}, delo = {134977}, "
    "title = {...}}",
)

CSL_FIELD_TYPE = rule(
    "NC219",
    "csl-invalid-value",
    Severity.ERROR,
    "CSL-JSON item {key!r}: {field} {reason}; the value was skipped",
    what="Reports a CSL-JSON variable whose value has the wrong JSON type (a title that is a "
    "list, a date that is not a date object, an author list that is not a list).",
    why="The value cannot be read into the entry, so the entry lacks it.",
    example='{"id": "graham1967", "issued": 1967}',
    instead='{"id": "graham1967", "issued": {"date-parts": [[1967]]}}',
)

UNUSED_ENTRY = rule(
    "NC250",
    "unused-entry",
    Severity.WARNING,
    "entry {key!r} is not cited in any note",
    what="Reports a bibliography entry that no citation of the checked notes resolves to (full, "
    "short, ibid., declared abbreviation or archival file), once every document is resolved. An "
    "entry named in the `crossref` or `xref` field of a cited entry counts as cited.",
    why="Either the entry is superfluous, or a citation of it was not recognised (a damaged "
    "short form, a missing full citation): both are worth an editor's look.",
    example="`@book{keep1976, ...}` when no note cites Keep's *The Russian Revolution*.",
    instead="Remove the entry, or cite the work (and check the citations reported as broken).",
)
