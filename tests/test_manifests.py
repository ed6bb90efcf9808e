"""The manifest readers on hostile input: stray quotes, JSON lines that differ, values of the
wrong type; and a fuzz test of the invariant that every good row is kept with its exact text,
every other row reported, and nothing raises."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asrzoo import UserError
from asrzoo.data.manifests import manifest_rows


def rows_by_id(splits):
    return {row.id: (split, row) for split, rows in splits.items() for row in rows}


def test_a_stray_quote_in_a_tsv_is_a_character(tmp_path):
    manifest = tmp_path / "m.tsv"
    manifest.write_text('path\tsentence\na.wav\tbir\nb.wav\t"yarın sabah\nc.ogg\tiki kedi\n')
    rows = rows_by_id(manifest_rows(manifest, {}))
    assert [r.text for _, r in rows.values()] == ["bir", '"yarın sabah', "iki kedi"]


def test_a_stray_quote_in_a_csv_is_reported_and_swallows_no_row(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        'path,sentence\na.wav,bir\nb.wav,"yarın sabah\nc.ogg,iki kedi\n'
        'd.wav,"bir\niki",\ne.wav,"x, y"\nf.wav,son "söz\n'
    )
    rows = rows_by_id(manifest_rows(manifest, {}))
    assert "stray quote" in rows["m.csv:3"][1].problem
    texts = {i: r.text for i, (_, r) in rows.items() if not r.problem}
    assert texts == {"m.csv:2": "bir", "m.csv:4": "iki kedi", "m.csv:7": "x, y",
                     "m.csv:8": 'son "söz'}  # fmt: skip
    # a quoted field that really spans lines but leaves a field out: reported, not merged
    assert rows["m.csv:5"][1].problem


def test_a_quoted_field_over_two_lines_is_one_transcript(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text('path,sentence\na.wav,"bir\niki"\nb.wav,üç\n')
    rows = rows_by_id(manifest_rows(manifest, {}))
    assert rows["m.csv:2"][1].text == "bir\niki" and rows["m.csv:4"][1].text == "üç"


def test_json_lines_may_name_their_split_in_any_line_and_bad_values_are_rows(tmp_path):
    lines = [
        {"audio": "a.wav", "text": "bir"},
        {"audio": "b.wav", "text": "iki", "split": "test"},
        {"audio": "c.wav", "text": "üç", "split": 7},
        {"audio": "d.wav", "text": {"nested": 1}},
        {"audio": "e.wav", "text": "dört", "speaker": "s1"},
    ]
    body = "\n".join(json.dumps(line) for line in lines)
    body += '\n{"audio": "f.wav", "text": "ka\\ud800"}\n'
    (tmp_path / "m.jsonl").write_text(body)
    rows = rows_by_id(manifest_rows(tmp_path / "m.jsonl", {}))
    assert rows["m.jsonl:2"][0] == "test"
    assert rows["m.jsonl:3"][1].problem == "unknown split 7"
    assert "not text" in rows["m.jsonl:4"][1].problem
    assert rows["m.jsonl:5"][1].speaker == "s1"
    assert "not valid text" in rows["m.jsonl:6"][1].problem


# --- fuzz: random mixtures of good and bad rows ----------------------------------------------

WORD = st.text("abcçdefgğhıijklmnoöprsştuüvyz'\"-", min_size=1, max_size=8)
TEXT = st.lists(WORD, min_size=1, max_size=5).map(" ".join).filter(lambda t: t[0] != '"')
NAME = st.from_regex(r"[a-z0-9_]{1,8}\.wav", fullmatch=True)
SPLIT = st.sampled_from(["train", "dev", "test", "validation"])


def good_line(delimiter):
    """A row a reader must keep; in a CSV its text is sometimes quoted as a CSV writer does."""

    def render(row):
        name, text, split, quoted = row
        field = '"' + text.replace('"', '""') + '"' if delimiter == "," and quoted else text
        return delimiter.join([name, field, split]), (name, text, split)

    return st.tuples(NAME, TEXT, SPLIT, st.booleans()).map(render)


def bad_line(delimiter):
    """Lines no reader may keep: no text, no audio, an unknown split, too many fields, bytes that
    are not UTF-8, and in a CSV a field whose quote is never closed."""
    kinds = [
        NAME.map(lambda n: f"{n}{delimiter}{delimiter}train"),
        TEXT.map(lambda t: f"{delimiter}{t.replace(delimiter, ' ')}{delimiter}train"),
        NAME.map(lambda n: f"{n}{delimiter}kelime{delimiter}nowhere"),
        NAME.map(lambda n: f"{n}{delimiter}a{delimiter}train{delimiter}x{delimiter}y"),
        NAME.map(lambda n: f"{n}{delimiter}k\udcfeelime{delimiter}train"),
    ]
    if delimiter == ",":
        kinds.append(NAME.map(lambda n: f'{n},"açık tırnak,train'))
    return st.one_of(kinds).map(lambda line: (line, None))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(delimiter=st.sampled_from([",", "\t"]), data=st.data())
def test_fuzz_every_good_row_kept_exactly_every_bad_row_reported(tmp_path, delimiter, data):
    lines = data.draw(
        st.lists(st.one_of(good_line(delimiter), bad_line(delimiter)), min_size=1, max_size=30)
    )
    suffix = ".csv" if delimiter == "," else ".tsv"
    manifest = tmp_path / f"fuzz{suffix}"
    header = delimiter.join(["audio", "text", "split"])
    body = "\n".join([header] + [line for line, _ in lines]) + "\n"
    manifest.write_bytes(body.encode("utf-8", "surrogateescape"))
    rows = rows_by_id(manifest_rows(manifest, {}))
    assert len(rows) == len(lines)
    for number, (_, expected) in enumerate(lines, start=2):
        split, row = rows[f"{manifest.name}:{number}"]
        if expected is None:
            assert row.problem, (number, lines[number - 2][0])
        else:
            name, text, split_name = expected
            assert row.problem is None and row.text == text and row.audio.endswith(name)
            assert split == {"dev": "validation"}.get(split_name, split_name)


def bad_json_line():
    """JSON lines no reader may keep: not JSON, not an object, a missing or non-text value, an
    unknown or non-text split, a lone surrogate."""
    return st.one_of(
        st.just('{"audio": "x.wav", "text": '),
        st.just('["x.wav", "bir"]'),
        NAME.map(lambda n: json.dumps({"audio": n})),
        NAME.map(lambda n: json.dumps({"audio": n, "text": 5})),
        NAME.map(lambda n: json.dumps({"audio": n, "text": "bir", "split": "nowhere"})),
        NAME.map(lambda n: json.dumps({"audio": n, "text": "bir", "split": 7})),
        NAME.map(lambda n: json.dumps({"audio": n, "text": "ka\ud800"})),
    ).map(lambda line: (line, None))


def good_json_line():
    def render(row):
        name, text, split, with_split = row
        record = {"audio": name, "text": text, **({"split": split} if with_split else {})}
        return json.dumps(record, ensure_ascii=False), (
            name,
            text,
            split if with_split else "train",
        )

    return st.tuples(NAME, TEXT, SPLIT, st.booleans()).map(render)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzz_json_lines_keep_every_good_row_and_report_the_rest(tmp_path, data):
    first = data.draw(good_json_line())  # the first line names the columns
    lines = [first] + data.draw(st.lists(st.one_of(good_json_line(), bad_json_line()), max_size=30))
    manifest = tmp_path / "fuzz.jsonl"
    manifest.write_bytes("\n".join(line for line, _ in lines).encode("utf-8", "surrogatepass"))
    rows = rows_by_id(manifest_rows(manifest, {}))
    assert len(rows) == len(lines)
    for number, (line, expected) in enumerate(lines, start=1):
        split, row = rows[f"fuzz.jsonl:{number}"]
        if expected is None:
            assert row.problem, line
        else:
            name, text, split_name = expected
            assert row.problem is None and row.text == text and row.audio.endswith(name)
            assert split == {"dev": "validation"}.get(split_name, split_name)


def test_audio_paths_that_leave_the_manifests_folder_are_noted(tmp_path, capsys):
    (tmp_path / "m.csv").write_text("audio,text\n../a.wav,bir\nb.wav,iki\n")
    rows = rows_by_id(manifest_rows(tmp_path / "m.csv", {}))
    assert len(rows) == 2  # still read: the note is for the user to check
    assert "1 audio paths of m.csv leave its folder" in capsys.readouterr().err


def test_a_bad_first_line_is_a_row_and_a_column_named_twice_is_one_line(tmp_path):
    short_first = tmp_path / "s.csv"
    short_first.write_text("path,text\na.wav\nb.wav,merhaba\n")
    rows = rows_by_id(manifest_rows(short_first, {}))
    assert rows["s.csv:2"][1].problem == "no value in column 'text'"
    assert rows["s.csv:3"][1].text == "merhaba"
    no_text_first = tmp_path / "n.jsonl"
    no_text_first.write_text('{"audio": "a.wav"}\n{"audio": "b.wav", "text": "selam"}\n')
    rows = rows_by_id(manifest_rows(no_text_first, {}))
    assert rows["n.jsonl:1"][1].problem == "no value in column 'text'"
    assert rows["n.jsonl:2"][1].text == "selam"
    twice = tmp_path / "t.csv"
    twice.write_text("path,text,text\na.wav,merhaba,\n")
    with pytest.raises(UserError, match="names the column 'text' more than once"):
        manifest_rows(twice, {})


def test_a_mistyped_option_is_one_line(tmp_path):
    (tmp_path / "m.csv").write_text("path,text\na.wav,bir\n")
    with pytest.raises(UserError, match="unknown option -O text_colum for m.csv"):
        manifest_rows(tmp_path / "m.csv", {"text_colum": "text"})
