//! The `aftercare` binary: parse the command line, load the configuration, run the command.

/// Exports and pages build many short strings; mimalloc frees and reuses them far cheaper
/// than the system allocator (measured: the register export, BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(aftercare::cli::main());
}
