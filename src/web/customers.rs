//! Customers: the list (search by name, phone or plate), the customer page (vehicles, visits,
//! archive history, open tasks), reassigning the designated clerk (R1) and merging duplicates.

use super::auth::{chrome, Auth, AuthForm};
use crate::services::task_view::{views_in_queue_order, TaskView};
use super::render::html;
use super::{AppError, AppResult, State};
use crate::domain::error::FieldError;
use crate::domain::phone::Phone;
use crate::domain::plate;
use crate::domain::role::Role;
use crate::models::{archive, customer, task, user, visit};
use crate::services::{assign, merge};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    mine: Option<String>,
    page: Option<i64>,
    /// X7: only lost customers.
    lost: Option<String>,
}

#[derive(Serialize)]
struct Row {
    id: i32,
    name: String,
    phone: String,
    clerk: Option<String>,
    plates: Vec<String>,
    /// Whether the user reaches this customer's page; otherwise the row is the card of an
    /// inbound call and links to registering one (ASVS 8.2.2).
    reachable: bool,
}

pub async fn list(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let text = q.q.clone().unwrap_or_default();
    // A clerk starts from their own customers; everyone can widen to the whole store.
    let mine = match q.mine.as_deref() {
        Some(v) => v == "1",
        None => me.role == Role::Clerk,
    };
    let page = q.page.unwrap_or(1).max(1);
    let clerk = mine.then_some(me.user.id);
    let store_id = me.user.store_id;
    let actor = me.actor();
    let lost = q.lost.as_deref() == Some("1");
    let (rows, total, clerks, sight) = state
        .db(move |conn, ctx| {
            // A clerk looking beyond their own customers finds them by a search (phone, plate,
            // name) and sees cards, not the store's whole list.
            let today = ctx.clock.today();
            let lost_on = lost.then(|| (today, ctx.cadence().lost_since(today)));
            let (rows, total) =
                if clerk.is_none() && actor.role == Role::Clerk && text.trim().is_empty() {
                    (Vec::new(), 0)
                } else {
                    customer::search(
                        conn,
                        store_id,
                        &text,
                        clerk,
                        lost_on,
                        PAGE,
                        (page - 1) * PAGE,
                    )?
                };
            let mut reach = Vec::with_capacity(rows.len());
            for r in &rows {
                reach.push(!crate::services::access::card_only(
                    conn,
                    &actor,
                    &r.customer,
                    today,
                )?);
            }
            let clerks = match store_id {
                Some(s) => user::clerks_of_store(conn, s, false)?,
                None => Vec::new(),
            };
            let sight = crate::services::privacy::sight(conn, ctx, &actor)?;
            Ok((
                rows.into_iter().zip(reach).collect::<Vec<_>>(),
                total,
                clerks,
                sight,
            ))
        })
        .await?;
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(r, reachable)| Row {
            reachable,
            id: r.customer.id,
            phone: sight.show(r.customer.clerk_id, &r.customer.phone),
            name: r.customer.name,
            clerk: r.clerk,
            plates: r.plates,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("rows", &rows);
    ctx.insert("total", &total);
    ctx.insert("q", &q.q.clone().unwrap_or_default());
    ctx.insert("mine", &mine);
    ctx.insert("lost", &lost);
    ctx.insert("page", &page);
    ctx.insert("pages", &((total + PAGE - 1) / PAGE).max(1));
    ctx.insert("clerks", &clerks);
    ctx.insert(
        "can_reassign",
        &matches!(me.role, Role::Supervisor | Role::Admin),
    );
    Ok(html(state.templates.render(
        me.lang,
        "customers/list.html",
        &ctx,
    )?))
}

#[derive(Serialize)]
struct VisitView {
    id: i32,
    kind: String,
    checked_in_at: String,
    picked_up_at: Option<String>,
    plate: Option<String>,
    items: Vec<String>,
    odometer_km: Option<i32>,
    next_maintenance_date: Option<chrono::NaiveDate>,
    archive_no: Option<String>,
    can_pickup: bool,
}

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    show_page(req, state, me, id.into_inner(), false).await
}

/// `POST /customers/{id}/reveal`: the customer page with the whole phone number, logged (R11).
pub async fn reveal(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    show_page(req, state, post.auth, id.into_inner(), true).await
}

/// `POST /customers/{id}/anonymise`: a supervisor anonymises a customer at their request.
pub async fn anonymise(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = post.form.get("reason").unwrap_or("").to_string();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| {
            Ok(crate::services::privacy::anonymise(
                conn,
                ctx,
                &actor,
                id,
                &reason,
                crate::services::privacy::Source::Request,
            )?)
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/customers/{id}?ok=customer-anonymised"),
        ))
        .finish())
}

async fn show_page(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: i32,
    reveal: bool,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let lang = me.lang;
    let ctx = state
        .db(move |conn, ctx| {
            // ASVS 8.2.2: the customer's own clerk, their cover today (R9), the store's
            // supervisors; anyone else finds nothing here (the inbound-call card is elsewhere).
            let (c, _) = crate::services::access::customer(conn, &actor, id, ctx.clock.today())?;
            let sight = crate::services::privacy::sight(conn, ctx, &actor)?;
            let masked = !sight.may_see(c.clerk_id);
            let phone = if reveal && masked {
                crate::services::privacy::reveal(conn, ctx, &actor, c.id)?
            } else {
                sight.show(c.clerk_id, &c.phone)
            };
            let anonymised = crate::models::privacy::anonymised(conn, c.id)?;
            let clock = ctx.clock;
            let today = clock.today();
            let vehicles = customer::vehicles_of(conn, c.id)?;
            let visits = visit::of_customer(conn, c.id)?;
            let archives = archive::of_customer(conn, c.id)?;
            let tasks = task::of_customer(conn, c.id)?;
            let clerk = match c.clerk_id {
                Some(k) => Some(user::by_id(conn, k)?),
                None => None,
            };
            let fmt =
                |t: chrono::NaiveDateTime| clock.to_local(t).format("%Y-%m-%d %H:%M").to_string();
            let visit_views: Vec<VisitView> = visits
                .iter()
                .rev()
                .map(|v| VisitView {
                    id: v.id,
                    kind: v.kind.clone(),
                    checked_in_at: fmt(v.checked_in_at),
                    picked_up_at: v.picked_up_at.map(fmt),
                    plate: v
                        .vehicle_id
                        .and_then(|vid| vehicles.iter().find(|x| x.id == vid))
                        .map(|x| plate::display(&x.plate)),
                    items: v.item_list(),
                    odometer_km: v.odometer_km,
                    next_maintenance_date: v.next_maintenance_date,
                    archive_no: archives
                        .iter()
                        .find(|a| a.visit_id == v.id)
                        .map(|a| a.archive_no.clone()),
                    can_pickup: v.picked_up_at.is_none() && v.kind != "consultation",
                })
                .collect();
            let filter = task::OpenFilter { store_id: Some(c.store_id), customer_id: Some(c.id), ..Default::default() };
            let open_rows = task::open_list(conn, &filter)?;
            let open: Vec<TaskView> = views_in_queue_order(open_rows, today, &sight);
            let done: Vec<&task::Task> = tasks.iter().filter(|t| t.status != "open").collect();
            let merges: Vec<(String, String, String, String)> = merge::history(conn, c.id)?
                .into_iter()
                .map(|(n, p, at, moved)| (n, sight.show(c.clerk_id, &p), fmt(at), moved))
                .collect();
            let clerks = user::clerks_of_store(conn, c.store_id, false)?;
            let mut t = tera::Context::new();
            t.insert("customer", &c);
            t.insert("phone", &phone);
            t.insert("can_reveal", &(masked && !reveal && !c.phone.is_empty()));
            t.insert(
                "anonymised",
                &anonymised.map(|(at, by, source)| (fmt(at), by, source)),
            );
            t.insert("clerk", &clerk.map(|u| u.display_name));
            t.insert(
                "vehicles",
                &vehicles
                    .iter()
                    .map(|v| {
                        (
                            plate::display(&v.plate),
                            v.model.clone(),
                            v.vehicle_type.clone(),
                        )
                    })
                    .collect::<Vec<_>>(),
            );
            t.insert("visits", &visit_views);
            let archive_rows: Vec<(&archive::Archive, bool)> = archives
                .iter()
                .map(|a| (a, a.archived_on > a.due_date))
                .collect();
            t.insert("archives", &archive_rows);
            t.insert("open_tasks", &open);
            t.insert("done_tasks", &done);
            t.insert("merges", &merges);
            let calls: Vec<serde_json::Value> = crate::models::call::of_customer(conn, c.id, 50)?
                .into_iter()
                .map(|r| {
                    serde_json::json!({
                        "record_no": r.record_no, "called_at": fmt(r.called_at), "direction": r.direction,
                        "category": r.category, "outcome": r.outcome, "key_points": r.key_points, "handled_by": r.handled_by,
                    })
                })
                .collect();
            t.insert("calls", &calls);
            t.insert("items", &crate::models::call::items_of_customer(conn, c.id)?);
            t.insert("clerks", &clerks);
            t.insert(
                "now_local",
                &clock.now_local().format("%Y-%m-%dT%H:%M").to_string(),
            );
            Ok(t)
        })
        .await?;
    let mut ctx = ctx;
    ctx.insert("chrome", &chrome(&req, &state, lang, Some(&me), None));
    ctx.insert(
        "can_reassign",
        &matches!(me.role, Role::Supervisor | Role::Admin),
    );
    Ok(html(state.templates.render(
        lang,
        "customers/show.html",
        &ctx,
    )?))
}

pub async fn reassign(state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let ids: Vec<i32> = post
        .form
        .all("customer_ids")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let clerk: i32 = post
        .form
        .get("clerk_id")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| AppError::Invalid(FieldError::new("clerk_id", "required").into()))?;
    let back = post
        .form
        .get("back")
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or("/customers")
        .to_string();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(assign::reassign(conn, ctx, &actor, &ids, clerk)?))
        .await?;
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{back}{sep}ok=reassigned")))
        .finish())
}

#[derive(Deserialize)]
pub struct MergeQuery {
    keep: Option<String>,
    merge: Option<String>,
}

#[derive(Serialize)]
struct Side {
    id: i32,
    name: String,
    phone: String,
    address: Option<String>,
    plates: Vec<String>,
    visits: usize,
}

fn side(
    conn: &mut crate::db::DbConn,
    id: Option<i32>,
    store: Option<i32>,
) -> AppResult<Option<Side>> {
    let Some(id) = id else { return Ok(None) };
    let Some(c) = customer::by_id(conn, id)? else {
        return Ok(None);
    };
    if store.is_some_and(|s| s != c.store_id) || c.merged_into_id.is_some() {
        return Ok(None);
    }
    let plates = customer::vehicles_of(conn, id)?
        .iter()
        .map(|v| plate::display(&v.plate))
        .collect();
    let visits = visit::of_customer(conn, id)?.len();
    Ok(Some(Side {
        id,
        name: c.name,
        phone: Phone::from_stored(&c.phone).to_string(),
        address: c.address,
        plates,
        visits,
    }))
}

async fn render_merge(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    keep: Option<i32>,
    gone: Option<i32>,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id;
    let (a, b) = state
        .db(move |conn, _| Ok((side(conn, keep, store)?, side(conn, gone, store)?)))
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("keep", &a);
    ctx.insert("gone", &b);
    ctx.insert("keep_id", &keep);
    ctx.insert("merge_id", &gone);
    ctx.insert("errors", &errors);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(
            state
                .templates
                .render(me.lang, "customers/merge.html", &ctx)?,
        ))
}

pub async fn merge_form(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<MergeQuery>,
) -> AppResult<HttpResponse> {
    let keep = q.keep.as_deref().and_then(|s| s.trim().parse().ok());
    let gone = q.merge.as_deref().and_then(|s| s.trim().parse().ok());
    render_merge(&req, &state, &me, keep, gone, Vec::new()).await
}

pub async fn merge(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let keep: Option<i32> = post.form.get("keep_id").and_then(|s| s.trim().parse().ok());
    let gone: Option<i32> = post
        .form
        .get("merge_id")
        .and_then(|s| s.trim().parse().ok());
    let (Some(k), Some(g)) = (keep, gone) else {
        let field = if keep.is_none() {
            "keep_id"
        } else {
            "merge_id"
        };
        let msg =
            crate::i18n::I18N.field_error(post.auth.lang, &FieldError::new(field, "required"));
        return render_merge(&req, &state, &post.auth, keep, gone, vec![msg]).await;
    };
    let actor = post.auth.actor();
    let result = state
        .db(move |conn, ctx| Ok(merge::merge(conn, ctx, &actor, k, g)))
        .await?;
    match result {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/customers/{k}?ok=merged")))
            .finish()),
        Err(crate::services::ServiceError::Invalid(errs)) => {
            let msgs = errs
                .0
                .iter()
                .map(|e| crate::i18n::I18N.field_error(post.auth.lang, e))
                .collect();
            render_merge(&req, &state, &post.auth, keep, gone, msgs).await
        }
        Err(e) => Err(e.into()),
    }
}
