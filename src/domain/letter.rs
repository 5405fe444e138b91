//! Letters (R8): their kinds, and templates with merge fields such as `{{customer_name}}`.
//! A template may only name known fields; an unknown one is refused by name.

use super::error::FieldError;
use super::task::text_enum;
use chrono::NaiveDate;
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

/// Dates as a letter writes them: 2026年11月24日, or 24 November 2026.
pub fn letter_date(lang: &str, d: NaiveDate) -> String {
    if lang == "en" {
        d.format("%-d %B %Y").to_string()
    } else {
        d.format("%Y年%-m月%-d日").to_string()
    }
}

/// A date written by `letter_date` in either language.
pub fn parse_letter_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y年%m月%d日")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d %B %Y"))
        .ok()
}

/// The merge values a text was made from with `template`, if it was: each literal part of the
/// template found in order, each field taking what lies between (the last one the rest). So a
/// stored letter subject can be said again in another language (issue 12); `None` when the
/// text does not follow the template (a shop's own wording stays as it was written).
pub fn unmerge(template: &str, text: &str) -> Option<HashMap<String, String>> {
    let mut parts: Vec<(String, Option<String>)> = Vec::new(); // (literal, field after it)
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        let j = rest[i..].find("}}")? + i;
        parts.push((
            rest[..i].to_string(),
            Some(rest[i + 2..j].trim().to_string()),
        ));
        rest = &rest[j + 2..];
    }
    parts.push((rest.to_string(), None));
    let mut out = HashMap::new();
    let mut at = text;
    let mut pending: Option<String> = None;
    for (lit, field) in parts {
        match pending.take() {
            None => at = at.strip_prefix(lit.as_str())?,
            // Two fields side by side: the first takes nothing. (An empty last literal leaves
            // the rest to the last field, below.)
            Some(name) if lit.is_empty() && field.is_some() => {
                out.insert(name, String::new());
            }
            Some(name) if lit.is_empty() => {
                pending = Some(name);
                continue;
            }
            // The field before this literal ends where the literal is next found.
            Some(name) => {
                let k = at.find(lit.as_str())?;
                out.insert(name, at[..k].to_string());
                at = &at[k + lit.len()..];
            }
        }
        pending = field;
    }
    match pending {
        Some(name) => {
            out.insert(name, at.to_string());
        }
        None if !at.is_empty() => return None,
        None => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmerge_finds_the_values_a_text_was_made_from() {
        let v = unmerge("{{event_title}}通知", "免费检测周通知").unwrap();
        assert_eq!(v["event_title"], "免费检测周");
        assert_eq!(
            unmerge("{{event_title}}通知", "通知").unwrap()["event_title"],
            ""
        );
        let v = unmerge("{{what}} {{id}}：{{text}}", "跟踪任务 #586：第一次跟踪服务").unwrap();
        assert_eq!(
            (v["id"].as_str(), v["text"].as_str()),
            ("#586", "第一次跟踪服务")
        );
        assert!(unmerge("答复函", "我们的答复").is_none());
        assert!(unmerge("Notice: {{event_title}}", "通知").is_none());
    }

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
