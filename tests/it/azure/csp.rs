//! The Content-Security-Policy fitted to the pages: a page whose images come
//! from another origin (a local image server on another port) shows them in
//! Chromium with the generated headers applied, by Azure's emulator and by
//! `syllabus serve`, and no violation is reported; with the policy left as
//! written (`csp_from_pages = false`) the same image is blocked and `check`
//! names the page.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use super::config_of;
use super::emulator::{Emulator, swa_dir};
use crate::browser::Browser;
use crate::serve::Server;
use crate::support::{self, Site};

/// A red 2×2 PNG.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0,
    0, 0, 253, 212, 154, 115, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 68, 12,
    16, 10, 0, 31, 238, 3, 253, 139, 95, 20, 212, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// Serves [`PNG`] for every path, on a free port of 127.0.0.1: another origin
/// than the site's. Stops accepting when dropped.
struct ImageHost {
    origin: String,
    stop: Arc<AtomicBool>,
}

impl ImageHost {
    fn start() -> ImageHost {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let _ = answer(stream);
                }
            }
        });
        ImageHost {
            origin: format!("http://{addr}"),
            stop,
        }
    }
}

impl Drop for ImageHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let addr = self.origin.trim_start_matches("http://");
        let _ = TcpStream::connect(addr);
    }
}

fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        PNG.len()
    )?;
    stream.write_all(PNG)
}

/// A course whose home page shows an image of its own, two from `host`
/// (Markdown and raw HTML) and an element styled by a `style` attribute.
fn site_with_images(host: &str, extra_config: &str) -> Site {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        &format!("title = \"Images\"\n{extra_config}"),
    )
    .file(
        "content/index.md",
        &format!(
            "# Images\n\n![own](own.png)\n\n![markdown]({host}/markdown.png)\n\n\
                 <p><img id=\"raw\" src=\"{host}/raw.png\" alt=\"raw\"></p>\n\n\
                 <p id=\"styled\" style=\"color: rgb(255, 0, 0)\">red</p>\n"
        ),
    );
    std::fs::write(site.path().join("content/own.png"), PNG).unwrap();
    site
}

/// Each image of the open page: (src, naturalWidth), once all have settled.
fn images(browser: &Browser) -> Vec<(String, u64)> {
    browser.wait_until(Duration::from_secs(10), |b| {
        b.execute(
            "return Array.from(document.querySelectorAll('.prose img')).every(i => i.complete);",
            &[],
        ) == Value::Bool(true)
    });
    let list = browser.execute(
        "return Array.from(document.querySelectorAll('.prose img')).map(i => [i.src, i.naturalWidth]);",
        &[],
    );
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect()
}

fn csp_messages(browser: &Browser) -> Vec<String> {
    browser
        .console_logs()
        .iter()
        .filter_map(|l| l["message"].as_str())
        .filter(|m| m.contains("Content Security Policy"))
        .map(str::to_string)
        .collect()
}

fn styled_color(browser: &Browser) -> Value {
    browser.execute(
        "return getComputedStyle(document.getElementById('styled')).color;",
        &[],
    )
}

/// Opens `url` and checks that every image loaded and the style attribute applied.
fn assert_all_shown(browser: &Browser, url: &str, host: &str) {
    browser.goto(url);
    let images = images(browser);
    assert_eq!(images.len(), 3, "{images:?}");
    assert_eq!(
        images
            .iter()
            .filter(|(src, _)| src.starts_with(host))
            .count(),
        2,
        "{images:?}"
    );
    for (src, width) in &images {
        assert_eq!(*width, 2, "{src} did not load at {url}");
    }
    assert_eq!(styled_color(browser), "rgb(255, 0, 0)", "{url}");
    let violations = csp_messages(browser);
    assert!(violations.is_empty(), "{url}: {violations:?}");
}

#[test]
fn external_images_load_under_the_generated_headers() {
    let host = ImageHost::start();
    let site = site_with_images(&host.origin, "");
    site.build_ok();
    let csp = config_of(&site)["globalHeaders"]["Content-Security-Policy"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains(&format!("img-src 'self' data: {};", host.origin)),
        "{csp}"
    );
    assert!(csp.contains("style-src-attr 'unsafe-inline'"), "{csp}");
    let Some(browser) = Browser::start() else {
        return;
    };

    // `syllabus serve` sends the generated headers.
    let server = Server::start_with(&site, &[]);
    assert!(
        crate::serve::wait_for(Duration::from_secs(20), || {
            server.get("/").header("content-security-policy") == Some(csp.as_str())
        }),
        "serve does not send the generated policy"
    );
    assert_all_shown(&browser, &server.url("/"), &host.origin);
    drop(server);

    // So does Azure's emulator.
    let swa = swa_dir().join("node_modules/.bin/swa");
    if !swa.is_file() || !support::have("setsid", &["--version"]) {
        support::skip(
            "the Azure Static Web Apps emulator (setsid and the SWA CLI)",
            &format!(
                "npm install --prefix {} --no-save --ignore-scripts @azure/static-web-apps-cli@2",
                swa_dir().display()
            ),
        );
        return;
    }
    let logs = tempfile::tempdir().unwrap();
    let mut emulator = Emulator::start(&site.path().join("public"), logs.path());
    emulator.wait_ready();
    let url = format!("http://127.0.0.1:{}/", emulator.port);
    assert_all_shown(&browser, &url, &host.origin);
    drop(emulator);
}

#[test]
fn a_policy_left_as_written_blocks_the_images_and_check_says_where() {
    let host = ImageHost::start();
    let site = site_with_images(&host.origin, "[azure]\ncsp_from_pages = false\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let want = format!(
        "warning[W083]: on Azure, the site's Content-Security-Policy blocks this page's \
         images from {} (`img-src`); `style` attributes (`style-src-attr`)\n  --> content/index.md",
        host.origin
    );
    assert!(run.all().contains(&want), "{}", run.all());

    // The same policy, written in [azure.headers], is the author's: also kept and checked.
    site.file(
        "syllabus.toml",
        "title = \"Images\"\n[azure.headers]\nContent-Security-Policy = \"default-src 'self'\"\n",
    );
    let run = site.run(&["check"]);
    assert!(run.all().contains("content/index.md"), "{}", run.all());

    // What the warning says is what a browser does.
    site.file(
        "syllabus.toml",
        "title = \"Images\"\n[azure]\ncsp_from_pages = false\n",
    );
    site.build_ok();
    let Some(browser) = Browser::start() else {
        return;
    };
    let server = Server::start_with(&site, &[]);
    assert!(crate::serve::wait_for(Duration::from_secs(20), || {
        server
            .get("/")
            .header("content-security-policy")
            .is_some_and(|p| p.contains("img-src 'self' data:;"))
    }));
    browser.goto(&server.url("/"));
    let images = images(&browser);
    for (src, width) in &images {
        let external = src.starts_with(&host.origin);
        assert_eq!(*width == 0, external, "{src}: {images:?}");
    }
    assert_ne!(styled_color(&browser), "rgb(255, 0, 0)");
    assert!(!csp_messages(&browser).is_empty());
}

#[test]
fn scripts_and_style_elements_are_never_allowed_and_each_page_is_named() {
    let site = Site::new();
    site.file(
        "content/index.md",
        "# Slides\n\n<script src=\"https://remarkjs.com/remark.js\"></script>\n\n\
         <style>h1 { color: red }</style>\n\n<script type=\"application/json\">{}</script>\n",
    )
    .file(
        "content/plain.md",
        "# Plain\n\n![x](https://img.example.org/x.png)\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let csp = {
        site.build_ok();
        config_of(&site)["globalHeaders"]["Content-Security-Policy"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        csp.contains("script-src 'self';") && csp.contains("style-src 'self';"),
        "{csp}"
    );
    assert!(!csp.contains("remarkjs"), "{csp}");
    let want = "warning[W083]: on Azure, the site's Content-Security-Policy blocks this page's \
        scripts from https://remarkjs.com (`script-src`); `<style>` elements (`style-src`)\n  \
        --> content/index.md";
    assert!(run.all().contains(want), "{}", run.all());
    assert_eq!(run.all().matches("warning[").count(), 1, "{}", run.all());
}
