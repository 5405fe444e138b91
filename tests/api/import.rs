//! The DMS import beyond plain UTF-8 CSV (issue 12 item 15, issue 13 item 8): GB18030/GBK
//! files, Excel workbooks (.xlsx, .xls), rejects files that never run a formula, and dry runs.

use crate::cli::{visits_count, HEADER};
use crate::helpers::*;
use crate::{both_backends, count_rows};
use aftercare::models::{customer, visit};

fn import(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["import", "visits"];
    all.extend_from_slice(args);
    cli(&env.db, "2026-11-20", &all, None)
}

both_backends!(import_reads_gb18030_detected_or_named_and_says_which, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
            "{HEADER}\nD-1,repair,王伟,13812345678,上海市徐汇区,沪A·12345,大众朗逸,轿车,2026-11-18T09:00,,更换刹车片,,,,,\n"
        );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let file = dir.path().join("gbk.csv");
    std::fs::write(&file, &gbk).unwrap();
    let (code, out, err) = import(&env, &[file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("按 GB18030 读取（自动识别）"), "{out}");
    assert!(out.contains("导入 1 条"), "{out}");
    env.with(|c| {
        let cust = customer::by_phone(c, 1, "13812345678").unwrap().unwrap();
        assert_eq!(cust.name, "王伟");
        assert_eq!(cust.address.as_deref(), Some("上海市徐汇区"));
    });
    let (code, out, err) = import(&env, &[file.to_str().unwrap(), "--encoding", "gb18030"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("按 GB18030 读取（按指定）") && out.contains("更新 1 条"),
        "{out}"
    );
    // Named wrongly: refused as a whole, naming the line.
    let (code, _, err) = import(&env, &[file.to_str().unwrap(), "--encoding", "utf-8"]);
    assert_eq!(code, 2);
    assert!(err.contains("第 2 行起"), "{err}");
    // UTF-8 with a BOM is detected as UTF-8.
    let utf8 = dir.path().join("bom.csv");
    std::fs::write(
        &utf8,
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    let (code, out, _) = import(&env, &[utf8.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("按 UTF-8 读取（自动识别）"), "{out}");
    assert!(out.contains("再次导入同一文件"), "what a rerun does: {out}");
    assert_eq!(visits_count(&env), 1);
});

/// A workbook as a dealer system writes it: the phone and odometer as numbers, times and
/// dates as Excel dates, a notes sheet first when `notes_first`.
fn workbook(path: &std::path::Path, notes_first: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    if notes_first {
        wb.add_worksheet()
            .set_name("说明")
            .unwrap()
            .write_string(0, 0, "导出说明")
            .unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("visits").unwrap();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let at = |s: &str| ExcelDateTime::parse_from_str(s).unwrap();
    // D-1: good. D-2: a bad phone. D-3: a formula-looking name and a bad kind.
    let rows: [(&str, &str, &str, f64); 3] = [
        ("D-1", "maintenance", "王伟", 13812345678.0),
        ("D-2", "repair", "李娜", 12345.0),
        (
            "D-3",
            "wash",
            "=HYPERLINK(\"http://x\",\"点我\")",
            13800000003.0,
        ),
    ];
    for (i, (id, kind, name, phone)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *kind).unwrap();
        ws.write_string(r, 2, *name).unwrap();
        ws.write_number(r, 3, *phone).unwrap();
        ws.write_string(r, 5, "沪A·12345").unwrap();
        ws.write_datetime_with_format(r, 8, at("2026-11-18 09:00:00"), &date)
            .unwrap();
        ws.write_datetime_with_format(r, 9, at("2026-11-18 17:30:00"), &date)
            .unwrap();
        ws.write_string(r, 10, "更换机油;四轮定位").unwrap();
        ws.write_number(r, 11, 180).unwrap();
        ws.write_number(r, 12, 5000).unwrap();
        ws.write_datetime_with_format(r, 13, at("2027-05-17"), &day)
            .unwrap();
        ws.write_number(r, 15, 20000).unwrap();
    }
    wb.save(path).unwrap();
}

both_backends!(
    import_reads_a_workbook_with_excel_numbers_and_dates_and_neutralises_rejects,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dms.xlsx");
        workbook(&file, false);
        let (code, out, err) = import(&env, &[file.to_str().unwrap()]);
        assert_eq!(code, 2, "two rows rejected: {out}{err}");
        assert!(out.contains("读取工作表“visits”"), "{out}");
        assert!(out.contains("导入 1 条，更新 0 条，拒绝 2 条"), "{out}");
        env.with(|c| {
            let cust = customer::by_phone(c, 1, "13812345678").unwrap().unwrap();
            let v = visit::of_customer(c, cust.id).unwrap();
            assert_eq!(v.len(), 1);
            assert_eq!(v[0].odometer_km, Some(20000));
            // 09:00 in Shanghai, stored in UTC.
            assert_eq!(v[0].checked_in_at.to_string(), "2026-11-18 01:00:00");
            assert_eq!(
                v[0].next_maintenance_date.map(|d| d.to_string()).as_deref(),
                Some("2027-05-17")
            );
        });
        let rejects = std::fs::read(dir.path().join("dms.rejects.csv")).unwrap();
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(rejects.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!((rows[1][0].as_str(), rows[1][2].as_str()), ("3", "D-2"));
        assert_eq!(rows[1][5], "12345", "the number as Excel stores it");
        assert_eq!(rows[2][0], "4");
        assert_eq!(
            rows[2][4], "'=HYPERLINK(\"http://x\",\"点我\")",
            "a formula cell is neutralised in the rejects file"
        );
        // The sheet by name; an unknown sheet is named.
        let named = dir.path().join("named.xlsx");
        workbook(&named, true);
        let (code, _, err) = import(&env, &[named.to_str().unwrap(), "--sheet", "nope"]);
        assert_eq!(code, 2);
        assert!(
            err.contains("nope") && err.contains("说明, visits"),
            "{err}"
        );
        let (code, out, err) = import(&env, &[named.to_str().unwrap()]);
        assert_eq!(code, 2, "the first sheet has no header: {out}{err}");
        assert!(err.contains("缺少标题行"), "{err}");
        let (_, out, _) = import(&env, &[named.to_str().unwrap(), "--sheet", "visits"]);
        assert!(out.contains("导入 0 条，更新 1 条，拒绝 2 条"), "{out}");
        assert_eq!(visits_count(&env), 1);
    }
);

both_backends!(
    import_dry_run_checks_every_row_and_writes_nothing_but_the_rejects,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dms.csv");
        std::fs::write(
            &file,
            format!(
                "{HEADER}\n\
                 D-1,maintenance,王伟,13812345678,,沪A·12345,,,2026-11-18T09:00,2026-11-18T17:00,,,,,,\n\
                 D-2,repair,李娜,12345,,,,,2026-11-18T09:00,,,,,,,\n"
            ),
        )
        .unwrap();
        let audit_before = count_rows!(env, audit_log);
        let (code, out, err) = import(&env, &[file.to_str().unwrap(), "--dry-run"]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(
            out.contains("试运行，未写入任何数据：将导入 1 条，更新 0 条，拒绝 1 条"),
            "{out}"
        );
        assert!(dir.path().join("dms.rejects.csv").exists());
        assert_eq!(visits_count(&env), 0, "nothing written");
        assert_eq!(count_rows!(env, customers), 0);
        assert_eq!(count_rows!(env, tasks), 0);
        assert_eq!(count_rows!(env, audit_log), audit_before);
        let (code, out, _) = import(&env, &[file.to_str().unwrap()]);
        assert_eq!(code, 2);
        assert!(out.contains("导入 1 条，更新 0 条，拒绝 1 条"), "{out}");
    }
);

// Issue 14: the bulk path against the row path -------------------------------------------

/// A DMS file of `n` rows with everything the matching has to get right: customers seen again
/// (in the database and earlier in the file), names and addresses that change, updates by
/// `external_id`, plates that move to another customer, readings that go back (X3), kinds
/// that change, two stores and an unknown one, advisors, consultations, and bad rows. Rows
/// that the row path rejects after writing (a reading that goes back, a changed kind) repeat
/// a customer and vehicle already there, so that PostgreSQL's sequences (which a rolled-back
/// savepoint does not give back) number both databases alike.
fn dms_file(n: usize, seed: u64, ext_prefix: &str) -> String {
    let mut x = seed;
    let mut rnd = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let header = "external_id,kind,customer_name,phone,address,plate,vehicle_model,vehicle_type,\
                  checked_in_at,picked_up_at,items,maintenance_interval_days,maintenance_interval_km,\
                  next_maintenance_date,desired_services,odometer_km,store,advisor";
    let mut out = vec![header.to_string()];
    let names = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆"];
    let kinds = ["repair", "maintenance", "consultation"];
    // Rows that look accepted so far: (external id, kind, phone, plate, day, store), and the
    // name each phone was given last.
    let mut seen: Vec<(String, &str, String, String, u32, &str)> = Vec::new();
    let mut current: std::collections::HashMap<String, String> = Default::default();
    for i in 0..n {
        let store = match rnd(20) {
            0 => "nope",
            1..=6 => "pudong",
            _ => "main",
        };
        let day = 1 + rnd(45) as u32; // 2026-10-01 + day
        let date = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
            + chrono::Days::new(u64::from(day));
        let hour = 8 + rnd(9);
        let trap = rnd(12);
        let pick = if seen.is_empty() {
            None
        } else {
            Some(seen[rnd(seen.len() as u64) as usize].clone())
        };
        if let Some((ext, kind, phone, plate, d0, st)) =
            pick.filter(|p| trap < 2 && !p.3.is_empty())
        {
            let name = &current[&format!("{st}/{phone}")];
            let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
                + chrono::Days::new(u64::from(d0 + 1));
            if trap == 0 {
                // A reading lower than the one before, same customer and car, a day later.
                out.push(format!(
                    ",{kind},{name},{phone},,{plate},,,{d}T10:00,,,,,,,5,{st},"
                ));
            } else {
                // The same external id with another kind.
                let other = if kind == "repair" {
                    "maintenance"
                } else {
                    "repair"
                };
                out.push(format!(
                    "{ext},{other},{name},{phone},,{plate},,,{d}T09:00,,,,,,,,{st},"
                ));
            }
            continue;
        }
        let phone = format!("139{:08}", rnd(90));
        let usual = names[(phone.bytes().map(usize::from).sum::<usize>()) % names.len()];
        let name = if rnd(5) == 0 {
            names[rnd(names.len() as u64) as usize]
        } else {
            usual
        };
        let address = if rnd(4) == 0 {
            format!(
                "上海市{}路{}号",
                ["徐汇", "黄浦", "浦东"][rnd(3) as usize],
                rnd(99)
            )
        } else {
            String::new()
        };
        let ext = if rnd(10) == 0 {
            String::new()
        } else {
            format!("{ext_prefix}{}", rnd(n as u64 * 2 / 3))
        };
        // A kind per external id, so repeats update rather than conflict.
        let kind = if ext.is_empty() {
            kinds[rnd(3) as usize]
        } else {
            kinds[ext.bytes().map(u64::from).sum::<u64>() as usize % 3]
        };
        let plate = if kind == "consultation" && rnd(2) == 0 {
            String::new()
        } else {
            format!("沪A·{:05}", rnd(110))
        };
        let picked = if kind != "consultation" && rnd(3) != 0 {
            format!("{date}T{:02}:30", hour + 2)
        } else {
            String::new()
        };
        // Readings that only grow with the date for a plate: no accidental rejects.
        let km = if !plate.is_empty() && rnd(3) != 0 {
            let base: u32 = plate.bytes().map(u32::from).sum();
            (base * 100 + day * 40).to_string()
        } else {
            String::new()
        };
        let advisor = ["", "", "张师傅", "无名氏"][rnd(4) as usize];
        let interval = if rnd(2) == 0 { "180" } else { "" };
        let mut row = format!(
            "{ext},{kind},{name},{phone},{address},{plate},大众朗逸,轿车,{date}T{hour:02}:00,{picked},\
             更换机油;四轮定位,{interval},5000,,,{km},{store},{advisor}"
        );
        match rnd(25) {
            0 => row = row.replace(&phone, "12345"),
            1 => row = row.replace(&format!("{date}T{hour:02}:00"), "2026-12-30T09:00"),
            2 => row = format!("{row},extra"),
            _ => {
                if store != "nope" {
                    seen.push((ext.clone(), kind, phone.clone(), plate.clone(), day, store));
                    current.insert(format!("{store}/{phone}"), name.to_string());
                }
            }
        }
        if i % 97 == 50 {
            out.push(String::new());
        }
        out.push(row);
    }
    out.join("\n") + "\n"
}

/// Every table's rows as text, in a fixed order. Left out: what two databases made the same
/// way cannot share — the migrations' run times, the `main` store's creation time (setup
/// reads the system clock), password hashes (salted); a queue version counts writes (the
/// bulk path writes a row seen again once), so only whether it moved is compared; a summary
/// counter that went to 0 (a visit's advisor changed after its task was counted on the row
/// path) is the same figure as no counter.
fn database_rows(env: &TestEnv) -> Vec<(String, Vec<String>)> {
    use diesel::prelude::*;
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    env.with(|c| {
        let sqlite = c.is_sqlite();
        let tables: Vec<Text> = diesel::sql_query(if sqlite {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        } else {
            "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        })
        .load(c)
        .unwrap();
        let mut out = Vec::new();
        for table in tables.into_iter().map(|t| t.t) {
            if table == "__diesel_schema_migrations" {
                continue;
            }
            let cols: Vec<Text> = diesel::sql_query(if sqlite {
                format!("SELECT name AS t FROM pragma_table_info('{table}') ORDER BY cid")
            } else {
                format!(
                    "SELECT column_name::text AS t FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position"
                )
            })
            .load(c)
            .unwrap();
            let exprs: Vec<String> = cols
                .into_iter()
                .map(|c| c.t)
                .filter(|col| {
                    !(table == "stores" && col == "created_at"
                        || table == "users" && col == "password_hash")
                })
                .map(|col| {
                    if table == "queue_versions" && col == "version" {
                        "(version > 0)".to_string()
                    } else {
                        format!("\"{col}\"")
                    }
                })
                .collect();
            let filter = if table.starts_with("summary_") && table.ends_with("_counts") {
                " WHERE n <> 0"
            } else {
                ""
            };
            let sql = if sqlite {
                format!("SELECT json_array({}) AS t FROM \"{table}\"{filter} ORDER BY 1", exprs.join(", "))
            } else {
                format!(
                    "SELECT json_build_array({})::text AS t FROM \"{table}\"{filter} ORDER BY 1",
                    exprs.join(", ")
                )
            };
            let rows: Vec<Text> = diesel::sql_query(&sql)
                .load(c)
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            out.push((table, rows.into_iter().map(|r| r.t).collect()));
        }
        out
    })
}

both_backends!(
    r1_r2_r4_x3_bulk_import_writes_what_the_row_path_writes,
    |b| {
        use aftercare::services::import::{self, File, Options};
        let base = dms_file(150, 7, "H-");
        let file = dms_file(500, 11, "E-");
        let mut reports = Vec::new();
        let mut dumps = Vec::new();
        for row_by_row in [true, false] {
            let env = TestEnv::new(b, "2026-11-20");
            for c in ["c1", "c2", "c3"] {
                env.user(c, "clerk");
            }
            env.with(|c| {
                let cli = aftercare::services::Actor::cli();
                aftercare::services::stores::add(c, &env.ctx, &cli, "pudong", "浦东店", None)
                    .unwrap();
                aftercare::services::advisors::add(c, &env.ctx, &cli, "张师傅", Some("main"))
                    .unwrap();
            });
            for p in ["p1", "p2"] {
                env.user_in(p, "clerk", Some("pudong"));
            }
            let run = |text: &str, row_by_row: bool, dry_run: bool| {
                env.with(|c| {
                    import::import(
                        c,
                        &env.ctx,
                        &aftercare::services::Actor::cli(),
                        File::Csv {
                            bytes: text.as_bytes(),
                            encoding: None,
                        },
                        Options {
                            dry_run,
                            row_by_row,
                        },
                    )
                    .unwrap()
                })
            };
            // What is already there: the same history on both, row by row.
            run(&base, true, false);
            let before = database_rows(&env);
            let dry = run(&file, row_by_row, true);
            assert_eq!(database_rows(&env), before, "a dry run writes nothing");
            let report = run(&file, row_by_row, false);
            assert_eq!(
                (dry.imported, dry.updated, dry.rejected.len()),
                (report.imported, report.updated, report.rejected.len()),
                "a dry run says what the import does"
            );
            let rejected: Vec<(u64, Vec<(String, &str)>)> = report
                .rejected
                .iter()
                .map(|r| {
                    (
                        r.line,
                        r.errors
                            .0
                            .iter()
                            .map(|e| (e.field.clone(), e.code))
                            .collect(),
                    )
                })
                .collect();
            reports.push((report.imported, report.updated, format!("{rejected:?}")));
            dumps.push(database_rows(&env));
        }
        let (row, bulk) = (&reports[0], &reports[1]);
        assert_eq!(
            row, bulk,
            "the same report, rejects with the same lines and errors"
        );
        assert!(row.0 > 100 && row.1 > 20, "new rows and updates: {row:?}");
        for code in [
            "odometer-lower",
            "kind-changed",
            "store-unknown",
            "phone-invalid",
            "row-width",
        ] {
            assert!(row.2.contains(code), "the file exercises {code}: {}", row.2);
        }
        for ((table, r), (_, b)) in dumps[0].iter().zip(&dumps[1]) {
            assert!(
                r == b,
                "{table}: {} rows row by row, {} in bulk; first difference: {:?}",
                r.len(),
                b.len(),
                r.iter().zip(b).find(|(x, y)| x != y)
            );
        }
        assert_eq!(dumps[0].len(), dumps[1].len());
    }
);
