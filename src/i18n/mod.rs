//! Translations: Simplified Chinese (the default) and English, from Fluent files beside this
//! module (`zh-CN.ftl`, `en.ftl`). No user-facing string lives anywhere else; a test checks
//! that both files hold the same keys and that templates only speak through `t()`.

use crate::domain::error::FieldError;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

pub const LANGS: [&str; 2] = ["zh-CN", "en"];
pub const DEFAULT_LANG: &str = "zh-CN";

const SOURCES: [(&str, &str); 2] = [
    ("zh-CN", include_str!("zh-CN.ftl")),
    ("en", include_str!("en.ftl")),
];

pub struct I18n {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
}

pub static I18N: LazyLock<I18n> = LazyLock::new(I18n::load);

impl I18n {
    fn load() -> I18n {
        let bundles = SOURCES
            .iter()
            .map(|(lang, src)| {
                let res = FluentResource::try_new(src.to_string())
                    .unwrap_or_else(|(_, errs)| panic!("{lang}.ftl does not parse: {errs:?}"));
                let id: LanguageIdentifier = lang.parse().expect("valid language id");
                let mut b = FluentBundle::new_concurrent(vec![id]);
                // Without this, Fluent wraps arguments in invisible isolation marks that leak
                // into HTML attributes and CSV cells.
                b.set_use_isolating(false);
                b.add_resource(res)
                    .unwrap_or_else(|errs| panic!("{lang}.ftl: {errs:?}"));
                (*lang, b)
            })
            .collect();
        I18n { bundles }
    }

    fn bundle(&self, lang: &str) -> &FluentBundle<FluentResource> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, b)| b)
            .unwrap_or(&self.bundles[0].1)
    }

    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// A stored code (`outcome` `reached`, `audit-action` `absence.create`) as the message
    /// `family-value` in `lang` (a dot becomes a dash: Fluent ids have none); a code with no
    /// message is shown as stored, so a value written before its word existed still reads.
    pub fn coded(&self, lang: &str, family: &str, value: &str) -> String {
        let key = format!("{family}-{}", value.replace('.', "-"));
        if self.has(lang, &key) {
            self.t(lang, &key)
        } else {
            value.to_string()
        }
    }

    /// The message `key` in `lang`; a missing key shows itself (and fails the tests).
    pub fn t(&self, lang: &str, key: &str) -> String {
        self.t_args(lang, key, &[])
    }

    /// What a scheduled job did, in `lang`: its clauses joined.
    pub fn done(&self, lang: &str, done: &crate::domain::job::Done) -> String {
        let parts: Vec<String> = done
            .0
            .iter()
            .map(|p| {
                let args: Vec<(&str, String)> = p
                    .args
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                self.t_args(lang, &p.key, &args)
            })
            .collect();
        parts.join(&self.t(lang, "job-part-separator"))
    }

    pub fn t_args(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!("missing translation {key} ({lang})");
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            // Numbers stay numbers so that plural rules work.
            match v.parse::<f64>() {
                Ok(n) if !v.starts_with('0') || v == "0" => fargs.set(*k, FluentValue::from(n)),
                _ => fargs.set(*k, FluentValue::from(v.as_str())),
            }
        }
        let mut errs = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errs)
            .into_owned()
    }

    /// The label of a field, e.g. `phone` → 电话; `plan[1].date` → 计划第 2 项 · 日期.
    pub fn field_label(&self, lang: &str, field: &str) -> String {
        if let Some((list, n, sub)) = nested(field) {
            let entry = format!("field-entry-{list}");
            if self.has(lang, &entry) {
                return format!(
                    "{} · {}",
                    self.t_args(lang, &entry, &[("n", (n + 1).to_string())]),
                    self.nested_part(lang, list, sub)
                );
            }
        }
        // A whole element of a list, `items[2]` → 维修养护项目第 3 项.
        if let Some((list, n)) = field
            .strip_suffix(']')
            .and_then(|f| f.split_once('['))
            .and_then(|(l, n)| n.parse::<usize>().ok().map(|n| (l, n)))
        {
            return self.t_args(
                lang,
                "field-element",
                &[
                    ("label", self.field_label(lang, list)),
                    ("n", (n + 1).to_string()),
                ],
            );
        }
        if let Some(rest) = field.strip_prefix("plan[") {
            if let Some((n, sub)) = rest.split_once("].") {
                let n = n.parse::<usize>().map(|n| n + 1).unwrap_or(0);
                return format!(
                    "{} · {}",
                    self.t_args(lang, "field-plan-entry", &[("n", n.to_string())]),
                    self.field_label(lang, sub)
                );
            }
        }
        // X6: `aspects.reception` → 分项满意度 · 接待服务.
        if let Some(aspect) = field.strip_prefix("aspects.") {
            let key = format!("aspect-{aspect}");
            let name = if self.has(lang, &key) {
                self.t(lang, &key)
            } else {
                aspect.to_string()
            };
            return format!("{} · {name}", self.t(lang, "field-aspects"));
        }
        let key = format!("field-{field}");
        // An unknown field (say, a misspelt JSON key) is named as it was sent.
        if self.has(lang, &key) {
            self.t(lang, &key)
        } else {
            field.to_string()
        }
    }

    /// A nested field's own name (`items[0].text` → 内容); one we do not know (a misspelt JSON
    /// key) quoted as it was sent.
    fn nested_part(&self, lang: &str, list: &str, sub: &str) -> String {
        let key = format!("nested-{list}-{sub}");
        if self.has(lang, &key) {
            self.t(lang, &key)
        } else {
            self.t_args(lang, "field-as-sent", &[("name", sub.to_string())])
        }
    }

    /// The reason alone, e.g. "不是有效的手机或固定电话号码".
    pub fn reason(&self, lang: &str, e: &FieldError) -> String {
        let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        self.t_args(lang, &format!("err-{}", e.code), &args)
    }

    /// "电话：不是有效的手机或固定电话号码" — the field and the reason.
    pub fn field_error(&self, lang: &str, e: &FieldError) -> String {
        // Issue 12: a nested field reads as a sentence, "第 1 条客户要求/希望/投诉：内容必须填写"
        // / "Item 1 (request, wish or complaint): the text is required".
        if let Some((list, n, sub)) = nested(&e.field) {
            let entry = format!("field-entry-{list}");
            if self.has(lang, &entry) {
                return self.t_args(
                    lang,
                    "err-nested",
                    &[
                        (
                            "entry",
                            self.t_args(lang, &entry, &[("n", (n + 1).to_string())]),
                        ),
                        ("field", self.nested_part(lang, list, sub)),
                        ("reason", self.reason(lang, e)),
                    ],
                );
            }
        }
        let sep = if lang == "en" { ": " } else { "：" };
        format!(
            "{}{sep}{}",
            self.field_label(lang, &e.field),
            self.reason(lang, e)
        )
    }

    /// Every message id of a language (for the completeness test).
    pub fn keys(&self, lang: &str) -> Vec<String> {
        let src = SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, s)| *s)
            .unwrap_or("");
        src.lines()
            .filter(|l| !l.starts_with(['#', ' ', '\t', '.', '*', '[', '}']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap_or("").trim().to_string())
            .collect()
    }
}

/// A nested field's path, `items[0].text` → ("items", 0, "text").
fn nested(field: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = field.split_once('[')?;
    let (n, sub) = rest.split_once("].")?;
    Some((list, n.parse().ok()?, sub))
}

/// The best of our languages for an `Accept-Language` header.
pub fn negotiate(accept: &str) -> Option<&'static str> {
    let mut best: Option<(&'static str, f32)> = None;
    for part in accept.split(',') {
        let mut it = part.trim().split(';');
        let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let lang = if tag.starts_with("zh") {
            Some("zh-CN")
        } else if tag.starts_with("en") {
            Some("en")
        } else {
            None
        };
        if let Some(l) = lang {
            if best.is_none_or(|(_, bq)| q > bq) {
                best = Some((l, q));
            }
        }
    }
    best.map(|(l, _)| l)
}

/// A language we speak, or the default.
pub fn supported(lang: Option<&str>) -> Option<&'static str> {
    lang.and_then(|l| LANGS.iter().copied().find(|x| x.eq_ignore_ascii_case(l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh: std::collections::BTreeSet<_> = I18N.keys("zh-CN").into_iter().collect();
        let en: std::collections::BTreeSet<_> = I18N.keys("en").into_iter().collect();
        assert!(!zh.is_empty());
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "only in zh-CN: {only_zh:?}; only in en: {only_en:?}"
        );
    }

    #[test]
    fn accept_language_is_negotiated() {
        assert_eq!(negotiate("en-US,en;q=0.9"), Some("en"));
        assert_eq!(negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Some("zh-CN"));
        assert_eq!(negotiate("fr"), None);
        assert_eq!(negotiate("fr;q=0.9, en;q=0.5, zh;q=0.7"), Some("zh-CN"));
    }

    #[test]
    fn field_errors_name_the_field_in_each_language() {
        let e = FieldError::new("phone", "phone-invalid").arg("value", "123");
        assert!(I18N.field_error("zh-CN", &e).starts_with("电话"));
        assert!(I18N.field_error("en", &e).starts_with("Phone"));
        let p = FieldError::new("plan[1].date", "required");
        assert!(I18N.field_error("en", &p).contains('2'));
    }
}
