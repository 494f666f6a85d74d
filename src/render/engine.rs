//! Tera rendering: the built-in templates are compiled into the binary; templates of the same
//! names read by the command from `--templates DIR` override them. Autoescaping is on for every
//! template, and the formatting filters (`filters.rs`) are registered.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use tera::Tera;

use crate::error::usage;

/// The built-in templates: (name, source).
pub const BUILTIN: [(&str, &str); 7] = [
    ("base.html.tera", include_str!("../../templates/base.html.tera")),
    ("macros.html.tera", include_str!("../../templates/macros.html.tera")),
    ("board-report.html.tera", include_str!("../../templates/board-report.html.tera")),
    ("lessons.html.tera", include_str!("../../templates/lessons.html.tera")),
    ("lessons-review.html.tera", include_str!("../../templates/lessons-review.html.tera")),
    ("self-assessment.html.tera", include_str!("../../templates/self-assessment.html.tera")),
    ("annual-report.html.tera", include_str!("../../templates/annual-report.html.tera")),
];

/// A template engine with the built-ins, each replaced by an override of the same name.
pub fn engine(overrides: &[(String, String)]) -> Result<Tera> {
    let mut tera = Tera::default();
    // Autoescape every template we render, whatever its suffix.
    tera.autoescape_on(vec![".html.tera", ".html"]);
    super::filters::register(&mut tera);
    let sources: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(name, source)| {
            let text = overrides.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str()).unwrap_or(source);
            (name.to_string(), text.to_string())
        })
        .collect();
    if !overrides.is_empty() {
        refuse_endless_calls(&sources)?;
    }
    tera.add_raw_templates(sources).map_err(|e| usage(format!("templates: {}", describe(&e))))?;
    Ok(tera)
}

/// Tera sets no limit on how deep macros call one another or templates include one another: a
/// template that calls itself without end would overflow the stack and abort. So a macro that
/// can reach itself again through macro calls and includes, or a template that includes itself
/// the same way, is refused with its cycle named.
fn refuse_endless_calls(sources: &[(String, String)]) -> Result<()> {
    let Some(cycle) = find_cycle(&call_graph(sources)) else { return Ok(()) };
    let named: Vec<String> =
        cycle.iter().map(|(file, m)| if m.is_empty() { file.clone() } else { format!("{file} macro {m}") }).collect();
    Err(usage(format!(
        "templates: {} can call itself again ({}); Tera sets no limit on how deep that goes, and an \
         endless one would crash, so a template or macro that calls or includes itself is not accepted",
        named[0],
        named.join(" → ")
    )))
}

/// A template (macro "") or one of its macros.
type Node = (String, String);

/// What each template and macro calls or includes, read from the template text: a call or
/// include belongs to the macro whose definition encloses it, else to the template.
fn call_graph(sources: &[(String, String)]) -> BTreeMap<Node, BTreeSet<Node>> {
    let tag = |pattern: &str| regex::Regex::new(pattern).expect("a fixed pattern");
    let import = tag(r#"\{%-?\s*import\s+"([^"]+)"\s+as\s+(\w+)"#);
    let define = tag(r"\{%-?\s*macro\s+(\w+)\s*\(");
    let end = tag(r"\{%-?\s*endmacro\b");
    let call = tag(r"\b(\w+)::(\w+)\s*\(");
    let include = tag(r#"\{%-?\s*include\s+"([^"]+)""#);
    let mut edges: BTreeMap<Node, BTreeSet<Node>> = BTreeMap::new();
    for (file, text) in sources {
        let aliases: BTreeMap<&str, &str> =
            import.captures_iter(text).filter_map(|c| Some((c.get(2)?.as_str(), c.get(1)?.as_str()))).collect();
        // (start, end, name) of every macro definition.
        let spans: Vec<(usize, usize, &str)> = define
            .captures_iter(text)
            .filter_map(|d| {
                let (whole, name) = (d.get(0)?, d.get(1)?);
                let stop = end.find_at(text, whole.end()).map_or(text.len(), |m| m.start());
                Some((whole.end(), stop, name.as_str()))
            })
            .collect();
        let owner = |at: usize| {
            let name = spans.iter().find(|(from, to, _)| (*from..*to).contains(&at)).map_or("", |(_, _, n)| n);
            (file.clone(), name.to_string())
        };
        for c in call.captures_iter(text) {
            let (Some(whole), Some(ns), Some(name)) = (c.get(0), c.get(1), c.get(2)) else { continue };
            let target = if ns.as_str() == "self" { Some(file.as_str()) } else { aliases.get(ns.as_str()).copied() };
            if let Some(target) = target {
                edges.entry(owner(whole.start())).or_default().insert((target.to_string(), name.as_str().to_string()));
            }
        }
        for i in include.captures_iter(text) {
            let (Some(whole), Some(target)) = (i.get(0), i.get(1)) else { continue };
            edges.entry(owner(whole.start())).or_default().insert((target.as_str().to_string(), String::new()));
        }
    }
    edges
}

/// A path of the graph that comes back to where it began, first node repeated at its end: a
/// depth-first walk from every node, a node met again on the path closing the cycle.
fn find_cycle(edges: &BTreeMap<Node, BTreeSet<Node>>) -> Option<Vec<Node>> {
    fn walk<'a>(
        node: &'a Node,
        edges: &'a BTreeMap<Node, BTreeSet<Node>>,
        path: &mut Vec<&'a Node>,
        done: &mut BTreeSet<&'a Node>,
    ) -> Option<Vec<Node>> {
        if let Some(i) = path.iter().position(|n| *n == node) {
            return Some(path[i..].iter().chain([&node]).map(|n| (*n).clone()).collect());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = walk(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|node| walk(node, edges, &mut Vec::new(), &mut done))
}

/// Renders one template with a serialisable view under the name `r`.
pub fn render<T: serde::Serialize>(tera: &Tera, name: &str, view: &T) -> Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("r", view);
    tera.render(name, &ctx)
        .map_err(|e| usage(format!("template {name}: {}", describe(&e))))
        .context("rendering the report")
}

/// Tera's error and its causes on one line.
fn describe(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &str, text: &str) -> Result<Tera> {
        engine(&[(name.to_string(), text.to_string())])
    }

    /// A template or macro that can reach itself again — directly, through another macro, or by
    /// including itself — is refused with its cycle named instead of overflowing the stack; the
    /// built-in templates given as overrides are accepted.
    #[test]
    fn templates_that_call_themselves_are_refused() {
        let refused = |name: &str, text: &str| with(name, text).err().map(|e| e.to_string()).unwrap_or_default();
        let err = refused("board-report.html.tera", "{% include \"board-report.html.tera\" %}");
        assert!(err.contains("board-report.html.tera → board-report.html.tera"), "{err}");
        let err = refused("lessons.html.tera", "{% macro m() %}{{ self::m() }}{% endmacro m %}{{ self::m() }}");
        assert!(err.contains("lessons.html.tera macro m → lessons.html.tera macro m"), "{err}");
        let through = "{% import \"macros.html.tera\" as x %}{% macro a() %}{{ self::b() }}{% endmacro a %}\
                       {% macro b() %}{% if false %}{{ self::a() }}{% endif %}{% endmacro b %}";
        let err = refused("board-report.html.tera", through);
        assert!(err.contains("macro a → board-report.html.tera macro b → board-report.html.tera macro a"), "{err}");
        // Across files: the macros file's table calling the page's row, which calls the table.
        let macros =
            "{% import \"board-report.html.tera\" as b %}{% macro table(t) %}{{ b::row() }}{% endmacro table %}";
        let page = "{% import \"macros.html.tera\" as m %}{% macro row() %}{{ m::table(t=1) }}{% endmacro row %}";
        let both = [("macros.html.tera", macros), ("board-report.html.tera", page)];
        let err = engine(&both.map(|(n, t)| (n.to_string(), t.to_string()))).err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(
            err.contains(
                "board-report.html.tera macro row → macros.html.tera macro table → board-report.html.tera macro row"
            ),
            "{err}"
        );
        for (name, text) in BUILTIN {
            assert!(with(name, text).is_ok(), "{name}");
        }
    }
}
