//! The `atlas` command line.

fn main() {
    std::process::exit(atlas::cli::main(std::env::args().skip(1).collect()));
}
