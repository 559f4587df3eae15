//! Fenced code → HTML with CSS classes, and the stylesheet for them.
//!
//! syntect parses each line once; the light and the dark theme each give every
//! token a style, and a token's span carries one short class per theme
//! (`hl-d73a49 hd-ff7b72`, plus `hl-b`/`hl-i`/`hl-u` for font styles). The
//! stylesheet maps those classes to colours, the dark ones under
//! `[data-theme=dark]` and `prefers-color-scheme: dark`. This keeps pages
//! several times smaller than one span per syntax scope.
//!
//! The syntax set and themes are deserialised from their precompiled dumps on
//! first use only, so a site without code never pays for them.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};

use syntect::highlighting::{Color, FontStyle, Highlighter as SyntectHighlighter, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::highlight_cache::{BlockCache, Lines};
use crate::model::config::HighlightConfig;
use crate::util::html::{escape, push_escaped};

/// Aliases authors write that the syntax set does not know by that token.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("shell-session", "bash"),
    ("zsh", "bash"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("dockerfile", "Dockerfile"),
    ("docker", "Dockerfile"),
    ("terraform", "tf"),
    ("hcl", "tf"),
    ("jsonc", "json"),
    ("yml", "yaml"),
    ("py", "python"),
    ("python3", "python"),
    ("ipython", "python"),
    ("ipython3", "python"),
    ("ts", "typescript"),
    ("js", "javascript"),
    ("golang", "go"),
    ("rs", "rust"),
    ("md", "markdown"),
    ("patch", "diff"),
    ("r", "R"),
    ("ps1", "powershell"),
    ("pwsh", "powershell"),
    ("ps", "powershell"),
    // No Bicep grammar is published in a crate; TypeScript's highlights its
    // comments, single-quoted strings, `${}` interpolation and braces.
    ("bicep", "typescript"),
    // Plain text under the names MkDocs (Pygments) and GitHub accept for it.
    ("text", "txt"),
    ("plaintext", "txt"),
    ("plain", "txt"),
    // What a command printed, as Carpentries lessons mark it (the Workbench's
    // knitr output classes), and their `source` (a file's text in no one
    // language): text, not a language to warn about.
    ("output", "txt"),
    ("error", "txt"),
    ("warning", "txt"),
    ("source", "txt"),
    // Kusto (Azure Monitor, Application Insights) has no published grammar;
    // SQL's highlights its keywords, strings, numbers and comments.
    ("kql", "sql"),
    ("kusto", "sql"),
];

/// Highlights code blocks; shared by all rendering threads.
#[derive(Debug)]
pub struct Highlighter {
    config: HighlightConfig,
    syntaxes: OnceLock<SyntaxSet>,
    themes: OnceLock<Result<(Theme, Theme), String>>,
    styles: StyleCache,
    blocks: BlockCache,
    /// Only tell known from unknown languages (for `check`, which writes no HTML).
    validate_only: bool,
}

/// A block's highlighted lines, or why it stayed plain.
pub enum Highlighted {
    /// One HTML fragment per source line, every span closed within its line.
    Lines(Lines),
    /// Plain, escaped lines; `unknown` names a language nobody could highlight.
    Plain {
        lines: Vec<String>,
        unknown: Option<String>,
    },
}

fn find_theme(name: &str) -> Result<Theme, String> {
    let names = two_face::theme::EmbeddedLazyThemeSet::theme_names();
    let found = names
        .iter()
        .find(|t| t.as_name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let all: Vec<&str> = names.iter().map(|t| t.as_name()).collect();
            format!(
                "unknown highlight theme `{name}`; known themes: {}",
                all.join(", ")
            )
        })?;
    Ok(two_face::theme::extra().get(*found).clone())
}

impl Highlighter {
    /// The settings this highlighter was made with.
    pub fn config(&self) -> &HighlightConfig {
        &self.config
    }

    /// A highlighter; `cache` is the file of the block cache, `None` for no cache.
    pub fn new(config: &HighlightConfig, cache: Option<PathBuf>) -> Highlighter {
        Highlighter {
            config: config.clone(),
            syntaxes: OnceLock::new(),
            themes: OnceLock::new(),
            styles: StyleCache::default(),
            blocks: BlockCache::new(cache),
            validate_only: false,
        }
    }

    /// A highlighter for `check`: languages are looked up (unknown ones are
    /// reported) but nothing is highlighted, which is most of a build's work.
    pub fn validating(config: &HighlightConfig) -> Highlighter {
        Highlighter {
            validate_only: true,
            ..Highlighter::new(config, None)
        }
    }

    /// Whether the configured themes exist (what [`Highlighter::stylesheet`] needs).
    pub fn check_themes(&self) -> Result<(), String> {
        self.themes().as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn themes(&self) -> &Result<(Theme, Theme), String> {
        self.themes.get_or_init(|| {
            Ok((
                find_theme(&self.config.light_theme)?,
                find_theme(&self.config.dark_theme)?,
            ))
        })
    }

    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let ss = self.syntaxes();
        let lower = lang.to_ascii_lowercase();
        let token = ALIASES
            .iter()
            .find(|(a, _)| *a == lower)
            .map_or(lang, |(_, t)| *t);
        ss.find_syntax_by_token(token)
            .or_else(|| ss.find_syntax_by_name(token))
            .or_else(|| ss.find_syntax_by_token(&lower))
    }

    /// Highlights `code` written in `lang` (empty: no language).
    pub fn highlight(&self, lang: &str, code: &str) -> Highlighted {
        let plain = |unknown: Option<String>| Highlighted::Plain {
            lines: LinesWithEndings::from(code).map(escape).collect(),
            unknown,
        };
        if lang.is_empty() || !self.config.enabled {
            return plain(None);
        }
        let Some(syntax) = self.find(lang) else {
            return plain(Some(lang.to_string()));
        };
        if self.validate_only {
            return plain(None);
        }
        let Ok((light, dark)) = self.themes() else {
            return plain(None);
        };
        let key = BlockCache::key(
            (&self.config.light_theme, &self.config.dark_theme),
            lang,
            code,
        );
        if let Some(lines) = self.blocks.get(key) {
            return Highlighted::Lines(lines);
        }
        match self.highlight_lines(syntax, light, dark, code) {
            Some(lines) => {
                let lines = Arc::new(lines);
                self.blocks.put(key, lines.clone());
                Highlighted::Lines(lines)
            }
            None => plain(None),
        }
    }

    /// Saves the block cache (after a build that writes output).
    pub fn save_cache(&self) -> std::io::Result<()> {
        self.blocks.save()
    }

    /// The stylesheet for the classes [`Highlighter::highlight`] emits.
    pub fn stylesheet(config: &HighlightConfig) -> Result<String, String> {
        let (light, dark) = (
            find_theme(&config.light_theme)?,
            find_theme(&config.dark_theme)?,
        );
        let mut css = String::from(
            "/* Generated by syllabus from the highlight themes in syllabus.toml. */\n",
        );
        for (class, color) in theme_colors(&light) {
            let _ = writeln!(css, ".hl-{class} {{ color: {color}; }}");
        }
        css.push_str(".hl-b { font-weight: bold; }\n.hl-i { font-style: italic; }\n.hl-u { text-decoration: underline; }\n");
        let dark_rules = dark_rules(&dark);
        css.push_str(
            "/* dark: chosen with the theme toggle, or by the system when none was chosen */\n",
        );
        css.push_str(&scope_css(&dark_rules, "[data-theme=dark]"));
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&scope_css(&dark_rules, ":root:not([data-theme=light])"));
        css.push_str("}\n");
        Ok(css)
    }
}

/// Rules for the dark classes; light font styles are reset first.
fn dark_rules(dark: &Theme) -> String {
    let mut css = String::from(
        ".hl-b {\n font-weight: inherit; }\n.hl-i {\n font-style: inherit; }\n.hl-u {\n text-decoration: inherit; }\n.hd-0 {\n color: inherit; }\n",
    );
    for (class, color) in theme_colors(dark) {
        let _ = writeln!(css, ".hd-{class} {{\n color: {color}; }}");
    }
    css.push_str(".hd-b {\n font-weight: bold; }\n.hd-i {\n font-style: italic; }\n.hd-u {\n text-decoration: underline; }\n");
    css
}

/// Every foreground colour a theme's rules can give, as (class, CSS colour).
fn theme_colors(theme: &Theme) -> BTreeSet<(String, String)> {
    theme
        .scopes
        .iter()
        .filter_map(|item| item.style.foreground)
        .chain(theme.settings.foreground)
        .map(|c| (color_class(c), css_color(c)))
        .collect()
}

fn color_class(c: Color) -> String {
    if c.a == 0xFF {
        format!("{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

fn css_color(c: Color) -> String {
    format!("#{}", color_class(c))
}

/// The classes of one token: the light theme's and the dark theme's.
fn token_classes(light: Style, light_default: Color, dark: Style, dark_default: Color) -> String {
    let mut classes = String::new();
    let mut push = |prefix: &str, style: Style, default: Color| {
        if style.foreground != default {
            let _ = write!(classes, "{prefix}-{} ", color_class(style.foreground));
        } else if prefix == "hd" {
            classes.push_str("hd-0 ");
        }
        for (flag, name) in [
            (FontStyle::BOLD, "b"),
            (FontStyle::ITALIC, "i"),
            (FontStyle::UNDERLINE, "u"),
        ] {
            if style.font_style.contains(flag) {
                let _ = write!(classes, "{prefix}-{name} ");
            }
        }
    };
    push("hl", light, light_default);
    push("hd", dark, dark_default);
    let trimmed = classes.trim_end();
    if trimmed == "hd-0" {
        String::new()
    } else {
        trimmed.to_string()
    }
}

/// Token classes by scope stack: stacks repeat a great deal across a site's code,
/// and matching a stack against a theme's selectors is costly.
type StyleCache = RwLock<HashMap<Vec<Scope>, Arc<str>>>;

/// The two theme matchers, built on the first style-cache miss of a block only:
/// building them walks every rule of both themes.
struct Matchers<'t> {
    themes: (&'t Theme, &'t Theme),
    built: Option<(SyntectHighlighter<'t>, SyntectHighlighter<'t>)>,
    defaults: (Color, Color),
}

impl<'t> Matchers<'t> {
    fn new(light: &'t Theme, dark: &'t Theme) -> Matchers<'t> {
        let defaults = (
            light.settings.foreground.unwrap_or(Color::BLACK),
            dark.settings.foreground.unwrap_or(Color::WHITE),
        );
        Matchers {
            themes: (light, dark),
            built: None,
            defaults,
        }
    }

    fn classes(&mut self, cache: &StyleCache, stack: &[Scope]) -> Arc<str> {
        if let Some(c) = cache
            .read()
            .expect("no panics while holding the lock")
            .get(stack)
        {
            return c.clone();
        }
        let themes = self.themes;
        let (light, dark) = self.built.get_or_insert_with(|| {
            (
                SyntectHighlighter::new(themes.0),
                SyntectHighlighter::new(themes.1),
            )
        });
        let classes: Arc<str> = token_classes(
            light.style_for_stack(stack),
            self.defaults.0,
            dark.style_for_stack(stack),
            self.defaults.1,
        )
        .into();
        cache
            .write()
            .expect("no panics while holding the lock")
            .insert(stack.to_vec(), classes.clone());
        classes
    }
}

impl Highlighter {
    fn highlight_lines(
        &self,
        syntax: &SyntaxReference,
        light: &Theme,
        dark: &Theme,
        code: &str,
    ) -> Option<Vec<String>> {
        let ss = self.syntaxes();
        let mut matchers = Matchers::new(light, dark);
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut lines = Vec::new();
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, ss).ok()?;
            let mut out = LineWriter::new(line.len());
            let mut pos = 0;
            for (at, op) in &ops {
                let at = (*at).min(line.len());
                if at > pos {
                    out.token(
                        &line[pos..at],
                        matchers.classes(&self.styles, stack.as_slice()),
                    );
                    pos = at;
                }
                stack.apply(op).ok()?;
            }
            if pos < line.len() {
                out.token(
                    &line[pos..],
                    matchers.classes(&self.styles, stack.as_slice()),
                );
            }
            lines.push(out.finish());
        }
        Some(lines)
    }
}

/// Writes one line's tokens, merging neighbours of the same classes.
struct LineWriter {
    html: String,
    open: Option<Arc<str>>,
    newline: bool,
}

impl LineWriter {
    fn new(len: usize) -> LineWriter {
        LineWriter {
            html: String::with_capacity(len * 2),
            open: None,
            newline: false,
        }
    }

    fn token(&mut self, text: &str, classes: Arc<str>) {
        let (text, newline) = match text.strip_suffix('\n') {
            Some(t) => (t, true),
            None => (text, false),
        };
        self.newline |= newline;
        if text.is_empty() {
            return;
        }
        if self.open.as_deref() != Some(&*classes) {
            if self.open.take().is_some() {
                self.html.push_str("</span>");
            }
            if !classes.is_empty() {
                let _ = write!(self.html, "<span class=\"{classes}\">");
                self.open = Some(classes);
            }
        }
        push_escaped(&mut self.html, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        if self.newline {
            self.html.push('\n');
        }
        self.html
    }
}

/// Prefixes every selector of a flat stylesheet with `scope`.
fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut in_comment = false;
    for line in css.lines() {
        let t = line.trim();
        if in_comment || t.starts_with("/*") {
            in_comment = !t.contains("*/");
            out.push_str(line);
        } else if let Some(selectors) = t.strip_suffix('{') {
            let scoped: Vec<String> = selectors
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| format!("{scope} {s}"))
                .collect();
            out.push_str(&scoped.join(", "));
            out.push_str(" {");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_and_escapes() {
        let h = Highlighter::new(&HighlightConfig::default(), None);
        let Highlighted::Lines(lines) = h.highlight("python", "if a < b:\n    print('&')\n") else {
            panic!("python not found")
        };
        let html = lines.concat();
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(
            html.contains("&lt;") && html.contains("&amp;") && !html.contains(" < "),
            "{html}"
        );
        let Highlighted::Plain { unknown, lines } = h.highlight("cobolx", "<x>") else {
            panic!()
        };
        assert_eq!(unknown.as_deref(), Some("cobolx"));
        assert_eq!(lines, ["&lt;x&gt;"]);
    }

    /// Carpentries lessons' ```` ```output ````, ```` ```error ````, ```` ```warning ```` and
    /// ```` ```source ```` blocks are plain text that is no unknown language (so no warning).
    #[test]
    fn carpentries_output_blocks_are_plain_text() {
        let h = Highlighter::new(&HighlightConfig::default(), None);
        for lang in ["output", "error", "warning", "source", "OUTPUT"] {
            match h.highlight(lang, "a < b\n") {
                Highlighted::Lines(lines) => {
                    let html = lines.concat();
                    assert!(html.contains("a &lt; b"), "{lang}: {html}");
                }
                Highlighted::Plain { unknown, .. } => {
                    assert_eq!(unknown, None, "{lang} is taken for an unknown language")
                }
            }
        }
    }

    /// Every language a cloud course uses, by name and common alias, gets highlight spans.
    #[test]
    fn every_course_language_is_highlighted() {
        let h = Highlighter::new(&HighlightConfig::default(), None);
        let samples = [
            ("bash", "echo \"$HOME\" # home"),
            ("sh", "ls -l | grep x"),
            ("shell", "export A=1"),
            ("console", "$ az login"),
            ("python", "def f(x):\n    return x"),
            ("py", "import os"),
            ("json", "{\"a\": [1, true]}"),
            ("yaml", "a: 1\nb: [x]"),
            ("yml", "on: push"),
            ("toml", "[a]\nb = 1"),
            ("rust", "fn main() { let x = 1; }"),
            ("javascript", "const x = () => 1;"),
            ("js", "let a = 'b';"),
            ("typescript", "let x: number = 1;"),
            ("ts", "interface A { b: string }"),
            ("csharp", "public class A { }"),
            ("cs", "var x = 1;"),
            ("java", "public class A { }"),
            ("go", "func main() { fmt.Println(1) }"),
            ("sql", "SELECT a FROM t WHERE b > 1;"),
            ("dockerfile", "FROM python:3.12\nRUN pip install x"),
            ("powershell", "Get-AzVM -Name $name"),
            ("ps1", "$x = 1"),
            ("hcl", "resource \"a\" \"b\" { x = 1 }"),
            ("terraform", "variable \"x\" {}"),
            ("tf", "provider \"azurerm\" {}"),
            ("bicep", "param location string = 'eastus'"),
            ("r", "x <- c(1, 2)"),
            ("markdown", "# Title\n*em*"),
            ("html", "<p class=\"x\">a</p>"),
            ("css", "a { color: red; }"),
            ("diff", "+ added\n- removed"),
        ];
        for (lang, code) in samples {
            match h.highlight(lang, code) {
                Highlighted::Lines(lines) => {
                    let html = lines.concat();
                    assert!(
                        html.contains("<span class=\"hl-") || html.contains("<span class=\"hd-"),
                        "{lang}: {html}"
                    );
                    assert!(
                        !html.contains("<p class") && !html.contains("x <- "),
                        "{lang} not escaped: {html}"
                    );
                }
                Highlighted::Plain { .. } => panic!("{lang} was not highlighted"),
            }
        }
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let css = Highlighter::stylesheet(&HighlightConfig::default()).unwrap();
        assert!(css.contains("\n.hl-"), "{css}");
        assert!(css.contains("[data-theme=dark] .hd-"), "{css}");
        assert!(css.contains(":root:not([data-theme=light]) .hd-"));
        let bad = HighlightConfig {
            dark_theme: "nope".into(),
            ..HighlightConfig::default()
        };
        assert!(
            Highlighter::stylesheet(&bad)
                .unwrap_err()
                .contains("unknown highlight theme `nope`")
        );
    }
}
