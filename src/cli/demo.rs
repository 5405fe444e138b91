//! `aftercare demo generate`: the synthetic history for scale tests and benchmarks, and what
//! it reports (rows per table, where the time went, the logins).

use super::*;

pub(super) fn generate(cli: &Cli, opts: crate::generate::Options) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    // The generator opens its own connections (SQLite: one, alone).
    drop(pool);
    let summary = crate::generate::generate(&cli.database_url, &ctx, &opts)
        .map_err(|e| Fail(2, format!("{e:#}")))?;
    print_generated(&ctx, &summary);
    Ok(())
}

/// What `demo generate` wrote, where the time went, and the logins, in the configured
/// language; table names are the schema's own.
pub(super) fn print_generated(ctx: &Ctx, summary: &crate::generate::Summary) {
    let l = lang(ctx);
    say(ctx, "cli-generate-rows", &[]);
    for (table, n) in &summary.rows {
        println!("  {table:<22} {n:>10}");
    }
    let secs = |s: f64| format!("{s:.1}");
    let p = &summary.phases;
    let tables = p
        .tables
        .iter()
        .map(|(t, s)| format!("{t} {}", secs(*s)))
        .collect::<Vec<_>>()
        .join(", ");
    say(
        ctx,
        "cli-generate-done",
        &[("seconds", secs(summary.seconds))],
    );
    say(
        ctx,
        "cli-generate-phases",
        &[
            ("simulate", secs(p.simulate)),
            ("write", secs(p.write)),
            ("tables", tables),
            ("indexes", secs(p.indexes)),
            ("counters", secs(p.counters)),
            ("counted", secs(p.counted)),
        ],
    );
    let logins = summary
        .logins
        .iter()
        .map(|(u, r)| format!("{u} ({})", I18N.t(l, &format!("role-{r}"))))
        .collect::<Vec<_>>()
        .join(", ");
    say(
        ctx,
        "cli-generate-logins",
        &[
            ("password", crate::generate::PASSWORD.to_string()),
            ("logins", logins),
        ],
    );
}
