"""Every refusal is one short line: long ids and values are elided in their middle, line
breaks and control characters escaped, library messages cut to their first line."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hostile_files as hostile
from model.cli import main
from model.errors import ERROR_PREFIX, MAX_LINE, InputError, Problem, elide
from model.files import read_file

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=2_000)
HOSTILE_IDS = {"a megabyte": "m" * 2**20 + "-end",
               "line breaks": "zone\nwith\r\nbreaks\u2028and more",
               "long with breaks": ("line\n" * 50_000) + "tail"}
SEPARATORS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def is_one_short_line(text: str, limit: int = MAX_LINE) -> bool:
    return len(text) <= limit and not any(c in SEPARATORS or ord(c) < 32 for c in text)


@given(message=ANY_TEXT, file=ANY_TEXT, place=ANY_TEXT, fix=ANY_TEXT)
def test_an_input_error_is_one_line_of_at_most_300_characters(message, file, place, fix):
    error = InputError(message, file=file or None, place=place or None, fix=fix)
    for text in (ERROR_PREFIX + error.line(), ERROR_PREFIX + str(error)):
        assert is_one_short_line(text)
    assert is_one_short_line(Problem("rule", place, message, fix).line(file))


def test_short_messages_are_left_as_they_are():
    error = InputError("talent is NaN", file="eco.json", place="nodes[3].talent",
                       fix="write a number")
    assert error.line() == "eco.json: nodes[3].talent: talent is NaN (write a number)"


@given(text=st.text(min_size=41, max_size=5_000))
def test_elide_keeps_head_and_tail_and_says_how_much_is_left_out(text):
    shown = elide(text)
    assert len(shown) <= 40 and "characters)…" in shown
    assert shown.startswith(elide(text[:5], 5)[:1])


def test_elide_of_a_megabyte_id():
    shown = elide("a" * 10 + "m" * 2**20 + "z" * 10)
    assert shown.startswith("aaaaaaaaaa") and shown.endswith("zzzzz")
    assert "(1,048," in shown and len(shown) <= 40


def hostile_file(tmp_path, fmt: str, zone_id: str):
    """z-small renamed to a hostile id, with a talent out of range: the refusal names it."""
    return hostile.write(fmt, tmp_path, "range", base=hostile.scenario(zone_id))


@pytest.mark.parametrize("name", HOSTILE_IDS)
@pytest.mark.parametrize("fmt", hostile.FORMATS)
def test_refusals_naming_hostile_ids_are_one_short_line(tmp_path, fmt, name):
    path = hostile_file(tmp_path, fmt, HOSTILE_IDS[name])
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert is_one_short_line(ERROR_PREFIX + caught.value.line())
    for problem in caught.value.problems:
        assert is_one_short_line(problem.line(str(path)))


@pytest.mark.parametrize("command", ("convert", "validate", "run"))
@pytest.mark.parametrize("fmt", hostile.FORMATS)
def test_the_cli_refuses_hostile_files_with_exit_2_and_short_lines(tmp_path, capsys, fmt,
                                                                     command):
    path = hostile_file(tmp_path, fmt, HOSTILE_IDS["long with breaks"])
    out = tmp_path / "out.json"
    args = {"convert": [str(path), str(out)], "validate": [str(path)],
            "run": [str(path), "--steps", "1", "--quiet"]}[command]
    assert main([command, *args]) == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert len(err) == (0 if command == "validate" else 1)  # validate lists on stdout
    for line in err + captured.out.splitlines():
        assert is_one_short_line(line)
    assert not out.exists()


@pytest.mark.parametrize("content", [
    "id,kind\nz1,zone\nz2,zone,extra\n",  # ragged
    'id,kind\nz1,"unclosed\n',  # a quote never closed
])
def test_csv_library_messages_are_one_line(tmp_path, capsys, content):
    (tmp_path / "r-nodes.csv").write_text(content, encoding="utf-8")
    (tmp_path / "r-edges.csv").write_text("source,target,type\n", encoding="utf-8")
    assert main(["validate", str(tmp_path / "r-nodes.csv")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and is_one_short_line(err[0])


def test_broken_xml_and_workbook_messages_are_one_line(tmp_path, capsys):
    (tmp_path / "b.graphml").write_text("<graphml>\n<graph>\n<node id='a'>\n", "utf-8")
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04" + b"\n" * 100)
    for name in ("b.graphml", "b.xlsx"):
        assert main(["validate", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and is_one_short_line(err[0])
