"""The renderer base every PDF uses: bookmarks and contents links, header and footer on every
page, wrapped table columns, metadata, progress and cancel, same bytes for the same data."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from provider_desk.pdf.render import Renderer
from provider_desk.progress import Cancelled

LONG = "A very long description that would run into the next column if it were not wrapped " * 3


class Sample(Renderer):
    title = "Sample report"
    subject = "What the renderer base does"
    contents = True

    def story(self) -> list[Any]:
        out: list[Any] = [self.para("Sample", "title"), self.contents_table()]
        for n in range(1, 4):
            out.append(self.heading(f"Section {n}"))
            out.append(self.heading(f"Part {n}.1", 1))
            out.append(
                self.table(
                    ["Reference", "Category", "Summary"],
                    [[f"C-{n}{i:03}", "Care and support", LONG] for i in range(30)],
                    [1, 1.3, 4],
                )
            )
        return out


def _render(tmp_path: Path, name: str, created: dt.datetime) -> Path:
    r = Sample(
        author="Meadowbank Home Care",
        footer="Printed 3 Dec 2026",
        confidential="Confidential",
        created=created,
    )
    return r.render(tmp_path / name)


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_outline_contents_and_every_page_decorated(tmp_path: Path) -> None:
    pdf = _render(tmp_path, "a.pdf", dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta is not None and meta.title == "Sample report"
    assert meta.author == "Meadowbank Home Care" and meta.subject == "What the renderer base does"
    top = [o for o in reader.outline if not isinstance(o, list)]
    assert [o.title for o in top] == ["Section 1", "Section 2", "Section 3"]
    assert [o.title for o in reader.outline[1]] == ["Part 1.1"]  # nested under its section
    pages = len(reader.pages)
    assert pages >= 4
    text = _text(pdf)
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    assert text.count("Confidential") == pages and text.count("Printed 3 Dec 2026") == pages
    # The contents list each section with the page it starts on, as a link to it.
    first_page_links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    assert len([a for a in first_page_links if a.get("/Subtype") == "/Link"]) >= 6
    section_2 = next(o for o in top if o.title == "Section 2")
    assert re.search(rf"Section 2\W+{reader.get_destination_page_number(section_2) + 1}\b", text)


def test_table_columns_wrap_and_never_overlap(tmp_path: Path) -> None:
    text = _text(_render(tmp_path, "a.pdf", dt.datetime(2026, 12, 3, tzinfo=dt.UTC)))
    # The category column keeps its words apart from the summary's (no text over text).
    rows = [line for line in text.splitlines() if "C-1001" in line]
    assert rows and "Care and support" in rows[0] and "A very long description" in rows[0]
    assert "supportA" not in text and "support A very" not in text.replace("  ", "|")


def test_same_data_same_bytes_apart_from_the_date(tmp_path: Path) -> None:
    one = _render(tmp_path, "1.pdf", dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)).read_bytes()
    two = _render(tmp_path, "2.pdf", dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)).read_bytes()
    later = _render(tmp_path, "3.pdf", dt.datetime(2027, 1, 5, 17, 30, tzinfo=dt.UTC)).read_bytes()
    assert one == two
    assert b"D:20261203090000" in one and b"D:20270105173000" in later

    def undated(b: bytes) -> bytes:
        b = re.sub(rb"D:\d{14}[^)]*", b"D:", b)
        return re.sub(rb"\[<[0-9a-f]+><[0-9a-f]+>\]", b"[ID]", b)

    assert undated(one) == undated(later)


def test_progress_is_reported_and_cancel_leaves_no_file(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []

    def watch(done: int, total: int, what: str) -> bool:
        seen.append((done, total))
        return True

    Sample(author="A").render(tmp_path / "ok.pdf", watch)
    assert seen and seen[-1][0] == seen[-1][1] > 0

    def cancel(done: int, total: int, what: str) -> bool:
        return done < 3

    with pytest.raises(Cancelled):
        Sample(author="A").render(tmp_path / "cancelled.pdf", cancel)
    assert list(tmp_path.iterdir()) == [tmp_path / "ok.pdf"]


class Narrow(Renderer):
    title = "Narrow columns"

    def story(self) -> list[Any]:
        header = ["Name", "Medication administration", "Safeguarding adults level 2"]
        rows = [["Amy Shaw", "24 Dec 2026", "Missing"], ["Ben Ode", "12 Sep 2029", "n/a"]]
        # Course columns with room for 62 points of text: "administration" in bold is 66.
        return [self.table(header, rows, [100, 68, 68], width=236, fills=[(1, 0, "#ffe8c2")])]


def test_headings_wrap_between_words_and_cells_stay_whole(tmp_path: Path) -> None:
    pdf = Narrow(author="Meadowbank").render(tmp_path / "n.pdf")
    words = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"Medication", "administration", "Safeguarding", "adults"} <= set(words)
    assert "dministration" not in words and "a" not in words  # never broken inside a word
    assert "2026" in words and "2029" in words  # four-digit years, whole


class Filled(Renderer):
    title = "Filled cells"

    def story(self) -> list[Any]:
        rows = [[f"Person {i}", "Due" if i % 3 == 0 else "In date"] for i in range(150)]
        fills = [(1, i, "#ff0000") for i in range(0, 150, 3)] + [
            (0, 7, "#00ff00"),
            (0, 8, "#00ff00"),
        ]
        table = self.table(["Name", "Level"], rows, [2, 1], fills=fills, bold_cells=[(1, 0)])
        table.setStyle([("TEXTCOLOR", (0, 1), (0, 1), "#0000ff")])  # one cell, given afterwards
        return [table]


def _fills(page: Any) -> list[tuple[str, str]]:
    """(colour, rectangle) of each filled rectangle drawn on ``page``, in order."""
    colour, out = "", []
    for line in page.get_contents().get_data().decode("latin1").splitlines():
        if line.endswith(" rg"):
            colour = line[: -len(" rg")]
        elif line.endswith(" re f*"):
            out.append((colour, line))
    return out


def test_fills_are_drawn_once_on_their_cells_on_every_page(tmp_path: Path) -> None:
    renderer = Filled(author="A")
    pdf = renderer.render(tmp_path / "f.pdf")
    pages = PdfReader(pdf).pages
    assert renderer.pages == len(pages) > 2
    for page in pages:
        text = page.get_contents().get_data().decode("latin1")
        # A red rectangle per "Due" cell on the page: none missing, none painted twice.
        reds = [r for c, r in _fills(page) if c == "1 0 0"]
        assert len(reds) == text.count("(Due) Tj") > 0
    # Two filled rows running on down a column: one rectangle, two rows high.
    greens = [r for page in pages for c, r in _fills(page) if c == "0 1 0"]
    assert len(greens) == 1 and greens[0].endswith(" -30 re f*")
    first = pages[0].get_contents().get_data().decode("latin1")
    # The command given afterwards coloured its own cell only.
    assert re.search(r"0 0 1 rg\s+BT [^\n]*\(Person 0\) Tj", first)
    assert not re.search(r"0 0 1 rg\s+BT [^\n]*\(Person 1\) Tj", first)
