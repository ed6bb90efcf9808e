"""What a prepared dataset holds: hours, speakers, durations, characters. Answers "is this data
what I think it is?" before hours of training do."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from asrzoo.data.prepare import PreparedData

OUT_OF_ALPHABET = "characters outside the alphabet"


def inspect_data(data: PreparedData, rare_below: int = 10) -> dict:
    """Per-split figures, a duration histogram, and the characters of the kept transcripts
    (those seen fewer than ``rare_below`` times flagged), and of the rows dropped for
    characters outside the alphabet."""
    splits, seconds, characters = {}, [], Counter()
    for name, split in data.splits.items():
        columns = split.select_columns(["seconds", "speaker", "text"])
        durations = np.asarray(columns["seconds"], dtype=np.float64)
        speakers = {s for s in columns["speaker"] if s}
        splits[name] = {
            "rows": len(split),
            "hours": round(float(durations.sum()) / 3600, 4),
            "speakers": len(speakers),
            "median_seconds": round(float(np.median(durations)), 2) if len(split) else 0.0,
            "max_seconds": round(float(durations.max()), 2) if len(split) else 0.0,
        }
        seconds.append(durations)
        for text in columns["text"]:
            characters.update(text.replace(" ", ""))
    durations = np.concatenate(seconds) if seconds else np.zeros(0)
    top = max(1, math.ceil(durations.max())) if durations.size else 1
    counts, edges = np.histogram(durations, bins=np.arange(top + 1))
    outside = Counter()
    for drop in data.dropped:
        if drop.reason == OUT_OF_ALPHABET:
            outside.update(drop.detail.split())
    return {
        "splits": splits,
        "duration_histogram": [
            {"from": int(low), "to": int(high), "rows": int(n)}
            for low, high, n in zip(edges[:-1], edges[1:], counts, strict=True)
        ],
        "characters": [
            {"char": c, "count": n, "rare": n < rare_below} for c, n in characters.most_common()
        ],
        "outside_alphabet": [{"char": c, "rows": n} for c, n in outside.most_common()],
        "converted": data.converted,
        "dropped_by_reason": dict(data.reasons()),
    }
