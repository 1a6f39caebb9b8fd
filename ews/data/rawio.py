"""Read data-folder files as raw frames, whole or in chunks.

CSV cells arrive as text (UTF-8 with or without a BOM, LF or CRLF line
endings) with an empty cell as ``<NA>``; Parquet columns arrive as stored.
Text is not stripped here (that would cost a pass over every cell of a big
file): :func:`ews.data.coerce.as_text` strips what a check reads as text,
and number parsing tolerates spaces. Every frame's index is the 1-based data row number
(header excluded), so issues name the row an analyst sees in a spreadsheet
even when a malformed line was skipped or the file came in chunks.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ews.exceptions import DataError

DEFAULT_CHUNK_ROWS = 100_000
_BLOCK_BYTES = 8 << 20


class BadLines:
    """Rows pyarrow could not split into the header's columns, in file order."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.texts: list[str] = []
        self.offset = 0  # data records (kept or skipped) before the block being parsed

    def __call__(self, row: Any) -> str:
        # pyarrow numbers a block's records from 1 with the header as record 1.
        self.rows.append(self.offset + int(row.number) - 1)
        self.texts.append(f"has {row.actual_columns} fields, the header has {row.expected_columns}")
        return "skip"

    def row_numbers(self, start: int, count: int) -> np.ndarray[Any, np.dtype[np.int64]]:
        """1-based row numbers of valid records ``start .. start+count-1`` (0-based, skips removed)."""
        valid = np.arange(start, start + count, dtype=np.int64)
        skipped = np.asarray(self.rows, dtype=np.int64) - 1
        # Skipped record i has skipped[i] - i valid records before it.
        before = skipped - np.arange(len(skipped), dtype=np.int64)
        return valid + np.searchsorted(before, valid, side="right") + 1


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file; raise ``DataError`` if it is unreadable or has no header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path.name} is not a UTF-8 CSV file ({exc})") from exc
    if not header:
        raise DataError(f"{path.name} is empty; even a file with no rows needs its header line")
    return [name.strip() for name in header]


def parquet_parts(path: Path) -> list[Path]:
    """The Parquet files of a table: the file itself, or (contract section 1, "Large folders") every
    ``*.parquet`` file of a folder such as ``signals/``, in name order."""
    return sorted(path.glob("*.parquet")) if path.is_dir() else [path]


def is_parquet(path: Path) -> bool:
    """Whether ``path`` is a Parquet file or a folder of them."""
    return path.is_dir() or path.suffix == ".parquet"


def columns_of(path: Path) -> list[str]:
    """Column names of a CSV file, a Parquet file, or a folder of Parquet files (which must agree)."""
    if not is_parquet(path):
        return csv_header(path)
    import pyarrow.parquet as pq

    names: list[str] | None = None
    for part in parquet_parts(path):
        try:
            found = list(pq.read_schema(part).names)
        except Exception as exc:
            raise DataError(f"{_shown(path, part)} is not a readable Parquet file ({exc})") from exc
        if names is not None and found != names:
            raise DataError(
                f"{_shown(path, part)} has columns {found}, unlike the folder's first file {names}"
            )
        names = found
    if names is None:
        raise DataError(f"{path.name}/ holds no .parquet file")
    return names


def _shown(path: Path, part: Path) -> str:
    return f"{path.name}/{part.name}" if path.is_dir() else path.name


def check_header(path: Path, names: list[str]) -> None:
    """Refuse unnamed or repeated column names (they cannot be told apart)."""
    for position, name in enumerate(names, start=1):
        if not name:
            raise DataError(f"{path.name} column {position} has no name in the header")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DataError(f"{path.name} has column {name!r} twice in the header")
        seen.add(name)


def iter_chunks(
    path: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS, bad: BadLines | None = None
) -> Iterator[pd.DataFrame]:
    """Yield the file in frames of at most ``chunk_rows`` rows (index = 1-based row number).

    Malformed CSV lines are skipped and recorded in ``bad``; a file that
    cannot be read at all raises ``DataError``.
    """
    if chunk_rows < 1:
        raise DataError(f"chunk_rows {chunk_rows} must be at least 1")
    names = columns_of(path)
    check_header(path, names)
    bad = bad if bad is not None else BadLines()
    batches = _parquet_batches(path, chunk_rows) if is_parquet(path) else _csv_batches(path, names, bad)
    start = 0
    try:
        for batch in batches:
            for offset in range(0, batch.num_rows, chunk_rows):
                piece = batch.slice(offset, chunk_rows)
                yield _to_frame(piece, bad, start)
                start += piece.num_rows
    except DataError:
        raise
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError with a precise text
        raise DataError(f"{path.name} could not be read after row {start} ({_first_line(exc)})") from exc


def read_table(path: Path, bad: BadLines | None = None) -> pd.DataFrame:
    """The whole file as one raw frame (index = 1-based row number)."""
    frames = list(iter_chunks(path, chunk_rows=1 << 62, bad=bad))
    if not frames:
        return pd.DataFrame({name: pd.Series([], dtype="str") for name in columns_of(path)})
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _csv_batches(path: Path, names: list[str], bad: BadLines) -> Iterator[Any]:
    # pyarrow's streaming reader reads ahead without bound (a 300 MB file peaked at
    # 300 MB of Arrow memory), so blocks are cut here at record ends and parsed one by one.
    import pyarrow as pa
    import pyarrow.csv as pacsv

    options = {
        "read_options": pacsv.ReadOptions(use_threads=False),
        "parse_options": pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=bad),
        "convert_options": pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    }
    with path.open("rb") as handle:
        header, records = handle.readline(), 0
        for piece in _record_blocks(handle):
            bad.offset, skipped = records, len(bad.rows)
            table = pacsv.read_csv(pa.BufferReader(header + piece), **options)
            records += table.num_rows + len(bad.rows) - skipped
            yield from table.to_batches()


def _record_blocks(handle: Any) -> Iterator[bytes]:
    """Blocks of about ``_BLOCK_BYTES`` that end at a record end (a newline outside quotes)."""
    carry = b""
    while True:
        data = handle.read(_BLOCK_BYTES)
        block = carry + data
        cut = _last_record_end(block) if data else len(block)
        if cut > 0 and block[:cut].strip():
            yield block[:cut]
        carry = block[cut:]
        if not data:
            return


def _last_record_end(block: bytes) -> int:
    # A newline ends a record when an even number of quotes precede it (RFC 4180: "" is an
    # escaped quote, so parity still tells inside from outside); the block starts at a record.
    end = block.rfind(b"\n")
    while end >= 0:
        if block.count(b'"', 0, end) % 2 == 0:
            return end + 1
        end = block.rfind(b"\n", 0, end)
    return 0


def _parquet_batches(path: Path, chunk_rows: int) -> Iterator[Any]:
    # A folder's files are read one after the other: rows are numbered across them in name order.
    import pyarrow.parquet as pq

    for part in parquet_parts(path):
        try:
            parquet = pq.ParquetFile(part)
        except Exception as exc:
            raise DataError(
                f"{_shown(path, part)} is not a readable Parquet file ({_first_line(exc)})"
            ) from exc
        yield from parquet.iter_batches(batch_size=min(chunk_rows, 1 << 20))


def _to_frame(batch: Any, bad: BadLines, start: int) -> pd.DataFrame:
    import pyarrow as pa

    columns = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in batch.columns]
    frame: pd.DataFrame = pa.Table.from_arrays(columns, names=batch.schema.names).to_pandas(
        date_as_object=False
    )
    frame.index = pd.Index(bad.row_numbers(start, len(frame)), name="row")
    return frame


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
