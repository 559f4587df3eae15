//! One writer at a time for each output folder.
//!
//! A build, or a `serve` session, holds an exclusive lock on `.<name>.lock`
//! beside the output for as long as it may write the output, its staging
//! folder or the previous site. The lock belongs to the open file, so the
//! operating system releases it when the process ends, even by `kill -9`: a
//! crashed build never leaves a stale lock. The holder writes its process id
//! and kind into the file, for the message of the one that has to wait.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

/// Who writes the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// `syllabus build`: done in seconds, so another writer waits for it.
    Build,
    /// `syllabus serve`: writes until stopped, so another writer is refused.
    Serve,
}

impl Writer {
    fn name(self) -> &'static str {
        match self {
            Writer::Build => "build",
            Writer::Serve => "serve",
        }
    }
}

/// A held lock on an output folder, released when dropped or when the process ends.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// How often a waiting writer tries the lock again.
const RETRY: Duration = Duration::from_millis(50);

/// Takes the lock at `path` for the output `shown`: waits while another build
/// holds it (saying so once on stderr), fails at once while a `serve` does.
pub fn acquire(path: &Path, shown: &Path, me: Writer) -> Result<OutputLock> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder `{}`", dir.display()))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock `{}`", path.display()));
            }
        }
        match holder(&mut file) {
            Some((pid, Writer::Serve)) => bail!(
                "`syllabus serve` (process {pid}) is writing the site to `{}`\n  help: stop it first, or give this command another folder with `--output`",
                shown.display()
            ),
            holder if !told => {
                let who = holder.map_or(String::new(), |(pid, _)| format!(" (process {pid})"));
                eprintln!(
                    "waiting for another build{who} that writes the site to `{}`…",
                    shown.display()
                );
                told = true;
            }
            _ => {}
        }
        std::thread::sleep(RETRY);
    }
    let mut write = || -> std::io::Result<()> {
        file.set_len(0)?;
        file.rewind()?;
        writeln!(file, "{} {}", std::process::id(), me.name())?;
        file.flush()
    };
    write().with_context(|| format!("cannot write the lock file `{}`", path.display()))?;
    Ok(OutputLock { _file: file })
}

/// The process id and kind the holder wrote; `None` while it has not written them yet.
fn holder(file: &mut File) -> Option<(u32, Writer)> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    let (pid, kind) = text.trim().split_once(' ')?;
    let kind = match kind {
        "build" => Writer::Build,
        "serve" => Writer::Serve,
        _ => return None,
    };
    Some((pid.parse().ok()?, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_for_a_build_and_is_refused_by_serve() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(".public.lock");
        let shown = dir.path().join("public");
        let first = acquire(&path, &shown, Writer::Serve).expect("free lock");
        let err = acquire(&path, &shown, Writer::Build).expect_err("held by serve");
        let text = format!("{err:#}");
        assert!(
            text.contains(&format!(
                "`syllabus serve` (process {}) is writing the site",
                std::process::id()
            )),
            "{text}"
        );
        drop(first);
        let build = acquire(&path, &shown, Writer::Build).expect("released on drop");
        let waiting = std::thread::spawn(move || acquire(&path, &shown, Writer::Build).is_ok());
        std::thread::sleep(RETRY * 4);
        assert!(!waiting.is_finished(), "a second build did not wait");
        drop(build);
        assert!(
            waiting.join().expect("no panic"),
            "the waiting build got no lock"
        );
    }
}
