//! Account profiles and capability flags, and the one resolver that answers "may this tenant
//! use X". Navigation, handlers and the API all ask `Capabilities::allows`.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Generic,
    Healthcare,
    Construction,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Generic, Profile::Healthcare, Profile::Construction];

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
            Profile::Healthcare => "healthcare",
            Profile::Construction => "construction",
        }
    }

    pub fn label(self, w: &crate::domain::words::Words) -> &'static str {
        match self {
            Profile::Generic => w.profile_generic,
            Profile::Healthcare => w.profile_healthcare,
            Profile::Construction => w.profile_construction,
        }
    }

    /// What a new account of this profile can use before anyone changes a switch.
    pub fn default_on(self, capability: Capability) -> bool {
        use Capability::*;
        match self {
            Profile::Generic => matches!(capability, Deals | Tasks | Inbox | Automations),
            Profile::Healthcare => {
                matches!(capability, Tasks | Scheduling | Kassa | Inbox | Automations)
            }
            Profile::Construction => matches!(capability, Deals | Tasks | Scheduling | Automations),
        }
    }
}

impl FromStr for Profile {
    type Err = Error;
    fn from_str(s: &str) -> Result<Profile> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::field(
                    "profile",
                    format!("{s:?} is not a profile: use generic, healthcare or construction"),
                )
            })
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    Deals,
    Tasks,
    Scheduling,
    Kassa,
    Inbox,
    Automations,
}

impl Capability {
    pub const ALL: [Capability; 6] = [
        Capability::Deals,
        Capability::Tasks,
        Capability::Scheduling,
        Capability::Kassa,
        Capability::Inbox,
        Capability::Automations,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Deals => "deals",
            Capability::Tasks => "tasks",
            Capability::Scheduling => "scheduling",
            Capability::Kassa => "kassa",
            Capability::Inbox => "inbox",
            Capability::Automations => "automations",
        }
    }

    pub fn label(self, w: &crate::domain::words::Words) -> &'static str {
        match self {
            Capability::Deals => w.cap_deals,
            Capability::Tasks => w.cap_tasks,
            Capability::Scheduling => w.cap_scheduling,
            Capability::Kassa => w.cap_kassa,
            Capability::Inbox => w.cap_inbox,
            Capability::Automations => w.cap_automations,
        }
    }

    pub fn parse(s: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The resolved set for one tenant: the profile's defaults with the owner's overrides on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub profile: Profile,
    overrides: BTreeMap<Capability, bool>,
}

impl Capabilities {
    pub fn resolve(
        profile: Profile,
        overrides: impl IntoIterator<Item = (Capability, bool)>,
    ) -> Self {
        Capabilities {
            profile,
            overrides: overrides.into_iter().collect(),
        }
    }

    pub fn allows(&self, capability: Capability) -> bool {
        self.overrides
            .get(&capability)
            .copied()
            .unwrap_or_else(|| self.profile.default_on(capability))
    }

    /// Every capability with its resolved state, in a stable order.
    pub fn all(&self) -> impl Iterator<Item = (Capability, bool)> + '_ {
        Capability::ALL.into_iter().map(|c| (c, self.allows(c)))
    }

    /// Whether the state of `capability` differs from the profile's default.
    pub fn is_overridden(&self, capability: Capability) -> bool {
        self.allows(capability) != self.profile.default_on(capability)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_defaults_apply_until_overridden() {
        let caps = Capabilities::resolve(Profile::Healthcare, []);
        assert!(caps.allows(Capability::Scheduling));
        assert!(!caps.allows(Capability::Deals));
        let caps = Capabilities::resolve(
            Profile::Healthcare,
            [(Capability::Deals, true), (Capability::Kassa, false)],
        );
        assert!(caps.allows(Capability::Deals));
        assert!(!caps.allows(Capability::Kassa));
        assert!(caps.is_overridden(Capability::Deals));
        assert!(!caps.is_overridden(Capability::Tasks));
    }

    #[test]
    fn names_round_trip() {
        for c in Capability::ALL {
            assert_eq!(Capability::parse(c.as_str()), Some(c));
        }
        for p in Profile::ALL {
            assert_eq!(p.as_str().parse::<Profile>().ok(), Some(p));
        }
        assert!(Capability::parse("payroll").is_none());
        assert!("dental".parse::<Profile>().is_err());
    }
}
