//! The last stages, the same for every command: the checks of the whole site,
//! then each page through its template, the 404 page, the generated files and
//! the copies, into a [`Sink`]. `build` and `check` run [`write`] once;
//! `serve` runs it on every change with the last build's fingerprints, so
//! that only pages whose inputs changed are rendered again.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use anyhow::Result;
use rayon::prelude::*;

use super::Site;
use super::sink::Sink;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::config::FILE_NAME;
use crate::outputs::azure;
use crate::outputs::azure::quota::Usage;
use crate::theme::StaticSource;

/// What one run of [`write`] makes.
pub struct Plan<'a> {
    /// Document path → fingerprint of the pages the sink's last build holds: a
    /// page with the same fingerprint is kept, not rendered. `None`: render all.
    pub unchanged: Option<&'a HashMap<String, u64>>,
    /// Whether to return each page's fingerprint (for the next run's `unchanged`).
    pub fingerprints: bool,
    /// Whether to make the site-wide files now; `serve` makes them after the
    /// pages are served, with [`site_wide_files`].
    pub site_wide: bool,
    /// Called after each page (a progress bar).
    pub on_page: &'a (dyn Fn() + Sync),
}

impl Plan<'_> {
    /// Everything, once: `build` and `check`.
    pub fn full(on_page: &(dyn Fn() + Sync)) -> Plan<'_> {
        Plan {
            unchanged: None,
            fingerprints: false,
            site_wide: true,
            on_page,
        }
    }
}

/// What [`write`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// Template problems. When there are any, nothing but pages was written.
    pub problems: Vec<Diagnostic>,
    /// Document path → fingerprint of every page, when the plan asked for them.
    pub fingerprints: HashMap<String, u64>,
    /// Pages rendered through their template (not kept).
    pub rendered: usize,
    /// Paths of the site-wide generated files written.
    pub generated: HashSet<String>,
}

/// Problems of the whole site that no single stage sees: highlight themes and
/// the Azure configuration with its limits.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if site.rendered.iter().any(|r| r.has_code)
        && let Err(e) = site.highlighter().check_themes()
    {
        out.push(
            Diagnostic::error(Code::UnknownHighlightTheme, FILE_NAME, e)
                .with_help("set `[highlight] light_theme` and `dark_theme` to known themes"),
        );
    }
    out.extend(azure::check(&site.config, &site.redirects, &site.embeds()));
    let pages = site.course.pages.iter().map(|p| p.file.as_str());
    let embeds = site.rendered.iter().map(|r| &r.embeds);
    out.extend(azure::check_pages(&site.config, pages.zip(embeds)));
    out
}

/// Quota problems of the site as written (files and bytes of one deployment).
pub fn check_usage(site: &Site, usage: &Usage) -> Vec<Diagnostic> {
    azure::quota::check(&site.config.azure, usage)
}

/// Renders what the plan asks into `sink`. `Err` is an I/O failure; template
/// problems are in [`Written::problems`].
pub fn write(site: &Site, plan: &Plan, sink: &dyn Sink) -> Result<Written> {
    let mut written = pages(site, plan, sink)?;
    match site.render_not_found() {
        Ok(html) => sink.put("404.html", html.into_bytes())?,
        Err(d) => written.problems.push(d),
    }
    if !written.problems.is_empty() {
        return Ok(written);
    }
    if plan.site_wide {
        written.generated = site_wide_files(site, sink)?;
    }
    copy_sources(site, sink)?;
    Ok(written)
}

/// Each page's document, rendered or (when its fingerprint is unchanged) kept.
fn pages(site: &Site, plan: &Plan, sink: &dyn Sink) -> Result<Written> {
    let problems = Mutex::new(Vec::new());
    let results: Vec<(String, u64, bool)> = (0..site.course.pages.len())
        .into_par_iter()
        .map(|id| -> Result<(String, u64, bool)> {
            let path = site.page_path(id);
            let fingerprint = if plan.fingerprints || plan.unchanged.is_some() {
                site.page_fingerprint(id)
            } else {
                0
            };
            let same = plan
                .unchanged
                .is_some_and(|u| u.get(&path) == Some(&fingerprint));
            let kept = same && sink.keep(&path);
            if !kept {
                match site.render_page(id) {
                    Ok(html) => sink.put(&path, html.into_bytes())?,
                    Err(d) => problems
                        .lock()
                        .expect("no panics while holding the lock")
                        .push(d),
                }
            }
            // The page's own files (a notebook's images) go with its document.
            for (file, bytes) in &site.rendered[id].files {
                if !(kept && sink.keep(file)) {
                    sink.put(file, bytes.clone())?;
                }
            }
            (plan.on_page)();
            Ok((path, fingerprint, !kept))
        })
        .collect::<Result<_>>()?;
    let rendered = results.iter().filter(|(_, _, r)| *r).count();
    let fingerprints = if plan.fingerprints {
        results.into_iter().map(|(p, f, _)| (p, f)).collect()
    } else {
        HashMap::new()
    };
    Ok(Written {
        problems: problems
            .into_inner()
            .expect("no panics while holding the lock"),
        fingerprints,
        rendered,
        generated: HashSet::new(),
    })
}

/// The site-wide generated files (redirects, highlight stylesheet, search
/// index, sitemap, feed, robots.txt, Azure config); returns their paths.
/// Copies come after them, so a static file at the same path wins.
pub fn site_wide_files(site: &Site, sink: &dyn Sink) -> Result<HashSet<String>> {
    let mut paths = HashSet::new();
    for (path, bytes) in site.generated_files().map_err(anyhow::Error::msg)? {
        sink.put(&path, bytes)?;
        paths.insert(path);
    }
    Ok(paths)
}

/// The theme's and the site's static files, then the content folder's assets next to their pages.
pub fn copy_sources(site: &Site, sink: &dyn Sink) -> Result<()> {
    site.theme
        .static_files
        .par_iter()
        .try_for_each(|(rel, source)| match source {
            StaticSource::Embedded(bytes) => sink.put_static(rel, bytes),
            StaticSource::Disk(path) => sink.copy(rel, path),
        })?;
    let course = &site.course;
    course
        .assets
        .par_iter()
        .try_for_each(|rel| sink.copy(rel, &course.content_dir.join(rel)))
}
