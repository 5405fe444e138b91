//! The administrator's commands: `migrate`, `store add`, `user add` (the password read from
//! standard input), `user disable`, `token create` and `jobs run`.

use super::*;

pub(super) fn migrate(cli: &Cli) -> Result<(), Fail> {
    let (_, ctx) = open(cli)?;
    say(
        &ctx,
        "cli-migrated",
        &[("url", db::redact(&cli.database_url))],
    );
    Ok(())
}

pub(super) fn store_add(cli: &Cli, code: &str, name: &str) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let mut conn = conn(&pool)?;
    crate::services::stores::add(&mut conn, &ctx, &Actor::cli(), code, name, None)
        .map_err(|e| fail(&ctx, e))?;
    say(&ctx, "cli-store-added", &[("code", code.to_string())]);
    Ok(())
}

pub(super) fn user_add(
    cli: &Cli,
    name: &str,
    role: &str,
    store: &Option<String>,
    display_name: &Option<String>,
) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .with_context(|| I18N.t(lang(&ctx), "cli-password-unreadable"))?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    let input = accounts::UserInput {
        username: name.to_string(),
        display_name: display_name.clone().unwrap_or_default(),
        role: role.to_string(),
        store: store.clone(),
        password,
    };
    let mut conn = conn(&pool)?;
    accounts::create_user(&mut conn, &ctx, &Actor::cli(), &input).map_err(|e| fail(&ctx, e))?;
    let role_name = I18N.t(lang(&ctx), &format!("role-{role}"));
    say(
        &ctx,
        "cli-user-created",
        &[("name", name.to_string()), ("role", role_name)],
    );
    Ok(())
}

pub(super) fn user_disable(cli: &Cli, name: &str) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    accounts::disable_user(&mut *conn(&pool)?, &ctx, &Actor::cli(), name)
        .map_err(|e| fail(&ctx, e))?;
    say(&ctx, "cli-user-disabled", &[("name", name.to_string())]);
    Ok(())
}

pub(super) fn token_create(cli: &Cli, name: &str, label: &str) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let token = accounts::create_token(&mut *conn(&pool)?, &ctx, &Actor::cli(), name, label)
        .map_err(|e| fail(&ctx, e))?;
    println!("{token}");
    Ok(())
}

pub(super) fn jobs_run(cli: &Cli) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let done = crate::jobs::run_due(&pool, &ctx)?;
    if done.is_empty() {
        say(&ctx, "cli-no-job-due", &[]);
    }
    for (job, result) in done {
        println!("{job}: {}", I18N.done(lang(&ctx), &result));
    }
    Ok(())
}
