//! Demo data's ingredients: names (with the diacritics real data has), companies, deal and
//! task titles, and a small deterministic random generator, so seeded data is the same on
//! every run and benchmarks compare.

/// xorshift64*: small, fast and the same on every machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

pub const FIRST: &[&str] = &[
    "Anna", "Jürgen", "Zoë", "José", "Mia", "Lukas", "Sofia", "Noah", "Élodie", "Björn", "Emma",
    "Mateo", "Ines", "Ole", "Chloé", "Ahmet", "Lea", "Tomás", "Hanna", "Piotr", "Freya", "Ravi",
    "Ayşe", "Malte", "Nora", "Søren", "Clara", "Luca", "Ingrid", "Kenji",
];
pub const LAST: &[&str] = &[
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
pub const COMPANY_A: &[&str] = &[
    "Nord", "Alpen", "Blue", "Green", "Sun", "River", "Stone", "Oak", "Silver", "Bright", "Prime",
    "Hafen", "Linden", "Kraft",
];
pub const COMPANY_B: &[&str] = &[
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
pub const INDUSTRIES: &[&str] = &[
    "Food",
    "Healthcare",
    "Construction",
    "Beauty",
    "Retail",
    "Services",
    "Automotive",
    "Hospitality",
];
pub const SIZES: &[&str] = &["1-10", "11-50", "51-200"];
pub const TITLES: &[&str] = &[
    "Owner",
    "Manager",
    "Buyer",
    "Office manager",
    "Head of operations",
    "Assistant",
    "Director",
];
pub const SOURCES: &[&str] = &[
    "Website",
    "Referral",
    "Trade fair",
    "Phone",
    "Newsletter",
    "Walk-in",
];
pub const DEAL_WHAT: &[&str] = &[
    "Annual contract",
    "Renovation",
    "Wedding cakes",
    "Service plan",
    "New equipment",
    "Consulting",
    "Catering",
    "Fit-out",
];
pub const TASK_WHAT: &[&str] = &[
    "Call back",
    "Send the quote",
    "Follow up",
    "Book a visit",
    "Prepare the offer",
    "Check the invoice",
    "Send samples",
];
pub const LOST: &[&str] = &[
    "Price",
    "Went with a competitor",
    "No budget",
    "Timing",
    "No reply",
];
pub const OUTCOMES: &[&str] = &[
    "Interested",
    "Call back next week",
    "Needs a quote",
    "Not now",
    "Left a message",
    "Agreed to meet",
];
pub const LABELS: &[(&str, &str)] = &[
    ("vip", "#dc2626"),
    ("newsletter", "#2563eb"),
    ("partner", "#16a34a"),
    ("wholesale", "#d97706"),
    ("event", "#7c3aed"),
];

/// `Jürgen` → `jurgen`, for demo email addresses.
pub fn ascii(name: &str) -> String {
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

/// How much to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedCounts {
    pub contacts: usize,
    pub companies: usize,
    pub deals: usize,
    pub tasks: usize,
    pub notes: usize,
    pub activities: usize,
    /// From a year back to a year ahead; fewer when the people's hours are full.
    pub appointments: usize,
    /// Each with a mail in and mostly an answer out.
    pub conversations: usize,
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
            appointments: n / 4,
            conversations: n,
        }
    }
}
