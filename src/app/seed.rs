//! Demo data: `onebox seed --tenant <slug> --contacts N` fills a tenant with companies,
//! contacts, deals across the stages, tasks, notes and activities in proportion to N, spread
//! over two years and a few owners. Deterministic, so benchmarks are repeatable.

use crate::app::{App, Tenant};
use crate::clock::stamp;
use crate::domain::user::Role;
use crate::error::{Error, Result};
use crate::store::crm::{labels, pipelines, seed};
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

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "Anna", "Jürgen", "Zoë", "José", "Mia", "Lukas", "Sofia", "Noah", "Élodie", "Björn", "Emma",
    "Mateo", "Ines", "Ole", "Chloé", "Ahmet", "Lea", "Tomás", "Hanna", "Piotr", "Freya", "Ravi",
    "Ayşe", "Malte", "Nora", "Søren", "Clara", "Luca", "Ingrid", "Kenji",
];
const LAST: &[&str] = &[
    "Müller",
    "Schmidt",
    "García",
    "Rossi",
    "Dubois",
    "Jansen",
    "Nowak",
    "Svensson",
    "Öztürk",
    "Fischer",
    "Weber",
    "Martín",
    "Bernard",
    "Kowalski",
    "Lindqvist",
    "Hansen",
    "Novák",
    "Ferreira",
    "Meyer",
    "Kaya",
    "Wagner",
    "Costa",
    "Moreau",
    "Berg",
    "Horváth",
    "Jović",
];
const COMPANY_A: &[&str] = &[
    "Nord", "Alpen", "Blue", "Green", "Sun", "River", "Stone", "Oak", "Silver", "Bright", "Prime",
    "Hafen", "Linden", "Kraft",
];
const COMPANY_B: &[&str] = &[
    "Bakery",
    "Dental",
    "Builders",
    "Studio",
    "Clinic",
    "Logistics",
    "Salon",
    "Garage",
    "Consulting",
    "Roofing",
    "Optics",
    "Café",
];
const INDUSTRIES: &[&str] = &[
    "Food",
    "Healthcare",
    "Construction",
    "Beauty",
    "Retail",
    "Services",
    "Automotive",
    "Hospitality",
];
const SIZES: &[&str] = &["1-10", "11-50", "51-200"];
const TITLES: &[&str] = &[
    "Owner",
    "Manager",
    "Buyer",
    "Office manager",
    "Head of operations",
    "Assistant",
    "Director",
];
const SOURCES: &[&str] = &[
    "Website",
    "Referral",
    "Trade fair",
    "Phone",
    "Newsletter",
    "Walk-in",
];
const DEAL_WHAT: &[&str] = &[
    "Annual contract",
    "Renovation",
    "Wedding cakes",
    "Service plan",
    "New equipment",
    "Consulting",
    "Catering",
    "Fit-out",
];
const TASK_WHAT: &[&str] = &[
    "Call back",
    "Send the quote",
    "Follow up",
    "Book a visit",
    "Prepare the offer",
    "Check the invoice",
    "Send samples",
];
const LOST: &[&str] = &[
    "Price",
    "Went with a competitor",
    "No budget",
    "Timing",
    "No reply",
];
const OUTCOMES: &[&str] = &[
    "Interested",
    "Call back next week",
    "Needs a quote",
    "Not now",
    "Left a message",
    "Agreed to meet",
];
const LABELS: &[(&str, &str)] = &[
    ("vip", "#dc2626"),
    ("newsletter", "#2563eb"),
    ("partner", "#16a34a"),
    ("wholesale", "#d97706"),
    ("event", "#7c3aed"),
];

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
            stamp(now - Duration::minutes((rng.below((days_back * 1440) as usize)) as i64))
        };
        tenant.db.bulk_write(|tx| {
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
            let offset: i64 =
                tx.query_row("SELECT coalesce(max(id), 0) FROM contacts", [], |r| {
                    r.get(0)
                })?;

            let mut companies = Vec::with_capacity(counts.companies);
            for i in 0..counts.companies {
                let name = format!(
                    "{} {} {}",
                    rng.pick(COMPANY_A),
                    rng.pick(COMPANY_B),
                    offset + i as i64 + 1
                );
                let domain = format!(
                    "{}.example",
                    name.to_lowercase().replace(' ', "-").replace('é', "e")
                );
                let phone = format!("+49 30 {:07}", rng.below(10_000_000));
                let owner = Some(owners[rng.below(owners.len())]);
                let c = seed::Company {
                    name: &name,
                    domain: &domain,
                    industry: rng.pick(INDUSTRIES),
                    size: rng.pick(SIZES),
                    phone: &phone,
                    owner_id: owner,
                    at: &at(&mut rng, 730),
                };
                companies.push(seed::company(tx, &c)?);
            }
            let mut contacts = Vec::with_capacity(counts.contacts);
            for i in 0..counts.contacts {
                let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
                let company = (!rng.chance(15)).then(|| companies[rng.below(companies.len())]);
                let email = format!(
                    "{}.{}.{}@mail.example",
                    ascii(first),
                    ascii(last),
                    offset + i as i64 + 1
                );
                let phone = format!("+49 {} {:07}", 30 + rng.below(60), rng.below(10_000_000));
                let lifecycle =
                    ["lead", "lead", "prospect", "customer", "customer", "former"][rng.below(6)];
                let owner = Some(owners[rng.below(owners.len())]);
                let c = seed::Contact {
                    first_name: first,
                    last_name: last,
                    email: &email,
                    phone: &phone,
                    title: rng.pick(TITLES),
                    company_id: company,
                    owner_id: owner,
                    lifecycle,
                    source: rng.pick(SOURCES),
                    at: &at(&mut rng, 730),
                };
                let id = seed::contact(tx, &c)?;
                if rng.chance(20) {
                    seed::label_contact(tx, id, label_ids[rng.below(label_ids.len())])?;
                }
                contacts.push((id, company));
            }
            let mut deals = Vec::with_capacity(counts.deals);
            for _ in 0..counts.deals {
                let stage = &pipeline.stages[rng.below(pipeline.stages.len())];
                let (contact, company) = contacts[rng.below(contacts.len())];
                let created = at(&mut rng, 720);
                let closed = (stage.kind != "open").then(|| at(&mut rng, 360).max(created.clone()));
                let title = format!("{} {}", rng.pick(DEAL_WHAT), rng.below(1000));
                let close_date = (now + Duration::days(rng.below(120) as i64 - 30))
                    .format("%Y-%m-%d")
                    .to_string();
                let d = seed::Deal {
                    title: &title,
                    pipeline_id: pipeline.id,
                    stage_id: stage.id,
                    status: &stage.kind,
                    lost_reason: (stage.kind == "lost").then(|| rng.pick(LOST)),
                    amount: (500 + rng.below(49_500)) as i64 * 100,
                    currency: &currency,
                    contact_id: Some(contact),
                    company_id: company,
                    owner_id: Some(owners[rng.below(owners.len())]),
                    expected_close_date: &close_date,
                    closed_at: closed.as_deref(),
                    at: &created,
                };
                deals.push(seed::deal(tx, &d)?);
            }
            for _ in 0..counts.tasks {
                let done = rng.chance(40);
                let due = stamp(now + Duration::hours(rng.below(90 * 24) as i64 - 30 * 24));
                let completed = done.then(|| at(&mut rng, 30));
                let on_deal = !deals.is_empty() && rng.chance(40);
                let title = format!("{} {}", rng.pick(TASK_WHAT), rng.below(100));
                let t = seed::Task {
                    title: &title,
                    due_at: &due,
                    priority: ["low", "normal", "normal", "high"][rng.below(4)],
                    status: if done { "done" } else { "open" },
                    completed_at: completed.as_deref(),
                    assignee_id: Some(owners[rng.below(owners.len())]),
                    contact_id: (!on_deal).then(|| contacts[rng.below(contacts.len())].0),
                    deal_id: on_deal.then(|| deals[rng.below(deals.len())]),
                    at: &at(&mut rng, 365),
                };
                seed::task(tx, &t)?;
            }
            for _ in 0..counts.notes {
                let body = format!("{}. {}", rng.pick(OUTCOMES), rng.pick(TASK_WHAT));
                seed::note(
                    tx,
                    &body,
                    contacts[rng.below(contacts.len())].0,
                    Some(owners[rng.below(owners.len())]),
                    &at(&mut rng, 700),
                )?;
            }
            for _ in 0..counts.activities {
                let (contact, company) = contacts[rng.below(contacts.len())];
                let kind = ["call", "call", "meeting", "email", "email"][rng.below(5)];
                let outcome = rng.pick(OUTCOMES);
                let summary = format!(
                    "{} logged: {outcome}",
                    match kind {
                        "call" => "Call",
                        "meeting" => "Meeting",
                        _ => "Email",
                    }
                );
                let a = seed::Activity {
                    kind,
                    summary: &summary,
                    body: "",
                    contact_id: Some(contact),
                    company_id: company,
                    deal_id: None,
                    actor_id: Some(owners[rng.below(owners.len())]),
                    at: &at(&mut rng, 730),
                };
                seed::activity(tx, &a)?;
            }
            Ok(counts)
        })
    }
}

/// `Jürgen` → `jurgen`, for demo email addresses.
fn ascii(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'ä' | 'á' | 'à' | 'å' => 'a',
            'ö' | 'ó' | 'ø' => 'o',
            'ü' | 'ú' => 'u',
            'é' | 'è' | 'ë' => 'e',
            'ç' => 'c',
            'ş' => 's',
            'ć' => 'c',
            'í' => 'i',
            other => other,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}
