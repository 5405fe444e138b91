//! Accounts and security: login and logout, sessions in the database, disabling, CSRF and
//! origin checks, login throttling, security headers, and the role × route matrix.

use crate::both_backends;
use crate::helpers::*;
use aftercare::services::{accounts, Actor};

both_backends!(login_and_logout_end_the_session_at_once, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let app = env.spawn();
    let mut web = Browser::new(&app);
    assert_eq!(
        web.get("/").location.as_deref(),
        Some("/login?next=/"),
        "anonymous users are sent to the login page"
    );
    let r = web.login_with("clerk1", "wrong password!");
    assert_eq!(r.status, 401);
    assert!(r.text().contains("用户名或密码不正确"));
    let r = web.login("clerk1");
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/")));
    assert_eq!(web.get("/").status, 200);
    let r = web.post("/logout", &[]);
    assert_eq!(r.status, 303);
    assert_eq!(web.get("/").status, 303, "the session is gone");
});

both_backends!(
    disabling_a_user_ends_their_sessions_and_tokens_at_once,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let mut web = Browser::new(&app);
        web.login("clerk1");
        let api = Api::new(&app, &token);
        assert_eq!(
            api.post(
                "/api/v1/visits",
                visit_json("13300000000", "沪F·11111", "2026-11-19T09:00")
            )
            .status,
            201
        );
        accounts::disable_user(&mut env.conn(), &env.ctx, &Actor::cli(), "clerk1").unwrap();
        assert_eq!(web.get("/").status, 303);
        assert_eq!(
            api.post(
                "/api/v1/visits",
                visit_json("13300000001", "沪F·11112", "2026-11-19T09:00")
            )
            .status,
            401
        );
        assert_eq!(
            Browser::new(&app).login("clerk1").status,
            401,
            "a disabled user cannot log in"
        );
    }
);

both_backends!(
    forms_without_the_csrf_token_or_from_another_site_are_refused,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let mut web = Browser::new(&app);
        web.login("clerk1");
        web.get("/visits/new");
        let fields = [
            ("kind", "repair"),
            ("customer_name", "张三"),
            ("phone", "13312345678"),
            ("plate", "沪A12345"),
            ("checked_in_at", "2026-11-19T09:00"),
        ];
        let mut forged: Vec<(&str, &str)> = fields.to_vec();
        forged.push(("csrf_token", "forged"));
        assert_eq!(web.post("/visits", &forged).status, 403);
        assert_eq!(
            web.post_with("/visits", &fields, &[("Origin", "http://evil.example")])
                .status,
            403
        );
        assert_eq!(
            web.post_with("/visits", &fields, &[("Sec-Fetch-Site", "cross-site")])
                .status,
            403
        );
        // Same host and port, another scheme: another origin (the server speaks http).
        let https = app.base.replace("http://", "https://");
        assert_eq!(
            web.post_with("/visits", &fields, &[("Origin", &https)])
                .status,
            403,
            "{https}"
        );
        // The login form itself is protected by a double-submit token.
        let mut fresh = Browser::new(&app);
        assert_eq!(
            fresh
                .post(
                    "/login",
                    &[
                        ("username", "clerk1"),
                        ("password", &password("clerk1")),
                        ("csrf_token", "x")
                    ]
                )
                .status,
            403
        );
        let ok = web.post("/visits", &fields);
        assert_eq!(ok.status, 303, "the genuine form passes: {}", ok.text());
    }
);

both_backends!(repeated_failed_logins_are_throttled, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let app = env.spawn();
    let mut web = Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(web.login_with("clerk1", "not the password").status, 401);
    }
    let r = web.login("clerk1");
    assert_eq!(
        r.status, 429,
        "even the right password waits once the account is locked"
    );
    assert!(r.text().contains("登录失败次数过多"));
});

both_backends!(pages_carry_security_headers, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    let app = env.spawn();
    let r = Browser::new(&app).get("/login");
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let cookies: Vec<&str> = r
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        cookies
            .iter()
            .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
});

/// Who may use each route. This table is written independently of the app's own, so that
/// a route added without deciding its roles, or with roles changed by accident, fails here.
const MATRIX: &[(&str, &str, &str)] = &[
    ("GET", "/healthz", "public"),
    ("GET", "/static/{file}", "public"),
    ("GET", "/login", "public"),
    ("POST", "/login", "public"),
    ("POST", "/logout", "clerk supervisor auditor admin"),
    ("POST", "/account/lang", "clerk supervisor auditor admin"),
    ("GET", "/", "clerk supervisor auditor admin"),
    ("GET", "/queue", "clerk supervisor admin"),
    ("GET", "/tasks/{id}/call", "clerk supervisor admin"),
    ("POST", "/tasks/{id}/call", "clerk supervisor admin"),
    ("POST", "/tasks/{id}/unreachable", "clerk supervisor admin"),
    ("GET", "/calls/new", "clerk supervisor admin"),
    ("POST", "/calls", "clerk supervisor admin"),
    ("GET", "/items/{id}", "clerk supervisor admin"),
    ("POST", "/items/{id}/note", "clerk supervisor admin"),
    ("POST", "/items/{id}/escalate", "clerk supervisor admin"),
    ("POST", "/items/{id}/solution", "clerk supervisor admin"),
    ("GET", "/items/{id}/reply", "clerk supervisor admin"),
    ("POST", "/items/{id}/reply", "clerk supervisor admin"),
    ("GET", "/escalations", "supervisor admin"),
    ("GET", "/events", "supervisor admin"),
    ("POST", "/events", "supervisor admin"),
    ("GET", "/events/{id}", "supervisor admin"),
    ("GET", "/events/{id}/letters", "supervisor admin"),
    ("GET", "/tasks/{id}/letter", "clerk supervisor admin"),
    ("POST", "/tasks/{id}/letter", "clerk supervisor admin"),
    ("GET", "/letters/templates", "supervisor admin"),
    ("POST", "/letters/templates", "supervisor admin"),
    ("GET", "/absences", "supervisor admin"),
    ("POST", "/absences", "supervisor admin"),
    ("POST", "/absences/{id}/cancel", "supervisor admin"),
    ("GET", "/queue", "clerk supervisor admin"),
    ("GET", "/tasks/{id}/call", "clerk supervisor admin"),
    ("POST", "/tasks/{id}/call", "clerk supervisor admin"),
    ("POST", "/tasks/{id}/unreachable", "clerk supervisor admin"),
    ("GET", "/calls/new", "clerk supervisor admin"),
    ("POST", "/calls", "clerk supervisor admin"),
    ("GET", "/items/{id}", "clerk supervisor admin"),
    ("POST", "/items/{id}/note", "clerk supervisor admin"),
    ("POST", "/items/{id}/escalate", "clerk supervisor admin"),
    ("POST", "/items/{id}/solution", "clerk supervisor admin"),
    ("GET", "/items/{id}/reply", "clerk supervisor admin"),
    ("POST", "/items/{id}/reply", "clerk supervisor admin"),
    ("GET", "/escalations", "supervisor admin"),
    ("GET", "/events", "supervisor admin"),
    ("POST", "/events", "supervisor admin"),
    ("GET", "/events/{id}", "supervisor admin"),
    ("GET", "/events/{id}/letters", "supervisor admin"),
    ("GET", "/tasks/{id}/letter", "clerk supervisor admin"),
    ("POST", "/tasks/{id}/letter", "clerk supervisor admin"),
    ("GET", "/letters/templates", "supervisor admin"),
    ("POST", "/letters/templates", "supervisor admin"),
    ("GET", "/absences", "supervisor admin"),
    ("POST", "/absences", "supervisor admin"),
    ("POST", "/absences/{id}/cancel", "supervisor admin"),
    ("GET", "/customers", "clerk supervisor admin"),
    ("GET", "/customers/merge", "supervisor admin"),
    ("POST", "/customers/merge", "supervisor admin"),
    ("POST", "/customers/reassign", "supervisor admin"),
    ("GET", "/customers/{id}", "clerk supervisor admin"),
    (
        "POST",
        "/customers/{id}/preferences",
        "clerk supervisor admin",
    ),
    (
        "POST",
        "/customers/{id}/preferences",
        "clerk supervisor admin",
    ),
    ("GET", "/visits/new", "clerk supervisor admin"),
    ("POST", "/visits", "clerk supervisor admin"),
    ("POST", "/visits/{id}/pickup", "clerk supervisor admin"),
    ("GET", "/archives", "clerk supervisor auditor admin"),
    ("GET", "/archives/{visit_id}", "clerk supervisor admin"),
    ("POST", "/archives/{visit_id}", "clerk supervisor admin"),
    ("GET", "/registers", "supervisor auditor admin"),
    ("GET", "/registers/{register}", "supervisor auditor admin"),
    (
        "GET",
        "/registers/{register}/print",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/registers/{register}/export.csv",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/registers/{register}/export.xlsx",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/registers/{register}/{id}",
        "supervisor auditor admin",
    ),
    (
        "POST",
        "/registers/{register}/{id}/amend",
        "supervisor admin",
    ),
    (
        "POST",
        "/registers/{register}/{id}/reveal",
        "supervisor auditor admin",
    ),
    ("POST", "/registers/grants", "supervisor"),
    ("POST", "/registers/grants/{id}/revoke", "supervisor"),
    ("GET", "/audit", "supervisor auditor admin"),
    ("GET", "/audit/export.csv", "supervisor auditor admin"),
    ("GET", "/audit/export.xlsx", "supervisor auditor admin"),
    ("POST", "/customers/{id}/reveal", "clerk supervisor admin"),
    ("POST", "/customers/{id}/anonymise", "supervisor admin"),
    ("GET", "/summaries", "supervisor auditor admin"),
    (
        "GET",
        "/summaries/{kind}/{period}",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/summaries/{kind}/{period}/print",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/summaries/{kind}/{period}/lines",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/summaries/{kind}/{period}/clerks.csv",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/summaries/{kind}/{period}/clerks.xlsx",
        "supervisor auditor admin",
    ),
    (
        "GET",
        "/summaries/{kind}/{period}/scorecard/{clerk}",
        "clerk supervisor auditor admin",
    ),
    (
        "POST",
        "/summaries/{kind}/{period}/report",
        "supervisor admin",
    ),
    (
        "POST",
        "/summaries/{kind}/{period}/file",
        "supervisor admin",
    ),
    (
        "POST",
        "/summaries/{kind}/{period}/correct",
        "supervisor admin",
    ),
    (
        "GET",
        "/api/v1/summaries/monthly/{period}",
        "supervisor auditor admin",
    ),
    ("GET", "/settings", "supervisor admin"),
    ("GET", "/admin/stores", "admin"),
    ("POST", "/admin/stores", "admin"),
    ("GET", "/admin/advisors", "admin"),
    ("POST", "/admin/advisors", "admin"),
    ("POST", "/admin/advisors/{id}/disable", "admin"),
    ("GET", "/admin/users", "admin"),
    ("POST", "/admin/users", "admin"),
    ("GET", "/admin/users/{id}", "admin"),
    ("POST", "/admin/users/{id}", "admin"),
    ("POST", "/admin/users/{id}/password", "admin"),
    ("GET", "/admin/tokens", "admin"),
    ("POST", "/admin/tokens", "admin"),
    ("POST", "/admin/tokens/{id}/revoke", "admin"),
    ("POST", "/api/v1/visits", "clerk supervisor admin"),
    ("GET", "/api/v1/queue", "clerk supervisor admin"),
    ("POST", "/api/v1/calls", "clerk supervisor admin"),
    (
        "GET",
        "/api/v1/registers/{register}",
        "supervisor auditor admin",
    ),
    (
        "POST",
        "/api/v1/items/{id}/escalate",
        "clerk supervisor admin",
    ),
    (
        "POST",
        "/api/v1/items/{id}/solution",
        "clerk supervisor admin",
    ),
    (
        "POST",
        "/api/v1/visits/{id}/pickup",
        "clerk supervisor admin",
    ),
    (
        "POST",
        "/api/v1/archives/{visit_id}",
        "clerk supervisor admin",
    ),
];

#[test]
fn every_route_is_in_the_role_matrix_and_nothing_else_is() {
    let app: Vec<(String, String, String)> = aftercare::web::routes()
        .iter()
        .map(|r| {
            let roles = match r.roles {
                None => "public".to_string(),
                Some(rs) => rs.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" "),
            };
            (r.method.to_string(), r.path.to_string(), roles)
        })
        .collect();
    let expected: Vec<(String, String, String)> = MATRIX
        .iter()
        .map(|(m, p, r)| (m.to_string(), p.to_string(), r.to_string()))
        .collect();
    for route in &app {
        assert!(
            expected.contains(route),
            "route {route:?} of the app is not in the test's role matrix (or its roles differ)"
        );
    }
    for route in &expected {
        assert!(
            app.contains(route),
            "route {route:?} of the matrix is not in the app"
        );
    }
}

both_backends!(role_route_matrix_is_enforced_for_every_role, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    let roles = ["clerk", "supervisor", "auditor", "admin"];
    for r in roles {
        env.user(r, r);
    }
    let tokens: Vec<String> = roles.iter().map(|r| env.token(r)).collect();
    let app = env.spawn();
    let mut browsers: Vec<Browser> = roles
        .iter()
        .map(|r| {
            let mut w = Browser::new(&app);
            assert_eq!(w.login(r).status, 303);
            w.get("/");
            w
        })
        .collect();
    for (method, path, allowed) in MATRIX {
        if *allowed == "public" || path.starts_with("/logout") {
            continue;
        }
        // Ids that exist nowhere: no route may change a real row here.
        let concrete = path
            .replace("{id}", "999")
            .replace("{visit_id}", "999")
            .replace("{file}", "app.css")
            .replace("{register}", "call-register");
        for (i, role) in roles.iter().enumerate() {
            let status = if path.starts_with("/api/") && *method == "GET" {
                Api::new(&app, &tokens[i]).get(&concrete).status
            } else if path.starts_with("/api/") {
                Api::new(&app, &tokens[i])
                    .post(&concrete, serde_json::json!({}))
                    .status
            } else if *method == "GET" {
                browsers[i].get(&concrete).status
            } else {
                // Never disable or demote the admin here: post an empty form.
                browsers[i].post(&concrete, &[]).status
            };
            let may = allowed.split(' ').any(|a| a == *role);
            assert!(status < 500, "{role}: {method} {path} answered {status}");
            if may {
                assert_ne!(status, 403, "{role} must be allowed {method} {path}");
                assert_ne!(status, 401, "{role} must be signed in for {method} {path}");
            } else {
                assert_eq!(status, 403, "{role} must be refused {method} {path}");
            }
        }
    }
});

// Issue 12 (seen walking the demo): the administrator, who works in no store, was offered the
// store's own pages (queue, escalations, events, letter templates, absences), each an error.
both_backends!(every_link_in_every_roles_menu_opens_a_page, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    let roles = ["clerk", "supervisor", "auditor", "admin"];
    for r in roles {
        env.user(r, r);
    }
    let app = env.spawn();
    for role in roles {
        let mut web = Browser::new(&app);
        assert_eq!(web.login(role).status, 303);
        let home = web.get("/").body;
        let nav = &home[home.find("<nav").expect("a menu")..];
        let nav = &nav[..nav.find("</nav>").expect("the menu's end")];
        let links: Vec<&str> = nav
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(links.len() >= 3, "{role}: {links:?}");
        for link in links {
            let r = web.get(link);
            assert_eq!(r.status, 200, "{role}: {link} answered {}", r.status);
        }
    }
});

// Issue 15: a role the code does not know is an error where the row is read, never a silent
// clerk (accounts' login once fell back to `Role::Clerk`).
both_backends!(
    an_unknown_role_in_the_database_is_refused_not_read_as_a_clerk,
    |b| {
        use diesel::RunQueryDsl;
        let env = TestEnv::new(b, "2026-11-20");
        let id = env.user("odd", "clerk");
        env.with(|c| {
            diesel::sql_query(format!("UPDATE users SET role = 'boss' WHERE id = {id}"))
                .execute(c)
                .expect("update")
        });
        let read = env.with(|c| aftercare::models::user::by_id(c, id));
        let err = format!("{:?}", read.expect_err("an unknown role is an error"));
        assert!(
            err.contains("role") && err.contains("is not a known Role"),
            "{err}"
        );
        let app = env.spawn();
        let mut web = Browser::new(&app);
        let r = web.login("odd");
        assert_ne!(r.status, 303, "no session for an unknown role");
        let queue = web.get("/queue").status;
        assert!(queue == 303 || queue == 401, "signed out, not in: {queue}");
    }
);
