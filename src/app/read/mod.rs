//! The app's readers: each page and API list gets its data from one function here, which
//! checks out one pooled connection, runs the queries the page needs and returns what it
//! shows (domain types), so handlers never hold a connection.

pub mod board;
pub mod home;
pub mod records;
pub mod scheduling;
pub mod settings;
pub mod system;
pub mod tasks;
