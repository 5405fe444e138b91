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
