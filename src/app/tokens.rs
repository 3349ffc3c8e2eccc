//! API tokens: created in settings or the CLI, shown once, stored hashed, revocable.

use crate::app::App;
use crate::clock::parse_stamp;
use crate::domain::ids::TokenId;
use crate::domain::secret;
use crate::error::{Error, Result};
use crate::store::users::User;
use crate::store::{TenantDb, audit, tokens};
use chrono::Duration;

/// Tokens start with this, so they are easy to recognise in a config file or a leak scanner.
pub const TOKEN_PREFIX: &str = "obx_";
const MAX_LABEL_CHARS: usize = 80;

impl App {
    /// Creates a token acting as `user` and returns it: the only time it is ever visible.
    pub fn create_api_token(&self, db: &TenantDb, user: &User, label: &str) -> Result<String> {
        let label = label.trim();
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(Error::field("label", "is longer than 80 characters"));
        }
        let token = format!("{TOKEN_PREFIX}{}", secret::new_token());
        let prefix: String = token.chars().take(TOKEN_PREFIX.len() + 8).collect();
        let now = self.stamp();
        db.write(|tx| {
            tokens::create(
                tx,
                user.id,
                label,
                &secret::hash_token(&token),
                &prefix,
                &now,
            )?;
            audit::record(
                tx,
                Some(user.id),
                "token.created",
                &format!("{prefix}… {label}"),
                &now,
            )
        })?;
        Ok(token)
    }

    /// The user a bearer token acts as. Records its use at most once an hour.
    pub fn authenticate_token(&self, db: &TenantDb, token: &str) -> Result<Option<User>> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let conn = db.conn()?;
        let Some((id, last_used, user)) = tokens::find_user(&conn, &secret::hash_token(token))?
        else {
            return Ok(None);
        };
        drop(conn);
        let now = self.now();
        if last_used
            .and_then(|t| parse_stamp(&t))
            .is_none_or(|t| now - t > Duration::hours(1))
        {
            // Bookkeeping on a read: a failure (a full disk) must not fail the request.
            let stamp = crate::clock::stamp(now);
            if let Err(e) = db.write(|tx| tokens::touch(tx, id, &stamp)) {
                crate::app::auth::best_effort_failed("recording a token's use", &e);
            }
        }
        Ok(Some(user))
    }

    /// Revokes a token: any of the tenant's for owners and admins, otherwise only one's own.
    pub fn revoke_api_token(&self, db: &TenantDb, actor: &User, id: TokenId) -> Result<()> {
        let owner = if actor.role.can_manage_users() {
            None
        } else {
            Some(actor.id)
        };
        let now = self.stamp();
        db.write(|tx| {
            tokens::revoke(tx, id, owner, &now)?;
            audit::record(
                tx,
                Some(actor.id),
                "token.revoked",
                &format!("token {id}"),
                &now,
            )
        })
    }
}
