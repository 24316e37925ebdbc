//! Helpers shared by the benches (each bench includes this module).

use std::path::Path;

/// Empties every file under `dir` (truncates it to zero bytes) and deletes nothing: the disk
/// space comes back but no inode is freed. On ext4 without a journal, creating a file skips,
/// one at a time, every inode freed in the last 60 seconds (360 while its inode table block is
/// unwritten; `recently_deleted` in fs/ext4/ialloc.c), so deleting a site of thousands of files
/// would slow the next timed run by seconds of system time. The benches delete their trees once,
/// when nothing is timed any more.
pub fn empty_files(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            if let Ok(f) = std::fs::OpenOptions::new().write(true).open(entry.path()) {
                let _ = f.set_len(0);
            }
        }
    }
}

/// Waits for the child; returns success and its peak resident set in KiB (`ru_maxrss`), or
/// `(false, 0)` if it cannot be waited for.
#[cfg(unix)]
pub fn wait_with_rusage(child: std::process::Child) -> (bool, i64) {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; zeroed is a valid value and wait4 only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: pid is our own child, not yet reaped; status and usage point at live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r != pid {
        return (false, 0);
    }
    // Reaped by wait4: dropping the Child neither waits nor kills, so nothing else happens.
    drop(child);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // ru_maxrss is in kilobytes on Linux (bytes on macOS).
    let kib = if cfg!(target_os = "macos") {
        usage.ru_maxrss / 1024
    } else {
        usage.ru_maxrss
    };
    (ok, kib as i64)
}

/// Without wait4 the peak memory is not measured (reported as 0).
#[cfg(not(unix))]
pub fn wait_with_rusage(mut child: std::process::Child) -> (bool, i64) {
    (child.wait().is_ok_and(|s| s.success()), 0)
}
