//! Demo data: `onebox seed --tenant <slug> --contacts N` fills a tenant with companies,
//! contacts, deals across the stages, tasks, notes and activities in proportion to N, spread
//! over two years and a few owners. Deterministic, so benchmarks are repeatable.

use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::capability::Capability::Inbox;
pub use crate::domain::demo::SeedCounts;
use crate::domain::demo::{
    COMPANY_A, COMPANY_B, DEAL_WHAT, FIRST, INDUSTRIES, LABELS, LAST, LOST, OUTCOMES, Rng, SIZES,
    SOURCES, TASK_WHAT, TITLES, ascii,
};
use crate::domain::ids::LabelId;
use crate::domain::user::Role;
use crate::error::{Error, Result};
use crate::store::Write;
use crate::store::crm::seed::{self, IntoValue, Value};
use crate::store::crm::{labels, pipelines, records};
use crate::store::users;
use chrono::{DateTime, Duration, Utc};

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
        let zone = tenant.zone_of(None);
        let seeded = tenant.db.bulk_write(|tx| {
            let mut s = Seeder {
                tx,
                counts,
                now,
                rng: Rng(0x9E37_79B9_7F4A_7C15 ^ counts.contacts as u64),
                owners: Vec::new(),
                first_contact: 0,
                companies_of: Vec::new(),
            };
            s.owners()?;
            let label_ids = s.labels()?;
            let company_ids = s.companies()?;
            s.contacts(&company_ids, &label_ids)?;
            let first_deal = s.deals(&currency)?;
            s.tasks(first_deal)?;
            s.notes()?;
            s.activities()?;
            let plan = crate::app::seed_schedule::Plan {
                owners: &s.owners,
                contacts: (s.first_contact, counts.contacts),
                now,
                zone,
                wanted: counts.appointments,
            };
            let appointments = crate::app::seed_schedule::seed_schedule(tx, &mut s.rng, &plan)?;
            let talk = crate::app::seed_inbox::Talk {
                owners: &s.owners,
                contacts: (s.first_contact, counts.contacts),
                now,
                wanted: counts.conversations * usize::from(tenant.caps.allows(Inbox)),
            };
            let conversations = crate::app::seed_inbox::seed_conversations(tx, &mut s.rng, &talk)?;
            records::refresh_link_keys(tx)?;
            Ok(SeedCounts {
                appointments,
                conversations,
                ..counts
            })
        })?;
        tenant.db.finish_bulk_writes()?;
        Ok(seeded)
    }
}

/// Makes the demo rows, kind by kind, from one stream of random numbers: the same counts
/// make the same data.
struct Seeder<'a, 'b> {
    tx: &'a Write<'b>,
    counts: SeedCounts,
    now: DateTime<Utc>,
    rng: Rng,
    /// The users the work is spread over.
    owners: Vec<i64>,
    first_contact: i64,
    /// The company of each contact, in order.
    companies_of: Vec<Option<i64>>,
}

impl Seeder<'_, '_> {
    /// A time up to `days_back` days before now.
    fn at(&mut self, days_back: i64) -> String {
        let minutes = self.rng.below((days_back * 1440) as usize) as i64;
        stamp(self.now - Duration::minutes(minutes))
    }

    fn owner(&mut self) -> i64 {
        self.owners[self.rng.below(self.owners.len())]
    }

    /// A random contact and its company.
    fn contact(&mut self) -> (i64, Option<i64>) {
        let n = self.rng.below(self.counts.contacts);
        (self.first_contact + n as i64, self.companies_of[n])
    }

    /// A few owners to spread the work over.
    fn owners(&mut self) -> Result<()> {
        let tx = self.tx;
        self.owners = users::list(tx)?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| u.id.0)
            .collect();
        for (i, name) in ["Mia Sales", "Ole Service", "Ines Office", "Noor Desk"]
            .iter()
            .enumerate()
            .take(5usize.saturating_sub(self.owners.len()))
        {
            let email = format!("demo{}@demo.onebox.invalid", i + 1);
            if users::by_email(tx, &email)?.is_none() {
                let id = users::insert(tx, &email, name, Role::Member, None, &stamp(self.now))?;
                self.owners.push(id.0);
            }
        }
        Ok(())
    }

    fn labels(&mut self) -> Result<Vec<LabelId>> {
        let mut ids = Vec::new();
        for (name, color) in LABELS {
            ids.push(match labels::ids_for(self.tx, &[name.to_string()])? {
                Ok(found) => found[0],
                Err(_) => labels::create(self.tx, name, color, &stamp(self.now))?,
            });
        }
        Ok(ids)
    }

    fn companies(&mut self) -> Result<Vec<i64>> {
        let n = self.counts.companies;
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let rng = &mut self.rng;
            let name = format!(
                "{} {} {}",
                rng.pick(COMPANY_A),
                rng.pick(COMPANY_B),
                rng.below(100_000)
            );
            let domain = format!("{}.example", ascii(&name.replace(' ', "-")));
            let phone = format!("+49 30 {:07}", rng.below(10_000_000));
            let when = self.at(730);
            let (industry, size) = (self.rng.pick(INDUSTRIES), self.rng.pick(SIZES));
            let owner = self.owner();
            rows.push(row![
                name,
                domain,
                industry,
                size,
                phone,
                owner,
                when.clone(),
                when
            ]);
        }
        let columns = [
            "name",
            "domain",
            "industry",
            "size",
            "phone",
            "owner_id",
            "created_at",
            "updated_at",
        ];
        let first = seed::insert_rows(self.tx, "companies", &columns, &rows)?;
        Ok((first..first + n as i64).collect())
    }

    fn contacts(&mut self, company_ids: &[i64], label_ids: &[LabelId]) -> Result<()> {
        let n = self.counts.contacts;
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let rng = &mut self.rng;
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
            self.companies_of.push(company);
            let when = self.at(730);
            let title = self.rng.pick(TITLES);
            let owner = self.owner();
            let source = self.rng.pick(SOURCES);
            rows.push(row![
                first,
                last,
                email,
                phone,
                title,
                company,
                owner,
                lifecycle,
                source,
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
        self.first_contact = seed::insert_rows(self.tx, "contacts", &columns, &rows)?;
        let mut labelled = Vec::new();
        for i in 0..n {
            if self.rng.chance(20) {
                let label = label_ids[self.rng.below(label_ids.len())];
                labelled.push(row![self.first_contact + i as i64, label]);
            }
        }
        seed::insert_pairs(
            self.tx,
            "contact_labels",
            &["contact_id", "label_id"],
            &labelled,
        )
    }

    /// Deals across the default pipeline's stages; answers the first deal's id.
    fn deals(&mut self, currency: &str) -> Result<i64> {
        let pipeline = pipelines::default(self.tx)?;
        let mut rows = Vec::with_capacity(self.counts.deals);
        for _ in 0..self.counts.deals {
            let stage = &pipeline.stages[self.rng.below(pipeline.stages.len())];
            let (contact_id, company_id) = self.contact();
            let created = self.at(720);
            let closed = (stage.kind != "open").then(|| self.at(360).max(created.clone()));
            let lost = (stage.kind == "lost").then(|| self.rng.pick(LOST));
            let close_date = (self.now + Duration::days(self.rng.below(120) as i64 - 30))
                .format("%Y-%m-%d")
                .to_string();
            let title = format!("{} {}", self.rng.pick(DEAL_WHAT), self.rng.below(1000));
            let amount = (500 + self.rng.below(49_500)) as i64 * 100;
            let changed = closed.clone().unwrap_or_else(|| created.clone());
            let owner = self.owner();
            rows.push(row![
                title,
                pipeline.id,
                stage.id,
                stage.kind.as_str(),
                lost,
                amount,
                currency,
                contact_id,
                company_id,
                owner,
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
        seed::insert_rows(self.tx, "deals", &columns, &rows)
    }

    fn tasks(&mut self, first_deal: i64) -> Result<()> {
        let deals = self.counts.deals;
        let mut rows = Vec::with_capacity(self.counts.tasks);
        for _ in 0..self.counts.tasks {
            let done = self.rng.chance(40);
            let hours = self.rng.below(90 * 24) as i64 - 30 * 24;
            let due = stamp(self.now + Duration::hours(hours));
            let completed = done.then(|| self.at(30));
            let on_deal = deals > 0 && self.rng.chance(40);
            let deal = on_deal.then(|| first_deal + self.rng.below(deals) as i64);
            let contact_id = (!on_deal).then(|| self.contact().0);
            let title = format!("{} {}", self.rng.pick(TASK_WHAT), self.rng.below(100));
            let priority = ["low", "normal", "normal", "high"][self.rng.below(4)];
            let when = self.at(365);
            let owner = self.owner();
            rows.push(row![
                title,
                due,
                priority,
                if done { "done" } else { "open" },
                completed,
                owner,
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
        seed::insert_rows(self.tx, "tasks", &columns, &rows).map(drop)
    }

    fn notes(&mut self) -> Result<()> {
        let rows: Vec<Vec<Value>> = (0..self.counts.notes)
            .map(|_| {
                let body = format!("{}. {}", self.rng.pick(OUTCOMES), self.rng.pick(TASK_WHAT));
                let when = self.at(700);
                let contact = self.contact().0;
                let owner = self.owner();
                row![body, contact, owner, when.clone(), when]
            })
            .collect();
        let columns = [
            "body",
            "contact_id",
            "created_by",
            "created_at",
            "updated_at",
        ];
        seed::insert_rows(self.tx, "notes", &columns, &rows).map(drop)
    }

    fn activities(&mut self) -> Result<()> {
        let mut rows = Vec::with_capacity(self.counts.activities);
        for _ in 0..self.counts.activities {
            let (contact_id, company_id) = self.contact();
            let kind = ["call", "call", "meeting", "email", "email"][self.rng.below(5)];
            let said = crate::domain::activity::logged(kind, Some(self.rng.pick(OUTCOMES)));
            let summary = said.read(crate::domain::words::Lang::En);
            let when = self.at(730);
            let owner = self.owner();
            rows.push(row![
                kind,
                summary,
                said.to_json(),
                contact_id,
                company_id,
                owner,
                when.clone(),
                when
            ]);
        }
        let columns = [
            "kind",
            "summary",
            "said",
            "contact_id",
            "company_id",
            "actor_id",
            "occurred_at",
            "created_at",
        ];
        seed::insert_rows(self.tx, "activities", &columns, &rows).map(drop)
    }
}
