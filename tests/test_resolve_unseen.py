"""The resolver on forms the unseen editions' probes showed it missed: a volume of a multi-volume
work cited by the work's title (biblatex ``maintitle``)."""

from __future__ import annotations

from pathlib import Path

from notecheck.baseline import Baseline
from notecheck.config import Config
from notecheck.pipeline import check

VOLUMES = (
    "@book{davies1980, author = {Davies, R. W.}, maintitle = {The Industrialisation of Soviet Russia},"
    " volume = {1}, title = {The Socialist Offensive: The Collectivisation of Soviet Agriculture, 1929--1930},"
    " shorttitle = {Socialist Offensive}, location = {London}, year = {1980}}\n"
    "@book{davies1989, author = {Davies, R. W.}, maintitle = {The Industrialisation of Soviet Russia},"
    " volume = {3}, title = {The Soviet Economy in Turmoil, 1929--1930},"
    " shorttitle = {Soviet Economy in Turmoil}, location = {Cambridge, Mass.}, year = {1989}}\n"
)


def _keys(tmp_path: Path, notes: str) -> tuple[list[str | None], list[str]]:
    edition = tmp_path / "notes.txt"
    edition.write_text("Notes\n" + notes, encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(VOLUMES, encoding="utf-8")
    report = check([edition], bib, Config(root=tmp_path), baseline=Baseline())
    (document,) = report.documents
    assert document.parsed is not None
    keys = [document.resolution.of(c).key for c in document.parsed.all_citations()]
    codes = [d.code for d in report.active_diagnostics() if d.code != "NC250"]
    return keys, codes


def test_a_volume_cited_by_the_works_title_resolves_to_that_volume(tmp_path: Path) -> None:
    keys, codes = _keys(
        tmp_path,
        "1. R. W. Davies, The Industrialisation of Soviet Russia, vol. 3, The Soviet Economy in Turmoil,"
        " 1929-1930 (Cambridge, Mass., 1989), 210.\n"
        "2. Davies, Soviet Economy in Turmoil, 215.\n"
        "3. R. W. Davies, The Industrialisation of Soviet Russia, vol. 1, The Socialist Offensive"
        " (London, 1980), 20.\n",
    )
    assert keys == ["davies1989", "davies1989", "davies1980"]
    assert codes == []


def test_the_works_title_with_a_year_of_neither_volume_is_reported(tmp_path: Path) -> None:
    keys, codes = _keys(
        tmp_path, "1. R. W. Davies, The Industrialisation of Soviet Russia (London, 1975), 20.\n"
    )
    assert keys[0] in ("davies1980", "davies1989", None)
    assert codes and set(codes) <= {"NC402", "NC403", "NC409"}


def test_a_surname_whose_in_the_ocr_read_as_m_is_the_author(tmp_path: Path) -> None:
    edition = tmp_path / "notes.txt"
    edition.write_text(
        "Notes\n1. Stephen Kotkin, Magnetic Mountain: Stalinism as a Civilization (Berkeley, 1995), 72.\n"
        "2. Kotkm, Magnetic Mountain, 82.\n3. Ibid., 83.\n4. Kotlin, Magnetic Mountain, 84.\n",
        encoding="utf-8",
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{kotkin1995, author = {Kotkin, Stephen}, title = {Magnetic Mountain: Stalinism as a"
        " Civilization}, shorttitle = {Magnetic Mountain}, location = {Berkeley}, year = {1995}}\n",
        encoding="utf-8",
    )
    report = check([edition], bib, Config(root=tmp_path), baseline=Baseline())
    (document,) = report.documents
    assert document.parsed is not None
    keys = [document.resolution.of(c).key for c in document.parsed.all_citations()]
    # "Kotlin" is another name, not OCR damage of this one
    assert keys == ["kotkin1995", "kotkin1995", "kotkin1995", None]
    assert [(d.code, d.note) for d in report.active_diagnostics()] == [("NC401", 4)]
