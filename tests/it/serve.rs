//! `syllabus serve --watch`: the real binary on a temporary copy of a fixture
//! site, over HTTP. Every wait is a bounded poll; every server is killed when
//! its test ends, passed or not.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

use crate::browser::Browser;
use crate::support::Site;

/// How long a change may take to show; generous for slow CI machines.
const CHANGE: Duration = Duration::from_secs(20);

/// A running `syllabus serve`; killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub origin: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, whatever its status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

fn pump(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut text = into.lock().expect("lock");
            text.push_str(&line);
            text.push('\n');
        }
    });
}

/// Polls `check` until it holds or `timeout` passes.
pub fn wait_for(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if check() {
            return true;
        }
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Server {
    /// `serve --watch --port 0` on `site`, once it says where it listens.
    pub fn start(site: &Site) -> Server {
        Server::start_with(site, &["--watch"])
    }

    pub fn start_with(site: &Site, args: &[&str]) -> Server {
        let mut child = Command::cargo_bin("syllabus")
            .expect("binary")
            .arg("serve")
            .args(args)
            .args(["--port", "0", "--root"])
            .arg(site.path())
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start syllabus serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        pump(child.stdout.take().expect("stdout"), stdout.clone());
        pump(child.stderr.take().expect("stderr"), stderr.clone());
        let agent = ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .max_redirects(0)
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .build(),
        );
        let mut server = Server {
            child,
            origin: String::new(),
            stdout,
            stderr,
            agent,
        };
        let started = wait_for(Duration::from_secs(60), || {
            let out = server.stdout();
            let Some(at) = out.find("http://") else {
                return false;
            };
            let url = out[at..].split_whitespace().next().unwrap_or("");
            server.origin = url.trim_end_matches('/').to_string();
            true
        });
        assert!(
            started,
            "serve did not start:\n{}\n{}",
            server.stdout(),
            server.stderr()
        );
        server
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().expect("lock").clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(()).expect("request");
        let mut res = self
            .agent
            .run(req)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = if method == "HEAD" {
            Vec::new()
        } else {
            res.body_mut()
                .with_config()
                .limit(64 * 1024 * 1024)
                .read_to_vec()
                .expect("body")
        };
        Reply {
            status: res.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    /// Waits until `path` answers 200 with `text` in its body.
    pub fn wait_for_text(&self, path: &str, text: &str) {
        let ok = wait_for(CHANGE, || {
            let r = self.get(path);
            r.status == 200 && r.text().contains(text)
        });
        assert!(ok, "{path} never showed {text:?}:\n{}", self.log());
    }

    /// Waits until `path` answers `status`.
    pub fn wait_for_status(&self, path: &str, status: u16) {
        let ok = wait_for(CHANGE, || self.get(path).status == status);
        assert!(ok, "{path} never answered {status}:\n{}", self.log());
    }

    pub fn log(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr())
    }

    /// Sends bytes as they are on a new connection; returns the status and everything read.
    pub fn raw(&self, request: &[u8]) -> (u16, String) {
        let address = self.origin.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream.write_all(request).expect("send");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, answer)
    }
}

/// A served document as it is on disk: without the live-reload script tag.
fn without_reload_script(html: &str) -> String {
    match html.find("<script src=\"/__syllabus/reload.js\"") {
        Some(start) => {
            let end = start + html[start..].find("</script>").expect("closed") + 9;
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// Every file of a folder, by relative path, without the output marker.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file() && e.file_name() != ".syllabus-output")
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The output folder and the server agree: every file on disk is served with
/// the same bytes. The site-wide files (search index, redirects) follow the
/// pages a moment later and an editor's save may start two rebuilds, so this
/// waits until both settle; it fails with the last difference seen.
pub(crate) fn assert_disk_matches(server: &Server, site: &Site) {
    let mut last = String::new();
    let same = wait_for(Duration::from_secs(20), || {
        match disk_mismatch(server, site) {
            Some(why) => {
                last = why;
                false
            }
            None => true,
        }
    });
    assert!(same, "{last}\n{}", server.log());
}

/// The first file whose served bytes are not those on disk.
fn disk_mismatch(server: &Server, site: &Site) -> Option<String> {
    let files = tree(&site.path().join("public"));
    if files.is_empty() {
        return Some("no output".to_string());
    }
    for (rel, bytes) in &files {
        let reply = server.get(&format!("/{rel}"));
        if reply.status != 200 {
            return Some(format!("/{rel} is on disk but served as {}", reply.status));
        }
        let same = if rel.ends_with(".html") {
            without_reload_script(&reply.text()) == String::from_utf8_lossy(bytes)
        } else {
            reply.body == *bytes
        };
        if !same {
            return Some(format!("/{rel} differs from disk"));
        }
    }
    None
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.file(rel, &text.replace(from, to));
}

#[test]
fn serves_pretty_urls_types_404_head_and_conditional_requests() {
    let site = Site::fixture("serve");
    let server = Server::start(&site);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("Welcome to the serve fixture"));
    assert!(home.text().contains("/__syllabus/reload.js"));

    let folder = server.get("/s1/reading");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/s1/reading/"));
    let with_query = server.get("/s1/reading?x=1");
    assert_eq!(with_query.header("location"), Some("/s1/reading/?x=1"));
    let page = server.get("/s1/reading/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Original reading text"));
    assert_eq!(server.get("/s1/reading/index.html").status, 200);

    let csv = server.get("/s1/data.csv");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(csv.body, b"x,y\n1,2\n");
    let css = server.get("/extra.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let not_found_page = without_reload_script(&missing.text());
    assert_eq!(not_found_page, site.read("public/404.html"));
    assert!(missing.text().contains("/__syllabus/reload.js"));

    let head = server.request("HEAD", "/s1/reading/", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(page.body.len().to_string().as_str())
    );

    let etag = css.header("etag").expect("etag").to_string();
    let modified = css
        .header("last-modified")
        .expect("last-modified")
        .to_string();
    let again = server.request("GET", "/extra.css", &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let since = server.request("GET", "/extra.css", &[("if-modified-since", &modified)]);
    assert_eq!(since.status, 304);
    let stale = server.request("GET", "/extra.css", &[("if-none-match", "\"old\"")]);
    assert_eq!(stale.status, 200);
    let page_etag = page.header("etag").expect("etag").to_string();
    let page_again = server.request("GET", "/s1/reading/", &[("if-none-match", &page_etag)]);
    assert_eq!(page_again.status, 304);

    // The headers Azure sends from staticwebapp.config.json, the CSP among them.
    let config: serde_json::Value =
        serde_json::from_str(&site.read("public/staticwebapp.config.json")).expect("json");
    let csp = config["globalHeaders"]["Content-Security-Policy"]
        .as_str()
        .expect("a CSP");
    for reply in [&home, &page, &css, &missing] {
        assert_eq!(reply.header("content-security-policy"), Some(csp));
    }

    assert_eq!(server.request("POST", "/", &[]).status, 405);
    assert_eq!(server.request("DELETE", "/s1/", &[]).status, 405);
    assert_disk_matches(&server, &site);
}

/// `serve` and `build` run one pipeline: a served copy of a course and a built
/// copy hold the same files, byte for byte, and no dev-server script.
pub(crate) fn assert_serve_writes_what_build_writes(make: impl Fn() -> Site) {
    let served = make();
    let server = Server::start(&served);
    let built = make();
    built.build_ok();
    let (served_files, built_files) = (
        tree(&served.path().join("public")),
        tree(&built.path().join("public")),
    );
    assert!(built_files.len() > 3, "nothing built");
    assert_eq!(
        served_files.keys().collect::<Vec<_>>(),
        built_files.keys().collect::<Vec<_>>()
    );
    for (rel, bytes) in &served_files {
        assert!(built_files[rel] == *bytes, "{rel} differs from build");
        assert!(
            !String::from_utf8_lossy(bytes).contains("__syllabus"),
            "{rel} has the dev server's script"
        );
    }
    assert!(served.exists("public/.syllabus-output"));
    drop(server);
}

#[test]
fn serve_writes_what_build_writes_and_no_reload_script() {
    assert_serve_writes_what_build_writes(|| Site::fixture("serve"));
}

#[test]
fn serve_writes_what_build_writes_for_the_demo_course() {
    assert_serve_writes_what_build_writes(Site::demo);
}

#[test]
fn serve_writes_what_build_writes_for_an_imported_mkdocs_course() {
    if crate::mkdocs::corpus().is_none() {
        return;
    }
    assert_serve_writes_what_build_writes(|| {
        let site = crate::mkdocs::corpus().expect("corpus");
        assert_eq!(site.run_in_root(&["import", "mkdocs"]).code, Some(0));
        site
    });
}

#[test]
fn edits_new_deleted_and_renamed_pages() {
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    server.wait_for_text("/s1/reading/", "Original reading text");

    edit(&site, "content/s1/reading.md", "Original", "Edited");
    server.wait_for_text("/s1/reading/", "Edited reading text");
    assert!(
        site.read("public/s1/reading/index.html")
            .contains("Edited reading text")
    );

    site.file("content/s1/lab.md", "# Lab\n\nA brand new lab.\n");
    server.wait_for_text("/s1/lab/", "A brand new lab");
    // The new page is in the navigation of the other pages too.
    server.wait_for_text("/s1/reading/", "/s1/lab/");

    site.file("content/s2/index.md", "# Session two\n\nIn a new folder.\n");
    server.wait_for_text("/s2/", "In a new folder");

    std::fs::remove_file(site.path().join("content/s1/lab.md")).expect("delete");
    server.wait_for_status("/s1/lab/", 404);
    assert!(!site.exists("public/s1/lab/index.html"));
    assert!(!site.exists("public/s1/lab"), "empty folder left behind");

    std::fs::rename(
        site.path().join("content/s2/index.md"),
        site.path().join("content/s2/README.md"),
    )
    .expect("rename in place");
    // A renamed page, and the link to it updated in the same save of the editor.
    edit(
        &site,
        "content/s1/index.md",
        "(reading.md)",
        "(reading_renamed.md)",
    );
    std::fs::rename(
        site.path().join("content/s1/reading.md"),
        site.path().join("content/s1/reading_renamed.md"),
    )
    .expect("rename");
    server.wait_for_status("/s1/reading/", 404);
    server.wait_for_text("/s1/reading_renamed/", "Edited reading text");
    server.wait_for_text("/s2/", "In a new folder");
    assert!(!site.exists("public/s1/reading/index.html"));

    // An editor's save: write a temporary file, then rename it over the page.
    site.file(
        "content/s1/.index.md.tmp",
        "# Session one\n\nSaved atomically.\n",
    );
    std::fs::rename(
        site.path().join("content/s1/.index.md.tmp"),
        site.path().join("content/s1/index.md"),
    )
    .expect("rename over");
    server.wait_for_text("/s1/", "Saved atomically");
    assert_disk_matches(&server, &site);
    assert!(server.stdout().contains("Rebuilt in"), "{}", server.log());
}

#[test]
fn a_page_that_becomes_a_slide_deck_is_rendered_again() {
    // Only the page's kind changes: same body, same lines of front matter.
    let site = Site::fixture("serve");
    site.file(
        "content/s1/deck.md",
        "---\nmarp: false\n---\n# Deck\n\nFirst slide\n\n---\n\nSecond slide\n",
    );
    let server = Server::start(&site);
    server.wait_for_text("/s1/deck/", "Second slide");
    assert!(!server.get("/s1/deck/").text().contains("id=\"slide-2\""));
    edit(&site, "content/s1/deck.md", "marp: false", "marp: true ");
    server.wait_for_text("/s1/deck/", "id=\"slide-2\"");
    edit(&site, "content/s1/deck.md", "marp: true ", "marp: false");
    let plain = wait_for(CHANGE, || {
        let text = server.get("/s1/deck/").text();
        text.contains("Second slide") && !text.contains("id=\"slide-2\"")
    });
    assert!(plain, "still a slide deck:\n{}", server.log());
    assert_disk_matches(&server, &site);
}

#[test]
fn edited_templates_static_files_and_assets() {
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    server.wait_for_text("/extra.css", "color: black");

    // A new `templates/` folder (not there when the server started) overrides the theme.
    let template = "<!doctype html><html><head><title>{{ page.title }}</title></head>\
        <body><main>{{ page.content | safe }}</main><p>TEMPLATE-ONE</p></body></html>";
    site.file("templates/page.html", template);
    server.wait_for_text("/s1/reading/", "TEMPLATE-ONE");
    site.file("templates/page.html", &template.replace("ONE", "TWO"));
    server.wait_for_text("/s1/reading/", "TEMPLATE-TWO");
    let page = server.get("/s1/reading/").text();
    assert!(page.contains("Original reading text"), "{page}");
    assert!(
        page.contains("/__syllabus/reload.js"),
        "script injected without </head>? {page}"
    );

    site.file("static/extra.css", "body { color: navy; }\n");
    server.wait_for_text("/extra.css", "color: navy");
    site.file("static/more.css", "p { margin: 0; }\n");
    server.wait_for_text("/more.css", "margin: 0");
    std::fs::remove_file(site.path().join("static/more.css")).expect("delete");
    server.wait_for_status("/more.css", 404);

    site.file("content/s1/data.csv", "x,y\n3,4\n");
    server.wait_for_text("/s1/data.csv", "3,4");
    assert_disk_matches(&server, &site);
}

/// An event stream of the dev server, read on a thread.
struct Events {
    text: Arc<Mutex<String>>,
    _stream: TcpStream,
}

impl Events {
    fn open(server: &Server, since: &str) -> Events {
        let address = server.origin.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(
            stream,
            "GET /__syllabus/events?since={since} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let text = Arc::new(Mutex::new(String::new()));
        let (mut reader, into) = (stream.try_clone().expect("clone"), text.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                into.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Events {
            text,
            _stream: stream,
        }
    }

    fn wait_for(&self, wanted: &str) -> String {
        let ok = wait_for(CHANGE, || self.text().contains(wanted));
        assert!(ok, "no {wanted:?} in the event stream:\n{}", self.text());
        self.text()
    }

    fn text(&self) -> String {
        self.text.lock().expect("lock").clone()
    }
}

/// The site version a served page carries.
fn version_of(html: &str) -> String {
    let at = html.find("data-version=\"").expect("version") + 14;
    html[at..].split('"').next().expect("quoted").to_string()
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_error() {
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    let page = server.get("/s1/reading/");
    let events = Events::open(&server, &version_of(&page.text()));

    site.file(
        "content/s1/reading.md",
        "# Reading\n\nBroken text, see [missing](nowhere.md).\n",
    );
    let stream = events.wait_for("event: build-error");
    assert!(stream.contains("nowhere.md"), "{stream}");
    assert!(!stream.contains("event: reload"), "{stream}");
    let ok = wait_for(CHANGE, || server.stderr().contains("broken link"));
    assert!(ok, "no error in the terminal:\n{}", server.log());
    let still = server.get("/s1/reading/");
    assert!(still.text().contains("Original reading text"));
    assert!(
        site.read("public/s1/reading/index.html")
            .contains("Original reading text")
    );

    site.file(
        "content/s1/reading.md",
        "# Reading\n\nFixed reading text.\n",
    );
    events.wait_for("event: reload");
    server.wait_for_text("/s1/reading/", "Fixed reading text");

    // A template error: the same, and a page opened meanwhile gets the error at once.
    site.file("templates/page.html", "{{ page.title | no_such_filter }}");
    let ok = wait_for(CHANGE, || server.stderr().contains("no_such_filter"));
    assert!(ok, "template error not reported:\n{}", server.log());
    let current = server.get("/s1/reading/");
    assert!(current.text().contains("Fixed reading text"));
    let late = Events::open(&server, &version_of(&current.text()));
    let stream = late.wait_for("event: build-error");
    assert!(stream.contains("no_such_filter"), "{stream}");
    std::fs::remove_file(site.path().join("templates/page.html")).expect("delete");
    late.wait_for("event: reload");
    assert!(!server.stderr().contains("panicked"), "{}", server.log());
    assert_disk_matches(&server, &site);
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = Site::fixture("serve");
    site.file("content/index.md", "# Home\n\n[broken](nowhere.md)\n");
    let server = Server::start(&site);
    let ok = wait_for(CHANGE, || server.stderr().contains("broken link"));
    assert!(ok, "{}", server.log());
    let waiting = server.get("/");
    assert_eq!(waiting.status, 404);
    assert!(waiting.text().contains("/__syllabus/reload.js"));
    assert!(!site.exists("public/index.html"));
    let events = Events::open(&server, &version_of(&waiting.text()));
    events.wait_for("event: build-error");

    site.file("content/index.md", "# Home\n\nFixed home.\n");
    events.wait_for("event: reload");
    server.wait_for_text("/", "Fixed home");
    assert_disk_matches(&server, &site);
}

#[test]
fn without_watch_a_broken_site_is_an_error() {
    let site = Site::fixture("serve");
    site.file("content/index.md", "# Home\n\n[broken](nowhere.md)\n");
    let mut child = Command::cargo_bin("syllabus")
        .expect("binary")
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let exited = wait_for(Duration::from_secs(60), || {
        child.try_wait().ok().flatten().is_some()
    });
    if !exited {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("output");
    assert!(exited, "serve kept running on a broken site");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken link"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn traversal_requests_never_reach_files_outside_the_site() {
    let site = Site::fixture("serve");
    site.file("secret.txt", "TOP-SECRET");
    let server = Server::start(&site);
    server.wait_for_text("/", "Welcome");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path(), site.path().join("public/leak")).expect("link");
        std::os::unix::fs::symlink("/etc/passwd", site.path().join("public/passwd")).expect("link");
    }
    let secret = site.path().join("secret.txt");
    let secret = secret.to_string_lossy();
    let paths = [
        "/../secret.txt".to_string(),
        "/../../../../../../etc/passwd".into(),
        "/s1/../../secret.txt".into(),
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd".into(),
        "/.%2e/secret.txt".into(),
        "/s1%2f..%2f..%2fsecret.txt".into(),
        "/%2f%2e%2e%2fsecret.txt".into(),
        "/..%5csecret.txt".into(),
        "/s1\\..\\..\\secret.txt".into(),
        "/%5c..%5c..%5csecret.txt".into(),
        "/index.html%00../../secret.txt".into(),
        "/%00".into(),
        format!("/{secret}"),
        format!("/{}", secret.trim_start_matches('/')),
        format!("//{}", secret.trim_start_matches('/')),
        "/leak/secret.txt".into(),
        "/leak/syllabus.toml".into(),
        "/passwd".into(),
        "/%c0%ae%c0%ae/secret.txt".into(),
        "/..%c0%afsecret.txt".into(),
    ];
    for path in &paths {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let (status, answer) = server.raw(request.as_bytes());
        assert!(
            status == 400 || status == 404,
            "{path}: status {status}\n{answer}"
        );
        assert!(!answer.contains("TOP-SECRET"), "{path} leaked a file");
        assert!(!answer.contains("root:x:0"), "{path} leaked /etc/passwd");
        assert!(
            !answer.contains("Serve test\"\n"),
            "{path} leaked the config"
        );
    }
    let absolute = format!(
        "GET http://127.0.0.1{secret} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let (status, answer) = server.raw(absolute.as_bytes());
    assert!(status == 400 || status == 404, "absolute-form: {status}");
    assert!(!answer.contains("TOP-SECRET"));
    let nul = b"GET /index.html\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let (status, answer) = server.raw(nul);
    assert!(status == 400 || status == 0, "NUL byte: {status}");
    assert!(!answer.contains("TOP-SECRET"));
}

#[test]
fn slow_and_oversized_requests_do_not_stall_others() {
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    let address = server.origin.trim_start_matches("http://").to_string();
    // Clients that start a request and never finish it.
    let stalled: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(&address).expect("connect");
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .expect("send");
            s
        })
        .collect();
    for _ in 0..20 {
        let start = Instant::now();
        assert_eq!(server.get("/s1/").status, 200);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "a stalled client slowed others"
        );
    }
    drop(stalled);

    let huge = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let (status, _) = server.raw(huge.as_bytes());
    assert!(
        status == 431 || status == 400,
        "oversized headers: {status}"
    );
    let body =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
    assert_eq!(server.raw(body.as_bytes()).0, 413);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn requests_for_other_host_names_are_refused() {
    // DNS rebinding: a page on attacker.example points its name at 127.0.0.1
    // and reads the dev server as its own origin; the browser still sends its name.
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    server.wait_for_text("/", "Welcome");
    let port = server.origin.rsplit(':').next().expect("port").to_string();
    let get = |path: &str, host: Option<&str>| {
        let host = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
        server.raw(format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes())
    };
    let refused = [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.attacker.example:{port}"),
        format!("10.1.2.3:{port}"),
    ];
    for host in &refused {
        for path in ["/", "/s1/", "/__syllabus/reload.js", "/nowhere/"] {
            let (status, answer) = get(path, Some(host));
            assert_eq!(status, 400, "{host} {path}:\n{answer}");
            assert!(!answer.contains("Welcome"), "{host} {path} leaked the site");
            assert!(answer.contains("localhost"), "{answer}");
        }
    }
    assert_eq!(get("/", None).0, 400, "a request without Host");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let (status, answer) = get("/", Some(&host));
        assert_eq!(status, 200, "{host}:\n{answer}");
        assert!(answer.contains("Welcome"), "{host}");
    }
}

/// `VmRSS` and `VmHWM` (resident and peak resident memory) of a process, in MiB.
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Waits until the server has printed nothing new for two seconds.
fn wait_until_quiet(server: &Server) {
    let mut seen = server.log();
    let mut since = Instant::now();
    while since.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(100));
        let now = server.log();
        if now != seen {
            seen = now;
            since = Instant::now();
        }
    }
}

#[test]
fn memory_returns_to_its_baseline_after_a_large_edit_is_undone() {
    // Adding 4,690 pages to a section and deleting them left `serve` holding
    // gigabytes; here 3,000 pages come and go in one move each.
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    server.wait_for_text("/", "Welcome");
    let pid = server.child.id();
    if !Path::new(&format!("/proc/{pid}/status")).exists() {
        eprintln!("skipped: no /proc to read the server's memory from");
        assert!(std::env::var("CI").is_err(), "CI must have /proc");
        return;
    }
    let resident = |pid| {
        // The least of a few samples: a request or a timer may allocate briefly.
        (0..10)
            .map(|_| {
                std::thread::sleep(Duration::from_millis(100));
                memory_mib(pid).0
            })
            .min()
            .unwrap_or(0)
    };
    wait_until_quiet(&server);
    let baseline = resident(pid);
    let big = site.path().join(".big");
    std::fs::create_dir_all(&big).expect("mkdir");
    std::fs::write(big.join("index.md"), "# Big\n").expect("write");
    for i in 0..3_000 {
        let text = format!("# Page {i}\n\nSome text with a [link](../index.md).\n");
        std::fs::write(big.join(format!("p{i:04}.md")), text).expect("write");
    }
    std::fs::rename(&big, site.path().join("content/big")).expect("move in");
    let slow = Duration::from_secs(180);
    assert!(
        wait_for(slow, || server.get("/big/p2999/").status == 200),
        "the pages never came:\n{}",
        server.log()
    );
    wait_until_quiet(&server);
    let (_, peak) = memory_mib(pid);
    assert!(
        peak > baseline + 40,
        "the edit was not large: {baseline} → {peak} MiB"
    );
    std::fs::rename(site.path().join("content/big"), &big).expect("move out");
    assert!(
        wait_for(slow, || server.get("/big/p0000/").status == 404),
        "the pages never went:\n{}",
        server.log()
    );
    wait_until_quiet(&server);
    let after = resident(pid);
    eprintln!("serve memory: {baseline} MiB, peak {peak} MiB, {after} MiB after the undo");
    // Back to the baseline, give or take the allocator's granularity: at most a
    // quarter of what the edit took stays (it kept nine tenths).
    let kept = after.saturating_sub(baseline);
    assert!(
        kept <= 16.max((peak - baseline) / 4),
        "{after} MiB after the undo, {baseline} MiB before (peak {peak} MiB)"
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = Site::fixture("serve");
    let server = Server::start(&site);
    browser.goto(&server.url("/s1/reading/"));
    let loaded = browser.wait_until(CHANGE, |b| {
        b.text("main")
            .is_some_and(|t| t.contains("Original reading text"))
    });
    assert!(loaded, "the page did not load: {:?}", browser.text("body"));
    // Gone after a real reload: proves the browser reloaded, not only that the server changed.
    browser.execute("window.__before_reload = true; return true;", &[]);
    let subscribed = browser.wait_until(CHANGE, |b| {
        b.execute(
            "return !!window.__syllabusReload && window.__syllabusReload.readyState === 1;",
            &[],
        ) == serde_json::Value::Bool(true)
    });
    assert!(subscribed, "the page never opened its event stream");
    // The page is served with the site's Content-Security-Policy; live reload lives with it.
    let blocked: Vec<_> = browser
        .console_logs()
        .into_iter()
        .filter(|e| e.to_string().contains("Content Security Policy"))
        .collect();
    assert!(blocked.is_empty(), "CSP violations: {blocked:?}");

    edit(&site, "content/s1/reading.md", "Original", "Reloaded");
    let reloaded = browser.wait_until(CHANGE, |b| {
        b.text("main")
            .is_some_and(|t| t.contains("Reloaded reading text"))
    });
    assert!(
        reloaded,
        "the page did not reload itself:\n{}",
        server.log()
    );
    let marker = browser.execute("return window.__before_reload === true;", &[]);
    assert_eq!(marker, serde_json::Value::Bool(false), "no real reload");

    // A broken edit shows the overlay on the open page; the fix removes it.
    edit(
        &site,
        "content/s1/reading.md",
        "Reloaded reading text.",
        "[x](nowhere.md)",
    );
    let overlay = browser.wait_until(CHANGE, |b| {
        b.text("#syllabus-build-error")
            .is_some_and(|t| t.contains("nowhere.md"))
    });
    assert!(overlay, "no error overlay:\n{}", server.log());
    browser.screenshot(&crate::support::repo().join("target/serve-error-overlay.png"));
    edit(
        &site,
        "content/s1/reading.md",
        "[x](nowhere.md)",
        "Fixed again.",
    );
    let fixed = browser.wait_until(CHANGE, |b| {
        b.text("main").is_some_and(|t| t.contains("Fixed again"))
            && b.text("#syllabus-build-error").is_none()
    });
    assert!(fixed, "the overlay stayed or the page did not reload");
}
