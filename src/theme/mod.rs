//! Stage 5: Tera templates. Loads the theme (from `themes/<name>/`, or the
//! built-in default), lets the site's `templates/` override it, and renders
//! view models that borrow from the course.

mod overview;
mod section;
mod view;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, Kwargs, State, Tera};

pub use overview::{Overview, overview};
pub use view::{NavItem, PageInput, nav_size, nav_trails, nav_tree, page_context};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::config::Config;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// Templates every theme must have.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "page.html",
    "section.html",
    "index.html",
    "404.html",
];

/// A file of the theme's or the site's `static/`, to copy to the site root.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

/// The loaded theme: compiled templates and the static files to publish.
pub struct Theme {
    tera: Tera,
    /// Template name → file shown in messages.
    files: BTreeMap<String, String>,
    /// Site-root-relative path → where its bytes come from (site `static/` wins).
    pub static_files: BTreeMap<String, StaticSource>,
}

/// Files of one origin (the theme, or the site), labelled for messages.
type Origin = (String, Vec<(String, StaticSource)>);

/// Where template and static files come from, in order of precedence (last wins).
fn sources(root: &Path, config: &Config) -> Result<Vec<Origin>, Diagnostic> {
    let theme_dir = root.join("themes").join(&config.theme);
    let theme_files = if theme_dir.is_dir() {
        disk_files(root, &theme_dir, &format!("themes/{}", config.theme))?
    } else if config.theme == "default" {
        embedded::FILES
            .iter()
            .map(|(p, b)| (p.to_string(), StaticSource::Embedded(b)))
            .collect()
    } else {
        return Err(Diagnostic::error(
            Code::ThemeNotFound,
            crate::model::config::FILE_NAME,
            format!(
                "theme `{}` not found: no folder `themes/{}`",
                config.theme, config.theme
            ),
        )
        .with_help("set `theme = \"default\"` or create the theme's folder"));
    };
    let theme_label = if theme_dir.is_dir() {
        format!("themes/{}", config.theme)
    } else {
        "built-in default theme".into()
    };
    let mut site = disk_files(root, &root.join("templates"), "templates")?
        .into_iter()
        .map(|(p, s)| (format!("templates/{p}"), s))
        .collect::<Vec<_>>();
    site.extend(
        disk_files(root, &root.join("static"), "static")?
            .into_iter()
            .map(|(p, s)| (format!("static/{p}"), s)),
    );
    Ok(vec![(theme_label, theme_files), (String::new(), site)])
}

/// Files under `dir`; a symbolic link out of the project `root` (or into its
/// hidden folders) is an error, as under content/, so that a pull request
/// cannot publish files of the machine that builds it.
fn disk_files(
    root: &Path,
    dir: &Path,
    label: &str,
) -> Result<Vec<(String, StaticSource)>, Diagnostic> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let boundary = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.path_is_symlink()
            && let Some(problem) = crate::load::link_escapes(entry.path(), &boundary)
        {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let shown = format!("{label}/{}", rel.to_string_lossy().replace('\\', "/"));
            return Err(Diagnostic::error(Code::LinkOutsideProject, shown.trim_end_matches('/'), problem)
                .with_help("copy the file into the project instead: a build follows links only to files of the project outside its hidden folders"));
        }
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            files.push((
                rel.to_string_lossy().replace('\\', "/"),
                StaticSource::Disk(entry.path().to_path_buf()),
            ));
        }
    }
    Ok(files)
}

fn read(source: &StaticSource) -> std::io::Result<Vec<u8>> {
    match source {
        StaticSource::Disk(p) => std::fs::read(p),
        StaticSource::Embedded(b) => Ok(b.to_vec()),
    }
}

impl Theme {
    /// Loads and compiles the theme's templates, with the site's overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut problems = Vec::new();
        for (label, files) in sources(root, config).map_err(|d| vec![d])? {
            for (path, source) in files {
                let shown = if label.is_empty() {
                    path.clone()
                } else {
                    format!("{label}/{path}")
                };
                if let Some(name) = path.strip_prefix("templates/") {
                    match read(&source).map(String::from_utf8) {
                        Ok(Ok(text)) => {
                            templates.insert(name.to_string(), (shown, text));
                        }
                        _ => problems.push(Diagnostic::error(
                            Code::NotUtf8,
                            &shown,
                            "cannot read template as UTF-8 text",
                        )),
                    }
                } else if let Some(rel) = path.strip_prefix("static/") {
                    static_files.insert(rel.to_string(), source);
                }
            }
        }
        for name in REQUIRED {
            if !templates.contains_key(*name) {
                problems.push(
                    Diagnostic::error(
                        Code::MissingTemplate,
                        format!("templates/{name}"),
                        format!("the theme has no `{name}` template"),
                    )
                    .with_help(format!(
                        "add `templates/{name}`; a theme needs {}",
                        REQUIRED.join(", ")
                    )),
                );
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".htm"]);
        register_helpers(&mut tera, config);
        let files: BTreeMap<String, String> = templates
            .iter()
            .map(|(n, (shown, _))| (n.clone(), shown.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(
            templates
                .iter()
                .map(|(n, (_, text))| (n.as_str(), text.as_str())),
        ) {
            return Err(vec![template_error(&files, &e, None)]);
        }
        Ok(Theme {
            tera,
            files,
            static_files,
        })
    }

    /// Puts the values every template sees (config, nav) in Tera's global context, once.
    pub fn set_globals(&mut self, globals: Context) {
        self.tera.global_context().extend(globals);
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template`; `page_file` names the page in an error.
    pub fn render(
        &self,
        template: &str,
        context: &Context,
        page_file: Option<&str>,
    ) -> Result<String, Diagnostic> {
        if !self.tera.contains_template(template) {
            let file = page_file.unwrap_or("templates");
            return Err(Diagnostic::error(
                Code::MissingTemplate,
                file,
                format!("template `{template}` does not exist"),
            )
            .with_help(format!(
                "add `templates/{template}` or remove `template` from the front matter"
            )));
        }
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&self.files, &e, page_file))
    }

    /// The bytes of a theme or site static file.
    pub fn read_static(source: &StaticSource) -> std::io::Result<Vec<u8>> {
        read(source)
    }
}

fn register_helpers(tera: &mut Tera, config: &Config) {
    let base = config.base_path();
    let base_for_asset = base.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            Ok(join_url(&base, &path))
        },
    );
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            Ok(join_url(&base_for_asset, &path))
        },
    );
}

fn join_url(base: &str, path: &str) -> String {
    if path.contains("://") {
        return path.to_string();
    }
    format!(
        "{base}{}",
        crate::util::url::encode_path(path.trim_start_matches('/'))
    )
}

/// Names the template file, line and column of a Tera error.
fn template_error(
    files: &BTreeMap<String, String>,
    e: &tera::Error,
    page_file: Option<&str>,
) -> Diagnostic {
    let rendering = page_file
        .map(|p| format!(" (while rendering `{p}`)"))
        .unwrap_or_default();
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = files
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| report.filename().to_string());
            let span = report.span();
            Diagnostic::error(
                Code::TemplateError,
                file,
                format!("template error: {}{rendering}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
        }
        other => Diagnostic::error(
            Code::TemplateError,
            "templates",
            format!("template error: {other}{rendering}"),
        ),
    }
}
