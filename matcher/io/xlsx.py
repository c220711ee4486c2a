"""An XLSX sheet as officers expect it: a bold, frozen header row with a filter, column widths
fitted to the content, numbers as numbers and every other value stored as text.

A text that a spreadsheet would run as a formula (= + - @ tab CR LF first) is written as a text
cell with Excel's "quote prefix" style: shown as typed, with no apostrophe, and still text when
the cell is edited. The apostrophe of `safe_cell` belongs to CSV only."""

from __future__ import annotations

MIN_WIDTH = 6
MAX_WIDTH = 60
MEASURED_ROWS = 2000  # the widths follow the header and the first rows (a long file costs no more)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def plain_cell(value) -> str | int | float:
    """A value as an XLSX cell holds it: numbers stay numbers, the rest is text (no prefix)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    return str(value)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a CJK character counts twice; the longest line."""
    if "\n" in text:
        return max(display_width(line) for line in text.split("\n"))
    if text.isascii():
        return len(text)
    return len(text.encode("gb18030", errors="replace"))


class SheetWriter:
    """Rows into an xlsxwriter worksheet; `finish()` freezes and filters the header row and sets
    the widths. Works with constant_memory workbooks (rows written in order)."""

    def __init__(self, workbook, worksheet, header: list[str]):
        self.ws = worksheet
        self.ncols = len(header)
        self.guarded = workbook.add_format({"quote_prefix": True})
        bold = workbook.add_format({"bold": True})
        self.widths = [display_width(str(h)) + 3 for h in header]  # room for the filter button
        for c, name in enumerate(header):
            self.ws.write_string(0, c, str(name), bold)
        self.rows = 0

    def write_row(self, values) -> None:
        """The next row; values as `plain_cell` makes them."""
        self.rows += 1
        measure = self.rows <= MEASURED_ROWS
        for c, raw in enumerate(values):
            value = plain_cell(raw)
            if isinstance(value, (int, float)):
                self.ws.write_number(self.rows, c, value)
                width = len(f"{value:.4g}") if isinstance(value, float) else len(str(value))
            elif value == "":
                continue
            else:
                if value.startswith(DANGEROUS_START):
                    self.ws.write_string(self.rows, c, value, self.guarded)
                else:
                    self.ws.write_string(self.rows, c, value)
                if not measure:
                    continue
                width = MAX_WIDTH if len(value) >= MAX_WIDTH else display_width(value)
            if measure and c < self.ncols and width > self.widths[c]:
                self.widths[c] = width

    def finish(self) -> None:
        """Freeze the header row, put a filter on it over the rows written, fit the widths."""
        if self.ncols == 0:
            return
        self.ws.freeze_panes(1, 0)
        self.ws.autofilter(0, 0, max(self.rows, 1), self.ncols - 1)
        for c, width in enumerate(self.widths):
            self.ws.set_column(c, c, min(MAX_WIDTH, max(MIN_WIDTH, width + 1)))
