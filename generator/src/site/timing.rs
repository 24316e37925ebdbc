//! Phase timings on standard error when `ATLAS_TIMINGS` is set (for benchmarks and profiling):
//! each phase's duration and the process's peak and current memory.

/// A phase being timed: a no-op unless `ATLAS_TIMINGS` is set.
pub(crate) struct Phase(Option<std::time::Instant>);

impl Phase {
    /// Starts timing a phase.
    pub(crate) fn start() -> Phase {
        Phase(on().then(std::time::Instant::now))
    }

    /// Reports the phase's duration, and the peak memory so far where the system tells it.
    pub(crate) fn done(self, name: &str) {
        if let Some(t) = self.0 {
            // VmRSS and VmHWM: the process's resident and peak resident memory (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |key: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
            };
            let peak = match (field("VmRSS:"), field("VmHWM:")) {
                (Some(now), Some(peak)) => format!("  (peak {peak}, now {now})"),
                _ => String::new(),
            };
            eprintln!(
                "atlas: {name:<9} {:>8.1} ms{peak}",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Whether timings are wanted.
pub(crate) fn on() -> bool {
    std::env::var_os("ATLAS_TIMINGS").is_some()
}

/// Prints what each kind of page cost, when timings are wanted.
pub(crate) fn pages(stats: Option<crate::render::PageStats>) {
    for (kind, n, secs, bytes) in stats
        .map(crate::render::PageStats::lines)
        .unwrap_or_default()
    {
        eprintln!(
            "atlas:   {kind:<13} {n:>6} pages {:>9.1} ms (thread time) {:>8.1} MB",
            secs * 1000.0,
            bytes as f64 / 1e6
        );
    }
}
