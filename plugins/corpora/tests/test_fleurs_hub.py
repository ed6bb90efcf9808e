"""`--dataset fleurs` end to end against a stand-in of the Hugging Face Hub on loopback.

The stand-in holds google/fleurs as the Hub does: its main branch has only the loading script
fleurs.py; its parquet conversion, the revision refs/convert/parquet, has one folder per config
with `<config>/<split>/0000.parquet` in FLEURS's columns, and .gitattributes (the converter
keeps nothing else: no README.md, so no config metadata). It answers the requests
`datasets.load_dataset` makes: repository info at a revision or commit
(GET /api/datasets/REPO/revision/REV), tree listings (GET /api/datasets/REPO/tree/REV[/PATH]),
and files (HEAD and GET /datasets/REPO/resolve/REV/PATH, 404 with X-Error-Code EntryNotFound
for a missing one, as the Hub answers).
"""

import hashlib
import io
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote

import datasets
import numpy as np
import pytest
import soundfile

from asrzoo.testing import run_cli

REPO = "google/fleurs"
PARQUET = "refs/convert/parquet"
# Turkish's raw_transcription per split, and the text it normalizes to
TURKISH = {
    "train": ["İstanbul'a gidiyoruz.", "Bugün hava çok güzel!", "Işık, ılık; su."],
    "validation": ['Evet "tamam" dedi.'],
    "test": ["Ankara’da iki gün kaldık."],
}
NORMALIZED = {
    "train": ["istanbul'a gidiyoruz", "bugün hava çok güzel", "ışık ılık su"],
    "validation": ["evet tamam dedi"],
    "test": ["ankara'da iki gün kaldık"],
}
GERMAN = {"train": ["Guten Morgen."], "validation": ["Danke schön."], "test": ["Bis bald."]}
FEATURES = datasets.Features(
    {
        "id": datasets.Value("int32"),
        "num_samples": datasets.Value("int32"),
        "path": datasets.Value("string"),
        "audio": datasets.Audio(sampling_rate=16_000),
        "transcription": datasets.Value("string"),
        "raw_transcription": datasets.Value("string"),
        "gender": datasets.ClassLabel(names=["male", "female", "other"]),
        "lang_id": datasets.ClassLabel(num_classes=102),
        "language": datasets.Value("string"),
        "lang_group_id": datasets.ClassLabel(num_classes=7),
    }
)


def wav(seconds: float, pitch: float) -> bytes:
    t = np.arange(int(seconds * 16_000)) / 16_000
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * pitch * t), 16_000, format="WAV")
    return buffer.getvalue()


def fleurs_parquet(config: str, split: str, texts: list[str]) -> bytes:
    """A split's rows in FLEURS's columns, as the parquet converter writes them."""
    names = [f"{config}-{split}-{i}.wav" for i in range(len(texts))]
    rows = {
        "id": [1000 + i for i in range(len(texts))],
        "num_samples": [16_000] * len(texts),
        "path": names,
        "audio": [{"bytes": wav(1.0, 200 + 30 * i), "path": n} for i, n in enumerate(names)],
        "transcription": [text.lower() for text in texts],
        "raw_transcription": texts,
        "gender": [i % 2 for i in range(len(texts))],
        "lang_id": [88] * len(texts),
        "language": [config] * len(texts),
        "lang_group_id": [0] * len(texts),
    }
    buffer = io.BytesIO()
    datasets.Dataset.from_dict(rows).cast(FEATURES).to_parquet(buffer)
    return buffer.getvalue()


def fleurs_revisions() -> dict[str, dict[str, bytes]]:
    """The files of each branch of the repository."""
    attributes = b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"
    parquet = {
        f"{config}/{split}/0000.parquet": fleurs_parquet(config, split, texts)
        for config, splits in (("tr_tr", TURKISH), ("de_de", GERMAN))
        for split, texts in splits.items()
    }
    return {
        "main": {".gitattributes": attributes, "fleurs.py": b"import datasets\n"},
        PARQUET: {".gitattributes": attributes, **parquet},
    }


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def folders(files: dict[str, bytes]) -> set[str]:
    return {path.rsplit("/", i)[0] for path in files for i in range(1, path.count("/") + 1)}


class StandInHub(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.branches = fleurs_revisions()
        self.commits = {sha1(branch.encode()): branch for branch in self.branches}
        self.requests: list[tuple[str, str]] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def revision(self, name: str) -> tuple[str, dict[str, bytes]] | None:
        """The commit and files of a branch or a commit hash, if the repository has it."""
        branch = self.commits.get(name, name)
        if branch not in self.branches:
            return None
        return sha1(branch.encode()), self.branches[branch]


class StandInHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status: int, body, headers: dict | None = None):
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(data)

    def do_GET(self):
        hub = self.server
        hub.requests.append((self.command, self.path))
        path, _, query = self.path.partition("?")
        api = re.fullmatch(rf"/api/datasets/{REPO}/(revision|tree)/([^/]+)(?:/(.+))?", path)
        resolve = re.fullmatch(rf"/datasets/{REPO}/(resolve)/([^/]+)/(.+)", path)
        if not (api or resolve):
            return self.reply(404, {"error": "not in the stand-in"})
        kind, revision, inside = (api or resolve).groups()
        known = hub.revision(unquote(revision))  # the revision arrives URL-encoded
        if known is None:
            return self.reply(
                404, {"error": "no such revision"}, {"X-Error-Code": "RevisionNotFound"}
            )
        commit, files = known
        if kind == "revision":
            siblings = [{"rfilename": name} for name in sorted(files)]
            info = {"id": REPO, "sha": commit, "private": False, "gated": False}
            return self.reply(200, {**info, "disabled": False, "siblings": siblings})
        if kind == "tree":
            recursive = parse_qs(query).get("recursive") == ["true"]
            return self.reply(200, tree(files, unquote(inside or ""), recursive))
        self.send_file(files.get(unquote(inside)), commit)

    do_HEAD = do_GET

    def send_file(self, content: bytes | None, commit: str):
        if content is None:
            missing = {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit}
            return self.reply(404, {"error": "Entry not found"}, missing)
        self.send_response(200)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("ETag", f'"{sha1(content)}"')
        self.send_header("X-Repo-Commit", commit)
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(content)


def tree(files: dict[str, bytes], folder: str, recursive: bool) -> list[dict]:
    """A folder's entries (all below it when recursive), as the Hub lists them."""
    prefix = f"{folder}/" if folder else ""
    below = [p for p in sorted(files.keys() | folders(files)) if p.startswith(prefix)]
    listed = [p for p in below if recursive or "/" not in p[len(prefix) :]]
    return [
        {"type": "file", "path": p, "size": len(files[p]), "oid": sha1(files[p])}
        if p in files
        else {"type": "directory", "path": p, "oid": sha1(p.encode())}
        for p in listed
    ]


@pytest.fixture
def hub():
    server = StandInHub()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def prepare(hub, tmp_path, *options):
    """`asrzoo data prepare tr --dataset fleurs` in a fresh process that reaches the stand-in,
    with Hub and datasets caches of its own."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")
    }
    env.update(
        HF_ENDPOINT=hub.url,
        HF_HOME=str(tmp_path / "hf"),
        HF_DATASETS_CACHE=str(tmp_path / "hf" / "datasets"),
        HF_HUB_DISABLE_TELEMETRY="1",
    )
    args = ["data", "prepare", "tr", "--dataset", "fleurs", *options, "--num-proc", "1", "--json"]
    return run_cli(*args, check=False, env=env)


def test_fleurs_is_read_from_the_hubs_parquet_conversion(hub, tmp_path):
    done = prepare(hub, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary["kept"] == {split: len(texts) for split, texts in TURKISH.items()}
    assert summary["source"]["revision"] == PARQUET and summary["source"]["config"] == "tr_tr"
    for split, texts in NORMALIZED.items():
        rows = datasets.Dataset.from_file(f"{summary['folder']}/{split}.arrow")
        assert rows["text"] == texts
        assert rows["id"] == [f"tr_tr-{split}-{i}.wav" for i in range(len(texts))]
    paths = [path for _, path in hub.requests]
    assert any(f"/{quote(PARQUET, safe='')}/" in path for path in paths)
    segments = {part for path in paths for part in path.partition("?")[0].split("/")}
    assert "main" not in segments and sha1(b"main") not in segments  # nothing of main is read
    assert not [path for method, path in hub.requests if method == "GET" and "fleurs.py" in path]


def test_the_main_branch_is_a_loading_script_and_says_so_in_one_line(hub, tmp_path):
    done = prepare(hub, tmp_path, "-O", "revision=main")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.strip().splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    assert "loading-script dataset" in errors[0] and f"-O revision={PARQUET}" in errors[0]
    assert ("GET", f"/api/datasets/{REPO}/revision/main") in hub.requests
