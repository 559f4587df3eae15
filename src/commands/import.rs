//! `syllabus import mkdocs`: an MkDocs course's `mkdocs.yml` → `syllabus.toml`,
//! so that the course switches without touching its Markdown. Everything that
//! cannot be mapped is listed with what to do instead.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use crate::model::config::FILE_NAME;

/// The result of reading an `mkdocs.yml`.
#[derive(Debug, Default)]
pub struct Imported {
    /// The text of the new `syllabus.toml`.
    pub config: String,
    /// What could not be mapped, each with what the user can do instead.
    pub unmapped: Vec<String>,
    /// The lines added to `.gitignore` (none when it had them all).
    pub gitignore: Vec<String>,
    /// `docs_dir`: the content folder, relative to the course folder.
    pub content_dir: PathBuf,
    /// Whether the course uses syntax `--rewrite` can turn into GitHub's.
    pub rewritable: bool,
}

/// Reads `mkdocs.yml` at `path` (a file, or a folder holding it); returns the
/// course folder (where `mkdocs.yml` is) and what it becomes.
pub fn read(path: &Path) -> Result<(PathBuf, Imported)> {
    let file = if path.is_dir() {
        path.join("mkdocs.yml")
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read `{}`", file.display()))?;
    let imported = convert(&text).with_context(|| format!("cannot import `{}`", file.display()))?;
    Ok((
        file.parent().unwrap_or(Path::new(".")).to_path_buf(),
        imported,
    ))
}

/// Reads `mkdocs.yml` at `path` (a file, or a folder holding it) and writes
/// `syllabus.toml` beside it; refuses to replace one unless `force`. Adds what
/// `build` writes (the output, its staging folders, the cache) to `.gitignore`.
pub fn mkdocs(path: &Path, force: bool) -> Result<(PathBuf, Imported)> {
    let (root, mut imported) = read(path)?;
    refuse_existing_config(&root, force)?;
    let out = write_config(&root, &imported.config)?;
    imported.gitignore = ignore_build_files(&root.join(".gitignore"))?;
    Ok((out, imported))
}

/// Fails when `root` has a `syllabus.toml` and `force` is off: an import never
/// replaces the user's settings unasked.
pub(crate) fn refuse_existing_config(root: &Path, force: bool) -> Result<()> {
    let out = root.join(FILE_NAME);
    if out.exists() && !force {
        bail!(
            "`{}` already exists; not replacing it\n  help: pass `--force` to replace it",
            out.display()
        );
    }
    Ok(())
}

/// Writes `syllabus.toml` in `root`; returns its path.
pub(crate) fn write_config(root: &Path, text: &str) -> Result<PathBuf> {
    let out = root.join(FILE_NAME);
    std::fs::write(&out, text).with_context(|| format!("cannot write `{}`", out.display()))?;
    Ok(out)
}

/// What every import prints after writing: the file, the `.gitignore` lines
/// added, and what was not carried over with what to do instead.
pub fn summary(written: &Path, gitignore: &[String], unmapped: &[String]) -> String {
    let mut out = format!("Wrote {}\n", written.display());
    if !gitignore.is_empty() {
        let _ = writeln!(out, "Added to .gitignore: {}", gitignore.join(", "));
    }
    if !unmapped.is_empty() {
        out.push_str("Not carried over (and what to do instead):\n");
        for item in unmapped {
            let _ = writeln!(out, "  - {item}");
        }
    }
    out
}

/// Appends to the `.gitignore` at `path` (creating it) each line of `init`'s
/// that it lacks; returns the lines added. `public`, `/public` and `public/`
/// are one entry, so nothing is listed twice.
pub(crate) fn ignore_build_files(path: &Path) -> Result<Vec<String>> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let key = |line: &str| line.trim().trim_matches('/').to_string();
    let have: std::collections::HashSet<String> = existing.lines().map(key).collect();
    let comment = super::init::GITIGNORE.lines().find(|l| l.starts_with('#'));
    let missing: Vec<String> = super::init::GITIGNORE
        .lines()
        .filter(|l| !l.starts_with('#') && !have.contains(&key(l)))
        .map(str::to_string)
        .collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    for line in comment
        .into_iter()
        .map(str::to_string)
        .chain(missing.iter().cloned())
    {
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(missing)
}

/// What each Markdown extension of MkDocs becomes.
fn extension(name: &str, options: &Value, md: &mut Vec<String>, unmapped: &mut Vec<String>) {
    match name {
        "attr_list" => md.push("attributes = true         # attr_list: { align=right }, {: target=\"_blank\" }, {#id .class}".into()),
        "pymdownx.magiclink" => md.push("autolink = true           # pymdownx.magiclink: bare URLs become links".into()),
        "pymdownx.arithmatex" => md.push("math = true               # pymdownx.arithmatex: $…$ and $$…$$ as MathML".into()),
        "md_in_html" => md.push("unsafe_html = true        # md_in_html: raw HTML passes through; Markdown in `<div markdown>` is rendered".into()),
        // Built in: GitHub Flavored Markdown, build-time highlighting, and the
        // MkDocs-Material syntax syllabus renders for every course.
        "tables" | "footnotes" | "pymdownx.tasklist" | "pymdownx.tilde" | "pymdownx.superfences" | "fenced_code"
        | "pymdownx.highlight" | "codehilite" | "toc" | "sane_lists" | "smarty" | "admonition"
        | "pymdownx.details" | "pymdownx.tabbed" | "abbr" => {
            if name == "pymdownx.highlight" && options.get("linenums").and_then(Value::as_bool) == Some(true) {
                unmapped.push(
                    "pymdownx.highlight linenums: true → syllabus numbers lines per block: ```python {linenos=true}".into(),
                );
            }
        }
        "meta" => unmapped.push(
            "meta → front matter is read between `---` lines (YAML) or `+++` lines (TOML); a page whose `key: value` lines stand at its top without `---` lines shows them as text: put `---` above and below them".into(),
        ),
        "pymdownx.snippets" => unmapped.push(
            "pymdownx.snippets (`--8<--`) → each include is reported where it is, with what to write instead; paste the text or link to it".into(),
        ),
        "pymdownx.inlinehilite" => unmapped.push(
            "pymdownx.inlinehilite (`#!python code`) → inline code is shown plain; use a fenced block where highlighting matters".into(),
        ),
        "pymdownx.emoji" | "pymdownx.critic" | "pymdownx.keys" | "pymdownx.mark" | "pymdownx.caret" | "def_list" => {
            unmapped.push(format!("{name} → not supported; its syntax shows as written (as on GitHub)"))
        }
        other => unmapped.push(format!("{other} → not supported; check how its syntax looks on the built site")),
    }
}

/// Converts the text of an `mkdocs.yml`.
pub fn convert(yaml: &str) -> Result<Imported> {
    let doc: Value =
        serde_saphyr::from_str(yaml).map_err(|e| anyhow::anyhow!("invalid YAML: {e}"))?;
    let Value::Object(map) = &doc else {
        bail!("mkdocs.yml is not a mapping of settings")
    };
    let mut unmapped = Vec::new();
    let mut out = String::from("# Imported from mkdocs.yml by `syllabus import mkdocs`.\n");
    let string = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let _ = writeln!(
        out,
        "title = {}",
        quote(&string("site_name").unwrap_or_else(|| "Course".into()))
    );
    if let Some(d) = string("site_description") {
        let _ = writeln!(out, "description = {}", quote(&d));
    }
    if let Some(u) = string("site_url") {
        let _ = writeln!(out, "base_url = {}", quote(&u));
    }
    let docs = string("docs_dir").unwrap_or_else(|| "docs".into());
    let _ = writeln!(out, "content_dir = {}", quote(&docs));
    if let Some(repo) = string("repo_url") {
        let _ = writeln!(out, "repo_url = {}", quote(repo.trim_end_matches('/')));
        let edit = string("edit_uri").unwrap_or_default();
        // `edit/<branch>/<docs>/` or `blob/<branch>/<docs>/`
        let parts: Vec<&str> = edit.trim_matches('/').split('/').collect();
        if parts.len() >= 2 && (parts[0] == "edit" || parts[0] == "blob") {
            let _ = writeln!(out, "branch = {}", quote(parts[1]));
        } else if !edit.is_empty() {
            unmapped.push(format!("edit_uri `{edit}` → edit links use `{{repo_url}}/edit/{{branch}}/{docs}/…`; set `branch`"));
        }
    }
    let mut markdown = Vec::new();
    let mut rewritable = false;
    if let Some(exts) = map.get("markdown_extensions").and_then(Value::as_array) {
        rewritable = exts.iter().any(|e| {
            let names: Vec<&str> = match e {
                Value::String(n) => vec![n.as_str()],
                Value::Object(o) => o.keys().map(String::as_str).collect(),
                _ => vec![],
            };
            names.iter().any(|n| {
                matches!(
                    *n,
                    "admonition" | "pymdownx.details" | "pymdownx.tabbed" | "md_in_html"
                )
            })
        });
        for ext in exts {
            match ext {
                Value::String(name) => extension(name, &Value::Null, &mut markdown, &mut unmapped),
                Value::Object(o) => {
                    for (name, options) in o {
                        extension(name, options, &mut markdown, &mut unmapped);
                    }
                }
                _ => {}
            }
        }
    }
    for key in map.keys() {
        match key.as_str() {
            "site_name" | "site_description" | "site_url" | "docs_dir" | "repo_url" | "edit_uri" | "nav" | "markdown_extensions" => {}
            "theme" => unmapped.push(
                "theme → syllabus uses its own default theme (sidebar, search, dark mode); override its templates in `templates/`".into(),
            ),
            "extra" => unmapped.push("extra → copy the values you need under [extra] in syllabus.toml".into()),
            "plugins" => unmapped.push("plugins → search and link checking are built in; other plugins have no equivalent".into()),
            "extra_css" | "extra_javascript" => unmapped.push(format!(
                "{key} → put the files in `static/` and add them by overriding `templates/base.html`"
            )),
            "site_dir" => unmapped.push("site_dir → the output folder is `output_dir` (default `public`)".into()),
            other => unmapped.push(format!("{other} → no equivalent")),
        }
    }
    // Top-level keys first: after a [table] header they would belong to it.
    if let Some(nav) = map.get("nav").and_then(Value::as_array) {
        out.push_str("\n# The navigation, in MkDocs' order (paths are inside the content folder).\nnav = [\n");
        nav_entries(nav, 1, &mut out, &mut unmapped);
        out.push_str("]\n");
    }
    out.push_str(concat!(
        "\n[links]\n",
        "# MkDocs only warns about broken links; fix them, then make them errors.\n",
        "broken = \"warn\"\n",
        "# Links such as `session_1` or `../glossary/#cpu` lead where they led on the\n",
        "# MkDocs site (from the page's URL); `check` names those GitHub reads otherwise.\n",
        "relative_to = \"url\"\n",
    ));
    out.push_str(concat!(
        "\n[markdown]\n",
        "# MkDocs builds pages whose front matter is not valid YAML; so does syllabus, with a warning.\n",
        "invalid_front_matter = \"warn\"\n",
    ));
    for line in &markdown {
        out.push_str(line);
        out.push('\n');
    }
    unmapped.dedup();
    Ok(Imported {
        config: out,
        unmapped,
        gitignore: Vec::new(),
        content_dir: PathBuf::from(docs),
        rewritable,
    })
}

fn nav_entries(items: &[Value], depth: usize, out: &mut String, unmapped: &mut Vec<String>) {
    let pad = "    ".repeat(depth);
    for item in items {
        match item {
            Value::String(page) => {
                let _ = writeln!(out, "{pad}{},", quote(page));
            }
            Value::Object(o) => {
                for (title, target) in o {
                    match target {
                        Value::String(t) if t.contains("://") => {
                            let _ = writeln!(
                                out,
                                "{pad}{{ title = {}, url = {} }},",
                                quote(title.trim()),
                                quote(t)
                            );
                        }
                        Value::String(t) => {
                            let _ = writeln!(
                                out,
                                "{pad}{{ title = {}, page = {} }},",
                                quote(title.trim()),
                                quote(t.trim())
                            );
                        }
                        Value::Array(children) => {
                            let _ = writeln!(
                                out,
                                "{pad}{{ title = {}, children = [",
                                quote(title.trim())
                            );
                            nav_entries(children, depth + 1, out, unmapped);
                            let _ = writeln!(out, "{pad}] }},");
                        }
                        other => unmapped.push(format!(
                            "nav entry `{title}: {other}` → not understood; add it to `nav` by hand"
                        )),
                    }
                }
            }
            other => unmapped.push(format!(
                "nav entry `{other}` → not understood; add it to `nav` by hand"
            )),
        }
    }
}

/// A TOML basic string.
pub(crate) fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_settings_nav_and_extensions() {
        let yaml = "site_name: My Course\nrepo_url: https://github.com/o/c/\nedit_uri: edit/main/docs/\nnav:\n  - Home: index.md\n  - Sessions:\n     - · One: s1/index.md\n     - s2/index.md\n  - GitHub: https://github.com/o/c\nmarkdown_extensions:\n  - attr_list\n  - admonition\n  - pymdownx.highlight:\n      linenums: true\ntheme:\n  name: material\n";
        let imported = convert(yaml).unwrap();
        let config = crate::model::config::Config::parse(&imported.config)
            .unwrap_or_else(|e| panic!("{e:?}\n{}", imported.config));
        assert_eq!(config.title, "My Course");
        assert_eq!(config.repo_url.as_deref(), Some("https://github.com/o/c"));
        assert_eq!(config.branch, "main");
        assert_eq!(config.content_dir, PathBuf::from("docs"));
        assert!(config.markdown.attributes);
        assert_eq!(
            config.links.relative_to,
            crate::model::config::RelativeTo::Url
        );
        assert_eq!(
            config.markdown.invalid_front_matter,
            crate::model::config::InvalidFrontMatter::Warn
        );
        let nav = config.nav.unwrap();
        assert_eq!(nav.len(), 3);
        let crate::model::config::NavEntry::Entry(sessions) = &nav[1] else {
            panic!()
        };
        assert_eq!(sessions.title.as_deref(), Some("Sessions"));
        assert_eq!(
            sessions.children[1],
            crate::model::config::NavEntry::Page("s2/index.md".into())
        );
        let crate::model::config::NavEntry::Entry(gh) = &nav[2] else {
            panic!()
        };
        assert_eq!(gh.url.as_deref(), Some("https://github.com/o/c"));
        let unmapped = imported.unmapped.join("\n");
        assert!(!unmapped.contains("admonition"), "rendered: {unmapped}");
        assert!(unmapped.contains("theme"), "{unmapped}");
        assert!(unmapped.contains("linenums"), "{unmapped}");
    }
}
