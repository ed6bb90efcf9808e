"""ONNX Runtime for transcription: a trained model exported to ONNX (fp32, or int8 weights),
in the folder layout optimum's ORTModelForCTC reads (``model.onnx`` beside the model's config,
feature extractor and tokenizer), and a model object that asrzoo's decoding uses in place of
the torch one."""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import torch

from asrzoo import paths
from asrzoo.decoding.inference import cpu_streams
from asrzoo.decoding.lm import LANGUAGE_MODEL
from asrzoo.errors import UserError

FP32_FILE = "model.onnx"
INT8_FILE = "model_quantized.onnx"  # optimum's name for a quantized export
BACKENDS = ("torch", "onnx", "onnx-int8")
OPSET = 17
# the tokenizer, feature extractor and model card travel with the export; the torch weights
# do not
COPIED = ("*.json", "*.txt", "README.md")


def _runtime():
    try:
        import onnxruntime
    except ImportError:
        raise UserError(
            "the ONNX backend needs onnxruntime and onnx: pip install 'asrzoo[onnx]'"
        ) from None
    return onnxruntime


def export(built, folder: Path, target: Path, quantize: str | None = None) -> list[Path]:
    """Write ``built``'s model to ``target`` as ONNX (and int8 with ``quantize="int8"``), with
    everything but the torch weights copied from the model's ``folder``. Returns the files."""
    _runtime()
    model = built.model.eval().to("cpu")
    if len(built.processor.feature_extractor.model_input_names) != 2 or built.family.frames:
        raise UserError(f"ONNX export is for waveform models; {built.family.name} is not one")
    takes_mask = built.processor.feature_extractor.return_attention_mask
    model.config._attn_implementation = "eager"  # SDPA's mask handling does not trace
    paths.claim(target)
    for pattern in COPIED:
        for source in folder.glob(pattern):
            if source.name != paths.MARKER:
                shutil.copy2(source, target / source.name)
                paths.record(target, source.name)
    language_model = folder / LANGUAGE_MODEL
    if language_model.is_dir():  # its processor_config.json names the LM processor: it needs it
        shutil.copytree(language_model, target / LANGUAGE_MODEL, dirs_exist_ok=True)
        paths.record(target, LANGUAGE_MODEL)
    example = torch.zeros(2, 16_000)
    inputs = (example, torch.ones(2, 16_000, dtype=torch.long)) if takes_mask else (example,)
    # the waveform's name and the mask's, as its feature extractor calls them
    names = built.processor.feature_extractor.model_input_names[: len(inputs)]
    written = [target / FP32_FILE]
    temporary = target / f".{FP32_FILE}.tmp{os.getpid()}"
    # the tracer warns of every Python branch on shapes; none of them depends on the input
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            inputs,
            str(temporary),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={
                **{name: {0: "batch_size", 1: "sequence_length"} for name in names},
                "logits": {0: "batch_size", 1: "frames"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    os.replace(temporary, written[0])
    paths.record(target, FP32_FILE)
    if quantize == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # only the matrix products: int8 convolutions (ConvInteger) ran the tiny model 1.9x
        # slower than fp32 ones on ONNX Runtime's CPU kernels, and unsigned weights 1.3x
        logging.disable(logging.WARNING)  # its advice to pre-process is for static quantization
        try:
            quantize_dynamic(
                written[0], target / INT8_FILE, op_types_to_quantize=["MatMul", "Gemm"],
                weight_type=QuantType.QInt8,
            )  # fmt: skip
        finally:
            logging.disable(logging.NOTSET)
        paths.record(target, INT8_FILE)
        written.append(target / INT8_FILE)
    return written


def onnx_file(folder: Path, backend: str) -> Path:
    """The ONNX file of ``backend`` for a model folder: the folder itself when it is an export,
    else its ``onnx/`` export."""
    name = INT8_FILE if backend == "onnx-int8" else FP32_FILE
    for candidate in (folder / name, folder / "onnx" / name):
        if candidate.is_file():
            return candidate
    flag = " --quantize int8" if backend == "onnx-int8" else ""
    raise UserError(
        f"{folder} has no {name}: export it first with `asrzoo export {folder} --onnx{flag}`"
    )


class Output:
    def __init__(self, logits: torch.Tensor):
        self.logits = logits


class OnnxCTCModel:
    """What asrzoo's decoding needs of a *ForCTC model (call it for logits, its config, its
    frame arithmetic), answered by an ONNX Runtime session."""

    device = torch.device("cpu")

    def __init__(self, file: Path, config):
        from transformers import AutoModelForCTC

        runtime = _runtime()
        options = runtime.SessionOptions()
        # each of the batches scored at once gets its share of the threads
        options.intra_op_num_threads = torch.get_num_threads() // cpu_streams(self.device)
        # idle runtime threads spinning between batches would slow the torch work in between
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = runtime.InferenceSession(
            str(file), options, providers=["CPUExecutionProvider"]
        )
        types = {"tensor(float)": np.float32, "tensor(int64)": np.int64, "tensor(int32)": np.int32}
        self.inputs = {i.name: types[i.type] for i in self.session.get_inputs()}
        self.config = config
        with torch.device("meta"):  # no weights: only its length arithmetic is used
            self._shape = AutoModelForCTC.from_config(config)

    def eval(self):
        return self

    def __call__(self, **inputs) -> Output:
        feed = {
            name: np.asarray(inputs[name].numpy(), dtype) for name, dtype in self.inputs.items()
        }
        (logits,) = self.session.run(["logits"], feed)
        return Output(torch.from_numpy(np.asarray(logits)))

    def _get_feat_extract_output_lengths(self, lengths):
        return self._shape._get_feat_extract_output_lengths(lengths)
