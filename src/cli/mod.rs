//! The command line. Every command reuses the same app code as the web UI; failures print a
//! clear message and exit non-zero.

mod commands;

use crate::App;
use crate::clock::SystemClock;
use crate::config::{self, RawConfig};
use crate::domain::slug::Slug;
use crate::error::Error;
use clap::{Parser, Subcommand};
use commands::{check, import, mail_test, serve, tenant, user};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "onebox",
    version,
    about = "Onebox: a self-hosted CRM in one binary"
)]
pub struct Cli {
    /// Data directory [env: ONEBOX_DATA] [default: ./onebox-data]
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Address to listen on [env: ONEBOX_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<String>,
    /// Configuration file [env: ONEBOX_CONFIG]; see config.example.toml
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (web UI, API, mailer) until SIGTERM or SIGINT
    Serve,
    /// Create, list, enable, disable and delete tenants
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage the users of a tenant
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Write consistent copies of tenant files while the server runs
    Backup {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only this tenant (default: every tenant and the registry)
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Restore a tenant file (from a backup or the trash)
    Restore {
        file: PathBuf,
        #[arg(long)]
        tenant: String,
        /// Replace an existing tenant (its current data is kept beside it)
        #[arg(long)]
        force: bool,
    },
    /// Check the integrity of the registry and every tenant file
    Check,
    /// Mail tools
    #[command(subcommand)]
    Mail(MailCommand),
    /// Fill a tenant with demo data in proportion to the number of contacts
    Seed {
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value_t = 1000)]
        contacts: usize,
    },
    /// Import contacts, companies or deals from a CSV file whose first row names the columns
    Import {
        #[arg(long)]
        tenant: String,
        #[arg(value_parser = ["contacts", "companies", "deals"])]
        entity: String,
        file: PathBuf,
        /// A row matching a record already there (contacts by email, companies by domain)
        #[arg(long, default_value = "skip", value_parser = ["skip", "update", "create"])]
        duplicates: String,
        /// Write the refused rows, with their line and reason, to this CSV file
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
        /// The user the records are created by [default: the first owner]
        #[arg(long = "as", value_name = "EMAIL")]
        actor: Option<String>,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant and print its owner's setup link
    Create {
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "generic", value_parser = ["generic", "healthcare", "construction"])]
        profile: String,
        #[arg(long, value_name = "EMAIL")]
        owner_email: Option<String>,
    },
    List,
    Disable {
        slug: String,
    },
    Enable {
        slug: String,
    },
    /// Move the tenant's file to DATA/trash/ (never deleted) and forget the tenant
    Delete {
        slug: String,
        /// Delete a workspace that has kassa records (receipts, register sessions, the
        /// journal), which the tax authorities ask to be kept 7 years
        #[arg(long)]
        force_retention: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user, reading the password from standard input
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "member", value_parser = ["owner", "admin", "member"])]
        role: String,
        /// Read the password from the first line of standard input
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Print a password reset link
    ResetPassword {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
    },
    Disable {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (only the token, only once)
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        label: String,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send one message now and print the SMTP server's answer
    Test {
        #[arg(long, value_name = "ADDR")]
        to: String,
        /// Use this tenant's own SMTP settings, if it has any
        #[arg(long)]
        tenant: Option<String>,
    },
}

/// Parses the command line, runs the command, returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("onebox: {message}");
            1
        }
    }
}

type Outcome = Result<(), String>;

/// Commands that may start a data directory from nothing; the others need one to exist, so a
/// mistyped `--data` is an error instead of a new empty directory.
fn makes_data_dir(command: &Command) -> bool {
    matches!(
        command,
        Command::Serve | Command::Tenant(TenantCommand::Create { .. }) | Command::Restore { .. }
    )
}

fn describe(e: Error) -> String {
    match e {
        Error::NotFound => "not found".into(),
        Error::Internal(detail) => detail,
        other => other.to_string(),
    }
}

fn run(cli: Cli) -> Outcome {
    let env: std::collections::HashMap<String, String> = std::env::vars().collect();
    let flags = RawConfig {
        data: cli.data,
        listen: cli.listen,
        ..RawConfig::default()
    };
    let config = config::load(flags, cli.config.as_deref(), &env)?;
    // Validate what names a file before anything touches the disk.
    validate_slugs(&cli.command)?;
    if !makes_data_dir(&cli.command) && !config.data_dir.is_dir() {
        return Err(format!(
            "there is no data directory at {} (`onebox serve` or `onebox tenant create` makes one)",
            config.data_dir.display()
        ));
    }
    let app = Arc::new(App::open(config, Arc::new(SystemClock)).map_err(describe)?);
    match cli.command {
        Command::Serve => serve(app),
        Command::Tenant(cmd) => tenant(&app, cmd),
        Command::User(cmd) => user(&app, cmd),
        Command::Token(TokenCommand::Create {
            tenant,
            email,
            label,
        }) => commands::token(&app, &tenant, &email, &label),
        Command::Backup { out, tenant } => {
            for file in app.backup(&out, tenant.as_deref()).map_err(describe)? {
                println!("{}", file.display());
            }
            Ok(())
        }
        Command::Restore {
            file,
            tenant,
            force,
        } => {
            println!("{}", app.restore(&file, &tenant, force).map_err(describe)?);
            Ok(())
        }
        Command::Check => check(&app),
        Command::Mail(MailCommand::Test { to, tenant }) => mail_test(&app, &to, tenant.as_deref()),
        Command::Seed { tenant, contacts } => commands::seed(&app, &tenant, contacts),
        Command::Import {
            tenant,
            entity,
            file,
            duplicates,
            errors,
            actor,
        } => import(&app, &tenant, &entity, &file, &duplicates, errors, actor),
    }
}

fn validate_slugs(command: &Command) -> Outcome {
    let slug = match command {
        Command::Tenant(
            TenantCommand::Create { slug, .. }
            | TenantCommand::Disable { slug }
            | TenantCommand::Enable { slug }
            | TenantCommand::Delete { slug, .. },
        ) => Some(slug),
        Command::User(
            UserCommand::Add { tenant, .. }
            | UserCommand::List { tenant }
            | UserCommand::ResetPassword { tenant, .. }
            | UserCommand::Disable { tenant, .. },
        ) => Some(tenant),
        Command::Token(TokenCommand::Create { tenant, .. })
        | Command::Restore { tenant, .. }
        | Command::Seed { tenant, .. }
        | Command::Import { tenant, .. } => Some(tenant),
        Command::Backup { tenant, .. } | Command::Mail(MailCommand::Test { tenant, .. }) => {
            tenant.as_ref()
        }
        Command::Serve | Command::Check | Command::Tenant(TenantCommand::List) => None,
    };
    match slug {
        Some(slug) => Slug::parse(slug).map(|_| ()).map_err(describe),
        None => Ok(()),
    }
}
