"""Each corpus in its exact on-disk layout, small, prepared through `asrzoo data prepare`. The
Hub datasets are local folders in the Hub's parquet layout, which `datasets` loads the same way
it loads them from the Hub."""

import io
import json

import datasets
import numpy as np
import pytest
import soundfile

from asrzoo.testing import run_cli


def speech(seconds, rate=48_000, format="MP3"):
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * 220 * t), rate, format=format)
    return buffer.getvalue()


def prepare_json(*args, expect_failure=False):
    result = run_cli("data", "prepare", "tr", *args, "--json", check=not expect_failure)
    if expect_failure:
        assert result.returncode == 1 and "Traceback" not in result.stderr
        return result.stderr
    return json.loads(result.stdout)


def prepared(summary, split):
    return datasets.Dataset.from_file(f"{summary['folder']}/{split}.arrow")


CV_HEADER = "client_id\tpath\tsentence_id\tsentence\tsentence_domain\tup_votes\tdown_votes\tage"


@pytest.fixture
def cv_release(tmp_path):
    """cv-corpus-XX/tr/ with clips/*.mp3 and the release's TSVs."""
    locale = tmp_path / "cv-corpus-21.0" / "tr"
    (locale / "clips").mkdir(parents=True)
    clips = {  # clip: (speaker, sentence, up-votes)
        "c1.mp3": ("alice", 'Bu "tırnaklı" bir cümle.', 2),
        "c2.mp3": ("alice", "İkinci cümle.", 3),
        "c3.mp3": ("bob", "Üçüncü cümle.", 1),
        "c4.mp3": ("carol", "Dördüncü cümle.", 2),
        "c5.mp3": ("dave", "İkinci cümle.", 5),
        "c6.mp3": ("erin", "Altıncı cümle.", 2),
    }
    for clip in clips:
        if clip != "c6.mp3":  # listed, but its file is missing
            (locale / "clips" / clip).write_bytes(speech(1.2))

    def tsv(name, names):
        lines = [CV_HEADER] + [
            f"{clips[c][0]}\t{c}\tid\t{clips[c][1]}\t\t{clips[c][2]}\t0\t" for c in names
        ]
        (locale / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    tsv("train.tsv", ["c1.mp3", "c2.mp3", "c6.mp3"])
    tsv("dev.tsv", ["c3.mp3"])
    tsv("test.tsv", ["c4.mp3"])
    tsv("validated.tsv", list(clips))
    return locale


def test_common_voice_release_official_splits(cv_release):
    summary = prepare_json("--dataset", str(cv_release))  # found by its layout
    assert summary["source"]["loader"] == "common-voice-release"
    assert summary["kept"] == {"test": 1, "train": 2, "validation": 1}
    assert summary["converted"] == {"resampled from 48000 Hz": 4}
    assert prepared(summary, "train")["text"] == ["bu tırnaklı bir cümle", "ikinci cümle"]
    assert prepared(summary, "train")["speaker"] == ["alice", "alice"]
    assert [(d["row"], d["reason"]) for d in summary["dropped"]] == [("c6.mp3", "missing file")]


def test_common_voice_release_found_by_its_top_folder_and_a_missing_locale_named(cv_release):
    summary = prepare_json("--dataset", str(cv_release.parent))  # cv-corpus-21.0/, as unpacked
    assert summary["source"]["loader"] == "common-voice-release"
    assert summary["kept"] == {"test": 1, "train": 2, "validation": 1}
    result = run_cli("data", "prepare", "de", "--dataset", str(cv_release.parent), check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a Common Voice release without de" in result.stderr and "holds tr" in result.stderr


def test_common_voice_release_minimum_up_votes(cv_release):
    summary = prepare_json(
        "--dataset",
        "common-voice-release",
        "-O",
        f"path={cv_release.parent}",
        "-O",
        "min_upvotes=3",
    )
    # only c2 has 3 up-votes in the official splits
    assert summary["kept"] == {"test": 0, "train": 1, "validation": 0}
    reasons = {d["row"]: d["reason"] for d in summary["dropped"]}
    assert reasons["c1.mp3"] == reasons["c3.mp3"] == "fewer than 3 up-votes"


def test_common_voice_custom_splits_are_speaker_disjoint_without_shared_sentences(cv_release):
    options = ["-O", "splits=validated", "-O", "validation_fraction=0.3", "-O", "test_fraction=0.3"]
    summary = prepare_json("--dataset", str(cv_release), *options)
    speakers = {split: set(prepared(summary, split)["speaker"]) for split in summary["kept"]}
    for a in speakers:
        for b in speakers:
            assert a == b or not speakers[a] & speakers[b]
    held_out = {t for s in summary["kept"] if s != "train" for t in prepared(summary, s)["text"]}
    if "train" in summary["kept"]:
        assert not held_out & set(prepared(summary, "train")["text"])
    leaked = [d for d in summary["dropped"] if d["reason"] == "sentence is in a held-out split"]
    kept = sum(summary["kept"].values())
    assert kept + len(summary["dropped"]) == 6 and all(d["split"] == "train" for d in leaked)


def hub_folder(root, config, splits, columns):
    """A dataset repository as the Hub holds one: parquet per split, configs in README.md."""
    lines = ["---", "configs:", f"- config_name: {config}", "  data_files:"]
    for split, rows in splits.items():
        table = datasets.Dataset.from_dict(columns(rows))
        table = table.cast_column("audio", datasets.Audio(sampling_rate=48_000))
        (root / config).mkdir(parents=True, exist_ok=True)
        table.to_parquet(str(root / config / f"{split}-00000-of-00001.parquet"))
        lines += [f"  - split: {split}", f"    path: {config}/{split}-*.parquet"]
    (root / "README.md").write_text("\n".join([*lines, "---", ""]), encoding="utf-8")
    return root


@pytest.fixture
def cv_hub(tmp_path):
    def columns(rows):
        return {
            "client_id": [speaker for _, speaker, _ in rows],
            "path": [name for name, _, _ in rows],
            "audio": [{"bytes": speech(1.0), "path": name} for name, _, _ in rows],
            "sentence": [sentence for _, _, sentence in rows],
        }

    splits = {
        "train": [("a.mp3", "s1", "Merhaba dünya"), ("b.mp3", "s1", "Queen")],
        "validation": [("c.mp3", "s2", "Günaydın")],
        "test": [("d.mp3", "s3", "İyi geceler")],
    }
    return hub_folder(tmp_path / "common_voice_fixture", "tr", splits, columns)


@pytest.mark.parametrize("streaming", ["false", "true"])
def test_common_voice_on_the_hub(cv_hub, streaming):
    summary = prepare_json(
        "--dataset", "common-voice", "-O", f"dataset={cv_hub}", "-O", f"streaming={streaming}"
    )
    assert summary["kept"] == {"test": 1, "train": 1, "validation": 1}
    assert summary["source"]["dataset"] == str(cv_hub) and summary["source"]["config"] == "tr"
    train = prepared(summary, "train")
    assert train["id"] == ["a.mp3"] and train["speaker"] == ["s1"]
    assert [(d["row"], d["reason"]) for d in summary["dropped"]] == [
        ("b.mp3", "characters outside the alphabet")
    ]


def test_a_hub_dataset_that_cannot_load_is_one_clear_line(tmp_path):
    message = prepare_json(
        "--dataset", "common-voice", "-O", f"dataset={tmp_path / 'nothing'}", expect_failure=True
    )
    assert message.startswith("Error: cannot load") and message.count("\n") == 1


def test_fleurs_on_the_hub(tmp_path):
    def columns(rows):
        return {
            "id": [1] * len(rows),  # FLEURS ids name sentences, not recordings
            "path": [name for name, _ in rows],
            "audio": [{"bytes": speech(1.0, 16_000, "WAV"), "path": name} for name, _ in rows],
            "transcription": [text.lower() for _, text in rows],
            "raw_transcription": [text for _, text in rows],
        }

    splits = {
        "train": [("1.wav", "Ankara'da"), ("2.wav", "Ankara'da!")],
        "test": [("3.wav", "Evet")],
    }
    folder = hub_folder(tmp_path / "fleurs_fixture", "tr_tr", splits, columns)
    summary = prepare_json(
        "--dataset", "fleurs", "-O", f"dataset={folder}", "-O", "splits=train,test"
    )
    assert summary["kept"] == {"test": 1, "train": 2}
    assert prepared(summary, "train")["id"] == ["1.wav", "2.wav"]
    assert prepared(summary, "train")["text"] == ["ankara'da", "ankara'da"]


def test_openslr_folder(tmp_path):
    root = tmp_path / "slr54"
    index = []
    for number in range(12):
        utterance, speaker = f"utt{number:02d}", f"spk{number % 6}"
        folder = root / "data" / utterance[:2]
        folder.mkdir(parents=True, exist_ok=True)
        if number != 11:  # listed, but its file is missing
            (folder / f"{utterance}.flac").write_bytes(speech(1.0, 16_000, "FLAC"))
        index.append(f"{utterance}\t{speaker}\tcümle {'abcçdefgğhıi'[number]}")
    (root / "utt_spk_text.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    summary = prepare_json(
        "--dataset", str(root), "-O", "validation_fraction=0.2", "-O", "test_fraction=0.2"
    )
    assert summary["source"]["loader"] == "openslr"
    by_split = {split: set(prepared(summary, split)["speaker"]) for split in summary["kept"]}
    assert sum(len(s) for s in by_split.values()) == len(set().union(*by_split.values()))
    assert sum(summary["kept"].values()) == 11
    assert [(d["row"], d["reason"]) for d in summary["dropped"]] == [("utt11", "missing file")]


def test_a_loading_script_dataset_points_to_its_parquet_branch(registry, tmp_path):
    from asrzoo import UserError

    repo = tmp_path / "common_voice_old"
    repo.mkdir()
    (repo / "common_voice_old.py").write_text("import datasets\n")
    loader, _ = registry.loader("tr", "common-voice")
    with pytest.raises(UserError, match="refs/convert/parquet"):
        loader.load(registry.language("tr"), {"dataset": str(repo)})


def test_fleurs_reads_the_hubs_parquet_conversion_by_default(registry):
    """google/fleurs is a loading-script dataset that datasets >= 4 will not run: the loader
    asks for its parquet conversion, unless told another revision or given a copy."""
    from asrzoo_corpora import FLEURS_COLUMNS, PARQUET_REVISION  # noqa: F401
    from asrzoo_corpora.hub import HubSource

    def source(**options):
        return HubSource.from_options(options, "google/fleurs", "tr_tr", PARQUET_REVISION)

    assert source().revision == "refs/convert/parquet" and source().dataset == "google/fleurs"
    assert source(revision="main").revision == "main"
    assert source(dataset="me/fleurs-copy").revision is None
    fleurs = registry.dataset_loaders["fleurs"]
    assert "refs/convert/parquet" in fleurs.description


def test_a_hub_row_without_text_is_reported_for_a_recognizer_and_kept_for_pretraining(tmp_path):
    def columns(rows):
        return {
            "client_id": ["s1"] * len(rows),
            "audio": [{"bytes": speech(1.0), "path": name} for name, _ in rows],
            "sentence": [sentence for _, sentence in rows],
        }

    splits = {"train": [("a.mp3", "Merhaba dünya"), ("b.mp3", None)], "test": [("c.mp3", "Gece")]}
    hub = hub_folder(tmp_path / "untranscribed", "tr", splits, columns)
    options = ["--dataset", "common-voice", "-O", f"dataset={hub}", "-O", "splits=train,test"]
    summary = prepare_json(*options)
    assert summary["kept"]["train"] == 1
    assert [d["row"] for d in summary["dropped"]] == ["b.mp3"]
    record = json.loads(
        run_cli("pretrain", "--languages", "tr", *options, "--max-steps", "1",
                "--output-dir", str(tmp_path / "pre"), "--json").stdout
    )  # fmt: skip
    assert record["training"]["train_rows"] == 2 and record["training"]["dropped_rows"] == 0
