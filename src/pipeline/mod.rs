//! Orchestration: runs the stages in order and writes the site.
//!
//! `build` and `check` share everything up to writing: `check` renders every
//! page and template too (to find template errors) but writes nothing.

mod lock;
pub mod output;
pub mod render;
mod site;
pub mod sink;

pub use lock::Writer;
pub use render::Plan;
pub use sink::{Disk, Sink};
pub use site::{RenderCache, Site};

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::config::Config;
use crate::outputs::azure::quota;

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

/// Runs the whole pipeline for `build` or `check`; environment failures (I/O)
/// are `Err`, content problems are in the report.
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
    diags.extend(render::check(&site));
    let output = match output {
        Some(o) if !diags.iter().any(Diagnostic::is_error) => o,
        _ => {
            // `check`, or a site with errors already: every document is still
            // rendered, for template errors, and nothing is written.
            let plan = Plan {
                site_wide: false,
                ..Plan::full(&|| {})
            };
            let written = render::write(&site, &plan, &sink::Discard)?;
            return Ok(Report::stop(diags, written.problems));
        }
    };
    let staging = output.start()?.to_path_buf();
    let progress = Progress::new(site.course.pages.len(), options.quiet, start);
    let written = render::write(
        &site,
        &Plan::full(&|| progress.tick()),
        &Disk::new(&staging),
    );
    progress.finish();
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            output.abandon();
            return Err(e);
        }
    };
    diags.extend(written.problems);
    diags.extend(render::check_usage(&site, &quota::measure(&staging)));
    if diags.iter().any(Diagnostic::is_error) {
        output.abandon();
        return Ok(Report::stop(diags, vec![]));
    }
    output.commit()?;
    if let Err(e) = site.highlighter().save_cache() {
        diags.push(
            Diagnostic::warning(
                Code::CacheNotSaved,
                CACHE_FILE,
                format!("cannot save the highlight cache: {e}"),
            )
            .with_help("the site was built; the next build highlights all code again"),
        );
    }
    let summary = Summary {
        pages: site.course.pages.len(),
        assets: site.course.assets.len(),
        elapsed: start.elapsed(),
        output: output.dir.clone(),
    };
    Ok(Report {
        diagnostics: diags,
        summary: Some(summary),
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
