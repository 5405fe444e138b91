//! Issue 12, the seams between the rules: invisible characters refused on every surface, the
//! customer search normalising phones and plates like the visit matching.

use crate::both_backends;
use crate::cli::HEADER;
use crate::count_rows;
use crate::helpers::*;
use serde_json::json;

both_backends!(
    r11_nul_and_invisible_control_characters_are_refused_on_the_api_the_form_and_the_import,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("sup"));
        // The API: 422 naming the field and the character.
        for (field, bad) in [
            ("customer_name", "王\u{202e}伟"),
            ("address", "上海\u{0}市"),
            ("vehicle_model", "朗\u{85}逸"),
            ("customer_name", "王\n伟"),
        ] {
            let mut body = visit_json("13812345678", "沪A·12345", "2026-11-19T09:30");
            body[field] = json!(bad);
            let r = api.post("/api/v1/visits", body);
            assert_eq!(r.status, 422, "{field}: {}", r.body);
            let e = &r.json()["error"];
            assert_eq!(e["field"], field, "{}", r.body);
            assert_eq!(e["code"], "control-char", "{}", r.body);
        }
        // Items are several lines at most, never a NUL.
        let mut body = visit_json("13812345678", "沪A·12345", "2026-11-19T09:30");
        body["items"] = json!(["换机油\u{0}"]);
        assert_eq!(api.post("/api/v1/visits", body).status, 422);
        assert_eq!(count_rows!(env, customers), 0, "nothing written");

        // The form: the error next to the field, what was typed given back.
        let mut web = Browser::new(&app);
        web.login("sup");
        web.get("/visits/new");
        let r = web.post(
            "/visits",
            &[
                ("kind", "repair"),
                ("customer_name", "王伟\u{2066}"),
                ("phone", "13812345678"),
                ("plate", "沪A·12345"),
                ("checked_in_at", "2026-11-19T08:00"),
                ("items", "更换刹车片\n四轮定位"),
            ],
        );
        assert_eq!(r.status, 422, "{}", r.text());
        assert!(
            r.text().contains("不可见的控制字符（U+2066"),
            "{}",
            r.text()
        );
        assert!(r.body.contains("13812345678"), "the phone typed is kept");
        assert_eq!(count_rows!(env, customers), 0, "nothing written");

        // The import: the row rejected with its reason, the others imported.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dms.csv");
        std::fs::write(
            &file,
            format!(
                "{HEADER}\n\
                 D-1,repair,李\u{0}娜,13812345671,,沪A·11111,,,2026-11-18T09:00,,,,,,,\n\
                 D-2,repair,李娜,13812345672,,沪A·22222,,,2026-11-18T09:00,,,,,,,\n"
            ),
        )
        .unwrap();
        let (code, out, err) = cli(
            &env.db,
            "2026-11-20",
            &["import", "visits", file.to_str().unwrap()],
            None,
        );
        assert_eq!(code, 2, "{out}{err}");
        assert!(out.contains("导入 1 条，更新 0 条，拒绝 1 条"), "{out}");
        let rejects = std::fs::read_to_string(dir.path().join("dms.rejects.csv")).unwrap();
        assert!(rejects.contains("U+0000"), "{rejects}");
    }
);

both_backends!(
    customer_search_by_phone_and_plate_normalises_like_the_visit_matching,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("sup"));
        let mut body = visit_json("18571464047", "沪A·12345", "2026-11-19T09:30");
        body["customer_name"] = json!("李超");
        assert_eq!(api.post("/api/v1/visits", body).status, 201);
        let mut web = Browser::new(&app);
        web.login("sup");
        for q in [
            "18571464047",
            "+86 185 7146 4047",
            "+8618571464047",
            "１８５７１４６４０４７",
            "185-7146-4047",
            "沪a12345",
            "沪A·12345",
            "沪Ａ１２３４５",
        ] {
            let page = web.get(&format!("/customers?mine=0&q={}", urlencode(q)));
            assert!(page.text().contains("李超"), "{q}: {}", page.text());
        }
        let page = web.get(&format!("/customers?mine=0&q={}", urlencode("+86 139")));
        assert!(!page.text().contains("李超"), "another number");
    }
);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
