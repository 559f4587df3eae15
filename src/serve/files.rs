//! The site in memory: every file of the output folder as the server answers
//! it, and the snapshot the HTTP side reads. The rebuild side makes a new
//! [`Snapshot`] after each rebuild and publishes it whole; requests never see
//! a half-updated site.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;

/// One file of the site.
#[derive(Debug)]
pub struct Entry {
    pub bytes: Bytes,
    /// Hash of `bytes`, the base of the file's ETag.
    pub hash: u64,
    /// When these bytes were first served (kept while the file does not change).
    pub modified: SystemTime,
}

impl Entry {
    pub fn new(bytes: Bytes) -> Entry {
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        Entry {
            hash: h.finish(),
            bytes,
            modified: SystemTime::now(),
        }
    }
}

/// Output-relative path (`s1/reading/index.html`, `/`-separated, decoded) → file.
pub type Files = HashMap<String, Arc<Entry>>;

/// One consistent state of the served site.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub files: Arc<Files>,
    /// Changes with every rebuild that changed something; an open page that
    /// was loaded with another version reloads.
    pub version: String,
    /// The diagnostics of the last rebuild, when it failed; the site is then the last good one.
    pub error: Option<Arc<str>>,
    /// The site's URL path prefix (`/` or `/course/`), from `base_url`.
    pub base_path: String,
}

impl Snapshot {
    /// The state before any successful build.
    pub fn empty(version: String) -> Snapshot {
        Snapshot {
            files: Arc::default(),
            version,
            error: None,
            base_path: "/".into(),
        }
    }
}

/// The Content-Type for a served path, by extension; course file types
/// (notebooks, scripts, data) included.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "r" | "sh" | "bash" | "ps1" | "toml" | "yml" | "yaml" | "ini" | "cfg" | "log"
        | "tf" | "bicep" | "sql" | "rs" | "go" | "java" | "c" | "h" | "cpp" | "cs" => {
            "text/plain; charset=utf-8"
        }
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "tsv" => "text/tab-separated-values; charset=utf-8",
        "py" => "text/x-python; charset=utf-8",
        "ipynb" => "application/x-ipynb+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// Whether a served file is an HTML document (it gets the live-reload script).
pub fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/site.CSS", "text/css; charset=utf-8"),
            ("a/b.js", "text/javascript; charset=utf-8"),
            ("s1/lab.ipynb", "application/x-ipynb+json"),
            ("s1/analysis.R", "text/plain; charset=utf-8"),
            ("s1/data.csv", "text/csv; charset=utf-8"),
            ("s1/fit.py", "text/x-python; charset=utf-8"),
            ("img/flow.svg", "image/svg+xml"),
            ("Makefile", "application/octet-stream"),
            ("x.unknown", "application/octet-stream"),
        ];
        for (path, want) in cases {
            assert_eq!(content_type(path), want, "{path}");
        }
    }

    #[test]
    fn same_bytes_same_hash() {
        let a = Entry::new(Bytes::from_static(b"abc"));
        let b = Entry::new(Bytes::from_static(b"abc"));
        let c = Entry::new(Bytes::from_static(b"abd"));
        assert_eq!(a.hash, b.hash);
        assert_ne!(a.hash, c.hash);
    }
}
