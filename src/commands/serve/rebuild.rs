//! Incremental rebuilds. In: the course folder after a change. Out: the new
//! site in memory ([`Files`]) and the output folder made equal to it.
//!
//! Every rebuild re-reads the sources (cheap) through [`Site::load`] with a
//! [`RenderCache`], so only changed Markdown is rendered again. A page's
//! document is rendered again when its [`Site::page_fingerprint`] changed, and
//! every page when the site-wide values (navigation, config) or a template
//! changed. Static files and assets are re-read when their size or
//! modification time changed. Only files whose bytes differ are written; files
//! that are no longer part of the site are deleted.
//!
//! The first build, and any build after a failed write, goes through the
//! staging folder and the atomic swap of [`output`], like `syllabus build`.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::config::Config;
use crate::outputs::azure::quota::Usage;
use crate::pipeline::output::{self, Output};
use crate::pipeline::render::{self, Plan};
use crate::pipeline::sink::{Files, Memory, Sink as _, Stamp, write_file};
use crate::pipeline::{BuildOptions, RenderCache, Site};

/// Keeps the last good site between rebuilds.
pub struct Rebuilder {
    options: BuildOptions,
    cache: RenderCache,
    /// The output folder as configured, and as checked.
    output: Option<(PathBuf, Output)>,
    last: Option<Built>,
    /// False after a write to the output folder failed: the next build rewrites it whole.
    in_sync: bool,
    /// The last rebuilt site while its site-wide files are still to be made.
    pending: Option<Site>,
}

/// What the last good build produced, and what it was made from.
struct Built {
    site: u64,
    templates: u64,
    /// Page document path → the page's fingerprint.
    pages: HashMap<String, u64>,
    /// Copied file path → size and time of its source when it was read.
    stamps: HashMap<String, Stamp>,
    /// Paths of static files and assets (they win over generated files, as in `build`).
    copied: HashSet<String>,
    /// Paths of the site-wide generated files.
    generated: HashSet<String>,
    files: Arc<Files>,
}

/// What a successful rebuild did.
#[derive(Debug)]
pub struct Update {
    pub files: Arc<Files>,
    pub base_path: String,
    /// The live output folder.
    pub output: PathBuf,
    pub pages: usize,
    /// Page documents rendered through their template.
    pub rendered: usize,
    /// Output paths written (new or changed), sorted.
    pub written: Vec<String>,
    /// Output paths deleted, sorted.
    pub removed: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Update {
    pub fn changed_anything(&self) -> bool {
        !self.written.is_empty() || !self.removed.is_empty()
    }
}

/// Why a rebuild produced no new site.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content, templates or config, all of them.
    Content(Vec<Diagnostic>),
    /// The environment: the output folder was refused, a file could not be read or written.
    Io(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Io(e)
    }
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Rebuilder {
        Rebuilder {
            options,
            cache: RenderCache::default(),
            output: None,
            last: None,
            in_sync: false,
            pending: None,
        }
    }

    /// Builds the site's documents and copies, and publishes them; the site-wide
    /// files follow in [`Rebuilder::finish`]. `changed` lists source files known to
    /// have changed: their copies are re-read even if their size and time look the same.
    pub fn rebuild(&mut self, changed: &HashSet<PathBuf>) -> Result<Update, Failure> {
        if let Some(site) = self.pending.take() {
            self.cache.keep(site);
        }
        let start = Instant::now();
        let (site, warnings) =
            Site::load(&self.options, Some(&mut self.cache)).map_err(Failure::Content)?;
        let result = self.update(&site, warnings, changed, start);
        match result {
            Ok((_, false)) => self.pending = Some(site),
            _ => self.cache.keep(site),
        }
        result.map(|(update, _)| update)
    }

    /// Renders, copies and writes what changed in `site`; true when it went through staging.
    fn update(
        &mut self,
        site: &Site,
        mut warnings: Vec<Diagnostic>,
        changed: &HashSet<PathBuf>,
        start: Instant,
    ) -> Result<(Update, bool), Failure> {
        let staged = self.prepare_output(&site.config)? || !self.in_sync || self.last.is_none();
        let checks = render::check(site);
        if checks.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(checks));
        }
        warnings.extend(checks);
        let templates = templates_hash(&site.root, &site.config.theme);
        let site_fp = site.site_fingerprint();
        let prev = self.last.as_ref();
        let full = prev.is_none_or(|p| p.site != site_fp || p.templates != templates);
        let sink = Memory::new(prev.map(|p| (&*p.files, &p.stamps)), changed);
        // Without staging, the last site-wide files stay until `finish` makes new ones.
        let carried = match prev {
            Some(prev) if !staged => {
                for path in &prev.generated {
                    sink.keep(path);
                }
                Some(prev.generated.clone())
            }
            _ => None,
        };
        let plan = Plan {
            unchanged: prev.filter(|_| !full).map(|p| &p.pages),
            fingerprints: true,
            site_wide: carried.is_none(),
            on_page: &|| {},
        };
        let written = render::write(site, &plan, &sink)?;
        if !written.problems.is_empty() {
            return Err(Failure::Content(written.problems));
        }
        let next = sink.into_state();
        let mut generated = carried.unwrap_or(written.generated);
        generated.retain(|path| !next.copied.contains(path));
        let usage = Usage::of(
            next.files
                .iter()
                .map(|(p, e)| (p.as_str(), e.bytes.len() as u64)),
        );
        let quota = render::check_usage(site, &usage);
        if quota.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(quota));
        }
        warnings.extend(quota);
        let (written_paths, removed) = diff(prev.map(|p| &*p.files), &next.files);
        let (_, output) = self.output.as_ref().expect("prepared above");
        let write = if staged {
            write_staged(output, &next.files)
        } else {
            write_in_place(&output.dir, &next.files, &written_paths, &removed)
        };
        if let Err(e) = write {
            self.in_sync = false;
            return Err(Failure::Io(e));
        }
        self.in_sync = true;
        if staged && let Err(e) = site.highlighter().save_cache() {
            warnings.push(Diagnostic::warning(
                crate::diagnostics::Code::CacheNotSaved,
                crate::pipeline::CACHE_FILE,
                format!("cannot save the highlight cache: {e}"),
            ));
        }
        let files = Arc::new(next.files);
        let update = Update {
            files: files.clone(),
            base_path: site.config.base_path(),
            output: output.dir.clone(),
            pages: site.course.pages.len(),
            rendered: written.rendered,
            written: written_paths,
            removed,
            warnings,
            elapsed: start.elapsed(),
        };
        self.last = Some(Built {
            site: site_fp,
            templates,
            pages: written.fingerprints,
            stamps: next.stamps,
            copied: next.copied,
            generated,
            files,
        });
        Ok((update, staged))
    }

    /// The second step of a rebuild: the site-wide files (search index, redirects,
    /// highlight stylesheet, Azure config) of the site the last rebuild rendered.
    /// They depend on every page, take longer than a page, and no open page waits
    /// for them, so they come after the pages are served. `None`: nothing to do.
    pub fn finish(&mut self) -> Option<Result<Update, Failure>> {
        let site = self.pending.take()?;
        let result = self.site_wide(&site);
        self.cache.keep(site);
        result
    }

    fn site_wide(&mut self, site: &Site) -> Option<Result<Update, Failure>> {
        let start = Instant::now();
        let prev = self.last.as_ref()?;
        let no_changes = HashSet::new();
        let sink = Memory::new(Some((&*prev.files, &prev.stamps)), &no_changes);
        for path in prev.files.keys() {
            if !prev.generated.contains(path) {
                sink.keep(path);
            }
        }
        let generated = match render::site_wide_files(site, &sink) {
            Ok(g) => g,
            Err(e) => return Some(Err(Failure::Io(e))),
        };
        // A static file or asset at the same path wins, as in `build`.
        for path in &prev.copied {
            sink.keep(path);
        }
        let next = sink.into_state();
        let generated: HashSet<String> = generated
            .into_iter()
            .filter(|p| !prev.copied.contains(p))
            .collect();
        let (written, removed) = diff(Some(&*prev.files), &next.files);
        let (_, output) = self.output.as_ref()?;
        if let Err(e) = write_in_place(&output.dir, &next.files, &written, &removed) {
            self.in_sync = false;
            return Some(Err(Failure::Io(e)));
        }
        let files = Arc::new(next.files);
        let last = self.last.as_mut()?;
        last.files = files.clone();
        last.generated = generated;
        Some(Ok(Update {
            files,
            base_path: site.config.base_path(),
            output: output.dir.clone(),
            pages: site.course.pages.len(),
            rendered: 0,
            written,
            removed,
            warnings: Vec::new(),
            elapsed: start.elapsed(),
        }))
    }

    /// Forgets what the sources of copied files looked like: the next rebuild reads them all.
    pub fn reread_all(&mut self) {
        if let Some(last) = &mut self.last {
            last.stamps.clear();
        }
    }

    /// Checks the output folder named by the config; true when it is a new one.
    fn prepare_output(&mut self, config: &Config) -> Result<bool, Failure> {
        if let Some((dir, _)) = &self.output
            && *dir == config.output_dir
        {
            return Ok(false);
        }
        // The lock of the folder written so far goes first: the new one may be the same folder.
        self.output = None;
        let checked = output::check(
            &self.options.root,
            &config.output_dir,
            &crate::pipeline::protected(config),
            crate::pipeline::Writer::Serve,
        )?;
        self.output = Some((config.output_dir.clone(), checked));
        Ok(true)
    }
}

/// Paths written (new or changed) and removed since the last build, sorted.
fn diff(old: Option<&Files>, new: &Files) -> (Vec<String>, Vec<String>) {
    let empty = Files::new();
    let old = old.unwrap_or(&empty);
    let mut written: Vec<String> = new
        .iter()
        .filter(|(path, entry)| old.get(*path).is_none_or(|o| !Arc::ptr_eq(o, entry)))
        .map(|(path, _)| path.clone())
        .collect();
    let mut removed: Vec<String> = old
        .keys()
        .filter(|path| !new.contains_key(*path))
        .cloned()
        .collect();
    written.sort();
    removed.sort();
    (written, removed)
}

/// A hash of every template the site may use: the site's overrides and the theme's.
fn templates_hash(root: &Path, theme: &str) -> u64 {
    let mut h = DefaultHasher::new();
    let dirs = [
        root.join("templates"),
        root.join("themes").join(theme).join("templates"),
    ];
    for dir in dirs {
        let walk = walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walk.into_iter().flatten() {
            if entry.file_type().is_file() {
                entry.path().hash(&mut h);
                std::fs::read(entry.path()).ok().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// Writes the whole site to the staging folder and swaps it in.
fn write_staged(output: &Output, files: &Files) -> Result<()> {
    let staging = output.start()?.to_path_buf();
    let written = files
        .par_iter()
        .try_for_each(|(path, entry)| write_file(&staging.join(path), &entry.bytes));
    if let Err(e) = written {
        output.abandon();
        return Err(e);
    }
    output.commit()
}

/// Deletes what is gone and replaces what changed, each file atomically.
fn write_in_place(out: &Path, files: &Files, written: &[String], removed: &[String]) -> Result<()> {
    for path in removed {
        let file = out.join(path);
        match std::fs::remove_file(&file) {
            Ok(()) => prune_empty_parents(out, &file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot delete `{}`", file.display()));
            }
        }
    }
    written.par_iter().try_for_each(|path| {
        let entry = files.get(path).expect("written paths come from the files");
        replace_file(&out.join(path), &entry.bytes)
    })
}

/// Writes through a temporary file beside the target, so no reader sees half a file.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let (Some(dir), Some(name)) = (path.parent(), name) else {
        return write_file(path, bytes);
    };
    let tmp = dir.join(format!(".{name}.syllabus-tmp"));
    write_file(&tmp, bytes)?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Removes the folders a deletion left empty, up to the output root.
fn prune_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
