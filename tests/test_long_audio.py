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
