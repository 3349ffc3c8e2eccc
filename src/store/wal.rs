//! Checkpoints beside the writes. SQLite folds its WAL back into the file (a checkpoint) in
//! the commit that takes the WAL past 1,000 pages: that commit's request waited 5–11 ms for
//! it, every 25th contact created at 100,000 contacts (each writes about 40 pages: the row,
//! its sort indexes, the search index, the timeline and the totals), and an import every
//! batch. A tenant's pooled connections note the WAL's size at each commit instead (SQLite's
//! WAL hook, which replaces its own checkpoints), and the write that finds it past the mark
//! hands a checkpoint to the thread beside the requests. That copies most of the WAL while
//! writes go on, then the rest in a writer's turn (a few pages: writers wait about a
//! millisecond), after which the next write starts the WAL over.

use super::Pool;
use rusqlite::Connection;
use rusqlite::hooks::Wal;
use scheduled_thread_pool::ScheduledThreadPool;
use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// WAL pages after which a checkpoint is due: SQLite's own mark.
const DUE_AT_PAGES: c_int = 1000;

thread_local! {
    /// The WAL's pages after the last commit on this thread, on a connection that hands its
    /// checkpoints over.
    static PAGES: Cell<c_int> = const { Cell::new(0) };
}

fn note_pages(_: &Wal, pages: c_int) -> rusqlite::Result<()> {
    PAGES.set(pages);
    Ok(())
}

/// Makes `conn` note the WAL's size at each commit instead of checkpointing itself.
pub(super) fn hand_over_checkpoints(conn: &Connection) {
    conn.wal_hook(Some(note_pages));
}

/// What a tenant's writers share: their turn (writers queue here, in the process, rather than
/// in SQLite's busy handler, which sleeps in growing steps and made concurrent writes wait
/// hundreds of milliseconds), and whether a checkpoint is on its way.
#[derive(Default)]
pub struct Writers {
    turn: Mutex<()>,
    checkpoint_queued: AtomicBool,
}

impl Writers {
    pub(super) fn turn(&self) -> MutexGuard<'_, ()> {
        self.turn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// After a write on this thread: when it took the WAL past the mark, hands a checkpoint
    /// of `pool` to `beside`, unless one is queued already.
    pub(super) fn after_write(self: &Arc<Self>, pool: &Pool, beside: &ScheduledThreadPool) {
        if PAGES.replace(0) < DUE_AT_PAGES || self.checkpoint_queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let (writers, pool) = (self.clone(), pool.clone());
        beside.execute(move || {
            // Writes from now on may queue the next one.
            writers.checkpoint_queued.store(false, Ordering::Release);
            let done = pool.get().map_err(|e| e.to_string()).and_then(|conn| {
                let checkpoint = || {
                    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                        .map_err(|e| e.to_string())
                };
                // Most of the WAL beside the writes; then, in a writer's turn, the few pages
                // they added meanwhile, so that all of it is copied and the next write starts
                // the WAL over (with writes landing all the time it never would).
                checkpoint()?;
                let _turn = writers.turn();
                checkpoint()
            });
            if let Err(e) = done {
                crate::warn!("checkpoint failed: {}", crate::log::escape(&e));
            }
        });
    }
}
