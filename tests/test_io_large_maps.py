"""Reading large maps quickly: the quick paths give what the careful ones gave, and London fits the limits."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import read_map, write_map, xlsx
from cop_toolkit.io.common import folded_directions, text_cells
from cop_toolkit.io.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    parse_json,
    valid_json_depth,
)

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from london_map import london_map

#: London, as the project names it: about 120,000 organisations and a million ties.
LONDON_ELEMENTS, LONDON_TIES = 120_000, 1_000_000

_text = st.text(alphabet='ab[]{}"\\/\n é', max_size=8)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=30,
)


def _depth(value: Any) -> int:
    """How deep lists and records nest in a parsed JSON value (the oracle for the text scans)."""
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json, st.sampled_from([None, 0, 1]))
def test_json_depth_of_valid_json_counts_only_brackets_outside_strings(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=indent == 1)
    assert valid_json_depth(text.encode("utf-8")) == _depth(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json)
def test_parse_json_reads_valid_json_as_json_loads_does_or_refuses_it_by_its_true_depth(value: Any) -> None:
    text = json.dumps(value)
    limits = ReadLimits(max_json_depth=3)
    if _depth(value) > 3:
        with pytest.raises(MapError, match=f"nested {_depth(value):,} deep"):
            parse_json(text, limits, file="m.json")
    else:
        assert parse_json(text, limits, file="m.json") == json.loads(text)


def test_long_number_is_still_refused_and_long_digit_text_still_read() -> None:
    with pytest.raises(MapError, match="a number 150 characters long"):
        parse_json('{"a": [1, ' + "7" * 150 + "]}", DEFAULT_LIMITS, file="m.json")
    digits = "7" * 150
    assert parse_json(json.dumps({"phone": digits}), DEFAULT_LIMITS, file="m.json") == {"phone": digits}


def test_damaged_json_gives_the_careful_readers_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_json('{"a": [1, 2}', DEFAULT_LIMITS, file="m.json")
    with pytest.raises(MapError, match="nested 200 deep"):
        parse_json("[" * 200 + "]" * 199, DEFAULT_LIMITS, file="m.json")  # too deep and damaged: the depth is named


def test_json_cells_of_every_kind_read_as_before(tmp_path: Path) -> None:
    doc = {"elements": [{"id": "a", "label": "A", "Score": 3.0, "Open": True, "tags": ["x", "y"], "Rec": {"k": 1},
                         "Strength": 2},
                        {"id": "b", "label": "B", "Score": None},
                        {"id": "c", "label": "C", "Note": "  "}],
           "connections": [{"from": "a", "to": "b", "direction": " Mutual"}, {"from": "b", "to": "c"}]}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    m = read_map(path)
    e = m.elements.set_index("ID")
    assert e.loc["a", ["Score", "Open", "Tags", "Rec"]].tolist() == ["3", "true", "x|y", '{"k": 1}']
    assert e[["Score", "Open", "Note"]].loc[["b", "c"]].isna().all().all()
    assert m.connections["Direction"].tolist()[0] == "mutual" and pd.isna(m.connections["Direction"].iloc[1])
    assert list(m.elements.columns)[:2] == ["ID", "Label"] and "Score" in m.elements.columns


def test_json_keys_going_to_one_column_keep_the_later_value(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"elements": [{"id": "e1", "label": "Kumu's key", "Label": "Ours"},
                                             {"id": "e2", "Label": "Only ours", "label": "Kumu's again"}],
                                "connections": []}), encoding="utf-8")
    assert read_map(path).elements["Label"].tolist() == ["Ours", "Kumu's again"]


def test_text_cells_and_directions_are_worked_out_for_mixed_columns() -> None:
    mixed = pd.Series(["a", float("nan"), 2, None, " b"], dtype=object)
    assert text_cells(mixed).tolist() == [True, False, False, False, True]
    assert text_cells(pd.Series(["a", None, "b"], dtype=object)).tolist() == [True, False, True]
    folded = folded_directions(pd.Series(["Directed ", None, "MUTUAL", "Directed "], index=[5, 6, 7, 8]))
    assert folded.index.tolist() == [5, 6, 7, 8]
    assert folded.dropna().to_dict() == {5: "directed", 7: "mutual", 8: "directed"}


def _sizes(path: Path) -> dict[str, float]:
    """What a written map asks of each limit: MB of its biggest file, MB unzipped, cells of its biggest table."""
    files = sorted(path.parent.glob(f"{path.stem}*")) if path.suffix == ".csv" else [path]
    out = {"max_file_mb": max(f.stat().st_size for f in files) / 1e6}
    if path.suffix == ".xlsx":
        out["max_unzipped_mb"] = sum(i.file_size for i in zipfile.ZipFile(path).infolist()) / 1e6
    return out


@pytest.mark.parametrize("ext", [".json", ".csv", ".xlsx", ".gexf", ".graphml"])
def test_default_limits_admit_a_london_sized_map(tmp_path: Path, ext: str) -> None:
    n = 1000
    m = london_map(n)
    scale = max(LONDON_ELEMENTS / n, LONDON_TIES / len(m.connections))
    path = write_map(m, tmp_path / f"london{ext}")
    for name, needed in _sizes(path).items():
        assert needed * scale * 1.2 < getattr(DEFAULT_LIMITS, name), (name, needed * scale)
    cells = LONDON_TIES * len(read_map(path).connections.columns)
    assert cells * 1.2 < DEFAULT_LIMITS.max_cells


def test_workbook_is_refused_for_a_table_longer_than_an_excel_sheet(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "EXCEL_ROWS", 3)  # three rows: the header and two connections
    m = london_map(30)
    with pytest.raises(MapError) as caught:
        write_map(m, tmp_path / "big.xlsx")
    assert f"the map has {len(m.elements)} elements, more than the 2 rows an Excel sheet holds" in caught.value.message
    assert "CSV" in caught.value.message and not (tmp_path / "big.xlsx").exists()
