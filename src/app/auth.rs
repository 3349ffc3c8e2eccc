//! Signing in and out, sessions with a sliding expiry, throttling of failed sign-ins, and
//! password changes.

use crate::app::App;
use crate::app::throttle::try_again_in;
use crate::clock::stamp;
use crate::domain::user::{normalize_email, validate_password};
use crate::domain::words::Lang;
use crate::domain::{local_time, secret};
use crate::error::{Error, FieldError, Result};
use crate::store::sessions::{self, Session};
use crate::store::users::{self, User};
use crate::store::{TenantDb, audit};
use chrono::Duration;
use std::net::IpAddr;

pub const SESSION_DAYS: i64 = 7;
/// A session's expiry is pushed forward at most this often, not on every request.
const SESSION_SLIDE_MINUTES: i64 = 10;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
pub const THROTTLE_MAX_FAILURES: usize = 5;
/// Failed sign-ins from one client address (any emails, any workspaces) in the window: enough
/// for an office behind one address, too few to spray passwords over many accounts.
pub const THROTTLE_MAX_FAILURES_PER_ADDRESS: usize = 30;

/// A session just created: the cookie token is known only here and in the browser.
pub struct NewSession {
    pub token: String,
    pub user: User,
}

impl App {
    /// Checks the email and password. Five failures for one email within fifteen minutes shut
    /// the door for that email, and thirty from one client address shut it for that address,
    /// each until the oldest failure leaves the window. A failure writes nothing to disk.
    pub fn login(
        &self,
        db: &TenantDb,
        email: &str,
        password: &str,
        client: IpAddr,
    ) -> Result<NewSession> {
        let wrong = || Error::Invalid {
            message: "Email or password is wrong.".into(),
            fields: vec![],
        };
        let now = self.now();
        if let Some(reopens) = self.login_by_address.blocked_until(&client, now) {
            return Err(Error::TooManyRequests(format!(
                "Too many failed sign-ins from your network. {}",
                try_again_in(reopens, now)
            )));
        }
        let Ok(email) = normalize_email(email) else {
            self.login_by_address.record(client, now);
            return Err(wrong());
        };
        let key = (db.slug.clone(), email.clone());
        if let Some(reopens) = self.login_throttle.blocked_until(&key, now) {
            return Err(Error::TooManyRequests(format!(
                "Too many failed sign-ins for this email. {}",
                try_again_in(reopens, now)
            )));
        }
        let user = users::by_email(&*db.conn()?, &email)?.filter(|u| u.active);
        let hash = match &user {
            Some(u) => users::password_hash(&*db.conn()?, u.id)?,
            None => None,
        };
        let ok = match &hash {
            Some(hash) => secret::verify_password(password, hash),
            None => {
                // Spend the same time as a real check, so timing does not reveal which emails exist.
                let _ = secret::hash_password(password);
                false
            }
        };
        match user {
            Some(user) if ok => {
                self.login_throttle.clear(&key);
                db.write(|tx| self.start_session(tx, user))
            }
            _ => {
                self.login_throttle.record(key, now);
                self.login_by_address.record(client, now);
                Err(wrong())
            }
        }
    }

    /// Creates a session for `user` inside the caller's transaction.
    pub fn start_session(&self, tx: &crate::store::Write, user: User) -> Result<NewSession> {
        let token = secret::new_token();
        let now = self.now();
        let expires = stamp(now + Duration::days(SESSION_DAYS));
        sessions::create(
            tx,
            user.id,
            &secret::hash_token(&token),
            &secret::new_token(),
            &stamp(now),
            &expires,
        )?;
        Ok(NewSession { token, user })
    }

    /// The live session behind a cookie token. Slides its expiry forward when it was last
    /// pushed more than a few minutes ago; returns whether it did (the cookie then needs
    /// re-sending with a fresh lifetime).
    pub fn session(&self, db: &TenantDb, token: &str) -> Result<Option<(Session, bool)>> {
        let now = self.now();
        let conn = db.conn()?;
        let Some(mut session) = sessions::find(&conn, &secret::hash_token(token), &stamp(now))?
        else {
            return Ok(None);
        };
        let full = now + Duration::days(SESSION_DAYS);
        let slid = crate::clock::parse_stamp(&session.expires_at)
            .is_none_or(|expires| full - expires > Duration::minutes(SESSION_SLIDE_MINUTES));
        drop(conn);
        if slid {
            // Bookkeeping on a read: when it cannot be written (a full disk), the session
            // keeps its old expiry and the page is still served.
            let expires = stamp(full);
            match db.write(|tx| sessions::extend(tx, session.id, &expires)) {
                Ok(()) => session.expires_at = expires,
                Err(e) => {
                    best_effort_failed("extending a session", &e);
                    return Ok(Some((session, false)));
                }
            }
        }
        Ok(Some((session, slid)))
    }

    pub fn logout(&self, db: &TenantDb, token: &str) -> Result<()> {
        db.write(|tx| sessions::delete_by_token(tx, &secret::hash_token(token)))
    }

    /// Changes the signed-in user's own password; ends their other sessions.
    pub fn change_password(
        &self,
        db: &TenantDb,
        user: &User,
        keep_session: crate::domain::ids::SessionId,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<()> {
        let stored = users::password_hash(&*db.conn()?, user.id)?;
        if !stored.is_some_and(|h| secret::verify_password(current, &h)) {
            return Err(Error::field(
                "current_password",
                "is not your current password",
            ));
        }
        let hash = new_password_hash(new, confirm)?;
        let now = self.stamp();
        db.write(|tx| {
            users::set_password(tx, user.id, &hash, &now)?;
            sessions::delete_for_user(tx, user.id, Some(keep_session))?;
            audit::record(tx, Some(user.id), "password.changed", &user.email, &now)
        })
    }

    /// Hides the first-steps checklist from the signed-in user's home page.
    pub fn hide_checklist(&self, db: &TenantDb, user: &User) -> Result<()> {
        let now = self.stamp();
        db.write(|tx| users::hide_checklist(tx, user.id, &now))
    }

    /// Sets the signed-in user's own time zone; empty text means the workspace's.
    pub fn set_time_zone(&self, db: &TenantDb, user: &User, name: &str) -> Result<()> {
        let name = name.trim();
        if !name.is_empty() && local_time::zone(name).is_none() {
            return Err(Error::field(
                "time_zone",
                "is not a time zone: choose one from the list, like Europe/Amsterdam",
            ));
        }
        let now = self.stamp();
        db.write(|tx| users::set_time_zone(tx, user.id, Some(name).filter(|n| !n.is_empty()), &now))
    }

    /// Sets the signed-in user's language by its code; empty text means their browser's.
    pub fn set_language(&self, db: &TenantDb, user: &User, code: &str) -> Result<()> {
        let code = code.trim();
        if !code.is_empty() && Lang::from_code(code).is_none() {
            return Err(Error::field("language", "is not a language Onebox speaks"));
        }
        let now = self.stamp();
        db.write(|tx| users::set_language(tx, user.id, Some(code).filter(|c| !c.is_empty()), &now))
    }

    /// Remembers the language a user's browser asks for, for the mails they get; written
    /// only when it changed.
    pub fn remember_browser_language(&self, db: &TenantDb, user: &User, lang: Lang) -> Result<()> {
        if user.browser_language.as_deref() == Some(lang.code()) {
            return Ok(());
        }
        db.write(|tx| users::set_browser_language(tx, user.id, lang.code()))
    }
}

/// Validates a new password and its confirmation, and hashes it.
pub fn new_password_hash(password: &str, confirm: &str) -> Result<String> {
    let mut errors = Vec::new();
    if let Err(e) = validate_password(password, "password") {
        errors.push(e);
    } else if password != confirm {
        errors.push(FieldError {
            field: "confirm".into(),
            message: "does not match the password".into(),
        });
    }
    if let Some(e) = Error::fields(errors) {
        return Err(e);
    }
    secret::hash_password(password).map_err(|e| Error::internal("hashing a password", e))
}

/// Logs a bookkeeping write that failed on a read, unless the disk is full (which the
/// writes themselves report).
pub(crate) fn best_effort_failed(what: &str, e: &Error) {
    if !matches!(e, Error::DiskFull) {
        crate::warn!("{what} failed (the request goes on): {e}");
    }
}
