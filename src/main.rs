//! The `onebox` binary: parses the command line and hands over to `onebox::cli`.

fn main() {
    onebox::memory::return_large_blocks();
    std::process::exit(onebox::cli::main());
}
