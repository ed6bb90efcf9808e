"""Publishing: the Hub folder and its card, and the upload against a local stand-in of the Hub's
endpoints (create repo, validate YAML, preupload, commit): success, a refused token, and a
connection dropped in the middle of an upload. The token never appears in output or files."""

import base64
import json
import os
import threading
from hashlib import sha1
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from asrzoo.testing import SMALL_CORPUS, run_cli

TOKEN = "hf_standin_secret_4f1c2e"


class StandInHub(ThreadingHTTPServer):
    """The Hub endpoints huggingface_hub's create_repo and upload_folder call."""

    def __init__(self, token: str):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.token, self.repos, self.requests, self.drop_commits = token, {}, [], 0
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class StandInHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        """Repository info, its file tree, and its files: what snapshot_download reads."""
        hub = self.server
        hub.requests.append((self.command, self.path))
        route = self.path.split("?")[0].strip("/").split("/")
        if route == ["api", "models"]:  # the search: every repo, tagged as asrzoo pushes them
            listing = [{"id": r, "tags": ["asrzoo", "tr"], "downloads": 3} for r in hub.repos]
            return self.reply(200, listing)
        if route[:2] == ["api", "models"] and f"{route[2]}/{route[3]}" in hub.repos:
            files = hub.repos[f"{route[2]}/{route[3]}"]
            if route[4] == "tree":
                tree = [{"type": "file", "path": p, "size": len(c), "oid": sha1(c).hexdigest()}
                        for p, c in sorted(files.items())]  # fmt: skip
                return self.reply(200, tree)
            siblings = [{"rfilename": p} for p in sorted(files)]
            return self.reply(200, {"id": route[2:4], "sha": "c" * 40, "siblings": siblings})
        if len(route) > 4 and route[2] == "resolve":
            content = hub.repos.get(f"{route[0]}/{route[1]}", {}).get("/".join(route[4:]))
            if content is not None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("ETag", f'"{sha1(content).hexdigest()}"')
                self.send_header("X-Repo-Commit", "c" * 40)
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(content)
                return None
        return self.reply(404, {"error": "not in the stand-in"})

    do_HEAD = do_GET

    def do_POST(self):
        hub = self.server
        hub.requests.append(("POST", self.path))
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Bearer {hub.token}":
            return self.reply(401, {"error": "Invalid credentials in Authorization header"})
        route = self.path.split("?")[0].strip("/").split("/")
        if route[:3] == ["api", "repos", "create"]:
            request = json.loads(body)
            repo = f"{request['organization']}/{request['name']}"
            hub.repos.setdefault(repo, {})
            return self.reply(200, {"url": f"{hub.url}/{repo}"})
        if route[:2] == ["api", "validate-yaml"]:
            return self.reply(200, {"errors": [], "warnings": []})
        if route[:2] == ["api", "models"] and route[4] == "preupload":
            files = json.loads(body)["files"]
            modes = [
                {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
            ]
            return self.reply(200, {"files": modes})
        if route[:2] == ["api", "models"] and route[4] == "commit":
            if hub.drop_commits:  # the connection dies with the upload half sent
                hub.drop_commits -= 1
                self.connection.shutdown(2)
                return
            repo = f"{route[2]}/{route[3]}"
            for line in body.splitlines():
                item = json.loads(line)
                if item["key"] == "file":
                    content = base64.b64decode(item["value"]["content"])
                    hub.repos[repo][item["value"]["path"]] = content
            return self.reply(200, {"commitOid": "c" * 40, "commitUrl": f"{hub.url}/{repo}"})
        return self.reply(404, {"error": "not in the stand-in"})


@pytest.fixture
def hub():
    server = StandInHub(TOKEN)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def asrzoo(*args, hub=None, token=TOKEN):
    env = dict(os.environ)
    if hub:
        env.pop("HF_HUB_OFFLINE", None)
        env.update(HF_ENDPOINT=hub.url, HF_TOKEN=token)
    return run_cli(*args, check=False, env=env)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("publish") / "tr-pub"
    train = ["train", "tr", "--dataset", "synthetic", *SMALL_CORPUS, "--model", "tiny"]
    result = asrzoo(*train, "--max-steps", "2", "--logging-steps", "1", "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    evaluated = asrzoo("evaluate", "tr-pub", "--dataset", "synthetic")
    assert evaluated.returncode == 0, evaluated.stderr
    return out


def test_dry_run_builds_a_folder_whose_card_parses_and_model_loads_in_pipeline(model):
    from huggingface_hub import ModelCard
    from transformers import pipeline

    result = asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub", "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    pushed = json.loads(result.stdout)
    assert not pushed["uploaded"] and "checkpoints" not in " ".join(pushed["files"])
    folder = pushed["folder"]
    card = ModelCard.load(f"{folder}/README.md")
    assert card.data.language == ["tr"] and card.data.license == "apache-2.0"
    assert {"asrzoo", "automatic-speech-recognition"} <= set(card.data.tags)
    results = {(r.dataset_split, r.metric_type): r.metric_value for r in card.data.eval_results}
    zoo = json.loads(asrzoo("zoo", "show", "tr-pub", "--json").stdout)
    test = next(e for e in zoo["evaluations"] if e["split"] == "test")
    assert results[("test", "wer")] == round(test["wer"], 4)
    assert results[("test", "cer")] == round(test["cer"], 4) and ("validation", "wer") in results
    assert "asrzoo-tr/turkish" in card.text and "asrzoo train tr --dataset synthetic" in card.text
    assert pipeline("automatic-speech-recognition", model=folder).type == "ctc"


def test_push_uploads_exactly_the_folder(model, hub, tmp_path):
    result = asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub", "--json", hub=hub)
    assert result.returncode == 0, result.stderr
    pushed = json.loads(result.stdout)
    assert pushed["uploaded"] and sorted(hub.repos["me/tr-pub"]) == pushed["files"]
    for name, content in hub.repos["me/tr-pub"].items():
        assert content == open(f"{pushed['folder']}/{name}", "rb").read()
    shown = json.loads(asrzoo("zoo", "show", "tr-pub", "--json").stdout)
    assert shown["published_to"] == f"{hub.url}/me/tr-pub"
    assert_token_nowhere(result)


def test_pull_brings_a_pushed_model_into_the_zoo(model, hub):
    assert asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub", hub=hub).returncode == 0
    result = asrzoo("pull", "me/tr-pub", "--json", hub=hub)
    assert result.returncode == 0, result.stderr
    pulled = json.loads(result.stdout)
    assert pulled["id"] == "me/tr-pub" and pulled["language"] == "tr"
    shown = json.loads(asrzoo("zoo", "show", "me/tr-pub", "--json").stdout)
    assert shown["normalizer_id"] == "asrzoo-tr/turkish" and shown["evaluations"]
    evaluated = asrzoo("evaluate", "me/tr-pub", "--dataset", "synthetic", "--json")
    assert evaluated.returncode == 0 and json.loads(evaluated.stdout)["metrics"]["utterances"] == 20


def test_a_language_identifier_goes_to_the_hub_and_back(hub, tmp_path):
    out = tmp_path / "lid-pub"
    trained = asrzoo("lid", "train", "--languages", "tr,de", "--dataset", "synthetic",
                     *SMALL_CORPUS, "--max-steps", "2", "--output-dir", str(out))  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    assert asrzoo("push", "lid-pub", "--repo-id", "me/lid-pub", hub=hub).returncode == 0
    card = hub.repos["me/lid-pub"]["README.md"].decode()
    assert "pipeline_tag: audio-classification" in card and "accuracy" in card
    pulled = asrzoo("pull", "me/lid-pub", "--json", hub=hub)
    assert pulled.returncode == 0, pulled.stderr
    shown = json.loads(asrzoo("zoo", "show", "me/lid-pub", "--json").stdout)
    assert shown["kind"] == "lid" and shown["languages"] == ["tr", "de"]
    assert shown["evaluations"][0]["accuracy"] is not None
    wav = next(iter(sorted(Path(os.environ["ASRZOO_HOME"]).glob("data/synthetic/de/*/test/*.wav"))))
    identified = asrzoo("lid", "identify", "me/lid-pub", str(wav), "--json")
    assert identified.returncode == 0, identified.stderr
    assert {g["language"] for g in json.loads(identified.stdout)[0]["languages"]} == {"tr", "de"}


def test_zoo_list_hub_shows_the_hubs_asrzoo_models(model, hub):
    assert asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub", hub=hub).returncode == 0
    result = asrzoo("zoo", "list", "--hub", "--language", "tr", "--json", hub=hub)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "me/tr-pub"
    search = next(path for method, path in hub.requests if path.startswith("/api/models?"))
    assert "filter=asrzoo" in search and "filter=tr" in search


def test_a_hub_id_not_pulled_yet_says_how(model):
    result = asrzoo("transcribe", "someone/not-here", "x.wav")
    assert result.returncode == 1 and "asrzoo pull someone/not-here" in result.stderr


def test_a_refused_token_is_one_clear_line(model, hub):
    result = asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub", hub=hub, token="hf_wrong")
    assert result.returncode == 1 and "refused the token (401)" in result.stderr
    assert result.stderr.count("\n") == 1 and not hub.repos


def test_a_connection_dropped_mid_upload_is_retried(model, hub):
    hub.drop_commits = 1
    result = asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub", "--json", hub=hub)
    assert result.returncode == 0, result.stderr
    commits = [path for method, path in hub.requests if path.endswith("/commit/main")]
    assert len(commits) == 2 and "model.safetensors" in hub.repos["me/tr-pub"]
    assert_token_nowhere(result)


def assert_token_nowhere(result):
    assert TOKEN not in result.stdout + result.stderr
    home = os.environ["ASRZOO_HOME"]
    for folder, _, files in os.walk(home):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                assert TOKEN.encode() not in handle.read(), os.path.join(folder, name)


def test_without_the_hub_push_fails_at_once_with_a_clear_line(model):
    result = asrzoo("push", "tr-pub", "--repo-id", "me/tr-pub")  # tests run with HF_HUB_OFFLINE
    assert result.returncode == 1 and "the Hub is switched off here" in result.stderr
