//! The backend's layers point one way (docs/architecture.md): routes → http edge →
//! state → services → store / engine, with leaves that import nothing above them. This
//! test reads every file of `backend/src`, resolves each `crate::…` and `super::…` path
//! to the file it names, and fails on an import circle between files or an import that
//! points up a layer — naming the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers from the bottom; a file may import its own layer or a lower one.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaves",
        &[
            "config.rs",
            "error.rs",
            "request_id.rs",
            "metrics.rs",
            "telemetry.rs",
            "tenancy/scope.rs",
        ],
    ),
    ("store", &["store/", "redis_store.rs"]),
    (
        "services",
        &[
            "auth/",
            "tenancy/",
            "dashboards/",
            "bff/",
            "admin/",
            "users/",
            "sso/",
            "mail.rs",
            "audit.rs",
            "health.rs",
            "ratelimit.rs",
            "catalog.rs",
            "datagen.rs",
        ],
    ),
    ("state", &["state.rs"]),
    ("http edge", &["http/"]),
    ("routes", &["routes/"]),
    ("startup", &["startup.rs", "lib.rs"]),
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `auth/jwt.rs` → `["auth", "jwt"]`; `auth/mod.rs` → `["auth"]`; `lib.rs` → `[]`.
fn module_of(rel: &str) -> Vec<String> {
    let trimmed = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_owned).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file a module path names: the longest prefix that is a file of the crate.
fn file_of(module: &[String], files: &BTreeSet<String>) -> Option<String> {
    (1..=module.len()).rev().find_map(|n| {
        let base = module[..n].join("/");
        [format!("{base}.rs"), format!("{base}/mod.rs")]
            .into_iter()
            .find(|candidate| files.contains(candidate))
    })
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path = path.trim();
    let Some(open) = path.find('{') else {
        return vec![path.split(" as ").next().unwrap_or(path).trim().to_owned()];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(&format!("{prefix}{}", p.trim())))
        .collect()
}

/// Every path a source text imports or names inline from the crate (`crate::…`,
/// `super::…`, `self::…`, a child module's `child::…`); test modules are excluded (they
/// sit at the end of a file, after `#[cfg(test)]`).
fn referenced_paths(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    let code: String = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    // `use` statements (a line that starts one), braces and all, up to their `;`.
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let after_vis = ["pub(crate) ", "pub(super) ", "pub "]
            .iter()
            .find_map(|v| trimmed.strip_prefix(v))
            .unwrap_or(trimmed);
        if let Some(body) = after_vis.strip_prefix("use ") {
            let at = offset + (line.len() - body.len());
            let tail = &code[at..];
            let stmt = &tail[..tail.find(';').unwrap_or(tail.len())];
            paths.extend(expand(
                &stmt.split_whitespace().collect::<Vec<_>>().join(" "),
            ));
        }
        offset += line.len();
    }
    // Inline paths such as `crate::store::sessions::purge_expired`.
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let at = from + at;
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if !path.ends_with("::") {
                paths.push(path);
            }
            from = at + start.len();
        }
    }
    paths
}

/// The child modules a file declares (`mod x;`, `pub mod x;`).
fn child_modules(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect()
}

fn resolve(
    from_module: &[String],
    children: &BTreeSet<String>,
    path: &str,
    files: &BTreeSet<String>,
) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut module: Vec<String> = Vec::new();
    match segments.first() {
        Some(&"crate") => {
            segments.remove(0);
        }
        Some(&"super") => {
            module = from_module.to_vec();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                module.pop();
            }
        }
        Some(&"self") => {
            segments.remove(0);
            module = from_module.to_vec();
        }
        Some(first) if children.contains(*first) => module = from_module.to_vec(),
        _ => return None,
    }
    module.extend(segments.iter().map(|s| s.to_string()));
    file_of(&module, files)
}

fn layer_of(file: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, members)| {
            members.iter().any(|m| {
                if m.ends_with('/') {
                    file.starts_with(m)
                } else {
                    file == *m
                }
            })
        })
        .map(|i| {
            // `tenancy/scope.rs` is a leaf although `tenancy/` is a service.
            if file == "tenancy/scope.rs" {
                0
            } else {
                i
            }
        })
        .unwrap_or_else(|| panic!("{file} belongs to no layer: add it to LAYERS"))
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = src_dir();
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let rel = |p: &Path| {
        p.strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/")
    };
    let files: BTreeSet<String> = paths.iter().map(|p| rel(p)).collect();
    let mut edges = BTreeMap::new();
    for path in &paths {
        let file = rel(path);
        if file == "main.rs" {
            continue; // the binary, outside the library's graph
        }
        let module = module_of(&file);
        let source = std::fs::read_to_string(path).expect("read");
        let children = child_modules(&source);
        let targets: BTreeSet<String> = referenced_paths(&source)
            .iter()
            .filter_map(|p| resolve(&module, &children, p, &files))
            .filter(|target| *target != file && target != "lib.rs")
            .collect();
        edges.insert(file, targets);
    }
    edges
}

/// A circle through the graph, if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let start = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, edges, marks, stack) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys() {
        if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(cycle) = visit(node, edges, &mut marks, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn the_parser_sees_grouped_nested_and_inline_paths() {
    let source = "use crate::{catalog, store::{self, Db}};\nuse super::x as y;\nfn f() { crate::store::sessions::purge(); }\n#[cfg(test)]\nuse crate::routes;";
    let paths = referenced_paths(source);
    for expected in [
        "crate::catalog",
        "crate::store::self",
        "crate::store::Db",
        "super::x",
        "crate::store::sessions::purge",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
    assert!(
        !paths.iter().any(|p| p.contains("routes")),
        "test modules are skipped"
    );
}

#[test]
fn the_file_graph_of_backend_src_has_no_import_circle() {
    let edges = graph();
    assert!(
        edges.len() > 40,
        "the walk found the sources ({} files)",
        edges.len()
    );
    if let Some(cycle) = find_cycle(&edges) {
        panic!("import circle: {}", cycle.join(" → "));
    }
}

#[test]
fn imports_point_down_the_layers_only() {
    let mut violations = Vec::new();
    for (file, targets) in graph() {
        let from = layer_of(&file);
        for target in targets {
            let to = layer_of(&target);
            if to > from {
                violations.push(format!(
                    "{file} ({}) imports {target} ({})",
                    LAYERS[from].0, LAYERS[to].0
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn nothing_outside_routes_imports_a_handler_file() {
    for (file, targets) in graph() {
        if file.starts_with("routes/") || file == "startup.rs" || file == "lib.rs" {
            continue;
        }
        let into_routes: Vec<_> = targets
            .iter()
            .filter(|t| t.starts_with("routes/"))
            .collect();
        assert!(into_routes.is_empty(), "{file} imports {into_routes:?}");
    }
}

#[test]
fn anyhow_stays_in_main_and_startup() {
    let src = src_dir();
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    for path in paths {
        let rel = path
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        // actix-session's `SessionStore` trait is declared with anyhow errors.
        if matches!(rel.as_str(), "main.rs" | "startup.rs" | "bff/store.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("read");
        assert!(!source.contains("anyhow"), "{rel} uses anyhow");
    }
}
