"""Excel's "XML Spreadsheet 2003" format: what old Facebook Insights downloads really are.

Facebook named these files `.xls`, but they are XML text: a `<Workbook>` of `<Worksheet>`s, each a
`<Table>` of `<Row>`s of `<Cell>`s holding one typed `<Data>`. Rows and cells may skip ahead with
`ss:Index` (1-based) and a cell may span columns with `ss:MergeAcross`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pandas as pd

from canalyse.errors import ImportRefused

_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
_SS = f"{{{_NAMESPACE}}}"
# A file that declares entities or a document type could make the parser expand text without
# bound; SpreadsheetML never needs either.
_DECLARATIONS = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def is_spreadsheetml(text: str) -> bool:
    """True when the XML text declares the SpreadsheetML namespace on its root."""
    return _NAMESPACE in text[:5000]


def read_sheets(display_name: str, text: str) -> list[tuple[str, pd.DataFrame]]:
    """(sheet name, grid of cells) for every non-empty worksheet, cells as Excel would show them.

    Numbers become floats, DateTime cells datetimes, everything else text; blanks are "".
    """
    if _DECLARATIONS.search(text):
        raise ImportRefused("import.error.markup", file=display_name)
    try:
        # Parsed as the text it was decoded to: a declared encoding no longer applies.
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise ImportRefused("import.error.corrupt_workbook", file=display_name) from None
    sheets = []
    for number, sheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
        rows = _rows(sheet)
        if not any(cell != "" for row in rows for cell in row):
            continue
        width = max(len(row) for row in rows)
        grid = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=object)
        sheets.append((sheet.get(f"{_SS}Name") or str(number), grid))
    return sheets


def _rows(sheet: ElementTree.Element) -> list[list[object]]:
    rows: list[list[object]] = []
    for table in sheet.iter(f"{_SS}Table"):
        for row in table.iter(f"{_SS}Row"):
            index = row.get(f"{_SS}Index")
            while index and len(rows) < int(index) - 1:
                rows.append([])
            cells: list[object] = []
            for cell in row.iter(f"{_SS}Cell"):
                index = cell.get(f"{_SS}Index")
                while index and len(cells) < int(index) - 1:
                    cells.append("")
                data = cell.find(f"{_SS}Data")
                cells.append(_value(data) if data is not None else "")
                cells.extend([""] * int(cell.get(f"{_SS}MergeAcross") or 0))
            rows.append(cells)
    return rows


def _value(data: ElementTree.Element) -> object:
    """The cell's value by its declared type; text that does not match its type stays text."""
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type")
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    return text
