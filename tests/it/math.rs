//! Math under attack: every command and environment pulldown-latex knows,
//! with HTML payloads as arguments, inline, display and in ```` ```math ````
//! blocks, in safe and in trusted mode (math arguments are text in both);
//! nesting and chains of commands that once took minutes or overflowed the
//! stack, bounded by CPU time and memory read from /proc; and `math` fences.
//! `in_browser` loads the payload pages in headless Chromium.

mod in_browser;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, Site};

use crate::safe_mode::oracle::unsafe_markup;

const COMMANDS: &str = include_str!("../fixtures/math/commands.txt");
const ENVIRONMENTS: &str = include_str!("../fixtures/math/environments.txt");

/// Payloads as a command's argument: an element with a handler, a script
/// after closing the element pulldown-latex writes, an attribute breakout.
pub const PAYLOADS: &[&str] = &[
    "<img src=x onerror=alert(1)>",
    "</mi></math><script>alert(2)</script>",
    "\"><svg onload=alert(3)>",
];

/// Commands per payload page.
const PER_PAGE: usize = 120;

fn names(list: &str) -> Vec<&str> {
    list.lines()
        .filter(|l| !l.starts_with("// ") && !l.is_empty())
        .collect()
}

/// The formulas of one payload: each command with it as argument, and each environment around it.
fn formulas(payload: &str) -> Vec<String> {
    let mut out: Vec<String> = names(COMMANDS)
        .into_iter()
        .map(|c| format!("\\{c}{{{payload}}}"))
        .collect();
    for e in names(ENVIRONMENTS) {
        out.push(format!("\\begin{{{e}}}{payload}\\end{{{e}}}"));
    }
    out
}

/// One page's Markdown: every formula inline, as display math, and in a ```` ```math ```` block.
fn page(formulas: &[String]) -> String {
    let mut md = String::from("# Payloads\n\n");
    for tex in formulas {
        md.push_str(&format!(
            "Inline ${tex}$ end.\n\n$${tex}$$\n\n```math\n{tex}\n```\n\n"
        ));
    }
    md
}

/// A course with the payload pages `content/m/p<payload>-<n>.md`, shown by a bare
/// template; returns the pages' output paths.
pub fn payload_site(config: &str) -> (Site, Vec<String>) {
    let site = Site::new();
    site.file("syllabus.toml", config);
    site.file(
        "templates/page.html",
        "<!doctype html>\n<title>{{ page.title }}</title>\n<main>{{ page.content | safe }}</main>\n",
    );
    site.file("content/index.md", "# Home\n");
    site.file("content/m/index.md", "# Math\n");
    let mut pages = Vec::new();
    for (p, payload) in PAYLOADS.iter().enumerate() {
        for (n, chunk) in formulas(payload).chunks(PER_PAGE).enumerate() {
            site.file(&format!("content/m/p{p}-{n}.md"), &page(chunk));
            pages.push(format!("public/m/p{p}-{n}/index.html"));
        }
    }
    (site, pages)
}

/// Tag names inside every `<math>` … `</math>` of `html` that are not MathML.
fn foreign_tags(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for math in html.split("<math").skip(1) {
        let math = &math[..math.find("</math>").unwrap_or(math.len())];
        for tag in math.split('<').skip(1) {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !name.is_empty()
                && !name.starts_with('m')
                && !["semantics", "annotation"].contains(&name.as_str())
            {
                found.push(name);
            }
        }
    }
    found
}

fn assert_payloads_are_text(site: &Site, pages: &[String]) {
    let mut math = 0;
    for rel in pages {
        let main = site.main_of(rel);
        if let Some(what) = unsafe_markup(&main) {
            panic!("{rel}: {what}");
        }
        let foreign = foreign_tags(&main);
        assert!(foreign.is_empty(), "{rel}: {foreign:?} inside <math>");
        math += main.matches("<math").count();
    }
    // The payloads reached the renderer: most formulas rendered.
    let formulas = 3 * PAYLOADS.len() * (names(COMMANDS).len() + names(ENVIRONMENTS).len());
    assert!(
        math * 10 > formulas * 7,
        "{math} of {formulas} formulas rendered"
    );
}

#[test]
fn every_command_keeps_payloads_as_text_in_safe_mode() {
    let (site, pages) =
        payload_site("title = \"Math\"\n[markdown]\nunsafe_html = false\nmath = true\n");
    let run = site.build_ok();
    assert!(
        !run.all().contains("outside the MathML allowlist"),
        "{}",
        run.all()
    );
    assert_payloads_are_text(&site, &pages);
}

#[test]
fn every_command_keeps_payloads_as_text_in_trusted_mode() {
    let (site, pages) =
        payload_site("title = \"Math\"\n[markdown]\nunsafe_html = true\nmath = true\n");
    site.build_ok();
    assert_payloads_are_text(&site, &pages);
}

#[test]
fn operator_names_show_their_text() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"M\"\n[markdown]\nmath = true\n");
    site.file(
        "content/index.md",
        "# M\n\n$\\operatorname{a<b>&c}(x)$ and $\\mathop{<i>} x$\n",
    );
    site.run(&["build", "--safe"]);
    let main = site.main_of("public/index.html");
    assert!(main.contains("<mi>a&lt;b&gt;&amp;c</mi>"), "{main}");
    assert!(main.contains("<mi>&lt;i&gt;</mi>"), "{main}");
}

#[test]
fn math_fences_are_display_math() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"M\"\n[markdown]\nmath = true\n");
    site.file(
        "content/index.md",
        "# M\n\n```math\n\\frac{a}{b}\n```\n\n```math {#x}\nx^2\n```\n",
    );
    let run = site.build_ok();
    assert!(!run.all().contains("warning"), "{}", run.all());
    let main = site.main_of("public/index.html");
    assert_eq!(
        main.matches("<math display=\"block\">").count(),
        2,
        "{main}"
    );
    assert!(main.contains("<mfrac>"), "{main}");
    assert!(!main.contains("<pre"), "{main}");
}

/// A finished run with the CPU time and peak memory its process used (read from /proc).
struct Measured {
    run: Run,
    cpu: Duration,
    peak_mib: u64,
}

/// `syllabus build --root <site>`, killed (and failed) after a minute.
fn build_measured(site: &Site) -> Measured {
    let log = |name: &str| std::fs::File::create(site.path().join(name)).expect("log file");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(["build", "--root"])
        .arg(site.path())
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(log(".out.log"))
        .stderr(log(".err.log"))
        .spawn()
        .expect("run syllabus");
    let (start, mut cpu, mut peak_kib) = (Instant::now(), Duration::ZERO, 0);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        let (c, p) = usage(child.id());
        (cpu, peak_kib) = (cpu.max(c), peak_kib.max(p));
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("killed after a minute");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |name: &str| std::fs::read_to_string(site.path().join(name)).unwrap_or_default();
    Measured {
        run: Run {
            code: status.code(),
            stdout: read(".out.log"),
            stderr: read(".err.log"),
        },
        cpu,
        peak_mib: peak_kib / 1024,
    }
}

/// CPU time (user and system) and peak resident memory (KiB) of a running process.
fn usage(pid: u32) -> (Duration, u64) {
    let proc = Path::new("/proc").join(pid.to_string());
    let stat = std::fs::read_to_string(proc.join("stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    let peak = std::fs::read_to_string(proc.join("status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    // Linux reports CPU time in clock ticks of 1/100 s.
    (Duration::from_millis(ticks * 10), peak)
}

#[test]
fn deep_nesting_is_refused_at_its_line() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"M\"\n[markdown]\nmath = true\n");
    let n = 100_000;
    let deep = "{".repeat(n) + "x" + &"}".repeat(n);
    site.file(
        "content/index.md",
        &format!(
            "# M\n\nFine: ${}x{}$\n\n$${deep}$$\n",
            "{".repeat(100),
            "}".repeat(100)
        ),
    );
    let m = build_measured(&site);
    eprintln!("100,000 nested groups: {:?} CPU, {} MiB", m.cpu, m.peak_mib);
    assert_eq!(m.run.code, Some(0), "{}", m.run.all());
    let out = m.run.all();
    assert!(out.contains("content/index.md:5:1"), "{out}");
    assert!(out.contains("math nested 100000 levels deep"), "{out}");
    assert!(m.cpu < Duration::from_secs(5), "{:?} of CPU", m.cpu);
    assert!(m.peak_mib < 200, "{} MiB", m.peak_mib);
    let main = site.main_of("public/index.html");
    assert!(
        main.contains("<pre class=\"math-error\">$${{{{{{"),
        "shown as written"
    );
    assert_eq!(
        main.matches("<math").count(),
        1,
        "the formula 100 deep renders"
    );
}

#[test]
fn long_chains_of_commands_render() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"M\"\n[markdown]\nmath = true\n");
    let chain = "\\sqrt".repeat(3000);
    let relax = "\\relax".repeat(5000);
    site.file(
        "content/index.md",
        &format!(
            "# M\n\n${chain} x$\n\n${relax} y$\n\n${}$\n",
            "\\sqrt".repeat(9000)
        ),
    );
    let m = build_measured(&site);
    eprintln!(
        "chains of 3,000 and 5,000 commands: {:?} CPU, {} MiB",
        m.cpu, m.peak_mib
    );
    assert_eq!(m.run.code, Some(0), "{}", m.run.all());
    let main = site.main_of("public/index.html");
    assert_eq!(main.matches("<msqrt>").count(), 3000);
    assert!(main.contains("<mi>y</mi>"), "{main}");
    let out = m.run.all();
    assert!(out.contains("content/index.md:7:1"), "{out}");
    assert!(
        out.contains("math with 9000 commands is not rendered"),
        "{out}"
    );
    assert!(m.cpu < Duration::from_secs(10), "{:?} of CPU", m.cpu);
}

#[test]
fn renderer_panics_become_warnings() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"M\"\n[markdown]\nmath = true\n");
    site.file(
        "content/index.md",
        "# M\n\nA length then a no-break space: $\\kern1em\u{A0}x$\n\n$\\char\u{E9}$\n\n$$\\begin{array}{c|l} a & b \\\\ ^x & c \\end{array}$$\n\n$\\tbinom\\def\\a#1{#1}\\min$\n",
    );
    let run = site.build_ok();
    let out = run.all();
    assert!(!out.contains("panicked"), "{out}");
    for (at, what) in [
        ("content/index.md:5:1", "take a number"),
        ("content/index.md:7:1", "the math renderer failed"),
        ("content/index.md:9:1", "unbalanced MathML"),
    ] {
        let line = out
            .lines()
            .position(|l| l.contains(at))
            .unwrap_or_else(|| panic!("{at}: {out}"));
        assert!(
            out.lines().nth(line - 1).is_some_and(|l| l.contains(what)),
            "{at}: {what}\n{out}"
        );
    }
    let main = site.main_of("public/index.html");
    assert!(main.contains("<mspace width=\"1em\"></mspace>"), "{main}");
}
