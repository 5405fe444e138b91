//! Letters (R8): their kinds, and templates with merge fields such as `{{customer_name}}`.
//! A template may only name known fields; an unknown one is refused by name.

use super::error::FieldError;
use super::task::text_enum;
use std::collections::HashMap;

text_enum!(
    /// 通知 notice, 邀请函 invitation, 答复函 reply (to an item), and the letter to a customer
    /// the calls did not reach (X1), a notice with a template of its own.
    LetterKind { Notice = "notice", Invitation = "invitation", Reply = "reply", Unreachable = "unreachable" }
);

impl LetterKind {
    /// The kind the letter register records (CONTRACT.md's values): the unreachable letter
    /// is a notice.
    pub fn register_kind(self) -> LetterKind {
        match self {
            LetterKind::Unreachable => LetterKind::Notice,
            k => k,
        }
    }
}

/// The merge fields a template may use.
pub const MERGE_FIELDS: [&str; 16] = [
    "customer_name",
    "address",
    "phone",
    "plate",
    "vehicle_model",
    "store_name",
    "today",
    "event_title",
    "event_dates",
    "event_place",
    "event_content",
    "item_text",
    "solution",
    "clerk_name",
    "visit_date",
    "store_phone",
];

/// The merge fields a text names, in order, each once.
pub fn fields_of(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i + 2..];
        match rest.find("}}") {
            Some(j) => {
                let name = rest[..j].trim().to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
                rest = &rest[j + 2..];
            }
            None => break,
        }
    }
    out
}

/// Refuses a template naming a field that does not exist (the first one is named).
pub fn check_template(field: &str, text: &str) -> Result<(), FieldError> {
    match fields_of(text)
        .into_iter()
        .find(|f| !MERGE_FIELDS.contains(&f.as_str()))
    {
        Some(unknown) => Err(FieldError::new(field, "merge-field-unknown").arg("name", unknown)),
        None => Ok(()),
    }
}

/// Fills the merge fields; a field without a value is left empty.
pub fn merge(text: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                let name = after[..j].trim();
                out.push_str(values.get(name).map(String::as_str).unwrap_or(""));
                rest = &after[j + 2..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r8_templates_name_only_known_merge_fields() {
        assert!(check_template("body", "尊敬的{{customer_name}}：{{ event_title }}").is_ok());
        let e = check_template("body", "您好 {{customer_name}} {{colour}}").unwrap_err();
        assert_eq!(
            (e.code, e.args[0].1.as_str()),
            ("merge-field-unknown", "colour")
        );
    }

    #[test]
    fn r8_merge_fills_the_fields() {
        let v = HashMap::from([("customer_name", "王伟".to_string())]);
        assert_eq!(
            merge("尊敬的{{customer_name}}先生/女士，{{plate}}", &v),
            "尊敬的王伟先生/女士，"
        );
    }
}
