//! The import thread: runs the imports started in the browser one after another, so a large
//! file neither holds a request nor competes with another import for the writer.

use crate::app::App;
use crate::app::import_queue::ImportSignal;
use crate::error::{Error, Result};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;

pub fn start(app: Arc<App>) -> Result<(JoinHandle<()>, mpsc::Sender<ImportSignal>)> {
    let (signals, inbox) = mpsc::channel();
    app.set_import_worker(Some(signals.clone()));
    let thread = std::thread::Builder::new()
        .name("onebox-import".into())
        .spawn(move || {
            while let Ok(ImportSignal::Run(work)) = inbox.recv() {
                app.run_import(*work);
            }
            app.set_import_worker(None);
        })
        .map_err(|e| Error::internal("starting the import thread", e))?;
    Ok((thread, signals))
}
