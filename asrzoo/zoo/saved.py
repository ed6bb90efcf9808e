"""Saved models: where a zoo id or folder is, what its ``asrzoo.json`` says, and the model
itself, loaded through its family (torch, or its ONNX export)."""

from __future__ import annotations

import json
from pathlib import Path

from asrzoo.errors import UserError
from asrzoo.models.build import BuiltModel, build_processor
from asrzoo.zoo.store import Zoo

METADATA = "asrzoo.json"  # beside the model: what it is, what it was trained on, how it scored


def weights_bytes(folder: Path) -> int:
    """The size of a saved model's weights (its safetensors files)."""
    return sum(f.stat().st_size for f in Path(folder).glob("*.safetensors"))


def dataset_label(dataset: str) -> str:
    """How the zoo names a dataset: a loader by its name, a manifest by its file name, a folder
    by its last two parts (cv-corpus-21.0/tr), never by a path of this machine."""
    from asrzoo.plugin.registry import MANIFEST_SUFFIXES

    path = Path(dataset).expanduser()
    if path.suffix.lower() in MANIFEST_SUFFIXES:
        return path.name
    if ("/" in dataset or dataset.startswith("~")) and path.is_dir():
        path = path.resolve()
        return f"{path.parent.name}/{path.name}".lstrip("/")
    return dataset


def model_metadata(model_ref: str, weights: bool = True) -> dict:
    """What asrzoo.json says of a zoo id or a saved folder (empty for a folder asrzoo did not
    write), with ``path``: where the model is now, wherever it was trained. ``weights``: the
    folder must hold torch weights in safetensors (an ONNX export holds none)."""
    folder = Path(model_ref)
    if not folder.is_dir():
        zoo = Zoo()
        a_path = model_ref.startswith(("/", ".", "~")) or model_ref.count("/") > 1
        if a_path:
            raise UserError(f"{model_ref}: no such model folder")
        if "/" in model_ref and not zoo.exists(model_ref):
            raise UserError(f"{model_ref} is not in the zoo: `asrzoo pull {model_ref}` first")
        folder = Path(zoo.get(model_ref)["path"])
        if not folder.is_dir():
            raise UserError(
                f"the zoo's {model_ref} was in {folder}, which is gone (moved or deleted):"
                f" `asrzoo zoo remove {model_ref}` forgets it"
            )
    if not (folder / "config.json").is_file():
        raise UserError(f"{folder} holds no saved model (no config.json)")
    if weights and not any(folder.glob("*.safetensors")):
        if any(folder.glob("*.onnx")):
            raise UserError(f"{folder} is an ONNX export: give --backend onnx (or onnx-int8)")
        if any(folder.glob("*.bin")):
            raise UserError(
                f"{folder} holds only PyTorch pickle weights (.bin), which can run code when"
                " loaded: asrzoo loads safetensors only (convert them where you trust the file)"
            )
    metadata_file = folder / METADATA
    metadata = json.loads(metadata_file.read_text("utf-8")) if metadata_file.exists() else {}
    metadata["path"] = str(folder)
    return metadata


def load_trained(model_ref: str, backend: str = "torch", registry=None) -> tuple[BuiltModel, dict]:
    """A zoo id or a folder saved by asrzoo (or any CTC folder of a registered family); with
    ``backend`` "onnx" or "onnx-int8", its ONNX export (see asrzoo.decoding.onnx)."""
    from transformers import (
        AutoConfig,
        AutoFeatureExtractor,
        AutoModelForCTC,
        AutoProcessor,
        AutoTokenizer,
    )

    from asrzoo.decoding.lm import LANGUAGE_MODEL
    from asrzoo.models.devices import best_device
    from asrzoo.plugin.registry import Registry

    metadata = model_metadata(model_ref, weights=backend == "torch")
    kind = metadata.get("kind", "asr")
    if kind != "asr":
        use = {"lid": "`asrzoo lid identify`", "pretrained": "`asrzoo train --model`"}.get(kind)
        raise UserError(f"{model_ref} is a {kind} model, not a speech recognizer: use {use}")
    folder = Path(metadata["path"])
    if backend == "torch":
        model = AutoModelForCTC.from_pretrained(folder).to(best_device())
    else:  # an MMS export holds the adapter of the language it was exported with
        from asrzoo.decoding.onnx import OnnxCTCModel, onnx_file

        model = OnnxCTCModel(onnx_file(folder, backend), AutoConfig.from_pretrained(folder))
    base = metadata.get("base_model", str(folder))
    family = (registry or Registry()).family_for(model.config)
    if (folder / LANGUAGE_MODEL).is_dir():
        # saved as a Wav2Vec2ProcessorWithLM for pipeline(); asrzoo decodes with pyctcdecode
        # itself, and that processor would load the LM (slowly) and warn of its deprecation
        processor = build_processor(
            family,
            AutoFeatureExtractor.from_pretrained(folder),
            AutoTokenizer.from_pretrained(folder),
        )
    else:
        processor = AutoProcessor.from_pretrained(folder)
    built = BuiltModel(model, processor, family, base, pretrained=True)
    if family.loaded is not None and backend == "torch":  # an export is of one language already
        family.loaded(built)
    return built, metadata


def training_dataset_options(metadata: dict, dataset: str) -> dict:
    """The loader options a model was trained with, when evaluated on the same dataset: the
    same corpus, so the same held-out splits."""
    trained_on = metadata.get("dataset", {})
    return trained_on.get("options", {}) if trained_on.get("name") == dataset_label(dataset) else {}


def evaluation_dataset_options(metadata: dict, dataset: str, given: dict) -> dict:
    """The options to evaluate with: those the model trained with on this dataset, each
    overridden by one given (``-O voices=unseen`` keeps the training's held-out sentences)."""
    return {**training_dataset_options(metadata, dataset), **given}
