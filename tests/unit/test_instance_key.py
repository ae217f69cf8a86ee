"""App processes sharing one data dir share its instance id (the name of their uploads
collection on a Chroma server), also when two of them start together on a new folder."""

from __future__ import annotations

from assistant.knowledge import index_state
from assistant.knowledge.index_state import instance_key


def test_the_key_is_made_once_and_kept(tmp_path):
    key = instance_key(tmp_path / "data")
    assert len(key) == 12 and instance_key(tmp_path / "data") == key
    assert not [p for p in (tmp_path / "data").iterdir() if p.name != "instance-id"]


def test_a_key_another_process_wrote_meanwhile_is_kept_not_replaced(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    real_read = index_state._read_key
    calls = []

    def read_before_the_other_process_wrote(path):
        calls.append(path)
        if len(calls) == 1:  # this process looked before the other one wrote its key ...
            (data / "instance-id").write_text("0123456789ab\n", encoding="utf-8")
            return None
        return real_read(path)

    monkeypatch.setattr(index_state, "_read_key", read_before_the_other_process_wrote)
    assert instance_key(data) == "0123456789ab"  # ... and then reads theirs
    assert (data / "instance-id").read_text(encoding="utf-8").strip() == "0123456789ab"


def test_a_damaged_key_is_replaced(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "instance-id").write_text("not a key", encoding="utf-8")
    key = instance_key(data)
    assert len(key) == 12 and key != "not a key" and instance_key(data) == key
