import multiprocessing
import sqlite3

import pytest

from asrzoo import UserError
from asrzoo.zoo.record import ModelRecord
from asrzoo.zoo.store import MIGRATIONS, Zoo


def record(model_id, language="tr"):
    return ModelRecord(
        id=model_id,
        language=language,
        family="wav2vec2",
        base_model="tiny",
        path=f"/models/{model_id}",
        dataset={"name": "synthetic"},
        normalizer_id="asrzoo-tr/turkish",
        normalizer_version="1",
        vocabulary={"[PAD]": 0},
        hyperparameters={"learning_rate": 1e-3},
        training={"steps": 10},
        parameters=5_000_000,
        size_bytes=20_000_000,
        versions={"asrzoo": "0.1.0"},
    )


def test_models_and_evaluations_round_trip(tmp_path):
    zoo = Zoo(tmp_path / "zoo.db")
    zoo.add_model(record("tr-a"))
    zoo.add_model(record("de-b", language="de"))
    zoo.add_evaluation("tr-a", "synthetic", "test", {"wer": 0.25, "cer": 0.05, "words": 100})
    assert [m["id"] for m in zoo.list("tr")] == ["tr-a"]
    model = zoo.get("tr-a")
    assert model["dataset"] == {"name": "synthetic"} and model["hyperparameters"]["learning_rate"]
    assert model["evaluations"][0]["wer"] == 0.25
    assert model["evaluations"][0]["details"]["words"] == 100
    assert zoo.exists("tr-a") and not zoo.exists("tr-zz")
    zoo.remove("tr-a")
    with pytest.raises(UserError, match="no model 'tr-a' in the zoo; known: de-b"):
        zoo.get("tr-a")
    with sqlite3.connect(tmp_path / "zoo.db") as db:  # evaluations went with their model
        assert db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0


def test_schema_is_versioned_and_wal(tmp_path):
    Zoo(tmp_path / "zoo.db")
    Zoo(tmp_path / "zoo.db")  # opening again migrates nothing twice
    with sqlite3.connect(tmp_path / "zoo.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _write_many(path, prefix):
    zoo = Zoo(path)
    for i in range(25):
        zoo.add_model(record(f"{prefix}-{i}"))
        zoo.add_evaluation(f"{prefix}-{i}", "synthetic", "test", {"wer": 0.1, "cer": 0.01})


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "zoo.db"
    Zoo(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(path, p)) for p in ("x", "y")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    models = Zoo(path).list()
    assert len(models) == 50 and all(len(m["evaluations"]) == 1 for m in models)


def test_a_zoo_of_the_first_schema_keeps_its_models_and_scores_when_migrated(tmp_path):
    """The zoo.db of an earlier asrzoo (schema 1: speech recognizers only, scores WER/CER)."""
    import json

    path = tmp_path / "zoo.db"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        row = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in
               record("tr-old").as_dict().items() if k not in ("kind", "languages")}  # fmt: skip
        db.execute(
            f"INSERT INTO models ({', '.join(row)}, created_at) VALUES"
            f" ({', '.join('?' * len(row))}, '2026-01-01')",
            list(row.values()),
        )
        db.execute(
            "INSERT INTO evaluations (model_id, dataset, split, wer, cer, details, created_at)"
            " VALUES ('tr-old', 'synthetic', 'test', 0.3, 0.05, '{}', '2026-01-01')"
        )
    zoo = Zoo(path)
    (old,) = zoo.list(language="tr")
    assert old["kind"] == "asr" and old["languages"] == ["tr"]
    assert old["evaluations"][0]["wer"] == 0.3 and old["evaluations"][0]["accuracy"] is None
    lid = record("lid-new", language="mul")
    lid.kind, lid.languages = "lid", ["tr", "de"]
    zoo.add_model(lid)
    zoo.add_evaluation("lid-new", "synthetic", "test", {"accuracy": 0.9})
    assert [m["id"] for m in zoo.list(language="de")] == ["lid-new"]
    assert [m["id"] for m in zoo.list(language="tr", kind="asr")] == ["tr-old"]
    assert zoo.get("lid-new")["evaluations"][0]["accuracy"] == 0.9
