"""n-gram language models for CTC beam search: built with KenLM's lmplz, decoded with pyctcdecode.

An LM folder holds ``lm.arpa``, ``lm.bin`` (KenLM's binary form), ``unigrams.txt``, the
normalized ``sentences.txt`` it was built from and ``asrzoo-lm.json`` (language, normalizer,
alphabet, order, corpus). Its text is normalized with
the language's own normalizer, so LM and acoustic model share one alphabet and casing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from asrzoo import paths
from asrzoo.data.manifests import read_text_lines
from asrzoo.data.parallel import ChunkPool, available_cpus
from asrzoo.errors import UserError

META = "asrzoo-lm.json"
LANGUAGE_MODEL = "language_model"  # a model's tuned LM, where Wav2Vec2ProcessorWithLM looks
HELD_OUT = ("validation", "test")  # splits whose sentences never go into an LM
LM_FILES = ("lm.arpa", "lm.bin", "sentences.txt", "unigrams.txt", META)  # what lm build writes


def kenlm_tool(name: str) -> str:
    """lmplz or build_binary: beside this Python (scripts/setup builds them there), or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise UserError(
            f"KenLM's {name} is not installed: run scripts/setup, which builds it from the kenlm"
            " sources (scripts/build_kenlm)"
        )
    return found


def held_out_sentences(registry, language_code: str) -> set[str]:
    """Normalized sentences of the synthetic corpus's validation and test splits: the plugin's
    sentences feed both that corpus and the default LM, so these must stay out of the LM."""
    if "synthetic" not in registry.loaders(language_code):
        return set()
    loader, _ = registry.loader(language_code, "synthetic")
    normalizer = registry.normalizer(language_code)
    # the splits of sentences do not depend on how many voices render them: one is enough
    splits = loader.load(registry.language(language_code), {"renders": "1"})
    return {normalizer(row.text) for split in HELD_OUT for row in splits.get(split, [])}


def lm_corpus(registry, language_code: str, text_files: list[Path]) -> tuple[list[str], dict]:
    """Normalized, in-alphabet sentences from ``text_files``, else from the language plugin's
    sentences without those held out for evaluation; and counts of what was left out."""
    normalizer = registry.normalizer(language_code)
    vocabulary = registry.vocabulary(language_code)
    if text_files:
        lines = [line for f in text_files for line in read_text_lines(f)]
        held_out: set[str] = set()
    else:
        lines = registry.language(language_code).read_sentences()
        held_out = held_out_sentences(registry, language_code)
    left_out = Counter()
    sentences = []
    for line in lines:
        text = normalizer(line)
        if not text:
            left_out["empty after normalization"] += 1
        elif vocabulary.out_of_alphabet(text):
            left_out["characters outside the alphabet"] += 1
        elif text in held_out:
            left_out["in a validation or test split"] += 1
        else:
            sentences.append(text)
    if not sentences:
        raise UserError(f"the text corpus for {language_code} is empty after normalization")
    return sentences, dict(left_out)


def build_lm(
    registry, language_code: str, text_files: list[Path], order: int, output: Path | None
) -> dict:
    """Build an n-gram LM folder; returns its metadata."""
    if not 2 <= order <= 6:
        raise UserError("--order must be between 2 and 6 (KenLM's build supports up to 6)")
    lmplz, build_binary = kenlm_tool("lmplz"), kenlm_tool("build_binary")
    sentences, left_out = lm_corpus(registry, language_code, text_files)
    output = output or paths.asrzoo_home() / "lm" / f"{language_code}-{order}gram"
    _check_output(output)
    paths.claim(output)
    with tempfile.TemporaryDirectory() as work:
        # --discount_fallback: small corpora lack the counts Kneser-Ney discounts are fitted on
        command = [lmplz, "-o", str(order), "--discount_fallback", "-S", "20%", "-T", work]
        built = subprocess.run(
            command, input="\n".join(sentences) + "\n", capture_output=True, text=True
        )
    if built.returncode != 0:
        raise UserError(f"lmplz failed: {built.stderr.strip().splitlines()[-1]}")
    (output / "lm.arpa").write_text(built.stdout, encoding="utf-8")
    # kept: it shows what the LM knows, and lets `lm tune` check that no test sentence is in it
    (output / "sentences.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    binary = subprocess.run(
        [build_binary, str(output / "lm.arpa"), str(output / "lm.bin")],
        capture_output=True,
        text=True,
    )
    if binary.returncode != 0:
        raise UserError(f"build_binary failed: {binary.stderr.strip().splitlines()[-1]}")
    words = Counter(word for sentence in sentences for word in sentence.split())
    (output / "unigrams.txt").write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    normalizer, vocabulary = registry.normalizer(language_code), registry.vocabulary(language_code)
    meta = {
        "language": language_code,
        "normalizer_id": normalizer.id,
        "normalizer_version": normalizer.version,
        "alphabet": "".join(vocabulary.alphabet),
        "order": order,
        "sentences": len(sentences),
        "words": sum(words.values()),
        "unigrams": len(words),
        "left_out": left_out,
        "sources": [str(f) for f in text_files] or ["the language plugin's sentences"],
        "folder": str(output),
    }
    (output / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    paths.record(output, *LM_FILES)
    return meta


def _check_output(output: Path) -> None:
    """An LM goes into a new or empty folder, or over an LM that `lm build` wrote: never over
    files of the user's."""
    if not output.is_dir():
        return
    entries = {p.name for p in output.iterdir()} - {paths.MARKER}
    ours = paths.owned_entries(output) is not None or (output / META).is_file()
    if entries and (not ours or entries - set(LM_FILES)):
        raise UserError(
            f"{output} holds files that `asrzoo lm build` did not write: give another --output"
        )


@dataclass(frozen=True)
class LanguageModel:
    folder: Path
    meta: dict

    @classmethod
    def load(cls, folder: str | Path) -> LanguageModel:
        folder = Path(folder)
        if not (folder / META).is_file() or not (folder / "lm.bin").is_file():
            raise UserError(f"{folder} is not an LM folder from `asrzoo lm build`")
        try:
            return cls(folder, json.loads((folder / META).read_text("utf-8")))
        except ValueError as error:
            raise UserError(f"{folder / META} is damaged: {error}") from error

    def sentences(self) -> set[str]:
        path = self.folder / "sentences.txt"
        return set(path.read_text("utf-8").splitlines()) if path.is_file() else set()

    def unigrams(self) -> list[str]:
        return (self.folder / "unigrams.txt").read_text("utf-8").split()

    def check_alphabet(self, tokenizer) -> None:
        """An LM is only useful with a model that writes the same characters."""
        model = {t for t in tokenizer.get_vocab() if len(t) == 1 and t != "|"}
        ours = set(self.meta["alphabet"])
        if model != ours:
            missing = "".join(sorted(ours - model)) or "-"
            extra = "".join(sorted(model - ours)) or "-"
            raise UserError(
                f"the LM in {self.folder} ({self.meta['language']}) has another alphabet than"
                f" the model: only in the LM: {missing}; only in the model: {extra}"
            )


def ctc_labels(tokenizer) -> list[str]:
    """The tokenizer's tokens in id order, as pyctcdecode reads them ([PAD] blank, | space)."""
    return [token for token, _ in sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])]


def pyctcdecode_decoder(lm: LanguageModel, labels: list[str], alpha: float, beta: float):
    try:
        from pyctcdecode import build_ctcdecoder
    except ImportError as error:  # kenlm is imported by pyctcdecode too
        raise UserError(
            f"LM decoding needs pyctcdecode and kenlm ({error}): run scripts/setup"
        ) from error
    try:
        return build_ctcdecoder(
            labels, str(lm.folder / "lm.bin"), lm.unigrams(), alpha=alpha, beta=beta
        )
    except (OSError, RuntimeError) as error:  # KenLM's errors for a damaged binary
        message = str(error).strip().splitlines()[-1] if str(error).strip() else repr(error)
        raise UserError(f"the LM in {lm.folder} cannot be loaded: {message}") from error


@dataclass
class BeamSearch:
    """Decodes chunks of (log-probabilities, alpha, beta); sent to worker processes, where each
    builds its decoder (and loads the LM) once, on first use."""

    lm: LanguageModel
    labels: list[str]
    beam_width: int
    _decoder: object = field(default=None, repr=False)

    def __call__(self, items: list[tuple[np.ndarray, float, float]]) -> list[str]:
        texts = []
        for log_probs, alpha, beta in items:
            if self._decoder is None:
                self._decoder = pyctcdecode_decoder(self.lm, self.labels, alpha, beta)
            self._decoder.reset_params(alpha=alpha, beta=beta)
            texts.append(self._decoder.decode(log_probs, beam_width=self.beam_width))
        return texts

    def __getstate__(self):
        return {**self.__dict__, "_decoder": None}  # the KenLM model does not travel


# pyctcdecode's beams carry the whole text so far and its LM caches every prefix, so time and
# memory grow with the square of the length (an hour took over 5 GB): long scores are decoded
# in pieces of at most this many frames (30 s at 50 frames a second)
SEGMENT_FRAMES = 1500


def segments(log_probs: np.ndarray, space: int | None, blank: int, most: int = SEGMENT_FRAMES):
    """(piece, joiner) pairs whose pieces are ``log_probs`` cut into at most ``most`` frames:
    after the last frame of the second half of a piece that greedy decoding reads as a space
    (joined by " "), else as a blank, which ends no word (joined by "")."""
    best = log_probs.argmax(-1)
    pieces, start = [], 0
    while len(log_probs) - start > most:
        window = best[start + most // 2 : start + most]
        cuts = [np.flatnonzero(window == token) for token in (space, blank) if token is not None]
        found = next((c for c in cuts if len(c)), None)
        end = start + most // 2 + found[-1] + 1 if found is not None else start + most
        at_space = space is not None and best[end - 1] == space
        pieces.append((log_probs[start:end], " " if at_space else ""))
        start = end
    pieces.append((log_probs[start:], ""))
    return pieces


def joined(texts: list[str], joiners: list[str]) -> str:
    """The pieces' texts as one; an empty piece (15 s or more of blanks) ends a word."""
    text = ""
    for piece, joiner in zip(texts, joiners, strict=True):
        text += piece + joiner if piece else " "
    return " ".join(text.split())


class LMDecoder:
    """Beam search with an n-gram LM over one process pool, reused by every call (a new pool
    per batch costs more than it saves)."""

    def __init__(self, lm: LanguageModel, tokenizer, alpha=0.5, beta=1.5, beam_width=64):
        lm.check_alphabet(tokenizer)
        pyctcdecode_decoder(lm, ctc_labels(tokenizer), alpha, beta)  # fail here, not in a worker
        self.lm, self.alpha, self.beta, self.beam_width = lm, alpha, beta, beam_width
        vocabulary = tokenizer.get_vocab()
        self.space = vocabulary.get(tokenizer.word_delimiter_token)
        self.blank = tokenizer.pad_token_id
        search = BeamSearch(lm, ctc_labels(tokenizer), beam_width)
        self.pool = ChunkPool(search, min(available_cpus(), 8))

    def decode(self, log_probs: list[np.ndarray], alpha=None, beta=None) -> list[str]:
        alpha = self.alpha if alpha is None else alpha
        beta = self.beta if beta is None else beta
        cut = [segments(lp, self.space, self.blank) for lp in log_probs]
        items = [(piece, alpha, beta) for pieces in cut for piece, _ in pieces]
        texts = iter(text for _, found in self.pool.map(items, 4) for text in found)
        return [joined([next(texts) for _ in pieces], [j for _, j in pieces]) for pieces in cut]

    def close(self) -> None:
        self.pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
