//! What each administrative command does, on the same app code as the web.

use super::{Outcome, TenantCommand, UserCommand, describe};
use crate::App;
use crate::domain::capability::Profile;
use crate::domain::slug::Slug;
use crate::domain::user::Role;
use crate::mail::{messages, transport};
use crate::store::{account, users};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// `onebox import`: a summary on stdout, progress on stderr; refused rows make the exit
/// status non-zero although the good rows are kept.
pub(super) fn import(
    app: &App,
    tenant: &str,
    entity: &str,
    file: &std::path::Path,
    duplicates: &str,
    errors: Option<PathBuf>,
    actor: Option<String>,
) -> Outcome {
    use crate::app::import::OnDuplicate;
    use crate::domain::crm::Entity;
    let t = app
        .tenant_any_status(&Slug::parse(tenant).map_err(describe)?)
        .map_err(describe)?;
    let entity = Entity::from_table(entity).ok_or("unknown entity")?;
    let on_duplicate = OnDuplicate::parse(duplicates).ok_or("unknown duplicates mode")?;
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let people = users::list(&*t.db.conn().map_err(describe)?).map_err(describe)?;
    let user = match &actor {
        Some(email) => people
            .into_iter()
            .find(|u| u.active && u.email.eq_ignore_ascii_case(email))
            .ok_or_else(|| format!("{tenant} has no active user {email}"))?,
        None => people
            .into_iter()
            .find(|u| u.active && u.role == Role::Owner)
            .ok_or_else(|| format!("{tenant} has no active owner; name a user with --as"))?,
    };
    let started = std::time::Instant::now();
    let report = app
        .import_csv(&t, &user, entity, &bytes, on_duplicate, &|done, total| {
            eprint!("\rImported {done} of {total} rows");
        })
        .map_err(describe)?;
    eprintln!();
    if !report.ignored_columns.is_empty() {
        println!("Ignored columns: {}", report.ignored_columns.join(", "));
    }
    println!(
        "Imported {} in {:.1} s: {} created, {} updated, {} skipped as duplicates, {} refused.",
        entity.table(),
        started.elapsed().as_secs_f64(),
        report.created,
        report.updated,
        report.skipped,
        report.failed.len()
    );
    for e in report.failed.iter().take(20) {
        println!("  line {}: {}", e.line, e.message);
    }
    if let Some(path) = &errors {
        std::fs::write(path, report.error_csv())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    match report.failed.len() {
        0 => Ok(()),
        n => Err(format!(
            "{n} rows were refused{}",
            errors.map_or(String::new(), |p| format!("; see {}", p.display()))
        )),
    }
}

pub(super) fn serve(app: Arc<App>) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, stop.clone())
            .map_err(|e| format!("cannot handle signals: {e}"))?;
    }
    // Listen first: a setup link printed by a server that then fails to start would be lost.
    let handle = crate::start(app.clone()).map_err(describe)?;
    if let Some(url) = app.ensure_first_tenant().map_err(describe)? {
        println!(
            "Created the first workspace, \"default\". Open this link once to set up its owner account:"
        );
        println!("  {url}");
        println!("(It works for 7 days; `onebox tenant create` makes more workspaces.)");
    }
    println!(
        "Onebox {} is listening on {}",
        env!("CARGO_PKG_VERSION"),
        handle.url()
    );
    let _ = std::io::stdout().flush();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    crate::info!("shutting down: finishing requests in flight");
    handle.shutdown().map_err(describe)?;
    crate::info!("stopped cleanly");
    Ok(())
}

pub(super) fn tenant(app: &App, cmd: TenantCommand) -> Outcome {
    match cmd {
        TenantCommand::Create {
            slug,
            name,
            profile,
            owner_email,
        } => {
            let profile: Profile = profile.parse().map_err(describe)?;
            let url = app
                .create_tenant(&slug, &name, profile, owner_email.as_deref())
                .map_err(describe)?;
            println!("Created tenant {slug} ({name}, {profile}).");
            println!("Owner setup link (works once, for 7 days):");
            println!("  {url}");
        }
        TenantCommand::List => {
            let tenants = app.list_tenants().map_err(describe)?;
            if tenants.is_empty() {
                println!("No tenants.");
            }
            for t in tenants {
                println!(
                    "{:<40} {:<9} {}  {}",
                    t.slug, t.status, t.created_at, t.name
                );
            }
        }
        TenantCommand::Disable { slug } => {
            app.set_tenant_active(&slug, false).map_err(describe)?;
            println!(
                "Tenant {slug} is disabled: its pages and API answer 404 until it is enabled."
            );
        }
        TenantCommand::Enable { slug } => {
            app.set_tenant_active(&slug, true).map_err(describe)?;
            println!("Tenant {slug} is enabled.");
        }
        TenantCommand::Delete {
            slug,
            force_retention,
        } => {
            if force_retention {
                eprintln!(
                    "warning: {slug} may hold kassa records; Dutch law (art. 52 AWR) asks you to keep them 7 years. Its file stays in DATA/trash/: keep it."
                );
            }
            let dest = app
                .delete_tenant(&slug, force_retention)
                .map_err(describe)?;
            println!(
                "Tenant {slug} is deleted; its file was moved to {}",
                dest.display()
            );
            println!(
                "Bring it back with: onebox restore {} --tenant {slug}",
                dest.display()
            );
        }
    }
    Ok(())
}

pub(super) fn user(app: &App, cmd: UserCommand) -> Outcome {
    let open = |slug: &str| {
        app.tenant_any_status(&Slug::parse(slug).map_err(describe)?)
            .map_err(describe)
    };
    match cmd {
        UserCommand::Add {
            tenant,
            email,
            name,
            role,
            password_stdin: _,
        } => {
            let t = open(&tenant)?;
            let role: Role = role.parse().map_err(describe)?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']);
            let user = app
                .add_user(&t.db, &email, &name, role, password)
                .map_err(describe)?;
            println!("Added {} as {} to {tenant}.", user.email, user.role);
        }
        UserCommand::List { tenant } => {
            let t = open(&tenant)?;
            for u in users::list(&*t.db.conn().map_err(describe)?).map_err(describe)? {
                let status = if !u.active {
                    "disabled"
                } else if u.has_password {
                    "active"
                } else {
                    "pending"
                };
                println!("{:<40} {:<7} {:<9} {}", u.email, u.role, status, u.name);
            }
        }
        UserCommand::ResetPassword { tenant, email } => {
            let t = open(&tenant)?;
            let url = app.password_reset_url(&t.db, &email).map_err(describe)?;
            println!("Password reset link for {email} (works once, for 2 hours):");
            println!("  {url}");
        }
        UserCommand::Disable { tenant, email } => {
            let t = open(&tenant)?;
            let user = app.user_by_email(&t.db, &email).map_err(describe)?;
            app.set_user_active(&t.db, None, user.id, false)
                .map_err(describe)?;
            println!("Disabled {}; their sessions have ended.", user.email);
        }
    }
    Ok(())
}

pub(super) fn check(app: &App) -> Outcome {
    let reports = app.check().map_err(describe)?;
    let failed = reports.iter().filter(|r| !r.problems.is_empty()).count();
    for r in &reports {
        if r.problems.is_empty() {
            println!("ok    {}", r.name);
        } else {
            println!("FAIL  {}: {}", r.name, r.problems.join("; "));
        }
    }
    if failed > 0 {
        Err(format!(
            "{failed} of {} files failed the check",
            reports.len()
        ))
    } else {
        Ok(())
    }
}

pub(super) fn mail_test(app: &App, to: &str, tenant: Option<&str>) -> Outcome {
    let to = crate::domain::user::normalize_email(to).map_err(|f| format!("--to {}", f.message))?;
    let (smtp, account_name) = match tenant {
        Some(slug) => {
            let t = app
                .tenant_any_status(&Slug::parse(slug).map_err(describe)?)
                .map_err(describe)?;
            let own = account::mail_settings(
                &*t.db.conn().map_err(describe)?,
                app.config.smtp.timeout_secs,
            )
            .map_err(describe)?;
            (
                own.unwrap_or_else(|| app.config.smtp.clone()),
                t.account.name,
            )
        }
        None => (app.config.smtp.clone(), "this server".to_string()),
    };
    if !smtp.is_configured() {
        return Err(
            "no SMTP server is configured: set [smtp] host in the config file or ONEBOX_SMTP_HOST"
                .into(),
        );
    }
    let sender = transport::Sender::new(&smtp).map_err(|e| e.message().to_string())?;
    let answer = sender
        .send(&messages::test_message(
            crate::domain::words::Lang::En,
            &to,
            &account_name,
        ))
        .map_err(|e| {
            format!(
                "{}:{} did not take the message: {}",
                smtp.host,
                smtp.port,
                e.message()
            )
        })?;
    println!("{}:{} answered: {answer}", smtp.host, smtp.port);
    Ok(())
}

/// `onebox token create`: prints a new API token of an active user.
pub(super) fn token(app: &App, tenant: &str, email: &str, label: &str) -> Outcome {
    let t = app
        .tenant_any_status(&Slug::parse(tenant).map_err(describe)?)
        .map_err(describe)?;
    let user = app.user_by_email(&t.db, email).map_err(describe)?;
    if !user.active {
        return Err(format!("{} is disabled", user.email));
    }
    let token = app
        .create_api_token(&t.db, &user, label)
        .map_err(describe)?;
    println!("{token}");
    Ok(())
}

/// `onebox seed`: demo data in proportion to a number of contacts.
pub(super) fn seed(app: &App, tenant: &str, contacts: usize) -> Outcome {
    let t = app
        .tenant_any_status(&Slug::parse(tenant).map_err(describe)?)
        .map_err(describe)?;
    let started = std::time::Instant::now();
    let made = app
        .seed(&t, crate::app::seed::SeedCounts::for_contacts(contacts))
        .map_err(describe)?;
    println!(
        "Seeded {tenant} in {:.1} s: {} companies, {} contacts, {} deals, {} tasks, {} notes, {} activities, {} appointments, {} conversations.",
        started.elapsed().as_secs_f64(),
        made.companies,
        made.contacts,
        made.deals,
        made.tasks,
        made.notes,
        made.activities,
        made.appointments,
        made.conversations
    );
    Ok(())
}
