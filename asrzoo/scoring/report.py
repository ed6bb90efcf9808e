"""Pictures of models: the HTML report of a comparison (one self-contained file, tables and
plots as inline SVG, that any browser opens offline), training curves and confusion matrices."""

from __future__ import annotations

import html
import io
from pathlib import Path

from asrzoo.paths import write_atomic


def _pyplot():
    """matplotlib's pyplot, drawing off screen (no display on servers and in CI)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _svg(figure) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]  # without the XML prologue, to sit inside HTML


def wer_plot(models: list[dict]) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(1.6 + 1.2 * len(models), 3.2))
    wers = [m["wer"] for m in models]
    below = [m["wer"] - m["wer_ci95"][0] for m in models]
    above = [m["wer_ci95"][1] - m["wer"] for m in models]
    axes.bar([m["id"] for m in models], wers, yerr=[below, above], capsize=6, color="#4c78a8")
    axes.set_ylabel("WER (95% bootstrap interval)")
    axes.set_ylim(0, max(m["wer_ci95"][1] for m in models) * 1.15 or 1)
    axes.tick_params(axis="x", labelrotation=20)
    return _svg(figure)


def curves_plot(models: list[dict]) -> str | None:
    plt = _pyplot()
    if not any(m["training_curve"] for m in models):
        return None
    figure, axes = plt.subplots(figsize=(7, 3.2))
    for model in models:
        points = [p for p in model["training_curve"] if "loss" in p]
        axes.plot([p["step"] for p in points], [p["loss"] for p in points], label=model["id"])
    axes.set_xlabel("step")
    axes.set_ylabel("training loss (CTC)")
    axes.set_yscale("log")
    axes.legend()
    return _svg(figure)


def write_report(comparison: dict, path: Path) -> None:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(m['id'])}</td><td>{e(m['family'])}</td><td>{m['parameters'] / 1e6:.1f} M</td>"
        f"<td>{m['wer']:.4f}</td><td>{m['wer_ci95'][0]:.4f}–{m['wer_ci95'][1]:.4f}</td>"
        f"<td>{m['cer']:.4f}</td><td>{m['substitutions']}</td><td>{m['deletions']}</td>"
        f"<td>{m['insertions']}</td><td>{m['real_time_factor']:.4f}</td></tr>"
        for m in comparison["models"]
    )
    differences = "".join(
        f"<tr><td>{e(d['a'])} − {e(d['b'])}</td><td>{d['wer_difference']:+.4f}</td>"
        f"<td>{d['ci95'][0]:+.4f} to {d['ci95'][1]:+.4f}</td>"
        f"<td>{d['a_better_share']:.1%}</td></tr>"
        for d in comparison["differences"]
    )
    curves = curves_plot(comparison["models"])
    title = f"{comparison['dataset']}/{comparison['split']} ({comparison['language']})"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>asrzoo comparison: {e(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3em .8em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
</style></head><body>
<h1>Comparison on {e(title)}</h1>
<p>{comparison["rows"]} utterances ({comparison["audio_hours"]:.2f} h) that every model can use,
normalized with {e(comparison["normalizer"])}, greedy decoding.</p>
<table id="models"><tr><th>model</th><th>family</th><th>parameters</th><th>WER</th>
<th>WER 95% interval</th><th>CER</th><th>subs</th><th>dels</th><th>ins</th>
<th>real-time factor</th></tr>{rows}</table>
<h2>WER per model</h2><figure id="wer">{wer_plot(comparison["models"])}</figure>
<h2>Differences (paired bootstrap, {comparison["rows"]} utterances resampled)</h2>
<table id="differences"><tr><th>pair</th><th>WER difference</th><th>95% interval</th>
<th>draws where the first is better</th></tr>{differences}</table>
<h2>Training curves</h2>
<figure id="curves">{curves or "<p>no training history recorded</p>"}</figure>
</body></html>
"""
    write_atomic(path, page)  # whole, and a link planted at path is replaced, not followed


def training_curve_png(log_history: list[dict], path: Path, loss: str = "CTC") -> None:
    """The training loss over steps, and validation WER and CER where training measured them
    (--eval-steps), as a PNG saved with the model."""
    plt = _pyplot()
    points = [e for e in log_history if "loss" in e and "step" in e]
    figure, axes = plt.subplots(figsize=(6, 3))
    axes.plot([p["step"] for p in points], [p["loss"] for p in points], label="loss")
    axes.set_xlabel("step")
    axes.set_ylabel(f"training loss ({loss})")
    if points:
        axes.set_yscale("log")
    evaluations = [e for e in log_history if "eval_wer" in e]
    if evaluations:
        rates = axes.twinx()
        steps = [e["step"] for e in evaluations]
        rates.plot(steps, [e["eval_wer"] for e in evaluations], "o-", color="C1", label="WER")
        rates.plot(steps, [e["eval_cer"] for e in evaluations], "s-", color="C2", label="CER")
        rates.set_ylabel("validation error rate")
        figure.legend(loc="upper right")
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)


def pretraining_curve_png(log_history: list[dict], path: Path) -> None:
    """Self-supervised pretraining over steps: contrastive and diversity loss (per masked
    frame), and the codebook's perplexity and the Gumbel temperature."""
    plt = _pyplot()
    points = [e for e in log_history if "contrastive_loss" in e]
    steps = [p["step"] for p in points]
    figure, (losses, codes) = plt.subplots(1, 2, figsize=(10, 3))
    losses.plot(steps, [p["contrastive_loss"] for p in points], label="contrastive")
    losses.plot(steps, [p["diversity_loss"] for p in points], label="diversity")
    losses.set_xlabel("step")
    losses.set_ylabel("loss per masked frame")
    losses.legend()
    codes.plot(steps, [p["codevector_perplexity"] for p in points], color="C2")
    codes.set_xlabel("step")
    codes.set_ylabel("codevector perplexity", color="C2")
    temperature = codes.twinx()
    temperature.plot(steps, [p["gumbel_temperature"] for p in points], "--", color="C3")
    temperature.set_ylabel("Gumbel temperature", color="C3")
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)


def confusion_png(confusion: list[list[int]], labels: list[str], path: Path, title: str) -> None:
    """A language identifier's confusion matrix: the share of each true language's clips (row)
    given to each language (column)."""
    import numpy as np

    plt = _pyplot()
    counts = np.asarray(confusion, dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = 1.5 + 0.45 * len(labels)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(labels)), labels)
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("identified as")
    axes.set_ylabel("spoken in")
    axes.set_title(title)
    for (row, column), share in np.ndenumerate(shares):
        if counts[row, column]:
            color = "white" if share > 0.5 else "black"
            axes.text(
                column, row, f"{share:.2f}", ha="center", va="center", fontsize=7, color=color
            )
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)
