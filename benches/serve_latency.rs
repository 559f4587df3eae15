//! Benchmark, not a test: `syllabus serve --watch` on the 1,000-page course
//! that `../shared/bench/gen_corpus.py` generates.
//!
//! 1. Page edit: over 20 edits of one page, the time from saving the file to
//!    the new HTML being served (polling the page's URL).
//! 2. Template edit: the same for `templates/page.html` (every page is
//!    rendered again), next to the time of a full `syllabus build`.
//! 3. Load: a few thousand requests from 100 concurrent clients on loopback
//!    while rebuilds run; every request must succeed.
//!
//! Run with `cargo bench --bench serve_latency` (the binary is built with the
//! release profile's settings). `SERVE_BENCH_PAGES` changes the course size.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const EDITS: usize = 20;
const CLIENTS: usize = 100;
const REQUESTS_PER_CLIENT: usize = 40;
const POLL_LIMIT: Duration = Duration::from_secs(30);

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let generator = repo.join("../shared/bench/gen_corpus.py");
    if !generator.is_file() {
        eprintln!(
            "error: the benchmark course generator is missing: {}\n  help: it is `../shared/bench/gen_corpus.py`, beside this repository",
            generator.display()
        );
        std::process::exit(1);
    }
    let pages: usize = std::env::var("SERVE_BENCH_PAGES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1000);
    let work = tempfile::tempdir().expect("temporary folder");
    let course = work.path().join("course");
    let generated = Command::new("python3")
        .arg(&generator)
        .args(["--pages", &pages.to_string(), "--out"])
        .arg(&course)
        .stdout(Stdio::null())
        .status()
        .expect("run python3");
    assert!(generated.success(), "gen_corpus.py failed");
    std::fs::write(
        course.join("syllabus.toml"),
        "title = \"Benchmark course\"\n",
    )
    .expect("config");
    let template = course.join("templates/page.html");
    std::fs::create_dir_all(template.parent().expect("parent")).expect("templates folder");
    std::fs::copy(repo.join("themes/default/templates/page.html"), &template)
        .expect("copy the default theme's page template");

    let binary = env!("CARGO_BIN_EXE_syllabus");
    println!("serve --watch on a {pages}-page course ({binary})");
    let build = full_build(binary, &course, work.path());
    println!(
        "full build (`syllabus build`), median of 3: {} ms",
        ms(build)
    );

    let server = Server::start(binary, &course);
    let page_file = first_reading(&course.join("content/session_01"));
    let stem = page_file.file_stem().expect("stem").to_string_lossy();
    let page_url = format!("{}/session_01/{stem}/", server.origin);
    let original = std::fs::read_to_string(&page_file).expect("read page");
    server.wait_for(&page_url, "");

    let before = server.rebuild_times().len();
    let page = measure(&server, &page_url, |i| {
        let marker = format!("page-edit-marker-{i}");
        let text = format!("{original}\n\nThis paragraph is {marker}.\n");
        std::fs::write(&page_file, text).expect("save page");
        marker
    });
    report("page edit: save → new HTML served", &page);
    report_rebuilds(&server.rebuild_times()[before..]);

    let page_template = std::fs::read_to_string(&template).expect("read template");
    let before = server.rebuild_times().len();
    let templated = measure(&server, &page_url, |i| {
        let marker = format!("template-edit-marker-{i}");
        std::fs::write(&template, with_marker(&page_template, &marker)).expect("save template");
        marker
    });
    report(
        "template edit (all pages): save → new HTML served",
        &templated,
    );
    report_rebuilds(&server.rebuild_times()[before..]);

    let failed = load_check(&server, &course, &template, &page_template);
    let rebuilds = server
        .output()
        .lines()
        .filter(|l| l.starts_with("Rebuilt"))
        .count();
    println!("rebuilds reported by the server: {rebuilds}");
    // Stop the server before exiting: `exit` runs no destructors.
    drop(server);
    if failed > 0 {
        eprintln!("error: {failed} request(s) failed under load");
        std::process::exit(1);
    }
}

/// The page template with an HTML comment inside its main block.
fn with_marker(template: &str, marker: &str) -> String {
    let end = "{% endblock main %}";
    assert!(template.contains(end), "the page template has no `{end}`");
    template.replacen(end, &format!("<!-- {marker} -->\n{end}"), 1)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn full_build(binary: &str, course: &Path, work: &Path) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let out = work.join("build-output");
            let _ = std::fs::remove_dir_all(&out);
            let start = Instant::now();
            let status = Command::new(binary)
                .args(["build", "--quiet", "--root"])
                .arg(course)
                .arg("--output")
                .arg(&out)
                .status()
                .expect("run syllabus build");
            assert!(status.success(), "syllabus build failed");
            start.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

/// The first reading (not the session page) of a session folder, by name.
fn first_reading(dir: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("session folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("index.md"))
        .collect();
    pages.sort();
    pages.into_iter().next().expect("a reading")
}

/// Runs `edits` saves; each returns the text the page must show once rebuilt.
fn measure(server: &Server, url: &str, mut save: impl FnMut(usize) -> String) -> Vec<Duration> {
    (0..EDITS)
        .map(|i| {
            std::thread::sleep(Duration::from_millis(150));
            let start = Instant::now();
            let marker = save(i);
            server.wait_for(url, &marker);
            start.elapsed()
        })
        .collect()
}

fn report(what: &str, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = (sorted[(sorted.len() - 1) / 2] + sorted[sorted.len() / 2]) / 2;
    let all: Vec<String> = times.iter().map(|t| ms(*t)).collect();
    println!(
        "{what}: median {} ms, worst {} ms, best {} ms over {} edits\n  each (ms): {}",
        ms(median),
        ms(*sorted.last().expect("edits")),
        ms(sorted[0]),
        times.len(),
        all.join(" ")
    );
}

/// What the server itself says the rebuilds took (from saving to serving, less the
/// debounce and the polling).
fn report_rebuilds(times: &[Duration]) {
    if times.is_empty() {
        return;
    }
    let mut sorted = times.to_vec();
    sorted.sort();
    println!(
        "  the server's own rebuild times (pages step): median {} ms, worst {} ms",
        ms(sorted[(sorted.len() - 1) / 2]),
        ms(*sorted.last().expect("rebuilds"))
    );
}

/// 100 clients × 40 requests over pages and assets, while templates are edited (full rebuilds).
/// Returns how many requests failed.
fn load_check(server: &Server, course: &Path, template: &Path, original: &str) -> usize {
    let mut urls: Vec<String> = [
        "/session_01/",
        "/session_25/",
        "/assets/syllabus.css",
        "/search/index.json",
        "/search/t0.bin",
    ]
    .iter()
    .map(|p| format!("{}{p}", server.origin))
    .collect();
    for session in ["session_02", "session_10", "session_40"] {
        let reading = first_reading(&course.join("content").join(session));
        let stem = reading
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        urls.push(format!("{}/{session}/{stem}/", server.origin));
    }
    let urls = Arc::new(urls);
    let done = Arc::new(AtomicBool::new(false));
    let edits = Arc::new(AtomicUsize::new(0));
    let editor = {
        let (done, edits) = (done.clone(), edits.clone());
        let (template, original) = (template.to_path_buf(), original.to_string());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let n = edits.fetch_add(1, Ordering::Relaxed);
                std::fs::write(&template, with_marker(&original, &format!("load-{n}")))
                    .expect("save template");
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let start = Instant::now();
    let (tx, rx) = mpsc::channel();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (urls, tx) = (urls.clone(), tx.clone());
            std::thread::spawn(move || {
                let agent = agent();
                for r in 0..REQUESTS_PER_CLIENT {
                    let url = &urls[(c + r) % urls.len()];
                    let t = Instant::now();
                    let outcome = match agent.get(url).call() {
                        Ok(mut res) if res.status() == 200 => res
                            .body_mut()
                            .read_to_vec()
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                        Ok(res) => Err(format!("status {}", res.status())),
                        Err(e) => Err(e.to_string()),
                    };
                    if let Err(e) = &outcome {
                        eprintln!("failed: GET {url}: {e}");
                    }
                    tx.send((outcome.is_ok(), t.elapsed())).expect("report");
                }
            })
        })
        .collect();
    drop(tx);
    for c in clients {
        c.join().expect("client");
    }
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    editor.join().expect("editor");
    let results: Vec<(bool, Duration)> = rx.into_iter().collect();
    let failed = results.iter().filter(|(ok, _)| !ok).count();
    let mut times: Vec<Duration> = results.iter().map(|(_, t)| *t).collect();
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "load: {} requests from {CLIENTS} concurrent clients in {} ms ({:.0} req/s) while {} template edits were rebuilt: {failed} failed; latency p50 {} ms, p99 {} ms, max {} ms",
        results.len(),
        ms(elapsed),
        results.len() as f64 / elapsed.as_secs_f64(),
        edits.load(Ordering::Relaxed),
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(*times.last().expect("requests"))
    );
    std::fs::write(template, original).expect("restore template");
    failed
}

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build(),
    )
}

struct Server {
    child: Child,
    origin: String,
    output: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(binary: &str, course: &Path) -> Server {
        let mut child = Command::new(binary)
            .args(["serve", "--watch", "--port", "0", "--root"])
            .arg(course)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start syllabus serve");
        let output = Arc::new(Mutex::new(String::new()));
        let (stdout, into) = (child.stdout.take().expect("stdout"), output.clone());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find("http://") {
                    let url = line[at..].split_whitespace().next().unwrap_or("");
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
                let mut text = into.lock().expect("lock");
                text.push_str(&line);
                text.push('\n');
            }
        });
        let origin = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("serve did not start");
        Server {
            child,
            origin,
            output,
            agent: agent(),
        }
    }

    /// The durations of the rebuilds the server reported so far ("Rebuilt in N ms …").
    fn rebuild_times(&self) -> Vec<Duration> {
        self.output()
            .lines()
            .filter_map(|l| l.strip_prefix("Rebuilt in "))
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .map(Duration::from_millis)
            .collect()
    }

    fn output(&self) -> String {
        self.output.lock().expect("lock").clone()
    }

    /// Polls `url` until it is served with `text` in it.
    fn wait_for(&self, url: &str, text: &str) {
        let start = Instant::now();
        while start.elapsed() < POLL_LIMIT {
            if let Ok(mut res) = self.agent.get(url).call()
                && res.status() == 200
                && let Ok(body) = res.body_mut().read_to_string()
                && body.contains(text)
            {
                return;
            }
        }
        panic!("{url} never showed {text:?}\n{}", self.output());
    }
}
