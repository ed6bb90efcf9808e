"""Audio of any length: windows, stitched scores, word times, subtitles."""

import json
from itertools import pairwise

import numpy as np
import pytest
import soundfile

from asrzoo.decoding.long_audio import srt, windows
from asrzoo.testing import run_cli


@pytest.mark.parametrize("seconds, rate", [(5, 16_000), (61.3, 44_100), (16.0, 8_000)])
def test_windows_keep_every_sample_once_with_context_around(seconds, rate):
    frames = int(seconds * rate)
    plan = windows(frames, rate)
    assert plan[0].keep_start == 0 and plan[-1].keep_end == frames
    for before, after in pairwise(plan):
        assert before.keep_end == after.keep_start
    for w in plan:
        assert 0 <= w.read_start <= w.keep_start < w.keep_end <= w.read_end <= frames
        assert (w.read_end - w.read_start) / rate <= 20.0 + 1e-9


def test_srt_groups_words_into_short_numbered_cues():
    words = [{"word": f"w{i}", "start": i * 1.0, "end": i * 1.0 + 0.5} for i in range(10)]
    text = srt(words)
    blocks = text.strip().split("\n\n")
    assert blocks[0].splitlines() == ["1", "00:00:00,000 --> 00:00:05,500", "w0 w1 w2 w3 w4 w5"]
    assert blocks[1].splitlines()[1] == "00:00:06,000 --> 00:00:09,500"
    assert srt([]) == ""


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory):
    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry

    registry = Registry()
    built = build_model("tiny", registry.vocabulary("tr"), registry)
    folder = tmp_path_factory.mktemp("long") / "tiny"
    built.model.save_pretrained(folder)
    built.processor.save_pretrained(folder)
    return folder


def test_a_long_file_is_transcribed_in_windows_with_word_times(model_folder, tmp_path):
    rate, seconds = 44_100, 47.0
    t = np.arange(int(seconds * rate)) / rate
    stereo = np.stack([0.3 * np.sin(2 * np.pi * 220 * t), 0.2 * np.sin(2 * np.pi * 330 * t)], 1)
    soundfile.write(tmp_path / "long.flac", stereo, rate)
    soundfile.write(tmp_path / "short.wav", stereo[: 2 * rate], rate)
    (tmp_path / "broken.wav").write_bytes(b"not audio")
    command = ["transcribe", str(model_folder)]
    files = [str(tmp_path / name) for name in ("long.flac", "broken.wav", "short.wav")]
    long, broken, short = json.loads(run_cli(*command, *files, "--json").stdout)
    assert long["seconds"] == pytest.approx(seconds) and short["seconds"] == pytest.approx(2)
    assert broken["error"].startswith("unreadable audio")
    for item in (long, short):
        starts = [w["start"] for w in item["words"]]
        assert starts == sorted(starts) and all(
            0 <= w["end"] <= item["seconds"] for w in item["words"]
        )
        assert " ".join(w["word"] for w in item["words"]) == item["text"]
    subtitles = run_cli(*command, files[0], "--srt").stdout
    assert subtitles == srt(long["words"])


def test_a_long_file_cut_short_or_holding_nan_is_reported_and_the_rest_transcribed(
    model_folder, tmp_path
):
    rate = 16_000
    noise = 0.1 * np.random.default_rng(0).standard_normal(60 * rate)
    soundfile.write(tmp_path / "whole.flac", noise, rate)
    encoded = (tmp_path / "whole.flac").read_bytes()
    (tmp_path / "cut.flac").write_bytes(encoded[: len(encoded) // 3])  # its header says 60 s
    noise[30 * rate] = np.nan
    soundfile.write(tmp_path / "nan.wav", noise, rate, subtype="FLOAT")
    soundfile.write(tmp_path / "good.wav", noise[: 2 * rate], rate)
    files = [str(tmp_path / name) for name in ("cut.flac", "nan.wav", "good.wav")]
    cut, nan, good = json.loads(run_cli("transcribe", str(model_folder), *files, "--json").stdout)
    assert cut["error"].startswith("unreadable audio") and "text" not in cut
    assert nan["error"] == "NaN or infinite samples"
    assert "text" in good and "error" not in good


def test_subtitles_never_overwrite_a_file_or_each_other(model_folder, tmp_path):
    clip = 0.1 * np.random.default_rng(1).standard_normal(16_000)
    for name in ("a.wav", "a.flac", "b.wav"):
        soundfile.write(tmp_path / name, clip, 16_000)
    (tmp_path / "b.srt").write_text("the user's subtitles")
    command = ["transcribe", str(model_folder), "--srt"]
    same_stem = run_cli(*command, str(tmp_path / "a.wav"), str(tmp_path / "a.flac"), check=False)
    assert same_stem.returncode == 1 and "would both write" in same_stem.stderr
    existing = run_cli(*command, str(tmp_path / "a.wav"), str(tmp_path / "b.wav"), check=False)
    assert existing.returncode == 1 and "b.srt exists" in existing.stderr
    assert (tmp_path / "b.srt").read_text() == "the user's subtitles"
    assert not (tmp_path / "a.srt").exists()
    (tmp_path / "b.srt").unlink()
    run_cli(*command, str(tmp_path / "a.wav"), str(tmp_path / "b.wav"))
    assert (tmp_path / "a.srt").is_file() and (tmp_path / "b.srt").is_file()
