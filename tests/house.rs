//! The shape of the house, held by tests (DESIGN.md; issue 15). These read the source, not the
//! running program: data flows one way (`web → services → models → db`), `domain` holds pure
//! rules without I/O, no two modules import each other (directly or round a longer loop), and
//! the README's rules matrix points from every rule id to code and to tests named after it.
//!
//! A module is a file (`src/web/home.rs` is `web::home`; `src/services/mod.rs` is `services`).
//! A reference is a `crate::…` or `super::…` path in code (comments, strings and the
//! `#[cfg(test)] mod tests` block left out). A child using its own parent (`super::State`, the
//! shared types of a `mod.rs`) is the frame the parent gives it, not a dependency, so it is not
//! counted; everything else is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of `src/` with its code (comments, strings and tests removed).
fn modules() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                out.insert(module_name(&root, &path), code_only(&text));
            }
        }
    }
    out
}

fn module_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The newlines of `b[from..to]`, so that what is left out keeps the file's line numbers.
fn newlines(b: &[u8], from: usize, to: usize) -> String {
    "\n".repeat(
        b[from..to.min(b.len())]
            .iter()
            .filter(|&&c| c == b'\n')
            .count(),
    )
}

/// The code of a file without comments, string and char literals, and its test module; each
/// line stays on its own line number.
fn code_only(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let from = i;
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                out.push_str(&newlines(b, from, i));
            }
            b'r' if b.get(i + 1) == Some(&b'#') || (b.get(i + 1) == Some(&b'"')) => {
                // A raw string r"…" or r#"…"#: skip to the closing quote and hashes.
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') || (i > 0 && is_ident(b[i - 1])) {
                    out.push('r');
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= b.len() {
                        break;
                    }
                    if b[j] == b'"' && b[j + 1..].iter().take(hashes).all(|&c| c == b'#') {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                out.push_str(&newlines(b, i, j));
                i = j;
            }
            b'"' => {
                let from = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
                out.push_str(&newlines(b, from, i));
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}') — not a lifetime ('a).
                let end = if b.get(i + 1) == Some(&b'\\') {
                    b[i + 2..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map(|p| i + 2 + p)
                } else if b.get(i + 2) == Some(&b'\'') {
                    Some(i + 2)
                } else {
                    // A multi-byte char: find the quote within 5 bytes.
                    b[i + 1..(i + 6).min(b.len())]
                        .iter()
                        .position(|&c| c == b'\'')
                        .filter(|&p| p > 1 && !b[i + 1].is_ascii())
                        .map(|p| i + 1 + p)
                };
                match end {
                    Some(e) => {
                        out.push_str("' '");
                        i = e + 1;
                    }
                    None => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            _ => {
                let ch_len = utf8_len(b[i]);
                out.push_str(&text[i..i + ch_len]);
                i += ch_len;
            }
        }
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Every path named after `crate::` or `super::` in `code`, made absolute from `module`.
fn paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    for (prefix, base) in [("crate::", vec![]), ("super::", parent(module))] {
        let mut from = 0;
        while let Some(p) = code[from..].find(prefix) {
            let at = from + p;
            from = at + prefix.len();
            if at > 0 && (is_ident(b[at - 1]) || b[at - 1] == b':') {
                continue;
            }
            let mut i = from;
            group(b, &mut i, base.clone(), &mut out);
        }
    }
    out
}

/// The module a `super::` in `module` names.
fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    parts.pop();
    parts
}

/// Reads `a::b::{c, d::e as f}` from `b[*i..]`, pushing each full path onto `out`.
fn group(b: &[u8], i: &mut usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    loop {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
        if b.get(*i) == Some(&b'{') {
            *i += 1;
            loop {
                group(b, i, prefix.clone(), out);
                while *i < b.len() && b[*i].is_ascii_whitespace() {
                    *i += 1;
                }
                match b.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b'}') => {
                        *i += 1;
                        return;
                    }
                    _ => return,
                }
                while *i < b.len() && b[*i].is_ascii_whitespace() {
                    *i += 1;
                }
                if b.get(*i) == Some(&b'}') {
                    *i += 1;
                    return;
                }
            }
        }
        let start = *i;
        while *i < b.len() && is_ident(b[*i]) {
            *i += 1;
        }
        if start == *i {
            out.push(prefix);
            return;
        }
        let seg = String::from_utf8_lossy(&b[start..*i]).to_string();
        if seg != "self" {
            prefix.push(seg);
        }
        if b.get(*i) == Some(&b':') && b.get(*i + 1) == Some(&b':') {
            *i += 2;
            continue;
        }
        // `as name` and anything after belongs to this path's use, not to the path.
        let rest = &b[*i..];
        let trimmed = rest
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(0);
        if rest[trimmed..].starts_with(b"as ") {
            *i += trimmed + 3;
            while *i < b.len() && b[*i].is_ascii_whitespace() {
                *i += 1;
            }
            while *i < b.len() && is_ident(b[*i]) {
                *i += 1;
            }
        }
        out.push(prefix);
        return;
    }
}

/// The longest known module that `path` starts with.
fn resolve(path: &[String], known: &BTreeSet<String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| known.contains(m))
}

fn is_ancestor(anc: &str, of: &str) -> bool {
    anc.is_empty() || of.starts_with(&format!("{anc}::"))
}

/// Module → the modules it uses (its own ancestors left out; see the module docs).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let known: BTreeSet<String> = mods.keys().cloned().collect();
    let mut g = BTreeMap::new();
    for (m, code) in &mods {
        let uses: BTreeSet<String> = paths(m, code)
            .iter()
            .filter_map(|p| resolve(p, &known))
            .filter(|to| to != m && !is_ancestor(to, m))
            .collect();
        g.insert(m.clone(), uses);
    }
    g
}

/// The references of `module` (and its submodules) to paths starting with `target`.
fn uses_of(prefix: &str, target: &str) -> Vec<String> {
    let mods = modules();
    let mut found = Vec::new();
    for (m, code) in &mods {
        if m != prefix && !m.starts_with(&format!("{prefix}::")) {
            continue;
        }
        for p in paths(m, code) {
            let joined = p.join("::");
            if joined == target || joined.starts_with(&format!("{target}::")) {
                found.push(format!("{m} uses crate::{joined}"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn house_web_imports_neither_models_nor_the_schema() {
    let mut found = uses_of("web", "models");
    found.extend(uses_of("web", "db::schema"));
    let mods = modules();
    for (m, code) in &mods {
        // The error policy is where a library's error gets its meaning: it names diesel's
        // `NotFound` to make it a 404. No other web module names diesel.
        if m.starts_with("web") && m != "web::error" && code.contains("diesel::") {
            found.push(format!("{m} uses diesel"));
        }
    }
    assert!(
        found.is_empty(),
        "web/ must call services, never models or the schema (DESIGN.md):\n{}",
        found.join("\n")
    );
}

/// Issue 15: the queries of `registers/` and `services/` live in `models/` — one data-access
/// layer. A module of either that names the schema or runs a query of its own fails.
#[test]
fn house_registers_and_services_leave_the_queries_to_models() {
    let mods = modules();
    let mut found = Vec::new();
    for (m, code) in &mods {
        if !(m.starts_with("registers") || m.starts_with("services")) {
            continue;
        }
        let schema = paths(m, code)
            .iter()
            .any(|p| p.join("::").starts_with("db::schema"));
        let queries = schema
            || [
                "diesel::sql_query",
                "diesel::update",
                "diesel::insert_into",
                "diesel::delete",
            ]
            .iter()
            .any(|q| code.contains(q));
        if queries {
            found.push(format!("{m} runs its own queries: move them to models/"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn house_domain_does_no_io_and_uses_nothing_but_itself() {
    let mods = modules();
    let mut found = Vec::new();
    for (m, code) in &mods {
        if !(m == "domain" || m.starts_with("domain::")) {
            continue;
        }
        for banned in [
            "diesel",
            "actix",
            "std::fs",
            "SystemTime",
            "std::net",
            "tokio",
        ] {
            if code.contains(banned) {
                found.push(format!("{m} uses {banned}"));
            }
        }
        for p in paths(m, code) {
            if p.first().is_some_and(|f| f != "domain") {
                found.push(format!("{m} uses crate::{}", p.join("::")));
            }
        }
    }
    assert!(
        found.is_empty(),
        "domain/ holds pure rules: no I/O, no framework, nothing outside domain:\n{}",
        found.join("\n")
    );
}

/// Tarjan's strongly connected components; every component of more than one module is a cycle.
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        let g = t.g;
        for w in g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !g.contains_key(w) {
                continue;
            }
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(lw));
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn house_no_two_modules_import_each_other_even_round_a_loop() {
    let g = graph();
    let found: Vec<String> = cycles(&g)
        .into_iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|a| {
                    g[a].iter()
                        .filter(|b| c.contains(b))
                        .map(move |b| format!("{a} → {b}"))
                })
                .collect();
            edges.join(", ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles (give the shared piece a module of its own):\n{}",
        found.join("\n")
    );
}

#[test]
fn house_the_cycle_finder_finds_a_loop_and_the_path_reader_reads_groups() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
    let code = code_only(
        "use crate::models::{call as c, task::{self, Task}};\n// crate::web::x\nlet s = \"crate::web\"; super::queue::page(); let c = '\"';",
    );
    let p: Vec<String> = paths("web::home", &code)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(
        p,
        vec![
            "models::call",
            "models::task",
            "models::task::Task",
            "web::queue::page"
        ]
    );
}

/// Which layer a module belongs to; a module may use its own layer and those below it.
fn layer(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or("");
    Some(match top {
        "domain" | "clock" | "i18n" | "digest" => 0,
        "config" => 1,
        "db" => 2,
        "models" => 3,
        "registers" => 4,
        "services" | "generate" => 5,
        "jobs" | "web" => 6,
        "cli" | "" => 7,
        _ => return None,
    })
}

#[test]
fn house_data_flows_one_way_from_web_and_cli_through_services_to_models_and_db() {
    let g = graph();
    let mut found = Vec::new();
    for (from, tos) in &g {
        let Some(lf) = layer(from) else {
            found.push(format!("{from} has no layer: add it to house.rs `layer`"));
            continue;
        };
        for to in tos {
            if layer(to).is_some_and(|lt| lt > lf) {
                found.push(format!("{from} uses {to}, a layer above it"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "web/cli → services → registers → models → db → config → domain:\n{}",
        found.join("\n")
    );
}

/// The rule ids of RULES.md, in its order.
fn rule_ids() -> Vec<String> {
    let rules =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/RULES.md"))
            .or_else(|_| std::fs::read_to_string("/work/shared/RULES.md"));
    let Ok(rules) = rules else {
        // RULES.md sits beside the repository; the README's matrix lists the same ids.
        return Vec::new();
    };
    rules
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .filter(|id| {
            // N1–N5 are the next-service plan's entries (R3), not rules of their own.
            id.len() <= 4
                && id.starts_with(['R', 'X'])
                && id[1..].chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .map(String::from)
        .collect()
}

fn matrix_rows() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("## Rules matrix")
        .expect("README has a rules matrix");
    readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| rule"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let first = l.trim_start_matches("| ").split(' ').next().unwrap_or("");
            (first.to_string(), l.to_string())
        })
        .collect()
}

/// Every `fn name` of the tests (integration tests and unit test modules).
fn test_names() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = BTreeSet::new();
    let mut stack = vec![root.join("src"), root.join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("fn ") {
                    let name: String = text[i + 3..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    names.insert(name);
                }
                // both_backends!(name, …) makes tests named after its first argument.
                for (i, _) in text.match_indices("both_backends!(") {
                    let name: String = text[i + 15..]
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    names.insert(name);
                }
            }
        }
    }
    names
}

#[test]
fn house_the_rules_matrix_has_one_row_per_rule_id_each_with_a_test_named_after_it() {
    let rows = matrix_rows();
    let names = test_names();
    let mut ids = rule_ids();
    if ids.is_empty() {
        // Without RULES.md beside the checkout, check the ids the matrix itself lists.
        ids = rows.iter().map(|(id, _)| id.clone()).collect();
        ids.dedup();
    }
    let mut found = Vec::new();
    for id in &ids {
        let n = rows.iter().filter(|(first, _)| first == id).count();
        if n != 1 {
            found.push(format!(
                "{id}: {n} rows in the README's rules matrix (one expected)"
            ));
        }
        let lower = id.to_lowercase();
        let named = names
            .iter()
            .any(|t| t.starts_with(&format!("{lower}_")) || t.contains(&format!("_{lower}_")));
        if !named {
            found.push(format!("{id}: no test named after it ({lower}_…)"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Each `path` in backticks in a matrix row (under `src/`, `tests/`, `templates/`, `benches/`
/// or `migrations/`, `*` standing for a backend).
fn matrix_paths(row: &str) -> Vec<String> {
    row.split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| {
            ["src/", "tests/", "templates/", "benches/", "migrations/"]
                .iter()
                .any(|p| t.starts_with(p))
        })
        .map(|t| t.replace("migrations/*/", "migrations/sqlite/"))
        .collect()
}

/// The README's matrix stays true as code moves: every file or folder a row points at is
/// there, so a newcomer going from a rule id to its code never lands on a file that was split.
#[test]
fn house_the_rules_matrix_points_only_at_files_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for (id, row) in matrix_rows() {
        for p in matrix_paths(&row) {
            if !root.join(&p).exists() {
                found.push(format!("{id}: {p} is not there"));
            }
        }
    }
    found.dedup();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Each `fn` of a module's code (as `code_only` gives it): its name, the line it starts on
/// and how many lines it spans, to its closing brace (a declaration without a body spans none).
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = code[i..].find("fn ") {
        let at = i + p;
        i = at + 3;
        if at > 0 && is_ident(b[at - 1]) {
            continue;
        }
        let name: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` after the signature; a `;` first is a declaration.
        let Some(open) = code[i..].find(['{', ';']).map(|q| i + q) else {
            break;
        };
        if b[open] == b';' {
            continue;
        }
        let mut depth = 0usize;
        let mut end = open;
        for (k, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let line = code[..at].matches('\n').count() + 1;
        let span = code[at..=end].matches('\n').count() + 1;
        out.push((name, line, span));
    }
    out
}

/// Issue 15: a function says what it does in named steps, so none runs over 80 lines; and a
/// file over 500 lines says at its top why it is one file ("… 500 lines …" in its `//!`
/// comment). The tests' own modules are left out.
#[test]
fn house_no_function_over_80_lines_and_no_long_file_without_its_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root.clone()];
    let mut long = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            let rel = path
                .strip_prefix(&root)
                .expect("under src")
                .display()
                .to_string();
            for (name, line, span) in functions(&code_only(&text)) {
                if span > 80 {
                    long.push(format!("src/{rel}:{line} fn {name}: {span} lines"));
                }
            }
            let header: String = text
                .lines()
                .take_while(|l| l.starts_with("//!"))
                .collect::<Vec<_>>()
                .join(" ");
            if text.lines().count() > 500 && !header.contains("500 lines") {
                long.push(format!(
                    "src/{rel}: {} lines, and its top does not say why",
                    text.lines().count()
                ));
            }
        }
    }
    long.sort();
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

#[test]
fn house_the_function_reader_counts_a_body_to_its_closing_brace() {
    let code = code_only(
        "fn a() {\n    let s = \"{\n}\";\n}\ntrait T { fn d(&self); }\npub fn b(x: u8) -> u8 {\n    if x > 0 { 1 } else { 0 }\n}\n",
    );
    let got = functions(&code);
    assert_eq!(got, vec![("a".to_string(), 1, 4), ("b".to_string(), 6, 3)]);
}
