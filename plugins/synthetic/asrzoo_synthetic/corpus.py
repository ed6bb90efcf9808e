"""A synthetic speech corpus: every sentence rendered by espeak-ng with varied voices, speeds,
pitches and light noise; deterministic by seed; test sentences never occur in training."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import unicodedata
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from asrzoo import UserError, available_cpus, progress, write_atomic
from asrzoo_synthetic.espeak import espeak

if TYPE_CHECKING:  # numpy and soundfile load where clips are rendered: a corpus found is light
    import numpy as np

CORPUS_VERSION = "1"  # bump when rendering changes
SHARD = 32  # clips rendered in one fresh process
VARIANTS = (
    "", "+m1", "+m2", "+m3", "+m4", "+m5", "+m6", "+m7",
    "+f1", "+f2", "+f3", "+f4", "+f5", "+klatt", "+klatt2", "+klatt4",
)  # fmt: skip


# For -O voices=unseen: espeak-ng variants, speaking rates and pitches that the corpus never uses,
# so that a model is tested on voices it never heard
UNSEEN_VARIANTS = (
    "+Andy", "+Annie", "+anika", "+aunty", "+boris", "+croak", "+edward", "+grandma",
    "+grandpa", "+iven", "+john", "+linda", "+m8", "+max", "+michel", "+norbert",
)  # fmt: skip
UNSEEN_RATES = ((100, 124), (196, 225))  # words a minute; the corpus: 130-190
UNSEEN_PITCHES = ((5, 24), (76, 95))  # the corpus: 30-70


@dataclass(frozen=True)
class CorpusOptions:
    seed: int = 0
    renders: int = 4  # renders of each training sentence
    validation: int = 100  # sentences
    test: int = 200  # sentences
    sentences: int = 0  # use only this many sentences (0: all)
    # "unseen": the held-out sentences only, in variants, rates and pitches the corpus never uses
    voices: str = "corpus"

    @classmethod
    def parse(cls, options: dict) -> CorpusOptions:
        kinds = {name: type(f.default) for name, f in cls.__dataclass_fields__.items()}
        known = {k: kinds[k](v) for k, v in options.items() if k in kinds}
        if known.get("voices", "corpus") not in ("corpus", "unseen"):
            raise ValueError(f"-O voices= takes corpus or unseen, not {known['voices']!r}")
        for name, value in known.items():
            least = 1 if name == "renders" else 0
            if isinstance(value, int) and value < least:
                raise ValueError(f"-O {name}= takes a whole number of at least {least}")
        unknown = set(options) - set(known)
        if unknown:
            valid = ", ".join(cls.__dataclass_fields__)
            raise ValueError(f"unknown synthetic option(s) {sorted(unknown)}; valid: {valid}")
        return cls(**known)


@dataclass(frozen=True)
class Clip:
    split: str
    id: str
    text: str  # the transcript
    speech: str  # what espeak-ng reads: the text, or its reading (kana for Japanese kanji)
    voice: str
    rate: int
    pitch: int
    snr_db: float | None  # white noise at this signal-to-noise ratio, or none
    seed: int


def sentence_key(sentence: str) -> str:
    """Sentences equal up to case, punctuation and diacritics count as one, so that none leaks
    from test into training. casefold() is not Turkish-aware ("İ" -> "i" + U+0307, "I" -> "i"
    where Turkish has "ı"), so marks go and "ı" counts as "i": merging a rare true pair is the
    safe mistake. Vowel signs of Indic scripts are marks that count (unlike regex ``\\w``,
    which does not match them), so only letters, marks and digits make up words."""
    decomposed = unicodedata.normalize("NFKD", sentence.casefold().replace("ı", "i"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(
        "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in bare).split()
    )


Sentence = tuple[str, str]  # (written, spoken)


def split_sentences(sentences: list[Sentence], options: CorpusOptions) -> dict[str, list[Sentence]]:
    unique = list({sentence_key(s[0]): s for s in sentences}.values())
    random.Random(options.seed).shuffle(unique)
    if options.sentences:
        unique = unique[: options.sentences]
    n_test, n_val = options.test, options.validation
    if n_test + n_val >= len(unique):
        raise UserError(
            f"{len(unique)} distinct sentences cannot fill {n_test} test and {n_val} validation"
            " sentences and leave some to train on: give fewer, e.g."
            f" -O test={max(1, len(unique) // 5)} -O validation={max(1, len(unique) // 10)},"
            " or more sentences (-O text_file=FILE)"
        )
    return {
        "test": unique[:n_test],
        "validation": unique[n_test : n_test + n_val],
        "train": unique[n_test + n_val :],
    }


def plan_clips(voice: str, splits: dict[str, list[Sentence]], options: CorpusOptions) -> list[Clip]:
    rng = random.Random(options.seed)
    clips = []
    for split, sentences in splits.items():
        renders = options.renders if split == "train" else 1
        for index, (text, speech) in enumerate(sentences):
            for render in range(renders):
                clips.append(
                    Clip(
                        split=split,
                        id=f"{split}-{index:05d}-{render}",
                        text=text,
                        speech=speech,
                        voice=voice + rng.choice(VARIANTS),
                        rate=rng.randint(130, 190),
                        pitch=rng.randint(30, 70),
                        snr_db=rng.uniform(15, 40) if rng.random() < 0.5 else None,
                        seed=rng.randrange(2**31),
                    )
                )
    if options.voices == "unseen":  # a test set: the held-out sentences only
        clips = [_unseen(c, random.Random(c.seed)) for c in clips if c.split != "train"]
    return clips


def _unseen(clip: Clip, rng: random.Random) -> Clip:
    """The same sentence in a voice, at a rate and a pitch that the corpus never uses."""
    return dataclasses.replace(
        clip,
        voice=clip.voice.split("+")[0] + rng.choice(UNSEEN_VARIANTS),
        rate=rng.randint(*rng.choice(UNSEEN_RATES)),
        pitch=rng.randint(*rng.choice(UNSEEN_PITCHES)),
    )


def trim_silence(samples: np.ndarray, threshold: int = 200, margin: int = 2_000) -> np.ndarray:
    import numpy as np

    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples
    return samples[max(loud[0] - margin, 0) : loud[-1] + margin]


def render(clip: Clip, folder: str) -> tuple[str, float]:
    import numpy as np
    import soundfile

    synth = espeak()
    samples = trim_silence(synth.synthesize(clip.speech, clip.voice, clip.rate, clip.pitch))
    if clip.snr_db is not None:
        signal = samples.astype(np.float64)
        noise_power = np.mean(signal**2) / 10 ** (clip.snr_db / 10)
        noise = np.random.default_rng(clip.seed).normal(0, np.sqrt(noise_power), len(signal))
        samples = np.clip(signal + noise, -32768, 32767).astype(np.int16)
    path = os.path.join(folder, clip.split, f"{clip.id}.wav")
    soundfile.write(path, samples, synth.sample_rate, subtype="PCM_16")
    return path, len(samples) / synth.sample_rate


def render_shard(clips: list[Clip], folder: str) -> list[tuple[str, float]]:
    return [render(clip, folder) for clip in clips]


def build_corpus(
    language_code: str, voice: str, sentences: list[Sentence], options: CorpusOptions, root: Path
) -> Path:
    """Render the corpus once into ``root``; later calls find it there. Returns its manifest.

    The folder is named by a hash of every clip's plan. Planning thousands of clips takes most
    of a second, so the inputs' own hash (the plan is a function of them) is noted beside, with
    the folder it gave: a later call with the same inputs goes straight there."""
    inputs = hashlib.sha256(
        json.dumps([CORPUS_VERSION, voice, sentences, asdict(options)]).encode()
    ).hexdigest()[:16]
    noted = root / language_code / f"inputs-{inputs}"
    try:
        manifest = root / language_code / noted.read_text().strip() / "manifest.jsonl"
        if manifest.exists():
            return manifest
    except OSError:
        pass
    splits = split_sentences(sentences, options)
    clips = plan_clips(voice, splits, options)
    key = hashlib.sha256(
        json.dumps([CORPUS_VERSION, voice, [asdict(c) for c in clips]]).encode()
    ).hexdigest()[:16]
    folder = root / language_code / key
    manifest = folder / "manifest.jsonl"
    if manifest.exists():
        _note(noted, key)
        return manifest
    staging = folder.with_name(f"{key}.tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    for split in splits:
        (staging / split).mkdir(parents=True)
    workers = min(available_cpus(), 8)
    shards = [clips[i : i + SHARD] for i in range(0, len(clips), SHARD)]
    records = []
    # espeak-ng keeps static state (noise generators, filter memories) that no API call resets,
    # so a clip's samples depend on what the same process spoke before it. Each shard therefore
    # runs in a brand-new process forked from a clean server: the corpus depends only on the seed,
    # not on timing or the number of cores.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with context.Pool(workers, maxtasksperchild=1) as pool, progress() as bar:
        task = bar.add_task(f"synthesizing {language_code} speech", total=len(clips))
        rendered = pool.imap(partial(render_shard, folder=str(staging)), shards)
        for shard, results in zip(shards, rendered, strict=True):
            for clip, (path, seconds) in zip(shard, results, strict=True):
                relative = os.path.relpath(path, staging)
                records.append({**asdict(clip), "audio": relative, "seconds": round(seconds, 3)})
            bar.advance(task, len(shard))
    with (staging / "manifest.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    try:
        staging.rename(folder)  # the corpus folder is either complete or absent
    except OSError:
        if not manifest.exists():
            raise
        shutil.rmtree(staging)  # another process rendered the same corpus first
    _note(noted, key)
    return manifest


def _note(path: Path, key: str) -> None:
    try:
        write_atomic(path, key)
    except OSError:  # a read-only home: planned again next time, which is only slower
        pass
