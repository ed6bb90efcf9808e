"""Word and character error rates (jiwer), with the edit counts behind them."""

import jiwer


def error_rates(references: list[str], hypotheses: list[str]) -> dict:
    if not references:
        raise ValueError("no references to score")
    words = jiwer.process_words(references, hypotheses)
    chars = jiwer.process_characters(references, hypotheses)
    return {
        "wer": words.wer,
        "cer": chars.cer,
        "substitutions": words.substitutions,
        "deletions": words.deletions,
        "insertions": words.insertions,
        "words": sum(len(r.split()) for r in references),
        "utterances": len(references),
    }
