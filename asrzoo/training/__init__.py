"""The training loop, budgets and batches by duration."""
