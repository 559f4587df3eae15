//! Glossary tooltips in headless Chromium, on the demo course: the pointer
//! over a term shows its definition and may move onto it; keyboard focus
//! shows it too; Escape hides it in both cases without moving either; it
//! comes back once pointer and focus have left (the definitions come from
//! the site's one definitions file); axe-core finds nothing while
//! it shows, in light and dark; the strict CSP reports nothing.

use serde_json::{Value, json};

use super::server::StaticServer;
use super::{Check, axe_source};
use crate::support::Site;

/// A demo page whose text uses several glossary terms.
const PAGE: &str = "/session_compute/vm_sizes/";

impl Check {
    /// Whether the first term's definition is shown (laid out, with a size).
    fn tip_shown(&self) -> bool {
        self.js("var t = document.querySelector('.glossary-tip');
             if (!t) return false;
             var r = t.getBoundingClientRect();
             return getComputedStyle(t).display !== 'none' && r.width > 0 && r.height > 0")
            == Value::Bool(true)
    }

    /// Centre of the first element matching `selector`, in viewport pixels.
    fn centre_of(&self, selector: &str) -> (f64, f64) {
        let r = self.browser.execute(
            "var e = document.querySelector(arguments[0]);
             e.scrollIntoView({block: 'center'});
             var r = e.getBoundingClientRect();
             return [r.left + r.width / 2, r.top + r.height / 2]",
            &[json!(selector)],
        );
        (r[0].as_f64().unwrap_or(0.0), r[1].as_f64().unwrap_or(0.0))
    }

    /// Moves the real mouse pointer (not a synthetic DOM event).
    fn pointer_to(&self, (x, y): (f64, f64)) {
        self.browser.cdp(
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseMoved", "x": x, "y": y }),
        );
    }

    /// Presses a key as the keyboard does, to the focused element.
    fn press(&self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.browser.cdp(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code }),
            );
        }
    }

    fn settle(&self) {
        self.js("return 1");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn glossary_tooltips_by_mouse_and_keyboard() {
    let site = Site::demo();
    site.build_ok();
    let server = StaticServer::start(site.path().join("public"));
    let Some(mut t) = Check::start(&server) else {
        return;
    };
    t.open(PAGE);
    assert!(
        !t.tip_shown(),
        "a definition shows before anything points at it"
    );

    // Mouse: hover shows it, the pointer may move onto it, Escape hides it.
    let term = t.centre_of(".glossary-term");
    t.pointer_to(term);
    t.settle();
    assert!(
        t.tip_shown(),
        "hovering the term does not show its definition"
    );
    let tip = t.js(
        "var r = document.querySelector('.glossary-tip').getBoundingClientRect();
         return [r.left + 8, r.top + 4]",
    );
    t.pointer_to((tip[0].as_f64().unwrap(), tip[1].as_f64().unwrap()));
    t.settle();
    assert!(
        t.tip_shown(),
        "the definition goes away when the pointer moves onto it"
    );
    t.press("Escape", 27);
    t.settle();
    assert!(
        !t.tip_shown(),
        "Escape does not hide the definition shown by hover"
    );
    t.pointer_to((1.0, 1.0));
    t.settle();
    t.pointer_to(term);
    t.settle();
    assert!(
        t.tip_shown(),
        "after Escape and leaving, hovering again does not show it"
    );
    t.pointer_to((1.0, 1.0));
    t.settle();
    assert!(
        !t.tip_shown(),
        "the definition stays after the pointer left"
    );

    // Keyboard: Tab from the element before the term focuses it.
    t.js(
        "var links = Array.from(document.querySelectorAll('main a, main button'));
          var i = links.indexOf(document.querySelector('.glossary-term'));
          var before = links[i - 1] || document.body;
          before.setAttribute('tabindex', '-1');
          before.focus()",
    );
    t.press("Tab", 9);
    t.settle();
    assert_eq!(
        t.js("return document.activeElement.className"),
        json!("glossary-term"),
        "Tab did not reach the term"
    );
    assert!(t.tip_shown(), "keyboard focus does not show the definition");
    let described = t.js("var a = document.activeElement;
         return document.getElementById(a.getAttribute('aria-describedby')).textContent");
    assert!(
        described.as_str().is_some_and(|d| d.len() > 20),
        "{described}"
    );
    if let Some(axe) = axe_source() {
        for theme in ["light", "dark"] {
            t.js(&format!(
                "document.documentElement.setAttribute('data-theme', '{theme}')"
            ));
            let v = t.run_axe(&axe);
            assert!(
                v.is_empty(),
                "axe-core with the definition shown ({theme}):\n{}",
                v.join("\n")
            );
        }
    }
    t.press("Escape", 27);
    t.settle();
    assert!(
        !t.tip_shown(),
        "Escape does not hide the definition shown by focus"
    );
    assert_eq!(
        t.js("return document.activeElement.className"),
        json!("glossary-term")
    );
    t.press("Tab", 9);
    t.press("Tab", 9);
    t.js("document.querySelector('.glossary-term').focus()");
    t.settle();
    assert!(
        t.tip_shown(),
        "after Escape and leaving, focusing again does not show it"
    );

    t.collect_console();
    assert!(t.console.is_empty(), "console:\n{}", t.console.join("\n"));
}
