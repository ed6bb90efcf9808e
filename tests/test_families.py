"""Every model family's tiny preset trains and evaluates through the one CTC loop."""

import json

import pytest

from asrzoo.testing import SMALL_CORPUS, run_cli


def asrzoo(*args):
    return json.loads(run_cli(*args).stdout)


@pytest.mark.parametrize("family", ["hubert", "wav2vec2-conformer"])
def test_a_tiny_preset_trains_evaluates_and_loads_in_pipeline(family, tmp_path):
    from transformers import pipeline

    out = tmp_path / f"tiny-{family}"
    record = asrzoo(
        "train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", f"tiny-{family}",
        "--max-steps", "3", "--logging-steps", "1", "--output-dir", str(out), "--json",
    )  # fmt: skip
    assert record["family"] == family and record["training"]["steps"] == 3
    losses = [e["loss"] for e in json.loads((out / "asrzoo.json").read_text())["log_history"]
              if "loss" in e]  # fmt: skip
    assert len(losses) == 3 and all(loss > 0 for loss in losses)
    evaluated = asrzoo("evaluate", str(out), "--dataset", "synthetic", "--json")
    assert evaluated["metrics"]["utterances"] == 20
    assert pipeline("automatic-speech-recognition", model=str(out)).model.config.model_type == (
        family
    )
