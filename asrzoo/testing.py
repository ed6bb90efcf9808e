"""Helpers for the tests of asrzoo and of its plugins, and a pytest plugin (entry point
``pytest11``): the language-plugin conformance suite, and a throwaway asrzoo home for every test
session so that tests never write into the user's."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
import unicodedata

import numpy as np
import pytest

# a synthetic Turkish corpus small enough to render, prepare and train on in seconds
SMALL_CORPUS = (
    "-O", "sentences=260", "-O", "test=20", "-O", "validation=10", "-O", "renders=1",
)  # fmt: skip


def run_cli(*args: str, check: bool = True, env: dict | None = None):
    """``asrzoo ARGS`` as a user runs it: its exit code, stdout and stderr (a
    ``subprocess.CompletedProcess``); with ``check``, a failure fails the test and shows the end
    of its stderr. It runs in this process, which saves each call seconds of imports; with
    ``env``, in a fresh ``python -m asrzoo`` with that environment (for plugins installed for
    the test, or anything that must start clean)."""
    if env is None:
        result = _run_in_process(args)
    else:
        result = subprocess.run(
            [sys.executable, "-m", "asrzoo", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def _run_in_process(args: tuple[str, ...]) -> subprocess.CompletedProcess:
    import importlib

    from asrzoo.cli import main
    from asrzoo.plugin.registry import current_registry

    current_registry.cache_clear()  # plugins as installed now
    importlib.invalidate_caches()
    out, err, code = io.StringIO(), io.StringIO(), 0
    argv, sys.argv = sys.argv, ["asrzoo", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as done:
                if isinstance(done.code, str):  # sys.exit("message")
                    print(done.code, file=sys.stderr)
                code = 1 if isinstance(done.code, str) else done.code or 0
            except BaseException:  # what a user would see as a traceback
                traceback.print_exc()
                code = 1
    finally:
        sys.argv = argv
    return subprocess.CompletedProcess(["asrzoo", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session", autouse=True)
def asrzoo_test_home(tmp_path_factory):
    """Corpora rendered and models trained by tests go to a temporary home, not the user's."""
    home = tmp_path_factory.mktemp("asrzoo-home")
    before = os.environ.get("ASRZOO_HOME")
    os.environ["ASRZOO_HOME"] = str(home)
    yield home
    if before is None:
        del os.environ["ASRZOO_HOME"]
    else:
        os.environ["ASRZOO_HOME"] = before


# --- the conformance suite every language plugin runs ----------------------------------------

# Noise that a normalizer must strip whatever the language: punctuation of many scripts, quotes,
# dashes, symbols, odd spaces, and the characters that must never reach CTC labels ("|" is the
# word delimiter; the Devanagari danda looks like it).
_NOISE = (
    "«{}»", "“{}”", '"{}"', "¿{}?", "¡{}!", "({})", "[{}]", "{}...", "{}…", "— {} —",
    "{}।", "{}॥", "{}؟", "{}،", "{}。", "{}，", "{}、", "{}!!", "{};", "{}:", "{} | {}",
    " \t{}\u00a0 ", "{}\u200b", "* {} #", "{} ©", "{} ♪",
)  # fmt: skip


class LanguagePluginTests:
    """The conformance suite of a language plugin. In the plugin's tests::

        from asrzoo.testing import LanguagePluginTests

        class TestConformance(LanguagePluginTests):
            language = "de"

    pytest then runs every check below against the installed plugin: it registers a language,
    a normalizer and a vocabulary; the normalizer is idempotent, NFC-stable, strips noise and
    keeps its output inside the alphabet; every sentence normalizes to in-alphabet text; and,
    where the language has an espeak-ng voice, the synthetic loader yields rows the engine keeps.
    """

    language: str = ""
    # sentences probed with noise (all of them: slow for very large files)
    probe_sentences: int = 200

    @pytest.fixture(scope="class")
    @classmethod
    def registry(cls):
        from asrzoo.plugin.registry import Registry

        return Registry()

    @pytest.fixture(scope="class")
    @classmethod
    def lang(cls, registry):
        assert cls.language, f"{cls.__name__} must set `language = CODE`"
        return registry.language(cls.language)

    @pytest.fixture(scope="class")
    @classmethod
    def normalize(cls, registry, lang):
        return registry.normalizer(lang.code)

    @pytest.fixture(scope="class")
    @classmethod
    def vocabulary(cls, registry, lang):
        return registry.vocabulary(lang.code)

    @pytest.fixture(scope="class")
    @classmethod
    def sentences(cls, lang):
        return lang.read_sentences()

    @pytest.fixture(scope="class")
    @classmethod
    def probes(cls, sentences):
        """Sentences as raw transcripts arrive: upper case, decomposed, wrapped in noise."""
        picked = sentences[: cls.probe_sentences]
        probes = []
        for i, sentence in enumerate(picked):
            probes += [sentence, sentence.upper(), unicodedata.normalize("NFD", sentence)]
            probes.append(_NOISE[i % len(_NOISE)].format(sentence, sentence))
        return probes

    def test_registers_language_normalizer_and_vocabulary(self, registry, lang, vocabulary):
        assert lang.code == self.language
        assert len(lang.iso639_3) == 3 and lang.iso639_3.islower(), lang.iso639_3
        assert len(lang.script) == 4 and lang.script.istitle(), "script: ISO 15924, e.g. Latn"
        owners = {registry.owner(kind, lang.code) for kind in ("language", "normalizer")}
        assert len(owners | {registry.owner("vocabulary", lang.code)}) == 1, (
            "the language, its normalizer and its vocabulary come from different plugins"
        )
        assert vocabulary.alphabet, "empty alphabet"

    def test_word_delimiter_is_not_a_letter(self, vocabulary):
        assert vocabulary.word_delimiter not in vocabulary.alphabet
        assert "|" not in vocabulary.alphabet and " " not in vocabulary.alphabet

    def test_sentences_normalize_into_the_alphabet(self, sentences, normalize, vocabulary):
        assert sentences, "the plugin has no sentences for synthetic speech and LMs"
        problems = {}
        for sentence in sentences:
            text = normalize(sentence)
            if not text or vocabulary.out_of_alphabet(text):
                problems[sentence] = "".join(sorted(vocabulary.out_of_alphabet(text))) or "empty"
        assert not problems, f"{len(problems)} sentences fail: {list(problems.items())[:5]}"

    def test_noise_is_stripped_and_output_stays_in_the_alphabet(
        self, probes, normalize, vocabulary
    ):
        for raw in probes:
            text = normalize(raw)
            assert text, raw
            assert not vocabulary.out_of_alphabet(text), (raw, vocabulary.out_of_alphabet(text))

    def test_invisible_characters_inside_a_word_do_not_split_it(self, sentences, normalize):
        """A soft hyphen, zero-width joiner or word joiner inside a word (as text copied from
        the web holds them) leaves the word whole."""
        for sentence in sentences[: self.probe_sentences]:
            word = max(normalize(sentence).split(), key=len)
            if len(word) < 2:
                continue
            for invisible in "\u00ad\u200d\u2060":
                spliced = word[:1] + invisible + word[1:]
                assert normalize(spliced) == normalize(word), (spliced, normalize(spliced))

    def test_idempotent(self, probes, normalize):
        for raw in probes:
            once = normalize(raw)
            assert normalize(once) == once, raw

    def test_output_is_canonical_text(self, probes, normalize, lang):
        for raw in probes:
            text = normalize(raw)
            assert unicodedata.normalize("NFC", text) == text, f"not NFC: {raw!r}"
            assert text == " ".join(text.split()), f"odd spacing: {text!r}"
            # a mark (accent, vowel sign) must follow its letter, never start a word
            for word in text.split():
                assert unicodedata.category(word[0])[0] != "M", f"orphaned mark: {word!r}"
            if not lang.spaces_between_words:
                assert " " not in text, f"spaces between words in {lang.code}: {text!r}"

    def test_synthetic_loader_yields_rows_the_engine_keeps(
        self, registry, lang, normalize, vocabulary
    ):
        if "synthetic" not in registry.dataset_loaders:
            pytest.skip("asrzoo-synthetic is not installed")
        if not lang.espeak_voice:  # then synthetic speech must not claim the language
            assert "synthetic" not in registry.loaders(lang.code)
            return
        from asrzoo.data.row_checks import PrepareOptions, RowPreparer, RowRejected

        loader = registry.dataset_loaders["synthetic"]
        options = {"sentences": 12, "test": 3, "validation": 3, "renders": 1}
        splits = loader.load(lang, options)
        assert set(splits) == {"train", "validation", "test"}
        options = PrepareOptions()
        preparer, frames = RowPreparer(normalize, vocabulary, options), wav2vec2_frames(options)
        for split, rows in splits.items():
            assert rows, f"no {split} rows"
            for row in rows:
                try:
                    columns, _ = preparer(row)
                except RowRejected as why:
                    pytest.fail(f"{split} row {row.id} ({row.text!r}) dropped: {why.reason}")
                assert columns["seconds"] > 0.3
                needed, given = columns["frames_needed"], frames[columns["input_length"]]
                assert needed <= given, f"{split} row {row.id}: {needed} labels > {given} frames"

    def test_sentences_fill_the_synthetic_corpus_default_splits(self, registry, lang):
        """`--dataset synthetic` without options must work: enough distinct sentences for its
        default test and validation splits, and some left to train on."""
        if not lang.espeak_voice or "synthetic" not in registry.dataset_loaders:
            pytest.skip("no synthetic speech for this language")
        from asrzoo_synthetic.corpus import CorpusOptions, split_sentences

        splits = split_sentences(lang.read_sentence_pairs(), CorpusOptions())
        assert len(splits["train"]) >= len(splits["test"]), "fewer training than test sentences"


def wav2vec2_frames(options) -> np.ndarray:
    """CTC frames per input length of wav2vec2's feature encoder (320 samples a frame)."""
    from asrzoo.data.audio import SAMPLING_RATE

    lengths = np.arange(int(options.max_seconds * SAMPLING_RATE) + 1)
    for kernel, stride in zip((10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2), strict=True):
        lengths = np.maximum((lengths - kernel) // stride + 1, 0)
    return lengths


def cache_checkpoint(cache, repo_id, model, feature_extractor):
    """``repo_id`` as the Hub client caches it: a snapshot folder named by its commit, and the
    ref ``main`` pointing at that commit. Returns the snapshot folder."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    commit = "0123456789abcdef0123456789abcdef01234567"
    snapshot = repo / "snapshots" / commit
    model.save_pretrained(snapshot)
    feature_extractor.save_pretrained(snapshot)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    return snapshot
