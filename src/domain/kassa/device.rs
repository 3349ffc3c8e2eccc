//! The one interface to fiscal hardware: a signing device such as Germany's TSE
//! (KassenSichV) or Belgium's FDM/SCU, or a certified cloud service in its place.
//!
//! Onebox ships no driver: its journal's hash chain, gapless numbers and perpetual grand totals
//! are what the Dutch and French rules ask, and need no device. Where a country's rule needs
//! one, a driver implements [`FiscalDevice`] and is handed to the app at start
//! (`App::fiscal`). Then every journal row is signed before it is written:
//!
//! 1. The app builds the row's event (canonical JSON, with its `kind`, `at` and `register_id`)
//!    and calls [`FiscalDevice::sign`] with the register, the row's sequence number and that
//!    text, inside the write that journals it.
//! 2. A [`Signature`] that comes back is put into the event under `"device"` (see [`seal`]) and
//!    so lies under the row's hash: changing it later breaks the chain like any other change.
//! 3. An error from the device aborts the write: the sale, session change or cash move is not
//!    made, and the cashier sees the device's words. A driver that must let sales go on while its
//!    device is away (as the German rule allows, when the outage is recorded) answers `Ok(None)`
//!    and keeps its own record of the outage.
//!
//! A driver is called from the write's thread and must answer within a second or two: the
//! workspace's writes wait for it.

use serde::Serialize;
use serde_json::Value;

/// What a device answers for one event: its own id, its signature counter, the signature, and
/// its own clock's time (all as the device gives them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub device: String,
    pub counter: i64,
    pub value: String,
    pub at: String,
}

pub trait FiscalDevice: Send + Sync {
    /// Signs `event` (canonical JSON), to be row `seq` of register `register`'s journal;
    /// `Ok(None)`: nothing to add. An `Err` is shown to the cashier and nothing is written.
    fn sign(&self, register: i64, seq: i64, event: &str) -> Result<Option<Signature>, String>;
}

/// No device: the journal alone (the default, and all the Netherlands and France need).
pub struct NoDevice;

impl FiscalDevice for NoDevice {
    fn sign(&self, _: i64, _: i64, _: &str) -> Result<Option<Signature>, String> {
        Ok(None)
    }
}

/// `event` with what `device` said of it under `"device"`, to be canonicalized and hashed.
pub fn seal(
    device: &dyn FiscalDevice,
    (register, seq): (i64, i64),
    mut event: Value,
    canonical: &str,
) -> Result<Value, String> {
    if let Some(signature) = device.sign(register, seq, canonical)?
        && let Some(obj) = event.as_object_mut()
    {
        obj.insert(
            "device".into(),
            serde_json::to_value(signature).map_err(|e| e.to_string())?,
        );
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kassa::journal::canonical;
    use serde_json::json;
    use std::sync::atomic::{AtomicI64, Ordering};

    /// A device that counts and "signs" with the length of what it was given.
    struct Counting(AtomicI64);

    impl FiscalDevice for Counting {
        fn sign(&self, register: i64, seq: i64, event: &str) -> Result<Option<Signature>, String> {
            if event.contains("refuse") {
                return Err("the device is not answering".into());
            }
            let counter = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Some(Signature {
                device: format!("test-{register}"),
                counter,
                value: format!("{seq}:{}", event.len()),
                at: "2026-12-03T10:00:00Z".into(),
            }))
        }
    }

    #[test]
    fn no_device_adds_nothing() {
        let event = json!({ "kind": "cash.in", "amount": 500 });
        let sealed = seal(&NoDevice, (1, 7), event.clone(), &canonical(&event));
        assert_eq!(sealed, Ok(event));
    }

    #[test]
    fn a_signature_goes_into_the_event_that_is_hashed() {
        let device = Counting(AtomicI64::new(0));
        let event = json!({ "kind": "cash.in", "amount": 500 });
        let text = canonical(&event);
        let sealed = seal(&device, (2, 7), event.clone(), &text).expect("signed");
        assert_eq!(sealed["device"]["device"], "test-2");
        assert_eq!(sealed["device"]["counter"], 1);
        assert_eq!(sealed["device"]["value"], format!("7:{}", text.len()));
        assert_eq!(sealed["amount"], 500);
        let again = seal(&device, (2, 8), event, &text).expect("signed");
        assert_eq!(again["device"]["counter"], 2);
    }

    #[test]
    fn a_device_error_is_passed_on() {
        let device = Counting(AtomicI64::new(0));
        let event = json!({ "kind": "refuse" });
        let text = canonical(&event);
        assert_eq!(
            seal(&device, (1, 1), event, &text),
            Err("the device is not answering".into())
        );
    }
}
