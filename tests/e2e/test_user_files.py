"""Issue #15, item 3, against a real `python app.py` with two signed-in users (ann, bob): bob
cannot fetch ann's cached export or upload through Gradio's file routes, and handing ann's
cached path to the Q&A upload, the scenario import or the Knowledge upload is refused with a
clear message and gives back nothing of hers. Ann herself still gets all of it."""

from __future__ import annotations

import re
from typing import Any

from gradio_client import Client

from tests.e2e.conftest import ROOT
from tests.e2e.test_auth import PASSWORDS, Browserless, add_user, flatten

SECRET = "ANN-PRIVATE-NOTES-41c9"
# A shipped scenario, retitled with the secret: a file the scenario import accepts.
SHIPPED = (ROOT / "knowledge" / "scenarios" / "cant-delegate.en.md").read_text(encoding="utf-8")
SCENARIO = re.sub(r"(?m)^title: .*$", f'title: "{SECRET}"', SHIPPED, count=1)


def file_value(item: Any) -> dict[str, Any]:
    value = item.get("value", item) if isinstance(item, dict) else item
    assert isinstance(value, dict) and value.get("path"), item
    return value


def test_bob_gets_none_of_anns_cached_files_by_url_or_as_an_input(app_factory, double, tmp_path):
    data_dir = tmp_path / "data"
    for name, password in PASSWORDS.items():
        add_user(app_factory.env(data_dir), name, password)
    app = app_factory(double.url, data_dir=data_dir)
    ann = Browserless(app.url, "ann", PASSWORDS["ann"])
    bob = Browserless(app.url, "bob", PASSWORDS["bob"])

    double.script("What would help?")
    ann_client = Client(app.url, auth=("ann", PASSWORDS["ann"]), verbose=False)
    ann_client.predict(f"{SECRET} in my reflection", "en", api_name="/send")
    export = file_value(ann.call("export_all", "", "", "en")[0])
    assert SECRET in ann.download(export)
    notes = ann.upload("ann-notes.md", SCENARIO)
    assert SECRET in ann.download(notes)

    for path in (export["path"], notes["path"]):
        for route in ("/gradio_api/file=", "/gradio_api/file/"):
            got = bob.http.get(route + path)
            assert got.status_code in (403, 404), (route, got.status_code)
            assert SECRET not in got.text

    # Each input, handed ann's cached path by bob: refused, nothing of hers comes back.
    inputs = {"read_upload": notes, "import_file": notes, "upload": notes}
    for api_name, value in inputs.items():
        answer = flatten(bob.call(api_name, value, "en"))
        assert SECRET not in answer, api_name
        assert "not uploaded by you" in answer, (api_name, answer)
    assert "ann-notes.md" not in flatten(bob.call("uploads_view", "en"))

    # The same inputs work for ann, who uploaded the file.
    assert SECRET in flatten(ann.call("read_upload", notes, "en"))
    assert SECRET in flatten(ann.call("import_file", notes, "en"))
