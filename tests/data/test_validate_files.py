"""Folder-level checks: valid folders, file formats, missing and unreadable files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from data_folders import Writer, only_issue, valid_frames, write_frames

from ews.data.load import load_folder
from ews.data.validate import ensure_valid, validate_folder
from ews.exceptions import ValidationFailed


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("neighbors", [True, False])
def test_hand_built_folder_is_valid(tmp_path: Path, fmt: str, neighbors: bool) -> None:
    folder = write_frames(tmp_path / "data", valid_frames(neighbors=neighbors), fmt)
    report = validate_folder(folder)
    assert report.ok
    assert report.issues == []


def test_parquet_with_typed_columns_is_valid(tmp_path: Path) -> None:
    frames = valid_frames()
    regions = frames["regions"]
    for column in ("population", "households", "kumuh"):
        regions[column] = regions[column].astype("int64")
    regions["area_km2"] = regions["area_km2"].astype("float64")
    frames["cases"]["reported_at"] = pd.to_datetime(frames["cases"]["reported_at"])
    frames["signals"]["kontak_pos_pengaduan"] = pd.to_numeric(frames["signals"]["kontak_pos_pengaduan"])
    report = validate_folder(write_frames(tmp_path / "data", frames, "parquet"))
    assert report.issues == []


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    folder = write_frames(tmp_path / "data", valid_frames())
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert validate_folder(folder).issues == []
    loaded = load_folder(folder)
    assert "rw_code" in loaded.regions.columns
    assert loaded.regions["rw_code"].iloc[0] == "31.71.01.1001.001"


def test_missing_required_file(write: Writer) -> None:
    folder = write()
    (folder / "cases.csv").unlink()
    issue = only_issue(validate_folder(folder))
    assert (issue.file, issue.row, issue.column) == ("cases.csv", None, None)
    assert "missing" in issue.message and "cases.parquet" in issue.message


def test_missing_optional_neighbors_is_fine(write: Writer) -> None:
    folder = write()
    (folder / "neighbors.csv").unlink()
    assert validate_folder(folder).issues == []


def test_csv_and_parquet_of_the_same_file_is_an_error(write: Writer) -> None:
    folder = write()
    valid_frames()["signals"].to_parquet(folder / "signals.parquet")
    issue = only_issue(validate_folder(folder))
    assert "signals.csv" in issue.message and "signals.parquet" in issue.message


def test_empty_file_is_an_error(write: Writer) -> None:
    folder = write()
    (folder / "cases.csv").write_bytes(b"")
    issue = only_issue(validate_folder(folder))
    assert (issue.file, issue.row) == ("cases.csv", None)
    assert "empty" in issue.message


def test_header_only_events_are_fine_but_header_only_regions_are_not(write: Writer) -> None:
    frames = valid_frames()
    frames["case_events"] = frames["case_events"].iloc[0:0]
    assert validate_folder(write(frames, name="a")).ok
    frames = valid_frames()
    frames["regions"] = frames["regions"].iloc[0:0]
    report = validate_folder(write(frames, name="b"))
    assert any(i.file == "regions.csv" and "no rows" in i.message for i in report.errors)


def test_ragged_line_names_its_row_and_later_rows_keep_their_numbers(write: Writer) -> None:
    folder = write()
    path = folder / "signals.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2] + ",9"  # data row 2 gets an extra field
    lines[6] = lines[6].replace("2024-03", "2024-3")  # data row 6 gets a bad month
    path.write_text("\n".join(lines) + "\n")
    report = validate_folder(folder, chunk_rows=2)
    assert [(i.row, i.column) for i in report.errors] == [(6, "month"), (2, None)]
    assert "fields" in report.errors[1].message


def test_not_utf8_is_an_error(write: Writer) -> None:
    folder = write()
    (folder / "regions.csv").write_bytes("rw_code,kelurahan_name\n31,Caf\xe9\n".encode("latin-1"))
    report = validate_folder(folder)
    assert any(i.file == "regions.csv" and "UTF-8" in i.message for i in report.errors)


def test_repeated_header_column_is_an_error(write: Writer) -> None:
    folder = write()
    path = folder / "case_events.csv"
    path.write_text("case_id,event,event,at\n")
    issue = only_issue(validate_folder(folder))
    assert issue.file == "case_events.csv" and "'event' twice" in issue.message


def test_missing_folder_is_one_error(tmp_path: Path) -> None:
    issue = only_issue(validate_folder(tmp_path / "nowhere"))
    assert "not a folder" in issue.message


def test_ensure_valid_raises_with_the_count_and_first_error(write: Writer) -> None:
    frames = valid_frames()
    frames["cases"].loc[1, "reported_at"] = "2024-02-30"
    frames["cases"].loc[2, "reported_at"] = "yesterday"
    folder = write(frames)
    with pytest.raises(ValidationFailed) as caught:
        ensure_valid(folder)
    text = str(caught.value)
    assert "2 errors" in text and "cases.csv row 2 column reported_at" in text and "'2024-02-30'" in text
    assert caught.value.report.error_count == 2
    with pytest.raises(ValidationFailed):
        load_folder(folder)


def test_warnings_alone_pass_ensure_valid(write: Writer) -> None:
    frames = valid_frames()
    frames["cases"].loc[0, "channel"] = "whatsapp"
    report = ensure_valid(write(frames))
    assert report.ok and report.warning_count == 1


def test_load_folder_types_follow_the_folder_contract(write: Writer) -> None:
    loaded = load_folder(write())
    assert loaded.static_columns == ("jarak_pos_km", "kumuh")
    assert loaded.signal_columns == ("kontak_pos_pengaduan", "panggilan_112_kdrt")
    assert loaded.regions["population"].dtype == "int64"
    assert loaded.signals["kontak_pos_pengaduan"].isna().sum() == 2
    assert str(loaded.cases["reported_at"].dtype) == "datetime64[ns]"
    assert loaded.cases["incident_date"].isna().sum() == 1
    assert list(loaded.case_events["event"][loaded.case_events["case_id"] == "K-0001"]) == [
        "closed",
        "reopened",
        "closed",
    ]


def test_small_read_blocks_keep_quoted_newlines_and_row_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ews.data import rawio

    monkeypatch.setattr(rawio, "_BLOCK_BYTES", 16)  # every few records start a new block
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,2\n"x\ny, ""z""",6\n3,4,5\n7,"q"\n8\n9,10\n')
    bad = rawio.BadLines()
    frame = pd.concat(list(rawio.iter_chunks(path, 2, bad)))
    assert frame.index.tolist() == [1, 2, 4, 6]
    assert frame.loc[2, "a"] == 'x\ny, "z"'
    assert bad.rows == [3, 5]


def _split_into_parts(folder: Path, name: str, parts: int) -> None:
    """Replace ``name.parquet`` by a folder ``name/`` of ``parts`` Parquet files ("Large folders")."""
    frame = pd.read_parquet(folder / f"{name}.parquet")
    (folder / f"{name}.parquet").unlink()
    (folder / name).mkdir()
    size = -(-len(frame) // parts)
    for i in range(parts):
        frame.iloc[i * size : (i + 1) * size].to_parquet(folder / name / f"part-{i:03d}.parquet", index=False)


def test_a_folder_of_parquet_files_reads_as_one_table(tmp_path: Path) -> None:
    whole = write_frames(tmp_path / "whole", valid_frames(), "parquet")
    split = write_frames(tmp_path / "split", valid_frames(), "parquet")
    for name in ("signals", "cases"):
        _split_into_parts(split, name, 3)
    assert validate_folder(split).issues == []
    one, parts = load_folder(whole), load_folder(split)
    pd.testing.assert_frame_equal(parts.signals, one.signals)
    pd.testing.assert_frame_equal(parts.cases, one.cases)


def test_a_bad_row_in_a_later_part_is_numbered_across_the_folder(tmp_path: Path) -> None:
    folder = write_frames(tmp_path / "data", valid_frames(), "parquet")
    signals = pd.read_parquet(folder / "signals.parquet")
    first = len(signals) // 2
    signals.loc[len(signals) - 1, "month"] = "2024-13"
    (folder / "signals.parquet").unlink()
    (folder / "signals").mkdir()
    signals.iloc[:first].to_parquet(folder / "signals" / "a.parquet", index=False)
    signals.iloc[first:].to_parquet(folder / "signals" / "b.parquet", index=False)
    issue = only_issue(validate_folder(folder))
    assert issue.file == "signals" and issue.row == len(signals) and "2024-13" in issue.message


def test_parts_with_different_columns_are_refused(tmp_path: Path) -> None:
    folder = write_frames(tmp_path / "data", valid_frames(), "parquet")
    _split_into_parts(folder, "signals", 2)
    odd = pd.read_parquet(folder / "signals" / "part-001.parquet").rename(columns={"month": "bulan"})
    odd.to_parquet(folder / "signals" / "part-001.parquet", index=False)
    (issue,) = validate_folder(folder).errors
    assert issue.file == "signals" and issue.message.startswith("signals/part-001.parquet has columns")
    assert "'bulan'" in issue.message and "'month'" in issue.message
