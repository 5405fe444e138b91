//! What a scheduled job did, as translation keys and their figures rather than a sentence:
//! `aftercare jobs run` says it in the configured language, the administrator's start page in
//! the reader's, and `job_runs.last_result` keeps it as JSON (issue 12).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One clause of a job's result: a key of the translation files and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub key: String,
    pub args: BTreeMap<String, String>,
}

/// A job's result, one clause or several (the summary drafts name each period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done(pub Vec<Part>);

impl Done {
    pub fn one(key: &str, args: &[(&str, String)]) -> Done {
        Done(vec![Part::new(key, args)])
    }

    /// How `job_runs` stores it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a job result is plain JSON")
    }

    /// A stored result; a line written before results were stored as keys (plain English)
    /// comes back as itself.
    pub fn from_stored(text: &str) -> Done {
        serde_json::from_str(text)
            .unwrap_or_else(|_| Done::one("job-result-as-stored", &[("text", text.to_string())]))
    }
}

impl Part {
    pub fn new(key: &str, args: &[(&str, String)]) -> Part {
        Part {
            key: key.to_string(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_survives_storage_and_an_old_line_reads_as_itself() {
        let d = Done(vec![
            Part::new(
                "job-drafts",
                &[("period", "2026-11".into()), ("n", "2".into())],
            ),
            Part::new(
                "job-drafts",
                &[("period", "2026".into()), ("n", "1".into())],
            ),
        ]);
        assert_eq!(Done::from_stored(&d.to_json()), d);
        let old = Done::from_stored("3 win-back tasks opened");
        assert_eq!(old.0[0].key, "job-result-as-stored");
        assert_eq!(old.0[0].args["text"], "3 win-back tasks opened");
    }
}
