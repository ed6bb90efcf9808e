"""The zoo: the SQLite store, saved models, comparison, the Hub."""
