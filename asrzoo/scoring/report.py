"""The HTML report of a comparison: one self-contained file (tables, and plots as inline SVG)
that any browser opens, offline."""

from __future__ import annotations

import html
import io
from pathlib import Path


def _svg(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]  # without the XML prologue, to sit inside HTML


def wer_plot(models: list[dict]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    path.write_text(page, encoding="utf-8")


def training_curve_png(log_history: list[dict], path: Path) -> None:
    """The training loss over steps, and validation WER and CER where training measured them
    (--eval-steps), as a PNG saved with the model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = [e for e in log_history if "loss" in e and "step" in e]
    figure, axes = plt.subplots(figsize=(6, 3))
    axes.plot([p["step"] for p in points], [p["loss"] for p in points], label="loss")
    axes.set_xlabel("step")
    axes.set_ylabel("training loss (CTC)")
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
