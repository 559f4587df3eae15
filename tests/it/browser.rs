//! A small WebDriver client for headless Chromium, for tests that need a real
//! browser (live reload, the theme's scripts). WebDriver is HTTP and JSON:
//! `chromedriver` listens on a free port, and each call is one request.
//!
//! [`Browser::start`] returns `None` when Chromium or chromedriver is missing
//! (after saying the test was skipped); in CI it fails instead.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support;

const CHROMIUM: &str = "/usr/bin/chromium";
/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One headless Chromium session; the browser and its driver stop on drop.
pub struct Browser {
    driver: Child,
    /// `http://127.0.0.1:<port>/session/<id>`.
    session: String,
    agent: ureq::Agent,
    _profile: TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.session).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session; `None` (skipped) when either is missing.
    pub fn start() -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() || !support::have("chromedriver", &["--version"]) {
            support::skip(
                "Chromium and its WebDriver (browser tests)",
                "apt-get install chromium chromium-driver",
            );
            return None;
        }
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent = ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(60)))
                .build(),
        );
        let profile = tempfile::tempdir().expect("profile folder");
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            driver,
            session: String::new(),
            agent,
            _profile: profile,
        };
        let ready = wait(Duration::from_secs(30), || {
            browser
                .call("GET", &format!("{base}/status"), None)
                .is_ok_and(|v| v["ready"] == Value::Bool(true))
        });
        assert!(ready, "chromedriver did not start");
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    // Keep every console message, for `console_logs`.
                    "goog:loggingPrefs": { "browser": "ALL" },
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": [
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            "--window-size=1280,900",
                            format!("--user-data-dir={}", browser._profile.path().display()),
                        ]
                    }
                }
            }
        });
        let created = browser
            .call("POST", &format!("{base}/session"), Some(capabilities))
            .unwrap_or_else(|e| panic!("cannot start Chromium: {e}"));
        let id = created["sessionId"].as_str().expect("session id");
        browser.session = format!("{base}/session/{id}");
        Some(browser)
    }

    /// One WebDriver command; `Err` carries WebDriver's error message.
    fn call(&self, method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
        let response = match (method, body) {
            ("GET", _) => self.agent.get(url).call(),
            ("DELETE", _) => self.agent.delete(url).call(),
            (_, body) => self
                .agent
                .post(url)
                .header("content-type", "application/json")
                .send(body.unwrap_or(json!({})).to_string()),
        };
        let mut response = response.map_err(|e| e.to_string())?;
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            return Err(format!("{error}: {}", value["message"]));
        }
        Ok(value)
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("{}{path}", self.session), body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// Opens `url` and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns what it returns.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The rendered text of the first element matching a CSS selector; `None` when there is none.
    pub fn text(&self, selector: &str) -> Option<String> {
        let body = json!({ "using": "css selector", "value": selector });
        let element = self
            .call("POST", &format!("{}/element", self.session), Some(body))
            .ok()?;
        let id = element.get(ELEMENT)?.as_str()?.to_string();
        // The page may reload between the two calls; that is "no element" too.
        self.call("GET", &format!("{}/element/{id}/text", self.session), None)
            .ok()?
            .as_str()
            .map(str::to_string)
    }

    /// Saves a PNG screenshot of the window.
    pub fn screenshot(&self, path: &Path) {
        let data = self.command("GET", "/screenshot", None);
        let png = decode_base64(data.as_str().expect("base64 text"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Polls `check` until it holds or `timeout` passes.
    pub fn wait_until(&self, timeout: Duration, mut check: impl FnMut(&Browser) -> bool) -> bool {
        wait(timeout, || check(self))
    }
}

/// Interaction: elements, keys, window size, console, Chrome DevTools commands.
impl Browser {
    /// The WebDriver id of the first element matching a CSS selector.
    fn element(&self, selector: &str) -> Option<String> {
        let body = json!({ "using": "css selector", "value": selector });
        let element = self
            .call("POST", &format!("{}/element", self.session), Some(body))
            .ok()?;
        Some(element.get(ELEMENT)?.as_str()?.to_string())
    }

    fn element_or_panic(&self, selector: &str) -> String {
        self.element(selector)
            .unwrap_or_else(|| panic!("no element matches `{selector}`"))
    }

    /// Clicks the first element matching a CSS selector, as a user would (scrolled into view).
    pub fn click(&self, selector: &str) {
        let id = self.element_or_panic(selector);
        self.command("POST", &format!("/element/{id}/click"), None);
    }

    /// Types `text` into the first element matching a CSS selector; keys such as
    /// [`KEY_ENTER`] may be part of `text`.
    pub fn send_keys(&self, selector: &str, text: &str) {
        let id = self.element_or_panic(selector);
        self.command(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Runs asynchronous `script`: it ends by calling `arguments[arguments.length - 1](result)`.
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Value {
        self.command(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Resizes the window; headless Chromium's viewport then has this width.
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.command(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        );
    }

    /// The browser console's messages since the last call (`{level, message, source}`),
    /// including errors, failed loads and Content-Security-Policy violations.
    pub fn console_logs(&self) -> Vec<Value> {
        match self.command("POST", "/se/log", Some(json!({ "type": "browser" }))) {
            Value::Array(entries) => entries,
            _ => Vec::new(),
        }
    }

    /// A Chrome DevTools Protocol command, e.g. `Browser.grantPermissions`.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.command(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }
}

/// WebDriver's key codes, for [`Browser::send_keys`].
pub const KEY_ENTER: &str = "\u{E007}";
pub const KEY_ARROW_DOWN: &str = "\u{E015}";
pub const KEY_ESCAPE: &str = "\u{E00C}";

fn wait(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    check()
}

/// Standard base64 (as WebDriver sends screenshots).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(decode_base64("aGVsbG8="), b"hello");
    assert_eq!(decode_base64("aGk="), b"hi");
    assert_eq!(decode_base64("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}
