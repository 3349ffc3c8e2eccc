//! Managing the users of a tenant: adding (CLI), roles, disabling.

use crate::app::App;
use crate::app::auth::new_password_hash;
use crate::domain::ids::UserId;
use crate::domain::user::{Role, normalize_email, validate_name};
use crate::error::{Error, Result};
use crate::store::users::{self, User};
use crate::store::{TenantDb, audit, sessions};

impl App {
    /// Adds a user with a password: the CLI's `user add`.
    pub fn add_user(
        &self,
        db: &TenantDb,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<User> {
        let email = normalize_email(email).map_err(|f| Error::field("email", f.message))?;
        let name = validate_name(name).map_err(|f| Error::field("name", f.message))?;
        let hash = new_password_hash(password, password)?;
        let now = self.stamp();
        db.write(|tx| {
            let id = users::insert(tx, &email, &name, role, Some(&hash), &now)?;
            audit::record(tx, None, "user.added", &format!("{email} as {role}"), &now)?;
            users::by_id(tx, id)?.ok_or(Error::NotFound)
        })
    }

    pub fn user_by_email(&self, db: &TenantDb, email: &str) -> Result<User> {
        let email = normalize_email(email).map_err(|f| Error::field("email", f.message))?;
        users::by_email(&*db.conn()?, &email)?
            .ok_or_else(|| Error::field("email", format!("there is no user {email}")))
    }

    /// Enables or disables a user; disabling ends their sessions. The last active owner stays.
    pub fn set_user_active(
        &self,
        db: &TenantDb,
        actor: Option<&User>,
        id: UserId,
        active: bool,
    ) -> Result<()> {
        if let Some(actor) = actor {
            if !actor.role.can_manage_users() {
                return Err(Error::Forbidden(
                    "Only owners and admins manage users.".into(),
                ));
            }
            if actor.id == id && !active {
                return Err(Error::field("user", "you cannot disable yourself"));
            }
        }
        let now = self.stamp();
        db.write(|tx| {
            let user = users::by_id(tx, id)?.ok_or(Error::NotFound)?;
            if let Some(actor) = actor
                && user.role == Role::Owner
                && actor.role != Role::Owner
            {
                return Err(Error::Forbidden(
                    "Only an owner can change another owner.".into(),
                ));
            }
            if !active
                && user.role == Role::Owner
                && user.active
                && users::active_owner_count(tx)? <= 1
            {
                return Err(Error::field(
                    "user",
                    "the last active owner cannot be disabled",
                ));
            }
            users::set_active(tx, id, active, &now)?;
            if !active {
                sessions::delete_for_user(tx, id, None)?;
            }
            let action = if active {
                "user.enabled"
            } else {
                "user.disabled"
            };
            audit::record(tx, actor.map(|a| a.id), action, &user.email, &now)
        })
    }

    /// Changes a user's role. Only owners make or unmake owners; the last owner stays one.
    pub fn set_user_role(&self, db: &TenantDb, actor: &User, id: UserId, role: Role) -> Result<()> {
        if !actor.role.can_manage_users() {
            return Err(Error::Forbidden(
                "Only owners and admins manage users.".into(),
            ));
        }
        let now = self.stamp();
        db.write(|tx| {
            let user = users::by_id(tx, id)?.ok_or(Error::NotFound)?;
            if (role == Role::Owner || user.role == Role::Owner) && actor.role != Role::Owner {
                return Err(Error::Forbidden(
                    "Only an owner can make or change an owner.".into(),
                ));
            }
            if user.role == Role::Owner
                && role != Role::Owner
                && user.active
                && users::active_owner_count(tx)? <= 1
            {
                return Err(Error::field(
                    "role",
                    "the last active owner must stay an owner",
                ));
            }
            users::set_role(tx, id, role, &now)?;
            audit::record(
                tx,
                Some(actor.id),
                "user.role",
                &format!("{} is now {role}", user.email),
                &now,
            )
        })
    }
}
