//! Orchestration: runs the stages in order and writes the site.
//!
//! `build` and `check` share everything up to writing: `check` renders every
//! page and template too (to find template errors) but writes nothing.

pub mod output;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressDrawTarget};
use rayon::prelude::*;

use crate::config::{BrokenLinks, Config};
use crate::content::{self, Course, LoadOptions};
use crate::diagnostics::{Diagnostic, Severity};
use crate::links::{UrlIndex, build_graph};
use crate::markdown::{self, Highlighter, RenderContext, RenderedPage};
use crate::site_files;
use crate::theme::{self, PageInput, Theme};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub quiet: bool,
}

/// Whether to write the site or only validate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Build,
    Check,
}

/// The result of a build: every problem found and, when written, what was written.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<Summary>,
}

#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub assets: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn stop(mut diagnostics: Vec<Diagnostic>, more: Vec<Diagnostic>) -> Report {
        diagnostics.extend(more);
        Report { diagnostics, summary: None }
    }
}

/// Loads the configuration, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    if let Some(out) = &options.output {
        config.output_dir = out.clone();
    }
    Ok(config)
}

/// Runs the whole pipeline; environment failures (I/O) are `Err`, content problems are in the report.
pub fn run(options: &BuildOptions, mode: Mode) -> Result<Report> {
    let start = Instant::now();
    let config = match load_config(options) {
        Ok(c) => c,
        Err(d) => return Ok(Report::stop(d, vec![])),
    };
    // Checked first: a refused output folder is refused whatever the content, and a
    // site left aside by a killed build is put back even if this build fails.
    let output = match mode {
        Mode::Build => Some(output::check(&options.root, &config.output_dir, &protected(&config))?),
        Mode::Check => None,
    };
    let content_name = config.content_dir.to_string_lossy().replace('\\', "/");
    let (course, mut diags) =
        content::load(&options.root.join(&config.content_dir), &content_name, &LoadOptions { include_drafts: options.drafts });
    let mut theme = match Theme::load(&options.root, &config) {
        Ok(t) => t,
        Err(d) => return Ok(Report::stop(diags, d)),
    };
    if diags.iter().any(Diagnostic::is_error) {
        return Ok(Report::stop(diags, vec![]));
    }
    let index = UrlIndex::new(&course, &config.base_path(), theme.static_files.keys().cloned().collect());
    let highlighter = Highlighter::new(&config.highlight);
    let severity = match config.links.broken {
        BrokenLinks::Error => Severity::Error,
        BrokenLinks::Warn => Severity::Warning,
    };
    let ctx = RenderContext { index: &index, highlighter: &highlighter, options: &config.markdown, broken: severity };
    let mut rendered: Vec<RenderedPage> = course.pages.par_iter().map(|p| markdown::render(p, &ctx)).collect();
    diags.extend(unknown_language_warnings(&course, &rendered));
    for r in &mut rendered {
        diags.append(&mut r.diagnostics);
    }
    let (graph, link_diags) = build_graph(&course, &rendered, severity);
    diags.extend(link_diags);
    let (redirects, alias_diags) = site_files::aliases(&course, &index);
    diags.extend(alias_diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Ok(Report::stop(diags, vec![]));
    }

    theme.set_globals(globals(&config, &course, &index));
    let staging = match &output {
        Some(o) => Some(o.start()?.to_path_buf()),
        None => None,
    };
    let input = PageInput { config: &config, course: &course, index: &index, rendered: &rendered, graph: &graph };
    let written = write_site(&input, &theme, staging.as_deref(), &redirects, options.quiet, start);
    let template_diags = match written {
        Ok(d) => d,
        Err(e) => {
            if let Some(o) = &output {
                o.abandon();
            }
            return Err(e);
        }
    };
    diags.extend(template_diags);
    if diags.iter().any(Diagnostic::is_error) {
        if let Some(o) = &output {
            o.abandon();
        }
        return Ok(Report::stop(diags, vec![]));
    }
    let summary = match &output {
        Some(o) => {
            o.commit()?;
            Some(Summary { pages: course.pages.len(), assets: course.assets.len(), elapsed: start.elapsed(), output: o.dir.clone() })
        }
        None => None,
    };
    Ok(Report { diagnostics: diags, summary })
}

/// Folders an output directory must never be or contain.
fn protected(config: &Config) -> Vec<PathBuf> {
    vec![config.content_dir.clone(), "themes".into(), "static".into(), "templates".into()]
}

/// Site-wide template values, serialised once for all pages.
fn globals(config: &Config, course: &Course, index: &UrlIndex) -> tera::Context {
    #[derive(serde::Serialize)]
    struct ConfigView<'a> {
        title: &'a str,
        description: &'a str,
        base_url: String,
        base_path: String,
        repo_url: Option<&'a str>,
        branch: &'a str,
        language: &'a str,
        extra: &'a toml::Table,
        search: bool,
    }
    let mut ctx = tera::Context::new();
    ctx.insert(
        "config",
        &ConfigView {
            title: &config.title,
            description: &config.description,
            base_url: config.site_origin_url(),
            base_path: config.base_path(),
            repo_url: config.repo_url.as_deref(),
            branch: &config.branch,
            language: &config.language,
            extra: &config.extra,
            search: config.search.enabled,
        },
    );
    ctx.insert("nav", &theme::nav_tree(course, index));
    ctx.insert("generator", &format!("syllabus {}", env!("CARGO_PKG_VERSION")));
    ctx
}

/// One warning per unknown code language, at its first use.
fn unknown_language_warnings(course: &Course, rendered: &[RenderedPage]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, (usize, &str)> = HashMap::new();
    for &p in &course.order {
        for lang in &rendered[p].unknown_languages {
            seen.entry(lang).or_insert((0, &course.pages[p].file)).0 += 1;
        }
    }
    let mut out: Vec<Diagnostic> = seen
        .into_iter()
        .map(|(lang, (count, file))| {
            Diagnostic::warning(file, format!("no syntax highlighting for language `{lang}` ({count} block(s)); shown as plain text"))
                .with_help("check the spelling after the opening ```, or leave it empty for plain text")
        })
        .collect();
    out.sort_by(|a, b| a.message.cmp(&b.message));
    out
}

fn template_for(course: &Course, id: usize) -> &str {
    let page = &course.pages[id];
    match &page.front.template {
        Some(t) => t,
        None if page.is_index && page.section == 0 => "index.html",
        None if page.is_index => "section.html",
        None => "page.html",
    }
}

/// Renders every document; writes it under `out` when given. Returns template problems.
fn write_site(
    input: &PageInput,
    theme: &Theme,
    out: Option<&Path>,
    redirects: &[site_files::Redirect],
    quiet: bool,
    start: Instant,
) -> Result<Vec<Diagnostic>> {
    let course = input.course;
    let problems = Mutex::new(Vec::new());
    let progress = Progress::new(course.pages.len(), quiet, start);
    course.pages.par_iter().enumerate().try_for_each(|(id, page)| -> Result<()> {
        let context = theme::page_context(input, id);
        match theme.render(template_for(course, id), &context, Some(&page.file)) {
            Ok(html) => {
                if let Some(out) = out {
                    write_file(&out.join(&page.url_path).join("index.html"), html.as_bytes())?;
                }
            }
            Err(d) => problems.lock().expect("no panics while holding the lock").push(d),
        }
        progress.tick();
        Ok(())
    })?;
    progress.finish();
    let not_found = theme.render("404.html", &tera::Context::new(), None);
    let mut problems = problems.into_inner().expect("no panics while holding the lock");
    let Some(out) = out else {
        problems.extend(not_found.err());
        return Ok(problems);
    };
    match not_found {
        Ok(html) => write_file(&out.join("404.html"), html.as_bytes())?,
        Err(d) => problems.push(d),
    }
    if !problems.is_empty() {
        return Ok(problems);
    }
    for r in redirects {
        let file = if r.path.ends_with(".html") { out.join(&r.path) } else { out.join(&r.path).join("index.html") };
        write_file(&file, site_files::redirect_html(&r.to).as_bytes())?;
    }
    copy_static(theme, out)?;
    copy_assets(course, out)?;
    if input.rendered.iter().any(|r| r.has_code) {
        let css = Highlighter::stylesheet(&input.config.highlight)
            .map_err(|e| anyhow::anyhow!("{e}\n  help: set `[highlight] light_theme` and `dark_theme` in syllabus.toml"))?;
        write_file(&out.join("assets/highlight.css"), css.as_bytes())?;
    }
    if input.config.search.enabled {
        write_file(&out.join("search-index.json"), &site_files::search_index(course, input.rendered, input.index))?;
    }
    Ok(problems)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create folder `{}`", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

fn copy_static(theme: &Theme, out: &Path) -> Result<()> {
    theme.static_files.par_iter().try_for_each(|(rel, source)| {
        let bytes = Theme::read_static(source).with_context(|| format!("cannot read static file `{rel}`"))?;
        write_file(&out.join(rel), &bytes)
    })
}

fn copy_assets(course: &Course, out: &Path) -> Result<()> {
    course.assets.par_iter().try_for_each(|rel| {
        let to = out.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create folder `{}`", dir.display()))?;
        }
        let from = course.content_dir.join(rel);
        std::fs::copy(&from, &to).map(|_| ()).with_context(|| format!("cannot copy `{}` to `{}`", from.display(), to.display()))
    })
}

/// A progress bar that appears only on a terminal, once a build has run for a second.
struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl Progress {
    fn new(total: usize, quiet: bool, start: Instant) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        Progress { bar, start, shown: AtomicBool::new(false), enabled: !quiet && std::io::stderr().is_terminal() }
    }

    fn tick(&self) {
        self.bar.inc(1);
        if self.enabled && self.start.elapsed() > Duration::from_secs(1) && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
