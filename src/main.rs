//! The `aftercare` binary: parse the command line, load the configuration, run the command.

fn main() {
    std::process::exit(aftercare::cli::main());
}
