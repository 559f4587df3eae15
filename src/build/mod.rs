//! Orchestration: runs the stages in order and writes the site.
//!
//! `build` and `check` share everything up to writing: `check` renders every
//! page and template too (to find template errors) but writes nothing.

mod lock;
pub mod output;
mod site;

pub use lock::Writer;

pub use site::{RenderCache, Site};

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressDrawTarget};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::Course;
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub quiet: bool,
    /// Safe mode whatever the config says: raw HTML sanitised, script URLs removed.
    pub safe: bool,
    /// Skip the cache of highlighted code blocks (to measure cold builds).
    pub no_cache: bool,
    /// Validate only (`check`): code is not highlighted, nothing is written.
    pub validate_only: bool,
}

/// Where highlighted code blocks are cached between builds, relative to the project.
pub const CACHE_FILE: &str = ".syllabus-cache/highlight.bin";

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
        Report {
            diagnostics,
            summary: None,
        }
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
    if options.safe {
        config.markdown.unsafe_html = false;
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
        Mode::Build => Some(output::check(
            &options.root,
            &config.output_dir,
            &protected(&config),
            Writer::Build,
        )?),
        Mode::Check => None,
    };
    let load_options = BuildOptions {
        validate_only: mode == Mode::Check,
        ..options.clone()
    };
    let (site, mut diags) = match Site::load(&load_options, None) {
        Ok(loaded) => loaded,
        Err(d) => return Ok(Report::stop(d, vec![])),
    };
    if mode == Mode::Check
        && site.rendered.iter().any(|r| r.has_code)
        && let Err(e) = site.highlighter().check_themes()
    {
        diags.push(
            Diagnostic::error(crate::config::FILE_NAME, e)
                .with_help("set `[highlight] light_theme` and `dark_theme` to known themes"),
        );
    }
    diags.extend(crate::azure::check(&site.config, &site.redirects));
    let staging = match &output {
        Some(o) => Some(o.start()?.to_path_buf()),
        None => None,
    };
    let written = write_site(&site, staging.as_deref(), options.quiet, start);
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
    if let Some(dir) = &staging {
        diags.extend(crate::azure::check_quota(&site.config.azure, dir));
    }
    if diags.iter().any(Diagnostic::is_error) {
        if let Some(o) = &output {
            o.abandon();
        }
        return Ok(Report::stop(diags, vec![]));
    }
    let summary = match &output {
        Some(o) => {
            o.commit()?;
            if let Err(e) = site.highlighter().save_cache() {
                diags.push(
                    Diagnostic::warning(
                        CACHE_FILE,
                        format!("cannot save the highlight cache: {e}"),
                    )
                    .with_help("the site was built; the next build highlights all code again"),
                );
            }
            let (pages, assets) = (site.course.pages.len(), site.course.assets.len());
            Some(Summary {
                pages,
                assets,
                elapsed: start.elapsed(),
                output: o.dir.clone(),
            })
        }
        None => None,
    };
    Ok(Report {
        diagnostics: diags,
        summary,
    })
}

/// Folders an output directory must never be or contain.
pub fn protected(config: &Config) -> Vec<PathBuf> {
    vec![
        config.content_dir.clone(),
        "themes".into(),
        "static".into(),
        "templates".into(),
    ]
}

/// Renders every document; writes it under `out` when given. Returns template problems.
fn write_site(
    site: &Site,
    out: Option<&Path>,
    quiet: bool,
    start: Instant,
) -> Result<Vec<Diagnostic>> {
    let course = &site.course;
    let problems = Mutex::new(Vec::new());
    let progress = Progress::new(course.pages.len(), quiet, start);
    (0..course.pages.len())
        .into_par_iter()
        .try_for_each(|id| -> Result<()> {
            match site.render_page(id) {
                Ok(html) => {
                    if let Some(out) = out {
                        write_file(&out.join(site.page_path(id)), html.as_bytes())?;
                    }
                }
                Err(d) => problems
                    .lock()
                    .expect("no panics while holding the lock")
                    .push(d),
            }
            progress.tick();
            Ok(())
        })?;
    progress.finish();
    let mut problems = problems
        .into_inner()
        .expect("no panics while holding the lock");
    let not_found = site.render_not_found();
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
    for (path, bytes) in site.generated_files().map_err(anyhow::Error::msg)? {
        write_file(&out.join(path), &bytes)?;
    }
    copy_static(&site.theme, out)?;
    copy_assets(course, out)?;
    Ok(problems)
}

/// Writes a file, creating its folders.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder `{}`", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Copies the theme's and the site's static files to the site root.
pub fn copy_static(theme: &Theme, out: &Path) -> Result<()> {
    theme.static_files.par_iter().try_for_each(|(rel, source)| {
        let bytes = Theme::read_static(source)
            .with_context(|| format!("cannot read static file `{rel}`"))?;
        write_file(&out.join(rel), &bytes)
    })
}

/// Copies the content folder's assets next to their pages.
pub fn copy_assets(course: &Course, out: &Path) -> Result<()> {
    course.assets.par_iter().try_for_each(|rel| {
        let to = out.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create folder `{}`", dir.display()))?;
        }
        let from = course.content_dir.join(rel);
        std::fs::copy(&from, &to)
            .map(|_| ())
            .with_context(|| format!("cannot copy `{}` to `{}`", from.display(), to.display()))
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
        Progress {
            bar,
            start,
            shown: AtomicBool::new(false),
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
        if self.enabled
            && self.start.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
