//! Terminal text (a notebook's streams, tracebacks and plain results) → HTML.
//!
//! ANSI colour and style codes become classes (`ansi-red-fg`, `ansi-bold`, as
//! nbconvert names them), so the page needs no inline style, which the
//! site's Content-Security-Policy forbids; 256-colour and 24-bit colours are
//! shown as the closest of the 16 basic ones. Other escape sequences are
//! dropped, and a carriage return rewrites its line as a terminal does
//! (progress bars keep only their last state). Long text is cut into the
//! lines shown, the lines behind a "Show more" disclosure, and a limit past
//! which the text is left out of the page (it stays in the notebook file).

use crate::diagnostics::thousands;
use crate::util::html::push_escaped;

/// Lines shown before the rest is collapsed.
pub const SHOWN_LINES: usize = 40;
/// Text longer than this (lines) is collapsed.
pub const COLLAPSE_AFTER: usize = 60;
/// Most lines of one output put in the page.
pub const MAX_LINES: usize = 5_000;
/// Most bytes of one output put in the page.
pub const MAX_BYTES: usize = 1 << 20;

const NAMES: [&str; 8] = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
];

/// The style a run of text is in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Style {
    /// 0–15: the basic colours, 8–15 the intense ones.
    fg: Option<u8>,
    bg: Option<u8>,
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Style {
    fn classes(&self) -> String {
        let mut classes = Vec::new();
        // As terminals and nbconvert do: bold brightens a basic foreground colour.
        let fg = match self.fg {
            Some(c) if self.bold && c < 8 => Some(c + 8),
            other => other,
        };
        if let Some(c) = fg {
            classes.push(colour_class(c, "fg"));
        }
        if let Some(c) = self.bg {
            classes.push(colour_class(c, "bg"));
        }
        for (on, class) in [
            (self.bold, "ansi-bold"),
            (self.italic, "ansi-italic"),
            (self.underline, "ansi-underline"),
        ] {
            if on {
                classes.push(class.to_string());
            }
        }
        classes.join(" ")
    }

    /// Applies the parameters of one `ESC [ … m` sequence.
    fn apply(&mut self, params: &str) {
        let mut codes = params
            .split([';', ':'])
            .map(|p| p.parse::<u32>().unwrap_or(0));
        while let Some(code) = codes.next() {
            match code {
                0 => *self = Style::default(),
                1 => self.bold = true,
                3 => self.italic = true,
                4 => self.underline = true,
                22 => self.bold = false,
                23 => self.italic = false,
                24 => self.underline = false,
                30..=37 => self.fg = Some((code - 30) as u8),
                39 => self.fg = None,
                40..=47 => self.bg = Some((code - 40) as u8),
                49 => self.bg = None,
                90..=97 => self.fg = Some((code - 90 + 8) as u8),
                100..=107 => self.bg = Some((code - 100 + 8) as u8),
                38 | 48 => {
                    let colour = extended(&mut codes);
                    if code == 38 {
                        self.fg = colour;
                    } else {
                        self.bg = colour;
                    }
                }
                _ => {}
            }
        }
    }
}

fn colour_class(c: u8, layer: &str) -> String {
    let name = NAMES[(c % 8) as usize];
    if c >= 8 {
        format!("ansi-{name}-intense-{layer}")
    } else {
        format!("ansi-{name}-{layer}")
    }
}

/// The colour of `38;5;n` or `38;2;r;g;b` (after the 38), as a basic colour.
fn extended(codes: &mut impl Iterator<Item = u32>) -> Option<u8> {
    match codes.next()? {
        5 => {
            let n = codes.next()?;
            Some(match n {
                0..=15 => n as u8,
                16..=231 => {
                    let n = n - 16;
                    let level = |v: u32| v * 51;
                    nearest(level(n / 36), level((n / 6) % 6), level(n % 6))
                }
                _ => {
                    let grey = 8 + (n.min(255) - 232) * 10;
                    nearest(grey, grey, grey)
                }
            })
        }
        2 => {
            let (r, g, b) = (codes.next()?, codes.next()?, codes.next()?);
            Some(nearest(r.min(255), g.min(255), b.min(255)))
        }
        _ => None,
    }
}

/// The basic colour closest to an RGB colour: the channels near the
/// brightest are on, and bright colours are the intense ones.
fn nearest(r: u32, g: u32, b: u32) -> u8 {
    let max = r.max(g).max(b);
    if max < 64 {
        return 0;
    }
    let on = |v: u32| u8::from(v * 5 >= max * 3);
    let base = on(r) | (on(g) << 1) | (on(b) << 2);
    match (base, max) {
        (7, m) if m < 100 => 8,
        (7, m) if m < 200 => 7,
        (c, m) if m >= 192 => c + 8,
        (c, _) => c,
    }
}

/// Text split into lines, each converted to HTML with its spans closed.
struct Converter {
    style: Style,
}

impl Converter {
    /// One line (without its line break) as HTML.
    fn line(&mut self, line: &str, out: &mut String) {
        // A carriage return starts the line again: keep what was written last.
        let line = match line.trim_end_matches('\r').rsplit_once('\r') {
            Some((before, after)) => {
                // The style set in the overwritten part still holds.
                self.scan(before, &mut String::new());
                after
            }
            None => line.trim_end_matches('\r'),
        };
        self.scan(line, out);
    }

    fn scan(&mut self, text: &str, out: &mut String) {
        // A span opens only before text, so style changes leave no empty spans.
        let mut open = false;
        let mut rest = text;
        loop {
            let esc = rest.find('\u{1b}').unwrap_or(rest.len());
            if esc > 0 {
                if !open {
                    open = self.open(out);
                }
                push_escaped(out, &rest[..esc]);
            }
            if esc == rest.len() {
                break;
            }
            let after = &rest[esc + 1..];
            let (len, sgr) = sequence(after);
            rest = &after[len..];
            if let Some(params) = sgr {
                let before = self.style;
                self.style.apply(params);
                if open && self.style != before {
                    out.push_str("</span>");
                    open = false;
                }
            }
        }
        if open {
            out.push_str("</span>");
        }
    }

    fn open(&self, out: &mut String) -> bool {
        let classes = self.style.classes();
        if classes.is_empty() {
            return false;
        }
        out.push_str("<span class=\"");
        out.push_str(&classes);
        out.push_str("\">");
        true
    }
}

/// The length of the escape sequence at the start of `after` (the text after
/// ESC), and its parameters when it sets colours and styles (`[…m`).
fn sequence(after: &str) -> (usize, Option<&str>) {
    let bytes = after.as_bytes();
    match bytes.first() {
        Some(b'[') => {
            // CSI: parameters and intermediates, then a final byte @–~.
            let end = bytes[1..].iter().position(|b| (0x40..=0x7e).contains(b));
            match end {
                Some(e) => {
                    let params = &after[1..1 + e];
                    let sgr = (bytes[1 + e] == b'm').then_some(params);
                    (2 + e, sgr)
                }
                None => (after.len(), None),
            }
        }
        // OSC (window titles, hyperlinks): up to BEL or ESC \.
        Some(b']') => {
            let end = after.find(['\u{7}', '\u{1b}']).map_or(after.len(), |e| {
                e + if after[e..].starts_with("\u{1b}\\") {
                    2
                } else {
                    1
                }
            });
            (end, None)
        }
        Some(_) => (after.chars().next().map_or(0, char::len_utf8), None),
        None => (0, None),
    }
}

/// Terminal text → the HTML of a `<pre>` block (with the class given), long
/// text collapsed after [`SHOWN_LINES`] and cut at [`MAX_LINES`]/[`MAX_BYTES`].
pub fn block(text: &str, class: &str) -> String {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let total = text.split('\n').count();
    let mut converter = Converter {
        style: Style::default(),
    };
    let collapse = total > COLLAPSE_AFTER;
    let mut html = format!("<pre class=\"{class}\">");
    let mut shown = 0;
    let mut bytes = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i == MAX_LINES || bytes > MAX_BYTES {
            break;
        }
        if collapse && i == SHOWN_LINES {
            html.push_str(&format!(
                "</pre>\n<details class=\"nb-more\"><summary>Show {} more lines</summary><pre class=\"{class}\">",
                thousands((total - SHOWN_LINES) as u64)
            ));
        } else if i > 0 {
            html.push('\n');
        }
        converter.line(line, &mut html);
        bytes += line.len();
        shown = i + 1;
    }
    html.push_str("</pre>");
    if collapse {
        html.push_str("</details>");
    }
    if shown < total {
        html.push_str(&format!(
            "\n<p class=\"nb-note\">{} more lines of this output are in the notebook file.</p>",
            thousands((total - shown) as u64)
        ));
    }
    html.push('\n');
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let out = block(text, "x");
        out.trim_start_matches("<pre class=\"x\">")
            .trim_end_matches("</pre>\n")
            .to_string()
    }

    #[test]
    fn colours_and_styles_become_classes() {
        assert_eq!(
            html("\u{1b}[31mred\u{1b}[0m plain <b>"),
            "<span class=\"ansi-red-fg\">red</span> plain &lt;b&gt;"
        );
        assert_eq!(
            html("\u{1b}[1;32mok\u{1b}[22m\u{1b}[44m bg\u{1b}[m"),
            "<span class=\"ansi-green-intense-fg ansi-bold\">ok</span><span class=\"ansi-green-fg ansi-blue-bg\"> bg</span>"
        );
        assert_eq!(
            html("\u{1b}[38;5;196mx\u{1b}[38;2;0;0;120my\u{1b}[0m"),
            "<span class=\"ansi-red-intense-fg\">x</span><span class=\"ansi-blue-fg\">y</span>"
        );
    }

    #[test]
    fn spans_close_at_each_line_and_reopen() {
        assert_eq!(
            html("\u{1b}[33ma\nb\u{1b}[0m\nc"),
            "<span class=\"ansi-yellow-fg\">a</span>\n<span class=\"ansi-yellow-fg\">b</span>\nc"
        );
    }

    #[test]
    fn other_sequences_are_dropped_and_carriage_returns_rewrite() {
        assert_eq!(html("\u{1b}[2K\u{1b}]0;title\u{7}a\u{1b}[1Ab"), "ab");
        assert_eq!(html(" 10%\r 50%\r100%\ndone\r\n"), "100%\ndone");
        assert_eq!(html("\u{1b}[31"), "");
    }

    #[test]
    fn long_text_is_collapsed_then_cut() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let out = block(&text, "x");
        assert!(out.contains("line 39</pre>\n<details class=\"nb-more\"><summary>Show 60 more lines</summary><pre class=\"x\">line 40\n"), "{out}");
        assert!(out.ends_with("line 99</pre></details>\n"), "{out}");
        let huge: String = (0..MAX_LINES + 10).map(|i| format!("{i}\n")).collect();
        let out = block(&huge, "x");
        assert!(
            out.contains("10 more lines of this output are in the notebook file"),
            "{out:.100}"
        );
    }
}
