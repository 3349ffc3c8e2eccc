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
            "INSERT INTO contacts (first_name, last_name, owner_id, owner_name, lifecycle, custom, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, 'Owner ' || ?3, 'lead', '{}', ?4, ?5, ?6)",
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

/// The ids of the first `limit` matches (after the offset) as a plan reads them.
fn read(conn: &Connection, query: &ListQuery, plan: Plan) -> Vec<i64> {
    let rows = match plan {
        Plan::FromMatches => {
            walk::matches(conn, Entity::Contact, query, query.offset, Duration::MAX)
                .expect("matches")
                .expect("in time")
        }
        Plan::AlongSort => {
            walk::along_sort(conn, Entity::Contact, query, query.offset, Duration::MAX)
                .expect("walk")
                .hits
        }
    };
    let mut ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    ids.truncate(query.limit as usize);
    ids
}

/// The filters the tests page through: labels, searches, fields, times, and mixes of them.
fn some_filters() -> Vec<Vec<Filter>> {
    vec![
        vec![Filter::Label("vip".into())],
        vec![
            Filter::Label("vip".into()),
            Filter::Eq("owner_id", 1.into()),
        ],
        vec![Filter::Label("partner".into()), Filter::Label("vip".into())],
        vec![Filter::Search("f3".into())],
        vec![Filter::Search("f3".into()), Filter::Label("vip".into())],
        vec![
            Filter::Since("created_at", false, "2026-01-09".into()),
            Filter::Since("updated_at", true, "2026-02-20".into()),
        ],
        vec![Filter::Eq("first_name", "F2".into())],
        vec![Filter::Eq("owner_id", 2.into())],
    ]
}

/// Both ways of putting filters to SQLite give the same pages, in every order.
#[test]
fn both_plans_give_the_same_pages() {
    let scratch = labelled_contacts();
    let conn = scratch.conn();
    for filters in some_filters() {
        for sort in [("name", false), ("updated_at", true), ("created_at", false)] {
            for offset in [0, 10, 40] {
                let query = ListQuery {
                    filters: filters.clone(),
                    sort: (sort.0.into(), sort.1),
                    ..ListQuery::new(10, offset)
                };
                let along = read(&conn, &query, Plan::AlongSort);
                assert_eq!(along, read(&conn, &query, Plan::FromMatches), "{query:?}");
                // Time enough that a busy machine cannot cut the page short: budgets are the
                // next test's matter, this one's is that both plans agree.
                let ample = Budget {
                    count: Duration::from_secs(10),
                    walk: Duration::from_secs(10),
                };
                let listed = list_within(&conn, Entity::Contact, &query, &ample).expect("list");
                let ids: Vec<i64> = listed.records.iter().map(|r| r.id).collect();
                assert_eq!(ids, along, "{query:?}");
                assert!(offset > 0 || !along.is_empty(), "{query:?}");
                assert!(listed.total.least() >= along.len() as i64);
            }
        }
    }
}

/// Every page of a list from the first, following `next`, then back from the last following
/// `prev`: the ids in order, each page's offset checked against the ids before it.
fn every_page(conn: &Connection, query: &ListQuery, budget: &Budget) -> Vec<i64> {
    let mut q = query.clone();
    let mut seen: Vec<i64> = Vec::new();
    let mut pages = Vec::new();
    loop {
        let page = list_within(conn, Entity::Contact, &q, budget).expect("page");
        assert_eq!(page.offset, seen.len() as i64, "{q:?}");
        assert!(page.short || page.records.len() as i64 == q.limit || page.next.is_none());
        seen.extend(page.records.iter().map(|r| r.id));
        assert!(pages.len() < 500, "the pages go on without end");
        let next = page.next.clone();
        pages.push(page);
        let Some((offset, seek)) = next else { break };
        (q.offset, q.seek) = (offset, Some(seek));
    }
    // Back from the last page to the first.
    let mut back: Vec<i64> = pages
        .last()
        .expect("a page")
        .records
        .iter()
        .map(|r| r.id)
        .collect();
    let mut prev = pages.last().and_then(|p| p.prev.clone());
    while let Some((offset, seek)) = prev {
        (q.offset, q.seek) = (offset, Some(seek));
        let page = list_within(conn, Entity::Contact, &q, budget).expect("page back");
        let ids: Vec<i64> = page.records.iter().map(|r| r.id).collect();
        let before = seen.len() - back.len();
        assert_eq!(ids[..], seen[before - ids.len()..before], "{q:?}");
        assert_eq!(page.offset, (before - ids.len()) as i64, "{q:?}");
        back.splice(0..0, ids);
        prev = page.prev;
    }
    assert_eq!(back, seen, "back to the first page");
    seen
}

/// With any budget, the pages of a list hold every match once, in order, with the right
/// offsets, both ways: a small budget gives short pages that look on from where they stopped,
/// and a lower bound for the total.
#[test]
fn pages_within_any_budget_hold_every_match_once_in_order() {
    let scratch = labelled_contacts();
    let conn = scratch.conn();
    // No time at all: SQLite is stopped the first time it looks (every hundred steps), once a
    // walk has read a row.
    let tiny = Budget {
        count: Duration::ZERO,
        walk: Duration::ZERO,
    };
    for filters in some_filters() {
        for sort in [
            ("name", false),
            ("updated_at", true),
            ("company", true),
            ("owner", true),
        ] {
            let query = ListQuery {
                filters: filters.clone(),
                sort: (sort.0.into(), sort.1),
                ..ListQuery::new(7, 0)
            };
            let mut all = query.clone();
            all.limit = 1_000;
            let expected = read(&conn, &all, Plan::FromMatches);
            assert_eq!(
                every_page(&conn, &query, &PAGE_BUDGET),
                expected,
                "{query:?}"
            );
            assert_eq!(every_page(&conn, &query, &tiny), expected, "{query:?} tiny");
            let first = list_within(&conn, Entity::Contact, &query, &tiny).expect("first");
            assert!(first.total.least() <= expected.len() as i64, "{query:?}");
            // Counted in full when there is time (ample, so that a busy machine cannot cut it).
            let ample = Budget {
                count: Duration::from_secs(10),
                walk: Duration::from_secs(10),
            };
            let counted = list_within(&conn, Entity::Contact, &query, &ample).expect("counted");
            assert_eq!(
                counted.total,
                Total::Exact(expected.len() as i64),
                "{query:?}"
            );
        }
    }
    // Two time filters, neither on the sort, that few of 3,000 more contacts meet together: a
    // tiny budget cannot count them, and says so.
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO contacts (first_name, custom, created_at, updated_at)
         SELECT 'G' || i, '{}', '2025-12-01', '2026-01-01' FROM n",
    )
    .expect("more contacts");
    let rare = ListQuery {
        filters: some_filters()[5].clone(),
        sort: ("name".into(), false),
        ..ListQuery::new(7, 0)
    };
    let page = list_within(&conn, Entity::Contact, &rare, &tiny).expect("rare");
    assert!(!page.total.is_exact(), "{:?}", page.total);
    assert!(page.short, "the walk ran out before a page was full");
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
                let page = |q: &ListQuery| {
                    let mut rows =
                        walk::matches(&conn, Entity::Contact, q, q.offset, Duration::MAX)
                            .expect("page")
                            .expect("in time");
                    rows.truncate(10);
                    rows
                };
                by_offset.extend(page(&q));
                q.seek = after.take().map(|keys| Seek {
                    keys,
                    back: false,
                    inclusive: false,
                });
                q.offset = 0;
                let rows = page(&q);
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
