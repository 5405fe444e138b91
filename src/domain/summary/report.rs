//! The written report a supervisor completes before filing, and what filing asks of it.

use crate::domain::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the supervisor writes before filing (书面报告, and the 本部工作会 it was presented at).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub went_well: String,
    pub problems: String,
    pub measures: String,
    pub meeting_on: Option<NaiveDate>,
    pub attendees: String,
}

impl Report {
    /// Filing needs the written assessment (all three parts) and the meeting (date, attendees);
    /// a meeting cannot have been held after `today`.
    pub fn check_for_filing(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errs = Vec::new();
        for (field, v) in [
            ("went_well", &self.went_well),
            ("problems", &self.problems),
            ("measures", &self.measures),
            ("attendees", &self.attendees),
        ] {
            if v.trim().is_empty() {
                errs.push(FieldError::new(field, "summary-report-required"));
            }
        }
        match self.meeting_on {
            None => errs.push(FieldError::new("meeting_on", "summary-report-required")),
            Some(d) if d > today => errs.push(FieldError::new("meeting_on", "datetime-in-future")),
            Some(_) => {}
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn r10_filing_needs_the_written_report_and_the_meeting() {
        let today = d("2026-11-28");
        let empty = Report::default();
        let fields: Vec<String> = empty
            .check_for_filing(today)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "went_well",
                "problems",
                "measures",
                "attendees",
                "meeting_on"
            ]
        );
        let ok = Report {
            went_well: "a".into(),
            problems: "b".into(),
            measures: "c".into(),
            meeting_on: Some(today),
            attendees: "王芳".into(),
        };
        assert!(ok.check_for_filing(today).is_empty());
    }
}
