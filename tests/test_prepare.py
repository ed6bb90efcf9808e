import csv
import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest
import soundfile

from asrzoo import UserError
from asrzoo.audio import AudioError, read_audio
from asrzoo.model_builder import build_model
from asrzoo.prepare import PrepareOptions, prepare


def tone(seconds, rate=16_000, channels=1):
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.01 * np.random.default_rng(0).normal(size=t.size)
    return np.repeat(wave[:, None], channels, axis=1) if channels > 1 else wave


@pytest.fixture(scope="module")
def tiny(request):
    from asrzoo.registry import Registry

    registry = Registry()
    return build_model("tiny", registry.vocabulary("tr"), registry)


# (file, how to make it, text, expected reason or None for a good row)
ROWS = [
    ("good.wav", lambda p: soundfile.write(p, tone(1.5), 16_000), "Merhaba dünya.", None),
    (
        "stereo48k.wav",
        lambda p: soundfile.write(p, tone(1.2, 48_000, 2), 48_000),
        "İyi günler!",
        None,
    ),
    ("eight_k.flac", lambda p: soundfile.write(p, tone(1.0, 8_000), 8_000), "Güle güle", None),
    ("espeak22k.wav", lambda p: soundfile.write(p, tone(1.0, 22_050), 22_050), "Işık yandı", None),
    (
        "corrupt.wav",
        lambda p: p.write_bytes(b"RIFF\x00\x01garbage" * 50),
        "bozuk dosya",
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
    ("short.wav", lambda p: soundfile.write(p, tone(0.1), 16_000), "kısa", "too short"),
    ("long.wav", lambda p: soundfile.write(p, tone(21), 16_000), "uzun", "too long"),
    (
        "oov.wav",
        lambda p: soundfile.write(p, tone(1.0), 16_000),
        "Queen Xavier",
        "characters outside the alphabet",
    ),
    (
        "notext.wav",
        lambda p: soundfile.write(p, tone(1.0), 16_000),
        " ?! … ",
        "empty transcript after normalization",
    ),
    (
        "crowded.wav",
        lambda p: soundfile.write(p, tone(0.35), 16_000),
        "çok uzun bir cümle bu kadar kısa bir seste söylenemez",
        "more labels than CTC frames",
    ),
]


@pytest.fixture
def messy_manifest(tmp_path):
    with (tmp_path / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["audio", "text", "split"])
        for name, make, text, _ in ROWS:
            if make:
                make(tmp_path / name)
            writer.writerow([name, text, "train"])
        writer.writerow(["", "metin var ses yok", "train"])
        writer.writerow(["good.wav", "doğru", "dev"])
        writer.writerow(["good.wav", "test satırı", "test"])
    return tmp_path / "manifest.csv"


def test_every_good_row_kept_and_every_bad_row_reported(registry, tiny, messy_manifest):
    data = prepare(registry, "tr", str(messy_manifest), tiny)
    kept = sorted(data.splits["train"]["id"])
    good = [f"manifest.csv:{i + 2}" for i, row in enumerate(ROWS) if row[3] is None]
    assert kept == good
    assert data.splits["train"]["text"][0] == "merhaba dünya"
    assert data.splits["test"]["text"] == ["test satırı"]
    reported = {d.row: d.reason for d in data.dropped}
    expected = {f"manifest.csv:{i + 2}": row[3] for i, row in enumerate(ROWS) if row[3]}
    expected[f"manifest.csv:{len(ROWS) + 2}"] = "missing audio or text value"
    expected[f"manifest.csv:{len(ROWS) + 3}"] = "unknown split 'dev'"
    assert reported == expected
    oov = next(d for d in data.dropped if d.reason == "characters outside the alphabet")
    assert oov.detail == "q x"
    report = list(csv.DictReader((data.folder / "dropped.tsv").open(), delimiter="\t"))
    assert len(report) == len(expected) and report[0].keys() == {
        "source",
        "split",
        "row",
        "reason",
        "detail",
    }


def test_prepared_audio_is_16k_mono_and_labels_are_the_text(registry, tiny, messy_manifest):
    data = prepare(registry, "tr", str(messy_manifest), tiny)
    row = data.splits["train"][1]  # 1.2 s of 48 kHz stereo
    assert row["input_length"] == pytest.approx(1.2 * 16_000, abs=1)
    assert len(row["input_values"]) == row["input_length"]
    assert tiny.processor.tokenizer.decode(row["labels"], group_tokens=False) == "iyi günler"


def test_second_prepare_hits_the_cache_and_a_new_normalizer_version_does_not(
    registry, tiny, messy_manifest
):
    first = prepare(registry, "tr", str(messy_manifest), tiny)
    again = prepare(registry, "tr", str(messy_manifest), tiny)
    assert not first.from_cache and again.from_cache and again.folder == first.folder
    registry.normalizers["tr"] = dataclasses.replace(registry.normalizers["tr"], version="99")
    bumped = prepare(registry, "tr", str(messy_manifest), tiny)
    assert not bumped.from_cache and bumped.folder != first.folder


def test_unknown_characters_can_map_to_unk(registry, tiny, messy_manifest):
    data = prepare(registry, "tr", str(messy_manifest), tiny, PrepareOptions(unknown_chars="unk"))
    row = data.splits["train"].filter(lambda r: r["text"] == "queen xavier")[0]
    assert row["labels"].count(tiny.processor.tokenizer.unk_token_id) == 2


def test_a_manifest_that_is_not_utf8_is_a_clear_error(registry, tiny, tmp_path):
    manifest = tmp_path / "latin1.tsv"
    manifest.write_bytes("audio\ttext\na.wav\tI\xfe\xfdk\n".encode("latin-1"))
    with pytest.raises(UserError, match="latin1.tsv is not UTF-8"):
        prepare(registry, "tr", str(manifest), tiny)


def test_jsonl_manifest_with_a_broken_line(registry, tiny, tmp_path):
    soundfile.write(tmp_path / "a.wav", tone(1.0), 16_000)
    lines = [json.dumps({"audio": "a.wav", "text": "bir iki", "speaker": "s1"}), "{not json"]
    (tmp_path / "m.jsonl").write_text("\n".join(lines) + "\n")
    data = prepare(registry, "tr", str(tmp_path / "m.jsonl"), tiny)
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
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "asrzoo",
            "data",
            "prepare",
            "tr",
            "--dataset",
            str(messy_manifest),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["kept"] == {"test": 1, "train": 4}
    assert summary["dropped_by_reason"]["unreadable audio"] == 1
