//! Store codes (门店代码): 1–32 of a–z, 0–9, `-`, `_`, since they appear in exports and file names.

use super::error::FieldError;

pub fn parse_code(code: &str) -> Result<String, FieldError> {
    let c = code.trim();
    let ok = !c.is_empty()
        && c.len() <= 32
        && c.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_');
    if ok {
        Ok(c.to_string())
    } else {
        Err(FieldError::new("code", "store-code-invalid"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn store_codes_are_lower_case_words() {
        assert_eq!(super::parse_code(" pudong-1 ").unwrap(), "pudong-1");
        assert!(
            super::parse_code("Pudong").is_err()
                && super::parse_code("").is_err()
                && super::parse_code("浦东").is_err()
        );
    }
}
