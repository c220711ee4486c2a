"""`flask --app web backup DEST` and `flask --app web restore SRC [--yes]`.

A backup is one folder, DEST/backup-YYYYMMDDTHHMMSSZ/, readable by its owner only:

    database.sqlite3   SQLite: a consistent online copy (sqlite3 backup API; the app may run)
    database.pgdump    PostgreSQL: `pg_dump --format=custom` (needs the client tools)
    taxonomy.tar.gz    the taxonomy data folder (the curated YAML files)
    manifest.json      what is in it: kinds, sizes, SHA-256 of each file, schema revision,
                       taxonomy version, UTC time. No secrets (the database URL is not stored).

`restore` checks every SHA-256 first, refuses to overwrite a database or taxonomy that is in
place unless given --yes, keeps the replaced SQLite file and taxonomy folder beside the
originals (`*.before-restore-<time>`), and restores SQLite through the backup API as well (safe
with WAL files). Stop the web app and the worker before restoring.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.engine import make_url

from web.db import normalize_url

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why."""


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _private(path: Path) -> None:
    os.chmod(path, 0o700 if path.is_dir() else 0o600)


def _sqlite_path(url: str) -> Path | None:
    u = make_url(normalize_url(url))
    if u.get_backend_name() != "sqlite":
        return None
    if not u.database or u.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(u.database)


def _pg_env(url: str) -> tuple[dict, str | None]:
    """libpq environment for pg_dump/pg_restore (the password never on a command line), and
    the schema when the URL pins one with options=-csearch_path=..."""
    u = make_url(normalize_url(url))
    env = dict(os.environ)
    for key, value in (("PGHOST", u.host), ("PGPORT", u.port), ("PGUSER", u.username),
                       ("PGPASSWORD", u.password), ("PGDATABASE", u.database)):
        if value is not None:
            env[key] = str(value)
    options = u.query.get("options")
    options = options[0] if isinstance(options, tuple) else options
    schema = None
    if options:
        env["PGOPTIONS"] = options
        for part in options.split():
            if part.startswith("-csearch_path="):
                schema = part.split("=", 1)[1].split(",")[0].strip('"') or None
    return env, schema


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools (the same "
                          "major version as the server or newer), or back up the database with "
                          "your own PostgreSQL procedure; nothing was changed")
    return found


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed ({done.returncode}): "
                          f"{done.stderr.strip()[-800:]}")


def _schema_revision(engine) -> str | None:
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            return conn.execute(text("select version_num from alembic_version")).scalar()
    except Exception:  # a database without the table: no revision to report
        return None


def taxonomy_dir(app: Flask) -> Path:
    from taxonomy import taxonomy_dir as folder

    return folder(app.config.get("TAXONOMY_DIR"))


# --- backup -----------------------------------------------------------------------------------


def backup(app: Flask, dest: Path, *, tax_dir: Path | None = None) -> Path:
    """Write a backup folder under `dest`; returns its path."""
    from taxonomy.loader import content_version

    tax_dir = Path(tax_dir or taxonomy_dir(app))
    if not (tax_dir / "plans.yaml").is_file():
        raise BackupError(f"{tax_dir} is not a taxonomy folder (no plans.yaml)")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    final = dest / f"backup-{_stamp()}"
    if final.exists():
        raise BackupError(f"{final} exists already; wait a second and try again")
    work = Path(tempfile.mkdtemp(dir=dest, prefix=".partial-backup-"))
    try:
        _private(work)
        url = app.config["DATABASE_URL"]
        db_file = _sqlite_path(url)
        engine = app.extensions["db_engine"]
        if db_file is not None:
            if not db_file.is_file():
                raise BackupError(f"no database at {db_file}")
            target = work / "database.sqlite3"
            src = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            db_entry = {"kind": "sqlite", "file": target.name}
        else:
            target = work / "database.pgdump"
            env, schema = _pg_env(url)
            cmd = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
            if schema:
                cmd += ["--schema", schema]
            _run(cmd, env)
            db_entry = {"kind": "postgresql", "file": target.name, "schema": schema}
        _private(target)
        db_entry.update(bytes=target.stat().st_size, sha256=sha256_of(target),
                        schema_revision=_schema_revision(engine))

        tar_path = work / "taxonomy.tar.gz"
        with tarfile.open(tar_path, "w:gz") as tar:
            for path in sorted(tax_dir.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    tar.add(path, arcname=str(path.relative_to(tax_dir)), recursive=False)
        _private(tar_path)
        manifest = {
            "format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": db_entry,
            "taxonomy": {"file": tar_path.name, "bytes": tar_path.stat().st_size,
                         "sha256": sha256_of(tar_path), "version": content_version(tax_dir)},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
        _private(work / MANIFEST)
        os.replace(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


# --- restore ----------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict:
    """The manifest of a backup folder, after checking every file's size and SHA-256."""
    src = Path(src)
    if src.is_file() and src.name == MANIFEST:
        src = src.parent
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} is not a backup folder (no {MANIFEST})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        entries = [manifest["database"], manifest["taxonomy"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{path} is not a valid manifest: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for entry in entries:
        name = str(entry.get("file", ""))
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise BackupError(f"bad file name in the manifest: {name!r}")
        f = src / name
        if not f.is_file():
            raise BackupError(f"{f} is missing")
        if f.stat().st_size != entry.get("bytes") or sha256_of(f) != entry.get("sha256"):
            raise BackupError(f"{f} does not match its SHA-256 in the manifest: the backup is "
                              "damaged or was changed; nothing was restored")
    manifest["_folder"] = str(src)
    return manifest


def _sqlite_has_data(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return bool(con.execute("select count(*) from sqlite_master where type='table'")
                    .fetchone()[0])
    finally:
        con.close()


def _pg_has_data(engine, schema: str | None) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(engine).get_table_names(schema=schema))


def _restore_sqlite(backup_file: Path, db_file: Path) -> Path | None:
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if src.execute("pragma integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup_file} fails SQLite's integrity check; nothing restored")
        kept = None
        if db_file.is_file():
            kept = db_file.with_name(f"{db_file.name}.before-restore-{_stamp()}")
            live = sqlite3.connect(db_file, timeout=30)
            copy = sqlite3.connect(kept)
            try:
                live.backup(copy)
            finally:
                copy.close()
                live.close()
            _private(kept)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(db_file, timeout=30)
        try:
            src.backup(dst)  # page by page under SQLite's own locks: WAL files stay consistent
        finally:
            dst.close()
        return kept
    finally:
        src.close()


def _unpack_taxonomy(archive: Path, tax_dir: Path) -> Path:
    """The archive unpacked and checked in a staging folder beside `tax_dir`."""
    staging = Path(tempfile.mkdtemp(dir=tax_dir.parent, prefix=".restore-taxonomy-"))
    try:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(staging, filter="data")  # no absolute paths, links or '..'
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"the taxonomy archive cannot be unpacked safely ({exc}); "
                              "nothing restored") from exc
        if not (staging / "plans.yaml").is_file():
            raise BackupError("the taxonomy archive holds no plans.yaml; nothing restored")
        os.chmod(staging, 0o755)
        return staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_taxonomy(staging: Path, tax_dir: Path) -> Path | None:
    kept = None
    if tax_dir.exists():
        kept = tax_dir.with_name(f"{tax_dir.name}.before-restore-{_stamp()}")
        os.replace(tax_dir, kept)
    os.replace(staging, tax_dir)
    return kept


def restore(app: Flask, src: Path, *, yes: bool = False, tax_dir: Path | None = None,
            with_taxonomy: bool = True) -> list[str]:
    """Restore a backup folder; returns lines that say what was done."""
    from taxonomy.loader import content_version

    manifest = read_manifest(src)
    folder = Path(manifest["_folder"])
    db_entry, tx_entry = manifest["database"], manifest["taxonomy"]
    url = app.config["DATABASE_URL"]
    db_file = _sqlite_path(url)
    engine = app.extensions["db_engine"]
    kind = "sqlite" if db_file is not None else "postgresql"
    if db_entry.get("kind") != kind:
        raise BackupError(f"this backup holds a {db_entry.get('kind')} database but "
                          f"DATABASE_URL is {kind}; nothing restored")
    tax_dir = Path(tax_dir or taxonomy_dir(app))
    env = schema = None
    if kind == "sqlite":
        occupied = _sqlite_has_data(db_file)
    else:
        env, schema = _pg_env(url)
        _tool("pg_restore")
        occupied = _pg_has_data(engine, schema)
    tax_differs = with_taxonomy and (tax_dir / "plans.yaml").is_file() and \
        content_version(tax_dir) != tx_entry.get("version")
    if (occupied or tax_differs) and not yes:
        what = " and ".join(w for w, on in (("the database", occupied),
                                             ("the taxonomy", tax_differs)) if on)
        raise BackupError(f"restoring would overwrite {what} in place; stop the app and the "
                          "worker, then run again with --yes")
    if kind == "postgresql" and not env.get("PGDATABASE"):
        raise BackupError("DATABASE_URL names no database; nothing restored")
    staging = None
    if with_taxonomy and (tax_differs or not (tax_dir / "plans.yaml").is_file()):
        staging = _unpack_taxonomy(folder / tx_entry["file"], tax_dir)  # checked before any change
    done = []
    try:
        engine.dispose()  # no pooled connection may hold the old database
        if kind == "sqlite":
            kept = _restore_sqlite(folder / db_entry["file"], db_file)
            done.append(f"database restored into {db_file}"
                        + (f" (the previous one kept as {kept.name})" if kept else ""))
        else:
            cmd = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                   "--exit-on-error", "--single-transaction", "--dbname", env["PGDATABASE"]]
            if schema:
                cmd += ["--schema", schema]
            _run([*cmd, str(folder / db_entry["file"])], env)
            done.append("database restored with pg_restore")
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging is not None:
        kept = _swap_taxonomy(staging, tax_dir)
        done.append(f"taxonomy restored into {tax_dir}"
                    + (f" (the previous one kept as {kept.name})" if kept else ""))
    elif with_taxonomy:
        done.append("taxonomy unchanged (same version)")
    return done


def init_app(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
    def backup_cmd(dest: Path):
        """Back up the database and the taxonomy into a new folder under DEST."""
        folder = backup(current_app, dest)
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        click.echo(f"backup written to {folder}")
        for entry in (manifest["database"], manifest["taxonomy"]):
            click.echo(f"  {entry['file']}  {entry['bytes']} bytes  sha256 {entry['sha256']}")

    @app.cli.command("restore")
    @click.argument("src", type=click.Path(exists=True, path_type=Path))
    @click.option("--yes", is_flag=True, help="overwrite the database and taxonomy in place")
    @click.option("--skip-taxonomy", is_flag=True, help="restore the database only")
    def restore_cmd(src: Path, yes: bool, skip_taxonomy: bool):
        """Restore a backup folder made by `backup` (checks every SHA-256 first)."""
        for line in restore(current_app, src, yes=yes, with_taxonomy=not skip_taxonomy):
            click.echo(line)
