//! A static file server for the browser test: one folder, on a free port of
//! 127.0.0.1, with the Content-Security-Policy of the site's Azure configuration
//! on every response, the Content-Types a host sends, and text gzip-compressed
//! when the browser accepts it, as a host does.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::support::Site;

/// The CSP sent with every response: what `staticwebapp.config.json` asks of the theme at least.
pub const CSP: &str = "default-src 'self'";
/// How long a client may take to send its request.
const READ: Duration = Duration::from_secs(10);

/// A static file server for one folder, on a free port of 127.0.0.1, sending
/// [`CSP`] on every response. Pretty URLs: `/x/` serves `x/index.html`, `/x`
/// (a folder) redirects to `/x/`; anything else missing is the site's 404 page.
pub struct StaticServer {
    pub origin: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        StaticServer::start_with_csp(root, CSP)
    }

    /// The same, sending `csp` (such as the one `staticwebapp.config.json` holds).
    pub fn start_with_csp(root: PathBuf, csp: &str) -> StaticServer {
        let policy = Arc::new(csp.to_string());
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let addr = listener.local_addr().expect("address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    let policy = policy.clone();
                    std::thread::spawn(move || {
                        let _ = respond(stream, &root, &policy);
                    });
                }
            }
        });
        StaticServer {
            origin: format!("http://{addr}"),
            addr,
            stop,
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// Answers one request, then closes the connection.
fn respond(mut stream: TcpStream, root: &Path, csp: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(READ))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let started = Instant::now();
    let mut gzip_ok = false;
    loop {
        let mut header = String::new();
        let read = reader.read_line(&mut header)?;
        if read == 0 || header.trim().is_empty() || started.elapsed() > READ {
            break;
        }
        let lower = header.to_ascii_lowercase();
        gzip_ok |= lower.starts_with("accept-encoding:") && lower.contains("gzip");
    }
    let mut words = request.split_whitespace();
    let method = words.next().unwrap_or("");
    let target = words.next().unwrap_or("/");
    let (status, extra, content_type, body) = match lookup(root, target) {
        Found::File(path) => (
            "200 OK",
            String::new(),
            content_type(&path),
            std::fs::read(&path)?,
        ),
        Found::Folder(location) => (
            "301 Moved Permanently",
            format!("Location: {location}\r\n"),
            "text/plain; charset=utf-8",
            Vec::new(),
        ),
        Found::Nothing => (
            "404 Not Found",
            String::new(),
            "text/html; charset=utf-8",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
        ),
    };
    // Text is sent compressed, as hosts do, so that the browser's transfer sizes are a host's.
    let (body, extra) = if gzip_ok && is_text(content_type) {
        (gzip(&body), format!("{extra}Content-Encoding: gzip\r\n"))
    } else {
        (body, extra)
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {csp}\r\nX-Content-Type-Options: nosniff\r\n\
         Cache-Control: no-store\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/xml")
        || content_type.starts_with("image/svg")
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).expect("gzip in memory");
    encoder.finish().expect("gzip in memory")
}

enum Found {
    File(PathBuf),
    /// A folder asked for without its trailing slash: where to redirect.
    Folder(String),
    Nothing,
}

fn lookup(root: &Path, target: &str) -> Found {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(decoded) = percent_decode(path) else {
        return Found::Nothing;
    };
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|s| s == "..") || rel.contains('\\') {
        return Found::Nothing;
    }
    let file = root.join(rel);
    if file.is_dir() {
        if !rel.is_empty() && !rel.ends_with('/') {
            return Found::Folder(format!("{path}/"));
        }
        let index = file.join("index.html");
        return if index.is_file() {
            Found::File(index)
        } else {
            Found::Nothing
        };
    }
    if file.is_file() {
        Found::File(file)
    } else {
        Found::Nothing
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" | "py" | "r" | "csv" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[test]
fn static_server_maps_pretty_urls() {
    let site = Site::new();
    site.file("public/index.html", "home")
        .file("public/a b/index.html", "spaced")
        .file("public/x/index.html", "x");
    let root = site.path().join("public");
    let file = |t: &str| match lookup(&root, t) {
        Found::File(p) => p.strip_prefix(&root).map(Path::to_path_buf).ok(),
        _ => None,
    };
    assert_eq!(file("/"), Some(PathBuf::from("index.html")));
    assert_eq!(file("/a%20b/?q=1"), Some(PathBuf::from("a b/index.html")));
    assert_eq!(file("/../etc/passwd"), None);
    assert!(matches!(lookup(&root, "/x"), Found::Folder(l) if l == "/x/"));
    assert!(matches!(lookup(&root, "/nope/"), Found::Nothing));
}
