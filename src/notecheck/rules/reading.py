"""Rules NC1xx: reading the edition (files, encodings, note numbers, debris, note calls)."""

from notecheck.models import Severity
from notecheck.rules import rule

UNREADABLE = rule(
    "NC101",
    "binary-input",
    Severity.ERROR,
    "{path} does not look like text ({reason}); no notes were read from it",
    what="Reports an input file that is not text: NUL bytes or mostly control characters.",
    why="A binary file (a PDF, an image, a .doc) named as an edition would otherwise be checked "
    "as if it were empty, and a missing edition would pass silently.",
    example="`notecheck check scan.pdf`",
    instead="Point notecheck at the text, Markdown, TEI, LaTeX or .docx file of the edition.",
)

ENCODING_FALLBACK = rule(
    "NC102",
    "encoding-fallback",
    Severity.WARNING,
    "{path} is not valid UTF-8 (first bad byte 0x{byte:02x}); read as {encoding}",
    what="Reports a file that is not valid UTF-8 and was decoded with a fallback encoding "
    "(cp1252, then latin-1). The position is the first undecodable byte.",
    why="A wrongly decoded file turns accented names into mojibake that no bibliography entry "
    "matches; the editor should know which encoding was assumed.",
    example="A file saved as Windows-1252 with `Gol\\xe9denberg`.",
    instead="Save the edition as UTF-8.",
)

NO_NOTES = rule(
    "NC103",
    "no-notes",
    Severity.WARNING,
    "no endnotes found in {path}",
    what="Reports an input file in which the reader found no numbered note at all.",
    why="An edition without notes is almost always the wrong file or a format the reader did "
    "not recognise; checking it would report nothing and look like success.",
    example="A file holding only body text, or notes numbered in a way the reader cannot see.",
    instead="Check the file that holds the notes, numbered `1.`, `1)` or `[1]` at line starts.",
)

NUMBER_GAP = rule(
    "NC104",
    "note-number-gap",
    Severity.ERROR,
    "{missing} missing: the notes go from {before} to {after}",
    what="Reports numbers missing from the sequence of notes: `3.` followed by `5.`, or a first "
    "note numbered higher than 1. The position is the label of the note after the gap.",
    why="A missing number means a note was lost (in OCR, in an edit, in a merge) or the notes were "
    "renumbered wrongly; every note call after the gap may now point at the wrong note.",
    example="```\n3. Medvedev, Let History Judge, 408.\n5. RTsKhIDNI, f. 17, op. 100, d. 134977.\n```",
    instead="Restore the missing note, or renumber the notes and their calls consistently.",
)

NUMBER_DUPLICATE = rule(
    "NC105",
    "note-number-duplicate",
    Severity.ERROR,
    "note {number} is numbered twice (the first is on line {first_line})",
    what="Reports a note that carries the same number as an earlier note.",
    why="A call to that number can only lead to one of the two notes; the other one's citations "
    "are unreachable, and the numbers after it are usually off by one.",
    example="```\n12. A Radical Worker, 99.\n12. So much for the notion...\n```",
    instead="Renumber the second note (and the notes and calls after it), or merge the two.",
)

NUMBER_OUT_OF_ORDER = rule(
    "NC106",
    "note-number-out-of-order",
    Severity.ERROR,
    "note {number} is out of order: it follows {previous}",
    what="Reports a note whose number does not fit the increasing order of the notes around it "
    "(`1. 2. 7. 4.`). When its neighbours leave exactly one number free, an unsafe fix proposes "
    "that number.",
    why="Readers find a note by its number; a note out of order is either misnumbered (often an "
    "OCR misreading) or misplaced, and its call points elsewhere.",
    example="```\n2. Ibid., 387-91.\n7. Medvedev, Let History Judge, 408.\n4. RTsKhIDNI, f. 17.\n```",
    instead="Give the note the number its position calls for (`3.`), or move it to its place.",
)

NUMBER_DAMAGED = rule(
    "NC107",
    "note-number-damaged",
    Severity.ERROR,
    "note number printed as '{label}' is read as {number}",
    what="Reports a note label whose characters are OCR misreadings of digits (`s.` for `5.`, "
    "`l2.` for `12.`). The reading is the number the sequence expects at that place, so the fix "
    "(replacing exactly the label) is safe.",
    why="A damaged label is not a number: tools that number notes by their labels lose the note, "
    "and a reader cannot find it from its call.",
    example="```\n4. The archival material...\ns.\nIn a personal statement...\n6. I exclude...\n```",
    instead="`5.`",
)

EMPTY_NOTE = rule(
    "NC108",
    "note-empty",
    Severity.WARNING,
    "note {number} has no text",
    what="Reports a note whose label is followed by nothing before the next note (debris lines aside).",
    why="An empty note usually means its text was lost or attached to the neighbouring note, so "
    "a citation may be read under the wrong number.",
    example="```\n7.\n8. A Radical Worker, 34.\n```",
    instead="Restore the note's text, or remove the note and its call.",
)

SKIPPED_DEBRIS = rule(
    "NC109",
    "skipped-debris",
    Severity.INFO,
    "'{text}' left out of {where}: {reason}",
    what="Lists each piece of text the reader left out of the notes: short lines of OCR debris "
    "(quote-mark residue such as `If`, `tI`, `II`, `l` between or inside notes) and text between "
    "the notes heading and the first note.",
    why="Nothing the reader drops should vanish silently: an editor can check that each skipped "
    "piece really is debris and not part of a citation.",
    example="```\n6. ... Hereafter I cite the typescript as Avtobiografiia.\nIf\n7.\n```",
    instead="Delete the debris lines from the text (or ignore NC109 for raw OCR).",
)

CALL_OUT_OF_SEQUENCE = rule(
    "NC110",
    "note-call-out-of-sequence",
    Severity.WARNING,
    "note call {number} is out of sequence: {context}",
    what="Reports a note call in the body (a number glued to a word or punctuation, or standing "
    "after a sentence end) that does not fit the increasing order 1, 2, 3, ... of the other calls.",
    why="Calls must appear in note order; a call out of sequence points the reader at the wrong "
    "note, or is a number that was meant as something else. It needs an editor's judgment.",
    example="`... an intelligentka.14 ... in the Perm prison.9 ...` between calls 14 and 16.",
    instead="Correct the call's number, or mark the number as ordinary text.",
)

NOTES_WITHOUT_CALL = rule(
    "NC111",
    "notes-without-call",
    Severity.INFO,
    "no recognisable call in the body for {count} of {total} notes: {numbers}",
    what="Lists, in one finding, the notes for which no call was found in the body text. In OCR "
    "text most calls are superscripts that OCR turned into quote marks, `!`, `?` or `'`; the "
    "list shows which notes a reader cannot reach by their call.",
    why="A note without a call is either uncalled (an editing error) or its call is unreadable; "
    "both mean a reader of the text cannot find the note. One summary, not one finding per note, "
    "because in raw OCR the list is long and is a property of the scan, not of each note.",
    example="`... a natural death.'` where the call `2` became an apostrophe.",
    instead="Restore the calls (`a natural death.2`) so each note is called once, in order.",
)

# --- NC150-NC179: input formats (Markdown, TEI XML, Word .docx, LaTeX) ---------------------------

FOOTNOTE_UNDEFINED = rule(
    "NC150",
    "footnote-reference-undefined",
    Severity.ERROR,
    "footnote reference [^{label}] has no definition",
    what="Reports a pandoc footnote reference `[^label]` in the body of a Markdown file for which "
    "no definition `[^label]: ...` exists.",
    why="pandoc prints an undefined reference literally, so the reader sees `[^12]` and no note: "
    "the citation it should carry is missing from the edition.",
    example="`as Kanatchikov recalled.[^12]` with no line starting `[^12]:`.",
    instead="Add the definition `[^12]: Zelnik, *Radical Worker*, 45.` or correct the label.",
)

FOOTNOTE_UNUSED = rule(
    "NC151",
    "footnote-definition-unused",
    Severity.WARNING,
    "footnote definition [^{label}] is never referenced; pandoc leaves it out",
    what="Reports a pandoc footnote definition `[^label]: ...` that no reference in the body calls. "
    "Its text is kept in the report's skipped spans, not read as a note.",
    why="pandoc silently drops an unreferenced note, so its citation never reaches the reader; "
    "usually the reference was deleted or its label mistyped.",
    example="`[^7]: Ibid., 45.` with no `[^7]` in the text.",
    instead="Call the note from the text with `[^7]`, or delete the definition.",
)

FOOTNOTE_DUPLICATE = rule(
    "NC152",
    "footnote-label-duplicate",
    Severity.ERROR,
    "footnote label [^{label}] is defined again (first defined on line {first_line}); this "
    "definition is ignored",
    what="Reports a second pandoc footnote definition with a label already defined. The first "
    "definition is read as the note; the later one is kept in the skipped spans.",
    why="Only one of the two texts can be printed for the reference, and which one depends on the "
    "tool: one of the citations silently disappears.",
    example="Two lines starting `[^3]:` in the same file.",
    instead="Give each note its own label (`[^3]`, `[^4]`) and call each from the text.",
)

XML_UNSAFE = rule(
    "NC153",
    "xml-unsafe",
    Severity.ERROR,
    "{part} declares {what}; notecheck does not expand entities or load external resources, so "
    "the file was not read",
    what="Reports an XML file (TEI, or a part of a .docx) whose DTD declares entities: internal "
    "entities (the 'billion laughs' expansion bomb) or external ones (which would read local files "
    "or fetch URLs). notecheck refuses such files instead of expanding or fetching anything.",
    why="Entity expansion can make a few kilobytes of XML grow to gigabytes, and an external "
    "entity can disclose files on the checking machine or reach the network. A checker run in CI "
    "must be safe on any input.",
    example='`<!DOCTYPE TEI [<!ENTITY lol "lol"> ...]>` or `<!ENTITY xxe SYSTEM "file:///etc/passwd">`.',
    instead="Write the characters themselves (UTF-8) or numeric character references such as "
    "`&#8211;`, and drop the internal DTD subset.",
)

XML_MALFORMED = rule(
    "NC154",
    "xml-malformed",
    Severity.ERROR,
    "{part} is not well-formed XML ({reason}); {consequence}",
    what="Reports XML that the parser cannot read: unclosed or mismatched tags, an undefined "
    "entity, bad characters. The position is where the parser stopped.",
    why="An XML processor must stop at the first well-formedness error, so every note after it "
    "would silently go unchecked.",
    example='`<note n="3">Zelnik, <title>Radical Worker</note>`',
    instead="Close every element and escape `&` as `&amp;` and `<` as `&lt;`.",
)

DOCX_CORRUPT = rule(
    "NC155",
    "docx-corrupt",
    Severity.ERROR,
    "{path} cannot be read as a Word .docx file: {reason}",
    what="Reports a .docx file that is not a zip archive (an old binary .doc, a renamed PDF), a "
    "damaged archive, or one without the main document part `word/document.xml`.",
    why="notecheck could not read any note from it; checking it would otherwise report nothing "
    "and look like success.",
    example="A `.doc` file renamed to `.docx`; a download cut short.",
    instead="Save the edition from Word as 'Word Document (.docx)' and check that file.",
)

DOCX_TOO_LARGE = rule(
    "NC156",
    "docx-too-large",
    Severity.ERROR,
    "{path} was not read: {reason} (a 'zip bomb' guard)",
    what="Reports a .docx archive whose parts would expand beyond notecheck's limits: a part "
    "larger than 64 MiB uncompressed, a compression ratio above 200 to 1 on a part over 1 MiB, "
    "or more than 256 MiB in all the parts notecheck reads.",
    why="A small archive can expand to gigabytes ('zip bomb') and exhaust the memory of the "
    "machine running the check; no real edition comes near these limits.",
    example="A 40 KB .docx whose `word/endnotes.xml` claims 4 GB.",
    instead="Check the real edition file; if a genuine file hits a limit, split the document.",
)

LATEX_UNCLOSED_NOTE = rule(
    "NC157",
    "latex-note-unclosed",
    Severity.ERROR,
    "\\{command} argument is never closed; the note was read up to {until}",
    what="Reports a `\\footnote{` or `\\endnote{` whose closing brace is missing. The note is read "
    "up to the next blank line (or the end of the file).",
    why="LaTeX would swallow the rest of the document into the note ('Runaway argument'); the "
    "note's real end is unknown, so its citations may be cut or run together.",
    example="`\\footnote{Zelnik, \\emph{Radical Worker}, 45.` with no `}`.",
    instead="Close the argument: `\\footnote{Zelnik, \\emph{Radical Worker}, 45.}`",
)

LATEX_UNKNOWN_COMMAND = rule(
    "NC158",
    "latex-command-unknown",
    Severity.INFO,
    "\\{command} inside a note is not a command notecheck knows; it was read as its arguments' text",
    what="Reports a LaTeX command inside a note that notecheck cannot reduce to plain text with "
    "certainty. The command name is dropped and the text of its braced arguments is kept.",
    why="A macro of the edition's own (`\\RGASPI`, `\\Kan`) may print text that notecheck cannot "
    "see, so a citation built from it may be read incompletely.",
    example="`\\footnote{\\archive{17}, op. 100, d. 134977.}`",
    instead="Nothing, if the command only formats its argument; otherwise write the text out.",
)

XML_ENTITY_UNEXPANDED = rule(
    "NC159",
    "xml-entity-unexpanded",
    Severity.WARNING,
    "entity &{name}; is declared only in an external DTD, which notecheck does not load; it was "
    "read as written",
    what="Reports a named entity reference (`&nbsp;`, `&mdash;`) in an XML file whose DTD is "
    "external. notecheck never loads external DTDs, so the reference stays in the note as written.",
    why="The character the entity stands for is unknown to notecheck, so a citation containing it "
    "(a dash in a page range, a space) may be read wrongly.",
    example='`<!DOCTYPE TEI SYSTEM "tei_all.dtd">` and `387&ndash;91` in a note.',
    instead="Write the character itself or a numeric reference: `387–91` or `387&#8211;91`.",
)

DOCX_NOTE_UNCALLED = rule(
    "NC160",
    "docx-note-uncalled",
    Severity.WARNING,
    "{kind} {id} in {part} is never called from the document text; Word does not print it",
    what="Reports a footnote or endnote of a .docx notes part that no reference in "
    "`word/document.xml` calls. It is read as a note without a number.",
    why="Word prints only the notes the text calls; an orphaned note is usually left over from "
    "an edit, and its citation is not in the printed edition.",
    example="An endnote whose reference mark was deleted with the sentence around it.",
    instead="Delete the orphaned note, or insert its reference again in the text.",
)

DOCX_NOTE_MISSING = rule(
    "NC161",
    "docx-note-missing",
    Severity.ERROR,
    "paragraph {paragraph} of word/document.xml calls {kind} {id}, which {part} does not contain",
    what="Reports a footnote or endnote reference in `word/document.xml` whose note is missing "
    "from the notes part.",
    why="Word shows an empty or broken note: whatever the note should cite is not in the file.",
    example="A .docx assembled by a script that wrote the reference but not the endnote.",
    instead="Recreate the note in Word (References > Insert Endnote).",
)

DOCX_MIXED_NOTES = rule(
    "NC162",
    "docx-footnotes-and-endnotes",
    Severity.INFO,
    "{path} has both endnotes and footnotes; the footnotes' lines continue after the endnotes' "
    "(footnotes part paragraph 1 is line {first_line})",
    what="Reports a .docx with notes in both `word/endnotes.xml` and `word/footnotes.xml`. Both "
    "are read; lines count the endnotes part's paragraphs first, then the footnotes part's.",
    why="The contract numbers .docx lines by paragraph within the notes part; with two parts the "
    "footnotes' line numbers are offset, and the two series are numbered separately by Word.",
    example="An edition with endnotes for citations and footnotes for translator's remarks.",
    instead="Nothing to change if intended; read footnote positions with the offset in mind.",
)
