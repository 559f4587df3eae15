//! `syllabus.toml` → [`Config`].
//!
//! The text is deserialised into typed settings; every key no setting reads is
//! an error at its own line and column, with the closest known key (see `keys`:
//! the key names come from the types, not from a list kept by hand).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::de::DeTable;

use crate::diagnostics::{self, Code, Diagnostic};

use crate::util::toml_keys as keys;

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
    /// `[notebooks]`: links to open a notebook's page elsewhere.
    pub notebooks: NotebooksConfig,
    pub extra: toml::Table,
    /// An explicit navigation (MkDocs-style); `None`: sections and pages in weight and name order.
    pub nav: Option<Vec<NavEntry>>,
}

/// One entry of an explicit `nav`: a page (`"x.md"` or `{ title, page }`),
/// an external link (`{ title, url }`) or a group (`{ title, children = [...] }`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum NavEntry {
    Page(String),
    Entry(NavTable),
}

/// Unknown keys in a `nav` table are reported like those of any other table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct NavTable {
    pub title: Option<String>,
    /// A page, relative to the content folder.
    pub page: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    pub children: Vec<NavEntry>,
}

/// Not derived: `#[serde(untagged)]` buffers the entry, which hides its unknown
/// keys. The struct hint carries the table's field names to the key check;
/// TOML hands over a string just as well.
impl<'de> Deserialize<'de> for NavEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("NavEntry", keys::fields_at::<NavTable>(&[]), NavVisitor)
    }
}

struct NavVisitor;

impl<'de> serde::de::Visitor<'de> for NavVisitor {
    type Value = NavEntry;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a page such as \"s1/index.md\" or a table such as { title = \"…\", page = \"s1/index.md\" }")
    }

    fn visit_str<E: serde::de::Error>(self, page: &str) -> Result<NavEntry, E> {
        Ok(NavEntry::Page(page.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<NavEntry, A::Error> {
        NavTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            .map(NavEntry::Entry)
    }
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
            notebooks: NotebooksConfig::default(),
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
    /// How front matter that cannot be read is reported; either way the page
    /// is built without it (`import mkdocs` sets `"warn"`, as MkDocs ignores it).
    pub invalid_front_matter: InvalidFrontMatter,
}

/// `[markdown] invalid_front_matter`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InvalidFrontMatter {
    #[default]
    Error,
    Warn,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_html: true,
            math: true,
            autolink: true,
            attributes: false,
            smart_punctuation: false,
            invalid_front_matter: InvalidFrontMatter::Error,
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

/// How a relative link without `.md` (`session_1`, `../glossary/#cpu`) or to a
/// folder is read when its file and its page's URL lead to different places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelativeTo {
    /// From the file, as GitHub reads it (the default).
    #[default]
    File,
    /// From the page's URL, as MkDocs serves `a/b.md` at `a/b/` (`import mkdocs` sets it).
    Url,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LinksConfig {
    pub broken: BrokenLinks,
    pub relative_to: RelativeTo,
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

/// `[notebooks]`: an "Open in …" link on notebook pages for each service
/// listed, built from `repo_url` (a GitHub repository), `branch` and the
/// notebook's path.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct NotebooksConfig {
    pub open_in: Vec<OpenIn>,
    /// The BinderHub that `binder` links start.
    pub binder_url: String,
}

impl Default for NotebooksConfig {
    fn default() -> Self {
        NotebooksConfig {
            open_in: Vec::new(),
            binder_url: "https://mybinder.org".into(),
        }
    }
}

/// A service that runs a notebook of a GitHub repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpenIn {
    Binder,
    Colab,
    Codespaces,
}

impl Config {
    /// Reads `syllabus.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![
                    Diagnostic::error(
                        Code::ConfigMissing,
                        FILE_NAME,
                        format!("no `{FILE_NAME}` in `{}`", root.display()),
                    )
                    .with_help("run `syllabus init` to create a course here, or pass `--root DIR`"),
                ]);
            }
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    Code::UnreadableFile,
                    FILE_NAME,
                    format!("cannot read: {e}"),
                )]);
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of `syllabus.toml`; every unknown key and type error is reported.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let doc = DeTable::parse(text).map_err(|e| vec![toml_error(FILE_NAME, text, &e)])?;
        let (config, unknown) = keys::read::<Config>(&doc);
        let mut problems: Vec<Diagnostic> = unknown.iter().map(|k| unknown_key(k, text)).collect();
        diagnostics::sort(&mut problems);
        match config {
            Ok(config) if problems.is_empty() => match config.validate(doc.get_ref(), text) {
                Ok(()) => Ok(config),
                Err(d) => Err(vec![d]),
            },
            Ok(_) => Err(problems),
            Err(e) => {
                problems.push(toml_error(FILE_NAME, text, &e));
                Err(problems)
            }
        }
    }

    fn validate(&self, doc: &DeTable<'_>, text: &str) -> Result<(), Diagnostic> {
        let url = self.base_url.trim();
        let ok = url.starts_with('/') || url.starts_with("http://") || url.starts_with("https://");
        if !ok {
            let (line, col) = keys::value_span(doc, &[keys::Segment::Key("base_url".into())])
                .map_or((0, 0), |s| diagnostics::line_col(text, s.start));
            return Err(Diagnostic::error(Code::InvalidConfigValue, FILE_NAME, format!("`base_url = \"{url}\"` is neither a URL nor a path"))
                .at(line, col)
                .with_help("write an absolute URL such as `https://example.org/course/`, or a path such as `/`"));
        }
        if !self.notebooks.open_in.is_empty() && self.github_repo().is_none() {
            let place = [
                keys::Segment::Key("notebooks".into()),
                keys::Segment::Key("open_in".into()),
            ];
            let (line, col) = keys::value_span(doc, &place)
                .map_or((0, 0), |s| diagnostics::line_col(text, s.start));
            return Err(Diagnostic::error(
                Code::InvalidConfigValue,
                FILE_NAME,
                "`[notebooks] open_in` needs `repo_url`, the notebooks' GitHub repository",
            )
            .at(line, col)
            .with_help("set `repo_url = \"https://github.com/OWNER/REPO\"`, or remove `open_in`"));
        }
        Ok(())
    }

    /// `(owner, repository)` when `repo_url` is a GitHub repository.
    pub fn github_repo(&self) -> Option<(&str, &str)> {
        let rest = self
            .repo_url
            .as_deref()?
            .trim()
            .strip_prefix("https://github.com/")?;
        let rest = rest.trim_end_matches('/');
        let rest = rest.strip_suffix(".git").unwrap_or(rest);
        let (owner, repo) = rest.split_once('/')?;
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (ok(owner) && ok(repo)).then_some((owner, repo))
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

/// The diagnostic for a key no field of the configuration reads, with the closest field.
fn unknown_key(unknown: &keys::UnknownKey, text: &str) -> Diagnostic {
    let table = unknown.table_name();
    let place = if table.is_empty() {
        String::new()
    } else {
        format!(" in `[{table}]`")
    };
    let known = unknown.known;
    let help = match diagnostics::closest(&unknown.key, known.iter().copied()) {
        Some(k) => Some(format!("did you mean `{k}`?")),
        None if known.is_empty() => None,
        None => Some(format!("known keys{place}: {}", known.join(", "))),
    };
    let (line, col) = unknown
        .span
        .as_ref()
        .map_or((0, 0), |s| diagnostics::line_col(text, s.start));
    Diagnostic::error(
        Code::UnknownConfigKey,
        FILE_NAME,
        format!("unknown key `{}`{place}", unknown.key),
    )
    .at(line, col)
    .with_help_opt(help)
}

/// Turns a TOML error into a diagnostic at its line and column.
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col) = e
        .span()
        .map_or((0, 0), |s| diagnostics::line_col(text, s.start));
    Diagnostic::error(
        Code::InvalidToml,
        file,
        format!("invalid TOML: {}", e.message()),
    )
    .at(line, col)
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
    fn open_in_needs_a_github_repository() {
        let errs = Config::parse("[notebooks]\nopen_in = [\"colab\"]\n").unwrap_err();
        assert!(errs[0].message.contains("needs `repo_url`"), "{errs:?}");
        assert_eq!(errs[0].line, 2);
        let c = Config::parse(
            "repo_url = \"https://github.com/org/course.git\"\n[notebooks]\nopen_in = [\"binder\", \"codespaces\"]\n",
        )
        .unwrap();
        assert_eq!(c.github_repo(), Some(("org", "course")));
        assert_eq!(c.notebooks.open_in, [OpenIn::Binder, OpenIn::Codespaces]);
        assert!(Config::parse("[notebooks]\nopen_in = [\"kaggle\"]\n").is_err());
    }

    #[test]
    fn syntax_error_has_position() {
        let errs = Config::parse("title = \"X\"\nbase_url = \n").unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(errs[0].message.starts_with("invalid TOML"));
    }
}
