//! The `atlas` command line: the allocator and the command layer ([`cmd`]).

mod cmd;

/// Faster than the system allocator for the build's many small, short-lived allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its `mi_option_e` in `mimalloc.h`), which its Rust
/// bindings do not name; a test checks it is the option `MIMALLOC_PURGE_DELAY` sets.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Milliseconds before freed memory goes back to the system. mimalloc 3 waits a second: a
/// build frees the parsed content and the search index's postings on one thread while others
/// allocate pages, so both were resident at once (1,000 measures: peak 262 MB; 210 MB at
/// 10 ms, for ~0.1 s more system time; README, Figures).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

fn main() {
    // Before anything is allocated in earnest; an environment setting still wins, for
    // measuring others.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a number in mimalloc's option table; any value is valid.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) };
    }
    std::process::exit(cmd::main(std::env::args().skip(1).collect()));
}

#[cfg(test)]
mod tests {
    use super::PURGE_DELAY;

    /// The option numbered [`PURGE_DELAY`] is the one mimalloc reads from
    /// `MIMALLOC_PURGE_DELAY`: this test runs itself again with the variable set, and the
    /// copy reports the option's value.
    #[test]
    fn the_purge_delay_option_is_the_one_its_environment_variable_sets() {
        let name = "tests::the_purge_delay_option_is_the_one_its_environment_variable_sets";
        if std::env::var_os("ATLAS_PURGE_PROBE").is_some() {
            // SAFETY: reads a number from mimalloc's option table.
            let value = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
            println!("purge delay option: {value}");
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture"])
            .env("ATLAS_PURGE_PROBE", "1")
            .env("MIMALLOC_PURGE_DELAY", "4321")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("purge delay option: 4321"),
            "the probe printed: {stdout}"
        );
    }
}
