"""``kill -9`` during a publication: the record file, the live build and the LDES stay as they
were, and the next publication (or ``kg curate recover``) puts ``data/`` back.

The real chain on a real ``kg serve``: a publication through the API starts ``kg curate
publish``; the test waits until that process has journalled the old bytes and written the new
record file (the journal exists), then kills it with SIGKILL while it builds.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from conftest import Server, free_port
from curation_support import LEUVEN, Deployment, deploy, kg


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = deploy(tmp_path_factory.mktemp("curation-crash"))
    yield deployment
    deployment.server.stop()


def _publisher_of(server_pid: int) -> int | None:
    """The pid of the server's ``kg curate publish`` child, if one runs."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == server_pid and b"curate" in cmdline and b"publish" in cmdline:
            return int(entry.name)
    return None


def _ldes_files(site: Deployment) -> dict[str, bytes]:
    live = (Path(site.settings.store) / "current").resolve() / "artefacts"
    return {str(p.relative_to(live)): p.read_bytes() for p in sorted(live.rglob("*")) if p.is_file() and "ldes" in str(p)}


def _publish_and_kill(site: Deployment, new: bytes, etag: str, also_server: bool) -> list[httpx.Response]:
    """PUT ``new`` and SIGKILL the publication (and the server too, with ``also_server``) once
    the new file is written and the build runs; the answers the client got."""
    path, journal = site.record(), site.settings.curation_dir / "journal.json"
    answers: list[httpx.Response] = []

    def put() -> None:
        with site.api("ed") as api:
            try:
                answers.append(api.put(f"/api/records/praktijk/{LEUVEN}", content=new,
                                       headers={"Content-Type": "application/yaml", "If-Match": etag}))
            except httpx.HTTPError:
                pass  # the server died under the request

    thread = threading.Thread(target=put)
    thread.start()
    killed = False
    deadline = time.monotonic() + 60
    while not killed and time.monotonic() < deadline and thread.is_alive():
        publisher = _publisher_of(site.server.process.pid)
        if publisher is not None and journal.exists() and path.read_bytes() == new:
            if also_server:
                os.kill(site.server.process.pid, signal.SIGKILL)
            os.kill(publisher, signal.SIGKILL)  # the window: the file written, the build not switched
            killed = True
        time.sleep(0.01)
    thread.join()
    assert killed, "the publication finished before the test could catch it building"
    return answers


def test_kill_9_while_building_leaves_the_live_build_and_puts_data_back(site: Deployment) -> None:
    path = site.record()
    before, build, ldes = path.read_bytes(), site.live_build(), _ldes_files(site)
    journal = site.settings.curation_dir / "journal.json"
    with site.api("ed") as api:
        etag = api.get(f"/api/records/praktijk/{LEUVEN}").headers["etag"]
    new = before.replace(b"websitenaam: Leuven2030", b"websitenaam: Leuven 2030 (crash)")
    answers = _publish_and_kill(site, new, etag, also_server=False)
    assert answers[0].status_code == 503
    # Nothing went live: the same build, the same LDES; the journal knows the old bytes.
    assert site.live_build() == build and _ldes_files(site) == ldes
    assert journal.exists()
    recovered = kg(site.settings, "curate", "recover")
    assert recovered.returncode == 0 and "put back" in recovered.stdout
    assert path.read_bytes() == before and not journal.exists()
    # And the workspace goes on: the same change published again goes live.
    with site.api("ed") as api:
        again = api.put(f"/api/records/praktijk/{LEUVEN}", content=new, headers={"Content-Type": "application/yaml", "If-Match": etag})
    assert again.status_code == 200 and path.read_bytes() == new and site.live_build() != build


def test_kill_9_of_the_server_during_a_publication_is_undone_when_it_starts_again(site: Deployment) -> None:
    path = site.record()
    before, build = path.read_bytes(), site.live_build()
    with site.api("ed") as api:
        etag = api.get(f"/api/records/praktijk/{LEUVEN}").headers["etag"]
    new = before.replace(b"start: \"2020\"", b"start: \"2017\"")
    assert new != before
    _publish_and_kill(site, new, etag, also_server=True)
    site.server.process.wait(10)
    assert path.read_bytes() == new  # half done: written, never live
    site.server = Server(site.settings, free_port(), extra_env={"KG_CURATION": "on", "KG_CURATION_DIR": str(site.settings.curation_dir)})
    assert path.read_bytes() == before and not (site.settings.curation_dir / "journal.json").exists()
    assert site.live_build() == build


def _data_files(site: Deployment) -> dict[str, bytes]:
    root = site.settings.data_dir
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_kill_9_during_a_merge_leaves_every_file_as_it_was(site: Deployment) -> None:
    """A merge changes several files (the duplicate removed, redirects.csv, the records that
    referred to it): killed once all are written and the build runs, recovery puts every one
    back, never a mix; the live build and LDES are untouched."""
    duplicate = site.settings.data_dir / "organisaties" / "stad-turnhout.yaml"
    referrer = site.settings.data_dir / "praktijken" / "begeleiding-strategie-turnhout.yaml"
    before, build, ldes = _data_files(site), site.live_build(), _ldes_files(site)
    journal = site.settings.curation_dir / "journal.json"
    with site.api("ed") as api:
        etag = api.get("/api/records/organisatie/stad-turnhout").headers["etag"]
    answers: list[httpx.Response] = []

    def merge() -> None:
        with site.api("ed") as api:
            answers.append(api.post("/api/records/organisatie/stad-turnhout/merge", json={"into": "stad-kortrijk", "reason": "Test."},
                                    headers={"If-Match": etag}))

    thread = threading.Thread(target=merge)
    thread.start()
    killed = False
    deadline = time.monotonic() + 60
    while not killed and time.monotonic() < deadline and thread.is_alive():
        publisher = _publisher_of(site.server.process.pid)
        if publisher is not None and journal.exists() and not duplicate.exists() and b"stad-kortrijk" in referrer.read_bytes():
            os.kill(publisher, signal.SIGKILL)
            killed = True
        time.sleep(0.01)
    thread.join()
    assert killed, "the merge finished before the test could catch it building"
    assert answers[0].status_code == 503
    assert _data_files(site) != before  # half done: the files written, never live
    assert site.live_build() == build and _ldes_files(site) == ldes
    recovered = kg(site.settings, "curate", "recover")
    assert recovered.returncode == 0 and "put back" in recovered.stdout
    assert _data_files(site) == before and not journal.exists()
    assert httpx.get(f"{site.url}/id/organisatie/stad-turnhout", timeout=30).status_code == 303


def test_a_withdrawal_that_went_live_before_the_crash_gets_its_history_on_recovery(site: Deployment) -> None:
    """The state a crash between the switch and the audit line leaves (the journal, the files
    written, the build that removed the record live): recovery keeps it and writes the history."""
    from kg.build.pipeline import build
    from kg.cli.publication import write_journal
    from kg.curation import history
    from kg.curation.references import redirect_row

    rid = "cop-circulair-aankopen-basistraject"
    record = site.settings.data_dir / "praktijken" / f"{rid}.yaml"
    table = site.settings.data_dir / "reference" / "redirects.csv"
    old_record, old_table = record.read_bytes(), table.read_bytes()
    new_table = redirect_row(old_table, f"/id/praktijk/{rid}", 410, None, "Test.")
    head = {"user": "ed", "pseudonym": "0123456789abcdef", "action": "withdraw", "kind": "praktijk", "id": rid, "reason": "Test."}
    files = [(record.resolve(), old_record, None), (table.resolve(), old_table, new_table)]
    journal = write_journal(site.settings, files, head, [("praktijk", rid)])
    record.unlink()
    table.write_bytes(new_table)
    live = build(site.settings).build_id
    recovered = kg(site.settings, "curate", "recover")
    assert recovered.returncode == 0 and "had gone live" in recovered.stdout
    assert not record.exists() and table.read_bytes() == new_table and not journal.exists()
    entry = history.read(site.settings.curation_dir / history.AUDIT_LOG)[-1]
    assert (entry["action"], entry["id"], entry["build"], entry["after"]) == ("withdraw", rid, live, None)
    assert entry["changed"] == ["reference/redirects.csv"]


def test_recovery_removes_a_temporary_file_a_kill_left_before_its_rename(site: Deployment) -> None:
    """A kill between writing a file's temporary copy and renaming it leaves ``.NAME.tmp-PID``
    beside the record (seen in the merge test when the kill landed on a referrer's write):
    recovery removes it with the rest, so ``data/`` is exactly as before."""
    path = site.record()
    before, files = path.read_bytes(), _data_files(site)
    with site.api("ed") as api:
        etag = api.get(f"/api/records/praktijk/{LEUVEN}").headers["etag"]
    new = before.replace(b"start: \"2020\"", b"start: \"2016\"")
    assert new != before
    _publish_and_kill(site, new, etag, also_server=False)
    left = path.with_name(f".{path.name}.tmp-4242")
    left.write_bytes(new[: len(new) // 2])  # the state a kill inside write_atomic leaves
    recovered = kg(site.settings, "curate", "recover")
    assert recovered.returncode == 0 and "put back" in recovered.stdout
    assert not left.exists()
    assert _data_files(site) == files
