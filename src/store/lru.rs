//! The open tenant pools: at most `capacity`, the least recently used closed first.

use super::Pool;
use crate::domain::slug::Slug;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A bounded map of open pools that evicts the least recently used one. A few hundred entries
/// at most, so a scan for the oldest is cheaper than keeping a linked list in step.
pub struct Lru {
    capacity: usize,
    tick: u64,
    entries: HashMap<Slug, Entry>,
}

/// A tenant's pool and its writers' queue.
pub type Open = (Pool, Arc<Mutex<()>>);

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

    pub fn insert(&mut self, slug: Slug, pool: Open, file: Option<(u64, u64)>) {
        if !self.entries.contains_key(&slug) && self.entries.len() >= self.capacity {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(s, _)| s.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
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
    }

    pub fn remove(&mut self, slug: &Slug) -> Option<Open> {
        self.entries.remove(slug).map(|e| e.pool)
    }

    pub fn pools(&self) -> Vec<Pool> {
        self.entries.values().map(|e| e.pool.0.clone()).collect()
    }

    #[cfg(test)]
    pub fn contains(&self, slug: &Slug) -> bool {
        self.entries.contains_key(slug)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
