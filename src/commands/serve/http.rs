//! HTTP: the routes of the dev server and how a request path becomes a file
//! of the in-memory site. Pretty URLs as Azure Static Web Apps serves them
//! (`/x/` and `/x` reach `x/index.html`, the second by a 301), the site's
//! `404.html` with status 404, HEAD, and conditional requests.
//!
//! Requests are answered only from the in-memory map of the site's files, so
//! no request path can reach the file system; paths that try anyway (`..`,
//! encoded slashes or dots, backslashes, NUL bytes) are refused with 400.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;

use super::files::{Entry, Snapshot, is_html};
use super::host::{self, AllowedHosts};
use super::reload;

/// The dev server's routes over the published snapshots of the site, for
/// requests that name a host the server answers to.
pub fn router(snapshots: watch::Receiver<Arc<Snapshot>>, hosts: AllowedHosts) -> Router {
    Router::new()
        .route(reload::SCRIPT_PATH, get(reload::script))
        .route(reload::EVENTS_PATH, get(reload::events))
        .fallback(site_file)
        .with_state(snapshots)
        .layer(axum::middleware::from_fn_with_state(hosts, host::check))
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site (output-relative path).
    File(String),
    /// A permanent redirect to this location (a folder without its slash, the site root).
    Redirect(String),
    NotFound,
    /// A path no file can have: traversal, encoded separators, NUL or control bytes.
    BadRequest,
}

/// Maps the raw (still percent-encoded) request path to a file of the site.
/// `base_path` is the site's URL prefix (`/`, or `/course/`); `exists` says whether the site has a file.
pub fn resolve(raw: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let Some(path) = decode(raw) else {
        return Resolved::BadRequest;
    };
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." || (s.is_empty() && i != last) {
            return Resolved::BadRequest;
        }
    }
    let rel = if let Some(rel) = path.strip_prefix(base_path) {
        rel
    } else if path == "/" || format!("{path}/") == base_path {
        return Resolved::Redirect(base_path.to_string());
    } else {
        return Resolved::NotFound;
    };
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(rel) {
        return Resolved::File(rel.to_string());
    }
    if exists(&format!("{rel}/index.html")) {
        return Resolved::Redirect(format!("{raw}/"));
    }
    Resolved::NotFound
}

/// Percent-decodes a request path; `None` for anything no file of a site can be named:
/// not starting with `/`, invalid escapes or UTF-8, backslashes, NUL and control characters,
/// and encoded `/` (which would hide a separator from the checks).
fn decode(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.to_ascii_lowercase().contains("%2f") {
        return None;
    }
    let path = crate::util::url::decode_strict(raw)?;
    let refused = |c: char| c == '\\' || c.is_ascii_control();
    (!path.contains(refused)).then_some(path)
}

/// Every other path: a file of the site, a redirect, or the 404 page.
async fn site_file(
    State(snapshots): State<watch::Receiver<Arc<Snapshot>>>,
    req: Request,
) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut res = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    if has_body(req.headers()) {
        return plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requests may not have a body\n",
        );
    }
    let snapshot = snapshots.borrow().clone();
    let mut res = answer(&snapshot, &req);
    for (name, value) in &snapshot.host.headers {
        res.headers_mut().insert(name.clone(), value.clone());
    }
    res
}

fn answer(snapshot: &Snapshot, req: &Request) -> Response {
    let files = &snapshot.files;
    match resolve(req.uri().path(), &snapshot.base_path, |p| {
        files.contains_key(p)
    }) {
        Resolved::File(path) => {
            let entry = &files[&path];
            respond(snapshot, &path, entry, StatusCode::OK, req.headers())
        }
        Resolved::Redirect(to) => {
            let location = match req.uri().query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let mut res = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
            if let Ok(value) = HeaderValue::from_str(&location) {
                res.headers_mut().insert(header::LOCATION, value);
            }
            res
        }
        Resolved::NotFound => not_found(snapshot),
        Resolved::BadRequest => plain(StatusCode::BAD_REQUEST, "bad request path\n"),
    }
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() != "0");
    length || headers.contains_key(header::TRANSFER_ENCODING)
}

/// The site's `404.html` (or a plain page before the first good build), status 404.
fn not_found(snapshot: &Snapshot) -> Response {
    if let Some(entry) = snapshot.files.get("404.html") {
        return respond(
            snapshot,
            "404.html",
            entry,
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
        );
    }
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>This page is not part of the site (yet).</p></body></html>";
    let body = reload::inject(page.as_bytes(), &snapshot.version);
    let mut res = (StatusCode::NOT_FOUND, body).into_response();
    set(&mut res, header::CONTENT_TYPE, "text/html; charset=utf-8");
    set(&mut res, header::CACHE_CONTROL, "no-cache");
    res
}

/// A file, or 304 when the client's copy is current. HTML gets the live-reload
/// script, so its ETag carries the site version and it has no Last-Modified.
fn respond(
    snapshot: &Snapshot,
    path: &str,
    entry: &Entry,
    status: StatusCode,
    request: &HeaderMap,
) -> Response {
    let html = is_html(path);
    let etag = if html {
        format!("\"{:016x}-{}\"", entry.hash, snapshot.version)
    } else {
        format!("\"{:016x}\"", entry.hash)
    };
    let modified = (!html).then(|| httpdate::fmt_http_date(entry.modified));
    let fresh = status == StatusCode::OK && is_fresh(request, &etag, entry, html);
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else if html {
        let body = reload::inject(&entry.bytes, &snapshot.version);
        (status, Body::from(body)).into_response()
    } else {
        (status, Body::from(Bytes::clone(&entry.bytes))).into_response()
    };
    if !fresh {
        set(
            &mut res,
            header::CONTENT_TYPE,
            &snapshot.host.content_type(path),
        );
    }
    set(&mut res, header::ETAG, &etag);
    if let Some(modified) = &modified {
        set(&mut res, header::LAST_MODIFIED, modified);
    }
    set(&mut res, header::CACHE_CONTROL, "no-cache");
    set(&mut res, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    res
}

/// RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since.
fn is_fresh(request: &HeaderMap, etag: &str, entry: &Entry, html: bool) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH) {
        let tags = tags.to_str().unwrap_or("");
        return tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag);
    }
    if html {
        return false;
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    // HTTP dates have whole seconds; compare at that precision.
    let modified = httpdate::parse_http_date(&httpdate::fmt_http_date(entry.modified)).ok();
    matches!((since, modified), (Some(s), Some(m)) if m <= s)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut res = (status, text).into_response();
    set(&mut res, header::CONTENT_TYPE, "text/plain; charset=utf-8");
    res
}

fn set(res: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        res.headers_mut().insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[&str] = &[
        "index.html",
        "404.html",
        "s1/index.html",
        "s1/reading/index.html",
        "s1/img/fig.svg",
        "notes and more/index.html",
        "café/index.html",
    ];

    fn at(raw: &str, base: &str) -> Resolved {
        resolve(raw, base, |p| FILES.contains(&p))
    }

    fn file(p: &str) -> Resolved {
        Resolved::File(p.into())
    }

    fn redirect(p: &str) -> Resolved {
        Resolved::Redirect(p.into())
    }

    #[test]
    fn pretty_urls() {
        let cases = [
            ("/", file("index.html")),
            ("/index.html", file("index.html")),
            ("/s1/", file("s1/index.html")),
            ("/s1", redirect("/s1/")),
            ("/s1/reading/", file("s1/reading/index.html")),
            ("/s1/reading", redirect("/s1/reading/")),
            ("/s1/img/fig.svg", file("s1/img/fig.svg")),
            ("/notes%20and%20more/", file("notes and more/index.html")),
            ("/notes%20and%20more", redirect("/notes%20and%20more/")),
            ("/caf%C3%A9/", file("café/index.html")),
            ("/s2/", Resolved::NotFound),
            ("/s1/img/", Resolved::NotFound),
            ("/s1/img/fig.svg/", Resolved::NotFound),
        ];
        for (raw, want) in cases {
            assert_eq!(at(raw, "/"), want, "{raw}");
        }
    }

    #[test]
    fn under_a_base_path() {
        let cases = [
            ("/course/", file("index.html")),
            ("/course", redirect("/course/")),
            ("/", redirect("/course/")),
            ("/course/s1", redirect("/course/s1/")),
            ("/course/s1/", file("s1/index.html")),
            ("/other/s1/", Resolved::NotFound),
            ("/s1/", Resolved::NotFound),
        ];
        for (raw, want) in cases {
            assert_eq!(at(raw, "/course/"), want, "{raw}");
        }
    }

    #[test]
    fn traversal_and_odd_bytes_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/s1/../../etc/passwd",
            "/s1/..",
            "/./index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/s1%2f..%2f..%2fetc%2fpasswd",
            "/s1%2F",
            "/..%5c..%5cetc%5cpasswd",
            "/s1\\..\\..\\etc\\passwd",
            "/index.html%00.css",
            "/a%0d%0aSet-Cookie:%20x",
            "//etc/passwd",
            "/s1//reading/",
            "/%",
            "/%zz",
            "/%c3%28",
            "etc/passwd",
            "",
        ] {
            assert_eq!(at(raw, "/"), Resolved::BadRequest, "{raw}");
        }
    }

    #[test]
    fn absolute_file_system_paths_are_just_missing_pages() {
        assert_eq!(at("/etc/passwd", "/"), Resolved::NotFound);
        assert_eq!(at("/C:/Windows/win.ini", "/"), Resolved::NotFound);
    }

    fn entry() -> Entry {
        Entry::new(Bytes::from_static(b"body"))
    }

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).expect("valid"));
        h
    }

    #[test]
    fn conditional_requests() {
        let e = entry();
        let tag = format!("\"{:016x}\"", e.hash);
        let date = httpdate::fmt_http_date(e.modified);
        let later = httpdate::fmt_http_date(e.modified + std::time::Duration::from_secs(60));
        let earlier = httpdate::fmt_http_date(e.modified - std::time::Duration::from_secs(60));
        let fresh = |h: HeaderMap, html| is_fresh(&h, &tag, &e, html);
        assert!(fresh(headers(header::IF_NONE_MATCH, &tag), false));
        assert!(fresh(
            headers(header::IF_NONE_MATCH, &format!("\"x\", W/{tag}")),
            false
        ));
        assert!(fresh(headers(header::IF_NONE_MATCH, "*"), false));
        assert!(!fresh(headers(header::IF_NONE_MATCH, "\"other\""), false));
        assert!(fresh(headers(header::IF_MODIFIED_SINCE, &date), false));
        assert!(fresh(headers(header::IF_MODIFIED_SINCE, &later), false));
        assert!(!fresh(headers(header::IF_MODIFIED_SINCE, &earlier), false));
        assert!(!fresh(headers(header::IF_MODIFIED_SINCE, &date), true));
        assert!(!fresh(HeaderMap::new(), false));
    }
}
