//! The built demo course served by the Azure Static Web Apps CLI emulator,
//! checked with real HTTP requests. The emulator does not implement
//! `trailingSlash`, so that setting is not checked here.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::config_of;
use crate::support::{self, Site, repo};

/// Where `.ci/run` installs the Static Web Apps CLI (`npm install --prefix target/swa`).
pub(super) fn swa_dir() -> PathBuf {
    std::env::var_os("SYLLABUS_SWA_DIR").map_or_else(|| repo().join("target/swa"), PathBuf::from)
}

pub(super) fn swa_package() -> PathBuf {
    swa_dir().join("node_modules/@azure/static-web-apps-cli")
}

/// The emulator, running in its own process group; dropping it kills the whole group.
pub(super) struct Emulator {
    child: Child,
    pgid: u32,
    pub(super) port: u16,
    log: PathBuf,
}

impl Emulator {
    pub(super) fn start(site_dir: &Path, log_dir: &Path) -> Emulator {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = log_dir.join("swa.log");
        let file = std::fs::File::create(&log).unwrap();
        // `setsid` makes swa the leader of a new session and process group: killing only
        // the `swa` process would leave its node server running.
        let child = Command::new("setsid")
            .arg(swa_dir().join("node_modules/.bin/swa"))
            .arg("start")
            .arg(site_dir)
            .arg("--swa-config-location")
            .arg(site_dir)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .env("NO_UPDATE_NOTIFIER", "1")
            .current_dir(log_dir)
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .expect("start setsid swa");
        let pgid = child.id();
        Emulator {
            child,
            pgid,
            port,
            log,
        }
    }

    pub(super) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub(super) fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the emulator exited ({status}):\n{}", self.log());
            }
            if get(self.port, "/").is_ok_and(|r| r.status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!("the emulator did not answer within 90 s:\n{}", self.log());
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let group = format!("-{}", self.pgid);
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && !matches!(self.child.try_wait(), Ok(Some(_))) {
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.0 GET (no chunked encoding; the server closes the connection).
fn get(port: u16, path: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

const NOTEBOOK: &str = r##"{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# A notebook"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
"##;

#[test]
fn emulator_serves_the_demo_like_azure() {
    let swa = swa_dir().join("node_modules/.bin/swa");
    if !swa.is_file()
        || !support::have("node", &["--version"])
        || !support::have("setsid", &["--version"])
    {
        support::skip(
            "the Azure Static Web Apps emulator (node, setsid and the SWA CLI)",
            &format!(
                "npm install --prefix {} --no-save --ignore-scripts @azure/static-web-apps-cli@2",
                swa_dir().display()
            ),
        );
        return;
    }
    let site = Site::demo();
    site.file("content/notebooks/intro.ipynb", NOTEBOOK);
    site.file("content/moved_reading.md", "+++\ntitle = \"Moved\"\naliases = [\"/old/reading/\"]\n+++\n# Moved\n\nThis page [has a notebook](notebooks/intro.ipynb).\n");
    site.build_ok();
    let public = site.path().join("public");
    let config = config_of(&site);
    let alias_routes: Vec<&str> = config["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("redirect").is_some())
        .filter_map(|r| r["route"].as_str())
        .collect();

    let logs = tempfile::tempdir().unwrap();
    let mut emulator = Emulator::start(&public, logs.path());
    emulator.wait_ready();
    let port = emulator.port;

    // Every page answers 200 with the security headers (alias redirect pages aside).
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public).into_iter().flatten() {
        if entry.file_name() != "index.html" {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if alias_routes.contains(&format!("/{rel}").as_str()) {
            continue;
        }
        let url = format!("/{}", rel.trim_end_matches("index.html"));
        let r = get(port, &url).unwrap();
        assert_eq!(r.status, 200, "{url}\n{}", emulator.log());
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{url}"
        );
        for (name, value) in config["globalHeaders"].as_object().unwrap() {
            assert_eq!(r.header(name), value.as_str(), "{name} on {url}");
        }
        pages += 1;
    }
    assert!(pages >= 30, "only {pages} pages served");

    // A missing page: status 404 with our 404 page (responseOverrides, not navigationFallback).
    let r = get(port, "/no/such/page/").unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        std::fs::read(public.join("404.html")).unwrap(),
        "our 404 page"
    );

    // Aliases: 301 to the page, with and without the trailing slash.
    for old in ["/old/reading/", "/old/reading", "/old/reading/index.html"] {
        let r = get(port, old).unwrap();
        assert_eq!(r.status, 301, "{old}");
        let location = r.header("location").unwrap_or_default();
        assert!(location.ends_with("/moved_reading/"), "{old} → {location}");
    }

    // Course files get their MIME type.
    let r = get(port, "/notebooks/intro.ipynb").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/x-ipynb+json"));
    assert_eq!(r.body, NOTEBOOK.as_bytes());

    // Not checked here: `trailingSlash: "auto"`. The emulator does not implement it
    // (a folder without its slash gets the static server's own redirect instead).
    drop(emulator);
}
