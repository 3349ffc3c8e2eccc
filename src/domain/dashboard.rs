//! The dashboard's figures for a period.

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Figures {
    pub won: i64,
    pub lost: i64,
    pub won_value: i64,
    pub open_value: i64,
    /// Open value times each stage's probability.
    pub weighted_value: i64,
    pub new_contacts: i64,
    pub new_leads: i64,
    pub customers: i64,
    /// Open tasks due from now to a week ahead, and open tasks due before now.
    pub tasks_due: i64,
    pub tasks_overdue: i64,
}

/// Won / (won + lost), in percent; `None` when nothing closed.
fn win_rate(won: i64, lost: i64) -> Option<f64> {
    let closed = won + lost;
    (closed > 0).then(|| won as f64 * 100.0 / closed as f64)
}

impl Figures {
    pub fn win_rate(&self) -> Option<f64> {
        win_rate(self.won, self.lost)
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct OwnerFigures {
    pub owner_id: Option<i64>,
    pub won: i64,
    pub lost: i64,
    pub won_value: i64,
    pub open_value: i64,
}

impl OwnerFigures {
    pub fn win_rate(&self) -> Option<f64> {
        win_rate(self.won, self.lost)
    }
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub figures: Figures,
    /// Open deals per open stage of the pipeline: (stage, count, value).
    pub by_stage: Vec<(String, i64, i64)>,
    /// Won value per month, `YYYY-MM`.
    pub by_month: Vec<(String, i64)>,
    /// Most won value first.
    pub by_owner: Vec<OwnerFigures>,
}

/// The period `[from, to)`; `now` and `week_ahead` for tasks; `months` for the monthly chart.
pub struct Window<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub now: &'a str,
    pub week_ahead: &'a str,
    /// The months of the monthly chart: `YYYY-MM` and its `[from, to)` stamps.
    pub months: &'a [(String, String, String)],
}
