//! One log line per event on standard error, as `key=value` pairs after a timestamp and level,
//! for journald or any log shipper. Never pass secrets: tokens, passwords, cookies.

use std::fmt::Arguments;

pub fn write(level: &str, args: Arguments) {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    eprintln!("{now} {level} {args}");
}

#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => { $crate::log::write("INFO", format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => { $crate::log::write("WARN", format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! error {
    ($($arg:tt)*) => { $crate::log::write("ERROR", format_args!($($arg)*)) };
}
