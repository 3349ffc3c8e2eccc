//! A fresh tenant in a temporary data directory, for the store's unit tests.

use super::{Conn, Store, TenantDb};
use crate::domain::capability::Profile;
use crate::domain::slug::Slug;

/// Holds the directory, the store and the tenant; dropping it removes them.
pub struct Scratch {
    _dir: tempfile::TempDir,
    _store: Store,
    pub db: TenantDb,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path(), 2).expect("open");
        let slug = Slug::parse("acme").expect("slug");
        let db = store
            .create_tenant(&slug, "Acme", Profile::Generic, "2026-11-21T00:00:00Z")
            .expect("create");
        Scratch {
            _dir: dir,
            _store: store,
            db,
        }
    }

    pub fn conn(&self) -> Conn {
        self.db.conn().expect("conn")
    }
}
