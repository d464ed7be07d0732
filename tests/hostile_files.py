"""Scenario files in every format with one value of a zone's talent set to a hostile kind.

`write(fmt, folder, kind)` writes the small test network (every field its kind uses set)
in `fmt` ("json", "graphml", "xlsx", "csv") with zone z-small's talent (row 3 of a sheet,
node 1 of a list) replaced by `kind`: "absent", "nan", "inf", "-inf", "text", "formula",
an Excel error value ("#DIV/0!", ...) or "range" (-4, out of range).
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import networkx as nx
from openpyxl import load_workbook

from factories import small_records
from model.files import save_file
from model.files.graphml_export import graphml_graph
from model.network import Network
from model.scenario import Scenario

FORMATS = ("json", "graphml", "xlsx", "csv")
ERRORS = ("#DIV/0!", "#N/A", "#VALUE!")
BAD_KINDS = ("nan", "inf", "-inf", "text", "formula", *ERRORS, "range")
ZONE, ZONE_INDEX, ZONE_ROW = "z-small", 1, 3
_SENTINEL = 777.25  # a talent no test uses, replaced in the workbook's XML

# What each kind is written as in a text format (GraphML data, CSV field).
TEXT = {"nan": "NaN", "inf": "INF", "-inf": "-Infinity", "text": "many", "formula": "=1/0",
        "range": "-4", **{e: e for e in ERRORS}}


def scenario(zone_id: str = ZONE) -> Scenario:
    """The small network; `zone_id` renames z-small (a hostile id: long, with newlines)."""
    nodes, edges = small_records()
    for record in nodes + edges:
        for key in ("id", "source", "target"):
            if record.get(key) == ZONE:
                record[key] = zone_id
    return Scenario(Network.from_records(nodes, edges), title="Hostile")


def write(fmt: str, folder: Path, kind: str, base: Scenario | None = None) -> Path:
    return {"json": _json, "graphml": _graphml, "xlsx": _xlsx, "csv": _csv}[fmt](
        Path(folder), kind, base or scenario())


def _json(folder: Path, kind: str, base: Scenario) -> Path:
    path = folder / "hostile.json"
    save_file(base, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    node = data["variants"][0]["nodes"][ZONE_INDEX]
    if kind == "absent":
        del node["talent"]
    else:
        node["talent"] = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"),
                          "range": -4}.get(kind, TEXT[kind])
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN and Infinity as JSON5 writes
    return path


def _graphml(folder: Path, kind: str, base: Scenario) -> Path:
    path = folder / "hostile.graphml"
    buffer = io.BytesIO()
    nx.write_graphml(graphml_graph(base), buffer)
    text = buffer.getvalue().decode("utf-8")
    key = re.search(r'<key id="(d\d+)" for="node" attr.name="talent"', text).group(1)
    block = re.findall(r'<node id=".*?</node>', text, re.S)[ZONE_INDEX]
    data = re.search(rf'<data key="{key}">[^<]*</data>', block).group(0)
    new = "" if kind == "absent" else f'<data key="{key}">{TEXT[kind]}</data>'
    path.write_text(text.replace(block, block.replace(data, new)), encoding="utf-8")
    return path


def _xlsx(folder: Path, kind: str, base: Scenario) -> Path:
    path = folder / "hostile.xlsx"
    save_file(base, path)
    book = load_workbook(path)
    sheet = book["Nodes"]
    column = [c.value for c in sheet[1]].index("talent") + 1
    raw = {"nan": "NaN", "inf": "1e999", "-inf": "-1e999"}.get(kind)
    sheet.cell(ZONE_ROW, column).value = {"absent": None, "text": "many", "formula": "=1/0",
                                          "range": -4}.get(kind, _SENTINEL if raw else kind)
    book.save(path)
    if raw:
        patch_sheets(path, re.escape(f"<v>{_SENTINEL}</v>"), f"<v>{raw}</v>")
    return path


def patch_sheets(path: Path, old: str, new: str) -> None:
    """Replace text (a regular expression) in the workbook's sheet XML: values and
    declarations openpyxl would never write."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in members:
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(old.encode(), new.encode(), content)
            archive.writestr(info, content)


def _csv(folder: Path, kind: str, base: Scenario) -> Path:
    nodes = base.network.nodes.astype(object)
    row = ZONE_ROW - 2
    nodes.at[row, "talent"] = "" if kind == "absent" else TEXT[kind]
    nodes.to_csv(folder / "hostile-nodes.csv", index=False)
    base.network.edges.to_csv(folder / "hostile-edges.csv", index=False)
    return folder / "hostile-nodes.csv"
