"""Whose cached files are whose (assistant/ui/user_files.py), and the guard serving Gradio's file
routes by that rule: each signed-in user reads only what the app wrote for them and what they
uploaded; the single user of an app without sign-in reads everything, as before."""

from __future__ import annotations

import asyncio
import json
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.ui.guard import Guard, SignIns
from assistant.ui.user_files import UserFiles, file_route_path

APP = "http://127.0.0.1:7860"
COOKIES = {"alice": "tok-alice", "bob": "tok-bob"}


@pytest.fixture
def files(tmp_path) -> UserFiles:
    return UserFiles(cache_dir=tmp_path / "gradio")


def test_a_download_is_readable_by_its_user_only_and_kept_in_a_private_folder(files):
    path = Path(files.write_text("alice", "export.json", '{"secret": 1}'))
    assert path.read_text() == '{"secret": 1}'
    assert files.may_read("alice", path)
    assert not files.may_read("bob", path)
    assert not files.may_read("bob", path.parent)  # her folder itself
    # A path that climbs out of bob's own folder into hers is read as Gradio reads it.
    climbing = files.folder("bob") / ".." / path.relative_to(files.users_dir)
    assert not files.may_read("bob", climbing)
    for folder in (files.users_dir, files.folder("alice"), path.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_upload_is_readable_by_its_uploader_only(files):
    upload = files.cache_dir / "0f3a" / "notes.md"
    upload.parent.mkdir(parents=True)
    upload.write_text("ALICE-NOTES")
    assert not files.may_read("alice", upload)  # nobody's until recorded
    files.record_uploads("alice", [str(upload)])
    assert files.may_read("alice", upload)
    assert not files.may_read("bob", upload)
    assert not files.may_read("bob", files.cache_dir / "0f3a" / "other.md")


def test_without_sign_in_the_one_user_reads_everything_and_outside_the_cache_gradio_decides(
    files, tmp_path
):
    path = files.write_text("alice", "export.json", "{}")
    assert files.may_read(None, path)
    outside = tmp_path / "elsewhere.txt"
    assert files.may_read("bob", outside)


def test_file_route_paths_are_read_from_both_of_gradios_file_routes():
    assert file_route_path("/gradio_api/file=/tmp/gradio/x/a.md") == "/tmp/gradio/x/a.md"
    assert file_route_path("/gradio_api/file//tmp/gradio/x/a.md") == "/tmp/gradio/x/a.md"
    assert file_route_path("/gradio_api/file=https://example.com/a.png") is None
    assert file_route_path("/gradio_api/upload") is None


class CachedFiles:
    """Gradio's two routes in small: an upload answers with the cached path, a file route
    reads whatever path it is given."""

    def __init__(self, upload_to: Path) -> None:
        self.upload_to = upload_to
        self.served: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        path = scope["path"]
        if path == "/gradio_api/upload":
            self.upload_to.parent.mkdir(parents=True, exist_ok=True)
            self.upload_to.write_text("UPLOADED")
            body = json.dumps([str(self.upload_to)]).encode()
        else:
            asked = file_route_path(path)
            assert asked is not None
            self.served.append(asked)
            body = Path(asked).read_bytes()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


def call(guard: Guard, user: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=guard)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url=APP) as client:
            cookie = {"access-token-c": COOKIES[user]}
            return await client.request(method, path, cookies=cookie, **kwargs)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture
def served(files) -> tuple[Guard, CachedFiles]:
    inner = CachedFiles(files.cache_dir / "9c1d" / "alice-notes.md")
    sign_ins = SignIns(
        tokens=lambda: {token: name for name, token in COOKIES.items()},
        cookie_id=lambda: "c",
        required=lambda: True,
        fingerprint=lambda _: None,
        issued={token: None for token in COOKIES.values()},
    )
    guard = Guard(inner, frozenset(), max_body=1 << 20, sign_ins=sign_ins, files=files)
    return guard, inner


def test_the_guard_serves_a_users_files_to_that_user_and_refuses_them_to_another(files, served):
    guard, inner = served
    export = files.write_text("alice", "alice-export.json", "ALICE-EXPORT")
    for route in ("/gradio_api/file=", "/gradio_api/file/"):
        refused = call(guard, "bob", "GET", route + export)
        assert refused.status_code == 403, refused.text
        assert "ALICE" not in refused.text and "another user" in refused.json()["detail"]
        assert refused.json()["detail_da"]
        assert call(guard, "alice", "GET", route + export).text == "ALICE-EXPORT"
    uploaded = call(guard, "alice", "POST", "/gradio_api/upload", files={"files": ("a", b"x")})
    path = uploaded.json()[0]
    assert call(guard, "bob", "GET", "/gradio_api/file=" + path).status_code == 403
    assert call(guard, "alice", "GET", "/gradio_api/file=" + path).text == "UPLOADED"
    assert inner.served == [export, export, path]  # bob's requests never reached Gradio
