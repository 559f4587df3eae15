//! The site in memory: every file of the output folder as the server answers
//! it, and the snapshot the HTTP side reads. The rebuild side makes a new
//! [`Snapshot`] after each rebuild and publishes it whole; requests never see
//! a half-updated site.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderName, HeaderValue};

pub use crate::pipeline::sink::{Entry, Files};

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
    pub host: Arc<HostConfig>,
}

impl Snapshot {
    /// The state before any successful build.
    pub fn empty(version: String) -> Snapshot {
        Snapshot {
            files: Arc::default(),
            version,
            error: None,
            base_path: "/".into(),
            host: Arc::default(),
        }
    }
}

/// What the site's `staticwebapp.config.json` tells Azure Static Web Apps to
/// send, so that the preview sends it too: `globalHeaders` on every response
/// (the Content-Security-Policy among them) and `mimeTypes` by extension.
#[derive(Debug, Default)]
pub struct HostConfig {
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Extension with its dot (`.ipynb`) → Content-Type.
    mime_types: HashMap<String, String>,
}

impl HostConfig {
    /// Reads `staticwebapp.config.json` from the site; empty without one (or when it is not JSON).
    pub fn from_files(files: &Files) -> HostConfig {
        let config = files
            .get(crate::outputs::azure::CONFIG_FILE)
            .and_then(|e| serde_json::from_slice::<serde_json::Value>(&e.bytes).ok());
        let Some(config) = config else {
            return HostConfig::default();
        };
        let strings = |key: &str| {
            config
                .get(key)
                .and_then(|v| v.as_object())
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect::<Vec<_>>()
        };
        HostConfig {
            headers: strings("globalHeaders")
                .into_iter()
                .filter_map(|(k, v)| {
                    Some((
                        HeaderName::from_bytes(k.as_bytes()).ok()?,
                        HeaderValue::from_str(&v).ok()?,
                    ))
                })
                .collect(),
            mime_types: strings("mimeTypes").into_iter().collect(),
        }
    }

    /// The Content-Type of a path: the config's `mimeTypes` first, then the site's table.
    pub fn content_type(&self, path: &str) -> String {
        let name = path.rsplit('/').next().unwrap_or(path);
        let configured = name.rfind('.').and_then(|dot| {
            let ext = &name[dot..];
            self.mime_types
                .get(ext)
                .or_else(|| self.mime_types.get(&ext.to_ascii_lowercase()))
        });
        configured.map_or_else(|| crate::util::mime::for_path(path), String::clone)
    }
}

/// Whether a served file is an HTML document (it gets the live-reload script).
pub fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

#[cfg(test)]
mod tests {
    use axum::body::Bytes;

    use super::*;

    #[test]
    fn the_azure_config_adds_headers_and_types() {
        let config = r#"{
            "globalHeaders": {"Content-Security-Policy": "default-src 'self'", "Bad Name": "x"},
            "mimeTypes": {".py": "text/plain; charset=utf-8", ".R": "text/x-r"}
        }"#;
        let mut files = Files::new();
        files.insert(
            crate::outputs::azure::CONFIG_FILE.into(),
            Arc::new(Entry::new(Bytes::from(config))),
        );
        let host = HostConfig::from_files(&files);
        assert_eq!(host.headers.len(), 1);
        assert_eq!(host.headers[0].0.as_str(), "content-security-policy");
        assert_eq!(host.content_type("s1/fit.py"), "text/plain; charset=utf-8");
        assert_eq!(host.content_type("s1/a.R"), "text/x-r");
        assert_eq!(host.content_type("s1/a.csv"), "text/csv; charset=utf-8");
        let none = HostConfig::from_files(&Files::new());
        assert!(none.headers.is_empty());
        assert_eq!(none.content_type("s1/fit.py"), "text/plain; charset=utf-8");
    }
}
