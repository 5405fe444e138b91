//! Letters (R8): the print page (A4, one letter a page, the address block placed for a window
//! envelope), marking a letter sent or waiving it, the reply letter to an item, and the
//! supervisor's template editor with a preview.

use super::auth::{chrome, Auth, AuthForm};
use super::posted::{posted, Posted};
use super::{AppError, AppResult, State};
use crate::domain::letter::{merge, LetterKind, MERGE_FIELDS};
use crate::i18n::I18N;
use crate::services::letters::{self, Composed};
use crate::web::render::see_other;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    pub lang: Option<String>,
}

impl LangQuery {
    pub fn letter_lang(&self) -> &'static str {
        letter_lang(self.lang.as_deref())
    }
}

/// Letters go out in Chinese unless English is asked for (by the query or the form).
fn letter_lang(asked: Option<&str>) -> &'static str {
    crate::i18n::supported(asked).unwrap_or(crate::i18n::DEFAULT_LANG)
}

pub async fn render_print(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    letters: Vec<Composed>,
    lang: &str,
) -> AppResult<HttpResponse> {
    print_page(req, state, me, tera::Context::new(), &letters, lang)
}

/// The print page of `letters`, with what `t` already holds (the task or item they answer).
fn print_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    mut t: tera::Context,
    letters: &[Composed],
    lang: &str,
) -> AppResult<HttpResponse> {
    t.insert("letters", letters);
    t.insert("letter_lang", lang);
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(super::render::html(state.templates.render(
        me.lang,
        "letters/print.html",
        &t,
    )?))
}

/// The letter of a letter task, with the forms to mark it sent or waive it.
pub async fn task_letter(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
    q: web::Query<LangQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lang = q.letter_lang();
    let actor = me.actor();
    let (letter, task) = state
        .db(move |conn, ctx| Ok(letters::for_task(conn, ctx, &actor, id, lang)?))
        .await?;
    let mut t = tera::Context::new();
    t.insert("task", &task);
    print_page(&req, &state, &me, t, &[letter], lang)
}

pub async fn task_letter_post(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    let lang = letter_lang(post.form.get("letter_lang"));
    let (action, reason) = (
        post.form.get("action").unwrap_or("").to_string(),
        post.form.get("reason").unwrap_or("").to_string(),
    );
    let ok = match action.as_str() {
        "sent" => {
            state
                .db(move |conn, ctx| Ok(letters::send_task(conn, ctx, &actor, id, lang)?))
                .await?;
            "letter-sent"
        }
        "waive" => {
            state
                .db(move |conn, ctx| Ok(letters::waive_task(conn, ctx, &actor, id, &reason)?))
                .await?;
            "letter-waived"
        }
        _ => return Err(AppError::BadRequest("action".into())),
    };
    Ok(see_other(format!("/queue?ok={ok}")))
}

/// The reply letter (答复函) to an item.
pub async fn reply(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
    q: web::Query<LangQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lang = q.letter_lang();
    let actor = me.actor();
    let letter = state
        .db(move |conn, ctx| Ok(letters::for_item(conn, ctx, &actor, id, lang)?))
        .await?;
    let mut t = tera::Context::new();
    t.insert("item_id", &id);
    print_page(&req, &state, &me, t, &[letter], lang)
}

pub async fn reply_post(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    let lang = letter_lang(post.form.get("letter_lang"));
    state
        .db(move |conn, ctx| Ok(letters::send_reply(conn, ctx, &actor, id, lang)?))
        .await?;
    Ok(see_other(format!("/items/{id}?ok=letter-sent")))
}

// Templates -----------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct TemplateQuery {
    kind: Option<String>,
    lang: Option<String>,
}

async fn render_templates(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    kind: LetterKind,
    lang: &'static str,
    typed: Option<(String, String)>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id.ok_or_else(|| {
        AppError::Invalid(crate::domain::error::FieldError::new("store", "store-required").into())
    })?;
    let (subject, body) = match typed {
        Some(t) => t,
        None => {
            state
                .db(move |conn, _| Ok(letters::template(conn, store, kind, lang)?))
                .await?
        }
    };
    // A preview with sample values, so the supervisor sees the letter as a customer will.
    let sample: HashMap<&str, String> = MERGE_FIELDS
        .iter()
        .map(|f| {
            (
                *f,
                I18N.t(lang, &format!("merge-sample-{}", f.replace('_', "-"))),
            )
        })
        .collect();
    let mut t = tera::Context::new();
    t.insert(
        "kinds",
        &LetterKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
    );
    t.insert("kind", kind.as_str());
    t.insert("tpl_lang", lang);
    t.insert("subject", &subject);
    t.insert("body", &body);
    t.insert("preview_subject", &merge(&subject, &sample));
    t.insert("preview_body", &merge(&body, &sample));
    t.insert("fields", &MERGE_FIELDS);
    let status = crate::web::render::errors_on(&mut t, &errors);
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(super::render::html_with(
        status,
        state
            .templates
            .render(me.lang, "letters/templates.html", &t)?,
    ))
}

pub async fn templates(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<TemplateQuery>,
) -> AppResult<HttpResponse> {
    let kind = q
        .kind
        .as_deref()
        .and_then(LetterKind::parse)
        .unwrap_or(LetterKind::Notice);
    let lang = crate::i18n::supported(q.lang.as_deref()).unwrap_or(crate::i18n::DEFAULT_LANG);
    render_templates(&req, &state, &me, kind, lang, None, HashMap::new()).await
}

pub async fn templates_post(
    req: HttpRequest,
    state: State,
    post: AuthForm,
) -> AppResult<HttpResponse> {
    let f = &post.form;
    let kind_text = f.get("kind").unwrap_or("").to_string();
    let lang = crate::i18n::supported(f.get("lang")).unwrap_or(crate::i18n::DEFAULT_LANG);
    let (subject, body) = (
        f.get("subject").unwrap_or("").to_string(),
        f.get("body").unwrap_or("").to_string(),
    );
    let actor = post.auth.actor();
    let (k, s, b) = (kind_text.clone(), subject.clone(), body.clone());
    let answer = state
        .db(move |conn, ctx| Ok(letters::save_template(conn, ctx, &actor, &k, lang, &s, &b)))
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(()) => Ok(see_other(format!(
            "/letters/templates?kind={kind_text}&lang={lang}&ok=template-saved"
        ))),
        // The page shows again the subject and body typed, as the template being edited.
        Posted::Refused(_, why) => {
            let kind = LetterKind::parse(&kind_text).unwrap_or(LetterKind::Notice);
            let typed = Some((subject, body));
            render_templates(&req, &state, &post.auth, kind, lang, typed, why).await
        }
    }
}
