"""Comparing models: paired bootstrap intervals, and the HTML report as a browser renders it."""

import io
import json
import subprocess

import numpy as np
import pytest
from PIL import Image

from asrzoo.testing import SMALL_CORPUS, run_cli
from asrzoo.zoo.compare import paired_bootstrap, utterance_errors


def test_utterance_errors_count_every_edit():
    references = ["bir iki üç", "dört beş", "altı"]
    hypotheses = ["bir iki", "dört dört beş", "yedi"]  # a deletion, an insertion, a substitution
    assert utterance_errors(references, hypotheses).tolist() == [1, 1, 1]


def test_a_clearly_better_model_has_an_interval_below_zero():
    words = np.full(200, 10)
    better, worse = np.full(200, 1), np.full(200, 3)
    result = paired_bootstrap(better, worse, words)
    assert result["wer_difference"] == pytest.approx(-0.2)
    assert result["ci95"][1] < 0 and result["a_better_share"] == 1.0


def test_equal_models_have_an_interval_around_zero():
    rng = np.random.default_rng(1)
    words = rng.integers(3, 12, size=300)
    a = rng.binomial(words, 0.2)
    b = rng.permutation(a)  # the same errors, on other utterances
    result = paired_bootstrap(a, b, words)
    assert result["ci95"][0] < 0 < result["ci95"][1]


@pytest.fixture(scope="module")
def two_models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    train = ["train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny", "--json",
             "--logging-steps", "1"]  # fmt: skip
    for name, steps in (("short", "2"), ("longer", "4")):
        run_cli(*train, "--max-steps", steps, "--output-dir", str(folder / name))
    return folder


def test_compare_scores_both_on_the_same_rows_and_writes_a_report_that_renders(two_models):
    report = two_models / "report.html"
    result = json.loads(
        run_cli(
            "zoo",
            "compare",
            str(two_models / "short"),
            str(two_models / "longer"),
            "--dataset",
            "synthetic",
            "--html",
            str(report),
            "--json",
        ).stdout  # fmt: skip
    )
    assert result["rows"] == 20 and [m["id"] for m in result["models"]] == ["short", "longer"]
    assert all(m["utterances"] == 20 and m["real_time_factor"] > 0 for m in result["models"])
    [difference] = result["differences"]
    low, high = difference["ci95"]
    assert low <= difference["wer_difference"] <= high

    browser = ["chromium", "--headless", "--no-sandbox", "--disable-gpu"]
    dom = subprocess.run(
        [*browser, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert dom.count("<svg") == 2  # the WER chart and the training curves
    assert dom.count("<tr>") == 1 + 2 + 1 + 1  # headers, two models, one pair
    shot = two_models / "report.png"
    subprocess.run(
        [*browser, f"--screenshot={shot}", "--window-size=1000,1400", report.as_uri()],
        capture_output=True,
        timeout=120,
    )
    pixels = np.asarray(Image.open(io.BytesIO(shot.read_bytes())).convert("L"))
    assert pixels.std() > 10  # text and plots, not a blank page


def test_models_of_different_frame_rates_are_compared_on_one_prepared_corpus(tmp_path, monkeypatch):
    import asrzoo.zoo.compare
    from asrzoo.data.prepare import PrepareOptions
    from asrzoo.models.build import build_model
    from asrzoo.plugin.registry import Registry

    registry = Registry()
    folders = []
    for preset in ("tiny", "tiny-w2v-bert"):  # 20 ms and 40 ms frames
        built = build_model(preset, registry.vocabulary("tr"), registry)
        folders.append(str(tmp_path / preset))
        built.save(tmp_path / preset)
        (tmp_path / preset / "asrzoo.json").write_text(json.dumps({"language": "tr"}))
    preparations = []
    original = asrzoo.zoo.compare.prepare
    monkeypatch.setattr(
        asrzoo.zoo.compare, "prepare", lambda *a, **k: preparations.append(a) or original(*a, **k)
    )
    options = {k: v for k, v in (o.split("=") for o in SMALL_CORPUS[1::2])}
    result = asrzoo.zoo.compare.compare_models(
        registry, folders, "synthetic", "test", options, PrepareOptions()
    )
    assert len(preparations) == 1
    assert result["rows"] > 0 and len(result["models"]) == 2
