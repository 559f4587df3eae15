//! Where the files of a site go: a [`Sink`]. `build` writes into a staging
//! folder on disk ([`Disk`]); `serve` keeps the site in memory ([`Memory`]),
//! reusing the last build's files where they did not change, and then makes
//! its output folder equal to it.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use anyhow::{Context as _, Result};
use bytes::Bytes;

/// Receives the files of a site, from several threads at once. A later file
/// at the same path wins (a static file over a generated one).
pub trait Sink: Sync {
    /// A file the build made.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()>;
    /// A file copied from the course (static file, asset); `source` is its file.
    fn copy(&self, path: &str, source: &Path) -> Result<()>;
    /// A file copied from the theme built into syllabus.
    fn put_static(&self, path: &str, bytes: &'static [u8]) -> Result<()>;
    /// Keeps the last build's file at `path` as it is; false when there is none
    /// (a sink without a last build keeps nothing).
    fn keep(&self, _path: &str) -> bool {
        false
    }
}

/// Writes files under a folder (the staging folder of a build).
pub struct Disk {
    root: PathBuf,
}

impl Disk {
    pub fn new(root: &Path) -> Disk {
        Disk {
            root: root.to_path_buf(),
        }
    }
}

impl Sink for Disk {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        write_file(&self.root.join(path), &bytes)
    }

    fn copy(&self, path: &str, source: &Path) -> Result<()> {
        let to = self.root.join(path);
        create_parent(&to)?;
        std::fs::copy(source, &to)
            .map(|_| ())
            .with_context(|| format!("cannot copy `{}` to `{}`", source.display(), to.display()))
    }

    fn put_static(&self, path: &str, bytes: &'static [u8]) -> Result<()> {
        write_file(&self.root.join(path), bytes)
    }
}

/// Drops every file: `check` renders every document (to find template
/// errors) and writes nothing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: Vec<u8>) -> Result<()> {
        Ok(())
    }

    fn copy(&self, _path: &str, _source: &Path) -> Result<()> {
        Ok(())
    }

    fn put_static(&self, _path: &str, _bytes: &'static [u8]) -> Result<()> {
        Ok(())
    }
}

/// One file of a site in memory.
#[derive(Debug)]
pub struct Entry {
    pub bytes: Bytes,
    /// Hash of `bytes`, the base of the file's ETag.
    pub hash: u64,
    /// When these bytes were first made (kept while the file does not change).
    pub modified: SystemTime,
}

impl Entry {
    pub fn new(bytes: Bytes) -> Entry {
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        Entry {
            hash: h.finish(),
            bytes,
            modified: SystemTime::now(),
        }
    }
}

/// Output-relative path (`s1/reading/index.html`, `/`-separated, decoded) → file.
pub type Files = HashMap<String, Arc<Entry>>;

/// Size and time of a copied file's source when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

/// A site in memory, made from the last one: a file whose bytes did not
/// change keeps its entry (and so its ETag and date), and a copied file whose
/// source kept its size and time is not read again.
pub struct Memory<'a> {
    last: Option<(&'a Files, &'a HashMap<String, Stamp>)>,
    /// Sources known to have changed, whatever their size and time say.
    changed: &'a HashSet<PathBuf>,
    state: Mutex<MemoryState>,
}

/// What a [`Memory`] sink holds once the build is done.
#[derive(Default)]
pub struct MemoryState {
    pub files: Files,
    /// Stamps of the copied files' sources.
    pub stamps: HashMap<String, Stamp>,
    /// Paths of copied files (static files and assets).
    pub copied: HashSet<String>,
}

impl<'a> Memory<'a> {
    /// A sink that reuses `last` (files and the stamps of their sources) where it can.
    pub fn new(
        last: Option<(&'a Files, &'a HashMap<String, Stamp>)>,
        changed: &'a HashSet<PathBuf>,
    ) -> Memory<'a> {
        Memory {
            last,
            changed,
            state: Mutex::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, MemoryState> {
        self.state.lock().expect("no panics while holding the lock")
    }

    fn old(&self, path: &str) -> Option<&'a Arc<Entry>> {
        self.last.and_then(|(files, _)| files.get(path))
    }

    fn insert(&self, path: &str, bytes: Bytes) {
        let entry = match self.old(path) {
            Some(old) if old.bytes == bytes => old.clone(),
            _ => Arc::new(Entry::new(bytes)),
        };
        let mut state = self.state();
        state.stamps.remove(path);
        state.copied.remove(path);
        state.files.insert(path.to_string(), entry);
    }

    /// The files and what is known of their sources.
    pub fn into_state(self) -> MemoryState {
        self.state
            .into_inner()
            .expect("no panics while holding the lock")
    }
}

impl Sink for Memory<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        self.insert(path, Bytes::from(bytes));
        Ok(())
    }

    fn copy(&self, path: &str, source: &Path) -> Result<()> {
        let meta = std::fs::metadata(source)
            .with_context(|| format!("cannot read `{}`", source.display()))?;
        let stamp = Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        };
        let unchanged = !self.changed.contains(source)
            && self
                .last
                .is_some_and(|(_, stamps)| stamps.get(path) == Some(&stamp));
        if !(unchanged && self.keep(path)) {
            let bytes = std::fs::read(source)
                .with_context(|| format!("cannot read `{}`", source.display()))?;
            self.insert(path, Bytes::from(bytes));
        }
        let mut state = self.state();
        state.stamps.insert(path.to_string(), stamp);
        state.copied.insert(path.to_string());
        Ok(())
    }

    fn put_static(&self, path: &str, bytes: &'static [u8]) -> Result<()> {
        self.insert(path, Bytes::from_static(bytes));
        self.state().copied.insert(path.to_string());
        Ok(())
    }

    fn keep(&self, path: &str) -> bool {
        match self.old(path) {
            Some(old) => {
                let mut state = self.state();
                state.files.insert(path.to_string(), old.clone());
                true
            }
            None => false,
        }
    }
}

/// Writes a file, creating its folders.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) => std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder `{}`", dir.display())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_hash() {
        let a = Entry::new(Bytes::from_static(b"abc"));
        let b = Entry::new(Bytes::from_static(b"abc"));
        let c = Entry::new(Bytes::from_static(b"abd"));
        assert_eq!(a.hash, b.hash);
        assert_ne!(a.hash, c.hash);
    }

    #[test]
    fn memory_keeps_the_entry_of_unchanged_bytes_and_the_last_file_wins() {
        let changed = HashSet::new();
        let first = Memory::new(None, &changed);
        first.put("a.html", b"one".to_vec()).unwrap();
        first.put("b.html", b"two".to_vec()).unwrap();
        let first = first.into_state();
        let next = Memory::new(Some((&first.files, &first.stamps)), &changed);
        next.put("a.html", b"one".to_vec()).unwrap();
        next.put("b.html", b"changed".to_vec()).unwrap();
        next.put_static("b.html", b"static wins").unwrap();
        assert!(!next.keep("c.html"));
        let next = next.into_state();
        assert!(Arc::ptr_eq(&first.files["a.html"], &next.files["a.html"]));
        assert_eq!(&next.files["b.html"].bytes[..], b"static wins");
        assert!(next.copied.contains("b.html"));
    }
}
