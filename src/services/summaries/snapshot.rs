//! Everything a summary shows (`Snapshot`, frozen as it is when filed) and CONTRACT.md's JSON
//! of it (`Contract`).

use crate::domain::summary::{Figures, Kind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A clerk's figures, this period and the one before, and the tasks still overdue at its end.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClerkRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub figures: Figures,
    pub previous: Figures,
    pub overdue_at_end: i64,
}

/// X8: a service advisor's figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdvisorRow {
    pub id: i32,
    pub name: String,
    pub figures: Figures,
}

/// A month of a yearly summary (its trend charts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MonthRow {
    pub period: String,
    pub figures: Figures,
}

/// Everything a summary shows; frozen as it is when the summary is filed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub kind: Kind,
    pub period: String,
    pub store: Option<String>,
    pub store_name: Option<String>,
    /// The date the figures were counted up to (the period's end, or the day it was drafted).
    pub as_of: NaiveDate,
    pub totals: Figures,
    pub previous: Figures,
    pub clerks: Vec<ClerkRow>,
    /// A yearly summary's months.
    #[serde(default)]
    pub months: Vec<MonthRow>,
    /// X8: per service advisor of the list.
    #[serde(default)]
    pub advisors: Vec<AdvisorRow>,
}

/// CONTRACT.md's JSON of the monthly figures.
#[derive(Debug, Clone, Serialize)]
pub struct ContractClerk {
    pub clerk: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// X8: CONTRACT.md's `advisors` list beside `clerks`.
#[derive(Debug, Clone, Serialize)]
pub struct ContractAdvisor {
    pub advisor: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub period: String,
    pub store: Option<String>,
    pub filed: bool,
    pub totals: Figures,
    pub clerks: Vec<ContractClerk>,
    /// X8: present once the shop keeps a list of advisors (admin, "Service advisors").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advisors: Vec<ContractAdvisor>,
    pub previous: Figures,
    /// A yearly summary's months (beyond the contract's monthly keys).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<MonthRow>,
}

impl Snapshot {
    pub fn contract(&self, filed: bool) -> Contract {
        Contract {
            period: self.period.clone(),
            store: self.store.clone(),
            filed,
            totals: self.totals.clone(),
            clerks: self
                .clerks
                .iter()
                .map(|c| ContractClerk {
                    clerk: c.username.clone(),
                    figures: c.figures.clone(),
                })
                .collect(),
            advisors: self
                .advisors
                .iter()
                .map(|a| ContractAdvisor {
                    advisor: a.name.clone(),
                    figures: a.figures.clone(),
                })
                .collect(),
            previous: self.previous.clone(),
            months: self.months.clone(),
        }
    }
}
