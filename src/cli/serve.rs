//! `aftercare serve`: the web app on its address, with demo data if asked, the scheduler
//! and the WAL checkpointer beside it; a clean stop on Ctrl-C or SIGTERM.

use super::*;

pub(super) fn serve(cli: &Cli, bind: &str, demo: bool) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    if demo {
        let mut c = conn(&pool)?;
        let loaded = services::demo::load(&mut c, &ctx)?;
        say(
            &ctx,
            if loaded {
                "cli-demo-loaded"
            } else {
                "cli-demo-not-loaded"
            },
            &[],
        );
        say(&ctx, "cli-demo-logins", &[]);
        for (u, p, r) in services::demo::logins()? {
            println!("  {u:<10} {p:<22} {r}");
        }
    }
    if let Some(d) = ctx.clock.fixed() {
        say(&ctx, "cli-date-fixed", &[("date", d.to_string())]);
    }
    crate::jobs::spawn(pool.clone(), ctx.clone());
    db::spawn_checkpointer(&cli.database_url);
    let stopped = I18N.t(lang(&ctx), "cli-stopped");
    let rt = actix_web::rt::System::new();
    rt.block_on(async move {
        let app = crate::web::Application::build(pool, ctx, bind)?;
        println!("listening on http://{}", app.addr);
        // SIGTERM and SIGINT stop the server gracefully (actix-web): requests under way end,
        // then the pool's connections close.
        app.server.await.context("server")?;
        Ok::<(), anyhow::Error>(())
    })?;
    // At shutdown the WAL is copied back and cut to nothing: the database is one file again.
    if let Some(path) = db::sqlite_path(&cli.database_url) {
        db::checkpoint(&path, true, 5000).map_err(|e| Fail(1, format!("checkpoint: {e}")))?;
        println!("{stopped}");
    }
    Ok(())
}
