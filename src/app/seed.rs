//! Demo data: `onebox seed --tenant <slug> --contacts N` fills a tenant with companies,
//! contacts, deals across the stages, tasks, notes and activities in proportion to N, spread
//! over two years and a few owners. Deterministic, so benchmarks are repeatable.

use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::demo::{
    COMPANY_A, COMPANY_B, DEAL_WHAT, FIRST, INDUSTRIES, LABELS, LAST, LOST, OUTCOMES, Rng, SIZES,
    SOURCES, TASK_WHAT, TITLES, ascii,
};
use crate::domain::user::Role;
use crate::error::{Error, Result};
use crate::store::crm::seed::{self, IntoValue, Value};
use crate::store::crm::{labels, pipelines};
use crate::store::users;
use chrono::Duration;

/// How much to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedCounts {
    pub contacts: usize,
    pub companies: usize,
    pub deals: usize,
    pub tasks: usize,
    pub notes: usize,
    pub activities: usize,
}

impl SeedCounts {
    /// The proportions of a small firm's CRM after a few years.
    pub fn for_contacts(n: usize) -> SeedCounts {
        SeedCounts {
            contacts: n,
            companies: (n / 10).max(1),
            deals: n / 5,
            tasks: n / 2,
            notes: n / 4,
            activities: n * 5,
        }
    }
}

/// A row of values for `seed::insert_rows`.
macro_rules! row {
    ($($v:expr),* $(,)?) => { vec![$(IntoValue::into_value($v)),*] };
}

impl App {
    /// Adds demo data to `tenant` in one transaction.
    pub fn seed(&self, tenant: &Tenant, counts: SeedCounts) -> Result<SeedCounts> {
        if counts.contacts == 0 || counts.contacts > 2_000_000 {
            return Err(Error::field("contacts", "must be from 1 to 2000000"));
        }
        let now = self.now();
        let currency = tenant.account.currency.clone();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ counts.contacts as u64);
        let at = |rng: &mut Rng, days_back: i64| {
            stamp(now - Duration::minutes(rng.below((days_back * 1440) as usize) as i64))
        };
        let seeded = tenant.db.bulk_write(|tx| {
            // A few owners to spread the work over.
            let mut owners: Vec<i64> = users::list(tx)?
                .into_iter()
                .filter(|u| u.active)
                .map(|u| u.id.0)
                .collect();
            for (i, name) in ["Mia Sales", "Ole Service", "Ines Office"]
                .iter()
                .enumerate()
                .take(4usize.saturating_sub(owners.len()))
            {
                let email = format!("demo{}@demo.onebox.invalid", i + 1);
                if users::by_email(tx, &email)?.is_none() {
                    owners
                        .push(users::insert(tx, &email, name, Role::Member, None, &stamp(now))?.0);
                }
            }
            let mut label_ids = Vec::new();
            for (name, color) in LABELS {
                label_ids.push(match labels::ids_for(tx, &[name.to_string()])? {
                    Ok(ids) => ids[0],
                    Err(_) => labels::create(tx, name, color, &stamp(now))?,
                });
            }
            let pipeline = pipelines::default(tx)?;
            let owner = |rng: &mut Rng| owners[rng.below(owners.len())];

            let mut rows = Vec::with_capacity(counts.companies);
            for _ in 0..counts.companies {
                let name = format!(
                    "{} {} {}",
                    rng.pick(COMPANY_A),
                    rng.pick(COMPANY_B),
                    rng.below(100_000)
                );
                let domain = format!("{}.example", ascii(&name.replace(' ', "-")));
                let phone = format!("+49 30 {:07}", rng.below(10_000_000));
                let when = at(&mut rng, 730);
                rows.push(row![
                    name,
                    domain,
                    rng.pick(INDUSTRIES),
                    rng.pick(SIZES),
                    phone,
                    owner(&mut rng),
                    when.clone(),
                    when
                ]);
            }
            let first_company = seed::insert_rows(
                tx,
                "companies",
                &[
                    "name",
                    "domain",
                    "industry",
                    "size",
                    "phone",
                    "owner_id",
                    "created_at",
                    "updated_at",
                ],
                &rows,
            )?;
            let company_ids: Vec<i64> =
                (first_company..first_company + counts.companies as i64).collect();

            let mut rows = Vec::with_capacity(counts.contacts);
            let mut companies_of = Vec::with_capacity(counts.contacts);
            for i in 0..counts.contacts {
                let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
                let company = (!rng.chance(15)).then(|| company_ids[rng.below(company_ids.len())]);
                let email = format!(
                    "{}.{}.{}.{}@mail.example",
                    ascii(first),
                    ascii(last),
                    i + 1,
                    rng.below(1000)
                );
                let phone = format!("+49 {} {:07}", 30 + rng.below(60), rng.below(10_000_000));
                let lifecycle =
                    ["lead", "lead", "prospect", "customer", "customer", "former"][rng.below(6)];
                companies_of.push(company);
                let when = at(&mut rng, 730);
                rows.push(row![
                    first,
                    last,
                    email,
                    phone,
                    rng.pick(TITLES),
                    company,
                    owner(&mut rng),
                    lifecycle,
                    rng.pick(SOURCES),
                    when.clone(),
                    when
                ]);
            }
            let columns = [
                "first_name",
                "last_name",
                "email",
                "phone",
                "title",
                "company_id",
                "owner_id",
                "lifecycle",
                "source",
                "created_at",
                "updated_at",
            ];
            let first_contact = seed::insert_rows(tx, "contacts", &columns, &rows)?;
            let contact = |rng: &mut Rng| {
                let n = rng.below(counts.contacts);
                (first_contact + n as i64, companies_of[n])
            };
            let mut labelled = Vec::new();
            for n in 0..counts.contacts {
                if rng.chance(20) {
                    labelled.push(row![
                        first_contact + n as i64,
                        label_ids[rng.below(label_ids.len())]
                    ]);
                }
            }
            seed::insert_pairs(tx, "contact_labels", &["contact_id", "label_id"], &labelled)?;

            let mut rows = Vec::with_capacity(counts.deals);
            for _ in 0..counts.deals {
                let stage = &pipeline.stages[rng.below(pipeline.stages.len())];
                let (contact_id, company_id) = contact(&mut rng);
                let created = at(&mut rng, 720);
                let closed = (stage.kind != "open").then(|| at(&mut rng, 360).max(created.clone()));
                let lost = (stage.kind == "lost").then(|| rng.pick(LOST));
                let close_date = (now + Duration::days(rng.below(120) as i64 - 30))
                    .format("%Y-%m-%d")
                    .to_string();
                let title = format!("{} {}", rng.pick(DEAL_WHAT), rng.below(1000));
                let amount = (500 + rng.below(49_500)) as i64 * 100;
                let changed = closed.clone().unwrap_or_else(|| created.clone());
                rows.push(row![
                    title,
                    pipeline.id,
                    stage.id,
                    stage.kind.as_str(),
                    lost,
                    amount,
                    currency.as_str(),
                    contact_id,
                    company_id,
                    owner(&mut rng),
                    close_date,
                    closed,
                    created,
                    changed
                ]);
            }
            let columns = [
                "title",
                "pipeline_id",
                "stage_id",
                "status",
                "lost_reason",
                "amount",
                "currency",
                "contact_id",
                "company_id",
                "owner_id",
                "expected_close_date",
                "closed_at",
                "created_at",
                "updated_at",
            ];
            let first_deal = seed::insert_rows(tx, "deals", &columns, &rows)?;

            let mut rows = Vec::with_capacity(counts.tasks);
            for _ in 0..counts.tasks {
                let done = rng.chance(40);
                let due = stamp(now + Duration::hours(rng.below(90 * 24) as i64 - 30 * 24));
                let completed = done.then(|| at(&mut rng, 30));
                let on_deal = counts.deals > 0 && rng.chance(40);
                let deal = on_deal.then(|| first_deal + rng.below(counts.deals) as i64);
                let contact_id = (!on_deal).then(|| contact(&mut rng).0);
                let title = format!("{} {}", rng.pick(TASK_WHAT), rng.below(100));
                let priority = ["low", "normal", "normal", "high"][rng.below(4)];
                let when = at(&mut rng, 365);
                rows.push(row![
                    title,
                    due,
                    priority,
                    if done { "done" } else { "open" },
                    completed,
                    owner(&mut rng),
                    contact_id,
                    deal,
                    when.clone(),
                    when
                ]);
            }
            let columns = [
                "title",
                "due_at",
                "priority",
                "status",
                "completed_at",
                "assignee_id",
                "contact_id",
                "deal_id",
                "created_at",
                "updated_at",
            ];
            seed::insert_rows(tx, "tasks", &columns, &rows)?;

            let rows: Vec<Vec<Value>> = (0..counts.notes)
                .map(|_| {
                    let body = format!("{}. {}", rng.pick(OUTCOMES), rng.pick(TASK_WHAT));
                    let when = at(&mut rng, 700);
                    row![
                        body,
                        contact(&mut rng).0,
                        owner(&mut rng),
                        when.clone(),
                        when
                    ]
                })
                .collect();
            seed::insert_rows(
                tx,
                "notes",
                &[
                    "body",
                    "contact_id",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
                &rows,
            )?;

            let mut rows = Vec::with_capacity(counts.activities);
            for _ in 0..counts.activities {
                let (contact_id, company_id) = contact(&mut rng);
                let kind = ["call", "call", "meeting", "email", "email"][rng.below(5)];
                let verb = match kind {
                    "call" => "Call",
                    "meeting" => "Meeting",
                    _ => "Email",
                };
                let summary = format!("{verb} logged: {}", rng.pick(OUTCOMES));
                let when = at(&mut rng, 730);
                rows.push(row![
                    kind,
                    summary,
                    contact_id,
                    company_id,
                    owner(&mut rng),
                    when.clone(),
                    when
                ]);
            }
            let columns = [
                "kind",
                "summary",
                "contact_id",
                "company_id",
                "actor_id",
                "occurred_at",
                "created_at",
            ];
            seed::insert_rows(tx, "activities", &columns, &rows)?;
            Ok(counts)
        })?;
        tenant.db.finish_bulk_writes()?;
        Ok(seeded)
    }
}
