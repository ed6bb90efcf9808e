"""n-gram LM decoding end to end: build with KenLM, tune on validation, decode with the LM in
asrzoo and in transformers' pipeline()."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from asrzoo import UserError
from asrzoo.decoding.lm import kenlm_tool
from asrzoo.testing import SMALL_CORPUS, run_cli

SENTENCES = Path(__file__).parents[1] / "languages" / "tr" / "asrzoo_tr" / "sentences.txt"


def _kenlm_missing() -> str | None:
    """Why n-gram LMs cannot be built here, if they cannot: KenLM is optional (scripts/setup
    builds it where it can; CI installs what it needs)."""
    try:
        kenlm_tool("lmplz")
        kenlm_tool("build_binary")
        import kenlm  # noqa: F401
        import pyctcdecode  # noqa: F401
    except (UserError, ImportError) as missing:
        return f"KenLM is not installed ({missing}); run bash scripts/build_kenlm"
    return None


needs_kenlm = pytest.mark.skipif(_kenlm_missing() is not None, reason=str(_kenlm_missing()))


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("lm-models") / "tr-lm"
    train = ["train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny"]
    run_cli(*train, "--max-steps", "2", "--output-dir", str(out), "--json")
    return out


@pytest.fixture(scope="module")
def clean_lm(tmp_path_factory):
    """From the plugin's sentences: those of the synthetic validation and test splits left out."""
    out = tmp_path_factory.mktemp("lms") / "tr-3gram"
    return out, json.loads(
        run_cli("lm", "build", "tr", "--order", "3", "--output", str(out), "--json").stdout
    )


@needs_kenlm
def test_the_default_corpus_leaves_out_every_held_out_sentence(clean_lm):
    folder, meta = clean_lm
    all_sentences = len(SENTENCES.read_text("utf-8").splitlines())
    assert meta["left_out"] == {"in a validation or test split": 300}  # 100 + 200
    assert meta["sentences"] == all_sentences - 300 and meta["order"] == 3
    assert "\\3-grams:" in (folder / "lm.arpa").read_text("utf-8")
    assert (folder / "lm.bin").stat().st_size > 0
    assert meta["alphabet"] == "abcçdefgğhıijklmnoöprsştuüvyz'"


@needs_kenlm
def test_an_lm_that_knows_test_sentences_is_refused(model, tmp_path):
    leaky = tmp_path / "leaky"
    run_cli("lm", "build", "tr", "--text", str(SENTENCES), "--order", "3", "--output", str(leaky))
    result = run_cli(
        "lm", "tune", str(model), "--lm", str(leaky), "--dataset", "synthetic", check=False
    )
    assert result.returncode == 1 and "sentences of this dataset's test split" in result.stderr


@needs_kenlm
def test_tuning_on_test_data_is_refused(model, clean_lm):
    result = run_cli(
        "lm", "tune", str(model), "--lm", str(clean_lm[0]), "--dataset", "synthetic",
        "--split", "test", check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "tune on validation data" in result.stderr


@needs_kenlm
def test_tuned_model_decodes_with_its_lm_in_asrzoo_and_in_pipeline(model, clean_lm):
    # an untrained model's flat scores make beam search slow: a small grid and beam
    tune = ["lm", "tune", str(model), "--lm", str(clean_lm[0]), "--dataset", "synthetic"]
    grid = ["--alphas", "0.5,1", "--betas", "0,2", "--beam-width", "8"]
    tuned = json.loads(run_cli(*tune, *grid, "--json").stdout)
    assert tuned["tuned_on"]["split"] == "validation" and len(tuned["tuned_on"]["grid"]) == 4
    best = min(tuned["tuned_on"]["grid"], key=lambda g: (g["wer"], g["cer"]))
    assert (tuned["alpha"], tuned["beta"]) == (best["alpha"], best["beta"])
    saved = json.loads((model / "asrzoo.json").read_text())["lm"]
    assert saved["alpha"] == tuned["alpha"] and (model / "language_model" / "lm.bin").is_file()

    evaluated = json.loads(
        run_cli("evaluate", str(model), "--dataset", "synthetic", "--json").stdout
    )
    assert evaluated["metrics"]["utterances"] == evaluated["lm_metrics"]["utterances"] == 20
    assert evaluated["lm"]["alpha"] == tuned["alpha"]
    predictions = [json.loads(line) for line in open(evaluated["predictions_file"])]
    assert {"prediction", "lm_prediction"} <= predictions[0].keys()

    from transformers import AutoProcessor, pipeline

    assert type(AutoProcessor.from_pretrained(model)).__name__ == "Wav2Vec2ProcessorWithLM"
    assert pipeline("automatic-speech-recognition", model=str(model)).type == "ctc_with_lm"

    # its ONNX export takes the LM along: the export folder alone decodes with it, as torch does
    run_cli("export", str(model), "--onnx")
    assert (model / "onnx" / "language_model" / "lm.bin").is_file()
    evaluate_onnx = ["evaluate", str(model / "onnx"), "--dataset", "synthetic", "--backend", "onnx"]
    on_onnx = json.loads(run_cli(*evaluate_onnx, "--json").stdout)
    assert on_onnx["lm_metrics"]["wer"] == pytest.approx(evaluated["lm_metrics"]["wer"], abs=0.02)


@needs_kenlm
def test_an_lm_of_another_alphabet_is_a_clear_error(model, clean_lm, tmp_path):
    other = tmp_path / "other-lm"
    shutil.copytree(clean_lm[0], other)
    meta = json.loads((other / "asrzoo-lm.json").read_text())
    meta["alphabet"] = "абвгд"
    (other / "asrzoo-lm.json").write_text(json.dumps(meta))
    result = run_cli(
        "evaluate", str(model), "--dataset", "synthetic", "--lm", str(other), check=False
    )
    assert result.returncode == 1 and "another alphabet than the model" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_text_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_text("?!\n...\n\n", encoding="utf-8")
    result = run_cli("lm", "build", "tr", "--text", str(tmp_path / "empty.txt"), check=False)
    assert result.returncode == 1 and "empty after normalization" in result.stderr


def test_a_missing_kenlm_tool_says_how_to_get_it():
    with pytest.raises(UserError, match="scripts/setup"):
        kenlm_tool("lmplz-that-is-not-installed")


def _confident_scores(tokenizer, text: str) -> np.ndarray:
    """CTC log-probabilities that spell ``text``: each character's frame, then a blank."""
    vocabulary = tokenizer.get_vocab()
    ids = [vocabulary["|" if c == " " else c] for c in text]
    frames = np.full((2 * len(ids), len(vocabulary)), np.log(0.001 / len(vocabulary)), np.float32)
    frames[0::2][np.arange(len(ids)), ids] = np.log(0.999)
    frames[1::2, tokenizer.pad_token_id] = np.log(0.999)
    return frames


@needs_kenlm
def test_a_long_recording_decodes_whole_with_the_lm(model, clean_lm):
    """Ten minutes of scores go to the beam search in pieces; the text comes back whole, also
    where a piece had to end inside a word (a stretch with no space to cut at)."""
    from transformers import AutoTokenizer

    from asrzoo.decoding.lm import SEGMENT_FRAMES, LanguageModel, LMDecoder

    tokenizer = AutoTokenizer.from_pretrained(model)
    sentences = (clean_lm[0] / "sentences.txt").read_text("utf-8").splitlines()
    text = " ".join(sentences[:400]) + " " + "merhaba" * 200
    scores = _confident_scores(tokenizer, text)
    assert len(scores) > 10 * SEGMENT_FRAMES
    with LMDecoder(LanguageModel.load(clean_lm[0]), tokenizer, beam_width=8) as decoder:
        assert decoder.decode([scores, scores[:40]]) == [text, text[:20]]


@needs_kenlm
def test_an_lm_never_overwrites_the_users_files_and_a_damaged_one_is_one_line(
    model, clean_lm, tmp_path
):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "sentences.txt").write_text("the user's")
    text = tmp_path / "text.txt"
    text.write_text("merhaba dünya\nbugün hava güzel\n", encoding="utf-8")
    build = ["lm", "build", "tr", "--text", str(text), "--order", "2", "--output"]
    refused = run_cli(*build, str(mine), check=False)
    assert refused.returncode == 1 and "did not write" in refused.stderr
    assert (mine / "sentences.txt").read_text() == "the user's"
    run_cli(*build, str(tmp_path / "new"))
    run_cli(*build, str(tmp_path / "new"))  # over its own LM

    damaged = tmp_path / "damaged"
    shutil.copytree(clean_lm[0], damaged)
    (damaged / "lm.bin").write_text("garbage")
    evaluate = ["evaluate", str(model), "--dataset", "synthetic", *SMALL_CORPUS, "--lm"]
    result = run_cli(*evaluate, str(damaged), check=False)
    assert result.returncode == 1 and "cannot be loaded" in result.stderr
    assert "Traceback" not in result.stderr
    tune = ["lm", "tune", str(model), "--lm", str(clean_lm[0]), "--dataset", "synthetic"]
    nan = run_cli(*tune, "--alphas", "nan", "--betas", "0", check=False)
    assert nan.returncode == 2 and "finite numbers of at least 0" in nan.stderr
