//! The MathML allowlist: every formula's MathML passes through [`allowlisted`]
//! before it reaches a page, whatever TeX command produced it.
//!
//! In: the markup pulldown-latex wrote for one formula. Out: the same tree
//! written again by us, holding only MathML elements of
//! [`super::sanitize::MATHML_TAGS`] and attributes of
//! [`super::sanitize::MATHML_ATTRIBUTES`] (plus `class`, and `style` in
//! trusted mode), with every piece of text escaped, or an error naming the
//! first thing outside the list. The input is read the way a browser's HTML
//! tokenizer reads it (a `<` not followed by a letter is text), so what we
//! check is what a browser would build; and since the output is written by
//! this module, not copied, nothing it did not check can reach the page.
//!
//! A small validator rather than ammonia: the input is one formula from a
//! known writer, so a linear scan suffices, costs no DOM per formula, and
//! can fail closed on anything unexpected (ammonia would keep `<img>` and
//! other HTML that the page-level allowlist allows inside `<mi>`).

use super::sanitize::{MATHML_ATTRIBUTES, MATHML_TAGS};

/// Whether `style` attributes (colours from `\color`, negative spaces) stay:
/// yes in trusted mode, no in safe mode (as for raw HTML, whose `style`
/// attributes safe mode removes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Styles {
    Keep,
    Drop,
}

/// Why a formula's markup was not kept.
#[derive(Debug, PartialEq)]
pub(super) enum Rejected {
    /// An element, attribute or construct outside the allowlist.
    Markup(String),
    /// Allowlisted elements, but not a tree: pulldown-latex left an element
    /// unclosed or closed one twice (it does for some invalid TeX).
    Unbalanced(String),
}

#[cfg(test)]
impl Rejected {
    fn what(&self) -> &str {
        match self {
            Rejected::Markup(w) | Rejected::Unbalanced(w) => w,
        }
    }
}

/// Writes the formula again with only allowlisted elements and attributes;
/// `Err` names the first element, attribute or construct outside the list.
pub(super) fn allowlisted(html: &str, styles: Styles) -> Result<String, Rejected> {
    let mut w = Writer {
        src: html,
        i: 0,
        out: String::with_capacity(html.len() + 64),
        open: Vec::new(),
        root_done: false,
        styles,
    };
    while w.i < html.len() {
        w.step()?;
    }
    if !w.root_done || !w.open.is_empty() {
        return Err(Rejected::Unbalanced("unclosed elements".into()));
    }
    Ok(w.out)
}

struct Writer<'a> {
    src: &'a str,
    i: usize,
    out: String,
    /// Open elements, innermost last.
    open: Vec<&'a str>,
    /// Whether the root `<math>` has been closed: nothing may follow it.
    root_done: bool,
    styles: Styles,
}

impl<'a> Writer<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.src.as_bytes()[self.i..]
    }

    fn step(&mut self) -> Result<(), Rejected> {
        let rest = self.rest();
        match rest {
            [b'<', c, ..] if c.is_ascii_alphabetic() => self.start_tag(),
            [b'<', b'/', c, ..] if c.is_ascii_alphabetic() => self.end_tag(),
            // Comments, CDATA, processing instructions and bogus comments.
            [b'<', b'!' | b'?' | b'/', ..] => {
                Err(Rejected::Markup("a comment or markup declaration".into()))
            }
            _ => self.text(),
        }
    }

    /// One character of text (a character reference counts as one), escaped.
    fn text(&mut self) -> Result<(), Rejected> {
        if self.open.is_empty() {
            return Err(Rejected::Markup("text outside <math>".into()));
        }
        let rest = &self.src[self.i..];
        let (c, len) = match rest.as_bytes()[0] {
            b'&' => char_reference(rest).unwrap_or(('&', 1)),
            _ => {
                let c = rest.chars().next().unwrap_or('\u{FFFD}');
                (c, c.len_utf8())
            }
        };
        self.i += len;
        match c {
            '<' => self.out.push_str("&lt;"),
            '>' => self.out.push_str("&gt;"),
            '&' => self.out.push_str("&amp;"),
            '\0' => self.out.push('\u{FFFD}'),
            c => self.out.push(c),
        }
        Ok(())
    }

    /// A name of ASCII lower-case letters, as pulldown-latex writes them.
    fn name(&mut self) -> Result<&'a str, Rejected> {
        let rest = self.rest();
        let len = rest
            .iter()
            .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>' | b'='))
            .count();
        let name = &self.src[self.i..self.i + len];
        if name.is_empty() || !name.bytes().all(|c| c.is_ascii_lowercase() || c == b'-') {
            return Err(Rejected::Markup(format!(
                "the name `{}`",
                name.escape_debug()
            )));
        }
        self.i += len;
        Ok(name)
    }

    fn skip_space(&mut self) {
        while self.rest().first().is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn start_tag(&mut self) -> Result<(), Rejected> {
        self.i += 1;
        let name = self.name()?;
        let allowed = MATHML_TAGS.contains(&name)
            && (name == "math") == self.open.is_empty()
            && !self.root_done;
        if !allowed {
            return Err(Rejected::Markup(format!("<{name}>")));
        }
        self.out.push('<');
        self.out.push_str(name);
        let mut seen: Vec<&str> = Vec::new();
        loop {
            self.skip_space();
            match self.rest() {
                [b'>', ..] => {
                    self.i += 1;
                    self.out.push('>');
                    self.open.push(name);
                    return Ok(());
                }
                [b'/', b'>', ..] => {
                    self.i += 2;
                    self.out.push_str("></");
                    self.out.push_str(name);
                    self.out.push('>');
                    return self.closed();
                }
                [] => return Err(Rejected::Markup(format!("an unfinished <{name}> tag"))),
                _ => {}
            }
            let (attribute, value) = self.attribute(name)?;
            if seen.contains(&attribute) {
                return Err(Rejected::Markup(format!(
                    "a repeated `{attribute}` on <{name}>"
                )));
            }
            seen.push(attribute);
            if attribute == "style" && self.styles == Styles::Drop {
                continue;
            }
            self.out.push(' ');
            self.out.push_str(attribute);
            self.out.push_str("=\"");
            self.out.push_str(value);
            self.out.push('"');
        }
    }

    /// One `name="value"` pair, checked against the allowlist.
    fn attribute(&mut self, element: &str) -> Result<(&'a str, &'a str), Rejected> {
        let attribute = self.name()?;
        if !self.rest().starts_with(b"=\"") {
            return Err(Rejected::Markup(format!(
                "`{attribute}` without a quoted value on <{element}>"
            )));
        }
        self.i += 2;
        let len = self.rest().iter().position(|c| *c == b'"').ok_or_else(|| {
            Rejected::Markup(format!("an unfinished `{attribute}` on <{element}>"))
        })?;
        let value = &self.src[self.i..self.i + len];
        self.i += len + 1;
        if !attribute_allowed(element, attribute, value) {
            return Err(Rejected::Markup(format!(
                "`{attribute}=\"{}\"` on <{element}>",
                value.escape_debug()
            )));
        }
        Ok((attribute, value))
    }

    fn end_tag(&mut self) -> Result<(), Rejected> {
        self.i += 2;
        let name = self.name()?;
        self.skip_space();
        if !self.rest().starts_with(b">") {
            return Err(Rejected::Markup(format!("an unfinished </{name}> tag")));
        }
        self.i += 1;
        if self.open.last() != Some(&name) {
            return Err(Rejected::Unbalanced(format!(
                "</{name}> that closes nothing open"
            )));
        }
        self.open.pop();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.closed()
    }

    /// After an element closed: closing the root ends the formula.
    fn closed(&mut self) -> Result<(), Rejected> {
        if self.open.is_empty() {
            self.root_done = true;
        }
        Ok(())
    }
}

/// Whether an attribute may stay: MathML's presentation attributes with
/// plain values (numbers, lengths, keywords, colours), `class`, `style`.
fn attribute_allowed(element: &str, attribute: &str, value: &str) -> bool {
    let plain = value
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b" .,:;()#%+-_".contains(&c));
    match attribute {
        "display" => element == "math" && matches!(value, "block" | "inline"),
        "encoding" => element == "annotation" && value == "application/x-tex",
        "class" | "style" => plain,
        _ => MATHML_ATTRIBUTES.contains(&attribute) && plain,
    }
}

/// A character reference at the start of `text` (`&amp;`, `&#60;`, `&#x3C;` …):
/// the character and the reference's length. `None`: a lone `&`.
fn char_reference(text: &str) -> Option<(char, usize)> {
    let end = text.as_bytes().iter().take(12).position(|c| *c == b';')?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)
                .filter(|c| *c != '\0')
                .unwrap_or('\u{FFFD}')
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(html: &str) -> Result<String, Rejected> {
        allowlisted(html, Styles::Keep)
    }

    #[test]
    fn keeps_what_pulldown_latex_writes() {
        let html = "<math display=\"block\"><semantics><mrow><mfrac linethickness=\"0.1em\"><mi>a</mi><mn>2</mn></mfrac><mo symmetric=\"false\" stretchy=\"false\">(</mo><mtext>&nbsp;if&nbsp;</mtext><mtable class=\"menv-arraylike\"><mtr><mtd class=\"cell-left\"><mi mathvariant=\"normal\">x</mi></mtd></mtr></mtable></mrow><annotation encoding=\"application/x-tex\">\\frac{a}{2} &lt; b</annotation></semantics></math>";
        let want = html.replace("&nbsp;", "\u{A0}");
        assert_eq!(keep(html).as_deref(), Ok(want.as_str()));
    }

    #[test]
    fn writes_again_what_a_browser_reads() {
        // `<` before `<` is text to a browser; `&` not starting a reference is text.
        assert_eq!(
            keep("<math><mo><</mo><mi>&</mi><mo>></mo><mi>a&amp;b</mi></math>").as_deref(),
            Ok("<math><mo>&lt;</mo><mi>&amp;</mi><mo>&gt;</mo><mi>a&amp;b</mi></math>")
        );
        // A missing space between attributes, and a self-closed element.
        assert_eq!(
            keep(
                "<math><mo stretchy=\"true\"minsize=\"1.2em\">(</mo><mspace width=\"1em\" /></math>"
            )
            .as_deref(),
            Ok(
                "<math><mo stretchy=\"true\" minsize=\"1.2em\">(</mo><mspace width=\"1em\"></mspace></math>"
            )
        );
        assert_eq!(
            keep("<math><mi>&#60;img&#x3e;</mi></math>").as_deref(),
            Ok("<math><mi>&lt;img&gt;</mi></math>")
        );
    }

    #[test]
    fn styles_stay_only_in_trusted_mode() {
        let html = "<math><mrow style=\"color: rgb(255 0 0)\"><mi>x</mi></mrow></math>";
        assert_eq!(keep(html).as_deref(), Ok(html));
        assert_eq!(
            allowlisted(html, Styles::Drop).as_deref(),
            Ok("<math><mrow><mi>x</mi></mrow></math>")
        );
    }

    #[test]
    fn refuses_everything_else() {
        let cases = [
            (
                "<math><mi><img src=x onerror=alert(1)></mi></math>",
                "<img>",
            ),
            ("<math><mi onclick=\"alert(1)\">x</mi></math>", "onclick"),
            (
                "<math><mi href=\"javascript:alert(1)\">x</mi></math>",
                "href",
            ),
            (
                "<math><mi><script>alert(1)</script></mi></math>",
                "<script>",
            ),
            ("<math><mtext><svg onload=alert(1)></mtext></math>", "<svg>"),
            (
                "<math><annotation-xml encoding=\"text/html\"></annotation-xml></math>",
                "annotation-xml",
            ),
            (
                "<math><annotation encoding=\"text/html\">x</annotation></math>",
                "encoding",
            ),
            ("<math><mi><!--x--></mi></math>", "comment"),
            ("<math><mi><![CDATA[x]]></mi></math>", "comment"),
            ("<math><mi></mo></mi></math>", "closes nothing"),
            ("<math><mi>x</mi>", "unclosed"),
            ("<math></math><img src=x onerror=alert(1)>", "<img>"),
            ("<math></math>after", "outside"),
            ("x<math></math>", "outside"),
            ("<math><math></math></math>", "<math>"),
            ("<mi>x</mi>", "<mi>"),
            (
                "<math><mi class=\"a\" class=\"b\">x</mi></math>",
                "repeated",
            ),
            ("<math><mi class='a'>x</mi></math>", "quoted"),
            ("<math><mi class=\"a\"b\">x</mi></math>", "the name"),
            (
                "<math><mi style=\"x:url(&quot;j&quot;)\">x</mi></math>",
                "style",
            ),
            ("<math><MI>x</MI></math>", "the name"),
            ("<math><mi", "unfinished"),
            ("<math><mi width=\"1\"", "unfinished"),
        ];
        for (html, want) in cases {
            match keep(html) {
                Ok(out) => panic!("{html} was kept as {out}"),
                Err(e) => assert!(e.what().contains(want), "{html}: {e:?}"),
            }
        }
    }

    #[test]
    fn character_references() {
        assert_eq!(char_reference("&lt;x"), Some(('<', 4)));
        assert_eq!(char_reference("&#X3C;"), Some(('<', 6)));
        assert_eq!(char_reference("&#0;"), Some(('\u{FFFD}', 4)));
        assert_eq!(char_reference("&#x110000;"), Some(('\u{FFFD}', 10)));
        assert_eq!(char_reference("&copy;"), None);
        assert_eq!(char_reference("& b;"), None);
        assert_eq!(char_reference("&"), None);
    }
}
