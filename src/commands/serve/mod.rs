//! `syllabus serve`: builds the site, serves it over HTTP, and with `--watch`
//! rebuilds what changed and reloads open pages.
//!
//! - [`rebuild`]: the incremental build; the output folder always equals the
//!   site in memory ([`files`]).
//! - [`watch`]: file events → [`watch::Change`] (pure), and the watcher.
//! - [`http`] and [`server`]: requests → files of the site; the socket and its limits.
//! - [`host`]: only requests for a local host name or this machine's address are answered.
//! - [`reload`]: the live-reload script, its events, and the error overlay.
//!
//! The rebuild thread owns the site. After each rebuild it publishes an
//! immutable [`files::Snapshot`] on a `watch` channel; requests read the
//! latest one, so they never see a half-updated site.

mod files;
mod host;
mod http;
mod rebuild;
mod reload;
mod server;
mod watch;

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};

use crate::diagnostics::{self, Diagnostic, Format};
use crate::pipeline::{BuildOptions, load_config};
use files::{HostConfig, Snapshot};
use rebuild::{Failure, Rebuilder, Update};
use watch::{Change, Layout, Watcher};

pub use server::DEFAULT_PORT;

/// What the user asked `serve` for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// Rebuild on changes and reload open pages.
    pub watch: bool,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    pub bind: IpAddr,
    /// Open the site in the default browser (best effort).
    pub open: bool,
}

/// Takes the port, builds, then serves until the process is stopped. Returns only on failure.
pub fn run(options: &ServeOptions) -> Result<()> {
    let root = std::fs::canonicalize(&options.build.root).with_context(|| {
        format!(
            "cannot open the project folder `{}`",
            options.build.root.display()
        )
    })?;
    let build = BuildOptions {
        root: root.clone(),
        ..options.build.clone()
    };
    // The port first: a taken port fails before anything is written.
    let bound = server::bind(options.bind, options.port)?;
    let mut rebuilder = Rebuilder::new(build.clone());
    let (mut publisher, snapshots) = Publisher::new();
    let first = rebuilder.rebuild(&HashSet::new());
    let failed = first.is_err();
    publisher.publish(first, None);
    if let Some(rest) = rebuilder.finish() {
        publisher.publish_site_wide(rest);
    }
    release_freed_memory();
    if failed && !options.watch {
        bail!("nothing to serve: the site has errors (with `--watch`, serve waits for a fix)");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("syllabus-serve")
        .build()
        .context("cannot start the server's runtime")?;
    let address = bound
        .listener
        .local_addr()
        .context("cannot read the server's address")?;
    let base_path = snapshots.borrow().base_path.clone();
    let url = site_url(options.bind, address.port(), &base_path);
    announce(options, &bound, &url);
    if options.watch {
        let layout = Layout::new(&root, load_config(&build).ok().as_ref());
        let watcher = Watcher::start(&layout)?;
        std::thread::Builder::new()
            .name("syllabus-watch".into())
            .spawn(move || watch_loop(watcher, layout, build, rebuilder, publisher))
            .context("cannot start the watcher thread")?;
    }
    if options.open {
        open_browser(&url);
    }
    let app = http::router(snapshots, host::AllowedHosts::new(options.bind));
    runtime.block_on(server::serve(
        bound.listener,
        app,
        server::Limits::default(),
    ))
}

/// The URL to print: a wildcard bind address is reached on loopback.
fn site_url(bind: IpAddr, port: u16, base_path: &str) -> String {
    let host = match bind {
        IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(a) if a.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
    };
    format!("http://{host}:{port}{base_path}")
}

fn announce(options: &ServeOptions, bound: &server::Bound, url: &str) {
    if let Some(port) = bound.moved_from {
        println!("Port {port} is in use; using the next free port.");
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on your network can read the site and its drafts; the dev server is meant for this machine (the default, 127.0.0.1)",
            options.bind
        );
    }
    let watching = if options.watch {
        "; watching for changes"
    } else {
        ""
    };
    println!("Serving the site at {url} (Ctrl-C to stop){watching}");
}

/// Waits for changes and rebuilds, until the watcher stops.
fn watch_loop(
    mut watcher: Watcher,
    mut layout: Layout,
    build: BuildOptions,
    mut rebuilder: Rebuilder,
    mut publisher: Publisher,
) {
    while let Some(batch) = watcher.next_batch() {
        let change = watch::classify(&batch, &layout);
        if change.is_empty() {
            continue;
        }
        // Watch new folders before reading them: what is written in them after
        // this point raises events, what was written before is read by the rebuild.
        let now = Layout::new(&layout.root, load_config(&build).ok().as_ref());
        if change.layout || change.rescan || now != layout {
            layout = now;
            watcher.rewatch(&layout);
        }
        if change.rescan {
            rebuilder.reread_all();
        }
        let changed: HashSet<PathBuf> = change.paths.keys().cloned().collect();
        let result = rebuilder.rebuild(&changed);
        publisher.publish(result, Some((&change, &layout.root)));
        if let Some(rest) = rebuilder.finish() {
            publisher.publish_site_wide(rest);
        }
        release_freed_memory();
    }
}

/// Gives the memory a rebuild freed back to the system. The allocator keeps
/// freed pages for reuse, each thread its own; after a large edit is undone
/// the server would hold them while it idles (108 MB more than before adding
/// and removing 4,690 pages). Every thread of the pool that rendered pages
/// collects its own.
fn release_freed_memory() {
    #[allow(unsafe_code)] // an FFI call: mimalloc has no safe wrapper for it
    fn collect() {
        // SAFETY: mi_collect only returns the calling thread's free pages (and
        // abandoned ones) to the system; it touches no live allocation.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
    rayon::broadcast(|_| collect());
    collect();
}

/// Reports each rebuild in the terminal and publishes its snapshot.
struct Publisher {
    sender: tokio::sync::watch::Sender<Arc<Snapshot>>,
    /// Differs between runs of the server, so pages opened before a restart reload.
    instance: String,
    generation: u64,
    /// Warnings already printed, so that each rebuild prints only new ones.
    warnings: BTreeSet<String>,
}

impl Publisher {
    fn new() -> (Publisher, tokio::sync::watch::Receiver<Arc<Snapshot>>) {
        let instance = format!("{:08x}", RandomState::new().hash_one(0u8) as u32);
        let version = format!("{instance}-0");
        let (sender, receiver) = tokio::sync::watch::channel(Arc::new(Snapshot::empty(version)));
        let publisher = Publisher {
            sender,
            instance,
            generation: 0,
            warnings: BTreeSet::new(),
        };
        (publisher, receiver)
    }

    fn publish(&mut self, result: Result<Update, Failure>, change: Option<(&Change, &Path)>) {
        let cause = change
            .map(|(c, root)| describe(c, root))
            .unwrap_or_default();
        let current = self.sender.borrow().clone();
        let next = match result {
            Ok(update) => {
                self.print_warnings(&update.warnings);
                print_update(&update, &cause, change.is_none());
                let fixed = current.error.is_some();
                if update.changed_anything() || fixed || self.generation == 0 {
                    self.generation += 1;
                }
                if fixed {
                    println!("The site builds again; open pages reload.");
                }
                Snapshot {
                    host: Arc::new(HostConfig::from_files(&update.files)),
                    files: update.files,
                    version: format!("{}-{}", self.instance, self.generation),
                    error: None,
                    base_path: update.base_path,
                }
            }
            Err(failure) => {
                let text = report_failure(failure, &cause, self.generation > 0);
                Snapshot {
                    error: Some(Arc::from(text)),
                    ..(*current).clone()
                }
            }
        };
        self.sender.send_replace(Arc::new(next));
    }

    /// The second step of a rebuild. Open pages reload only when a stylesheet or
    /// script changed: the search index, redirects and the Azure config are not
    /// part of the page on screen.
    fn publish_site_wide(&mut self, result: Result<Update, Failure>) {
        let current = self.sender.borrow().clone();
        let next = match result {
            Ok(update) if !update.changed_anything() => return,
            Ok(update) => {
                let restyled = update
                    .written
                    .iter()
                    .chain(&update.removed)
                    .any(|p| p.ends_with(".css") || p.ends_with(".js"));
                if restyled {
                    self.generation += 1;
                }
                Snapshot {
                    host: Arc::new(HostConfig::from_files(&update.files)),
                    files: update.files,
                    version: format!("{}-{}", self.instance, self.generation),
                    ..(*current).clone()
                }
            }
            Err(failure) => Snapshot {
                error: Some(Arc::from(report_failure(failure, "", true))),
                ..(*current).clone()
            },
        };
        self.sender.send_replace(Arc::new(next));
    }

    fn print_warnings(&mut self, warnings: &[Diagnostic]) {
        let mut sorted = warnings.to_vec();
        diagnostics::sort(&mut sorted);
        let all: BTreeSet<String> = sorted.iter().map(|d| d.to_string()).collect();
        let new: Vec<Diagnostic> = sorted
            .into_iter()
            .filter(|d| !self.warnings.contains(&d.to_string()))
            .collect();
        let _ = diagnostics::report(&new, Format::Human, false, &mut std::io::stderr());
        self.warnings = all;
    }
}

/// The changed files, relative to the course folder, for the terminal.
fn describe(change: &Change, root: &Path) -> String {
    let mut names: Vec<String> = change
        .paths
        .keys()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(format!("{more} more"));
    }
    if names.is_empty() {
        "the course folder".into()
    } else {
        names.join(", ")
    }
}

fn print_update(update: &Update, cause: &str, first: bool) {
    let ms = update.elapsed.as_millis();
    if first {
        println!(
            "Built {} pages in {ms} ms into {}",
            update.pages,
            update.output.display()
        );
        return;
    }
    if !update.changed_anything() {
        println!("Rebuilt in {ms} ms after {cause} changed: the site is the same");
        return;
    }
    println!(
        "Rebuilt in {ms} ms after {cause} changed: {} of {} pages rendered, {} file(s) written, {} deleted",
        update.rendered,
        update.pages,
        update.written.len(),
        update.removed.len()
    );
}

/// Prints why a build failed; returns the same text for the overlay.
fn report_failure(failure: Failure, cause: &str, serving: bool) -> String {
    let mut text = match failure {
        Failure::Content(diags) => {
            // Warnings were printed when they first appeared; the errors are what stops the build.
            let mut diags: Vec<Diagnostic> =
                diags.into_iter().filter(Diagnostic::is_error).collect();
            diagnostics::sort(&mut diags);
            let mut out = Vec::new();
            let _ = diagnostics::report(&diags, Format::Human, false, &mut out);
            String::from_utf8_lossy(&out).trim_end().to_string()
        }
        Failure::Io(e) => format!("error: {e:#}"),
    };
    eprintln!("{text}");
    let after = if cause.is_empty() {
        String::new()
    } else {
        format!(" after {cause} changed")
    };
    let what = if serving {
        "still serving the last good site"
    } else {
        "waiting for a fix"
    };
    let summary = format!("error: the build failed{after}; {what}");
    eprintln!("{summary}");
    text.push_str("\n\n");
    text.push_str(&summary);
    text
}

/// Opens `url` in the default browser; a failure is only a note.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("note: cannot open a browser ({program}: {e}); open {url} yourself"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_urls() {
        let v4: IpAddr = "127.0.0.1".parse().expect("ip");
        let any: IpAddr = "0.0.0.0".parse().expect("ip");
        let v6: IpAddr = "::1".parse().expect("ip");
        assert_eq!(site_url(v4, 1111, "/"), "http://127.0.0.1:1111/");
        assert_eq!(
            site_url(any, 8000, "/course/"),
            "http://127.0.0.1:8000/course/"
        );
        assert_eq!(site_url(v6, 1111, "/"), "http://[::1]:1111/");
    }
}
