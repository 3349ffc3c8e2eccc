//! One-time links: the owner's setup link, invitations and password resets. Each is a random
//! token in a URL; only its hash is stored, and it works once, before it expires.

use crate::app::auth::{NewSession, new_password_hash};
use crate::app::throttle::try_again_in;
use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::ids::LinkId;
use crate::domain::secret;
use crate::domain::slug::Slug;
use crate::domain::user::{Role, normalize_email, validate_name};
use crate::error::{Error, Result};
use crate::mail::messages;
use crate::store::links::{self, Link, LinkKind, NewLink};
use crate::store::users::{self, User};
use crate::store::{TenantDb, audit, sessions};
use chrono::Duration;
use std::net::IpAddr;

pub const SETUP_DAYS: i64 = 7;
pub const INVITE_DAYS: i64 = 7;
pub const RESET_HOURS: i64 = 2;
/// Reset requests answered per (workspace, email) an hour; more are accepted and dropped.
pub const RESETS_PER_EMAIL_PER_HOUR: usize = 3;
/// Reset requests from one client address in fifteen minutes, any emails.
pub const RESETS_PER_ADDRESS: usize = 10;
/// Reset links one user may have live at once; a new one revokes the oldest.
pub const LIVE_RESET_LINKS: usize = 3;

/// What a person types on a link's page.
#[derive(Debug, Default)]
pub struct AcceptForm {
    /// Asked only by a setup link that names nobody.
    pub email: String,
    pub name: String,
    pub password: String,
    pub confirm: String,
}

impl App {
    /// A setup link for the tenant's first owner. With an email, the owner exists at once
    /// (without a password) and the link lets them choose one; without, the link asks.
    pub fn create_setup_link(&self, db: &TenantDb, owner_email: Option<&str>) -> Result<String> {
        let email = owner_email
            .map(|e| normalize_email(e).map_err(|f| Error::field("owner_email", f.message)))
            .transpose()?;
        let token = secret::new_token();
        let now = self.now();
        db.write(|tx| {
            let user_id = match &email {
                Some(email) => Some(match users::by_email(tx, email)? {
                    Some(existing) => existing.id,
                    None => users::insert(tx, email, "", Role::Owner, None, &stamp(now))?,
                }),
                None => None,
            };
            let link = NewLink {
                kind: LinkKind::Setup,
                token_hash: &secret::hash_token(&token),
                email: email.as_deref(),
                role: Role::Owner,
                user_id,
                created_by: None,
                expires_at: &stamp(now + Duration::days(SETUP_DAYS)),
            };
            links::create(tx, &link, &stamp(now))
        })?;
        Ok(self.tenant_url(&db.slug, &format!("setup/{token}")))
    }

    /// Withdraws an invitation that is still open.
    pub fn revoke_invitation(&self, tenant: &Tenant, id: LinkId) -> Result<()> {
        let now = self.stamp();
        match tenant.db.write(|tx| links::revoke(tx, id, &now))? {
            0 => Err(Error::NotFound),
            _ => Ok(()),
        }
    }

    /// Invites `email` with `role` and mails the link.
    /// Invites `email` with `role`: the mail goes into the outbox, and the link is returned so
    /// that it can be handed over another way when the workspace has no mail server.
    pub fn invite(
        &self,
        tenant: &Tenant,
        inviter: &User,
        email: &str,
        role: Role,
    ) -> Result<String> {
        if !inviter.role.can_manage_users() {
            return Err(Error::Forbidden(
                "Only owners and admins invite people.".into(),
            ));
        }
        if role == Role::Owner && inviter.role != Role::Owner {
            return Err(Error::field(
                "role",
                "only an owner can invite another owner",
            ));
        }
        let email = normalize_email(email).map_err(|f| Error::field("email", f.message))?;
        let token = secret::new_token();
        let now = self.now();
        let url = self.tenant_url(tenant.slug(), &format!("invite/{token}"));
        self.write_with_mail(&tenant.db, |tx| {
            if users::by_email(tx, &email)?.is_some() {
                return Err(Error::field(
                    "email",
                    format!("{email} already has an account here"),
                ));
            }
            links::revoke_for_email(tx, LinkKind::Invite, &email, &stamp(now))?;
            let link = NewLink {
                kind: LinkKind::Invite,
                token_hash: &secret::hash_token(&token),
                email: Some(&email),
                role,
                user_id: None,
                created_by: Some(inviter.id),
                expires_at: &stamp(now + Duration::days(INVITE_DAYS)),
            };
            links::create(tx, &link, &stamp(now))?;
            audit::record(
                tx,
                Some(inviter.id),
                "user.invited",
                &format!("{email} as {role}"),
                &stamp(now),
            )?;
            let mail = messages::invitation(
                inviter.mail_lang(),
                &email,
                &tenant.account.name,
                inviter.display_name(),
                &url,
                INVITE_DAYS,
            );
            Ok(((), vec![mail]))
        })?;
        Ok(url)
    }

    /// Whether mail from this workspace can go out: its own SMTP server or the server's.
    pub fn mail_is_set_up(&self, tenant: &Tenant) -> Result<bool> {
        let own = crate::store::account::mail_settings(&*tenant.db.conn()?, 0)?;
        Ok(own.is_some_and(|s| s.is_configured()) || self.config.smtp.is_configured())
    }

    /// Takes a reset request. The answer is the same, and as fast, whether `email` has an
    /// account or not: nothing is looked up here. The request is throttled by client address
    /// (refused, saying so) and by email (accepted and dropped), then handed to the mailer
    /// thread, which looks the user up, makes the link and mails it (`send_password_reset`).
    pub fn request_password_reset(
        &self,
        tenant: &Tenant,
        email: &str,
        client: IpAddr,
    ) -> Result<()> {
        let now = self.now();
        if let Err(reopens) = self.reset_by_address.admit(client, now) {
            return Err(Error::TooManyRequests(format!(
                "Too many reset requests from your network. {}",
                try_again_in(reopens, now)
            )));
        }
        let Ok(email) = normalize_email(email) else {
            return Ok(());
        };
        let slug = tenant.slug().clone();
        if self
            .reset_throttle
            .admit((slug.clone(), email.clone()), now)
            .is_err()
        {
            return Ok(());
        }
        if !self.queue_for_mailer(crate::mail::mailer::Signal::Reset(
            slug.clone(),
            email.clone(),
        )) {
            self.send_password_reset(&slug, &email)?;
        }
        Ok(())
    }

    /// Mails a reset link if `email` belongs to an active user of `slug`, revoking the oldest
    /// live one past `LIVE_RESET_LINKS`; does nothing otherwise.
    pub fn send_password_reset(&self, slug: &Slug, email: &str) -> Result<()> {
        let tenant = self.tenant(slug)?;
        let Some(user) = users::by_email(&*tenant.db.conn()?, email)?.filter(|u| u.active) else {
            return Ok(());
        };
        let (token, url) = self.new_reset_token(tenant.slug());
        self.write_with_mail(&tenant.db, |tx| {
            self.insert_reset_link(tx, &user, &token)?;
            Ok((
                (),
                vec![messages::password_reset(
                    user.mail_lang(),
                    &user.email,
                    &tenant.account.name,
                    &url,
                    RESET_HOURS,
                )],
            ))
        })
    }

    /// An owner or admin starts a password reset for someone of the team: the link is mailed
    /// when mail can go out, and returned, to pass on when it cannot. An admin cannot reset an
    /// owner's password, nor anyone their own here (they change it under Settings → You).
    pub fn start_password_reset(
        &self,
        tenant: &Tenant,
        actor: &User,
        id: crate::domain::ids::UserId,
    ) -> Result<(User, String)> {
        if !actor.role.can_manage_users() {
            return Err(Error::Forbidden(
                "Only owners and admins manage users.".into(),
            ));
        }
        let user = users::by_id(&*tenant.db.conn()?, id)?
            .filter(|u| u.active)
            .ok_or(Error::NotFound)?;
        if user.id == actor.id || (user.role == Role::Owner && actor.role != Role::Owner) {
            return Err(Error::Forbidden(
                "You cannot reset this user's password.".into(),
            ));
        }
        let (token, url) = self.new_reset_token(tenant.slug());
        self.write_with_mail(&tenant.db, |tx| {
            self.insert_reset_link(tx, &user, &token)?;
            let lang = user.mail_lang();
            let mail = messages::password_reset(
                lang,
                &user.email,
                &tenant.account.name,
                &url,
                RESET_HOURS,
            );
            Ok(((), vec![mail]))
        })?;
        Ok((user, url))
    }

    /// A reset link for the CLI to print instead of mailing.
    pub fn password_reset_url(&self, db: &TenantDb, email: &str) -> Result<String> {
        let email = normalize_email(email).map_err(|f| Error::field("email", f.message))?;
        let user = users::by_email(&*db.conn()?, &email)?
            .ok_or_else(|| Error::field("email", format!("there is no user {email}")))?;
        if !user.active {
            return Err(Error::field("email", format!("{email} is disabled")));
        }
        let (token, url) = self.new_reset_token(&db.slug);
        db.write(|tx| self.insert_reset_link(tx, &user, &token))?;
        Ok(url)
    }

    fn new_reset_token(&self, slug: &Slug) -> (String, String) {
        let token = secret::new_token();
        let url = self.tenant_url(slug, &format!("reset/{token}"));
        (token, url)
    }

    fn insert_reset_link(&self, tx: &crate::store::Write, user: &User, token: &str) -> Result<()> {
        let now = self.now();
        let link = NewLink {
            kind: LinkKind::Reset,
            token_hash: &secret::hash_token(token),
            email: Some(&user.email),
            role: user.role,
            user_id: Some(user.id),
            created_by: None,
            expires_at: &stamp(now + Duration::hours(RESET_HOURS)),
        };
        links::create(tx, &link, &stamp(now))?;
        links::revoke_all_but_newest(tx, LinkKind::Reset, user.id, LIVE_RESET_LINKS, &stamp(now))
    }

    /// The live link behind a token, or a message that it is not (any more).
    pub fn find_link(&self, db: &TenantDb, kind: LinkKind, token: &str) -> Result<Link> {
        links::find_live(
            &*db.conn()?,
            kind,
            &secret::hash_token(token),
            &self.stamp(),
        )?
        .ok_or_else(|| {
            Error::Forbidden("This link is invalid, was already used or has expired.".into())
        })
    }

    /// Uses a link: creates or updates the user, spends the link and signs the user in.
    pub fn accept_link(
        &self,
        db: &TenantDb,
        kind: LinkKind,
        token: &str,
        form: &AcceptForm,
    ) -> Result<NewSession> {
        let link = self.find_link(db, kind, token)?;
        let mut errors = Vec::new();
        let name = validate_name(&form.name)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let email = match &link.email {
            Some(email) => email.clone(),
            None => normalize_email(&form.email)
                .map_err(|e| errors.push(e))
                .unwrap_or_default(),
        };
        let hash = match new_password_hash(&form.password, &form.confirm) {
            Ok(hash) => Some(hash),
            Err(e) => {
                errors.extend(e.field_errors().iter().cloned());
                None
            }
        };
        if let Some(e) = Error::fields(errors) {
            return Err(e);
        }
        let hash = hash.unwrap_or_default();
        let now = self.stamp();
        db.write(|tx| {
            let user_id =
                match link.user_id {
                    Some(id) => {
                        users::set_password(tx, id, &hash, &now)?;
                        if !name.is_empty() {
                            users::set_name(tx, id, &name, &now)?;
                        }
                        // A reset ends every session the old password opened.
                        sessions::delete_for_user(tx, id, None)?;
                        id
                    }
                    None => users::insert(tx, &email, &name, link.role, Some(&hash), &now)
                        .map_err(|e| match e {
                            Error::Conflict(m) => Error::field("email", m),
                            other => other,
                        })?,
                };
            links::mark_used(tx, link.id, &now)?;
            audit::record(
                tx,
                Some(user_id),
                &format!("link.{}", kind.as_str()),
                &email,
                &now,
            )?;
            let user = users::by_id(tx, user_id)?.ok_or(Error::NotFound)?;
            self.start_session(tx, user)
        })
    }
}
