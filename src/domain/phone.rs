//! Mainland China phone numbers: parse, don't validate. A `Phone` holds digits only (without
//! `+86`/`0086`), so matching a returning customer by phone is a plain equality.

use super::error::FieldError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Accepts a mobile number (11 digits, 1[3-9]…) or a landline with its area code
    /// (0 + 2–3 more digits, then 7–8 digits), with any spaces, dashes, dots or parentheses,
    /// and an optional `+86` / `0086` / `86` country prefix.
    pub fn parse(field: &str, input: &str) -> Result<Phone, FieldError> {
        let folded: String = input.chars().map(super::text::fold_width).collect();
        let raw = folded.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        let mut digits = String::with_capacity(raw.len());
        for (i, c) in raw.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' | '（' | '）' | '\u{3000}' => {}
                '+' if i == 0 => {}
                _ => return Err(FieldError::new(field, "phone-invalid").arg("value", raw)),
            }
        }
        let national = if let Some(rest) = digits.strip_prefix("0086") {
            rest.to_string()
        } else if raw.starts_with('+') {
            match digits.strip_prefix("86") {
                Some(rest) => rest.to_string(),
                None => return Err(FieldError::new(field, "phone-invalid").arg("value", raw)),
            }
        } else if digits.len() == 13 && digits.starts_with("861") {
            digits[2..].to_string()
        } else {
            digits
        };
        if is_mobile(&national) || is_landline(&national) {
            Ok(Phone(national))
        } else {
            Err(FieldError::new(field, "phone-invalid").arg("value", raw))
        }
    }

    /// What a search for `q` looks for among stored numbers: a whole number normalised as
    /// `parse` does (`+86 185 7146 4047`, `+8618571464047`, full-width digits → `18571464047`),
    /// else the digits typed (a part of a number), None when fewer than three.
    pub fn search_digits(q: &str) -> Option<String> {
        if let Ok(p) = Phone::parse("q", q) {
            return Some(p.0);
        }
        let digits: String = q
            .chars()
            .map(super::text::fold_width)
            .filter(char::is_ascii_digit)
            .collect();
        let digits = match digits.strip_prefix("0086") {
            Some(rest) => rest.to_string(),
            None if q.trim_start().starts_with(['+', '＋']) => {
                digits.strip_prefix("86").unwrap_or(&digits).to_string()
            }
            None => digits,
        };
        (digits.len() >= 3).then_some(digits)
    }

    /// The stored form: digits only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a phone from its stored form (already normalised).
    pub fn from_stored(s: &str) -> Phone {
        Phone(s.to_string())
    }

    /// `138****5678`: for people who may not see the whole number.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        if n < 8 {
            return "*".repeat(n);
        }
        format!("{}****{}", &self.0[..3], &self.0[n - 4..])
    }
}

fn is_mobile(d: &str) -> bool {
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

fn is_landline(d: &str) -> bool {
    if !d.starts_with('0') || d.starts_with("00") {
        return false;
    }
    let area = area_code_len(d);
    let subscriber = d.len() - area;
    (7..=8).contains(&subscriber) && !d[area..].starts_with('0')
}

/// 010 and 02x are three-digit area codes; every other one has four digits.
fn area_code_len(d: &str) -> usize {
    if d.starts_with("010") || d.starts_with("02") {
        3
    } else {
        4
    }
}

impl fmt::Display for Phone {
    /// Mobiles as digits, landlines as `021-62345678`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.starts_with('0') {
            let a = area_code_len(&self.0);
            write!(f, "{}-{}", &self.0[..a], &self.0[a..])
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_by_phone_normalises_like_the_visit_matching() {
        for q in [
            "+86 185 7146 4047",
            "+8618571464047",
            "0086-185-7146-4047",
            "１８５７１４６４０４７",
            "185 7146 4047",
        ] {
            assert_eq!(
                Phone::search_digits(q).as_deref(),
                Some("18571464047"),
                "{q}"
            );
        }
        assert_eq!(Phone::search_digits("+86 185").as_deref(), Some("185"));
        assert_eq!(Phone::search_digits("4047").as_deref(), Some("4047"));
        assert_eq!(Phone::search_digits("李超"), None);
        assert_eq!(
            Phone::parse("phone", "１３８１２３４５６７８")
                .unwrap()
                .as_str(),
            "13812345678"
        );
    }

    #[test]
    fn mobiles_and_landlines_are_normalised() {
        for (input, stored) in [
            ("13812345678", "13812345678"),
            ("+86 138 1234 5678", "13812345678"),
            ("0086-138-1234-5678", "13812345678"),
            ("8613812345678", "13812345678"),
            ("021-62345678", "02162345678"),
            ("(0512) 6789012", "05126789012"),
            ("010 87654321", "01087654321"),
        ] {
            assert_eq!(
                Phone::parse("phone", input).unwrap().as_str(),
                stored,
                "{input}"
            );
        }
    }

    #[test]
    fn non_numbers_are_refused() {
        for input in [
            "",
            "12345",
            "12812345678",
            "1381234567",
            "abc13812345678",
            "+1 555 1234567",
            "021-0123456",
        ] {
            assert!(Phone::parse("phone", input).is_err(), "{input}");
        }
    }

    #[test]
    fn display_and_mask() {
        assert_eq!(
            Phone::parse("p", "021 6234 5678").unwrap().to_string(),
            "021-62345678"
        );
        assert_eq!(
            Phone::parse("p", "13812345678").unwrap().masked(),
            "138****5678"
        );
    }
}
