//! Chinese licence plates (车号): parse, don't validate. A `Plate` is stored upper case without
//! separators (`沪A12345`) and shown in the usual form `沪A·12345`.

use super::error::FieldError;
use std::fmt;

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// Last characters of special plates: trailer, driving school, police, Hong Kong, Macau.
const SUFFIXES: &str = "挂学警港澳";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plate(String);

impl Plate {
    /// A province abbreviation, a city letter, then five characters (ordinary plates) or six
    /// (new-energy plates); `·`, `-`, `.`, `•` and spaces are dropped, letters upper-cased.
    pub fn parse(field: &str, input: &str) -> Result<Plate, FieldError> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        let cleaned = search_key(raw);
        let chars: Vec<char> = cleaned.chars().collect();
        let invalid = || FieldError::new(field, "plate-invalid").arg("value", raw);
        if chars.len() < 7 || chars.len() > 8 {
            return Err(invalid());
        }
        if !PROVINCES.contains(chars[0]) || !chars[1].is_ascii_uppercase() {
            return Err(invalid());
        }
        let tail = &chars[2..];
        let body_ok = tail.iter().enumerate().all(|(i, c)| {
            c.is_ascii_digit()
                || (c.is_ascii_uppercase() && *c != 'I' && *c != 'O')
                || (i == tail.len() - 1 && SUFFIXES.contains(*c))
        });
        if !body_ok {
            return Err(invalid());
        }
        if tail.len() == 6
            && !SUFFIXES.contains(tail[5])
            && !matches!(tail[0], 'D' | 'F')
            && !matches!(tail[5], 'D' | 'F')
        {
            // Six characters after the city letter only on new-energy plates (D/F).
            return Err(invalid());
        }
        Ok(Plate(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn from_stored(s: &str) -> Plate {
        Plate(s.to_string())
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut it = self.0.chars();
        match (it.next(), it.next()) {
            (Some(p), Some(c)) => write!(f, "{p}{c}·{}", it.as_str()),
            _ => f.write_str(&self.0),
        }
    }
}

/// A plate (or a part of one) as stored: separators (`·`, `•`, `-`, `.`, spaces) dropped,
/// full-width letters and digits folded, letters upper-cased — `沪a-12345` → `沪A12345`. The
/// visit matching and the customer search both go through here.
pub fn search_key(q: &str) -> String {
    q.trim()
        .chars()
        .map(super::text::fold_width)
        .filter(|c| !matches!(c, '·' | '•' | '-' | '.' | ' ' | '・' | '－'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The display form of a stored plate, for templates and exports.
pub fn display(stored: &str) -> String {
    Plate::from_stored(stored).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plate_search_key_matches_the_stored_plate() {
        for q in ["沪a12345", "沪A·12345", "沪Ａ－１２３４５", "沪 a-12345"] {
            assert_eq!(search_key(q), "沪A12345", "{q}");
        }
    }

    #[test]
    fn separators_and_case_are_normalised() {
        for (input, stored, shown) in [
            ("沪A·12345", "沪A12345", "沪A·12345"),
            ("沪a-12345", "沪A12345", "沪A·12345"),
            (" 京B D12345 ", "京BD12345", "京B·D12345"),
            ("粤B·12345挂", "粤B12345挂", "粤B·12345挂"),
        ] {
            let p = Plate::parse("plate", input).unwrap();
            assert_eq!(p.as_str(), stored);
            assert_eq!(p.to_string(), shown);
        }
    }

    #[test]
    fn non_plates_are_refused() {
        for input in [
            "",
            "ABC123",
            "沪12345",
            "沪A1234",
            "沪A·123456",
            "美A12345",
            "沪A·1234O",
        ] {
            assert!(Plate::parse("plate", input).is_err(), "{input}");
        }
    }
}
