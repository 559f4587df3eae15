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
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, Result};
use axum::body::Bytes;
use rayon::prelude::*;

use super::files::{Entry, Files};
use crate::build::output::{self, Output};
use crate::build::{BuildOptions, RenderCache, Site, write_file};
use crate::config::{self, Config};
use crate::diagnostics::Diagnostic;
use crate::theme::{StaticSource, Theme};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
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
        let azure = crate::azure::check(&site.config, &site.redirects);
        if azure.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(azure));
        }
        warnings.extend(azure);
        let templates = templates_hash(&site.root, &site.config.theme);
        let site_fp = site.site_fingerprint();
        let prev = self.last.as_ref();
        let full = prev.is_none_or(|p| p.site != site_fp || p.templates != templates);
        let mut next = Collect::new(prev);
        let (pages, rendered) = render_pages(site, prev.filter(|_| !full), &mut next)?;
        let not_found = site
            .render_not_found()
            .map_err(|d| Failure::Content(vec![d]))?;
        next.put("404.html".into(), Bytes::from(not_found));
        let mut generated = match prev {
            Some(prev) if !staged => {
                for path in &prev.generated {
                    next.keep(path);
                }
                prev.generated.clone()
            }
            _ => site_wide_files(site, &mut next, &HashSet::new())?,
        };
        copy_static(&site.theme, changed, &mut next)?;
        copy_assets(site, changed, &mut next)?;
        generated.retain(|path| !next.copied.contains(path));
        let (written, removed) = next.diff();
        let (_, output) = self.output.as_ref().expect("prepared above");
        let write = if staged {
            write_staged(output, &next.files)
        } else {
            write_in_place(&output.dir, &next.files, &written, &removed)
        };
        if let Err(e) = write {
            self.in_sync = false;
            return Err(Failure::Io(e));
        }
        self.in_sync = true;
        if staged && let Err(e) = site.highlighter().save_cache() {
            warnings.push(Diagnostic::warning(
                crate::build::CACHE_FILE,
                format!("cannot save the highlight cache: {e}"),
            ));
        }
        let files = Arc::new(next.files);
        let update = Update {
            files: files.clone(),
            base_path: site.config.base_path(),
            output: output.dir.clone(),
            pages: site.course.pages.len(),
            rendered,
            written,
            removed,
            warnings,
            elapsed: start.elapsed(),
        };
        self.last = Some(Built {
            site: site_fp,
            templates,
            pages,
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
        let mut next = Collect::new(Some(prev));
        for (path, entry) in prev.files.iter() {
            if !prev.generated.contains(path) {
                next.files.insert(path.clone(), entry.clone());
            }
        }
        let generated = match site_wide_files(site, &mut next, &prev.copied) {
            Ok(g) => g,
            Err(f) => return Some(Err(f)),
        };
        let (written, removed) = next.diff();
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
            &crate::build::protected(config),
            crate::build::Writer::Serve,
        )?;
        self.output = Some((config.output_dir.clone(), checked));
        Ok(true)
    }
}

/// The next site being assembled, reusing the last one's entries where the bytes are the same.
struct Collect<'a> {
    prev: Option<&'a Built>,
    files: Files,
    stamps: HashMap<String, Stamp>,
    copied: HashSet<String>,
}

impl<'a> Collect<'a> {
    fn new(prev: Option<&'a Built>) -> Collect<'a> {
        Collect {
            prev,
            files: Files::with_capacity(prev.map_or(0, |p| p.files.len())),
            stamps: HashMap::new(),
            copied: HashSet::new(),
        }
    }

    fn old(&self, path: &str) -> Option<&'a Arc<Entry>> {
        self.prev.and_then(|p| p.files.get(path))
    }

    /// Adds a file; a later file at the same path wins, as in `build`.
    fn put(&mut self, path: String, bytes: Bytes) {
        let entry = match self.old(&path) {
            Some(old) if old.bytes == bytes => old.clone(),
            _ => Arc::new(Entry::new(bytes)),
        };
        self.stamps.remove(&path);
        self.files.insert(path, entry);
    }

    /// Keeps the last build's file at `path`; false when it had none.
    fn keep(&mut self, path: &str) -> bool {
        match self.old(path) {
            Some(old) => {
                self.files.insert(path.to_string(), old.clone());
                true
            }
            None => false,
        }
    }

    /// Paths written (new or changed) and removed since the last build, sorted.
    fn diff(&self) -> (Vec<String>, Vec<String>) {
        let empty = Files::new();
        let old = self.prev.map_or(&empty, |p| &*p.files);
        let mut written: Vec<String> = self
            .files
            .iter()
            .filter(|(path, entry)| old.get(*path).is_none_or(|o| !Arc::ptr_eq(o, entry)))
            .map(|(path, _)| path.clone())
            .collect();
        let mut removed: Vec<String> = old
            .keys()
            .filter(|path| !self.files.contains_key(*path))
            .cloned()
            .collect();
        written.sort();
        removed.sort();
        (written, removed)
    }
}

/// A page's document, or why its template failed.
type Rendered = Result<String, Diagnostic>;

/// Renders the documents of pages whose fingerprint changed (all of them without `reuse`).
/// Returns every page's fingerprint and how many were rendered.
fn render_pages(
    site: &Site,
    reuse: Option<&Built>,
    next: &mut Collect,
) -> Result<(HashMap<String, u64>, usize), Failure> {
    let results: Vec<(String, u64, Option<Rendered>)> = (0..site.course.pages.len())
        .into_par_iter()
        .map(|id| {
            let path = site.page_path(id);
            let fp = site.page_fingerprint(id);
            let same = reuse
                .is_some_and(|r| r.pages.get(&path) == Some(&fp) && r.files.contains_key(&path));
            let html = (!same).then(|| site.render_page(id));
            (path, fp, html)
        })
        .collect();
    let mut problems = Vec::new();
    let mut fingerprints = HashMap::with_capacity(results.len());
    let mut rendered = 0;
    for (path, fp, html) in results {
        match html {
            None => {
                next.keep(&path);
            }
            Some(Ok(html)) => {
                rendered += 1;
                next.put(path.clone(), Bytes::from(html));
            }
            Some(Err(d)) => problems.push(d),
        }
        fingerprints.insert(path, fp);
    }
    if problems.is_empty() {
        Ok((fingerprints, rendered))
    } else {
        Err(Failure::Content(problems))
    }
}

/// The site-wide files: redirects, the highlight stylesheet, the search index and
/// the Azure config; a static file or asset at the same path wins, as in `build`.
fn site_wide_files(
    site: &Site,
    next: &mut Collect,
    copied: &HashSet<String>,
) -> Result<HashSet<String>, Failure> {
    let files = site
        .generated_files()
        .map_err(|e| Failure::Content(vec![Diagnostic::error(config::FILE_NAME, e)]))?;
    let mut paths = HashSet::new();
    for (path, bytes) in files {
        if !copied.contains(&path) {
            paths.insert(path.clone());
            next.put(path, Bytes::from(bytes));
        }
    }
    Ok(paths)
}

/// The theme's and the site's static files.
fn copy_static(theme: &Theme, changed: &HashSet<PathBuf>, next: &mut Collect) -> Result<()> {
    for (rel, source) in &theme.static_files {
        match source {
            StaticSource::Embedded(bytes) => {
                next.put(rel.clone(), Bytes::from_static(bytes));
                next.copied.insert(rel.clone());
            }
            StaticSource::Disk(path) => copy_file(rel, path, changed, next)?,
        }
    }
    Ok(())
}

/// The content folder's assets, next to their pages.
fn copy_assets(site: &Site, changed: &HashSet<PathBuf>, next: &mut Collect) -> Result<()> {
    for rel in &site.course.assets {
        copy_file(rel, &site.course.content_dir.join(rel), changed, next)?;
    }
    Ok(())
}

fn copy_file(
    rel: &str,
    source: &Path,
    changed: &HashSet<PathBuf>,
    next: &mut Collect,
) -> Result<()> {
    let meta =
        std::fs::metadata(source).with_context(|| format!("cannot read `{}`", source.display()))?;
    let stamp = Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    };
    let unchanged =
        !changed.contains(source) && next.prev.is_some_and(|p| p.stamps.get(rel) == Some(&stamp));
    if !(unchanged && next.keep(rel)) {
        let bytes =
            std::fs::read(source).with_context(|| format!("cannot read `{}`", source.display()))?;
        next.put(rel.to_string(), Bytes::from(bytes));
    }
    next.stamps.insert(rel.to_string(), stamp);
    next.copied.insert(rel.to_string());
    Ok(())
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
