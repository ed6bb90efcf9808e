"""Publishing to the Hugging Face Hub: a model card, the folder to upload, push and pull.

The token comes from where huggingface_hub looks (HF_TOKEN, `hf auth login`); asrzoo never
prints or writes it.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path, PureWindowsPath

from asrzoo import __version__, paths
from asrzoo.errors import UserError
from asrzoo.scoring.report import training_curve_png
from asrzoo.zoo.record import ModelRecord

# what a model folder holds that belongs on the Hub; checkpoints and predictions stay home
UPLOADED = (
    "config.json",
    "model.safetensors",
    "processor_config.json",
    "preprocessor_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "alphabet.json",
    "language_model",
    "asrzoo.json",
)
ATTEMPTS = 3


# what a model of each kind is on the Hub: its pipeline, tags and the metrics its scores hold
KINDS = {
    "asr": ("automatic-speech-recognition", ["automatic-speech-recognition", "ctc"],
            ("wer", "cer")),
    "lid": ("audio-classification", ["audio-classification", "language-identification"],
            ("accuracy",)),
    "pretrained": (None, ["wav2vec2", "self-supervised-learning"], ()),
}  # fmt: skip


def card_text(metadata: dict, scores: dict[str, dict], repo_id: str, license: str) -> str:
    """README.md for the Hub: YAML metadata (languages, license, tags, datasets, model-index with
    each score per dataset, config and split) and what a reader needs to use or reproduce it.
    ``scores``: split -> metrics on the training dataset."""
    from huggingface_hub import EvalResult, ModelCardData

    kind = metadata.get("kind", "asr")
    pipeline_tag, tags, metrics = KINDS[kind]
    dataset = metadata.get("dataset", {})
    dataset_id = dataset.get("dataset") or dataset.get("name") or "unknown"
    results = []
    for split, scores_ in scores.items():
        for metric in metrics:
            results.append(
                EvalResult(
                    task_type=pipeline_tag,
                    dataset_type=str(dataset_id),
                    dataset_name=str(dataset.get("name", dataset_id)),
                    dataset_config=dataset.get("config"),
                    dataset_split=split,
                    dataset_revision=dataset.get("commit") or dataset.get("revision"),
                    metric_type=metric,
                    metric_name=metric.upper() if metric != "accuracy" else "accuracy",
                    metric_value=round(float(scores_[metric]), 4),
                )
            )
    data = ModelCardData(
        language=list(metadata.get("languages") or [metadata["language"]]),
        license=license,
        library_name="transformers",
        pipeline_tag=pipeline_tag,
        tags=["asrzoo", *tags, *filter(None, [metadata.get("family")])],
        datasets=[str(dataset_id)] if "/" in str(dataset_id) else None,
        model_name=metadata["id"],
        eval_results=results or None,
    )
    describe = {"asr": _asr_lines, "lid": _lid_lines, "pretrained": _pretrained_lines}[kind]
    training = metadata.get("training", {})
    versions = metadata.get("versions", {})
    lines = [
        f"# {metadata['id']}",
        "",
        *describe(metadata, scores, repo_id),
        "",
        "## Training",
        "",
        f"- data: {json.dumps(dataset, ensure_ascii=False)}",
        f"- hyperparameters: {json.dumps(metadata.get('hyperparameters', {}))}",
        f"- {training.get('steps')} steps, {training.get('seconds')} s,"
        f" {training.get('audio_hours_seen')} audio hours seen",
        *([f"- augmentation: {json.dumps(training.get('augmentation'))}"] if kind == "asr" else []),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if isinstance(v, str)),
        "",
        "![training curve](training_curve.png)",
        "",
        "Reproduce:",
        "",
        "```bash",
        _reproduce(metadata),
        "```",
    ]
    return f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines) + "\n"


def _use(task: str, repo_id: str, name: str, call: str) -> list[str]:
    return [
        "## Use",
        "",
        "```python",
        "from transformers import pipeline",
        "",
        f'{name} = pipeline("{task}", model="{repo_id}")',
        call,
        "```",
    ]


def _asr_lines(metadata: dict, scores: dict, repo_id: str) -> list[str]:
    lines = [
        f"A CTC speech recognizer for **{metadata['language']}**, fine-tuned from"
        f" `{metadata.get('base_model')}` with [asrzoo](https://pypi.org/project/asrzoo/).",
        "",
        *_use("automatic-speech-recognition", repo_id, "asr", 'print(asr("speech.wav")["text"])'),
        "",
        "Transcripts are normalized text: "
        f"`{metadata.get('normalizer_id')}` version {metadata.get('normalizer_version')}"
        " (compare WERs only under the same normalizer).",
    ]
    lm = metadata.get("lm")
    if lm:
        lines += [
            "",
            f"It decodes with a {lm['meta']['order']}-gram language model (KenLM, pyctcdecode:"
            f" `pip install pyctcdecode kenlm`), weight {lm['alpha']}, word bonus {lm['beta']},"
            f" tuned on {lm['tuned_on']['dataset']}/{lm['tuned_on']['split']}: WER"
            f" {lm['tuned_on']['greedy_wer']:.4f} greedy, {lm['tuned_on']['lm_wer']:.4f} with it.",
        ]
    name = metadata.get("dataset", {}).get("name")
    return [*lines, "", "## Results (greedy decoding)", "", "| dataset | split | WER | CER |",
            "|---|---|---|---|",
            *(f"| {name} | {split} | {s['wer']:.4f} | {s['cer']:.4f} |"
              for split, s in scores.items())]  # fmt: skip


def _lid_lines(metadata: dict, scores: dict, repo_id: str) -> list[str]:
    name = metadata.get("dataset", {}).get("name")
    return [
        f"A spoken language identifier for {len(metadata['languages'])} languages"
        f" ({', '.join(metadata['languages'])}), trained from `{metadata.get('base_model')}`"
        " with [asrzoo](https://pypi.org/project/asrzoo/). Its labels are the languages' codes.",
        "",
        *_use("audio-classification", repo_id, "lid", 'print(lid("speech.wav", top_k=3))'),
        "",
        "## Results",
        "",
        "| dataset | split | accuracy | clips |",
        "|---|---|---|---|",
        *(f"| {name} | {split} | {s['accuracy']:.4f} | {s.get('clips')} |"
          for split, s in scores.items()),
    ]  # fmt: skip


def _pretrained_lines(metadata: dict, scores: dict, repo_id: str) -> list[str]:
    training = metadata.get("training", {})
    return [
        f"A {metadata.get('family')} encoder pretrained without labels (wav2vec 2.0's"
        f" contrastive objective) on speech of {', '.join(metadata['languages'])}, from"
        f" `{metadata.get('base_model')}`, with [asrzoo](https://pypi.org/project/asrzoo/)."
        " It has no output head: fine-tune it for speech recognition.",
        "",
        "```bash",
        f"asrzoo pull {repo_id}",
        f"asrzoo train LANGUAGE --dataset DATASET --model {repo_id}",
        "```",
        "",
        f"Last contrastive loss {training.get('final_contrastive_loss')} per masked frame,"
        f" codevector perplexity {training.get('final_codevector_perplexity')}.",
    ]


def _reproduce(metadata: dict) -> str:
    kind = metadata.get("kind", "asr")
    dataset = metadata.get("dataset", {})
    training = metadata.get("training", {})
    command = {
        "asr": f"asrzoo train {metadata['language']}",
        "lid": f"asrzoo lid train --languages {','.join(metadata.get('languages', []))}",
        "pretrained": f"asrzoo pretrain --languages {','.join(metadata.get('languages', []))}",
    }[kind]
    return (
        f"{command} --dataset {dataset.get('name')}"
        + "".join(f" -O {k}={v}" for k, v in (dataset.get("options") or {}).items())
        + f" --model {metadata.get('base_model')} --max-steps {training.get('steps')}"
        + _augment_options(training.get("augmentation"))
    )


def _augment_options(augmentation: dict | None) -> str:
    if not augmentation:
        return ""
    options = f" --augment {','.join(augmentation['kinds'])}"
    for key in ("speed_factors", "noise_snr_db", "reverb_rt60"):
        if key in augmentation:
            options += f" --{key.replace('_', '-')} {','.join(map(str, augmentation[key]))}"
    return options


def latest_scores(metadata: dict) -> dict[str, dict]:
    """split -> the latest WER and CER on the training dataset: from the zoo's evaluations, else
    the validation scores recorded at training time."""
    from asrzoo.zoo.store import Zoo

    scores = {split: s for split, s in (metadata.get("metrics") or {}).items() if s}
    zoo = Zoo()
    if metadata.get("id") and zoo.exists(metadata["id"]):
        name = metadata.get("dataset", {}).get("name")
        for evaluation in zoo.get(metadata["id"])["evaluations"]:  # oldest first
            if evaluation["dataset"] == name:
                scores[evaluation["split"]] = evaluation
    return scores


def hub_folder(model_id: str, repo_id: str, license: str = "apache-2.0") -> Path:
    """The folder to upload: the model, its processor (and LM), asrzoo.json, the card and the
    training curve."""
    from asrzoo.zoo.saved import model_metadata

    metadata = model_metadata(model_id)
    output = paths.asrzoo_home() / "push" / paths.repo_folder_name(repo_id)
    metadata.setdefault("id", model_id)
    if output.exists():  # an earlier push's staging, and only if asrzoo made it
        theirs = paths.delete_owned(output)
        if theirs:  # they would be uploaded with the model
            raise UserError(
                f"{output} holds files that asrzoo did not write ({', '.join(theirs[:3])}):"
                " move them away before pushing"
            )
    paths.claim(output)
    try:
        _fill_hub_folder(output, metadata, repo_id, license)
    except BaseException:  # a full disk, Ctrl-C: no half-made folder stays to be uploaded
        shutil.rmtree(output, ignore_errors=True)
        raise
    return output


def _fill_hub_folder(output: Path, metadata: dict, repo_id: str, license: str) -> None:
    folder = Path(metadata["path"])
    for name in UPLOADED:
        source = folder / name
        if source.is_dir():
            shutil.copytree(source, output / name)
        elif source.is_file():
            shutil.copy2(source, output / name)
    for adapter in folder.glob("adapter.*.safetensors"):  # an MMS model's languages
        shutil.copy2(adapter, output / adapter.name)
    # paths of this machine mean nothing on the Hub (and may name its user)
    public = without_local_paths({k: v for k, v in metadata.items() if k != "path"})
    if "lm" in public:
        lm = {k: v for k, v in public["lm"].items() if k != "built_in"}
        public["lm"] = {**lm, "meta": {k: v for k, v in lm["meta"].items() if k != "folder"}}
    (output / "asrzoo.json").write_text(json.dumps(public, ensure_ascii=False, indent=1), "utf-8")
    card = card_text(public, without_local_paths(latest_scores(metadata)), repo_id, license)
    (output / "README.md").write_text(card, encoding="utf-8")
    curve = folder / "training_curve.png"
    if metadata.get("kind", "asr") != "asr" and curve.is_file():  # its own losses, drawn by it
        shutil.copy2(curve, output / curve.name)
    else:
        training_curve_png(metadata.get("log_history", []), output / curve.name)
    paths.record(output, *(p.name for p in output.iterdir() if p.name != paths.MARKER))


def without_local_paths(value):
    """``value`` with every path of this machine (a manifest, a corpus folder) cut to its last
    part, so that a published file names no user's folders."""
    if isinstance(value, dict):
        return {k: without_local_paths(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_local_paths(v) for v in value]
    if isinstance(value, str) and value.startswith(("/", "~", "./", "../")):
        return Path(value).name
    if isinstance(value, str) and re.match(r"[A-Za-z]:\\", value):
        return PureWindowsPath(value).name
    return value


def _hub_call(what: str, call):
    """Run a Hub request; retry what a retry can fix (a dropped connection, a 5xx); turn the
    rest into one line a user can act on."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call()
        except OfflineModeIsEnabled as error:
            raise UserError(f"{what}: the Hub is switched off here (HF_HUB_OFFLINE)") from error
        except HfHubHTTPError as error:
            status = error.response.status_code if error.response is not None else None
            if status in (401, 403):
                raise UserError(
                    f"{what}: the Hub refused the token ({status}); log in with `hf auth login`"
                    " or set HF_TOKEN to a token with write access"
                ) from error
            if status is not None and status < 500 or attempt == ATTEMPTS:
                raise UserError(f"{what}: {str(error).splitlines()[0]}") from error
        except (OSError, httpx2.TransportError) as error:  # refused, reset, dropped, DNS
            if attempt == ATTEMPTS:
                raise UserError(f"{what}: cannot reach the Hub ({type(error).__name__})") from error
        time.sleep(2 ** (attempt - 1))


def push(model_id: str, repo_id: str, private: bool, dry_run: bool, license: str) -> dict:
    from huggingface_hub import HfApi

    folder = hub_folder(model_id, repo_id, license)
    files = sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.name != paths.MARKER
    )
    result = {"repo_id": repo_id, "folder": str(folder), "files": files, "uploaded": False}
    if dry_run:
        return result
    api = HfApi(library_name="asrzoo", library_version=__version__)
    _hub_call(
        f"creating {repo_id}",
        lambda: api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model"),
    )
    commit = _hub_call(
        f"uploading to {repo_id}",
        lambda: api.upload_folder(
            repo_id=repo_id,
            folder_path=folder,
            commit_message=f"asrzoo {__version__}: {model_id}",
            ignore_patterns=[paths.MARKER],
        ),
    )
    from asrzoo.zoo.store import Zoo

    zoo = Zoo()
    if zoo.exists(model_id):
        zoo.set_published(model_id, f"{api.endpoint}/{repo_id}")
    return {**result, "uploaded": True, "commit": getattr(commit, "oid", None)}


def pull(repo_id: str, revision: str | None, language: str | None, registry) -> dict:
    """Download a Hub model into the zoo's folder and add it to the zoo under its Hub id. A model
    pushed by asrzoo brings its asrzoo.json; any other CTC model needs ``language``."""
    from huggingface_hub import HfApi, snapshot_download

    from asrzoo.zoo.saved import METADATA, load_trained, weights_bytes

    folder = paths.models_dir() / paths.repo_folder_name(repo_id)
    _hub_call(
        f"downloading {repo_id}",
        lambda: snapshot_download(repo_id, revision=revision, local_dir=folder),
    )
    metadata_file = folder / METADATA
    metadata = json.loads(metadata_file.read_text("utf-8")) if metadata_file.is_file() else {}
    if not metadata:
        if not language:
            raise UserError(f"{repo_id} was not published by asrzoo: give its --language")
        normalizer = registry.normalizer(language)
        metadata = {
            "language": language,
            "base_model": repo_id,
            "dataset": {"name": "unknown"},
            "normalizer_id": normalizer.id,
            "normalizer_version": normalizer.version,
        }
    if metadata.get("kind", "asr") == "asr":
        built, _ = load_trained(str(folder))
        found = {
            "family": built.family.name,
            "vocabulary": built.processor.tokenizer.get_vocab(),
            "parameters": built.num_parameters,
        }
    else:  # a language identifier or a pretrained encoder: no tokenizer
        from transformers import AutoConfig

        found = {"family": registry.family_for(AutoConfig.from_pretrained(folder)).name}
    record = ModelRecord.from_metadata(
        metadata,
        id=repo_id,
        path=str(folder),
        size_bytes=weights_bytes(folder),
        **found,
    )
    metadata = {**metadata, **record.as_dict()}
    metadata_file.write_text(json.dumps(metadata, ensure_ascii=False, indent=1), "utf-8")
    from asrzoo.zoo.store import Zoo

    url = f"{HfApi().endpoint}/{repo_id}"
    # pulled again: the same folder's new download
    zoo = Zoo()
    zoo.add_model(record, replace=True, published_to=url)
    for split, scores in (metadata.get("metrics") or {}).items():  # what it was published with
        if scores:
            zoo.add_evaluation(repo_id, metadata["dataset"].get("name", "unknown"), split, scores)
    return {"id": repo_id, "path": str(folder), "language": metadata["language"], "url": url}


def hub_models(language: str | None) -> list[dict]:
    """Models on the Hub tagged asrzoo (of one language)."""
    from huggingface_hub import HfApi

    tags = ["asrzoo", language] if language else ["asrzoo"]
    found = _hub_call(
        "listing the Hub's asrzoo models", lambda: list(HfApi().list_models(filter=tags))
    )
    return [
        {
            "id": m.id,
            "languages": [t for t in m.tags or [] if len(t) in (2, 3) and t.isalpha()],
            "downloads": m.downloads,
            "likes": m.likes,
            "last_modified": str(m.last_modified or ""),
        }
        for m in found
    ]
