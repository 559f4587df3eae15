//! A notebook's page in headless Chromium: its images load, axe-core finds
//! nothing serious in light and dark mode, and in safe mode no script of an
//! output runs. Dialogs are recorded by a script installed before any page
//! script, and the page's Content-Security-Policy is bypassed so that it
//! cannot hide script the build let through: the trusted build shows that the
//! check sees script that runs.

use std::time::Duration;

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::theme::axe_source;
use crate::theme::server::StaticServer;

const WAIT: Duration = Duration::from_secs(10);
const PAGE: &str = "/every/";

/// Records `alert`, `confirm` and `prompt` instead of showing them.
const HOOK: &str = "window.__dialogs = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (message) => { window.__dialogs.push(name + ': ' + message); return null; };
}";

fn open(browser: &Browser, origin: &str, path: &str) {
    browser.goto(&format!("{origin}{path}"));
    let loaded = browser.wait_until(WAIT, |b| {
        b.execute("return document.readyState === 'complete'", &[]) == Value::Bool(true)
    });
    assert!(loaded, "{path} did not load");
}

fn dialogs(browser: &Browser) -> Vec<String> {
    browser
        .execute("return window.__dialogs || []", &[])
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[test]
fn notebook_page_in_chromium() {
    let trusted = super::course("title = \"NB\"\n");
    trusted.build_ok();
    let safe = super::course("title = \"NB\"\n[markdown]\nunsafe_html = false\n");
    safe.build_ok();
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.cdp("Page.enable", json!({}));
    browser.cdp("Page.setBypassCSP", json!({ "enabled": true }));
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": HOOK }),
    );

    let server = StaticServer::start(trusted.path().join("public"));
    open(&browser, &server.origin, PAGE);
    let seen = browser.wait_until(WAIT, |b| dialogs(b).len() >= 2);
    let trusted_dialogs = dialogs(&browser);
    assert!(seen, "trusted HTML output should run: {trusted_dialogs:?}");
    assert!(
        !trusted_dialogs
            .iter()
            .any(|d| d.contains("javascript output")),
        "a JavaScript output ran: {trusted_dialogs:?}"
    );
    drop(server);

    let server = StaticServer::start(safe.path().join("public"));
    open(&browser, &server.origin, PAGE);
    images_load(&browser);
    assert_eq!(
        dialogs(&browser),
        Vec::<String>::new(),
        "script ran in safe mode"
    );
    axe(&browser, &server.origin);
    assert_eq!(
        dialogs(&browser),
        Vec::<String>::new(),
        "script ran in safe mode"
    );
}

/// Every image the notebook wrote is loaded and decoded (lazy ones scrolled to).
fn images_load(browser: &Browser) {
    let selector = format!("main img[src^='{PAGE}']");
    let count = browser
        .execute(
            "return document.querySelectorAll(arguments[0]).length",
            &[json!(selector)],
        )
        .as_u64()
        .unwrap_or(0);
    assert_eq!(count, 5, "the attachment and four output images");
    for i in 0..count {
        let loaded = browser.wait_until(WAIT, |b| {
            b.execute(
                "const img = document.querySelectorAll(arguments[0])[arguments[1]];
                 img.scrollIntoView();
                 return img.complete && img.naturalWidth > 0;",
                &[json!(selector), json!(i)],
            ) == Value::Bool(true)
        });
        let src = browser.execute(
            "return document.querySelectorAll(arguments[0])[arguments[1]].getAttribute('src')",
            &[json!(selector), json!(i)],
        );
        assert!(loaded, "image {src} did not load");
    }
}

/// axe-core finds nothing serious or critical on the page, light and dark.
fn axe(browser: &Browser, origin: &str) {
    let Some(axe) = axe_source() else {
        return;
    };
    let mut violations = Vec::new();
    for theme in ["light", "dark"] {
        browser.execute(
            "localStorage.setItem('syllabus-theme', arguments[0])",
            &[json!(theme)],
        );
        open(browser, origin, PAGE);
        browser.execute(&format!("{axe}\n;return typeof axe"), &[]);
        let result = browser.execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(
               r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .flatMap(v => v.nodes.map(n =>
                   v.id + ' (' + v.impact + ') ' + n.target.join(' ') + ': ' +
                   n.failureSummary.replace(/\\s+/g, ' ')))),
               e => done(['axe failed: ' + e]))",
            &[],
        );
        for v in result.as_array().into_iter().flatten() {
            violations.push(format!("{theme}: {}", v.as_str().unwrap_or("")));
        }
    }
    browser.execute("localStorage.removeItem('syllabus-theme')", &[]);
    assert!(
        violations.is_empty(),
        "axe-core found serious or critical problems:\n{}",
        violations.join("\n")
    );
}
