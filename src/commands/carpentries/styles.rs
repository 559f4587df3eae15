//! A lesson in the older Jekyll "styles" format (`_config.yml`, `_episodes/`,
//! `_extras/`): its settings and navigation, and its pages converted to the
//! Workbench's Markdown by [`kramdown`](super::kramdown).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::Value;

use super::kramdown::{self, Context, Converted};
use super::{Lesson, NavGroup, workbench};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::frontmatter;

pub const CONFIG: &str = "_config.yml";

/// Top-level pages of the lesson, besides `index.md`.
const TOP_PAGES: &[&str] = &["setup.md", "reference.md"];

/// One page to convert: its path (relative, `/`), and its new text when it changes.
pub struct PageChange {
    pub path: String,
    pub text: String,
    pub converted: Converted,
}

/// Reads `_config.yml` (text `text`) and lists the lesson's pages.
pub fn read(root: &Path, text: &str) -> Result<Lesson, Vec<Diagnostic>> {
    let doc: Value = serde_saphyr::from_str(text).map_err(|e| {
        vec![
            workbench::yaml_error(CONFIG, &e)
                .with_help("_config.yml is YAML: `title: \"My lesson\"`"),
        ]
    })?;
    let map = doc.as_object().cloned().unwrap_or_default();
    let string = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let mut lesson = Lesson {
        title: string("title").unwrap_or_else(|| "Lesson".into()),
        ..Lesson::default()
    };
    for (from, to) in [
        ("carpentry", "carpentry"),
        ("life_cycle", "life_cycle"),
        ("email", "contact"),
    ] {
        if let Some(v) = string(from) {
            lesson.extra.push((to.to_string(), v));
        }
    }
    let episodes = workbench::folder_pages(&root.join("_episodes"))
        .into_iter()
        .filter(|p| p.to_ascii_lowercase().ends_with(".md"))
        .map(|p| format!("_episodes/{p}"))
        .collect();
    lesson.nav.push(NavGroup {
        title: "Episodes".into(),
        pages: episodes,
    });
    let mut extras: Vec<String> = TOP_PAGES
        .iter()
        .filter(|p| root.join(p).is_file())
        .map(|p| p.to_string())
        .collect();
    extras.extend(
        workbench::folder_pages(&root.join("_extras"))
            .into_iter()
            .map(|p| format!("_extras/{p}")),
    );
    lesson.nav.push(NavGroup {
        title: "Extras".into(),
        pages: extras,
    });
    lesson.unmapped.push(
        "the Jekyll layouts, includes and `assets/` → syllabus uses its own theme; they are excluded from the site".into(),
    );
    Ok(lesson)
}

/// The string settings of `_config.yml`, for `{{ site.x }}`.
pub fn site_values(text: &str) -> BTreeMap<String, String> {
    let doc: Value = serde_saphyr::from_str(text).unwrap_or(Value::Null);
    doc.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Converts every page of the lesson (`index.md` and the pages of its
/// navigation); returns those that change, without writing anything.
pub fn convert_pages(root: &Path, lesson: &Lesson, config_text: &str) -> Result<Vec<PageChange>> {
    let site = site_values(config_text);
    let mut changes = Vec::new();
    let pages = std::iter::once("index.md".to_string())
        .chain(lesson.nav.iter().flat_map(|g| g.pages.iter().cloned()));
    for rel in pages {
        let path = root.join(&rel);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let root = if rel.contains('/') { ".." } else { "." };
        let (new_text, converted) = convert_page(&rel, &text, root, &site);
        if !converted.is_empty() {
            changes.push(PageChange {
                path: rel,
                text: new_text,
                converted,
            });
        }
    }
    Ok(changes)
}

/// One page: front matter kept as it is, the body converted.
fn convert_page(
    rel: &str,
    text: &str,
    root: &str,
    site: &BTreeMap<String, String>,
) -> (String, Converted) {
    let split = frontmatter::split(rel, text, Severity::Warning);
    let cx = Context {
        root,
        site,
        line_offset: split.body_line_offset,
    };
    let head = &text[..text.len() - split.body.len()];
    let yaml = head
        .trim_start_matches('\u{feff}')
        .trim()
        .trim_start_matches("---")
        .trim_end_matches("---");
    let front: Value = serde_saphyr::from_str(yaml).unwrap_or(Value::Null);
    let list = |key: &str| -> Vec<String> {
        match front.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let lists = [
        ("questions", list("questions")),
        ("objectives", list("objectives")),
        ("keypoints", list("keypoints")),
    ];
    let (body, converted) = kramdown::convert(split.body, &lists, &cx);
    (format!("{head}{body}"), converted)
}
