"""`--dataset common-voice` from the Mozilla Data Collective, against a stand-in of its API on
loopback that answers the requests the `datacollective` client makes: the public dataset
details (GET /datasets/ID), a download session (POST /datasets/ID/download, with the key), and
the pre-signed archive URL (GET, with Range when resuming). The archive is a .tar.gz in a
release's layout: cv-corpus-*/tr/{train,dev,test,validated}.tsv and clips/*.mp3."""

import hashlib
import io
import json
import re
import shutil
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import soundfile

from asrzoo.testing import run_cli

KEY = "mdc-test-key-7f3a9c1e"  # must never be written anywhere
HEADER = "client_id\tpath\tsentence_id\tsentence\tsentence_domain\tup_votes\tdown_votes\tage"
SENTENCES = ["Merhaba dünya.", "Bugün hava güzel.", "Yarın görüşürüz.", "Kitap okuyorum."]


def release_archive() -> bytes:
    root = "cv-corpus-99.0-2026-06-01/tr"
    files = {}
    for i, _ in enumerate(SENTENCES):
        t = np.arange(int(1.2 * 48_000)) / 48_000
        clip = io.BytesIO()
        soundfile.write(clip, 0.3 * np.sin(2 * np.pi * (200 + 40 * i) * t), 48_000, format="MP3")
        files[f"{root}/clips/c{i}.mp3"] = clip.getvalue()

    def tsv(indices):
        lines = [HEADER] + [f"s{i}\tc{i}.mp3\tid\t{SENTENCES[i]}\t\t2\t0\t" for i in indices]
        return ("\n".join(lines) + "\n").encode()

    files[f"{root}/train.tsv"] = tsv([0, 1])
    files[f"{root}/dev.tsv"] = tsv([2])
    files[f"{root}/test.tsv"] = tsv([3])
    files[f"{root}/validated.tsv"] = tsv(range(4))
    # a release's other files, big enough that a dropped download has written some of it
    files[f"{root}/other.tsv"] = np.random.default_rng(0).bytes(400_000).hex().encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class MDC:
    """The stand-in: datasets "cv-tr" (open to the key), "cv-terms" (terms not accepted)."""

    def __init__(self):
        self.archive = release_archive()
        self.checksum = hashlib.sha256(self.archive).hexdigest()
        self.drop_next_download_at: int | None = None  # bytes, then the connection closes
        self.requests: list[tuple[str, str, dict]] = []
        mdc = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                mdc.requests.append(("GET", self.path, dict(self.headers)))
                found = re.fullmatch(r"/api/datasets/([\w-]+)", self.path)
                if found:
                    if found.group(1) not in ("cv-tr", "cv-terms"):
                        return self.reply(404, {"message": "Dataset not found"})
                    return self.reply(200, mdc.details(found.group(1)))
                if self.path.startswith("/files/cv-tr.tar.gz?signature="):
                    return self.send_archive()
                self.reply(404, {"message": "no such path"})

            def do_POST(self):
                mdc.requests.append(("POST", self.path, dict(self.headers)))
                found = re.fullmatch(r"/api/datasets/([\w-]+)/download", self.path)
                if not found:
                    return self.reply(404, {"message": "no such path"})
                if self.headers.get("Authorization") != f"Bearer {KEY}":
                    return self.reply(401, {"message": "Invalid API key"})
                if found.group(1) == "cv-terms":
                    return self.reply(403, {"message": "Terms and conditions not accepted"})
                url = f"http://127.0.0.1:{mdc.port}/files/cv-tr.tar.gz?signature=s3cr3t"
                size = len(mdc.archive)
                self.reply(200, {"downloadUrl": url, "sizeBytes": size, "checksum": mdc.checksum})

            def send_archive(self):
                start = 0
                asked = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
                if asked:
                    start = int(asked.group(1))
                body = mdc.archive[start:]
                self.send_response(206 if asked else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mdc.drop_next_download_at is not None:
                    cut, mdc.drop_next_download_at = mdc.drop_next_download_at, None
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.connection.shutdown(2)  # the connection drops mid-transfer
                    return
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def details(self, dataset: str) -> dict:
        return {
            "id": dataset,
            "filename": f"{dataset}.tar.gz",
            "checksum": self.checksum,
            "sizeBytes": len(self.archive),
            "datasetUrl": f"https://mdc.example/datasets/{dataset}",
        }

    def downloads(self) -> int:
        return sum(1 for method, path, _ in self.requests if path.startswith("/files/"))


@pytest.fixture
def mdc(monkeypatch):
    stand_in = MDC()
    monkeypatch.setenv("MDC_API_URL", f"http://127.0.0.1:{stand_in.port}/api")
    monkeypatch.setenv("MDC_API_KEY", KEY)
    for offline in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "ASRZOO_OFFLINE"):
        monkeypatch.delenv(offline, raising=False)
    yield stand_in
    stand_in.server.shutdown()


def forget_download(home):
    """As if the release had never been downloaded (the test home is the session's)."""
    folder = Path(home) / "downloads" / "mdc"
    (folder / "cv-tr.tar.gz").unlink(missing_ok=True)
    shutil.rmtree(folder / "cv-tr", ignore_errors=True)


def prepare(*options, ok=True):
    done = run_cli("data", "prepare", "tr", "--dataset", "common-voice", *options, "--json",
                   check=False)  # fmt: skip
    if ok:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def one_line_error(done) -> str:
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = [line for line in done.stderr.strip().splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_release_is_downloaded_once_unpacked_once_and_prepared(mdc, asrzoo_test_home):
    summary = json.loads(prepare("-O", "dataset=cv-tr").stdout)
    assert summary["kept"] == {"test": 1, "train": 2, "validation": 1}
    assert summary["source"]["source"] == "Mozilla Data Collective"
    downloads = Path(asrzoo_test_home) / "downloads" / "mdc"
    assert (downloads / "cv-tr.tar.gz").is_file() and (downloads / "cv-tr").is_dir()
    assert not list(downloads.glob("*.part")) and not list(downloads.glob("*.partial"))
    prepare("-O", "dataset=cv-tr")  # again: neither downloaded nor unpacked again
    assert mdc.downloads() == 1


def test_an_interrupted_download_resumes_where_it_stopped(mdc, asrzoo_test_home):
    forget_download(asrzoo_test_home)
    mdc.drop_next_download_at = len(mdc.archive) // 2
    error = one_line_error(prepare("-O", "dataset=cv-tr", ok=False))
    assert "stopped at" in error and "run the command again to resume" in error
    assert not (Path(asrzoo_test_home) / "downloads" / "mdc" / "cv-tr").exists()
    json.loads(prepare("-O", "dataset=cv-tr").stdout)
    ranges = [h.get("Range") for _, path, h in mdc.requests if path.startswith("/files/")]
    resumed_at = int(re.fullmatch(r"bytes=(\d+)-", ranges[-1]).group(1))
    assert 0 < resumed_at <= len(mdc.archive) // 2  # what the first attempt had written


def test_no_key_is_one_line_naming_the_variable_and_where_to_get_one(mdc, monkeypatch):
    monkeypatch.delenv("MDC_API_KEY")
    error = one_line_error(prepare("-O", "dataset=cv-tr", ok=False))
    assert "MDC_API_KEY" in error and "mozilladatacollective.com" in error


def test_a_refused_key_unaccepted_terms_and_an_unknown_dataset_are_one_line_each(
    mdc, monkeypatch, asrzoo_test_home
):
    forget_download(asrzoo_test_home)  # a release already here needs no key
    assert "has no dataset 'cv-xx'" in one_line_error(prepare("-O", "dataset=cv-xx", ok=False))
    terms = one_line_error(prepare("-O", "dataset=cv-terms", ok=False))
    assert "accept the dataset's terms" in terms
    assert "https://mdc.example/datasets/cv-terms" in terms
    monkeypatch.setenv("MDC_API_KEY", "wrong")
    assert "refused the API key" in one_line_error(prepare("-O", "dataset=cv-tr", ok=False))


def test_offline_and_unreachable_are_one_line_each(mdc, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert "offline" in one_line_error(prepare("-O", "dataset=cv-tr", ok=False))
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("MDC_API_URL", "http://127.0.0.1:9/api")  # nothing listens there
    assert "cannot reach" in one_line_error(prepare("-O", "dataset=cv-tr", ok=False))


def test_without_a_dataset_the_message_says_where_common_voice_is(monkeypatch):
    monkeypatch.delenv("MDC_API_KEY", raising=False)
    error = one_line_error(prepare(ok=False))  # `data prepare tr --dataset common-voice`
    assert "Mozilla Data Collective" in error and "-O dataset=" in error
    assert "MDC_API_KEY" in error


def test_the_key_is_never_written_or_shown(mdc, asrzoo_test_home, tmp_path):
    forget_download(asrzoo_test_home)
    outputs = [prepare("-O", "dataset=cv-tr"), prepare("-O", "dataset=cv-terms", ok=False)]
    out = tmp_path / "model"
    train = ["train", "tr", "--dataset", "common-voice", "-O", "dataset=cv-tr", "--model", "tiny",
             "--max-steps", "1", "--output-dir", str(out)]  # fmt: skip
    outputs.append(run_cli(*train))
    for done in outputs:
        assert KEY not in done.stdout and KEY not in done.stderr
    for folder in (Path(asrzoo_test_home), out):
        for path in folder.rglob("*"):
            if path.is_file() and path.stat().st_size < 50_000_000:
                assert KEY.encode() not in path.read_bytes(), path
