//! Watching the course folder. [`classify`] is the pure part: it turns a batch
//! of file events into the [`Change`] they mean for the site (or none: editor
//! swap files, the output folder, reads). [`Watcher`] wraps notify's debouncer,
//! which merges an editor's write-to-temp-then-rename into one event and
//! follows new folders.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{Event, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};

use crate::model::config::{self, Config};

/// How long the debouncer waits for an editor to finish a save.
const DEBOUNCE: Duration = Duration::from_millis(5);
const TICK: Duration = Duration::from_millis(2);

/// Where a course keeps what the site is made from; absolute paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub root: PathBuf,
    pub content: PathBuf,
    /// `themes/<name>` of the configured theme.
    pub theme: PathBuf,
    pub output: PathBuf,
    /// `[markdown] link_definitions`: every page reads it, so a change rebuilds all.
    pub link_definitions: Option<PathBuf>,
}

impl Layout {
    /// The layout a config names; the defaults when the config cannot be read.
    pub fn new(root: &Path, config: Option<&Config>) -> Layout {
        let default = Config::default();
        let config = config.unwrap_or(&default);
        Layout {
            root: root.to_path_buf(),
            content: root.join(&config.content_dir),
            theme: root.join("themes").join(&config.theme),
            output: root.join(&config.output_dir),
            link_definitions: config
                .markdown
                .link_definitions
                .as_ref()
                .map(|p| root.join(p)),
        }
    }

    /// Folders watched with everything inside them (when they exist).
    pub fn folders(&self) -> Vec<PathBuf> {
        vec![
            self.content.clone(),
            self.root.join("templates"),
            self.root.join("static"),
            self.theme.clone(),
        ]
    }
}

/// What a source file is to the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Config,
    Template,
    Static,
    Content,
}

/// What a batch of file events means.
#[derive(Debug, Default, PartialEq)]
pub struct Change {
    /// Each changed source that matters, with what it is.
    pub paths: BTreeMap<PathBuf, Kind>,
    /// The watcher lost track of events: rebuild and re-read everything.
    pub rescan: bool,
    /// A watched folder itself appeared, went or moved: watch again.
    pub layout: bool,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan && !self.layout
    }
}

/// Classifies a batch of events (pure: looks only at the events' kinds and paths).
pub fn classify<'a>(events: impl IntoIterator<Item = &'a Event>, layout: &Layout) -> Change {
    let mut change = Change::default();
    let folders = layout.folders();
    for event in events {
        if event.need_rescan() {
            change.rescan = true;
        }
        if !changes_content(&event.kind) {
            continue;
        }
        for path in &event.paths {
            if folders.iter().any(|f| f == path) || *path == layout.root.join("themes") {
                change.layout = true;
            }
            if let Some(kind) = kind_of(path, layout) {
                change.paths.insert(path.clone(), kind);
            }
        }
    }
    change
}

/// Reads (and opening a file to read it) change nothing; a closed write does.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

fn kind_of(path: &Path, layout: &Layout) -> Option<Kind> {
    if path.starts_with(&layout.output) {
        return None;
    }
    if path == layout.root.join(config::FILE_NAME)
        || layout.link_definitions.as_deref() == Some(path)
    {
        return Some(Kind::Config);
    }
    // Content last: a content folder that is the project folder holds the others.
    let areas = [
        (layout.root.join("templates"), Kind::Template),
        (layout.root.join("static"), Kind::Static),
        (layout.theme.join("templates"), Kind::Template),
        (layout.theme.join("static"), Kind::Static),
        (layout.content.clone(), Kind::Content),
    ];
    let (kind, rel) = areas
        .iter()
        .find_map(|(dir, kind)| path.strip_prefix(dir).ok().map(|rel| (*kind, rel)))?;
    if rel.components().any(|c| ignored_name(c.as_os_str())) {
        return None;
    }
    Some(kind)
}

/// Names that are never part of a site: dot-files (also the swap files of
/// vim and emacs) and editors' backup and temporary files.
fn ignored_name(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// The file watcher: notify's debouncer over the course's folders.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: mpsc::Receiver<DebounceEventResult>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Watches the root (for `syllabus.toml` and new folders) and every folder of `layout`.
    pub fn start(layout: &Layout) -> Result<Watcher> {
        let (tx, events) = mpsc::channel();
        let debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, Some(TICK), tx)
            .context("cannot start the file watcher")?;
        let mut watcher = Watcher {
            debouncer,
            events,
            watched: Vec::new(),
        };
        watcher
            .debouncer
            .watch(&layout.root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", layout.root.display()))?;
        watcher.rewatch(layout);
        Ok(watcher)
    }

    /// Watches the layout's folders again (after one appeared, went, or the config moved it).
    pub fn rewatch(&mut self, layout: &Layout) {
        for dir in self.watched.drain(..) {
            let _ = self.debouncer.unwatch(&dir);
        }
        for dir in layout.folders() {
            if dir.is_dir() && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok() {
                self.watched.push(dir);
            }
        }
    }

    /// Waits for the next batch of events and takes everything else already queued.
    /// `None` when the watcher stopped.
    pub fn next_batch(&self) -> Option<Vec<Event>> {
        let mut batch = Vec::new();
        let mut take = |result: DebounceEventResult| match result {
            Ok(events) => batch.extend(events.into_iter().map(|e| e.event)),
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}");
                }
            }
        };
        take(self.events.recv().ok()?);
        while let Ok(more) = self.events.try_recv() {
            take(more);
        }
        Some(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{
        CreateKind, DataChange, Flag, ModifyKind, RemoveKind, RenameMode,
    };

    fn layout() -> Layout {
        let config = Config::default();
        Layout::new(Path::new("/course"), Some(&config))
    }

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        paths
            .iter()
            .fold(Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
    }

    fn write() -> EventKind {
        EventKind::Modify(ModifyKind::Data(DataChange::Any))
    }

    fn kinds(change: &Change) -> Vec<(&str, Kind)> {
        change
            .paths
            .iter()
            .map(|(p, k)| (p.to_str().expect("utf-8"), *k))
            .collect()
    }

    #[test]
    fn sources_by_area() {
        let cases = [
            ("/course/content/s1/index.md", Some(Kind::Content)),
            ("/course/content/s1/img/flow.png", Some(Kind::Content)),
            ("/course/syllabus.toml", Some(Kind::Config)),
            ("/course/templates/page.html", Some(Kind::Template)),
            ("/course/static/logo.svg", Some(Kind::Static)),
            (
                "/course/themes/default/templates/base.html",
                Some(Kind::Template),
            ),
            (
                "/course/themes/default/static/assets/site.css",
                Some(Kind::Static),
            ),
            ("/course/themes/default/README.md", None),
            ("/course/themes/other/templates/base.html", None),
            ("/course/public/index.html", None),
            ("/course/README.md", None),
            ("/course/.git/index", None),
            ("/elsewhere/content/x.md", None),
        ];
        for (path, want) in cases {
            let change = classify(&[event(write(), &[path])], &layout());
            assert_eq!(change.paths.get(Path::new(path)).copied(), want, "{path}");
        }
    }

    #[test]
    fn editor_files_are_ignored() {
        for path in [
            "/course/content/s1/.index.md.swp",
            "/course/content/s1/.index.md.swx",
            "/course/content/s1/index.md~",
            "/course/content/s1/4913",
            "/course/content/s1/#index.md#",
            "/course/content/s1/.#index.md",
            "/course/content/s1/index.md___jb_tmp___",
            "/course/content/.hidden/page.md",
        ] {
            let change = classify(&[event(write(), &[path])], &layout());
            assert!(change.is_empty(), "{path}: {change:?}");
        }
    }

    #[test]
    fn reads_are_not_changes_but_closed_writes_are() {
        let page = "/course/content/index.md";
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(classify(&[event(open, &[page]), event(read, &[page])], &layout()).is_empty());
        assert_eq!(
            kinds(&classify(&[event(closed, &[page])], &layout())),
            [(page, Kind::Content)]
        );
    }

    #[test]
    fn save_through_a_temporary_file() {
        // vim: write `4913` to probe, then a swap file, then rename over the page.
        let events = [
            event(
                EventKind::Create(CreateKind::File),
                &["/course/content/4913"],
            ),
            event(
                EventKind::Remove(RemoveKind::File),
                &["/course/content/4913"],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/course/content/.index.md.tmp", "/course/content/index.md"],
            ),
        ];
        assert_eq!(
            kinds(&classify(&events, &layout())),
            [("/course/content/index.md", Kind::Content)]
        );
    }

    #[test]
    fn renames_deletes_and_new_folders() {
        let rename = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/course/content/s1/a.md", "/course/content/s2/a.md"],
        );
        let delete = event(
            EventKind::Remove(RemoveKind::File),
            &["/course/static/old.css"],
        );
        let folder = event(
            EventKind::Create(CreateKind::Folder),
            &["/course/content/s3"],
        );
        let change = classify(&[rename, delete, folder], &layout());
        assert_eq!(
            kinds(&change),
            [
                ("/course/content/s1/a.md", Kind::Content),
                ("/course/content/s2/a.md", Kind::Content),
                ("/course/content/s3", Kind::Content),
                ("/course/static/old.css", Kind::Static),
            ]
        );
        assert!(!change.layout);
    }

    #[test]
    fn a_watched_folder_appearing_means_watch_again() {
        for path in ["/course/templates", "/course/static", "/course/themes"] {
            let change = classify(
                &[event(EventKind::Create(CreateKind::Folder), &[path])],
                &layout(),
            );
            assert!(change.layout, "{path}");
        }
    }

    #[test]
    fn lost_events_mean_rescan() {
        let e = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        let change = classify(&[e], &layout());
        assert!(change.rescan && !change.is_empty());
    }

    #[test]
    fn a_lesson_folder_as_content_keeps_the_other_areas_and_its_link_definitions() {
        let config =
            Config::parse("content_dir = \".\"\n[markdown]\nlink_definitions = \"links.md\"\n")
                .expect("valid config");
        let l = Layout::new(Path::new("/c"), Some(&config));
        let e = event(
            write(),
            &[
                "/c/links.md",
                "/c/episodes/a.md",
                "/c/templates/page.html",
                "/c/public/x.html",
            ],
        );
        assert_eq!(
            kinds(&classify(&[e], &l)),
            [
                ("/c/episodes/a.md", Kind::Content),
                ("/c/links.md", Kind::Config),
                ("/c/templates/page.html", Kind::Template),
            ]
        );
    }

    #[test]
    fn layout_follows_the_config() {
        let config =
            Config::parse("content_dir = \"docs\"\noutput_dir = \"site\"\n").expect("valid config");
        let l = Layout::new(Path::new("/c"), Some(&config));
        let e = event(
            write(),
            &["/c/docs/x.md", "/c/content/y.md", "/c/site/x/index.html"],
        );
        assert_eq!(
            kinds(&classify(&[e], &l)),
            [("/c/docs/x.md", Kind::Content)]
        );
    }
}
