"""Rules NC5xx: archival references (format, house style, OCR damage, files)."""

from notecheck.models import Severity
from notecheck.rules import rule

DAMAGED_ABBREVIATION = rule(
    "NC501",
    "archival-damaged-abbreviation",
    Severity.ERROR,
    "`{printed}` is an OCR-damaged `{wanted}` ({field})",
    what="Reports an abbreviation of an archival reference that the OCR has damaged: `Ope` for "
    "`op.`, `11.` or `n.` for `ll.`, `1.` or `I.` for `l.`, `00. khr.` for `ed. khr.`. The field "
    "is known from its place in the reference, so the reading is certain and the fix is safe; the "
    "fix writes the house style's form (for leaves, `l.` or `ll.` by the number of leaves cited).",
    why="A damaged abbreviation is certainly wrong in print, and a reader (or a search) looking "
    "for `op. 100` or `l. 47` does not find it.",
    example="`RTsKhIDNI, f. 17, Ope 100, d. 134977, 1. 47`",
    instead="`RTsKhIDNI, f. 17, op. 100, d. 134977, l. 47`",
)

HOUSE_STYLE = rule(
    "NC502",
    "archival-house-style",
    Severity.WARNING,
    "`{printed}` differs from the house style `{wanted}` ({field})",
    what="Reports a valid abbreviation that is not the edition's house style. The house style "
    "comes from `archival-style` in the configuration, or else from the majority among the valid, "
    "canonical forms the edition uses (damaged forms never count), or else from the defaults "
    "`f.`, `op.`, `d.`, `ed. khr.`, `l.`, `ll.`, `ob.`.",
    why="An edition that writes `op.` here and `Op.` there looks careless and makes readers "
    "wonder whether two different things are meant.",
    example="`f. 17, Op. 100, d. 5` in an edition that otherwise writes `op.`",
    instead="`f. 17, op. 100, d. 5`",
)

LEAF_NUMBER = rule(
    "NC503",
    "archival-leaf-number",
    Severity.WARNING,
    "`{printed}` stands before {count}; write `{wanted}`",
    what="Reports `l.` (one leaf, *list*) before several leaves or a range, and `ll.` (several "
    "leaves, *listy*) before a single leaf.",
    why="The abbreviation tells the reader how much to look at; the wrong number contradicts "
    "the leaves that follow it.",
    example="`d. 134977, l. 3, 6, 9` or `ed. khr. 816, ll. 13`",
    instead="`d. 134977, ll. 3, 6, 9` and `ed. khr. 816, l. 13`",
)

FIELD_ORDER = rule(
    "NC504",
    "archival-field-order",
    Severity.WARNING,
    "`{printed}` ({field}) is out of order: the fields run fond, opis', unit, leaves",
    what="Reports an archival reference whose fields are out of the hierarchical order (fond, "
    "opis', delo or storage unit, leaves) or repeat a field. There is no automatic fix: which "
    "number belongs to which field needs the editor.",
    why="The order of the fields is the path through the archive; out of order, a reader may "
    "take an opis' number for a delo number.",
    example="`RGASPI, f. 17, d. 5, op. 100, l. 3`",
    instead="`RGASPI, f. 17, op. 100, d. 5, l. 3`",
)

MISSING_FIELD = rule(
    "NC505",
    "archival-missing-field",
    Severity.ERROR,
    "archival reference has no {field} before its {later}",
    what="Reports an archival reference that skips a level of the hierarchy: a delo without an "
    "opis', or leaves without a delo or storage unit. A reference that stops early (`f. 17` or "
    "`f. 17, op. 100` for a whole fond or opis') is not reported.",
    why="Without every level the file cannot be ordered in the reading room.",
    example="`RGASPI, f. 17, d. 134977, l. 47`",
    instead="`RGASPI, f. 17, op. 100, d. 134977, l. 47`",
)

LOST_SPACING = rule(
    "NC506",
    "archival-spacing",
    Severity.WARNING,
    "lost space in `{printed}`",
    what="Reports an archival reference whose spaces the OCR or the typesetter lost: after a "
    "comma (`124,op. 1`, `134977,1.47`), between an abbreviation and its number (`l.47`), or "
    "inside an abbreviation (`ed.khr.`). The fix inserts the space.",
    why="Run-together fields are hard to read and defeat searches for `op. 1` or `l. 47`.",
    example="`RTsKhIDNI, f. 124,op. 1, ed. khr. 816, l.5`",
    instead="`RTsKhIDNI, f. 124, op. 1, ed. khr. 816, l. 5`",
)

UNIT_KIND = rule(
    "NC507",
    "archival-unit-kind",
    Severity.WARNING,
    "fond {fond} is cited with `{printed}` here but with `{other}` {count} time(s) elsewhere",
    what="Reports a fond whose files are cited with a different kind of unit than elsewhere in "
    "the edition: `d.` (delo) in one place, `ed. khr.` (storage unit) in another. The minority "
    "form is reported, without a fix: only the archive's inventory says which is right.",
    why="A fond is described with one kind of unit; a switch usually means a wrong fond number "
    "or a wrong unit, and either way the reader orders the wrong file.",
    example="`f. 124, op. 1, ed. khr. 816` in one note and `f. 124, op. 1, d. 816` in another",
    instead="`f. 124, op. 1, ed. khr. 816` in both",
)

BACKWARDS_RANGE = rule(
    "NC508",
    "archival-backwards-range",
    Severity.ERROR,
    "leaf range `{printed}` runs backwards",
    what="Reports a leaf range whose end is before its start (after expanding an abbreviated "
    "end such as `125-7`). There is no automatic fix: the digits may be swapped or mistyped.",
    why="A backwards range is impossible; the reader cannot tell which leaves are meant.",
    example="`d. 134977, ll. 22-18`",
    instead="`d. 134977, ll. 18-22`",
)

MISSING_COMMA = rule(
    "NC509",
    "archival-missing-comma",
    Severity.WARNING,
    "missing comma before `{printed}`",
    what="Reports two fields of an archival reference with no comma between them. The fix inserts the comma.",
    why="The comma separates the levels of the reference; without it `op. 1 d. 5` reads as one field.",
    example="`RGASPI, f. 17, op. 100 d. 5`",
    instead="`RGASPI, f. 17, op. 100, d. 5`",
)
