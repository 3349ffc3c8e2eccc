//! The CRM's shared entities and their fields. One table of fields per entity drives
//! validation, storage columns, forms and the API, so each field is described once.

use crate::domain::capability::Capability;
use crate::domain::fields::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Contact,
    Company,
    Deal,
    Task,
    Note,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Set on create when the input leaves the field out.
    pub default: Option<&'static str>,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
        default: None,
    }
}

const fn required(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
        default: None,
    }
}

const fn with_default(name: &'static str, kind: Kind, default: &'static str) -> Field {
    Field {
        name,
        kind,
        required: false,
        default: Some(default),
    }
}

/// Links whose records' names (or a stage's place) a list can be sorted by: the link's field
/// and the sort's name.
const LINK_SORTS: &[(&str, &str)] = &[
    ("company_id", "company"),
    ("owner_id", "owner"),
    ("assignee_id", "assignee"),
    ("stage_id", "stage"),
];

/// The link whose record's name (or place, for a stage) a sort is by.
pub fn link_of_sort(sort: &str) -> Option<&'static str> {
    LINK_SORTS
        .iter()
        .find(|(_, s)| *s == sort)
        .map(|(link, _)| *link)
}

pub const LIFECYCLES: &[&str] = &["lead", "prospect", "customer", "former"];
pub const PRIORITIES: &[&str] = &["low", "normal", "high"];
pub const TASK_STATUSES: &[&str] = &["open", "done"];
pub const STAGE_KINDS: &[&str] = &["open", "won", "lost"];
/// Activities a person logs by hand.
pub const LOGGED_KINDS: &[&str] = &["call", "meeting", "email"];

const CONTACT: &[Field] = &[
    field("first_name", Kind::Text(100)),
    field("last_name", Kind::Text(100)),
    field("email", Kind::Email),
    field("phone", Kind::Phone),
    field("title", Kind::Text(100)),
    field("company_id", Kind::Ref(Entity::Company)),
    field("owner_id", Kind::User),
    with_default("lifecycle", Kind::Choice(LIFECYCLES), "lead"),
    field("source", Kind::Text(100)),
];

const COMPANY: &[Field] = &[
    required("name", Kind::Text(200)),
    field("domain", Kind::Domain),
    field("industry", Kind::Text(100)),
    field("size", Kind::Text(40)),
    field("phone", Kind::Phone),
    field("address", Kind::LongText(500)),
    field("owner_id", Kind::User),
];

const DEAL: &[Field] = &[
    required("title", Kind::Text(200)),
    field("pipeline_id", Kind::Pipeline),
    field("stage_id", Kind::Stage),
    field("amount", Kind::Amount),
    field("currency", Kind::Currency),
    field("contact_id", Kind::Ref(Entity::Contact)),
    field("company_id", Kind::Ref(Entity::Company)),
    field("owner_id", Kind::User),
    field("expected_close_date", Kind::Date),
    field("lost_reason", Kind::Text(500)),
];

const TASK: &[Field] = &[
    required("title", Kind::Text(200)),
    field("notes", Kind::LongText(5000)),
    field("due_at", Kind::DateTime),
    with_default("priority", Kind::Choice(PRIORITIES), "normal"),
    with_default("status", Kind::Choice(TASK_STATUSES), "open"),
    field("assignee_id", Kind::User),
    field("contact_id", Kind::Ref(Entity::Contact)),
    field("company_id", Kind::Ref(Entity::Company)),
    field("deal_id", Kind::Ref(Entity::Deal)),
];

const NOTE: &[Field] = &[
    required("body", Kind::LongText(10_000)),
    field("contact_id", Kind::Ref(Entity::Contact)),
    field("company_id", Kind::Ref(Entity::Company)),
    field("deal_id", Kind::Ref(Entity::Deal)),
];

impl Entity {
    pub const ALL: [Entity; 5] = [
        Entity::Contact,
        Entity::Company,
        Entity::Deal,
        Entity::Task,
        Entity::Note,
    ];

    pub fn fields(self) -> &'static [Field] {
        match self {
            Entity::Contact => CONTACT,
            Entity::Company => COMPANY,
            Entity::Deal => DEAL,
            Entity::Task => TASK,
            Entity::Note => NOTE,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The table, and the URL segment of its pages and API.
    pub fn table(self) -> &'static str {
        match self {
            Entity::Contact => "contacts",
            Entity::Company => "companies",
            Entity::Deal => "deals",
            Entity::Task => "tasks",
            Entity::Note => "notes",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Entity::Contact => "contact",
            Entity::Company => "company",
            Entity::Deal => "deal",
            Entity::Task => "task",
            Entity::Note => "note",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Entity::Contact => "Contacts",
            Entity::Company => "Companies",
            Entity::Deal => "Deals",
            Entity::Task => "Tasks",
            Entity::Note => "Notes",
        }
    }

    pub fn from_table(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.table() == s)
    }

    pub fn from_singular(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.singular() == s)
    }

    /// Contacts, companies and deals carry labels and custom attributes.
    /// Contacts, companies and deals can be imported from CSV files.
    pub fn importable(self) -> bool {
        matches!(self, Entity::Contact | Entity::Company | Entity::Deal)
    }

    pub fn has_labels_and_custom(self) -> bool {
        matches!(self, Entity::Contact | Entity::Company | Entity::Deal)
    }

    /// The capability a tenant needs for this entity, if any.
    pub fn capability(self) -> Option<Capability> {
        match self {
            Entity::Deal => Some(Capability::Deals),
            Entity::Task => Some(Capability::Tasks),
            _ => None,
        }
    }

    /// The column of activities, tasks and notes that points at a record of this entity.
    pub fn link_column(self) -> &'static str {
        match self {
            Entity::Contact => "contact_id",
            Entity::Company => "company_id",
            Entity::Deal => "deal_id",
            Entity::Task => "task_id",
            Entity::Note => "note_id",
        }
    }

    /// Values the entity's rules keep, never taken from input: a deal's status follows its
    /// stage, its close time and a task's completion time follow their status.
    pub fn derived(self) -> &'static [&'static str] {
        match self {
            Entity::Deal => &["status", "closed_at"],
            Entity::Task => &["completed_at"],
            _ => &[],
        }
    }

    /// The orders a list of this entity offers. Each has an index on (deleted_at, its key, id)
    /// (schema.sql, `<table>_sort_<key>` or an older one), so a page is found along the index
    /// at any depth instead of sorting every row. `company`, `owner`, `assignee` sort by the
    /// linked name and `stage` in pipeline and stage order (kept beside the record); the other
    /// links are not offered, their order would be their ids'.
    pub fn sorts(self) -> &'static [&'static str] {
        match self {
            Entity::Contact => &[
                "name",
                "first_name",
                "last_name",
                "email",
                "company",
                "owner",
                "lifecycle",
                "created_at",
                "updated_at",
                "id",
            ],
            Entity::Company => &[
                "name",
                "domain",
                "industry",
                "owner",
                "created_at",
                "updated_at",
                "id",
            ],
            Entity::Deal => &[
                "title",
                "stage",
                "amount",
                "company",
                "owner",
                "expected_close_date",
                "status",
                "closed_at",
                "created_at",
                "updated_at",
                "id",
            ],
            Entity::Task => &[
                "title",
                "due_at",
                "priority",
                "status",
                "assignee",
                "completed_at",
                "created_at",
                "updated_at",
                "id",
            ],
            Entity::Note => &["created_at", "updated_at", "id"],
        }
    }

    /// The sort a list column offers: its own name, or for a link the linked name's sort.
    pub fn sort_for(self, column: &str) -> Option<&'static str> {
        let sort = LINK_SORTS
            .iter()
            .find(|(link, _)| *link == column)
            .map_or(column, |(_, sort)| *sort);
        self.sorts().iter().copied().find(|s| *s == sort)
    }

    /// Whether a list may be sorted by `name` (see `sorts`).
    pub fn sortable(self, name: &str) -> bool {
        self.sorts().contains(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_fields_are_unique() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_table(e.table()), Some(e));
            assert_eq!(Entity::from_singular(e.singular()), Some(e));
            let mut names: Vec<_> = e.fields().iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), e.fields().len(), "{e:?} repeats a field");
        }
        assert!(Entity::Contact.sortable("last_name") && !Entity::Contact.sortable("password"));
        assert!(!Entity::Task.sortable("notes"));
        assert!(Entity::Task.sortable("completed_at") && !Entity::Contact.sortable("completed_at"));
    }
}
