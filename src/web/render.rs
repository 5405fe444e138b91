//! Templates: loaded once into one Tera instance per language, each with its own `t()`
//! function, so a template says `{{ t(k="nav-customers") }}` and never holds text itself.
//! Templates are compiled into the binary (the list below), so it runs from any folder.

use crate::i18n::{I18N, LANGS};
use actix_web::HttpResponse;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tera::{Context, Tera, Value};

/// Compiles a template into the binary by its path under `templates/`.
macro_rules! tpl {
    ($name:literal) => {
        ($name, include_str!(concat!("../../templates/", $name)))
    };
}

/// Every template, by name. A test checks that this list and `templates/` agree.
pub const TEMPLATES: &[(&str, &str)] = &[
    tpl!("base.html"),
    tpl!("macros.html"),
    tpl!("error.html"),
    tpl!("login.html"),
    tpl!("home.html"),
    tpl!("audit.html"),
    tpl!("absences.html"),
    tpl!("admin/settings.html"),
    tpl!("admin/stores.html"),
    tpl!("admin/advisors.html"),
    tpl!("admin/tokens.html"),
    tpl!("admin/user_edit.html"),
    tpl!("admin/users.html"),
    tpl!("archives/list.html"),
    tpl!("archives/sheet.html"),
    tpl!("calls/_form.html"),
    tpl!("calls/inbound.html"),
    tpl!("calls/task.html"),
    tpl!("customers/list.html"),
    tpl!("customers/merge.html"),
    tpl!("customers/show.html"),
    tpl!("events/list.html"),
    tpl!("events/show.html"),
    tpl!("items/escalations.html"),
    tpl!("items/show.html"),
    tpl!("letters/print.html"),
    tpl!("letters/templates.html"),
    tpl!("print/archives.html"),
    tpl!("print/register.html"),
    tpl!("queue.html"),
    tpl!("registers/detail.html"),
    tpl!("registers/index.html"),
    tpl!("registers/list.html"),
    tpl!("summaries/index.html"),
    tpl!("summaries/lines.html"),
    tpl!("summaries/print.html"),
    tpl!("summaries/scorecard.html"),
    tpl!("summaries/show.html"),
    tpl!("summaries/_charts.html"),
    tpl!("visits/new.html"),
];

pub struct Templates {
    by_lang: Vec<(&'static str, Tera)>,
}

impl Templates {
    /// The templates, parsed once per process: they are compiled into the binary and never
    /// change while it runs, and parsing them is most of what starting the app costs (every
    /// test starts one).
    pub fn load() -> anyhow::Result<Arc<Templates>> {
        static SHARED: OnceLock<Result<Arc<Templates>, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Templates::parse().map(Arc::new).map_err(|e| e.to_string()))
            .clone()
            .map_err(anyhow::Error::msg)
    }

    fn parse() -> anyhow::Result<Templates> {
        let mut parsed = Tera::default();
        parsed
            .add_raw_templates(TEMPLATES.iter().copied())
            .map_err(|e| anyhow::anyhow!("templates: {e:?}"))?;
        parsed.autoescape_on(vec![".html"]);
        let mut by_lang = Vec::new();
        for lang in LANGS {
            // The same templates, with the translation functions of one language.
            let mut tera = parsed.clone();
            tera.register_function("t", move |args: &HashMap<String, Value>| {
                let key = args
                    .get("k")
                    .and_then(Value::as_str)
                    .ok_or_else(|| tera::Error::msg("t() needs k"))?;
                // `args=` spreads a map of arguments (a stored job result's clause).
                let spread = args.get("args").and_then(Value::as_object);
                let fargs: Vec<(&str, String)> = args
                    .iter()
                    .filter(|(k, _)| k.as_str() != "k" && k.as_str() != "args")
                    .chain(spread.into_iter().flatten())
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
    /// Whether the user works in a store: the store's own pages are offered only then.
    pub has_store: bool,
}

pub fn html(body: String) -> HttpResponse {
    html_with(actix_web::http::StatusCode::OK, body)
}

/// `303 See Other` to `to`: where a form that was taken sends the browser.
pub fn see_other(to: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, to.into()))
        .finish()
}

/// A page with its status: 422 when a form is shown again with its errors.
pub fn html_with(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// A form's errors (field → reason) put on its page, and the page's status: 422 when a form is
/// shown again with its errors, else 200.
pub fn errors_on(
    ctx: &mut Context,
    errors: &HashMap<String, String>,
) -> actix_web::http::StatusCode {
    ctx.insert("errors", errors);
    if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A template context holding the fields of a service's view (a struct that serialises to a
/// map), so a handler renders what the service returned without copying it field by field.
pub fn context_of<T: serde::Serialize>(view: &T) -> anyhow::Result<Context> {
    Ok(Context::from_serialize(view)?)
}
