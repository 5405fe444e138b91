//! Templates: loaded once into one Tera instance per language, each with its own `t()`
//! function, so a template says `{{ t(k="nav-customers") }}` and never holds text itself.
//! Templates are compiled into the binary (the list below), so it runs from any folder.

use crate::i18n::{I18N, LANGS};
use actix_web::HttpResponse;
use serde::Serialize;
use std::collections::HashMap;
use tera::{Context, Tera, Value};

/// Every template, by name. A test checks that this list and `templates/` agree.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("queue.html", include_str!("../../templates/queue.html")),
    (
        "absences.html",
        include_str!("../../templates/absences.html"),
    ),
    (
        "calls/_form.html",
        include_str!("../../templates/calls/_form.html"),
    ),
    (
        "calls/task.html",
        include_str!("../../templates/calls/task.html"),
    ),
    (
        "calls/inbound.html",
        include_str!("../../templates/calls/inbound.html"),
    ),
    (
        "customers/list.html",
        include_str!("../../templates/customers/list.html"),
    ),
    (
        "customers/show.html",
        include_str!("../../templates/customers/show.html"),
    ),
    (
        "customers/merge.html",
        include_str!("../../templates/customers/merge.html"),
    ),
    (
        "visits/new.html",
        include_str!("../../templates/visits/new.html"),
    ),
    (
        "archives/sheet.html",
        include_str!("../../templates/archives/sheet.html"),
    ),
    (
        "archives/list.html",
        include_str!("../../templates/archives/list.html"),
    ),
    (
        "admin/stores.html",
        include_str!("../../templates/admin/stores.html"),
    ),
    (
        "admin/users.html",
        include_str!("../../templates/admin/users.html"),
    ),
    (
        "admin/user_edit.html",
        include_str!("../../templates/admin/user_edit.html"),
    ),
    (
        "admin/tokens.html",
        include_str!("../../templates/admin/tokens.html"),
    ),
    (
        "admin/settings.html",
        include_str!("../../templates/admin/settings.html"),
    ),
];

pub struct Templates {
    by_lang: Vec<(&'static str, Tera)>,
}

impl Templates {
    pub fn load() -> anyhow::Result<Templates> {
        let mut by_lang = Vec::new();
        for lang in LANGS {
            let mut tera = Tera::default();
            tera.add_raw_templates(TEMPLATES.iter().copied())
                .map_err(|e| anyhow::anyhow!("templates: {e:?}"))?;
            tera.autoescape_on(vec![".html"]);
            tera.register_function("t", move |args: &HashMap<String, Value>| {
                let key = args
                    .get("k")
                    .and_then(Value::as_str)
                    .ok_or_else(|| tera::Error::msg("t() needs k"))?;
                let fargs: Vec<(&str, String)> = args
                    .iter()
                    .filter(|(k, _)| k.as_str() != "k")
                    .map(|(k, v)| {
                        (
                            k.as_str(),
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect();
                Ok(Value::String(I18N.t_args(lang, key, &fargs)))
            });
            tera.register_filter(
                "field_label",
                move |v: &Value, _: &HashMap<String, Value>| {
                    Ok(Value::String(
                        I18N.field_label(lang, v.as_str().unwrap_or("")),
                    ))
                },
            );
            tera.register_filter("urlencode", |v: &Value, _: &HashMap<String, Value>| {
                Ok(Value::String(super::urlencode(v.as_str().unwrap_or(""))))
            });
            by_lang.push((lang, tera));
        }
        Ok(Templates { by_lang })
    }

    pub fn render(&self, lang: &str, name: &str, ctx: &Context) -> anyhow::Result<String> {
        let tera = self
            .by_lang
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, t)| t)
            .unwrap_or(&self.by_lang[0].1);
        tera.render(name, ctx).map_err(|e| {
            let mut msg = format!("{e}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            anyhow::anyhow!("rendering {name}: {msg}")
        })
    }
}

/// What every page shows around its content.
#[derive(Debug, Clone, Serialize)]
pub struct Chrome {
    pub lang: String,
    pub user: Option<ChromeUser>,
    pub csrf: String,
    /// The business date when the clock is fixed (`--today`): a banner on every page.
    pub fixed_date: Option<String>,
    pub today: String,
    pub path: String,
    pub flash: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChromeUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub store: Option<String>,
}

pub fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}
