"""The app's API through gradio_client, against `python app.py` and the Ollama double."""

import httpx
import pytest
from gradio_client import Client


def chat_contents(chat) -> list[str]:
    contents = []
    for message in chat:
        content = message["content"]
        if isinstance(content, list):  # Gradio 6 returns chat content as a list of parts
            content = "".join(part.get("text", "") for part in content)
        contents.append(content)
    return contents


def test_send_streams_and_stores_through_the_api(running_app, double):
    double.script("What is the first step you could take?")
    client = Client(running_app.url, verbose=False)
    job = client.submit("I keep postponing a hard talk.", api_name="/send")
    outputs = job.result(timeout=30)
    chat = outputs[0]
    contents = chat_contents(chat)
    assert contents[-2:] == [
        "I keep postponing a hard talk.",
        "What is the first step you could take?",
    ]
    assert len(job.outputs()) > 2  # several streamed updates, not one block

    # A second client sees its own fresh session, not the first one's (per-browser state).
    other = Client(running_app.url, verbose=False)
    double.script("What matters to you here?")
    other_chat = other.predict("Separate conversation", api_name="/send")[0]
    assert "I keep postponing a hard talk." not in chat_contents(other_chat)
    assert chat_contents(other_chat)[-1] == "What matters to you here?"


@pytest.mark.sqlite_only  # about SQLite's file lock (another process holding it)
def test_a_locked_database_keeps_the_words_in_the_box_and_retry_works(running_app, double):
    """Another process holds the write lock longer than the app waits (5 s): the reply says
    the database is busy and the message box gets the words back; once the lock is gone the
    same words go in. (The Ollama double stands in for Ollama.)"""
    import sqlite3

    double.script("What would you like to change?", "What happened last time?")
    client = Client(running_app.url, verbose=False)
    client.predict("Meetings run over.", api_name="/send")
    words = "The Monday meeting ran 40 minutes over again."
    blocker = sqlite3.connect(running_app.data_dir / "coach.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        chat, box, notice, *_ = client.predict(words, api_name="/send")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert box == words
    assert "holding a lock" in notice
    assert words not in chat_contents(chat)
    chat = client.predict(box, api_name="/send")[0]
    assert chat_contents(chat)[-2:] == [words, "What happened last time?"]


def test_gradio_monitoring_is_off(running_app):
    """Gradio serves per-endpoint usage figures at /monitoring unless told not to; the app
    tells it not to (and so never needs the pandas summary Gradio rebuilds per event)."""
    assert httpx.get(running_app.url + "/monitoring/summary", timeout=10).status_code == 403
    assert httpx.get(running_app.url + "/monitoring", timeout=10).status_code == 403
