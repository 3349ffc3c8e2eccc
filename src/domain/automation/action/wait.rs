//! `wait`: the run sleeps, and goes on with the next step when the time has come. The engine
//! carries it out itself, since it changes nothing but the run.

use super::{BuilderInput, Effects, Kind, StepError, input};
use crate::domain::automation::duration::Span;
use crate::domain::automation::reader::{Reader, Subject};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub duration: Span,
}

impl Kind for Wait {
    const KIND: &'static str = "wait";
    const LABEL: &'static str = "Wait";
    const INPUTS: &'static [BuilderInput] =
        &[input("duration", "Wait for", Some("Like 30m, 2h, 3d"))];

    fn read(
        reader: &mut Reader,
        obj: &Map<String, Value>,
        at: &str,
        _subject: Subject,
    ) -> Option<Wait> {
        let text = reader.text(obj, "duration", at)?;
        match Span::parse(&text) {
            Ok(duration) if duration.duration > chrono::Duration::zero() => Some(Wait { duration }),
            Ok(_) => {
                reader.fail(format!("{at}.duration"), "must be longer than nothing");
                None
            }
            Err(e) => {
                reader.fail(format!("{at}.duration"), e);
                None
            }
        }
    }

    fn write(&self, obj: &mut Map<String, Value>) {
        obj.insert("duration".into(), self.duration.text.clone().into());
    }

    fn describe(&self, _context: &Value) -> String {
        format!("Wait {}", self.duration.text)
    }

    fn perform(&self, _effects: &mut dyn Effects) -> Result<String, StepError> {
        Err(StepError::Permanent("not done inside a transaction".into()))
    }
}
