//! Both languages everywhere: every template is compiled in, every key a template uses exists
//! in both translation files, and no template holds user-facing text outside `t()`.

use std::collections::BTreeSet;
use std::path::Path;

fn template_files(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if e.path().is_dir() {
            if name != "static" {
                template_files(&e.path(), &format!("{prefix}{name}/"), out);
            }
        } else if name.ends_with(".html") {
            out.insert(format!("{prefix}{name}"));
        }
    }
}

#[test]
fn every_template_file_is_compiled_into_the_binary() {
    let mut files = BTreeSet::new();
    template_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")),
        "",
        &mut files,
    );
    let listed: BTreeSet<String> = aftercare::web::render::TEMPLATES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(files, listed);
}

/// Removes Tera blocks, comments and tags; what is left is text a person reads.
fn visible_text(src: &str) -> String {
    let mut s = src.to_string();
    for (open, close) in [
        ("{#", "#}"),
        ("{%", "%}"),
        ("{{", "}}"),
        ("<!--", "-->"),
        ("<", ">"),
    ] {
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find(open) {
            out.push_str(&rest[..i]);
            out.push(' ');
            match rest[i..].find(close) {
                Some(j) => rest = &rest[i + j + close.len()..],
                None => {
                    rest = "";
                    break;
                }
            }
        }
        out.push_str(rest);
        s = out;
    }
    s
}

#[test]
fn templates_hold_no_user_facing_text_outside_t() {
    for (name, src) in aftercare::web::render::TEMPLATES {
        for word in visible_text(src).split_whitespace() {
            let w = word.trim_matches(|c: char| "·—–*()（）:：,.;/&amp".contains(c));
            // Regulation ids (A1–A12, N1–N5) are names, not words.
            let is_id = w.len() <= 3
                && w.chars().next().is_some_and(|c| c == 'A' || c == 'N')
                && w[1..].chars().all(|c| c.is_ascii_digit());
            let has_letters = w.chars().any(|c| c.is_alphabetic());
            assert!(
                !has_letters || is_id || w.starts_with("&"),
                "{name}: text outside t(): {word:?}"
            );
        }
    }
}

#[test]
fn every_key_used_in_templates_exists_in_both_languages() {
    use aftercare::i18n::I18N;
    for (name, src) in aftercare::web::render::TEMPLATES {
        let mut rest = *src;
        while let Some(i) = rest.find("t(k=") {
            rest = &rest[i + 4..];
            let quote = rest.chars().next().unwrap();
            if quote != '"' && quote != '\'' {
                continue; // a key held in a variable (settings rows); checked below by family
            }
            let end = rest[1..].find(quote).unwrap();
            let key = &rest[1..1 + end];
            rest = &rest[2 + end..];
            if rest.trim_start().starts_with('~') {
                continue; // a dynamic key such as "kind-" ~ r.kind; checked below by family
            }
            for lang in aftercare::i18n::LANGS {
                assert!(I18N.has(lang, key), "{name}: key {key} missing in {lang}");
            }
        }
    }
    // The dynamic families: every value they can take.
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        aftercare::domain::task::TaskKind::ALL
            .iter()
            .map(|k| format!("kind-{k}")),
    );
    keys.extend(
        aftercare::domain::task::TaskState::ALL
            .iter()
            .map(|k| format!("state-{k}")),
    );
    keys.extend(
        aftercare::domain::task::TaskStatus::ALL
            .iter()
            .map(|k| format!("status-{k}")),
    );
    keys.extend(
        aftercare::domain::task::Timeliness::ALL
            .iter()
            .map(|k| format!("timeliness-{k}")),
    );
    keys.extend(
        aftercare::domain::visit::VisitKind::ALL
            .iter()
            .map(|k| format!("visit-kind-{k}")),
    );
    keys.extend(
        aftercare::domain::archive::Purpose::ALL
            .iter()
            .map(|k| format!("purpose-{k}")),
    );
    keys.extend(
        aftercare::domain::role::Role::ALL
            .iter()
            .map(|k| format!("role-{}", k.as_str())),
    );
    keys.extend(
        ["default", "file", "env", "database"]
            .iter()
            .map(|k| format!("source-{k}")),
    );
    keys.extend(
        aftercare::domain::visit::FIELDS
            .iter()
            .map(|f| format!("field-{f}")),
    );
    use aftercare::domain::call::{Category, Direction, EventAnswer, ItemKind, Outcome, Topic};
    keys.extend(Outcome::ALL.iter().map(|k| format!("outcome-{k}")));
    keys.extend(Direction::ALL.iter().map(|k| format!("direction-{k}")));
    keys.extend(Category::ALL.iter().map(|k| format!("category-{k}")));
    keys.extend(Topic::ALL.iter().map(|k| format!("topic-{k}")));
    keys.extend(ItemKind::ALL.iter().map(|k| format!("item-kind-{k}")));
    keys.extend(EventAnswer::ALL.iter().map(|k| format!("event-answer-{k}")));
    keys.extend(
        ["backup", "purge_sessions", "overdue_digest"]
            .iter()
            .map(|k| format!("job-{k}")),
    );
    keys.extend(
        aftercare::domain::item::ItemStatus::ALL
            .iter()
            .map(|k| format!("item-status-{k}")),
    );
    keys.extend(
        aftercare::domain::item::ItemStep::ALL
            .iter()
            .map(|k| format!("item-step-{k}")),
    );
    keys.extend(
        aftercare::domain::event::EventKind::ALL
            .iter()
            .map(|k| format!("event-kind-{k}")),
    );
    keys.extend(
        aftercare::domain::letter::LetterKind::ALL
            .iter()
            .map(|k| format!("letter-kind-{k}")),
    );
    keys.extend(
        aftercare::domain::task::CloseReason::ALL
            .iter()
            .map(|k| format!("close-reason-{k}")),
    );
    keys.extend(
        aftercare::domain::letter::MERGE_FIELDS
            .iter()
            .map(|k| format!("merge-sample-{}", k.replace('_', "-"))),
    );
    keys.extend(
        aftercare::domain::letter::LetterKind::ALL
            .iter()
            .flat_map(|k| [format!("letter-{k}-subject"), format!("letter-{k}-body")]),
    );
    let config = aftercare::config::Config::load_from(None, &Default::default()).unwrap();
    keys.extend(
        config
            .sources
            .iter()
            .map(|s| aftercare::web::admin::setting_label(&s.key)),
    );
    for key in keys {
        for lang in aftercare::i18n::LANGS {
            assert!(I18N.has(lang, &key), "key {key} missing in {lang}");
        }
    }
}
