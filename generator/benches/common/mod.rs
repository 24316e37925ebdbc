//! Helpers shared by the benches (each bench includes this module).

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
