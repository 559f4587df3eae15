//! `syllabus.toml` → [`Config`].
//!
//! The file is read as a TOML table first so that unknown keys can be reported
//! with the closest known key; then it is deserialised into typed settings.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{self, Diagnostic};

pub const FILE_NAME: &str = "syllabus.toml";

/// The site configuration, with every default filled in.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL of the site (`https://example.org/course/`) or a path (`/`).
    pub base_url: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub content_dir: PathBuf,
    pub repo_url: Option<String>,
    pub branch: String,
    pub language: String,
    pub markdown: MarkdownConfig,
    pub highlight: HighlightConfig,
    pub links: LinksConfig,
    pub search: SearchConfig,
    /// `[azure]`: `staticwebapp.config.json` settings and the quotas to check.
    pub azure: crate::model::azure::AzureConfig,
    pub extra: toml::Table,
    /// An explicit navigation (MkDocs-style); `None`: sections and pages in weight and name order.
    pub nav: Option<Vec<NavEntry>>,
}

/// One entry of an explicit `nav`: a page (`"x.md"` or `{ title, page }`),
/// an external link (`{ title, url }`) or a group (`{ title, children = [...] }`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum NavEntry {
    Page(String),
    Entry(NavTable),
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NavTable {
    pub title: Option<String>,
    /// A page, relative to the content folder.
    pub page: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    pub children: Vec<NavEntry>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Course".into(),
            description: String::new(),
            base_url: "/".into(),
            theme: "default".into(),
            output_dir: "public".into(),
            content_dir: "content".into(),
            repo_url: None,
            branch: "main".into(),
            language: "en".into(),
            markdown: MarkdownConfig::default(),
            highlight: HighlightConfig::default(),
            links: LinksConfig::default(),
            search: SearchConfig::default(),
            azure: crate::model::azure::AzureConfig::default(),
            extra: toml::Table::new(),
            nav: None,
        }
    }
}

#[derive(Debug, Clone, Hash, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// Raw HTML in Markdown is passed through; `false` sanitises it.
    pub unsafe_html: bool,
    /// `$…$` and `$$…$$` rendered to MathML.
    pub math: bool,
    /// Bare URLs become links, as on GitHub.
    pub autolink: bool,
    /// Python-Markdown attribute lists (`{#id .class key=value}`) on headings, images
    /// and links, as MkDocs' `attr_list`; off by default because GitHub shows them as text.
    pub attributes: bool,
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_html: true,
            math: true,
            autolink: true,
            attributes: false,
            smart_punctuation: false,
        }
    }
}

#[derive(Debug, Clone, Hash, Deserialize, Serialize)]
#[serde(default)]
pub struct HighlightConfig {
    pub enabled: bool,
    pub light_theme: String,
    pub dark_theme: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            enabled: true,
            light_theme: "Coldark-Cold".into(),
            dark_theme: "Coldark-Dark".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LinksConfig {
    pub broken: BrokenLinks,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SearchConfig {
    pub enabled: bool,
    /// Code blocks are searchable too (inline code always is).
    pub code: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            code: false,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "theme",
    "output_dir",
    "content_dir",
    "repo_url",
    "branch",
    "language",
    "markdown",
    "highlight",
    "links",
    "search",
    "azure",
    "extra",
    "nav",
];
const TABLE_KEYS: &[(&str, &[&str])] = &[
    (
        "markdown",
        &[
            "unsafe_html",
            "math",
            "autolink",
            "attributes",
            "smart_punctuation",
        ],
    ),
    ("highlight", &["enabled", "light_theme", "dark_theme"]),
    ("links", &["broken"]),
    ("search", &["enabled", "code"]),
    ("azure", crate::model::azure::KEYS),
];

impl Config {
    /// Reads `syllabus.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![
                    Diagnostic::error(
                        FILE_NAME,
                        format!("no `{FILE_NAME}` in `{}`", root.display()),
                    )
                    .with_help("run `syllabus init` to create a course here, or pass `--root DIR`"),
                ]);
            }
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    FILE_NAME,
                    format!("cannot read: {e}"),
                )]);
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of `syllabus.toml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| vec![toml_error(FILE_NAME, text, &e)])?;
        let mut problems = unknown_keys(&table, text);
        if !problems.is_empty() {
            return Err(std::mem::take(&mut problems));
        }
        let config: Config =
            toml::from_str(text).map_err(|e| vec![toml_error(FILE_NAME, text, &e)])?;
        config.validate(text).map_err(|d| vec![d])?;
        Ok(config)
    }

    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let url = self.base_url.trim();
        let ok = url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://");
        if !ok {
            let line = key_line(text, "base_url");
            return Err(Diagnostic::error(FILE_NAME, format!("`base_url = \"{url}\"` is neither a URL nor a path"))
                .at(line, 0)
                .with_help("write an absolute URL such as `https://example.org/course/`, or a path such as `/`"));
        }
        Ok(())
    }

    /// The path part of `base_url`, always with leading and trailing `/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(i) => url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]),
            None => url,
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` without its trailing slash, for absolute links (feeds, canonical URLs).
    pub fn site_origin_url(&self) -> String {
        self.base_url.trim().trim_end_matches('/').to_string()
    }
}

fn unknown_keys(table: &toml::Table, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, value) in table {
        if !TOP_KEYS.contains(&key.as_str()) {
            out.push(unknown_key(key, TOP_KEYS, text, ""));
            continue;
        }
        if key == "nav" {
            nav_keys(value, text, &mut out);
            continue;
        }
        let Some((_, known)) = TABLE_KEYS.iter().find(|(t, _)| t == key) else {
            continue;
        };
        if let Some(inner) = value.as_table() {
            for sub in inner.keys() {
                if !known.contains(&sub.as_str()) {
                    out.push(unknown_key(sub, known, text, key));
                }
            }
        }
    }
    out
}

const NAV_KEYS: &[&str] = &["title", "page", "url", "children"];

/// Checks the keys of `nav` entries at every depth.
fn nav_keys(value: &toml::Value, text: &str, out: &mut Vec<Diagnostic>) {
    let Some(items) = value.as_array() else {
        out.push(
            Diagnostic::error(FILE_NAME, "`nav` must be a list of entries")
                .at(key_line(text, "nav"), 0)
                .with_help("write `nav = [\"index.md\", { title = \"Session 1\", page = \"s1/index.md\" }]`"),
        );
        return;
    };
    for item in items {
        match item {
            toml::Value::String(_) => {}
            toml::Value::Table(t) => {
                for k in t.keys().filter(|k| !NAV_KEYS.contains(&k.as_str())) {
                    out.push(unknown_key(k, NAV_KEYS, text, "nav"));
                }
                if let Some(children) = t.get("children") {
                    nav_keys(children, text, out);
                }
            }
            other => out.push(
                Diagnostic::error(
                    FILE_NAME,
                    format!("`nav` entry `{other}` is neither a page path nor a table"),
                )
                .at(key_line(text, "nav"), 0)
                .with_help(
                    "write a page as \"s1/index.md\" or { title = \"…\", page = \"s1/index.md\" }",
                ),
            ),
        }
    }
}

fn unknown_key(key: &str, known: &[&str], text: &str, table: &str) -> Diagnostic {
    let place = if table.is_empty() {
        String::new()
    } else {
        format!(" in `[{table}]`")
    };
    let help = match diagnostics::closest(key, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known keys{place}: {}", known.join(", ")),
    };
    Diagnostic::error(FILE_NAME, format!("unknown key `{key}`{place}"))
        .at(key_line(text, key), 0)
        .with_help(help)
}

/// The line where `key` is assigned or opens a table; 0 when it cannot be found.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let header = l.trim_start_matches('[').trim_start();
            (l.starts_with(key) && l[key.len()..].trim_start().starts_with('='))
                || (l.starts_with('[')
                    && header.starts_with(key)
                    && header[key.len()..].trim_start().starts_with(']'))
        })
        .map_or(0, |i| i + 1)
}

/// Turns a TOML error into a diagnostic at its line and column.
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col) = e
        .span()
        .map_or((0, 0), |s| diagnostics::line_col(text, s.start));
    Diagnostic::error(file, format!("invalid TOML: {}", e.message())).at(line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_path() {
        let c = Config::parse("title = \"X\"\nbase_url = \"https://example.org/course\"").unwrap();
        assert_eq!(c.base_path(), "/course/");
        assert_eq!(c.theme, "default");
        assert_eq!(Config::parse("").unwrap().base_path(), "/");
    }

    #[test]
    fn unknown_key_names_closest() {
        let errs = Config::parse("title = \"X\"\ntheem = \"dark\"\n").unwrap_err();
        assert_eq!(errs[0].message, "unknown key `theem`");
        assert_eq!(errs[0].line, 2);
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `theme`?"));
        let errs = Config::parse("[markdown]\nunsafe_htm = true\n").unwrap_err();
        assert_eq!(errs[0].message, "unknown key `unsafe_htm` in `[markdown]`");
        assert_eq!(errs[0].line, 2);
    }

    #[test]
    fn syntax_error_has_position() {
        let errs = Config::parse("title = \"X\"\nbase_url = \n").unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(errs[0].message.starts_with("invalid TOML"));
    }
}
