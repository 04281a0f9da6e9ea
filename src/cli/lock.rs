//! An exclusive, advisory lock on a results folder for the whole of a run.
//!
//! `womsim run` writes its process id to a temporary file in the folder,
//! then links it to `.womsim.lock` with a no-clobber hard link (so of two
//! runs exactly one succeeds, and the lock never exists without its id), and
//! removes the lock when the run ends, however it ends short of a kill. A
//! lock left by a killed run names a process that no longer exists: it is
//! stale and is taken over. A second run while the first is alive exits 2
//! naming the holder. A lock without a readable id (written by some other
//! tool, or by an older womsim killed between creating and writing it) is
//! taken as live until it is [`UNREADABLE_LOCK_AGE`] old, so a run can never
//! delete the lock of a live run that is still writing it.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};

/// Name of the lock file inside a results folder.
pub const LOCK_FILE: &str = ".womsim.lock";

/// Age after which a lock without a readable process id is stale: 60 s.
pub const UNREADABLE_LOCK_AGE: Duration = Duration::from_secs(60);

/// Create `path` holding this process's id, atomically and only if it does
/// not exist: the id is written to a temporary file first, then hard-linked
/// to `path` (a link never replaces an existing file).
fn create_lock(dir: &Path, path: &Path) -> std::io::Result<()> {
    let tmp = dir.join(format!("{LOCK_FILE}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        writeln!(f, "{}", std::process::id())?;
        f.sync_all()?;
        fs::hard_link(&tmp, path)
    };
    let r = write();
    let _ = fs::remove_file(&tmp);
    r
}

/// Whether the lock at `path` without a readable id is older than
/// [`UNREADABLE_LOCK_AGE`] (an unknown age counts as young).
fn old_enough(path: &Path) -> bool {
    let age = fs::metadata(path).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_some_and(|a| a > UNREADABLE_LOCK_AGE)
}

/// A held lock; released on drop (and the folder removed again if this run
/// created it and left nothing in it).
#[derive(Debug)]
pub struct DirLock {
    dir: PathBuf,
    path: PathBuf,
    created_dir: bool,
}

/// Whether process `pid` exists (Linux: `/proc/<pid>`; elsewhere a signal-0
/// probe). A pid reused by an unrelated process counts as alive: the
/// message then tells the user which file to delete.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: kill with signal 0 sends nothing; it only checks that the
    // process exists (and that we may signal it).
    unsafe { libc::kill(pid, 0) == 0 }
}

impl DirLock {
    /// Lock `dir`, creating it if needed.
    pub fn acquire(dir: &Path) -> anyhow::Result<DirLock> {
        let created_dir = !dir.exists();
        fs::create_dir_all(dir).with_context(|| format!("cannot create the results folder {}", dir.display()))?;
        if !dir.is_dir() {
            bail!("the results path {} exists and is not a folder", dir.display());
        }
        let path = dir.join(LOCK_FILE);
        // Two attempts: the second after removing a stale lock.
        for _ in 0..2 {
            match create_lock(dir, &path) {
                Ok(()) => return Ok(DirLock { dir: dir.to_path_buf(), path, created_dir }),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    // (A lock is a few bytes; a bounded read of a regular file.)
                    let holder = womsim::inputs::read_text_bounded(&path, 64)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid != std::process::id() && alive(pid) => bail!(
                            "another womsim run (process {pid}) is writing the results folder {}; wait for it to \
                             finish or choose another folder with --out (if no such run exists, delete {})",
                            dir.display(),
                            path.display()
                        ),
                        None if !old_enough(&path) => bail!(
                            "the results folder {} is locked by {}, which names no process; it is taken as a \
                             live run's lock until it is {} s old (if no run is writing the folder, delete it)",
                            dir.display(),
                            path.display(),
                            UNREADABLE_LOCK_AGE.as_secs()
                        ),
                        // Left by a run that was killed (or unreadable and old): stale.
                        _ => fs::remove_file(&path)
                            .with_context(|| format!("cannot remove the stale lock {}", path.display()))?,
                    }
                }
                Err(e) => return Err(e).with_context(|| format!("cannot create the lock {}", path.display())),
            }
        }
        bail!("cannot lock the results folder {}: the lock file keeps reappearing", dir.display())
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        if self.created_dir {
            // Only if empty: remove_dir fails on a folder with results.
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_while_the_first_is_held() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("res");
        let first = DirLock::acquire(&dir).unwrap();
        // The same process may not lock twice either: simulate another
        // holder by writing a live pid (our parent's is alive).
        fs::write(dir.join(LOCK_FILE), format!("{}\n", std::os::unix::process::parent_id())).unwrap();
        let e = DirLock::acquire(&dir).unwrap_err().to_string();
        assert!(e.contains("another womsim run") && e.contains("--out"), "{e}");
        drop(first);
        assert!(!dir.exists(), "the folder this run created is removed again when empty");
    }

    #[test]
    fn a_stale_lock_is_taken_over_and_released() {
        let d = tempfile::tempdir().unwrap();
        // No process has pid u32::MAX - 1.
        fs::write(d.path().join(LOCK_FILE), format!("{}\n", u32::MAX - 1)).unwrap();
        let lock = DirLock::acquire(d.path()).unwrap();
        let pid: u32 = fs::read_to_string(d.path().join(LOCK_FILE)).unwrap().trim().parse().unwrap();
        assert_eq!(pid, std::process::id());
        drop(lock);
        assert!(!d.path().join(LOCK_FILE).exists());
        assert!(d.path().exists(), "a folder the run did not create is kept");
    }

    #[test]
    fn an_unreadable_lock_is_live_until_it_is_old() {
        let d = tempfile::tempdir().unwrap();
        let lock = d.path().join(LOCK_FILE);
        // An empty lock, as a run between creating and writing it (older
        // womsim) would leave: taken as live, not deleted.
        fs::write(&lock, "").unwrap();
        let e = DirLock::acquire(d.path()).unwrap_err().to_string();
        assert!(e.contains("names no process") && e.contains("60 s"), "{e}");
        assert!(lock.exists());
        // Two minutes old: stale, taken over.
        let old = std::time::SystemTime::now() - Duration::from_secs(120);
        fs::File::options().write(true).open(&lock).unwrap().set_modified(old).unwrap();
        let held = DirLock::acquire(d.path()).unwrap();
        assert_eq!(fs::read_to_string(&lock).unwrap().trim(), std::process::id().to_string());
        drop(held);
        // The temporary file holding the id is never left behind.
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 0);
    }
}
