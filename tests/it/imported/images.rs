//! Every `<img>` of every page of the imported course, in Chromium, under the
//! Content-Security-Policy its `staticwebapp.config.json` holds: a local image
//! loads (naturalWidth > 0) unless its file is missing from the course itself;
//! an image from another site cannot load here (no internet), so its origin
//! must be one the policy's `img-src` names. No image is refused by the policy.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::Check;

impl Check {
    pub(super) fn every_image_loads(&self, public: &Path, csp: &str) {
        let img_src: Vec<&str> = csp
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix("img-src "))
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let (mut local, mut external, mut missing) = (0, 0, Vec::new());
        for path in page_paths(public) {
            self.open(&path);
            // Lazy images load only when scrolled to: ask for all of them now.
            self.js("for (const i of document.images) i.loading = 'eager';");
            self.browser.wait_until(Duration::from_secs(15), |b| {
                b.execute(
                    "return Array.from(document.images).every(i => i.complete);",
                    &[],
                ) == Value::Bool(true)
            });
            let images = self.js(
                "return Array.from(document.images).map(i => [i.currentSrc || i.src, i.naturalWidth]);",
            );
            for image in images.as_array().into_iter().flatten() {
                let src = image[0].as_str().unwrap_or("");
                let width = image[1].as_u64().unwrap_or(0);
                if let Some(rel) = src.strip_prefix(&format!("{}/", self.origin)) {
                    local += 1;
                    let file =
                        public.join(percent_decode(rel.split(['?', '#']).next().unwrap_or("")));
                    if width == 0 && !file.is_file() {
                        missing.push(format!("{path}: {src}"));
                        continue;
                    }
                    assert!(width > 0, "{src} on {path} did not load");
                } else if src.starts_with("http") {
                    external += 1;
                    let origin = origin_of(src);
                    assert!(
                        img_src.contains(&origin.as_str()),
                        "{src} on {path}: `{origin}` is not in img-src: {csp}"
                    );
                }
            }
            let refused: Vec<Value> = self
                .browser
                .console_logs()
                .into_iter()
                .filter(|l| {
                    let m = l["message"].as_str().unwrap_or("");
                    m.contains("Content Security Policy") && m.contains("img-src")
                })
                .collect();
            assert!(refused.is_empty(), "{path}: {refused:?}");
        }
        eprintln!(
            "imported course: {local} local and {external} external images; missing from the course's own files: {missing:?}"
        );
        assert!(
            local > 20 && external > 10,
            "{local} local, {external} external"
        );
    }
}

/// The URL path of every page of the built site (every `index.html`).
fn page_paths(public: &Path) -> Vec<String> {
    let mut paths: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(public)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some(format!("/{}", rel.trim_end_matches("index.html")))
        })
        .collect();
    paths.sort();
    paths
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = path
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
