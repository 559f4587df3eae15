//! The parts of [`LoadOptions`](super::LoadOptions) that come from settings
//! and files beside the content: which paths are not content, and the link
//! reference definitions every page may use.

use std::path::{Component, Path};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::config::{Config, FILE_NAME};

/// `exclude`, `/`-separated, plus the output folder when it lies inside the
/// content folder: the site a build wrote is never read back as content. A
/// content folder that is the project folder leaves out `syllabus.toml`,
/// `themes/`, `templates/` and `static/` too.
pub fn excluded(config: &Config) -> Vec<String> {
    let mut paths: Vec<String> = config
        .exclude
        .iter()
        .map(|p| p.replace('\\', "/").trim_matches('/').to_string())
        .collect();
    if let Ok(inside) = config.output_dir.strip_prefix(&config.content_dir) {
        paths.push(slash(inside));
    } else if is_here(&config.content_dir) && config.output_dir.is_relative() {
        paths.push(slash(&config.output_dir));
    }
    if is_here(&config.content_dir) {
        // The project's own files are not content either.
        paths.extend([FILE_NAME, "themes", "templates", "static"].map(String::from));
    }
    paths.retain(|p| !p.is_empty());
    paths
}

fn is_here(path: &Path) -> bool {
    path.components().all(|c| c == Component::CurDir)
}

fn slash(path: &Path) -> String {
    path.components()
        .filter(|c| *c != Component::CurDir)
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The text of `[markdown] link_definitions`, read from the project folder;
/// a file that cannot be read is an error at the setting.
pub fn link_definitions(root: &Path, config: &Config) -> Result<Option<String>, Vec<Diagnostic>> {
    let Some(rel) = &config.markdown.link_definitions else {
        return Ok(None);
    };
    std::fs::read_to_string(root.join(rel))
        .map(Some)
        .map_err(|e| {
            let text = std::fs::read_to_string(root.join(FILE_NAME)).unwrap_or_default();
            let (line, column) = text
                .lines()
                .enumerate()
                .find(|(_, l)| l.trim_start().starts_with("link_definitions"))
                .map_or((0, 0), |(i, l)| (i + 1, l.len() - l.trim_start().len() + 1));
            vec![
                Diagnostic::error(
                    Code::InvalidConfigValue,
                    FILE_NAME,
                    format!("cannot read the link definitions `{}`: {e}", rel.display()),
                )
                .at(line, column)
                .with_help("create the file, or remove `link_definitions` from [markdown]"),
            ]
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_inside_the_content_folder_is_excluded() {
        let config = |text: &str| Config::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let c = config("content_dir = \".\"\nexclude = [\"README.md\", \"site/\"]\n");
        assert_eq!(
            excluded(&c),
            [
                "README.md",
                "site",
                "public",
                "syllabus.toml",
                "themes",
                "templates",
                "static"
            ]
        );
        let c = config("content_dir = \"docs\"\noutput_dir = \"docs/_site\"\n");
        assert_eq!(excluded(&c), ["_site"]);
        assert!(excluded(&Config::default()).is_empty());
    }
}
