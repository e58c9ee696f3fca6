"""The one list of areas: every entry's importers, exporters and reader load and fit the shapes the
CLI, the import preview and the main window call them with."""

from __future__ import annotations

import inspect

import pytest

from provider_desk.areas import AREAS, area, exporters, importers, load
from provider_desk.cli import build_parser
from provider_desk.reading import AreaReader


def test_keys_and_names_are_unique_and_cover_the_areas() -> None:
    keys = [a.key for a in AREAS]
    assert keys == ["staff", "training", "supervision", "people", "complaints", "audits", "actions"]
    names = [n for a in AREAS for n in a.imports]
    assert len(names) == len(set(names)) == len(importers())
    assert len([n for a in AREAS for n in a.exports]) == len(exporters())
    assert area("people").title == "People"
    with pytest.raises(KeyError):
        area("rota")


@pytest.mark.parametrize("entry", AREAS, ids=lambda a: a.key)
def test_every_target_loads_with_the_signature_it_is_called_with(entry: object) -> None:
    from provider_desk.areas import Area

    assert isinstance(entry, Area)
    reader: AreaReader = entry.reader
    assert callable(reader.attention) and callable(reader.evidence)
    assert entry.key == inspect.getmodule(reader).KEY  # type: ignore[union-attr]
    for importer in entry.imports.values():
        params = inspect.signature(load(importer.target)).parameters
        assert {"today", "mapping", "dry_run", "confirmed", "progress"} <= set(params)
        assert ("clear_empty" in params) == importer.updates, importer.name
        assert {f.name for f in importer.flags} <= set(params)
    for exporter in entry.exports.values():
        params = inspect.signature(load(exporter.target)).parameters
        assert list(params)[:3] == ["db", "out", "today"], exporter.name
        wanted = {a.dest or a.flags[0].lstrip("-").replace("-", "_") for a in exporter.args}
        assert wanted <= set(params), exporter.name


def test_the_command_line_offers_every_importer_and_exporter() -> None:
    parser = build_parser()
    for name, importer in importers().items():
        args = parser.parse_args(["import", name, "file.csv"])
        assert args.what == name and args.dry_run is False
        assert hasattr(args, "clear_empty") == importer.updates
    for name in exporters():
        extra = {
            "care-plan": ["P-0001"],
            "audit-report": ["AUD-2026-001"],
            "complaints-summary": ["--from", "1/1/2026", "--to", "31/12/2026"],
        }.get(name, [])
        args = parser.parse_args(["export", name, "--out", "x.csv", *extra])
        assert args.what == name
