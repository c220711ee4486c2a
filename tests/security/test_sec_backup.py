"""`flask --app web backup DEST` and `restore SRC [--yes]`: a consistent online copy of the
database and the taxonomy with a manifest of SHA-256 sums, readable by its owner only; restore
checks the sums, refuses to overwrite without --yes and keeps what it replaced."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import tarfile
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from web.models import Lead

CHIP = "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件和模拟芯片代工。"


@pytest.fixture
def taxonomy_copy(tmp_path) -> Path:
    from taxonomy import DATA_DIR

    target = tmp_path / "taxonomy" / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def app_config(taxonomy_copy) -> dict:
    return {"TAXONOMY_DIR": str(taxonomy_copy)}


def leads_in(app) -> int:
    with Session(app.extensions["db_engine"]) as s:
        return s.exec(select(func.count()).select_from(Lead)).one()


def add_leads(client, headers, n: int) -> None:
    for i in range(n):
        r = client.post("/api/v1/leads", headers=headers, json={"name": f"备份{i}",
                                                                 "description": CHIP,
                                                                 "on_duplicate": "keep"})
        assert r.status_code == 201


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def only_backup(dest: Path) -> Path:
    (folder,) = [p for p in dest.iterdir() if p.name.startswith("backup-")]
    return folder


def test_backup_writes_a_checked_private_folder(app, client, bearer, tmp_path):
    add_leads(client, bearer, 3)
    dest = tmp_path / "backups"
    result = cli(app, "backup", str(dest))  # the app's engine is open: an online backup
    assert result.exit_code == 0, result.output
    folder = only_backup(dest)
    assert str(folder) in result.output
    assert [p.name for p in dest.iterdir() if p.name.startswith(".")] == []  # no partials
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1 and manifest["created_at"].endswith("+00:00")
    db, tx = manifest["database"], manifest["taxonomy"]
    assert db["kind"] == "sqlite" and db["schema_revision"]
    for entry in (db, tx):
        data = (folder / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] == \
            result.output.split(entry["file"])[1].split("sha256 ")[1].split()[0]
        assert len(data) == entry["bytes"]
    from taxonomy.loader import content_version

    assert tx["version"] == content_version(Path(app.config["TAXONOMY_DIR"]))
    # owner-only permissions, and no secret in the manifest
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    text = (folder / "manifest.json").read_text(encoding="utf-8")
    assert "sqlite:///" not in text and app.config["SECRET_KEY"] not in text
    # the copy is a complete database, and the archive holds every taxonomy file
    import sqlite3

    con = sqlite3.connect(folder / "database.sqlite3")
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert con.execute("select count(*) from lead").fetchone()[0] == 3
    finally:
        con.close()
    with tarfile.open(folder / "taxonomy.tar.gz") as tar:
        names = set(tar.getnames())
    tax_dir = Path(app.config["TAXONOMY_DIR"])
    assert names == {str(p.relative_to(tax_dir)) for p in tax_dir.rglob("*") if p.is_file()}


def test_restore_refuses_without_yes_then_restores_and_keeps_the_old_copy(app, client, bearer,
                                                                          tmp_path):
    add_leads(client, bearer, 2)
    assert cli(app, "backup", str(tmp_path / "b")).exit_code == 0
    folder = only_backup(tmp_path / "b")
    add_leads(client, bearer, 5)  # work done after the backup
    assert leads_in(app) == 7
    refused = cli(app, "restore", str(folder))
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert leads_in(app) == 7  # nothing changed
    done = cli(app, "restore", str(folder), "--yes")
    assert done.exit_code == 0, done.output
    assert "database restored" in done.output and "taxonomy unchanged" in done.output
    assert leads_in(app) == 2
    db_file = Path(app.config["DATABASE_URL"][len("sqlite:///"):])
    (kept,) = db_file.parent.glob(f"{db_file.name}.before-restore-*")
    import sqlite3

    con = sqlite3.connect(kept)
    try:
        assert con.execute("select count(*) from lead").fetchone()[0] == 7
    finally:
        con.close()
    # the restored app works on
    add_leads(client, bearer, 1)
    assert leads_in(app) == 3


def test_restore_into_a_fresh_installation_needs_no_yes(app, make_app, client, bearer,
                                                       tmp_path, taxonomy_copy):
    add_leads(client, bearer, 2)
    assert cli(app, "backup", str(tmp_path / "b")).exit_code == 0
    folder = only_backup(tmp_path / "b")
    from web import create_app

    fresh = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                        "DATABASE_URL": f"sqlite:///{tmp_path}/new/app.db",
                        "TAXONOMY_DIR": str(taxonomy_copy)})
    try:
        result = cli(fresh, "restore", str(folder / "manifest.json"))
        assert result.exit_code == 0, result.output
        assert leads_in(fresh) == 2
    finally:
        fresh.extensions["db_engine"].dispose()


def test_a_damaged_backup_is_refused(app, client, bearer, tmp_path):
    add_leads(client, bearer, 1)
    cli(app, "backup", str(tmp_path / "b"))
    folder = only_backup(tmp_path / "b")
    db = folder / "database.sqlite3"
    data = bytearray(db.read_bytes())
    data[200] ^= 0xFF
    db.write_bytes(bytes(data))
    add_leads(client, bearer, 1)
    result = cli(app, "restore", str(folder), "--yes")
    assert result.exit_code != 0 and "SHA-256" in result.output
    assert leads_in(app) == 2


def test_the_taxonomy_is_restored_too(app, tmp_path, taxonomy_copy):
    cli(app, "backup", str(tmp_path / "b"))
    folder = only_backup(tmp_path / "b")
    original = {p.relative_to(taxonomy_copy): p.read_bytes()
                for p in taxonomy_copy.rglob("*") if p.is_file()}
    plans = taxonomy_copy / "plans.yaml"
    plans.write_text(plans.read_text(encoding="utf-8") + "\n# edited after the backup\n",
                     encoding="utf-8")
    refused = cli(app, "restore", str(folder), "--skip-taxonomy")
    assert refused.exit_code != 0  # the database is in place
    refused = cli(app, "restore", str(folder))
    assert refused.exit_code != 0 and "the taxonomy" in refused.output
    done = cli(app, "restore", str(folder), "--yes")
    assert done.exit_code == 0, done.output
    assert "taxonomy restored" in done.output
    assert {p.relative_to(taxonomy_copy): p.read_bytes()
            for p in taxonomy_copy.rglob("*") if p.is_file()} == original
    (kept,) = taxonomy_copy.parent.glob("data.before-restore-*")
    assert "edited after the backup" in (kept / "plans.yaml").read_text(encoding="utf-8")


def _manifest_with(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["taxonomy"].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                version="tx-other")
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_taxonomy_archive_that_escapes_its_folder_is_refused(app, tmp_path, taxonomy_copy):
    cli(app, "backup", str(tmp_path / "b"))
    folder = only_backup(tmp_path / "b")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, payload in (("plans.yaml", b"plans: []\n"), ("../../escaped.txt", b"owned")):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    _manifest_with(folder, "taxonomy.tar.gz", buf.getvalue())
    result = cli(app, "restore", str(folder), "--yes")
    assert result.exit_code != 0 and "cannot be unpacked safely" in result.output
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not list(taxonomy_copy.parent.glob("data.before-restore-*"))  # nothing swapped
    assert not list(taxonomy_copy.parent.glob(".restore-taxonomy-*"))


def test_a_postgresql_backup_is_not_restored_into_sqlite(app, tmp_path):
    cli(app, "backup", str(tmp_path / "b"))
    folder = only_backup(tmp_path / "b")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["database"]["kind"] = "postgresql"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = cli(app, "restore", str(folder), "--yes")
    assert result.exit_code != 0 and "postgresql" in result.output


def test_without_pg_dump_the_message_is_clear(pg_url, make_app, tmp_path, monkeypatch):
    import web.backup

    pg_app = make_app(pg_url)
    try:
        monkeypatch.setattr(web.backup.shutil, "which", lambda _name: None)
        result = cli(pg_app, "backup", str(tmp_path / "b"))
        assert result.exit_code != 0
        assert "pg_dump was not found" in result.output and "Traceback" not in result.output
        assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())
    finally:
        pg_app.extensions["db_engine"].dispose()


@pytest.mark.postgres
def test_postgresql_backup_and_restore(pg_url, make_app, tmp_path, taxonomy_copy):
    if shutil.which("pg_dump") is None:
        pytest.skip("no pg_dump")
    pg_app = make_app(pg_url, TAXONOMY_DIR=str(taxonomy_copy))
    try:
        from web.db import session_scope
        from web.services.users import create_token, create_user

        with session_scope(pg_app.extensions["db_engine"]) as s:
            user = create_user(session=s, username="pgbackup", password="Pg-officer-Pa55word")
            _t, raw = create_token(session=s, user=user)
        client = pg_app.test_client()
        headers = {"Authorization": f"Bearer {raw}"}
        add_leads(client, headers, 2)
        result = cli(pg_app, "backup", str(tmp_path / "b"))
        assert result.exit_code == 0, result.output
        folder = only_backup(tmp_path / "b")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["database"]["kind"] == "postgresql"
        assert "Pg-officer" not in (folder / "manifest.json").read_text(encoding="utf-8")
        add_leads(client, headers, 3)
        assert leads_in(pg_app) == 5
        assert cli(pg_app, "restore", str(folder)).exit_code != 0
        done = cli(pg_app, "restore", str(folder), "--yes")
        assert done.exit_code == 0, done.output
        assert leads_in(pg_app) == 2
        assert client.get("/api/v1/leads", headers=headers).get_json()["total"] == 2
    finally:
        pg_app.extensions["db_engine"].dispose()
