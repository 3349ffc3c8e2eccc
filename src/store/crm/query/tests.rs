use super::*;
use crate::store::scratch::Scratch;

/// 120 contacts (first names F0–F6, two owners, every tenth in the trash), every other one
/// labelled vip and every third partner.
fn labelled_contacts() -> Scratch {
    let scratch = Scratch::new();
    let conn = scratch.conn();
    conn.execute_batch(
        "INSERT INTO users (id, email, role, created_at, updated_at) VALUES
            (1, 'a@x.test', 'owner', '', ''), (2, 'b@x.test', 'member', '', '');
         INSERT INTO labels (id, name, color, created_at) VALUES
            (1, 'vip', 'blue', ''), (2, 'partner', 'green', '');",
    )
    .expect("users and labels");
    for i in 0..120_i64 {
        conn.execute(
            "INSERT INTO contacts (first_name, last_name, owner_id, lifecycle, custom, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, 'lead', '{}', ?4, ?5, ?6)",
            rusqlite::params![
                format!("F{}", i % 7),
                format!("L{}", (i * 37) % 11),
                1 + i % 2,
                format!("2026-01-{:02}", 1 + i % 28),
                format!("2026-02-{:02}T{:02}", 1 + (i * 13) % 28, i % 24),
                (i % 10 == 8).then_some("2026-03-01"),
            ],
        )
        .expect("contact");
        let id = conn.last_insert_rowid();
        for label in [1, 2].into_iter().filter(|l| i % (l + 1) == 0) {
            conn.execute(
                "INSERT INTO contact_labels (contact_id, label_id) VALUES (?1, ?2)",
                [id, label],
            )
            .expect("label");
        }
    }
    drop(conn);
    scratch
}

/// Both ways of putting a label filter or a search to SQLite give the same pages, in every
/// order.
#[test]
fn both_plans_give_the_same_pages() {
    let scratch = labelled_contacts();
    let conn = scratch.conn();
    let filters = [
        vec![Filter::Label("vip".into())],
        vec![
            Filter::Label("vip".into()),
            Filter::Eq("owner_id", 1.into()),
        ],
        vec![Filter::Label("partner".into()), Filter::Label("vip".into())],
        vec![Filter::Search("f3".into())],
        vec![Filter::Search("f3".into()), Filter::Label("vip".into())],
    ];
    for filters in filters {
        for sort in [("name", false), ("updated_at", true), ("created_at", false)] {
            for offset in [0, 10, 40] {
                let query = ListQuery {
                    filters: filters.clone(),
                    sort: (sort.0.into(), sort.1),
                    limit: 10,
                    offset,
                    trash: false,
                    after: None,
                };
                let ids = |plan| -> Vec<i64> {
                    page(&conn, Entity::Contact, &query, plan)
                        .expect("page")
                        .iter()
                        .map(|r| r.id)
                        .collect()
                };
                let along = ids(Plan::AlongSort);
                assert_eq!(along, ids(Plan::FromMatches), "{query:?}");
                let (listed, total) = list(&conn, Entity::Contact, &query).expect("list");
                assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), along);
                assert!(offset > 0 || !along.is_empty(), "{query:?}");
                assert!(total >= along.len() as i64);
            }
        }
    }
}

/// The totals of a filtered list: a search alone counted by the full-text index (which holds
/// the live records only), a label through its records.
#[test]
fn filtered_totals_leave_out_the_trash() {
    let scratch = labelled_contacts();
    let conn = scratch.conn();
    // A search alone is counted by the full-text index, which holds the live records only.
    let live_f3 = (0..120_i64).filter(|i| i % 7 == 3 && i % 10 != 8).count() as i64;
    let searched = ListQuery {
        filters: vec![Filter::Search("f3".into())],
        ..ListQuery::new(10, 0)
    };
    assert_eq!(
        list(&conn, Entity::Contact, &searched).expect("list").1,
        live_f3
    );
    // Every other contact carries vip, and a fifth of those are in the trash.
    let query = |filters| ListQuery {
        filters,
        ..ListQuery::new(10, 0)
    };
    let vip = vec![Filter::Label("vip".into())];
    assert_eq!(
        list(&conn, Entity::Contact, &query(vip)).expect("list").1,
        48
    );
}

/// Paging after the last row gives the same rows, in the same order, as counting rows from
/// the start, for every order both ways (by a linked name too), with empty and equal keys on
/// the way.
#[test]
fn pages_after_a_row_match_pages_by_offset() {
    let scratch = Scratch::new();
    let conn = scratch.conn();
    for i in 0..57_i64 {
        conn.execute(
            "INSERT INTO contacts (first_name, last_name, email, custom, created_at, updated_at,
                                   company_name, owner_name)
             VALUES (?1, ?2, ?3, '{}', ?4, ?4, ?5, ?6)",
            rusqlite::params![
                (i % 4 != 0).then(|| format!("f{}", i % 3)),
                (i % 5 != 0).then(|| format!("L{}", i % 6)),
                (i % 6 != 1).then(|| format!("c{i}@x.test")),
                format!("2026-01-{:02}", 1 + i % 9),
                // Names kept beside the contact, as its links would write them: some none,
                // some equal but for case.
                (i % 7 != 0).then(|| ["Acme", "acme", "Zeta", "Beta"][(i % 4) as usize]),
                (i % 3 != 0).then(|| format!("Owner {}", i % 5)),
            ],
        )
        .expect("contact");
    }
    for sort in [
        "name",
        "first_name",
        "last_name",
        "email",
        "updated_at",
        "created_at",
        "id",
        "company",
        "owner",
    ] {
        for desc in [false, true] {
            let mut by_offset = Vec::new();
            let mut by_seek = Vec::new();
            let mut after = None;
            for offset in (0..57).step_by(10) {
                let mut q = ListQuery::new(10, offset);
                q.sort = (sort.into(), desc);
                by_offset
                    .extend(page(&conn, Entity::Contact, &q, Plan::FromMatches).expect("page"));
                q.after = after.take();
                let rows = page(&conn, Entity::Contact, &q, Plan::FromMatches).expect("seek");
                after = rows
                    .last()
                    .map(|r| crate::store::crm::keyset::values_of(Entity::Contact, sort, r));
                by_seek.extend(rows);
            }
            let ids = |rows: &[Record]| rows.iter().map(|r| r.id).collect::<Vec<_>>();
            assert_eq!(ids(&by_seek), ids(&by_offset), "{sort} desc={desc}");
            assert_eq!(by_seek.len(), 57, "{sort} desc={desc}");
        }
    }
}
