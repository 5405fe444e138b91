//! The archive sheet (客户档案基本资料表): the form that completes an archive (R2) with its
//! next-service plan (R3), the completed sheet, and the list of completed sheets.

use super::auth::{chrome, Auth, AuthForm};
use super::render::html;
use super::{AppResult, State};
use crate::domain::archive::{is_late, PlanInput, Purpose};
use crate::domain::phone::Phone;
use crate::domain::plate;
use crate::domain::task::state_on;
use crate::domain::visit::split_items;
use crate::i18n::I18N;
use crate::services::archive::{self, ArchiveInput};
use crate::services::ServiceError;
use crate::web::render::see_other;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

/// Rows of the plan shown on the form (empty ones are ignored).
const PLAN_ROWS: usize = 4;

#[derive(Deserialize)]
pub struct ListQuery {
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

pub async fn list(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    };
    let (from, to) = (parse(&q.from), parse(&q.to));
    let page = q.page.unwrap_or(1).max(1);
    let store = me.user.store_id;
    let actor = me.actor();
    let (rows, total) = state
        .db(move |conn, ctx| {
            let sight = crate::services::privacy::sight(conn, ctx, &actor)?;
            Ok(archive::recent(
                conn,
                &sight,
                store,
                from,
                to,
                100,
                (page - 1) * 100,
            )?)
        })
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("rows", &rows);
    ctx.insert("total", &total);
    ctx.insert("from", &from);
    ctx.insert("to", &to);
    ctx.insert("page", &page);
    ctx.insert("pages", &((total + 99) / 100).max(1));
    Ok(html(state.templates.render(
        me.lang,
        "archives/list.html",
        &ctx,
    )?))
}

/// What the form shows again after an error: the typed values, the plan rows, the messages.
struct Shown {
    typed: HashMap<String, String>,
    plan: Vec<PlanInput>,
    errors: HashMap<String, String>,
}

/// The sheet of `visit_id`: the values shown (what the user typed after an error, else the
/// visit's), the plan rows, and the completed sheet when there is one.
async fn render_sheet(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    visit_id: i32,
    shown: Option<Shown>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let draft = state
        .db(move |conn, ctx| Ok(archive::draft(conn, &actor, visit_id, ctx.clock.today())?))
        .await?;
    let clock = state.ctx.clock;
    let d = &draft;
    let mut v = visit_values(d, &clock);
    let (plan, errors, status) = match shown {
        Some(s) => {
            v.extend(s.typed);
            (Some(s.plan), s.errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        None => (None, HashMap::new(), StatusCode::OK),
    };
    let mut plan = plan.unwrap_or_else(|| {
        vec![PlanInput {
            purpose: d
                .next_maintenance_date
                .map(|_| Purpose::N1.as_str().to_string()),
            date: d.next_maintenance_date.map(|x| x.to_string()),
            talking_points: None,
        }]
    });
    plan.resize(PLAN_ROWS.max(plan.len()), PlanInput::default());
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    insert_visit(&mut ctx, d, &clock);
    insert_archive(&mut ctx, d, &clock);
    ctx.insert("v", &v);
    ctx.insert("plan", &plan);
    let purposes: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
    ctx.insert("purposes", &purposes);
    ctx.insert("errors", &errors);
    Ok(super::render::html_with(
        status,
        state
            .templates
            .render(me.lang, "archives/sheet.html", &ctx)?,
    ))
}

/// The form's values from the visit, its customer and vehicle, as a clerk types them.
fn visit_values(d: &archive::Draft, clock: &crate::clock::Clock) -> HashMap<String, String> {
    let vehicle = d.vehicle.as_ref();
    let visit = &d.visit;
    [
        ("customer_name", Some(d.customer.name.clone())),
        ("address", d.customer.address.clone()),
        (
            "phone",
            Some(Phone::from_stored(&d.customer.phone).to_string()),
        ),
        ("vehicle_model", vehicle.and_then(|x| x.model.clone())),
        ("plate", vehicle.map(|x| plate::display(&x.plate))),
        ("vehicle_type", vehicle.and_then(|x| x.vehicle_type.clone())),
        ("items", Some(visit.item_list().join("\n"))),
        (
            "maintenance_interval_days",
            visit.maintenance_interval_days.map(|x| x.to_string()),
        ),
        (
            "maintenance_interval_km",
            visit.maintenance_interval_km.map(|x| x.to_string()),
        ),
        (
            "next_maintenance_date",
            visit.next_maintenance_date.map(|x| x.to_string()),
        ),
        ("desired_services", visit.desired_services.clone()),
        ("archived_at", Some(clock.now_for_form())),
    ]
    .into_iter()
    .map(|(k, val)| (k.to_string(), val.unwrap_or_default()))
    .collect()
}

/// The visit, its times in the shop's zone, A10, the service history and the archive task.
fn insert_visit(ctx: &mut tera::Context, d: &archive::Draft, clock: &crate::clock::Clock) {
    let local = |t: chrono::NaiveDateTime| clock.to_local(t).format("%Y-%m-%d %H:%M").to_string();
    ctx.insert("visit", &d.visit);
    ctx.insert("checked_in_at", &local(d.visit.checked_in_at));
    ctx.insert("picked_up_at", &d.visit.picked_up_at.map(local));
    ctx.insert("customer_id", &d.customer.id);
    ctx.insert("a10", &d.next_maintenance_date);
    ctx.insert("history", &d.service_history);
    ctx.insert("task", &d.task);
    ctx.insert(
        "task_state",
        &d.task
            .as_ref()
            .map(|t| state_on(t.window(), clock.today()).as_str()),
    );
}

/// The completed sheet, if any: whether it was late (R2), its plate and phone as shown, when
/// it was completed, and the plan it made (R3).
fn insert_archive(ctx: &mut tera::Context, d: &archive::Draft, clock: &crate::clock::Clock) {
    let a = d.archive.as_ref();
    ctx.insert("archive", &d.archive);
    ctx.insert("can_complete", &d.can_complete);
    ctx.insert(
        "archive_late",
        &a.is_some_and(|a| is_late(a.archived_on, a.due_date)),
    );
    ctx.insert(
        "archive_plate",
        &a.and_then(|a| a.plate.as_deref().map(plate::display)),
    );
    ctx.insert(
        "archive_phone",
        &a.map(|a| Phone::from_stored(&a.phone).to_string()),
    );
    ctx.insert(
        "archived_at",
        &a.map(|a| {
            clock
                .to_local(a.archived_at)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        }),
    );
    ctx.insert("plan_done", &d.plan);
}

pub async fn sheet(
    req: HttpRequest,
    state: State,
    me: Auth,
    visit_id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render_sheet(&req, &state, &me, visit_id.into_inner(), None).await
}

/// The sheet as the form sent it: A-fields, then the plan rows in order.
fn input_of(form: &super::auth::Form) -> (ArchiveInput, Vec<PlanInput>) {
    let purposes = form.all("plan_purpose");
    let dates = form.all("plan_date");
    let points = form.all("plan_talking_points");
    let n = purposes.len().max(dates.len()).max(points.len());
    let opt = |v: Option<&String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let plan: Vec<PlanInput> = (0..n)
        .map(|i| PlanInput {
            purpose: opt(purposes.get(i)),
            date: opt(dates.get(i)),
            talking_points: opt(points.get(i)),
        })
        .collect();
    let input = ArchiveInput {
        // Required fields as sent: cleared is an error, not "keep" (issue 12).
        customer_name: form.get("customer_name").map(str::to_string),
        address: form.opt("address"),
        phone: form.get("phone").map(str::to_string),
        vehicle_model: form.opt("vehicle_model"),
        plate: form.get("plate").map(str::to_string),
        vehicle_type: form.opt("vehicle_type"),
        items: form.get("items").map(split_items),
        maintenance_interval_days: form.opt("maintenance_interval_days"),
        maintenance_interval_km: form.opt("maintenance_interval_km"),
        next_maintenance_date: form.opt("next_maintenance_date"),
        desired_services: form.opt("desired_services"),
        plan: plan.clone(),
        archived_at: form.opt("archived_at"),
    };
    (input, plan)
}

pub async fn complete(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    visit_id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let (input, plan) = input_of(&post.form);
    let actor = post.auth.actor();
    let result = state
        .db(move |conn, ctx| Ok(archive::complete(conn, ctx, &actor, visit_id, &input)))
        .await?;
    match result {
        Ok(_) => Ok(see_other(format!("/archives/{visit_id}?ok=archived"))),
        Err(ServiceError::Invalid(errs)) => {
            let lang = post.auth.lang;
            let errors = errs
                .0
                .iter()
                .map(|e| (e.field.clone(), I18N.field_error(lang, e)))
                .collect();
            let mut typed = post.form.values();
            typed.retain(|k, _| !k.starts_with("plan_"));
            let shown = Shown {
                typed,
                plan,
                errors,
            };
            render_sheet(&req, &state, &post.auth, visit_id, Some(shown)).await
        }
        Err(e) => Err(e.into()),
    }
}
