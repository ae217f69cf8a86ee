"""The app indexes the library in the background only after the first page view."""

import threading

from assistant.serving import start_background_ingest


class RecordingLibrary:
    def __init__(self, stale: bool) -> None:
        self.stale = stale
        self.ingested = threading.Event()
        self.warmed_after_ingest = threading.Event()

    def needs_ingest(self) -> bool:
        return self.stale

    def ingest(self):
        self.ingested.set()

        class Report:
            def summary(self) -> str:
                return "done"

        return Report()

    def warm_up(self) -> None:
        if self.ingested.is_set():
            self.warmed_after_ingest.set()


def test_nothing_starts_when_the_index_is_current():
    assert start_background_ingest(RecordingLibrary(stale=False), threading.Event()) is None


def test_indexing_waits_for_the_first_view():
    library, first_view = RecordingLibrary(stale=True), threading.Event()
    thread = start_background_ingest(library, first_view, wait=30)
    assert thread is not None
    assert not library.ingested.wait(0.3)  # still waiting for the page
    first_view.set()
    assert library.ingested.wait(5)
    # Then the first search is got ready (ingest from shipped vectors loads no model).
    assert library.warmed_after_ingest.wait(5)
    thread.join(5)


def test_indexing_starts_anyway_when_nobody_opens_the_page():
    library = RecordingLibrary(stale=True)
    thread = start_background_ingest(library, threading.Event(), wait=0.2)
    assert library.ingested.wait(5)
    thread.join(5)
