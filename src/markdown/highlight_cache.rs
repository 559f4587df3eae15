//! A content-addressed cache of highlighted code blocks, kept on disk between
//! builds (`.syllabus-cache/highlight.bin`), so that rebuilds and `serve` skip
//! highlighting code that did not change. Blocks are keyed by the two theme
//! names, the language and the code; the file as a whole belongs to the exact
//! build that wrote it (version, Git commit and highlighting data, see
//! `build.rs`), and any other build starts from an empty cache: two builds of
//! one version can highlight differently. The file holds only the blocks the
//! last build used, so it never grows beyond the course.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

const MAGIC: &[u8; 8] = b"SYLHLC02";

/// This build: the cache file names it, and a file naming another is ignored.
const BUILD: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("SYLLABUS_GIT_COMMIT"),
    "+",
    env!("SYLLABUS_HIGHLIGHT_DATA")
);

/// Highlighted lines of one block.
pub type Lines = Arc<Vec<String>>;

#[derive(Debug, Default)]
pub struct BlockCache {
    /// `None` when caching is off.
    path: Option<PathBuf>,
    /// The build whose blocks this cache reads and writes.
    build: &'static str,
    stored: OnceLock<HashMap<u64, Lines>>,
    used: Mutex<HashSet<u64>>,
    fresh: Mutex<HashMap<u64, Lines>>,
}

impl BlockCache {
    /// A cache backed by `path`, or an inactive one.
    pub fn new(path: Option<PathBuf>) -> BlockCache {
        BlockCache::of_build(path, BUILD)
    }

    fn of_build(path: Option<PathBuf>, build: &'static str) -> BlockCache {
        BlockCache {
            path,
            build,
            ..BlockCache::default()
        }
    }

    /// The key of a block for the given themes (within one build's file).
    pub fn key(themes: (&str, &str), lang: &str, code: &str) -> u64 {
        let mut h = DefaultHasher::new();
        (themes, lang, code).hash(&mut h);
        h.finish()
    }

    pub fn get(&self, key: u64) -> Option<Lines> {
        let path = self.path.as_ref()?;
        let stored = self
            .stored
            .get_or_init(|| load(path, self.build).unwrap_or_default());
        let found = stored.get(&key).cloned().or_else(|| {
            self.fresh
                .lock()
                .expect("no panics while holding the lock")
                .get(&key)
                .cloned()
        })?;
        self.used
            .lock()
            .expect("no panics while holding the lock")
            .insert(key);
        Some(found)
    }

    pub fn put(&self, key: u64, lines: Lines) {
        if self.path.is_some() {
            self.fresh
                .lock()
                .expect("no panics while holding the lock")
                .insert(key, lines);
        }
    }

    /// Writes the blocks used or made by this build, when anything changed.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let fresh = self.fresh.lock().expect("no panics while holding the lock");
        let used = self.used.lock().expect("no panics while holding the lock");
        let stored = self.stored.get();
        let stored_len = stored.map_or(0, HashMap::len);
        if fresh.is_empty() && used.len() == stored_len {
            return Ok(());
        }
        let mut entries: Vec<(u64, &Lines)> = fresh.iter().map(|(k, v)| (*k, v)).collect();
        if let Some(stored) = stored {
            entries.extend(
                stored
                    .iter()
                    .filter(|(k, _)| used.contains(k) && !fresh.contains_key(k))
                    .map(|(k, v)| (*k, v)),
            );
        }
        let mut bytes = Vec::with_capacity(
            entries
                .iter()
                .map(|(_, l)| l.iter().map(String::len).sum::<usize>() + 16)
                .sum(),
        );
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(self.build.len() as u32).to_le_bytes());
        bytes.extend_from_slice(self.build.as_bytes());
        for (key, lines) in entries {
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&(lines.len() as u32).to_le_bytes());
            for line in lines.iter() {
                bytes.extend_from_slice(&(line.len() as u32).to_le_bytes());
                bytes.extend_from_slice(line.as_bytes());
            }
        }
        write_atomically(path, &bytes)
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    drop(file);
    std::fs::rename(&tmp, path)
}

/// Reads the cache file; a missing, damaged or foreign file (another format,
/// or another build's) is an empty cache.
fn load(path: &Path, build: &str) -> Option<HashMap<u64, Lines>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .read_to_end(&mut bytes)
        .ok()?;
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut map = HashMap::new();
    let take = |n: usize, rest: &mut &[u8]| -> Option<Vec<u8>> {
        if rest.len() < n {
            return None;
        }
        let (head, tail) = rest.split_at(n);
        *rest = tail;
        Some(head.to_vec())
    };
    let len = u32::from_le_bytes(take(4, &mut rest)?.try_into().ok()?) as usize;
    if take(len, &mut rest)? != build.as_bytes() {
        return None;
    }
    while !rest.is_empty() {
        let key = u64::from_le_bytes(take(8, &mut rest)?.try_into().ok()?);
        let count = u32::from_le_bytes(take(4, &mut rest)?.try_into().ok()?) as usize;
        let mut lines = Vec::with_capacity(count.min(100_000));
        for _ in 0..count {
            let len = u32::from_le_bytes(take(4, &mut rest)?.try_into().ok()?) as usize;
            lines.push(String::from_utf8(take(len, &mut rest)?).ok()?);
        }
        map.insert(key, Arc::new(lines));
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_only_used_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c/highlight.bin");
        let cache = BlockCache::new(Some(path.clone()));
        let (a, b) = (
            BlockCache::key(("l", "d"), "py", "a"),
            BlockCache::key(("l", "d"), "py", "b"),
        );
        assert_ne!(a, b);
        assert!(cache.get(a).is_none());
        cache.put(a, Arc::new(vec!["<span>a</span>\n".into()]));
        cache.put(b, Arc::new(vec!["b".into()]));
        cache.save().unwrap();
        let again = BlockCache::new(Some(path.clone()));
        assert_eq!(again.get(a).unwrap().as_slice(), ["<span>a</span>\n"]);
        again.save().unwrap();
        let third = BlockCache::new(Some(path.clone()));
        assert!(third.get(b).is_none(), "unused block kept");
        assert!(third.get(a).is_some());
        std::fs::write(&path, b"garbage").unwrap();
        assert!(BlockCache::new(Some(path)).get(a).is_none());
    }

    #[test]
    fn another_build_of_the_same_version_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.bin");
        let key = BlockCache::key(("l", "d"), "py", "print(1)");
        // Same version, another commit: its grammars or HTML may differ.
        let other = concat!(env!("CARGO_PKG_VERSION"), "+0000000+0");
        let theirs = BlockCache::of_build(Some(path.clone()), other);
        theirs.put(key, Arc::new(vec!["<span>theirs</span>".into()]));
        theirs.save().unwrap();
        assert!(BlockCache::new(Some(path.clone())).get(key).is_none());
        // The build that wrote it still finds its blocks.
        let again = BlockCache::of_build(Some(path), other);
        assert_eq!(again.get(key).unwrap().as_slice(), ["<span>theirs</span>"]);
        assert!(BUILD.contains(env!("SYLLABUS_GIT_COMMIT")));
    }
}
