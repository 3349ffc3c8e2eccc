//! The `onebox` binary: parses the command line and hands over to `onebox::cli`.

fn main() {
    std::process::exit(onebox::cli::main());
}
