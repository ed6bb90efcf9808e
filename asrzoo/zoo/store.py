"""The local zoo: an SQLite registry of trained models and their evaluations.

WAL mode and short transactions make two processes writing at once safe; the schema version
lives in ``PRAGMA user_version`` and grows by the migrations below, never by editing one.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from asrzoo import paths
from asrzoo.errors import UserError
from asrzoo.zoo.record import ModelRecord

MIGRATIONS = [
    """
    CREATE TABLE models (
        id TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        family TEXT NOT NULL,
        base_model TEXT NOT NULL,
        path TEXT NOT NULL,
        dataset TEXT NOT NULL,          -- JSON: loader, dataset id, config, split, revision
        normalizer_id TEXT NOT NULL,
        normalizer_version TEXT NOT NULL,
        vocabulary TEXT NOT NULL,       -- JSON: token -> id
        hyperparameters TEXT NOT NULL,  -- JSON
        training TEXT NOT NULL,         -- JSON: steps, seconds, ...
        parameters INTEGER NOT NULL,
        size_bytes INTEGER NOT NULL,
        versions TEXT NOT NULL,         -- JSON: library and plugin versions
        created_at TEXT NOT NULL,
        published_to TEXT
    );
    CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        dataset TEXT NOT NULL,
        split TEXT NOT NULL,
        wer REAL NOT NULL,
        cer REAL NOT NULL,
        details TEXT NOT NULL,          -- JSON: edit counts, sizes
        created_at TEXT NOT NULL
    );
    CREATE INDEX evaluations_model ON evaluations(model_id);
    """,
    # models of other kinds than speech recognizers: language identifiers scored by accuracy,
    # pretrained encoders; a model may cover several languages
    """
    ALTER TABLE models ADD COLUMN kind TEXT NOT NULL DEFAULT 'asr';  -- asr, lid, pretrained
    ALTER TABLE models ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';  -- JSON: codes
    UPDATE models SET languages = json_array(language);
    CREATE TABLE scores (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        dataset TEXT NOT NULL,
        split TEXT NOT NULL,
        wer REAL,
        cer REAL,
        accuracy REAL,
        details TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    INSERT INTO scores (id, model_id, dataset, split, wer, cer, details, created_at)
        SELECT id, model_id, dataset, split, wer, cer, details, created_at FROM evaluations;
    DROP TABLE evaluations;
    ALTER TABLE scores RENAME TO evaluations;
    CREATE INDEX evaluations_model ON evaluations(model_id);
    """,
]
JSON_COLUMNS = ("dataset", "vocabulary", "hyperparameters", "training", "versions", "languages")


def _statements(script: str) -> list[str]:
    """A migration's statements, one by one (executescript would commit the open transaction)."""
    lines = [line.split("--")[0] for line in script.splitlines()]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Zoo:
    def __init__(self, path: Path | None = None):
        self.path = path or paths.asrzoo_home() / "zoo.db"
        with closing(self._connect()) as db:
            if db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
                return
            # one process migrates: the others wait for the lock, then find it done
            db.execute("BEGIN IMMEDIATE")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _write(self, sql: str, params) -> None:
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(sql, params)
            db.execute("COMMIT")

    def add_model(
        self, record: ModelRecord, replace: bool = False, published_to: str | None = None
    ) -> None:
        """Add a model; an id already in the zoo is refused unless ``replace`` (a new run in the
        same folder), which also drops the scores of the weights it overwrote."""
        row = {k: json.dumps(v) if k in JSON_COLUMNS else v for k, v in record.as_dict().items()}
        row.update(created_at=now(), published_to=published_to)
        columns = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if replace:
                    db.execute("DELETE FROM models WHERE id = ?", (row["id"],))
                db.execute(f"INSERT INTO models ({columns}) VALUES ({marks})", row)
            except sqlite3.IntegrityError as error:
                db.execute("ROLLBACK")
                raise UserError(f"the zoo already has a model {row['id']!r}") from error
            db.execute("COMMIT")

    def add_evaluation(self, model_id: str, dataset: str, split: str, metrics: dict) -> None:
        """A score: WER and CER of a speech recognizer, accuracy of a language identifier."""
        self._write(
            "INSERT INTO evaluations"
            " (model_id, dataset, split, wer, cer, accuracy, details, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                model_id,
                dataset,
                split,
                metrics.get("wer"),
                metrics.get("cer"),
                metrics.get("accuracy"),
                json.dumps(metrics),
                now(),
            ),  # fmt: skip
        )

    def set_published(self, model_id: str, url: str) -> None:
        self._write("UPDATE models SET published_to = ? WHERE id = ?", (url, model_id))

    def remove(self, model_id: str) -> None:
        self.get(model_id)
        self._write("DELETE FROM models WHERE id = ?", (model_id,))

    def _model(self, db, row: sqlite3.Row) -> dict:
        model = {k: json.loads(row[k]) if k in JSON_COLUMNS else row[k] for k in row.keys()}
        evaluations = db.execute(
            "SELECT dataset, split, wer, cer, accuracy, details, created_at FROM evaluations"
            " WHERE model_id = ? ORDER BY id",
            (model["id"],),
        ).fetchall()
        model["evaluations"] = [
            {**dict(e), "details": json.loads(e["details"])} for e in evaluations
        ]
        return model

    def list(
        self, language: str | None = None, family: str | None = None, kind: str | None = None
    ) -> list[dict]:
        """Models, oldest first; ``language``: those that cover it (a language identifier
        covers each of its languages)."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT * FROM models WHERE (:language IS NULL OR language = :language"
                " OR EXISTS (SELECT 1 FROM json_each(languages) WHERE value = :language))"
                " AND (:family IS NULL OR family = :family)"
                " AND (:kind IS NULL OR kind = :kind) ORDER BY created_at, id",
                {"language": language, "family": family, "kind": kind},
            ).fetchall()
            return [self._model(db, row) for row in rows]

    def exists(self, model_id: str) -> bool:
        with closing(self._connect()) as db:
            found = db.execute("SELECT 1 FROM models WHERE id = ?", (model_id,)).fetchone()
            return found is not None

    def get(self, model_id: str) -> dict:
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM models WHERE id = ?", (model_id,)).fetchone()
            if row is None:
                known = [r[0] for r in db.execute("SELECT id FROM models ORDER BY id")]
                raise UserError(
                    f"no model {model_id!r} in the zoo; known: {', '.join(known) or 'none'}"
                )
            return self._model(db, row)
