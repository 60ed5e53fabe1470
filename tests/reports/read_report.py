#!/usr/bin/python3
"""Reads a Vigie report the way its readers do, and prints it as JSON for the tests.

xlsx: with openpyxl (an independent reader): {"sheets": {name: [[cell...]...]}}, where a cell is
  {"t": "n"|"s"|"d", "v": value, "f": number format}; dates as YYYY-MM-DD.
csv: as French Excel does: UTF-8 with a byte-order mark, ';' between fields, '"' quoting:
  {"bom": bool, "rows": [[field...]...]}.
"""
import csv
import datetime
import io
import json
import sys


def read_xlsx(path):
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = cell.value
                if value is None:
                    cells.append(None)
                elif isinstance(value, datetime.datetime):
                    cells.append({"t": "d", "v": value.date().isoformat(), "f": cell.number_format})
                elif isinstance(value, (int, float)):
                    cells.append({"t": "n", "v": value, "f": cell.number_format})
                else:
                    cells.append({"t": "s", "v": str(value)})
            rows.append(cells)
        sheets[sheet.title] = rows
    return {"sheets": sheets, "order": workbook.sheetnames}


def read_csv(path):
    with open(path, "rb") as file:
        data = file.read()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    return {"bom": bom, "rows": rows}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    result = read_xlsx(path) if kind == "xlsx" else read_csv(path)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
