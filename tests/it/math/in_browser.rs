//! The math payload pages in headless Chromium, with `alert`, `confirm`,
//! `prompt` and `print` replaced before any script of the page runs: no
//! payload may call them, in safe or in trusted mode. Pages are opened from
//! the file system, with no Content-Security-Policy to help. A control page
//! of raw HTML (trusted mode) shows that the hook sees a payload that runs.

use serde_json::{Value, json};

use super::payload_site;
use crate::browser::Browser;
use crate::support::Site;

/// Runs before the page's own scripts, in every document of the tab.
const HOOK: &str = "(() => {
  const fired = [];
  window.__fired = fired;
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (message) => {
      fired.push(name + '(' + message + ')');
      console.error('payload ran: ' + name + '(' + message + ')');
    };
  }
})();";

/// Opens a built page; returns what it called and how many `<math>` elements it has.
fn open(browser: &Browser, site: &Site, rel: &str) -> (Vec<String>, u64) {
    let url = format!("file://{}", site.path().join(rel).display());
    browser.goto(&url);
    // Image errors fire before the load event, so `complete` means they ran.
    let loaded = browser.wait_until(std::time::Duration::from_secs(20), |b| {
        b.execute("return document.readyState === 'complete'", &[]) == Value::Bool(true)
    });
    assert!(loaded, "{rel} did not load");
    let state = browser.execute(
        "return [window.__fired || ['no hook'], document.querySelectorAll('math').length]",
        &[],
    );
    let fired = state[0]
        .as_array()
        .map(|a| a.iter().map(|v| v.to_string()).collect())
        .unwrap_or_default();
    (fired, state[1].as_u64().unwrap_or(0))
}

fn assert_nothing_runs(browser: &Browser, site: &Site, pages: &[String], mode: &str) {
    let mut math = 0;
    for rel in pages {
        let (fired, count) = open(browser, site, rel);
        assert!(fired.is_empty(), "{mode} mode, {rel}: {fired:?}");
        math += count;
    }
    let ran: Vec<String> = browser
        .console_logs()
        .iter()
        .filter_map(|e| e["message"].as_str())
        .filter(|m| m.contains("payload ran"))
        .map(str::to_string)
        .collect();
    assert!(ran.is_empty(), "{mode} mode: {ran:?}");
    assert!(math > 5000, "{mode} mode: only {math} formulas rendered");
    eprintln!(
        "{mode} mode: {} pages, {math} formulas, no payload ran",
        pages.len()
    );
}

#[test]
fn no_math_payload_runs_in_chromium() {
    let (safe, safe_pages) =
        payload_site("title = \"Math\"\n[markdown]\nunsafe_html = false\nmath = true\n");
    let (trusted, trusted_pages) =
        payload_site("title = \"Math\"\n[markdown]\nunsafe_html = true\nmath = true\n");
    trusted.file(
        "content/control.md",
        "# Control\n\n<img src=x onerror=\"alert('control')\">\n",
    );
    safe.build_ok();
    trusted.build_ok();
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": HOOK }),
    );
    let (fired, _) = open(&browser, &trusted, "public/control/index.html");
    assert_eq!(
        fired,
        ["\"alert(control)\""],
        "the hook sees a payload that runs"
    );
    browser.console_logs();
    assert_nothing_runs(&browser, &safe, &safe_pages, "safe");
    assert_nothing_runs(&browser, &trusted, &trusted_pages, "trusted");
}
