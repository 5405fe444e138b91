//! `aftercare verify` (R11: numbering, hash chains, the audit log, anonymisations, summary
//! counters, and heads kept outside) and `aftercare heads`.

use super::*;

/// `aftercare verify [--heads FILE]`: exit 1 and every finding, each naming what was touched.
pub(super) fn verify(cli: &Cli, heads: Option<&std::path::Path>) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    // The file is read first: a file that is not heads is bad input (exit 2), checked nothing.
    let given = match heads {
        None => vec![],
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Fail(2, format!("{}: {e}", path.display())))?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Fail(2, format!("{}: {e}", path.display())))?;
            crate::registers::heads::parse(&v)
                .map_err(|e| Fail(2, format!("{}: {e}", path.display())))?
        }
    };
    let mut c = conn(&pool)?;
    let run = |c: &mut db::DbConn| -> diesel::QueryResult<_> {
        let mut broken = crate::registers::verify::verify(c)?;
        broken.extend(crate::registers::heads::check(c, &given)?);
        // R10: the summaries' counters against the rows they count.
        for (table, d) in crate::models::summary::disagreements(c, 100)? {
            broken.push(crate::registers::chain::Broken::new(
                table,
                format!("{}: rows {}, counter {}", d.key, d.from_rows, d.kept),
                "summary-counter-mismatch",
            ));
        }
        // X7: each visit's neighbour dates (migration 000017) against the visits.
        for id in crate::models::visit::neighbour_disagreements(c, 100)? {
            broken.push(crate::registers::chain::Broken::new(
                "visits",
                format!("visit {id}"),
                "visit-neighbours-mismatch",
            ));
        }
        Ok(broken)
    };
    let broken = run(&mut c).map_err(|e| Fail(1, format!("verify: {e}")))?;
    if broken.is_empty() {
        println!("{}", I18N.t(&l, "verify-ok"));
        if heads.is_some() {
            println!(
                "{}",
                I18N.t_args(&l, "verify-heads-ok", &[("count", given.len().to_string())])
            );
        }
        return Ok(());
    }
    for b in &broken {
        println!(
            "{}",
            I18N.t_args(
                &l,
                "verify-broken",
                &[
                    ("register", b.register.to_string()),
                    ("line", b.number.clone()),
                    ("reason", I18N.t(&l, &format!("verify-{}", b.reason)))
                ]
            )
        );
    }
    Err(Fail(
        1,
        I18N.t_args(&l, "verify-failed", &[("count", broken.len().to_string())]),
    ))
}

/// `aftercare heads`: every chain's head now, as JSON (CONTRACT.md).
pub(super) fn heads(cli: &Cli) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let mut c = conn(&pool)?;
    let heads =
        crate::registers::heads::current(&mut c).map_err(|e| Fail(1, format!("heads: {e}")))?;
    let out = serde_json::json!({
        "taken_at": ctx.clock.now_local().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "heads": heads,
    });
    println!("{}", serde_json::to_string_pretty(&out).context("json")?);
    Ok(())
}
