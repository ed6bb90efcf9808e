import csv
import dataclasses
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile

from asrzoo.data.audio import AudioError, read_audio
from asrzoo.data.prepare import PrepareOptions, for_model, prepare
from asrzoo.models.build import build_model
from asrzoo.testing import run_cli


@pytest.fixture(scope="module")
def tiny():
    from asrzoo.plugin.registry import Registry

    registry = Registry()
    return build_model("tiny", registry.vocabulary("tr"), registry)


def tone(seconds, rate=16_000, channels=1):
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 220 * t)
    return np.repeat(wave[:, None], channels, axis=1) if channels > 1 else wave


def writer(seconds, rate=16_000, channels=1, **kwargs):
    return lambda path: soundfile.write(path, tone(seconds, rate, channels), rate, **kwargs)


# (file, how to make it, text, expected reason or None for a good row)
ROWS = [
    ("good.wav", writer(1.5), "Merhaba dünya.", None),
    ("stereo48k.wav", writer(1.2, 48_000, 2), "İyi günler!", None),
    ("six_channels.flac", writer(1.0, 16_000, 6), "Altı kanal", None),
    ("eight_k.flac", writer(1.0, 8_000), "Güle güle", None),
    ("espeak22k.wav", writer(1.0, 22_050), "Işık yandı", None),
    ("cd44k.wav", writer(1.0, 44_100), "Kırk dört", None),
    ("clip48k.mp3", writer(1.5, 48_000), "Ortak ses", None),
    (
        "corrupt.wav",
        lambda p: p.write_bytes(b"RIFF\x00\x01garbage" * 50),
        "bozuk",
        "unreadable audio",
    ),
    ("missing.wav", None, "kayıp dosya", "missing file"),
    ("empty.wav", lambda p: soundfile.write(p, np.zeros(0), 16_000), "boş ses", "empty audio"),
    (
        "silent.wav",
        lambda p: soundfile.write(p, np.zeros(16_000), 16_000),
        "sessiz",
        "silent audio (all samples zero)",
    ),
    (
        "nan.wav",
        lambda p: soundfile.write(p, np.full(16_000, np.nan), 16_000, subtype="FLOAT"),
        "bozuk sayılar",
        "NaN or infinite samples",
    ),
    (
        "inf.wav",
        lambda p: soundfile.write(p, np.full(16_000, np.inf), 16_000, subtype="FLOAT"),
        "sonsuz",
        "NaN or infinite samples",
    ),
    ("short.wav", writer(0.1), "kısa", "too short"),
    ("long.wav", writer(21), "uzun", "too long"),
    ("oov.wav", writer(1.0), "Queen Xavier", "characters outside the alphabet"),
    ("notext.wav", writer(1.0), " ?! … ", "empty transcript after normalization"),
    (
        "crowded.wav",
        writer(0.35),
        "çok uzun bir cümle bu kadar kısa bir seste söylenemez",
        "more labels than CTC frames",
    ),
]
GOOD = sum(1 for row in ROWS if row[3] is None)
LINE = len(ROWS) + 2  # the manifest line after the ROWS


@pytest.fixture
def messy_manifest(tmp_path):
    """A CSV manifest with every kind of bad row beside good ones; and lines broken as text."""
    lines = ["audio,text,split"]
    for held_out in ("dev.wav", "test.wav"):
        writer(1.3)(tmp_path / held_out)
    for name, make, text, _ in ROWS:
        if make:
            make(tmp_path / name)
        lines.append(f"{name},{text},train")
    lines += [
        ",metin var ses yok,train",  # no audio value
        "good.wav",  # a row with missing columns
        "dev.wav,doğru,dev",  # dev is validation
        "test.wav,test satırı,test",
        "good.wav,nerede,extra",  # unknown split
    ]
    data = "\n".join(lines).encode()
    data += "\ngood.wav,I\xfe\xfdk,train\n".encode("latin-1")  # one line in another encoding
    (tmp_path / "manifest.csv").write_bytes(data)
    return tmp_path / "manifest.csv"


def test_every_good_row_kept_and_every_bad_row_reported(registry, tiny, messy_manifest):
    data = for_model(prepare(registry, "tr", str(messy_manifest)), tiny)
    good = [f"manifest.csv:{i + 2}" for i, row in enumerate(ROWS) if row[3] is None]
    assert data.splits["train"]["id"] == good
    assert data.splits["train"]["text"][0] == "merhaba dünya"
    assert data.splits["validation"]["text"] == ["doğru"]
    assert data.splits["test"]["text"] == ["test satırı"]
    reported = {d.row: d.reason for d in data.dropped}
    expected = {f"manifest.csv:{i + 2}": row[3] for i, row in enumerate(ROWS) if row[3]}
    expected[f"manifest.csv:{LINE}"] = "no value in column 'audio'"
    expected[f"manifest.csv:{LINE + 1}"] = "no value in column 'text'"
    expected[f"manifest.csv:{LINE + 4}"] = "unknown split 'extra'"
    expected[f"manifest.csv:{LINE + 5}"] = "not valid text in column 'text' (wrong encoding?)"
    assert reported == expected
    oov = next(d for d in data.dropped if d.reason == "characters outside the alphabet")
    assert oov.detail == "q x"
    # the file beside the corpus lists what no model can use; the model's own drops come after
    report = list(csv.DictReader((data.folder / "dropped.tsv").open(), delimiter="\t"))
    assert [r["row"] for r in report] == [
        d.row for d in data.dropped if d.reason != "more labels than CTC frames"
    ]
    assert set(report[0]) == {"source", "split", "row", "reason", "detail"}


def test_conversions_are_counted(registry, tiny, messy_manifest):
    converted = prepare(registry, "tr", str(messy_manifest)).converted
    assert converted["downmixed 2 channels"] == 1
    assert converted["downmixed 6 channels"] == 1
    for rate, rows in ((8_000, 1), (22_050, 1), (44_100, 1), (48_000, 2)):
        assert converted[f"resampled from {rate} Hz"] == rows


def test_prepared_audio_is_16k_mono_pcm_and_labels_are_the_text(registry, tiny, messy_manifest):
    data = prepare(registry, "tr", str(messy_manifest))
    row = data.splits["train"].with_format("numpy")[1]  # 1.2 s of 48 kHz stereo
    assert row["input_length"] == pytest.approx(1.2 * 16_000, abs=1)
    assert data.splits["train"].features["audio"].feature.dtype == "int16"
    assert len(row["audio"]) == row["input_length"]
    assert np.abs(row["audio"]).max() == pytest.approx(0.3 * 32768, rel=0.02)
    assert tiny.processor.tokenizer.decode(row["labels"], group_tokens=False) == "iyi günler"


def test_labels_are_what_the_models_tokenizer_gives(registry, tiny):
    vocabulary = registry.vocabulary("tr")
    for text in ("merhaba dünya", "ankara'daki ışık", "q"):
        assert vocabulary.encode(text) == tiny.processor.tokenizer(text).input_ids


def test_workers_give_the_same_data_as_one_process(registry, tiny, messy_manifest):
    serial = prepare(registry, "tr", str(messy_manifest), PrepareOptions(num_proc=1))
    shutil.rmtree(serial.folder)
    parallel = prepare(registry, "tr", str(messy_manifest), PrepareOptions(num_proc=2))
    assert parallel.folder == serial.folder  # the worker count is not part of the cache key
    assert parallel.dropped == serial.dropped
    for name, split in serial.splits.items():
        assert parallel.splits[name].to_dict() == split.to_dict()


def test_second_prepare_hits_the_cache_and_a_new_normalizer_version_does_not(
    registry, tiny, messy_manifest
):
    first = prepare(registry, "tr", str(messy_manifest))
    again = prepare(registry, "tr", str(messy_manifest))
    assert not first.from_cache and again.from_cache and again.folder == first.folder
    assert again.dropped == first.dropped and again.converted == first.converted
    registry.normalizers["tr"] = dataclasses.replace(registry.normalizers["tr"], version="99")
    bumped = prepare(registry, "tr", str(messy_manifest))
    assert not bumped.from_cache and bumped.folder != first.folder


def test_a_changed_audio_file_invalidates_the_cache(registry, tiny, messy_manifest):
    first = prepare(registry, "tr", str(messy_manifest))
    soundfile.write(messy_manifest.parent / "good.wav", tone(2.5), 16_000)
    second = prepare(registry, "tr", str(messy_manifest))
    assert not second.from_cache and second.folder != first.folder


def test_unknown_characters_can_map_to_unk(registry, tiny, messy_manifest):
    data = prepare(registry, "tr", str(messy_manifest), PrepareOptions(unknown_chars="unk"))
    row = data.splits["train"].filter(lambda r: r["text"] == "queen xavier")[0]
    assert row["labels"].count(tiny.processor.tokenizer.unk_token_id) == 2


def test_a_manifest_in_another_encoding_reads_with_the_encoding_option(registry, tiny, tmp_path):
    soundfile.write(tmp_path / "a.wav", tone(1.0), 16_000)
    (tmp_path / "latin5.tsv").write_bytes("audio\ttext\na.wav\tIşık\n".encode("iso8859-9"))
    data = prepare(registry, "tr", str(tmp_path / "latin5.tsv"), None, {"encoding": "iso8859-9"})
    assert data.splits["train"]["text"] == ["ışık"]


def test_jsonl_manifest_with_a_broken_line(registry, tiny, tmp_path):
    soundfile.write(tmp_path / "a.wav", tone(1.0), 16_000)
    lines = [json.dumps({"audio": "a.wav", "text": "bir iki", "speaker": "s1"}), "{not json"]
    (tmp_path / "m.jsonl").write_text("\n".join(lines) + "\n")
    data = prepare(registry, "tr", str(tmp_path / "m.jsonl"))
    assert data.splits["train"]["speaker"] == ["s1"]
    assert [(d.row, d.reason.split(":")[0]) for d in data.dropped] == [
        ("m.jsonl:2", "invalid JSON")
    ]


def test_read_audio_errors_are_reasons(tmp_path):
    with pytest.raises(AudioError, match="missing file"):
        read_audio(tmp_path / "nope.wav", 16_000)
    soundfile.write(tmp_path / "x.ogg", tone(0.5, 44_100), 44_100)
    assert len(read_audio((tmp_path / "x.ogg").read_bytes(), 16_000)) == pytest.approx(8_000, abs=2)


def test_data_prepare_cli_json(messy_manifest):
    command = ["data", "prepare", "tr", "--dataset", str(messy_manifest)]
    summary = json.loads(run_cli(*command, "--num-proc", "2", "--json").stdout)
    # without --model, the row too crowded for any 20 ms model's frames is still in the corpus
    assert summary["kept"] == {"test": 1, "train": GOOD + 1, "validation": 1}
    summary = json.loads(run_cli(*command, "--model", "tiny", "--json").stdout)
    assert summary["from_cache"] and summary["kept"]["train"] == GOOD
    assert summary["dropped_by_reason"]["more labels than CTC frames"] == 1
    assert summary["dropped_by_reason"]["unreadable audio"] == 1
    assert summary["converted"]["resampled from 48000 Hz"] == 2


def test_data_inspect_counts_durations_speakers_and_characters(messy_manifest):
    command = ["data", "inspect", "tr", "--dataset", str(messy_manifest), "--model", "tiny"]
    report = json.loads(run_cli(*command, "--rare-below", "2", "--json").stdout)
    kept = sum(split["rows"] for split in report["splits"].values())
    assert kept == GOOD + 2
    assert sum(b["rows"] for b in report["duration_histogram"]) == kept
    assert {b["from"] for b in report["duration_histogram"] if b["rows"]} == {1}  # 1.0-1.5 s
    characters = {c["char"]: c for c in report["characters"]}
    assert characters["ü"]["count"] == 4 and not characters["ü"]["rare"]  # dünya günler güle güle
    assert characters["ö"]["count"] == 1 and characters["ö"]["rare"]  # dört
    assert report["outside_alphabet"] == [{"char": "q", "rows": 1}, {"char": "x", "rows": 1}]


def test_a_failing_loader_leaves_no_prepared_or_half_written_folder(registry, tiny, tmp_path):
    from asrzoo import AudioRow, DatasetLoader
    from asrzoo.paths import data_dir

    soundfile.write(tmp_path / "a.wav", tone(1.0), 16_000)

    def rows():
        yield AudioRow("a", str(tmp_path / "a.wav"), "bir")
        raise RuntimeError("the disk went away")

    registry.dataset_loaders["flaky"] = DatasetLoader(
        "flaky", "fails halfway", lambda language: True, lambda language, options: {"train": rows()}
    )
    from asrzoo.errors import UserError

    with pytest.raises(UserError, match="'flaky' failed while reading its train rows.*disk went"):
        prepare(registry, "tr", "flaky")
    assert not list((data_dir() / "prepared" / "tr").glob("flaky-*"))


def test_a_loader_that_raises_in_load_is_one_error_naming_it(registry, tiny):
    from asrzoo import DatasetLoader
    from asrzoo.errors import UserError

    def load(language, options):
        raise KeyError("no such column")

    registry.dataset_loaders["broken"] = DatasetLoader(
        "broken", "raises", lambda language: True, load
    )
    with pytest.raises(UserError, match="dataset loader 'broken' failed: KeyError"):
        prepare(registry, "tr", "broken")


def test_concurrent_prepares_of_one_dataset_all_succeed_and_leave_no_staging(messy_manifest):
    import subprocess
    import sys

    args = [sys.executable, "-m", "asrzoo", "data", "prepare", "tr", "--dataset",
            str(messy_manifest), "--min-seconds", "0.31", "--json"]  # fmt: skip
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in outputs]
    folders = {json.loads(out)["folder"] for out, _ in outputs}
    assert len(folders) == 1
    folder = Path(folders.pop())
    assert not list(folder.parent.glob(f"{folder.name}.tmp*"))


def test_staging_left_by_a_killed_prepare_is_removed(registry, tiny, messy_manifest):
    from asrzoo.data.prepare import _remove_abandoned_staging

    data = prepare(registry, "tr", str(messy_manifest))
    dead = data.folder.with_name(data.folder.name + ".tmp999999999")
    dead.mkdir()
    alive = data.folder.with_name(data.folder.name + f".tmp{os.getppid()}")
    alive.mkdir()
    _remove_abandoned_staging(data.folder)
    assert not dead.exists() and alive.exists()
    alive.rmdir()


def test_a_clip_in_train_and_test_is_dropped_from_train_and_repeats_are_reported(
    registry, tiny, tmp_path
):
    for name in ("a.wav", "b.wav", "c.wav"):
        writer(1.0)(tmp_path / name)
    (tmp_path / "sub").mkdir()  # the test row names a.wav another way
    lines = ["audio,text,split", "a.wav,bir,train", "b.wav,iki,train", "sub/../a.wav,bir,test",
             "c.wav,üç,train", "c.wav,üç,train", "b.wav,iki,dev"]  # fmt: skip
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")
    data = prepare(registry, "tr", str(tmp_path / "m.csv"))
    assert data.splits["train"]["id"] == ["m.csv:5"]
    assert data.splits["test"]["id"] == ["m.csv:4"] and data.splits["validation"]["id"] == [
        "m.csv:7"
    ]
    reasons = {d.row: d.reason for d in data.dropped}
    assert reasons == {"m.csv:2": "audio also in the test split",
                       "m.csv:3": "audio also in the validation split",
                       "m.csv:6": "duplicate row"}  # fmt: skip


def test_a_killed_prepare_leaves_no_worker_processes(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    import psutil

    lines = ["audio,text"]
    for index in range(1500):
        soundfile.write(tmp_path / f"{index}.wav", tone(0.6 + index % 7 / 10), 16_000)
        lines.append(f"{index}.wav,bir iki üç")
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")
    args = [sys.executable, "-m", "asrzoo", "data", "prepare", "tr", "--dataset",
            str(tmp_path / "m.csv"), "--num-proc", "2"]  # fmt: skip
    run = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    while len(main.children(recursive=True)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # the fork server and its two workers
    helpers = main.children(recursive=True)
    assert len(helpers) >= 3, "the workers never started"
    run.send_signal(signal.SIGKILL)
    run.wait()
    gone, alive = psutil.wait_procs(helpers, timeout=15)
    assert not alive, [p.cmdline()[:3] for p in alive]


def test_one_prepared_corpus_serves_models_of_different_frame_rates(registry, tiny, tmp_path):
    """The labels-versus-frames check runs per model: tiny's 20 ms frames fit a second of
    30 labels, tiny-w2v-bert's 40 ms frames do not; the corpus is prepared once for both."""
    coarse = build_model("tiny-w2v-bert", registry.vocabulary("tr"), registry)
    writer(1.0)(tmp_path / "dense.wav")
    writer(1.0)(tmp_path / "sparse.wav")
    manifest = tmp_path / "m.csv"
    manifest.write_text("audio,text\ndense.wav,bu cümle otuz harften oluşuyor\nsparse.wav,kısa\n")
    data = prepare(registry, "tr", str(manifest))
    fine, rough = for_model(data, tiny), for_model(data, coarse)
    assert prepare(registry, "tr", str(manifest)).folder == data.folder
    assert fine.splits["train"]["text"] == ["bu cümle otuz harften oluşuyor", "kısa"]
    assert rough.splits["train"]["text"] == ["kısa"]
    (drop,) = rough.dropped
    assert (drop.row, drop.reason) == ("m.csv:2", "more labels than CTC frames")
    assert not data.dropped and not fine.dropped  # the corpus itself is untouched
