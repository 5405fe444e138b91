//! Text as people, DMS files and API clients send it: the one check every input surface (form,
//! API, import) runs on every text it keeps. A NUL byte, an invisible control character or a
//! bidirectional override (U+202E turns "gpj.exe" into "exe.jpg" on screen) is refused with an
//! error naming the field, never stored: stored, it comes back raw in pages, letters and CSV.

use super::error::FieldError;

/// Fields where a person types several lines (textareas, a DMS's notes): tab and newline are
/// allowed there, and only there. By the last part of the field's name (`items[0].text`).
const MULTILINE: [&str; 17] = [
    "key_points",
    "text",
    "answer",
    "solution",
    "note",
    "reason",
    "amend_reason",
    "content",
    "talking_points",
    "desired_services",
    "service_history",
    "went_well",
    "problems",
    "measures",
    "attendees",
    "body",
    "items",
];

/// Whether `field` takes several lines.
pub fn is_multiline(field: &str) -> bool {
    let last = field.rsplit('.').next().unwrap_or(field);
    let last = last.split('[').next().unwrap_or(last);
    MULTILINE.contains(&last)
}

/// The character `c` is never kept in a text: C0 and C1 controls and DEL (tab, newline and
/// carriage return only in multi-line fields), the bidirectional embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), the direction marks U+200E/U+200F, and U+FEFF
/// (a byte-order mark inside text).
pub fn is_refused(c: char, multiline: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' => !multiline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => true,
        '\u{feff}' => true,
        _ => false,
    }
}

/// R11 and every rule that keeps text: refuses `s` for `field` if it holds a character that
/// `is_refused`, naming the first one (`U+202E`) and where it is (the n-th character).
pub fn check_visible(field: &str, s: &str) -> Result<(), FieldError> {
    let multiline = is_multiline(field);
    match s
        .chars()
        .enumerate()
        .find(|(_, c)| is_refused(*c, multiline))
    {
        None => Ok(()),
        Some((i, c)) => Err(FieldError::new(field, "control-char")
            .arg("char", format!("U+{:04X}", c as u32))
            .arg("position", i + 1)),
    }
}

/// A full-width form (`１３８`, `Ａ`, the ideographic space) as its ASCII character, so that
/// numbers and plates typed with a Chinese input method match those typed without.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_letters_fold_to_ascii() {
        let s: String = "＋８６　１８５－Ａｂ".chars().map(fold_width).collect();
        assert_eq!(s, "+86 185-Ab");
    }

    #[test]
    fn r11_nul_controls_and_bidi_overrides_are_refused_by_name() {
        for bad in [
            "a\u{0}b",
            "a\u{202e}b",
            "\u{2066}x",
            "x\u{200f}",
            "x\u{feff}y",
            "x\u{85}y",
            "x\u{7f}",
            "x\u{1b}[31m",
        ] {
            let e = check_visible("customer_name", bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code),
                ("customer_name", "control-char")
            );
        }
        let e = check_visible("customer_name", "王\u{202e}伟").unwrap_err();
        assert_eq!(e.args[0].1, "U+202E");
        assert_eq!(e.args[1].1, "2");
        // Tab and newline: only where a person types several lines.
        assert!(check_visible("customer_name", "a\nb").is_err());
        assert!(check_visible("customer_name", "a\tb").is_err());
        assert!(check_visible("key_points", "第一行\r\n第二行\t缩进").is_ok());
        assert!(check_visible("items[0].text", "a\nb").is_ok());
        assert!(check_visible("items[0].kind", "a\nb").is_err());
        // Ordinary text of every script passes, emoji and the plate's middle dot too.
        assert!(check_visible("customer_name", "王伟 O'Brien 😀 沪A·12345 ‘引号’").is_ok());
    }
}
