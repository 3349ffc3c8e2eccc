//! The account row of a tenant file, its capability overrides and its own SMTP settings.

use crate::config::{SmtpConfig, SmtpSecurity};
use crate::domain::capability::{Capabilities, Capability, Profile};
use crate::error::Result;
use crate::store::Write;
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone)]
pub struct Account {
    pub name: String,
    pub profile: Profile,
    pub time_zone: String,
    pub currency: String,
}

pub fn create(conn: &Write, name: &str, profile: Profile, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO account (id, name, profile, created_at, updated_at) VALUES (1, ?1, ?2, ?3, ?3)",
        params![name, profile.as_str(), now],
    )?;
    Ok(())
}

pub fn get(conn: &Connection) -> Result<Account> {
    let (name, profile, time_zone, currency): (String, String, String, String) = conn
        .prepare_cached("SELECT name, profile, time_zone, currency FROM account WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(Account {
        name,
        profile: profile.parse()?,
        time_zone,
        currency,
    })
}

pub fn update(
    conn: &Write,
    name: &str,
    profile: Profile,
    time_zone: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE account SET name = ?1, profile = ?2, time_zone = ?3, updated_at = ?4 WHERE id = 1",
        params![name, profile.as_str(), time_zone, now],
    )?;
    Ok(())
}

/// The currency deals are in unless they name another (a three-letter code).
pub fn set_currency(conn: &Write, code: &str, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE account SET currency = ?1, updated_at = ?2 WHERE id = 1",
        params![code, now],
    )?;
    Ok(())
}

pub fn capabilities(conn: &Connection, profile: Profile) -> Result<Capabilities> {
    let mut stmt = conn.prepare_cached("SELECT capability, enabled FROM capability_overrides")?;
    let overrides = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        // A flag this build does not know (written by a newer one) is left alone.
        .filter_map(|(name, on)| Capability::parse(&name).map(|c| (c, on)));
    Ok(Capabilities::resolve(profile, overrides))
}

/// Stores the wanted state of every capability as overrides of `profile`'s defaults: only the
/// switches that differ from the default are kept, so a later profile change re-derives the rest.
pub fn set_capabilities(
    conn: &Write,
    profile: Profile,
    wanted: &[(Capability, bool)],
    now: &str,
) -> Result<()> {
    conn.execute("DELETE FROM capability_overrides", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO capability_overrides (capability, enabled, updated_at) VALUES (?1, ?2, ?3)",
    )?;
    for &(capability, on) in wanted {
        if on != profile.default_on(capability) {
            insert.execute(params![capability.as_str(), on, now])?;
        }
    }
    Ok(())
}

/// The account's own SMTP server, if it has one; `timeout_secs` comes from the server's config.
pub fn mail_settings(conn: &Connection, timeout_secs: u64) -> Result<Option<SmtpConfig>> {
    let row = conn
        .prepare_cached("SELECT host, port, security, username, password, from_address FROM mail_settings WHERE id = 1")?
        .query_row([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u16>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .optional()?;
    Ok(row.map(
        |(host, port, security, username, password, from)| SmtpConfig {
            host,
            port,
            security: SmtpSecurity::parse(&security).unwrap_or(SmtpSecurity::Starttls),
            username,
            password,
            from,
            timeout_secs,
        },
    ))
}

pub fn set_mail_settings(conn: &Write, smtp: Option<&SmtpConfig>, now: &str) -> Result<()> {
    match smtp {
        None => {
            conn.execute("DELETE FROM mail_settings", [])?;
        }
        Some(s) => {
            conn.execute(
                "INSERT INTO mail_settings (id, host, port, security, username, password, from_address, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET host = ?1, port = ?2, security = ?3, username = ?4,
                   password = ?5, from_address = ?6, updated_at = ?7",
                params![s.host, s.port, s.security.as_str(), s.username, s.password, s.from, now],
            )?;
        }
    }
    Ok(())
}
