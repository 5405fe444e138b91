//! Beyond the regulation: the customer's satisfaction on a reached follow-up (X6), why a lost
//! customer stopped coming (X7), and the service advisor's name as the DMS types it (X8).
//! Pure values and their validation; each error names its field (`satisfaction`,
//! `aspects.reception`, `win_back_reason`).

use super::error::{FieldError, FieldErrors};
use super::task::text_enum;

/// X6: the aspects a shop may ask besides the overall score (setting `satisfaction.aspects`).
pub const ASPECTS: [&str; 5] = [
    "reception",
    "repair_quality",
    "on_time",
    "price_explained",
    "returned_clean",
];

/// X6: the overall answer: a score 1–5, or the customer declined to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overall {
    Score(u8),
    Declined,
}

/// X6: what a reached follow-up recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Satisfaction {
    pub overall: Overall,
    /// Configured aspects that were answered, in the configured order, each 1–5.
    pub aspects: Vec<(String, u8)>,
}

impl Satisfaction {
    pub fn score(&self) -> Option<u8> {
        match self.overall {
            Overall::Score(s) => Some(s),
            Overall::Declined => None,
        }
    }

    /// X6: an overall 1 or 2 opens a complaint item on the call (R4a).
    pub fn is_low(&self) -> bool {
        self.score().is_some_and(|s| s <= 2)
    }

    /// The aspects as stored: `reception=4,on_time=5`.
    pub fn aspects_text(&self) -> String {
        self.aspects
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// X6: the satisfaction as typed: the overall answer and the aspects (key, value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SatisfactionInput {
    pub overall: Option<String>,
    pub aspects: Vec<(String, String)>,
}

impl SatisfactionInput {
    pub fn is_empty(&self) -> bool {
        self.overall.as_deref().is_none_or(|s| s.trim().is_empty())
            && self.aspects.iter().all(|(_, v)| v.trim().is_empty())
    }
}

fn score_1_to_5(s: &str) -> Option<u8> {
    s.trim().parse::<u8>().ok().filter(|n| (1..=5).contains(n))
}

/// X6: validates the satisfaction of a call. `asks` says whether this call may carry one (a
/// reached first or second follow-up, with the rule switched on); `configured` are the shop's
/// aspects. Nothing typed is "not asked" (`None`), which counts nowhere.
pub fn validate(
    input: &SatisfactionInput,
    asks: bool,
    configured: &[String],
    errs: &mut FieldErrors,
) -> Option<Satisfaction> {
    if input.is_empty() {
        return None;
    }
    if !asks {
        errs.push(FieldError::new("satisfaction", "satisfaction-not-here"));
        return None;
    }
    let overall = match input.overall.as_deref().map(str::trim) {
        None | Some("") => {
            errs.push(FieldError::new("satisfaction", "required"));
            None
        }
        Some("declined") => Some(Overall::Declined),
        Some(s) => match score_1_to_5(s) {
            Some(n) => Some(Overall::Score(n)),
            None => {
                errs.push(FieldError::new("satisfaction", "satisfaction-invalid").arg("value", s));
                None
            }
        },
    };
    let mut aspects = Vec::new();
    for (k, v) in &input.aspects {
        let field = format!("aspects.{k}");
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        if !configured.iter().any(|c| c == k) {
            errs.push(FieldError::new(field, "aspect-unknown"));
        } else if overall == Some(Overall::Declined) {
            errs.push(FieldError::new(field, "aspect-when-declined"));
        } else {
            match score_1_to_5(v) {
                Some(n) => aspects.push((k.clone(), n)),
                None => errs.push(FieldError::new(field, "aspect-invalid").arg("value", v)),
            }
        }
    }
    // In the configured order, whatever order they were typed in.
    aspects.sort_by_key(|(k, _)| configured.iter().position(|c| c == k));
    aspects.dedup_by(|a, b| a.0 == b.0);
    Some(Satisfaction {
        overall: overall?,
        aspects,
    })
}

text_enum!(
    /// X7: why a lost customer stopped coming, recorded on the reached win-back call.
    WinBackReason {
        Moved = "moved",
        SoldCar = "sold_car",
        OtherShop = "other_shop",
        Price = "price",
        Dissatisfied = "dissatisfied",
        Other = "other",
    }
);

/// X7: the reason of a win-back call. A reached win-back call needs one (`other` with a text);
/// any other call may not carry one.
pub fn validate_win_back(
    reason: Option<&str>,
    text: Option<&str>,
    is_reached_win_back: bool,
    errs: &mut FieldErrors,
) -> Option<(WinBackReason, String)> {
    let reason = reason.map(str::trim).filter(|s| !s.is_empty());
    let text = text.map(str::trim).unwrap_or("").to_string();
    match (reason, is_reached_win_back) {
        (None, false) => None,
        (Some(_), false) => {
            errs.push(FieldError::new("win_back_reason", "win-back-not-here"));
            None
        }
        (None, true) => {
            errs.push(FieldError::new("win_back_reason", "required"));
            None
        }
        (Some(r), true) => match WinBackReason::parse(r) {
            None => {
                errs.push(
                    FieldError::new("win_back_reason", "win-back-reason-unknown").arg("value", r),
                );
                None
            }
            Some(WinBackReason::Other) if text.is_empty() => {
                errs.push(FieldError::new("win_back_text", "required"));
                None
            }
            Some(_) if text.chars().count() > 1000 => {
                errs.push(FieldError::new("win_back_text", "too-long").arg("max", 1000));
                None
            }
            Some(r) => Some((r, text)),
        },
    }
}

/// X8: a service advisor's name as the DMS or a clerk typed it, normalised for matching the
/// admin's list: no spaces (ASCII or full-width), full-width letters and digits as ASCII, lower
/// case. "王 芳", "王芳 " and "王芳" are one advisor; so are "Li Na" and "ｌｉｎａ".
pub fn normalise_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured() -> Vec<String> {
        ASPECTS.iter().map(|a| a.to_string()).collect()
    }

    fn input(overall: &str, aspects: &[(&str, &str)]) -> SatisfactionInput {
        SatisfactionInput {
            overall: Some(overall.into()),
            aspects: aspects
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn x6_scores_one_to_five_or_declined() {
        let mut errs = FieldErrors::default();
        let s = validate(
            &input("2", &[("on_time", "5"), ("reception", "3")]),
            true,
            &configured(),
            &mut errs,
        )
        .unwrap();
        assert!(errs.is_empty());
        assert!(s.is_low());
        assert_eq!(s.aspects_text(), "reception=3,on_time=5");
        let d = validate(&input("declined", &[]), true, &configured(), &mut errs).unwrap();
        assert_eq!(d.overall, Overall::Declined);
        assert!(!d.is_low());
        assert_eq!(
            validate(
                &SatisfactionInput::default(),
                true,
                &configured(),
                &mut errs
            ),
            None
        );
        assert!(errs.is_empty());
    }

    #[test]
    fn x6_errors_name_the_field() {
        let mut errs = FieldErrors::default();
        validate(
            &input("6", &[("reception", "0"), ("smell", "4")]),
            true,
            &configured(),
            &mut errs,
        );
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("satisfaction", "satisfaction-invalid"),
                ("aspects.reception", "aspect-invalid"),
                ("aspects.smell", "aspect-unknown"),
            ]
        );
        let mut errs = FieldErrors::default();
        validate(&input("4", &[]), false, &configured(), &mut errs);
        assert_eq!(errs.0[0].code, "satisfaction-not-here");
        // Only the configured aspects.
        let mut errs = FieldErrors::default();
        validate(
            &input("4", &[("on_time", "4")]),
            true,
            &["reception".to_string()],
            &mut errs,
        );
        assert_eq!(errs.0[0].field, "aspects.on_time");
    }

    #[test]
    fn x7_a_reached_win_back_call_needs_its_reason() {
        let mut errs = FieldErrors::default();
        assert_eq!(
            validate_win_back(Some("price"), None, true, &mut errs),
            Some((WinBackReason::Price, String::new()))
        );
        validate_win_back(None, None, true, &mut errs);
        validate_win_back(Some("other"), Some(" "), true, &mut errs);
        validate_win_back(Some("bored"), None, true, &mut errs);
        validate_win_back(Some("price"), None, false, &mut errs);
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("win_back_reason", "required"),
                ("win_back_text", "required"),
                ("win_back_reason", "win-back-reason-unknown"),
                ("win_back_reason", "win-back-not-here"),
            ]
        );
    }

    #[test]
    fn x8_advisor_names_match_without_spaces_width_or_case() {
        assert_eq!(normalise_name(" 王 芳 "), normalise_name("王芳"));
        assert_eq!(normalise_name("Li Na"), normalise_name("ｌｉ　ｎａ"));
        assert_ne!(normalise_name("王芳"), normalise_name("王方"));
    }
}
