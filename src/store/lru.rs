//! The open tenant pools: at most `capacity`, holding at most `MAX_CONNECTIONS` connections
//! together, the least recently used closed first.

use super::Pool;
use crate::domain::slug::Slug;
use std::collections::HashMap;
use std::sync::Arc;

/// The connections all open pools may hold before the least recently used pool is closed. Each
/// keeps its workspace's schema and page cache: about 1 MB for an empty workspace, up to its
/// cache size (2 MB) for a busy one. So memory stays bounded whatever `max_open_tenants` is (at
/// 1,000 workspaces every one used to stay open, 3 MB each); reopening a closed workspace costs
/// about a millisecond.
pub const MAX_CONNECTIONS: u32 = 32;

/// A bounded map of open pools that evicts the least recently used one. A few hundred entries
/// at most, so a scan for the oldest is cheaper than keeping a linked list in step.
pub struct Lru {
    capacity: usize,
    tick: u64,
    entries: HashMap<Slug, Entry>,
}

/// A tenant's pool and what its writers share.
pub type Open = (Pool, Arc<super::wal::Writers>);

struct Entry {
    pool: Open,
    file: Option<(u64, u64)>,
    used: u64,
}

impl Lru {
    pub fn new(capacity: usize) -> Lru {
        Lru {
            capacity,
            tick: 0,
            entries: HashMap::new(),
        }
    }

    /// The pool of `slug` if it has one for the file now at its path.
    pub fn get(&mut self, slug: &Slug, file: Option<(u64, u64)>) -> Option<Open> {
        self.tick += 1;
        let entry = self.entries.get_mut(slug)?;
        if entry.file != file {
            self.entries.remove(slug);
            return None;
        }
        entry.used = self.tick;
        Some(entry.pool.clone())
    }

    /// Keeps `pool` as the most recently used, and hands back the pools closed to make room.
    pub fn insert(&mut self, slug: Slug, pool: Open, file: Option<(u64, u64)>) -> Vec<Open> {
        self.entries.remove(&slug);
        let mut evicted = Vec::new();
        while !self.entries.is_empty()
            && (self.entries.len() >= self.capacity || self.connections() >= MAX_CONNECTIONS)
        {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(s, _)| s.clone());
            if let Some(entry) = oldest.and_then(|oldest| self.entries.remove(&oldest)) {
                evicted.push(entry.pool);
            }
        }
        self.tick += 1;
        self.entries.insert(
            slug,
            Entry {
                pool,
                file,
                used: self.tick,
            },
        );
        evicted
    }

    /// The connections the open pools hold, idle or in use.
    fn connections(&self) -> u32 {
        self.entries
            .values()
            .map(|e| e.pool.0.state().connections)
            .sum()
    }

    pub fn remove(&mut self, slug: &Slug) -> Option<Open> {
        self.entries.remove(slug).map(|e| e.pool)
    }

    pub fn pools(&self) -> Vec<Pool> {
        self.entries.values().map(|e| e.pool.0.clone()).collect()
    }

    pub fn contains(&self, slug: &Slug) -> bool {
        self.entries.contains_key(slug)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
