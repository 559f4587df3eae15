//! Hostile input: every case ends in a correct site or a clear error with
//! exit code 1, never a panic, within a time limit (the child is killed after
//! [`LIMIT`]), and the big ones report their time and peak memory. Big inputs
//! are generated here, at run time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, Site};

/// Longest any case may run before it is killed and fails.
const LIMIT: Duration = Duration::from_secs(60);

/// A finished run with its peak resident memory and the processor time it
/// used (the wall time is printed only: it depends on what else runs).
pub(crate) struct Timed {
    pub(crate) run: Run,
    /// Peak resident set size in MiB (sampled from /proc; 0 where there is none).
    pub(crate) peak_mib: u64,
    /// User and system time of all its threads, sampled from /proc until it
    /// ended (the last sampling interval is missing; zero where there is no /proc).
    pub(crate) cpu: Duration,
}

/// `syllabus <args> --root <site>`, killed (and failed) after [`LIMIT`].
pub(crate) fn run_bounded(site: &Site, args: &[&str], what: &str) -> Timed {
    let out_path = site.path().join(".out.log");
    let err_path = site.path().join(".err.log");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(args)
        .arg("--root")
        .arg(site.path())
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("run syllabus");
    let start = Instant::now();
    let mut peak_kib = 0;
    let mut cpu = Duration::ZERO;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        peak_kib = peak_kib.max(peak_rss_kib(child.id()));
        cpu = cpu.max(cpu_time(child.id()));
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: killed after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let timed = Timed {
        run: Run {
            code: status.code(),
            stdout: read(&out_path),
            stderr: read(&err_path),
        },
        peak_mib: peak_kib / 1024,
        cpu,
    };
    eprintln!(
        "{what}: exit {:?} in {:.2} s ({:.2} s of processor time), peak memory {} MiB",
        timed.run.code,
        elapsed.as_secs_f64(),
        timed.cpu.as_secs_f64(),
        timed.peak_mib
    );
    assert!(
        !timed.run.all().contains("panicked"),
        "{what} panicked:\n{}",
        timed.run.all()
    );
    timed
}

/// `VmHWM` (peak resident set) of a running process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// User plus system time of a running process, from `/proc/<pid>/stat`.
fn cpu_time(pid: u32) -> Duration {
    // Fields 14 and 15, counted after the command name, which may hold spaces.
    // /proc counts them in USER_HZ ticks, 100 a second on every Linux ABI.
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let fields: Vec<u64> = s
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .map(|f| f.parse().ok())
                .collect::<Option<_>>()?;
            Some(fields.iter().sum::<u64>())
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn build_ok(site: &Site, what: &str) -> Timed {
    let t = run_bounded(site, &["build", "--quiet"], what);
    assert_eq!(t.run.code, Some(0), "{what} failed:\n{}", t.run.all());
    t
}

fn build_fails(site: &Site, what: &str) -> String {
    run_bounded(site, &["build"], what).run.fails()
}

fn course() -> Site {
    let site = Site::new();
    site.file("content/index.md", "# Home\n\nWelcome.\n");
    site
}

fn write_bytes(site: &Site, rel: &str, bytes: &[u8]) {
    let path = site.path().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_hundred_thousand_problems_of_one_kind_are_counted_not_all_printed() {
    let site = course();
    site.file(
        "content/b.md",
        &format!("# B\n\n{}", ":::\n".repeat(100_000)),
    )
    .file("content/index.md", "# Home\n\n[B](b.md)\n");
    let out = build_fails(&site, "100,000 stray closing fences");
    assert_eq!(out.matches("error[E042]").count(), 20, "{out}");
    assert!(
        out.contains(
            "note: 99,980 more [E042] in content/b.md not shown; `--format json` lists every one"
        ),
        "{out}"
    );
    assert!(out.contains("build failed with 100000 error(s)"), "{out}");
}

#[test]
fn invalid_utf8_is_an_error_at_its_position() {
    let site = course();
    write_bytes(&site, "content/bad.md", b"# Bad\n\nab\xff\xfecd\n");
    let out = build_fails(&site, "invalid UTF-8");
    assert!(
        out.contains("error[E011]: file is not valid UTF-8"),
        "{out}"
    );
    assert!(out.contains("--> content/bad.md:3:3"), "{out}");
    assert!(out.contains("save the file as UTF-8"), "{out}");
}

#[test]
fn byte_order_mark_is_ignored() {
    let site = course();
    site.file("content/plain.md", "\u{feff}# Plain title\n\nText.\n");
    site.file(
        "content/toml.md",
        "\u{feff}+++\ntitle = \"Toml title\"\n+++\nText.\n",
    );
    site.file(
        "content/yaml.md",
        "\u{feff}---\ntitle: Yaml title\n---\nText.\n",
    );
    build_ok(&site, "BOM");
    for (page, title) in [
        ("plain", "Plain title"),
        ("toml", "Toml title"),
        ("yaml", "Yaml title"),
    ] {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(html.contains(&format!("<title>{title}")), "{page}:\n{html}");
        assert!(!html.contains('\u{feff}'), "{page} keeps the BOM");
    }
}

#[test]
fn crlf_line_endings_work_like_lf() {
    let site = course();
    site.file(
        "content/toml.md",
        "+++\r\ntitle = \"Windows\"\r\nweight = 2\r\n+++\r\n\r\n## A heading\r\n\r\n- one\r\n- two\r\n\r\n```python\r\nprint(1)\r\n```\r\n\r\n[yaml](yaml.md#second-part)\r\n",
    );
    site.file(
        "content/yaml.md",
        "---\r\ntitle: Also Windows\r\n---\r\n# Ignored\r\n\r\n## Second part\r\n",
    );
    build_ok(&site, "CRLF");
    let main = site.main_of("public/toml/index.html");
    assert!(main.contains("<h2 id=\"a-heading\">"), "{main}");
    assert!(main.contains("<li>two</li>"), "{main}");
    assert!(main.contains("href=\"/yaml/#second-part\""), "{main}");
    assert!(
        site.read("public/yaml/index.html")
            .contains("<title>Also Windows")
    );
    // Positions count CRLF as one line break.
    site.file(
        "content/broken.md",
        "---\r\ntitle: B\r\n---\r\n\r\n[gone](nowhere.md)\r\n",
    );
    let out = build_fails(&site, "CRLF positions");
    assert!(out.contains("--> content/broken.md:5:1"), "{out}");
}

#[test]
fn lone_carriage_returns_keep_yaml_errors_inside_the_file() {
    // Found by fuzzing: YAML counts a lone CR as a line break, editors do not.
    let site = course();
    site.file(
        "content/cr.md",
        "\u{feff}---\r\ntitle: \"CRLF\"\r\u{fffd}tittle: ty\n...marp: true\rpo\r\n...\r",
    );
    let out = build_fails(&site, "lone CR");
    assert!(out.contains("invalid YAML front matter"), "{out}");
    let line: usize = out
        .split("--> content/cr.md:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no position:\n{out}"));
    assert!(
        (1..=4).contains(&line),
        "line {line} is outside the file:\n{out}"
    );
}

/// About `bytes` of course-like Markdown: mostly prose, with a heading every
/// few paragraphs, links, emphasis, lists, quotes, tables and some code.
fn big_markdown(bytes: usize) -> String {
    const PROSE: &str = "Cloud computing lets a research group rent compute and storage by the \
        hour instead of buying servers, which changes how experiments are planned, budgeted \
        and repeated. ";
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("# Big page\n\n");
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!("## Section {i}\n\n"));
        for p in 0..4 {
            for _ in 0..8 {
                out.push_str(PROSE);
            }
            out.push_str(&format!(
                "See *the* [previous section](#section-{}) and **the** [other page](other.md) ({p}).\n\n",
                i.max(1) - 1
            ));
        }
        out.push_str(&format!(
            "- item {i} with `code`\n- ![image](img.png)\n\n> A quote {i}\n\n| a | b |\n|---|---|\n| {i} | x |\n\n"
        ));
        if i % 50 == 0 {
            out.push_str(&format!("```python\nprint({i})\n```\n\n"));
        }
        i += 1;
    }
    out.push_str("The very end.\n");
    out
}

#[test]
fn page_of_20_megabytes() {
    let site = course();
    site.file("content/other.md", "# Other\n");
    site.file("content/img.png", "png");
    let text = big_markdown(20 * 1024 * 1024);
    site.file("content/big.md", &text);
    let t = build_ok(&site, "20 MB page");
    let html = site.read("public/big/index.html");
    assert!(html.contains("The very end."));
    assert!(html.contains("<h2 id=\"section-1000\">"));
    assert!(html.contains("href=\"/other/\""));
    assert!(t.peak_mib < 4096, "{} MiB", t.peak_mib);
}

#[test]
fn nesting_10000_deep() {
    let site = course();
    let depth = 10_000;
    site.file(
        "content/lists.md",
        &format!("# Lists\n\n{}deepest\n", "- ".repeat(depth)),
    );
    site.file(
        "content/quotes.md",
        &format!("# Quotes\n\n{}deepest\n", "> ".repeat(depth)),
    );
    site.file(
        "content/ordered.md",
        &format!("# Ordered\n\n{}deepest\n", "1. ".repeat(depth)),
    );
    let mut mixed = String::from("# Mixed\n\n");
    for level in 0..2_000 {
        mixed.push_str(&"  ".repeat(level));
        mixed.push_str(if level % 2 == 0 { "- a\n" } else { "> b\n" });
    }
    site.file("content/mixed.md", &mixed);
    // Raw HTML nesting goes through the sanitiser in safe mode.
    site.file(
        "content/divs.md",
        &format!(
            "# Divs\n\n{}deepest{}\n",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        ),
    );
    let t = run_bounded(
        &site,
        &["build", "--quiet", "--safe"],
        "10,000-deep nesting",
    );
    assert_eq!(t.run.code, Some(0), "{}", t.run.all());
    for page in ["lists", "quotes", "ordered", "divs"] {
        let main = site.main_of(&format!("public/{page}/index.html"));
        assert!(main.contains("deepest"), "{page}");
    }
    let lists = site.main_of("public/lists/index.html");
    assert!(
        lists.matches("<ul>").count() >= 1000,
        "lists are not nested"
    );
    let quotes = site.main_of("public/quotes/index.html");
    assert!(
        quotes.matches("<blockquote>").count() >= 1000,
        "quotes are not nested"
    );
}

#[test]
fn safe_mode_flattens_nesting_deeper_than_browsers_do() {
    // The sanitiser's HTML parser walks its stack of open elements at every tag:
    // 25,000 nested `<div>` took 3 s and 100,000 a minute, 0.05 s without safe mode.
    let site = course();
    let depth = 100_000;
    site.file(
        "content/divs.md",
        &format!(
            "# Divs\n\nText.\n\n{}deepest{}\n",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        ),
    );
    // Markdown's own nesting counts too on a page with raw HTML.
    site.file(
        "content/quotes.md",
        &format!("# Quotes\n\n<b>raw</b>\n\n{}deepest\n", "> ".repeat(600)),
    );
    // So does a whole HTML document saved as `.md`.
    site.file(
        "content/doc.md",
        &format!(
            "<!doctype html>\n<html><body>\n{}deepest\n</body></html>\n",
            "<span>".repeat(depth)
        ),
    );
    let t = run_bounded(&site, &["build", "--safe"], "100,000-deep HTML, safe mode");
    let out = t.run.all();
    assert_eq!(t.run.code, Some(0), "{out}");
    let warning = "warning[W042]: elements nested more than 512 deep are flattened";
    assert_eq!(out.matches(warning).count(), 3, "{out}");
    // The 513th `<div>`, in a line of them.
    assert!(out.contains("--> content/divs.md:5:2561"), "{out}");
    assert!(out.contains("--> content/quotes.md:5:"), "{out}");
    assert!(out.contains("--> content/doc.md:3:"), "{out}");
    for page in ["divs", "quotes", "doc"] {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(html.contains("deepest"), "{page}");
    }
    let divs = site.main_of("public/divs/index.html");
    assert!(divs.matches("<div>").count() <= 512, "not flattened");
    assert!(divs.matches("<div>").count() >= 500, "flattened too much");
    assert!(
        t.cpu < Duration::from_secs(20),
        "{:?} of processor time",
        t.cpu
    );
    assert!(t.peak_mib < 512, "{} MiB", t.peak_mib);
}

#[test]
fn hundred_thousand_links_on_a_page() {
    let site = course();
    let mut target = String::from("# Target\n\n");
    for n in 0..100 {
        target.push_str(&format!("## Part {n}\n\n"));
    }
    site.file("content/target.md", &target);
    let mut links = String::from("# Links\n\n");
    for n in 0..100_000 {
        links.push_str(&format!("[l{n}](target.md#part-{}) ", n % 100));
        if n % 10 == 9 {
            links.push('\n');
        }
    }
    site.file("content/links.md", &links);
    let t = build_ok(&site, "100,000 links");
    let main = site.main_of("public/links/index.html");
    assert_eq!(main.matches("href=\"/target/#part-").count(), 100_000);
    assert!(t.peak_mib < 2048, "{} MiB", t.peak_mib);
    // A broken one among them is still found, at its position.
    site.file(
        "content/links.md",
        &format!("{links}\n[bad](target.md#part-100)\n"),
    );
    let out = build_fails(&site, "100,000 links, one broken");
    assert!(out.contains("part-100"), "{out}");
    assert!(out.contains("content/links.md:10004:1"), "{out}");
}

#[test]
fn a_table_of_six_megabytes_is_refused_at_its_position() {
    // Each cell was about 300 bytes of memory: a 6 MB one-line table took 1.7 GB.
    let site = course();
    let cells = 1_000_000;
    let table = format!(
        "# Table\n\n{}|\n{}|\n{}|\n",
        "|a".repeat(cells),
        "|-".repeat(cells),
        "|x".repeat(cells)
    );
    assert!(table.len() > 6_000_000);
    site.file("content/table.md", &table);
    let t = run_bounded(&site, &["build"], "6 MB table");
    let out = t.run.fails();
    assert!(
        out.contains("error[E040]: the page has more markup than one page may: over 1,000,000"),
        "{out}"
    );
    assert!(out.contains("--> content/table.md:3:"), "{out}");
    assert!(out.contains("split it into several pages"), "{out}");
    assert!(t.peak_mib < 128, "{} MiB", t.peak_mib);
    assert!(t.cpu < Duration::from_secs(10), "{:?}", t.cpu);
}

#[test]
fn dense_markup_up_to_the_limit_builds_in_bounded_memory() {
    // The shapes with the most Markdown elements per byte, each just under the
    // limit, one page per build: pulldown-cmark's tree and the event list are
    // the page's cost, about 400 bytes per markup character in the worst case.
    let shapes = [
        ("lines", "a\n".repeat(999_000)),
        (
            "table rows",
            format!("| a | b |\n|---|---|\n{}", "| a | b |\n".repeat(249_000)),
        ),
        ("emphasis", "*a* ".repeat(499_000)),
    ];
    for (what, body) in shapes {
        let site = course();
        site.file("content/dense.md", &format!("# Dense\n\n{body}END\n"));
        let t = build_ok(&site, what);
        assert!(
            site.main_of("public/dense/index.html").contains("END"),
            "{what}"
        );
        assert!(t.peak_mib < 512, "{what}: {} MiB", t.peak_mib);
    }
}

#[test]
fn a_section_of_4690_pages_grows_the_site_linearly() {
    // Every page's sidebar listed every page of its section: 4,690 pages in one
    // section made 2.6 GB of HTML in 91 s.
    let site = course();
    site.file("content/s/index.md", "# Session\n");
    let pages = 4_690;
    for i in 0..pages {
        site.file(
            &format!("content/s/p{i:04}.md"),
            &format!("# Page {i}\n\nText.\n"),
        );
    }
    let t = build_ok(&site, "4,690 pages in one section");
    let public = site.path().join("public");
    let (mut total, mut largest) = (0u64, (0u64, String::new()));
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(&public).expect("inside");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".html") || rel == "s/index.html" {
            // The section's own page lists its pages, once for the whole site.
            continue;
        }
        let size = entry.metadata().expect("size").len();
        total += size;
        largest = largest.max((size, rel));
    }
    assert!(
        largest.0 < 16 * 1024,
        "{} is {} bytes",
        largest.1,
        largest.0
    );
    assert!(total < pages as u64 * 16 * 1024, "{total} bytes of pages");
    let section = site.read("public/s/index.html").len();
    assert!(
        section < pages * 1024,
        "the section page is {section} bytes"
    );
    assert!(t.peak_mib < 512, "{} MiB", t.peak_mib);
    assert!(t.cpu < Duration::from_secs(40), "{:?}", t.cpu);
}

#[test]
fn single_line_of_one_megabyte() {
    let site = course();
    let mut line = String::from("# Line\n\n");
    while line.len() < 1024 * 1024 {
        line.push_str(
            "word *em* **strong** `code` [link](index.md) <span>x</span> https://e.org/a ",
        );
    }
    line.push_str("END");
    site.file("content/line.md", &line);
    let mut brackets = String::from("# Brackets\n\n");
    brackets.push_str(&"[".repeat(256 * 1024));
    brackets.push_str(&"*a".repeat(256 * 1024));
    site.file("content/brackets.md", &brackets);
    build_ok(&site, "1 MB single line");
    assert!(site.main_of("public/line/index.html").contains("END</p>"));
}

#[test]
fn nul_bytes_become_replacement_characters() {
    let site = course();
    write_bytes(
        &site,
        "content/nul.md",
        b"# Nul\0title\n\nText with a \0 byte.\n\n`co\0de`\n",
    );
    write_bytes(
        &site,
        "content/front.md",
        b"+++\ntitle = \"a\0b\"\n+++\nBody\n",
    );
    let t = run_bounded(&site, &["build"], "NUL bytes");
    assert_eq!(t.run.code, Some(0), "{}", t.run.all());
    let html = site.read("public/nul/index.html");
    assert!(html.contains("Text with a \u{fffd} byte."), "{html}");
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let mut bytes = std::fs::read(entry.path()).expect("read");
            if entry.path().extension().is_some_and(|e| e == "bin") {
                // Search shards are gzip: their text is what must hold no NUL.
                let mut text = Vec::new();
                std::io::Read::read_to_end(
                    &mut flate2::read::GzDecoder::new(&bytes[..]),
                    &mut text,
                )
                .expect("a gzip file");
                bytes = text;
            }
            assert!(!bytes.contains(&0), "NUL in {}", entry.path().display());
        }
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error() {
    let site = course();
    std::fs::create_dir_all(site.path().join("content/s")).expect("mkdir");
    std::os::unix::fs::symlink("..", site.path().join("content/s/up")).expect("symlink");
    let out = build_fails(&site, "symlink loop");
    assert!(out.contains("error[E010]: symbolic link loop"), "{out}");
    assert!(out.contains("--> content/s/up"), "{out}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_refused() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").expect("write");
    let site = course();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("content/secret.txt"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/elsewhere"))
        .expect("symlink");
    site.file(".git/config", "[remote] token = TOP SECRET\n");
    std::os::unix::fs::symlink("../.git/config", site.path().join("content/config.txt"))
        .expect("symlink");
    let out = build_fails(&site, "symlinks out of the project");
    assert!(out.contains("--> content/secret.txt"), "{out}");
    assert!(out.contains("--> content/elsewhere"), "{out}");
    assert!(out.contains("outside the project"), "{out}");
    assert!(out.contains("--> content/config.txt"), "{out}");
    assert!(
        out.contains("hidden file or folder of the project"),
        "{out}"
    );
    assert!(!site.exists("public"), "a failed build wrote the site");
    // Links that stay in the project are followed.
    for link in ["secret.txt", "elsewhere", "config.txt"] {
        std::fs::remove_file(site.path().join("content").join(link)).expect("remove link");
    }
    site.file("shared/notes.md", "# Shared notes\n");
    std::os::unix::fs::symlink("../shared", site.path().join("content/shared")).expect("symlink");
    build_ok(&site, "symlink inside the project");
    assert!(site.exists("public/shared/notes/index.html"));
}

#[test]
fn file_names_with_spaces_and_unicode() {
    let site = course();
    site.file(
        "content/my page.md",
        "# My page\n\n[café](<über café/naïve.md>)\n",
    );
    site.file(
        "content/über café/naïve.md",
        "# Naïve\n\n[back](../my%20page.md) ![i](<日本 語.png>)\n",
    );
    site.file("content/über café/日本 語.png", "png");
    site.file(
        "content/日本語.md",
        "# 日本語\n\n[space](my%20page.md#my-page)\n",
    );
    build_ok(&site, "spaces and unicode");
    assert!(site.exists("public/my page/index.html"));
    assert!(site.exists("public/über café/naïve/index.html"));
    assert!(site.exists("public/über café/日本 語.png"));
    assert!(site.exists("public/日本語/index.html"));
    let main = site.main_of("public/my page/index.html");
    assert!(
        main.contains("href=\"/%C3%BCber%20caf%C3%A9/na%C3%AFve/\""),
        "{main}"
    );
    let main = site.main_of("public/über café/naïve/index.html");
    assert!(main.contains("href=\"/my%20page/\""), "{main}");
    assert!(
        main.contains("src=\"/%C3%BCber%20caf%C3%A9/%E6%97%A5%E6%9C%AC%20%E8%AA%9E.png\""),
        "{main}"
    );
}

#[test]
fn names_that_differ_only_in_case_are_an_error() {
    let site = course();
    site.file("content/A.md", "# Upper\n");
    site.file("content/a.md", "# Lower\n");
    let out = build_fails(&site, "case-only names");
    assert!(out.contains("differ only in case"), "{out}");
    assert!(
        out.contains("content/A.md") && out.contains("content/a.md"),
        "{out}"
    );
}

#[test]
fn empty_content_folder_is_an_error() {
    let site = Site::new();
    std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
    let out = build_fails(&site, "empty content");
    assert!(
        out.contains("the content folder `content` has no Markdown pages"),
        "{out}"
    );
    assert!(out.contains("help: add `content/index.md`"), "{out}");
}

#[test]
fn content_that_is_a_file_is_an_error() {
    let site = Site::new();
    site.file("content", "not a folder");
    let out = build_fails(&site, "content is a file");
    assert!(
        out.contains("the content folder `content` is not a folder"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_errors() {
    use std::os::unix::fs::PermissionsExt;
    let site = course();
    // A link to nothing cannot be read, whoever runs the build.
    std::os::unix::fs::symlink("missing.md", site.path().join("content/dangling.md"))
        .expect("symlink");
    let out = build_fails(&site, "dangling link");
    assert!(out.contains("--> content/dangling.md"), "{out}");
    assert!(out.contains("cannot read"), "{out}");
    std::fs::remove_file(site.path().join("content/dangling.md")).expect("remove");
    site.file("content/secret.md", "# Secret\n");
    let path = site.path().join("content/secret.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        // Root (as in CI) reads a file whatever its mode.
        crate::support::skip_part(
            "chmod 000 does not block reads for this user (root); the dangling link covers unreadable files",
        );
        return;
    }
    let out = build_fails(&site, "chmod 000");
    assert!(out.contains("--> content/secret.md"), "{out}");
    assert!(out.contains("cannot read: Permission denied"), "{out}");
}

#[test]
fn template_loops_are_errors() {
    let cases = [
        (
            "include itself",
            vec![
                (
                    "templates/page.html",
                    "{% extends \"base.html\" %}{% block main %}{% include \"partials/loop.html\" %}{% endblock main %}",
                ),
                (
                    "templates/partials/loop.html",
                    "{% include \"partials/loop.html\" %}",
                ),
            ],
            "Circular include",
        ),
        (
            "include each other",
            vec![
                (
                    "templates/page.html",
                    "{% extends \"base.html\" %}{% block main %}{% include \"partials/a.html\" %}{% endblock main %}",
                ),
                (
                    "templates/partials/a.html",
                    "a{% include \"partials/b.html\" %}",
                ),
                (
                    "templates/partials/b.html",
                    "b{% include \"partials/a.html\" %}",
                ),
            ],
            "Circular include",
        ),
        (
            "extend each other",
            vec![
                ("templates/page.html", "{% extends \"section.html\" %}"),
                ("templates/section.html", "{% extends \"page.html\" %}"),
            ],
            "Circular extend",
        ),
        (
            "recursive component",
            vec![(
                "templates/page.html",
                "{% component again(n: integer) %}{{ <again n={n} /> }}{% endcomponent again %}{% extends \"base.html\" %}{% block main %}{{ <again n={1} /> }}{% endblock main %}",
            )],
            "",
        ),
    ];
    for (what, files, message) in cases {
        let site = course();
        site.file("content/page.md", "# Page\n");
        for (rel, text) in files {
            site.file(rel, text);
        }
        let out = build_fails(&site, what);
        assert!(out.contains("error["), "{what}: {out}");
        assert!(out.contains(message), "{what}: {out}");
    }
}

#[cfg(unix)]
#[test]
fn static_and_template_links_out_of_the_project_are_refused() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("id_rsa"), "PRIVATE KEY").expect("write");
    for folder in ["static", "templates"] {
        let site = course();
        std::fs::create_dir_all(site.path().join(folder)).expect("mkdir");
        std::os::unix::fs::symlink(
            outside.path().join("id_rsa"),
            site.path().join(folder).join("key.txt"),
        )
        .expect("symlink");
        let out = build_fails(&site, &format!("{folder}/ link out of the project"));
        assert!(out.contains(&format!("--> {folder}/key.txt")), "{out}");
        assert!(out.contains("outside the project"), "{out}");
        assert!(
            !site.exists("public"),
            "{folder}: a failed build wrote the site"
        );
    }
}

/// MkDocs syntax at scale: admonitions nested far deeper than the bound,
/// tens of thousands of blocks and tabs, `markdown` elements 10,000 deep, and
/// thousands of abbreviations over a megabyte of text. Each source pass reads
/// every line once: the build stays within the limit and bounded in memory.
#[test]
fn mkdocs_syntax_at_scale() {
    let site = course();
    let mut nested = String::from("# Nested\n\n");
    for depth in 0..2_000 {
        nested.push_str(&"    ".repeat(depth));
        nested.push_str("!!! note \"Level\"\n");
    }
    site.file("content/nested.md", &nested);
    let mut many = String::from("# Many\n\n");
    for i in 0..20_000 {
        many.push_str(&format!(
            "??? tip \"Answer {i}\"\n    Text {i}.\n\n=== \"A\"\n    a\n=== \"B\"\n    b\n\n"
        ));
    }
    site.file("content/many.md", &many);
    site.file(
        "content/divs.md",
        &format!(
            "# Divs\n\n{}**deepest**\n{}",
            "<div markdown=\"1\">\n".repeat(10_000),
            "</div>\n".repeat(10_000)
        ),
    );
    let mut abbr = String::from("# Abbr\n\n");
    while abbr.len() < 1 << 20 {
        abbr.push_str("The W17 and X2500 of the CLI run over HTTP, as the API says.\n");
    }
    for i in 0..5_000 {
        abbr.push_str(&format!("\n*[W{i}]: Word {i}\n*[X{i}]: Other {i}"));
    }
    abbr.push_str("\n*[C++]: a language\n");
    site.file("content/abbr.md", &abbr);
    let t = build_ok(&site, "MkDocs syntax at scale");
    assert!(
        t.run.stderr.contains("nested more than 16 deep"),
        "{}",
        t.run.stderr
    );
    let nested = site.main_of("public/nested/index.html");
    assert_eq!(nested.matches("class=\"admonition note").count(), 16);
    let many = site.main_of("public/many/index.html");
    assert_eq!(
        many.matches("<summary class=\"admonition-title").count(),
        20_000
    );
    assert_eq!(many.matches("<div class=\"tabbed-set\">").count(), 20_000);
    let divs = site.main_of("public/divs/index.html");
    assert!(divs.contains("<strong>deepest</strong>"));
    let abbr = site.main_of("public/abbr/index.html");
    assert!(abbr.contains("<abbr title=\"Word 17\">W17</abbr>"));
    assert!(abbr.contains("<abbr title=\"Other 2500\">X2500</abbr>"));
    assert!(t.peak_mib < 2048, "{} MiB", t.peak_mib);
}
