//! A Workbench lesson's `config.yaml` → the settings of `syllabus.toml`: the
//! title, repository, language, the navigation (episodes, learners,
//! instructors, profiles, in the file's order or, when a list is empty, the
//! folder's), and the lesson's facts under `[extra]`.
//!
//! Problems are positioned [`Diagnostic`]s on `config.yaml`: YAML that cannot
//! be read, a list that is not a list of file names, a listed file that is absent.

use std::path::Path;

use serde_json::Value;

use super::{Lesson, NavGroup};
use crate::diagnostics::{self, Code, Diagnostic};

pub const CONFIG: &str = "config.yaml";

/// The four lists of `config.yaml`, their folders and their titles in the navigation.
pub const GROUPS: [(&str, &str); 4] = [
    ("episodes", "Episodes"),
    ("learners", "Learners"),
    ("instructors", "Instructors"),
    ("profiles", "Profiles"),
];

/// Keys that become settings or `[extra]` values; anything else is reported.
const EXTRA: &[&str] = &[
    "carpentry",
    "life_cycle",
    "created",
    "contact",
    "license",
    "keywords",
];

/// Reads the lesson at `root` (which holds `config.yaml`, whose text is `text`).
pub fn read(root: &Path, text: &str) -> Result<Lesson, Vec<Diagnostic>> {
    let doc: Value = serde_saphyr::from_str(text).map_err(|e| {
        vec![yaml_error(CONFIG, &e).with_help("config.yaml is YAML: `title: 'My lesson'`, and lists such as `episodes:` followed by `- introduction.md` lines")]
    })?;
    let map = match doc {
        Value::Object(map) => map,
        Value::Null => serde_json::Map::new(),
        _ => {
            return Err(vec![
                Diagnostic::error(
                    Code::LessonConfigType,
                    CONFIG,
                    "config.yaml is not a mapping of settings",
                )
                .at(1, 1)
                .with_help("write `key: value` lines, such as `title: 'My lesson'`"),
            ]);
        }
    };
    let mut lesson = Lesson::default();
    let mut errors = Vec::new();
    let string = |key: &str| map.get(key).and_then(scalar);
    lesson.title = string("title").unwrap_or_else(|| "Lesson".into());
    lesson.repo_url = string("source");
    lesson.branch = string("branch");
    lesson.language = string("lang");
    lesson.base_url = string("url");
    for key in EXTRA {
        if let Some(v) = string(key) {
            lesson.extra.push((key.to_string(), v));
        }
    }
    for (key, title) in GROUPS {
        let pages = match map.get(key) {
            None | Some(Value::Null) => folder_pages(&root.join(key)),
            Some(Value::Array(items)) => {
                let pages = listed(root, text, key, items, &mut errors);
                // The Workbench publishes only the listed pages of a folder.
                lesson.unlisted.extend(
                    folder_pages(&root.join(key))
                        .into_iter()
                        .filter(|p| !pages.contains(p))
                        .map(|p| format!("{key}/{p}")),
                );
                pages
            }
            Some(_) => {
                let (line, column) = key_position(text, key);
                errors.push(
                    Diagnostic::error(
                        Code::LessonConfigType,
                        CONFIG,
                        format!("`{key}` must be a list of file names"),
                    )
                    .at(line, column)
                    .with_help(format!(
                        "write `{key}:` and below it one `- name.md` line per file of `{key}/`"
                    )),
                );
                continue;
            }
        };
        lesson.nav.push(NavGroup {
            title: title.to_string(),
            pages: pages.into_iter().map(|p| format!("{key}/{p}")).collect(),
        });
    }
    for key in map.keys() {
        let known = ["title", "source", "branch", "lang", "url"].contains(&key.as_str())
            || EXTRA.contains(&key.as_str())
            || GROUPS.iter().any(|(g, _)| g == key);
        if !known {
            lesson.unmapped.push(format!(
                "config.yaml `{key}` → no equivalent; keep what you need under [extra]"
            ));
        }
    }
    if errors.is_empty() {
        Ok(lesson)
    } else {
        Err(errors)
    }
}

/// The error for YAML that cannot be read, at its position (the parser's
/// message without the position it repeats).
pub fn yaml_error(file: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.split_once(": ") {
        Some((at, rest)) if at.starts_with("line ") => rest,
        _ => first,
    };
    Diagnostic::error(
        Code::InvalidLessonYaml,
        file,
        format!("invalid YAML: {first}"),
    )
    .at(line, column)
}

/// A YAML scalar as text (`created: 2014-10-22` is a string, `~` is none).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The Markdown and R Markdown files of a folder, in name order (what the
/// Workbench shows when the list is empty).
pub fn folder_pages(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_page(n) && !n.starts_with('.'))
        .collect();
    names.sort_by(|a, b| crate::load::natural_cmp(a, b));
    names
}

pub fn is_page(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".rmd")
}

/// The file names of a list, each checked to exist in the list's folder.
fn listed(
    root: &Path,
    text: &str,
    key: &str,
    items: &[Value],
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut pages = Vec::new();
    let present = folder_pages(&root.join(key));
    for item in items {
        let Some(name) = scalar(item) else {
            let (line, column) = key_position(text, key);
            errors.push(
                Diagnostic::error(
                    Code::LessonConfigType,
                    CONFIG,
                    format!("an entry of `{key}` is not a file name"),
                )
                .at(line, column)
                .with_help(format!(
                    "each entry is a file of `{key}/`, such as `- introduction.md`"
                )),
            );
            continue;
        };
        if root.join(key).join(&name).is_file() {
            pages.push(name);
            continue;
        }
        let (line, column) = entry_position(text, key, &name);
        let help = match diagnostics::closest(&name, present.iter().map(String::as_str)) {
            Some(close) => {
                format!("did you mean `{close}`? Or create `{key}/{name}`, or remove the line")
            }
            None => format!("create `{key}/{name}`, or remove the line"),
        };
        errors.push(
            Diagnostic::error(
                Code::LessonPageMissing,
                CONFIG,
                format!("`{key}` lists `{name}`, but `{key}/{name}` does not exist"),
            )
            .at(line, column)
            .with_help(help),
        );
    }
    pages
}

/// Line and column (1-based) of a top-level `key:`; (0, 0) when not found.
fn key_position(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
        .map_or((0, 0), |i| (i + 1, 1))
}

/// Where `name` is written in the list under `key`: the first line at or
/// after the key that holds it; the key's own position otherwise.
fn entry_position(text: &str, key: &str, name: &str) -> (usize, usize) {
    let (key_line, _) = key_position(text, key);
    if key_line == 0 {
        return (0, 0);
    }
    for (i, line) in text.lines().enumerate().skip(key_line - 1) {
        if i + 1 > key_line && !line.starts_with([' ', '\t', '-']) && !line.trim().is_empty() {
            break;
        }
        if let Some(at) = line.find(name) {
            return (i + 1, line[..at].chars().count() + 1);
        }
    }
    (key_line, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_in_block_and_flow_lists() {
        let text = "title: x\nepisodes:\n- intro.md\n  - 'two.md'\nlearners: [setup.md, ref.md]\n";
        assert_eq!(entry_position(text, "episodes", "two.md"), (4, 6));
        assert_eq!(entry_position(text, "learners", "ref.md"), (5, 22));
        assert_eq!(entry_position(text, "episodes", "setup.md"), (2, 1));
        assert_eq!(key_position(text, "profiles"), (0, 0));
    }
}
