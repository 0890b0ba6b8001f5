"""Rules NC4xx: resolution (full, short, ibid, declared abbreviations, cross-references)."""

from notecheck.models import Severity
from notecheck.rules import rule

CITE_KEY_UNKNOWN = rule(
    "NC480",
    "cite-key-unknown",
    Severity.ERROR,
    "\\cite key {key!r} is not in the bibliography{hint}",
    what="Reports a key of a LaTeX `\\cite` (`\\autocite`, `\\footcite`, ...) inside a note "
    "that no bibliography entry has.",
    why="LaTeX prints the missing key in bold or as `[?]` instead of the citation: the reader "
    "cannot find what is cited.",
    example="`\\footnote{See \\cite{zelnik1968}.}` when the bibliography has `zelnik1986`.",
    instead="Correct the key (`\\cite{zelnik1986}`) or add the entry to the bibliography.",
)

UNKNOWN_REFERENCE = rule(
    "NC401",
    "unknown-reference",
    Severity.ERROR,
    "{form} {text!r} matches no bibliography entry{hint}",
    what="Reports a short form (`Author, Short Title, page`, a bare title, a declared "
    "abbreviation) that matches no entry: not a declared abbreviation, not a configured alias, "
    "not an entry's `shorttitle` or title, not the prefix of a title by the named author. When "
    "the words are OCR damage of a known short form (`Bol'shevild` for `Bol'sheviki`) the closest "
    "entries are suggested; when exactly one is close, a safe fix prints the declared or short "
    "form instead.",
    why="The reader cannot find the work cited; an editor has to restore the title or add the entry.",
    example="`Bol'shevild, 324.` when the bibliography has *Bol'sheviki* (`shorttitle = {Bol'sheviki}`).",
    instead="`Bol'sheviki, 324.`",
)

MISSING_ENTRY = rule(
    "NC402",
    "full-citation-not-in-bibliography",
    Severity.ERROR,
    "{text!r} is cited in full but the bibliography has no entry for it; add {entry}",
    what="Reports a full citation (author, title, publication data) that matches no entry by "
    "surname, title and year, even fuzzily. The message carries a BibTeX entry built from the "
    "parsed fields; `notecheck suggest-bib` prints all of them.",
    why="Every later short form and ibid. of the work is unresolvable, and the bibliography is incomplete.",
    example="`Loren R. Graham, The Soviet Academy of Sciences ... (Princeton, 1967), 69.` with no "
    "`graham1967` entry.",
    instead="Add the suggested entry: `@book{graham1967, author = {Graham, Loren R.}, title = "
    "{The Soviet Academy of Sciences ...}, location = {Princeton}, year = {1967}}`.",
)

ENTRY_DISAGREES = rule(
    "NC403",
    "citation-disagrees-with-entry",
    Severity.WARNING,
    "the {part} of this full citation ({cited}) disagrees with entry {key!r} ({listed})",
    what="Reports a full citation matched to an entry whose year, place, title or author clearly "
    "differs from the entry's. An OCR-damaged word (`Politicheslde` for `Politicheskie`) or glued "
    "words (`TheBolsheviks`) are OCR findings, not disagreements: the title must really differ.",
    why="Either the note or the bibliography is wrong (a different edition, a typo in the year); "
    "readers looking for the work may find the wrong one.",
    example="`Robert Conquest, The Great Terror (New York, 1986), 88.` when the entry has `year = {1968}`.",
    instead="`Robert Conquest, The Great Terror (New York, 1968), 88.`, or correct the entry.",
)

IBID_WITHOUT_ANTECEDENT = rule(
    "NC404",
    "ibid-without-antecedent",
    Severity.ERROR,
    "ibid. {where}: there is no source for it to repeat",
    what="Reports an *ibid.* in the first note, or at the start of a note whose previous note "
    "cites no source (commentary only, or only a cross-reference).",
    why="*Ibid.* repeats the source of the citation just before it (Chicago 14.34); with none, "
    "the reader cannot tell what is cited.",
    example="`80. The text of the letter is included in Document 3.`\n`81. Ibid., 12.`",
    instead="Cite the work in full or in short form: `81. A Radical Worker, 12.`",
)

AMBIGUOUS_IBID = rule(
    "NC405",
    "ambiguous-ibid",
    Severity.WARNING,
    "ibid. follows note {number}, which cites {count} works; taken as {chosen} ({reason}), "
    "but it could be any of {candidates}",
    what="Reports an *ibid.* at the start of a note whose previous note cites several works. The "
    "best-supported guess is kept as the key — leaves (`l.`, `ll.`) point to an archival file, "
    "pages to a printed work, and otherwise the work cited last — and all the works are listed "
    "as candidates.",
    why="Chicago 14.34: *ibid.* is never used after a note with more than one source, because the "
    "reader cannot tell which one it repeats.",
    example="`29. ... see Reabilitatsiia, ..., 149-150; Daniels, The Conscience of the "
    "Revolution, ..., 317-320.`\n`30. ... Ibid., 371.`",
    instead="`30. ... Daniels, Conscience of the Revolution, 371.`",
)

ARCHIVE_IBID_GAP = rule(
    "NC406",
    "archive-ibid-across-notes",
    Severity.WARNING,
    "archive-level ibid. takes its repository ({archive}) from note {number}, across {between}",
    what="Reports an archive-level *ibid.* (`Ibid., f. 124, op. 1, ...`) whose repository comes "
    "from an archival citation further back than the previous note: the notes in between cite "
    "no archival reference.",
    why="The reader has to search back past unrelated notes to learn which archive is meant.",
    example="`79. RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47.`\n`80. (commentary)`\n"
    "`81. Ibid., f. 124, op. 1, ed. khr. 816, ll. 15-17.`",
    instead="`81. RTsKhIDNI, f. 124, op. 1, ed. khr. 816, ll. 15-17.`",
)

SHORT_BEFORE_FULL = rule(
    "NC407",
    "short-form-before-full-citation",
    Severity.WARNING,
    "short form {text!r} of {key!r} comes {when}",
    what="Reports a short form of a work used before the work's first full citation, or before "
    "the note that declares its abbreviation. A work cited only in short form (a style that relies "
    "on the bibliography, Chicago 14.29) is not reported.",
    why="A short form assumes the reader has seen the full citation; before it, the reader has "
    "nothing to expand the short form with.",
    example="`3. Wildman, The Making, 110.` ... `11. Allan K. Wildman, The Making of a Workers' "
    "Revolution (Chicago, 1967), 110.`",
    instead="Give the full citation at the first mention and short forms after it.",
)

INCONSISTENT_SHORT_FORM = rule(
    "NC408",
    "inconsistent-short-form",
    Severity.WARNING,
    "short form {text!r} of {key!r} differs from {first!r} used in note {number}",
    what="Reports a short form whose title differs from the short form (or declared abbreviation) "
    "used earlier for the same work. Spaces lost by OCR (`OtherBolsheviks`) do not count.",
    why="Two short forms for one work make readers wonder whether two works are meant.",
    example="`Conquest, The Great Terror, 82.` ... `Conquest, Great Terror, 137.`",
    instead="`Conquest, The Great Terror, 137.`",
)

AMBIGUOUS_REFERENCE = rule(
    "NC409",
    "ambiguous-reference",
    Severity.WARNING,
    "{text!r} could be any of {candidates}; {choice}",
    what="Reports a citation that matches several entries (two editions with the same short "
    "title, two works by one author after `op. cit.`, two files of one fond) when neither the "
    "notes nor the configuration say which is meant. A note that declares the edition (`My "
    "citations below are to the 1972 edition.`) or an alias in the configuration settles it, and "
    "then nothing is reported.",
    why="The resolver never picks silently: a guess that looks resolved would hide a wrong page reference.",
    example="`Medvedev, Let History Judge, 166.` with entries for the 1972 and the 1989 edition.",
    instead="Declare the edition in the notes (`My citations below are to the 1972 edition.`) or "
    "map the short form in the configuration: `[tool.notecheck.aliases]` "
    '`"Let History Judge" = "medvedev1972"`.',
)

CROSSREF_NOTE = rule(
    "NC410",
    "cross-reference-to-missing-note",
    Severity.ERROR,
    "cross-reference to note {number}{direction}: {problem}",
    what="Reports a cross-reference (`see note 72 below`, `as noted above (note 6)`) to a note "
    "that does not exist, or that is on the other side of the citing note than the direction "
    "says.",
    why="The reader follows the reference and finds nothing, or the wrong note.",
    example="`19. On Gastev, see note 72 above.` (note 72 comes after note 19)",
    instead="`19. On Gastev, see note 72 below.`",
)

CROSSREF_DOCUMENT = rule(
    "NC411",
    "cross-reference-to-missing-document",
    Severity.ERROR,
    "cross-reference to {kind} {number}: the edition has no such section{known}",
    what="Reports a cross-reference to a document of the edition (`see Document 3`) that is not "
    "one of the edition's sections.",
    why="The reader cannot find the document referred to.",
    example="`See Document 4.` in an edition with Documents 1-3.",
    instead="`See Document 3.`",
)

UNKNOWN_ARCHIVAL_FILE = rule(
    "NC412",
    "archival-file-not-in-bibliography",
    Severity.ERROR,
    "archival reference {text!r} matches no bibliography entry{hint}",
    what="Reports an archival reference (repository, fond, opis', unit — or a non-Russian "
    "collection) that matches no entry of the bibliography, with the closest files as "
    "suggestions (a one-digit typo in a delo number is one edit away).",
    why="The file cannot be listed in the archival summary and the reader cannot tell whether "
    "the numbers are right.",
    example="`RTsKhIDNI, f. 17, op. 100, d. 134978, l. 47` when the file is d. 134977.",
    instead="`RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47`, or add the file to the bibliography.",
)

UNRESOLVED_DECLARATION = rule(
    "NC413",
    "unresolved-declared-abbreviation",
    Severity.ERROR,
    "abbreviation {abbreviation!r} is declared for a work the bibliography does not have{hint}",
    what="Reports an abbreviation declared in a note (`Hereafter I cite the typescript as X`, "
    "`(henceforth X)`) whose work matches no bibliography entry, so none of its uses resolve.",
    why="Every later use of the abbreviation points at nothing.",
    example="`Hereafter I cite the diary as Dnevnik.` with no diary in the bibliography.",
    instead="Add the work's entry (with `shorttitle = {Dnevnik}`), or cite it in full once.",
)

OP_CIT_WITHOUT_WORK = rule(
    "NC414",
    "op-cit-without-antecedent",
    Severity.ERROR,
    "{convention} {where}: no earlier citation to refer to",
    what="Reports `op. cit.` or `loc. cit.` after an author none of whose works has been cited "
    "before, and `idem` with no earlier citation naming an author.",
    why="These conventions refer back to a work already cited; without one the reader cannot "
    "tell what is meant.",
    example="`2. Smith, op. cit., 44.` when no work by Smith is cited in note 1 or before.",
    instead="Give the short form: `2. Smith, Moral Communities, 44.`",
)
