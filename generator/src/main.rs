//! The `atlas` command line.

/// Faster than the system allocator for the build's many small, short-lived allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(atlas::cli::main(std::env::args().skip(1).collect()));
}
