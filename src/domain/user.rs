//! Users of a tenant: roles, and the validation of what people type into user forms.

use crate::domain::ids::UserId;
use crate::error::{Error, FieldError, Result};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Admin, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// Owners and admins manage users, invitations and mail settings.
    pub fn can_manage_users(self) -> bool {
        self >= Role::Admin
    }

    /// Only owners change the account profile and its capabilities.
    pub fn can_manage_account(self) -> bool {
        self == Role::Owner
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            other => Err(Error::field(
                "role",
                format!("{other:?} is not a role: use owner, admin or member"),
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;
const MAX_EMAIL_CHARS: usize = 254;
const MAX_NAME_CHARS: usize = 120;

/// Normalizes an email address (trimmed, lowercase) and checks its shape: one `@`, a
/// non-empty local part, a domain with a dot, no spaces or control characters.
pub fn normalize_email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    let invalid = |message: &str| FieldError {
        field: "email".into(),
        message: message.into(),
    };
    if email.is_empty() {
        return Err(invalid("is required"));
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(invalid("is longer than 254 characters"));
    }
    let shape_ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if shape_ok {
        Ok(email)
    } else {
        Err(invalid("is not a valid email address"))
    }
}

pub fn validate_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError {
            field: "name".into(),
            message: "is longer than 120 characters".into(),
        });
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError {
            field: "name".into(),
            message: "contains control characters".into(),
        });
    }
    Ok(name.to_string())
}

pub fn validate_password(password: &str, field: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    let message = if n < MIN_PASSWORD_CHARS {
        format!("must be at least {MIN_PASSWORD_CHARS} characters")
    } else if n > MAX_PASSWORD_CHARS {
        format!("must be at most {MAX_PASSWORD_CHARS} characters")
    } else {
        return Ok(());
    };
    Err(FieldError {
        field: field.into(),
        message,
    })
}

/// A signed-in browser session.
pub struct Session {
    pub id: crate::domain::ids::SessionId,
    pub user: User,
    pub csrf_token: String,
    pub expires_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            normalize_email("  Ann@Example.COM ").as_deref(),
            Ok("ann@example.com")
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "a@b@c.de",
            "ann@.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(validate_password("short", "password").is_err());
        assert!(validate_password("long enough!", "password").is_ok());
        assert!(validate_password(&"x".repeat(257), "password").is_err());
    }

    #[test]
    fn roles_parse_and_rank() {
        assert_eq!("admin".parse::<Role>().ok(), Some(Role::Admin));
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Owner.can_manage_account() && !Role::Admin.can_manage_account());
        assert!(Role::Admin.can_manage_users() && !Role::Member.can_manage_users());
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// False until the user has chosen a password (an owner named at tenant creation).
    pub has_password: bool,
    pub created_at: String,
    /// Their own time zone (an IANA name), if they chose one; else the workspace's.
    pub time_zone: Option<String>,
    /// They hid the first-steps checklist of the home page.
    pub checklist_hidden: bool,
    /// The language they chose (a code), if they chose one; else their browser's.
    pub language: Option<String>,
    /// The language their browser asked for when they last signed in.
    pub browser_language: Option<String>,
}

impl User {
    /// The language they chose, if they did.
    pub fn chosen_lang(&self) -> Option<crate::domain::words::Lang> {
        self.language
            .as_deref()
            .and_then(crate::domain::words::Lang::from_code)
    }

    /// The language to write to them in: the one they chose, else their browser's when they
    /// last signed in, else English.
    pub fn mail_lang(&self) -> crate::domain::words::Lang {
        self.chosen_lang()
            .or_else(|| {
                self.browser_language
                    .as_deref()
                    .and_then(crate::domain::words::Lang::from_code)
            })
            .unwrap_or_default()
    }

    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.email
        } else {
            &self.name
        }
    }
}
