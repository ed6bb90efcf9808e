"""WER and CER, evaluation of a split, the HTML report."""
