"""Local formats: each fixture is written in the format's exact on-disk layout and prepared
through `asrzoo data prepare`, as a user would."""

import json

import pytest

from asrzoo.testing import run_cli


def prepare_json(*args):
    return json.loads(run_cli("data", "prepare", "tr", *args, "--json").stdout)


def split_ids(summary):
    import datasets

    folder = summary["folder"]
    return {
        split: datasets.Dataset.from_file(f"{folder}/{split}.arrow")["id"]
        for split in summary["kept"]
    }


def test_audiofolder_with_split_folders_is_found_by_its_layout(tmp_path, write_audio):
    root = tmp_path / "my-audiofolder"
    write_audio(root / "train" / "a.wav", 1.0)
    write_audio(root / "train" / "b.flac", 1.2, 44_100)
    (root / "train" / "metadata.csv").write_text(
        "file_name,transcription\na.wav,bir\nb.flac,iki\nc.wav,üç\n", encoding="utf-8"
    )
    write_audio(root / "test" / "d.wav", 1.0)
    (root / "test" / "metadata.jsonl").write_text(
        json.dumps({"file_name": "d.wav", "transcription": "dört"}) + "\n", encoding="utf-8"
    )
    summary = prepare_json("--dataset", str(root))
    assert summary["source"]["loader"] == "audiofolder"
    assert split_ids(summary) == {
        "test": ["test/metadata.jsonl:1"],
        "train": ["train/metadata.csv:2", "train/metadata.csv:3"],
    }
    assert [(d["row"], d["reason"]) for d in summary["dropped"]] == [
        ("train/metadata.csv:4", "missing file")
    ]


def test_kaldi_data_dirs_with_segments_and_relative_paths(tmp_path, write_audio):
    recipe = tmp_path / "s5"
    write_audio(recipe / "wav" / "r1.wav", 4.0)
    write_audio(recipe / "wav" / "r2.flac", 1.5, 8_000)
    train = recipe / "data" / "train"
    train.mkdir(parents=True)
    (train / "wav.scp").write_text("r2 wav/r2.flac\nr3 sox in.wav -t wav - |\n")
    (train / "text").write_text("r2 beş altı\nr3 yedi\n")
    (train / "utt2spk").write_text("r2 spk2\nr3 spk3\n")
    test = recipe / "data" / "test"
    test.mkdir()
    (test / "wav.scp").write_text(f"r1 {recipe / 'wav' / 'r1.wav'}\n")  # absolute
    segments = "u1 r1 0.0 1.5\nu2 r1 1.5 3.5\nu3 r1 3.0 9.0\nu4 r1 abc 1.0\nu5\n"
    (test / "segments").write_text(segments)  # u4 and u5: bad lines, reported
    (test / "text").write_text("u1 bir iki\nu2 üç dört\nu3 taşan\nu4 beş\nu5 altı\n")
    summary = prepare_json("--dataset", str(recipe / "data"))
    assert summary["source"]["loader"] == "kaldi"
    assert split_ids(summary) == {"test": ["test:u1", "test:u2"], "train": ["train:r2"]}
    assert summary["hours"]["test"] == pytest.approx(3.5 / 3600, abs=1e-4)
    reasons = {d["row"]: d["reason"] for d in summary["dropped"]}
    assert reasons["test:u3"] == "segment outside the file"
    assert (
        reasons["test:u4"]
        == reasons["test:u5"]
        == ("a segments line needs: utterance recording start end (in seconds)")
    )
    assert reasons["train:r3"].startswith("wav.scp commands")


def test_manifest_with_its_own_column_names_as_one_split(tmp_path, write_audio):
    write_audio(tmp_path / "clips" / "x.wav", 1.0)
    (tmp_path / "list.tsv").write_text("wav_path\tsentence\twho\nclips/x.wav\tSelam\tayşe\n")
    summary = prepare_json(
        "--dataset",
        str(tmp_path / "list.tsv"),
        *("-O", "audio_column=wav_path", "-O", "speaker_column=who", "-O", "split=test"),
    )
    assert summary["kept"] == {"test": 1}


def test_a_manifest_without_the_columns_names_them(tmp_path):
    (tmp_path / "m.csv").write_text("wav,words\nx.wav,selam\n")
    command = ["data", "prepare", "tr", "--dataset", str(tmp_path / "m.csv")]
    result = run_cli(*command, check=False)
    assert result.returncode == 1
    assert "no text column" in result.stderr and "-O text_column=NAME" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_in_no_known_format_is_a_clear_error(tmp_path):
    result = run_cli("data", "prepare", "tr", "--dataset", str(tmp_path), check=False)
    assert result.returncode == 1
    assert "in no format asrzoo knows" in result.stderr and "kaldi" in result.stderr
