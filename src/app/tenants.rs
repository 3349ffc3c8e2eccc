//! Tenants: creating, listing, enabling, deleting (to the trash), backing up, restoring and
//! checking them; and the account settings an owner changes.

use crate::app::{App, Tenant};
use crate::config::SmtpConfig;
use crate::domain::capability::{Capability, Profile};
use crate::domain::slug::Slug;
use crate::error::{Error, Result};
use crate::store::users::User;
use crate::store::{account, audit, backup, migrate, registry};
use std::path::{Path, PathBuf};

const MAX_ACCOUNT_NAME_CHARS: usize = 120;

/// What `onebox check` found for one file.
pub struct CheckReport {
    pub name: String,
    pub problems: Vec<String>,
}

impl App {
    /// Creates a tenant and returns the one-time setup URL for its owner.
    pub fn create_tenant(
        &self,
        slug: &str,
        name: &str,
        profile: Profile,
        owner_email: Option<&str>,
    ) -> Result<String> {
        let slug = Slug::parse(slug)?;
        let name = validate_account_name(name)?;
        let db = self
            .store
            .create_tenant(&slug, &name, profile, &self.stamp())?;
        self.create_setup_link(&db, owner_email)
    }

    /// On the very first start, with no tenant at all, creates `default` and returns its
    /// setup URL.
    pub fn ensure_first_tenant(&self) -> Result<Option<String>> {
        if !registry::list(&*self.store.registry()?)?.is_empty() {
            return Ok(None);
        }
        self.create_tenant("default", "My business", Profile::Generic, None)
            .map(Some)
    }

    pub fn list_tenants(&self) -> Result<Vec<registry::TenantEntry>> {
        registry::list(&*self.store.registry()?)
    }

    pub fn set_tenant_active(&self, slug: &str, active: bool) -> Result<()> {
        let slug = Slug::parse(slug)?;
        self.store
            .write_registry(|w| registry::set_status(w, &slug, active))
            .map_err(|e| {
                if let Error::NotFound = e {
                    no_tenant(&slug)
                } else {
                    e
                }
            })
    }

    /// Moves the tenant's file to `DATA/trash/` and forgets the tenant. Nothing is unlinked:
    /// the file can be restored with `onebox restore`.
    /// Moves a tenant's file to the trash; one with kassa records only when `force_retention`
    /// says so (they are to be kept 7 years, and the file in the trash keeps them).
    pub fn delete_tenant(&self, slug: &str, force_retention: bool) -> Result<PathBuf> {
        let slug = Slug::parse(slug)?;
        let reg = self.store.registry()?;
        registry::get(&reg, &slug)?.ok_or_else(|| no_tenant(&slug))?;
        let path = self.store.tenant_path(&slug);
        let conn = crate::store::connect(&path)?;
        let money = crate::store::kassa::has_journal(&conn)?
            && crate::store::kassa::has_money_records(&conn)?;
        drop(conn);
        if money && !force_retention {
            return Err(Error::Conflict(format!(
                "{slug} has kassa records (receipts, register sessions, the journal), which are to be kept 7 years (art. 52 AWR); delete it with --force-retention, and keep its file from DATA/trash/"
            )));
        }
        self.store.close_tenant(&slug)?;
        // Fold the WAL into the file so that the one file moved holds everything.
        crate::store::checkpoint(&crate::store::connect(&self.store.tenant_path(&slug))?)?;
        let trash = self.store.data_dir().join("trash");
        std::fs::create_dir_all(&trash)?;
        let dest = trash.join(format!(
            "{slug}-{}.sqlite",
            self.now().format("%Y%m%dT%H%M%SZ")
        ));
        std::fs::rename(self.store.tenant_path(&slug), &dest)?;
        for leftover in ["-wal", "-shm"] {
            let side = PathBuf::from(format!(
                "{}{leftover}",
                self.store.tenant_path(&slug).display()
            ));
            if side.exists() {
                std::fs::rename(
                    &side,
                    PathBuf::from(format!("{}{leftover}", dest.display())),
                )?;
            }
        }
        self.store.write_registry(|w| registry::remove(w, &slug))?;
        Ok(dest)
    }

    /// Consistent online copies of one tenant's file, or of all and the registry, into `out`.
    pub fn backup(&self, out: &Path, only: Option<&str>) -> Result<Vec<PathBuf>> {
        let slugs = match only {
            Some(slug) => {
                let slug = Slug::parse(slug)?;
                registry::get(&*self.store.registry()?, &slug)?.ok_or_else(|| no_tenant(&slug))?;
                vec![slug]
            }
            None => self
                .list_tenants()?
                .iter()
                .filter_map(|t| Slug::parse(&t.slug).ok())
                .collect(),
        };
        std::fs::create_dir_all(out)
            .map_err(|e| Error::field("out", format!("cannot create {}: {e}", out.display())))?;
        let when = self.now().format("%Y%m%dT%H%M%SZ");
        let mut written = Vec::new();
        for slug in slugs {
            // Opening through the store first upgrades an old file, so backups are current.
            self.store.tenant(&slug)?;
            let dest = out.join(format!("{slug}-{when}.sqlite"));
            backup::copy_database(&self.store.tenant_path(&slug), &dest)?;
            written.push(dest);
        }
        if only.is_none() {
            let dest = out.join(format!("system-{when}.sqlite"));
            backup::copy_database(&self.store.data_dir().join("system.sqlite"), &dest)?;
            written.push(dest);
        }
        Ok(written)
    }

    /// Restores a tenant file (a backup, or a file from the trash) as tenant `slug`. Checks
    /// the file first; an existing tenant is replaced only with `force`, and its current
    /// content is kept beside it as `<slug>.sqlite.pre-restore-<time>`.
    pub fn restore(&self, file: &Path, slug: &str, force: bool) -> Result<String> {
        let slug = Slug::parse(slug)?;
        backup::check_tenant_file(file)?;
        let reg = self.store.registry()?;
        let existing = registry::get(&reg, &slug)?;
        let path = self.store.tenant_path(&slug);
        let mut report = String::new();
        match existing {
            Some(_) if !force => {
                return Err(Error::Conflict(format!(
                    "tenant {slug} exists; add --force to replace it (its current data is kept beside it)"
                )));
            }
            Some(_) => {
                let keep = PathBuf::from(format!(
                    "{}.pre-restore-{}",
                    path.display(),
                    self.now().format("%Y%m%dT%H%M%SZ")
                ));
                self.store.tenant(&slug)?;
                backup::copy_database(&path, &keep)?;
                let mut conn = crate::store::connect(&path)?;
                backup::restore_into(&mut conn, file)?;
                report.push_str(&format!("previous data kept in {}\n", keep.display()));
            }
            None => {
                if path.exists() {
                    return Err(Error::Conflict(format!(
                        "{} exists but is not registered; move it away first",
                        path.display()
                    )));
                }
                backup::copy_database(file, &path)?;
                let name = account::get(&crate::store::connect(&path)?)?.name;
                self.store
                    .write_registry(|w| registry::insert(w, &slug, &name, &self.stamp()))?;
            }
        }
        // Upgrade a file from an older version now, with its pre-upgrade copy set aside.
        let mut conn = crate::store::connect(&path)?;
        migrate::upgrade(&mut conn, &path, &migrate::TENANT)?;
        let name = account::get(&conn)?.name;
        self.store
            .write_registry(|w| registry::set_name(w, &slug, &name))?;
        report.push_str(&format!(
            "restored tenant {slug} ({name}) from {}",
            file.display()
        ));
        Ok(report)
    }

    /// Integrity check of the registry and every tenant file.
    pub fn check(&self) -> Result<Vec<CheckReport>> {
        let mut reports = vec![CheckReport {
            name: "system".into(),
            problems: backup::integrity_problems(&self.store.data_dir().join("system.sqlite"))?,
        }];
        for entry in self.list_tenants()? {
            let Ok(slug) = Slug::parse(&entry.slug) else {
                continue;
            };
            let path = self.store.tenant_path(&slug);
            let problems = if path.is_file() {
                let mut found =
                    backup::integrity_problems(&path).unwrap_or_else(|e| vec![e.to_string()]);
                // The kassa's journal chains and receipts, where the file is sound to read.
                if found.is_empty() {
                    let kassa = crate::store::connect(&path)
                        .and_then(|conn| crate::app::kassa::problems(&conn));
                    match kassa {
                        Ok(more) => found.extend(more),
                        Err(e) => found.push(e.to_string()),
                    }
                }
                found
            } else {
                vec![format!("{} is missing", path.display())]
            };
            reports.push(CheckReport {
                name: entry.slug,
                problems,
            });
        }
        Ok(reports)
    }

    /// The owner's account settings: name, profile and every capability switch.
    pub fn update_account(
        &self,
        tenant: &Tenant,
        actor: &User,
        name: &str,
        profile: Profile,
        time_zone: &str,
        wanted: &[(Capability, bool)],
    ) -> Result<()> {
        if !actor.role.can_manage_account() {
            return Err(Error::Forbidden("Only owners change the account.".into()));
        }
        let name = validate_account_name(name)?;
        let time_zone = time_zone.trim();
        crate::domain::automation::schedule::time_zone(time_zone)
            .map_err(|e| Error::field("time_zone", e))?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            account::update(tx, &name, profile, time_zone, &now)?;
            account::set_capabilities(tx, profile, wanted, &now)?;
            let on: Vec<&str> = wanted
                .iter()
                .filter(|(_, on)| *on)
                .map(|(c, _)| c.as_str())
                .collect();
            audit::record(
                tx,
                Some(actor.id),
                "account.updated",
                &format!("{name}, {profile}, {time_zone}, on: {}", on.join(" ")),
                &now,
            )
        })?;
        self.store
            .write_registry(|w| registry::set_name(w, tenant.slug(), &name))?;
        // Schedules move to the new zone's slots.
        crate::app::automations::schedules::reschedule(self, &self.tenant(tenant.slug())?)?;
        Ok(())
    }

    /// The owner's first choices on the setup page: the workspace's name, profile (its
    /// features as the profile says), time zone and currency.
    pub fn set_up_workspace(&self, tenant: &Tenant, owner: &User, choice: &Setup) -> Result<()> {
        let currency = choice.currency.trim().to_ascii_uppercase();
        if !crate::domain::money::valid_currency(&currency) {
            return Err(Error::field(
                "currency",
                "must be a three-letter code like EUR",
            ));
        }
        let defaults = crate::domain::capability::Capabilities::resolve(choice.profile, []);
        let wanted: Vec<(Capability, bool)> = Capability::ALL
            .into_iter()
            .map(|c| (c, defaults.allows(c)))
            .collect();
        let (name, zone) = (&choice.name, &choice.time_zone);
        self.update_account(tenant, owner, name, choice.profile, zone, &wanted)?;
        let now = self.stamp();
        tenant.db.write(|tx| {
            account::set_currency(tx, &currency, &now)?;
            audit::record(tx, Some(owner.id), "account.currency", &currency, &now)
        })
    }

    /// Sets or clears the account's own SMTP server. Mail waiting is looked at again at once.
    pub fn update_mail_settings(
        &self,
        tenant: &Tenant,
        actor: &User,
        smtp: Option<&SmtpConfig>,
    ) -> Result<()> {
        if !actor.role.can_manage_users() {
            return Err(Error::Forbidden(
                "Only owners and admins change mail settings.".into(),
            ));
        }
        let now = self.stamp();
        tenant.db.write(|tx| {
            account::set_mail_settings(tx, smtp, &now)?;
            let what = smtp.map_or("server default".to_string(), |s| {
                format!("{}:{}", s.host, s.port)
            });
            audit::record(tx, Some(actor.id), "mail.settings", &what, &now)
        })?;
        self.store
            .write_registry(|w| registry::note_mail_due(w, tenant.slug(), &now))?;
        self.wake_mailer(tenant.slug());
        Ok(())
    }
}

/// What the owner chooses for a new workspace on its setup page.
pub struct Setup {
    pub name: String,
    pub profile: Profile,
    pub time_zone: String,
    pub currency: String,
}

fn no_tenant(slug: &Slug) -> Error {
    Error::field("tenant", format!("there is no tenant {slug}"))
}

fn validate_account_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::field("name", "is required"));
    }
    if name.chars().count() > MAX_ACCOUNT_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Error::field(
            "name",
            "must be at most 120 characters, without control characters",
        ));
    }
    Ok(name.to_string())
}
