//! `aftercare summary monthly|yearly PERIOD` (R10: the figures as JSON, HTML or CSV) and
//! `aftercare summary rebuild` (the counters recomputed from the rows).

use super::*;

/// `aftercare summary monthly|yearly PERIOD [--format json|html|csv] [--store CODE]`: the
/// filed version when there is one, else the live draft; exit 2 on a bad period, format or
/// store.
pub(super) fn summary(
    cli: &Cli,
    kind: crate::domain::summary::Kind,
    period: &str,
    format: &str,
    store: Option<&str>,
) -> Result<(), Fail> {
    use crate::domain::error::FieldError;
    use crate::services::summaries as svc;
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    let mut errs = FieldErrors::default();
    let p = errs.take(crate::domain::summary::Period::parse(
        kind,
        period,
        ctx.clock.today(),
    ));
    if !["json", "html", "csv"].contains(&format) {
        errs.push(FieldError::new("format", "summary-format-unknown").arg("value", format));
    }
    if !errs.is_empty() {
        return Err(Fail(2, errors_text(&l, &errs)));
    }
    let p = p.expect("checked");
    let mut c = conn(&pool)?;
    let store_id = svc::store_for(&mut c, &Actor::cli(), store).map_err(|e| fail(&ctx, e))?;
    let out = match format {
        "json" => {
            let contract = svc::contract(&mut c, &ctx, store_id, p).map_err(|e| fail(&ctx, e))?;
            serde_json::to_string_pretty(&contract).context("json")? + "\n"
        }
        _ => {
            let view = svc::view(&mut c, &ctx, store_id, p, None).map_err(|e| fail(&ctx, e))?;
            if format == "csv" {
                String::from_utf8(svc::clerks_csv(&view.snapshot, &l)?).context("csv")?
            } else {
                let templates = crate::web::render::Templates::load()?;
                crate::web::summaries::print_html(
                    &templates,
                    &l,
                    &view,
                    kind,
                    &ctx.clock,
                    "cli",
                    &ctx.clock.now_local().format("%Y-%m-%d %H:%M").to_string(),
                )?
            }
        }
    };
    print!("{out}");
    Ok(())
}

/// `aftercare summary rebuild [--from YYYY-MM]`: the summaries' counters recomputed from the
/// rows; exit 2 on a bad month.
pub(super) fn summary_rebuild(cli: &Cli, from: Option<&str>) -> Result<(), Fail> {
    use crate::domain::summary::{Kind, Period};
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    let from = match from {
        None => None,
        Some(f) => {
            let mut errs = FieldErrors::default();
            let p = errs.take(Period::parse(Kind::Monthly, f, ctx.clock.today()));
            if !errs.is_empty() {
                return Err(Fail(2, errors_text(&l, &errs)));
            }
            p
        }
    };
    let mut c = conn(&pool)?;
    let n = crate::services::summaries::rebuild(&mut c, &ctx, &Actor::cli(), from)
        .map_err(|e| fail(&ctx, e))?;
    println!(
        "{}",
        I18N.t_args(&l, "summary-rebuilt", &[("count", n.to_string())])
    );
    Ok(())
}
