"""Nothing lost, nothing deleted that is not asrzoo's: hostile ids, stray quotes, folders that are
copies or hold other files, planted symlinks, and the one-line errors of bad input."""

import contextlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import soundfile

from asrzoo.testing import run_cli
from asrzoo.zoo.store import Zoo

TRAIN = ["--model", "tiny", "--max-steps", "2", "--warmup-steps", "1", "--save-steps", "1"]
TEXTS = ["bir iki üç", "yarın sabah", "kedi geldi", "ışık yandı", "deniz mavi", "güzel gün"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """An audiofolder (noise clips, Turkish transcripts, a split column): the folder is a
    dataset, and its metadata.csv a manifest."""
    folder = tmp_path_factory.mktemp("corpus")
    rng = np.random.default_rng(0)
    lines = ["file_name,transcription,split"]
    for index in range(24):
        name = f"clip{index}.wav"
        soundfile.write(folder / name, 0.1 * rng.standard_normal(16000 + 800 * index), 16000)
        split = "test" if index % 6 == 0 else "validation" if index % 6 == 1 else "train"
        lines.append(f"{name},{TEXTS[index % len(TEXTS)]},{split}")
    (folder / "metadata.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def train(corpus, out, *extra, check=True):
    manifest = str(corpus / "metadata.csv")
    args = ["train", "tr", "--dataset", manifest, *TRAIN, "--output-dir", str(out), *extra]
    return run_cli(*args, "--json", check=check)


@pytest.fixture(scope="module")
def model(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "r1"
    return out, json.loads(train(corpus, out).stdout)


def one_line_error(result):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr[-2000:]
    return lines[0]


def home_entries(home):
    return sorted(str(p.relative_to(home)) for p in home.rglob("*"))


def test_push_refuses_repo_ids_that_leave_its_staging_folder(model, asrzoo_home):
    from asrzoo.errors import UserError
    from asrzoo.zoo.hub import hub_folder

    (asrzoo_home / "push").mkdir(exist_ok=True)
    before = home_entries(asrzoo_home)
    one_line_error(run_cli("push", model[1]["id"], "--repo-id", "..", "--dry-run", check=False))
    for repo_id in (".", "", "../..", "me/..", "/tmp", "a/b/c", "me/.x"):
        with pytest.raises(UserError):
            hub_folder(model[1]["id"], repo_id)
    assert home_entries(asrzoo_home) == before


def test_push_replaces_only_its_own_staging_and_publishes_no_local_paths(
    model, corpus, asrzoo_home
):
    out, record = model
    stranger = asrzoo_home / "push" / "me--mine"
    stranger.mkdir(parents=True)
    (stranger / "notes.txt").write_text("the user's")
    refused = run_cli("push", record["id"], "--repo-id", "me/mine", "--dry-run", check=False)
    assert "not created by asrzoo" in one_line_error(refused)
    assert (stranger / "notes.txt").read_text() == "the user's"

    for _ in range(2):  # the second push replaces the first one's staging
        pushed = json.loads(
            run_cli("push", record["id"], "--repo-id", "me/tr-r1", "--dry-run", "--json").stdout
        )
    assert ".asrzoo-owned" not in pushed["files"] and "README.md" in pushed["files"]
    staged = asrzoo_home / "push" / "me--tr-r1"
    for name in ("asrzoo.json", "README.md"):
        text = (staged / name).read_text("utf-8")
        assert str(corpus) not in text and str(out) not in text, name

    # a file put into the staging would be uploaded: the next push refuses, and keeps it
    (staged / "secret.txt").write_text("the user's")
    again = run_cli("push", record["id"], "--repo-id", "me/tr-r1", "--dry-run", check=False)
    assert "secret.txt" in one_line_error(again)
    assert (staged / "secret.txt").read_text() == "the user's"


def test_evaluate_on_a_folder_dataset_records_its_score(model, corpus):
    out, record = model
    result = json.loads(
        run_cli("evaluate", record["id"], "--dataset", str(corpus), "--json").stdout
    )
    predictions = result["predictions_file"]
    assert os.path.dirname(predictions) == str(out) and os.path.exists(predictions)
    assert "/" not in result["dataset"].split("/", 1)[-1]  # a label, not this machine's path
    assert any(e["split"] == "test" for e in Zoo().get(record["id"])["evaluations"])


def test_evaluate_writes_no_file_through_a_planted_symlink(model, corpus, tmp_path):
    out, record = model
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = out / f"predictions-{corpus.parent.name}_{corpus.name}-test.jsonl"
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    run_cli("evaluate", record["id"], "--dataset", str(corpus))
    assert target.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text().startswith("{")


def test_zoo_ids_are_never_shared_and_scores_stay_on_the_model_scored(model, corpus, tmp_path):
    out, record = model
    scores = len(Zoo().get(record["id"])["evaluations"])
    other = json.loads(train(corpus, tmp_path / "other" / out.name).stdout)
    assert other["id"] == f"{record['id']}-2"
    first = Zoo().get(record["id"])
    assert first["path"] == str(out) and len(first["evaluations"]) == scores

    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    result = run_cli("evaluate", str(copy), "--dataset", str(corpus), "--json")
    assert json.loads(result.stdout)["model"] == str(copy)
    assert "not recorded" in result.stderr
    first = Zoo().get(record["id"])
    assert len(first["evaluations"]) == scores


def test_training_into_a_used_folder_needs_resume_or_force_and_remove_keeps_the_rest(
    corpus, tmp_path
):
    out = tmp_path / "run"
    first = json.loads(train(corpus, out).stdout)
    weights = (out / "model.safetensors").read_bytes()
    error = one_line_error(train(corpus, out, check=False))
    assert "--resume" in error and "--force" in error
    assert (out / "model.safetensors").read_bytes() == weights

    again = json.loads(train(corpus, out, "--force", "--seed", "7").stdout)
    assert again["id"] == first["id"] and (out / "model.safetensors").read_bytes() != weights

    # a file the user put beside the run stops --force, and --resume does not make it asrzoo's
    (out / "notes.txt").write_text("the user's")
    assert "notes.txt" in one_line_error(train(corpus, out, "--force", check=False))
    train(corpus, out, "--resume", "--max-steps", "3")
    run_cli("export", str(out), "--onnx")
    (out / "onnx" / "deploy.py").write_text("the user's")

    # zoo remove --delete-files deletes only what asrzoo wrote, in its folders inside too
    run_cli("zoo", "remove", again["id"], "--delete-files")
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "onnx"]
    assert [p.name for p in (out / "onnx").iterdir()] == ["deploy.py"]
    assert not Zoo().exists(again["id"])

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("the user's")
    refused = one_line_error(train(corpus, mine, "--force", check=False))
    assert "did not write" in refused and (mine / "thesis.tex").exists()


def test_impossible_length_filters_are_one_line(corpus):
    manifest = str(corpus / "metadata.csv")
    for limits in (["--max-seconds", "-1"], ["--min-seconds", "10", "--max-seconds", "1"]):
        one_line_error(run_cli("data", "prepare", "tr", "--dataset", manifest, *limits,
                               check=False))  # fmt: skip


def test_folders_fifos_links_and_long_files_are_reported_for_what_they_are(tmp_path):
    soundfile.write(tmp_path / "long.wav", np.full(16000 * 30, 0.1, "float32"), 16000)
    soundfile.write(tmp_path / "ok.wav", 0.1 * np.random.default_rng(1).standard_normal(16000),
                    16000)  # fmt: skip
    (tmp_path / "folder.wav").mkdir()
    os.mkfifo(tmp_path / "pipe.wav")
    (tmp_path / "loop.wav").symlink_to(tmp_path / "loop.wav")
    (tmp_path / "broken.wav").symlink_to(tmp_path / "nowhere.wav")
    names = ["ok", "long", "folder", "pipe", "loop", "broken", "absent"]
    lines = ["audio,text"] + [f"{name}.wav,bir iki" for name in names]
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")
    result = run_cli("data", "prepare", "tr", "--dataset", str(tmp_path / "m.csv"), "--json")
    report = json.loads(result.stdout)
    reasons = {d["row"]: d["reason"] for d in report["dropped"]}
    assert reasons == {
        "m.csv:3": "too long",
        "m.csv:4": "a folder, not an audio file",
        "m.csv:5": "not a regular file",
        "m.csv:6": "unreadable path",
        "m.csv:7": "broken symlink",
        "m.csv:8": "missing file",
    }


@contextlib.contextmanager
def tmpfs(folder, options):
    """A small tmpfs mounted at ``folder`` where this process may mount one (root), else None."""
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    try:
        yield folder if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_home_is_one_line(tmp_path):
    with tmpfs(tmp_path / "ro", "ro,size=1m") as read_only:
        if read_only is None:  # not root: a folder without write permission does the same
            read_only = tmp_path / "ro"
            read_only.chmod(0o555)
            if os.access(read_only, os.W_OK):
                pytest.skip("this user writes into read-only folders")
        env = {**os.environ, "ASRZOO_HOME": str(read_only / "home")}
        one_line_error(run_cli("zoo", "list", env=env, check=False))
        env = {**os.environ, "ASRZOO_HOME": str(read_only)}
        one_line_error(run_cli("zoo", "list", env=env, check=False))


def test_a_zoo_db_on_a_read_only_file_system_is_one_line(tmp_path):
    with tmpfs(tmp_path / "home", "size=4m") as home:
        if home is None:
            pytest.skip("no tmpfs can be mounted here")
        env = {**os.environ, "ASRZOO_HOME": str(home)}
        run_cli("zoo", "list", env=env)  # creates zoo.db
        subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        error = one_line_error(run_cli("zoo", "list", env=env, check=False))
        assert "database" in error or "Read-only" in error


def test_a_full_disk_is_one_line_and_leaves_no_staging(model, tmp_path):
    out, _ = model
    with tmpfs(tmp_path / "full", "size=256k") as full:
        if full is not None:
            env = {**os.environ, "ASRZOO_HOME": str(full)}
            args = ["push", str(out), "--repo-id", "me/x", "--dry-run"]
            assert "No space left" in one_line_error(run_cli(*args, env=env, check=False))
            assert not (full / "push" / "me--x").exists()
            return
    # no tmpfs here: a file system that answers ENOSPC to every write
    script = (
        "import errno, sys, pathlib; from asrzoo.cli import main\n"
        "def full(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device', 'x')\n"
        "pathlib.Path.write_text = full\n"
        f"sys.argv = ['asrzoo', 'push', {str(out)!r}, '--repo-id', 'me/x', '--dry-run']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "No space left on device" in one_line_error(result)


def test_a_refused_connection_and_a_bad_repo_id_are_one_line():
    env = {**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9", "HF_TOKEN": "hf_x"}
    one_line_error(run_cli("zoo", "list", "--hub", env=env, check=False))
    one_line_error(run_cli("pull", "not a repo id", env=env, check=False))


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "a/b", "a\\b", ".hidden", " r1", "a\0b"])
def test_no_typed_name_becomes_a_path_outside_its_folder(name):
    from asrzoo.errors import UserError
    from asrzoo.paths import folder_name

    with pytest.raises(UserError):
        folder_name(name, "zoo id")


def test_repo_ids_are_checked_as_the_hub_checks_them():
    from asrzoo.errors import UserError
    from asrzoo.paths import repo_folder_name

    assert repo_folder_name("me/tr-tiny") == "me--tr-tiny"
    for bad in ("..", "me/..", "a/b/c", "me/x y", "", "/x"):
        with pytest.raises(UserError):
            repo_folder_name(bad)


def test_delete_owned_removes_only_what_asrzoo_recorded(tmp_path):
    from asrzoo import paths
    from asrzoo.errors import UserError

    folder = paths.claim(tmp_path / "owned")
    (folder / "model.safetensors").write_text("weights")
    (folder / "checkpoints").mkdir()
    paths.record(folder, "model.safetensors", "checkpoints")
    (folder / "mine.txt").write_text("the user's")
    assert paths.delete_owned(folder) == ["mine.txt"]
    assert sorted(p.name for p in folder.iterdir()) == ["mine.txt"]
    with pytest.raises(UserError, match="not created by asrzoo"):
        paths.delete_owned(folder)
    # a recorded name that would leave the folder is refused, not followed
    evil = paths.claim(tmp_path / "evil")
    paths.write_atomic(evil / paths.MARKER, '{"entries": ["../owned"]}')
    with pytest.raises(UserError):
        paths.delete_owned(evil)
    assert (tmp_path / "owned" / "mine.txt").exists()


def test_a_pickle_only_model_and_a_second_training_into_one_folder_are_one_line(corpus, tmp_path):
    pickled = tmp_path / "pickled"
    pickled.mkdir()
    (pickled / "config.json").write_text("{}")
    (pickled / "pytorch_model.bin").write_bytes(b"\x80\x04not a safe file")
    error = one_line_error(run_cli("transcribe", str(pickled), "a.wav", check=False))
    assert "safetensors" in error

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / ".asrzoo-training").write_text(str(os.getpid()))  # a live process holds it
    assert f"process {os.getpid()}" in one_line_error(train(corpus, busy, check=False))


def test_more_mistakes_are_one_line(model, corpus, tmp_path):
    out, record = model
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "latin1.txt").write_bytes("çok güzel bir gün\n".encode("latin-1"))
    clip = str(corpus / "clip0.wav")
    synthetic = ["data", "prepare", "tr", "--dataset", "synthetic"]
    for args, says in [
        (["export", str(out), "--onnx", "--output-dir", str(out)], "a folder of its own"),
        (["transcribe", str(tmp_path / "no" / "such"), clip], "no such model folder"),
        ([*synthetic, "-O", "test=-5"], "-O test= takes a whole number of at least 0"),
        ([*synthetic, "-O", "renders=0"], "-O renders= takes a whole number of at least 1"),
        ([*synthetic, "-O", f"text_file={tmp_path / 'latin1.txt'}"], "is not UTF-8 text"),
        (["say", "tr", "Merhaba", "-o", str(tmp_path / "x.mp3")], "say writes WAV files"),
        (["say", "tr", "Merhaba", "-o", str(tmp_path / "no" / "x.wav")], "cannot write"),
    ]:
        assert says in one_line_error(run_cli(*args, check=False)), args
    under_a_file = train(corpus, tmp_path / "afile" / "run", check=False)
    assert "Not a directory" in one_line_error(under_a_file)
    run_cli("export", str(out), "--onnx")
    without_backend = run_cli("transcribe", str(out / "onnx"), clip, check=False)
    assert "is an ONNX export: give --backend onnx" in one_line_error(without_backend)


def test_a_clip_too_short_for_a_frame_is_reported_and_the_others_transcribed(
    model, corpus, tmp_path
):
    out, _ = model
    soundfile.write(tmp_path / "blip.wav", 0.1 * np.ones(10), 16_000)
    blip, clip = str(tmp_path / "blip.wav"), str(corpus / "clip0.wav")
    (alone,) = json.loads(run_cli("transcribe", str(out), blip, "--json").stdout)
    assert alone["error"].startswith("too short")
    short, good = json.loads(run_cli("transcribe", str(out), blip, clip, "--json").stdout)
    assert short["error"].startswith("too short") and "text" in good


def test_a_damaged_zoo_and_out_of_range_options_are_one_line(corpus, tmp_path):
    (tmp_path / "zoo.db").write_bytes(os.urandom(100))
    listed = run_cli("zoo", "list", env={**os.environ, "ASRZOO_HOME": str(tmp_path)}, check=False)
    assert "the zoo's database cannot be used" in one_line_error(listed)
    for option in (["--logging-steps", "0"], ["--save-steps", "0"], ["--learning-rate", "-1"]):
        wrong = train(corpus, tmp_path / "run", *option, check=False)
        assert wrong.returncode == 2 and "Invalid value" in wrong.stderr, option
