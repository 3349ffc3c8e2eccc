//! The conversations inbox's pure parts: reading an incoming mail (`mail`), finding the
//! conversation it answers (`threading`), and telling new text from quoted history (`quote`).

pub mod mail;
pub mod quote;
pub mod threading;

#[cfg(test)]
mod tests;
