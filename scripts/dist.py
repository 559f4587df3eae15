#!/usr/bin/env python3
"""Builds syllabus's release artifacts for one target and checks them.

The release workflow (.github/workflows/release.yml) runs this on every
platform, and `tests/it/dist.rs` runs it on a developer's machine, so the
recipe that publishes a release is the one the tests prove:

1. `maturin build` (pyproject.toml: `bindings = "bin"`) compiles syllabus in
   release mode and packs the binary into a wheel; the same binary goes into
   an archive `syllabus-<version>-<target>.tar.gz` (`.zip` on Windows).
2. When this machine can run the target's binaries: on Linux, `file` must say
   the binary is static; the binary prints its version and commit and builds
   the demo course; the wheel, installed into a fresh virtual environment,
   does the same and writes the same files.
3. With `--docker`, the Dockerfile's image is built around the Linux binary
   and builds the demo course too.

Linux binaries are static: the `*-linux-musl` targets of the release are by
default; on a `*-linux-gnu` target (a machine without the musl target) glibc
is linked statically with `-C target-feature=+crt-static`, which proves the
same recipe with the target at hand. Windows links its C runtime statically.

Usage: scripts/dist.py [--target TRIPLE] [--out DIR] [--docker]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ["content", "themes", "static", "syllabus.toml"]
DOCS = ["README.md", "CHANGELOG.md"]


def log(message):
    print(f"dist: {message}", flush=True)


def fail(message):
    print(f"dist: error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, **kwargs):
    """Runs `cmd`, failing with its output when it fails; returns its stdout."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        fail(f"`{' '.join(map(str, cmd))}` exited with {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def host_target():
    out = run(["rustc", "-vV"])
    return re.search(r"^host: (\S+)$", out, re.M).group(1)


def version():
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"$', text, re.M).group(1)


def build(target, out):
    """maturin builds the wheel; returns (wheel, binary)."""
    env = dict(os.environ)
    # A folder of its own: release flags would otherwise rebuild, and wait
    # for, the development build (the tests run this inside `cargo test`).
    env["CARGO_TARGET_DIR"] = str(ROOT / "target" / "dist")
    cmd = ["maturin", "build", "--release", "--locked", "--target", target, "--out", str(out / "wheels")]
    if target.endswith("-linux-gnu") or target.endswith("-windows-msvc"):
        env["RUSTFLAGS"] = (env.get("RUSTFLAGS", "") + " -C target-feature=+crt-static").strip()
    if target.endswith("-linux-musl"):
        # A static binary runs on glibc and musl systems alike: tag the wheel
        # for both, so that pip on either installs it.
        cmd += ["--compatibility", "manylinux_2_17", "musllinux_1_2"]
    started = time.monotonic()
    log(f"building for {target} (RUSTFLAGS={env.get('RUSTFLAGS', '')!r})")
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"maturin failed:\n{done.stdout}{done.stderr}")
    log(f"built in {time.monotonic() - started:.0f} s")
    wheels = sorted((out / "wheels").glob("*.whl"))
    if len(wheels) != 1:
        fail(f"expected one wheel, found {[w.name for w in wheels]}")
    exe = "syllabus.exe" if "windows" in target else "syllabus"
    binary = Path(env["CARGO_TARGET_DIR"]) / target / "release" / exe
    if not binary.is_file():
        fail(f"no binary at {binary}")
    return wheels[0], binary


def archive(target, binary, out):
    """`syllabus-<version>-<target>.tar.gz` (`.zip` on Windows): the binary and the docs."""
    name = f"syllabus-{version()}-{target}"
    files = [(binary, binary.name)] + [(ROOT / d, d) for d in DOCS]
    files += [(p, p.name) for p in sorted(ROOT.glob("LICENSE*"))]
    if "windows" in target:
        path = out / f"{name}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for src, rel in files:
                z.write(src, f"{name}/{rel}")
    else:
        path = out / f"{name}.tar.gz"
        with tarfile.open(path, "w:gz") as t:
            for src, rel in files:
                info = t.gettarinfo(str(src), f"{name}/{rel}")
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(src, "rb") as f:
                    t.addfile(info, f)
    log(f"archive {path.name}")
    return path


def can_run(target, host):
    """Whether this machine runs `target`'s binaries (same CPU and system)."""
    arch, system = target.split("-")[0], target.split("-")[2]
    return arch == host.split("-")[0] and system == host.split("-")[2]


def check_static(binary):
    if shutil.which("file") is None:
        fail("`file` is needed to check that the Linux binary is static")
    described = run(["file", "-L", str(binary)])
    log(f"file: {described.strip()}")
    # A static position-independent executable reads "static-pie linked".
    if not re.search(r"statically linked|static-pie linked", described) or "interpreter" in described:
        fail(f"the binary is not static: {described}")


def expected_commit():
    """HEAD when this is a Git checkout (what `--version` must name), else None."""
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--show-toplevel", "HEAD"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return None
    top, head = done.stdout.split()
    return head if Path(top).resolve() == ROOT else None


def build_demo(syllabus, work, label):
    """`syllabus build` of a copy of the demo course; returns the files written."""
    course = work / f"course-{label}"
    for item in DEMO:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, course / item)
        elif src.is_file():
            course.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, course / item)
    site = work / f"site-{label}"
    out = run([str(syllabus), "build", "--root", str(course), "--output", str(site)])
    log(f"{label}: {out.strip()}")
    for page in ["index.html", "staticwebapp.config.json"]:
        if not (site / page).is_file():
            fail(f"{label}: the demo course has no {page}")
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def check_version(syllabus, label):
    line = run([str(syllabus), "--version"]).strip()
    log(f"{label}: {line}")
    if not line.startswith(f"syllabus {version()} (commit "):
        fail(f"{label}: unexpected --version: {line}")
    commit = expected_commit()
    if commit and f"(commit {commit[:12]}" not in line:
        fail(f"{label}: --version does not name the commit {commit[:12]}: {line}")
    return line


def check_wheel(wheel, work):
    """Installs the wheel into a fresh virtual environment; returns its `syllabus`."""
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)])
    syllabus = bindir / ("syllabus.exe" if os.name == "nt" else "syllabus")
    if not syllabus.is_file():
        fail(f"the wheel installed no `syllabus` command in {bindir}")
    log(f"wheel {wheel.name} installed into a fresh virtual environment")
    return syllabus


def check_docker(binary, work):
    """Builds the Dockerfile's image around `binary` and builds the demo course in it."""
    context = work / "docker"
    arch = {"x86_64": "amd64", "aarch64": "arm64"}[os.uname().machine]
    (context / f"linux-{arch}").mkdir(parents=True)
    shutil.copy2(binary, context / f"linux-{arch}" / "syllabus")
    tag = f"syllabus-dist-check:{os.getpid()}"
    # TARGETARCH as BuildKit would set it, for the classic builder too.
    run(["docker", "build", "--quiet", "--build-arg", f"TARGETARCH={arch}",
         "-f", str(ROOT / "Dockerfile"), "-t", tag, str(context)])
    try:
        line = run(["docker", "run", "--rm", tag, "--version"]).strip()
        log(f"docker: {line}")
        course = work / "course-docker"
        shutil.copytree(work / "course-binary", course)
        uid = f"{os.getuid()}:{os.getgid()}"
        out = run(["docker", "run", "--rm", "--user", uid, "-v", f"{course}:/course", tag,
                   "build", "--output", "/course/site"])
        log(f"docker: {out.strip()}")
        if not (course / "site" / "index.html").is_file():
            fail("the image built no site")
    finally:
        subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help="Rust target triple (default: this machine's)")
    parser.add_argument("--out", type=Path, default=ROOT / "target" / "dist" / "out",
                        help="where the wheel and the archive go")
    parser.add_argument("--docker", action="store_true", help="also build and run the container image")
    args = parser.parse_args()
    host = host_target()
    target = args.target or host
    out = args.out.resolve()
    if (out / "wheels").exists():
        shutil.rmtree(out / "wheels")
    out.mkdir(parents=True, exist_ok=True)
    wheel, binary = build(target, out)
    archive(target, binary, out)
    log(f"wheel {wheel.name}")
    if not can_run(target, host):
        log(f"not run: this {host} machine cannot run {target} binaries")
        return
    with tempfile.TemporaryDirectory(prefix="syllabus-dist-") as tmp:
        work = Path(tmp)
        if "linux" in target:
            check_static(binary)
        line = check_version(binary, "binary")
        files = build_demo(binary, work, "binary")
        installed = check_wheel(wheel, work)
        if check_version(installed, "wheel") != line:
            fail("the wheel's syllabus is not the binary just built")
        if build_demo(installed, work, "wheel") != files:
            fail("the wheel's syllabus wrote other files than the binary")
        if args.docker:
            check_docker(binary, work)
    log("ok")


if __name__ == "__main__":
    main()
