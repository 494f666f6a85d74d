//! The tera filters templates format figures with — `thousands`, `pct`, `share`, `long_date`,
//! `short_date`, `money`, `working_days`, `decimal` and `abs` — each a thin wrapper over
//! `crate::format`, so a sentence in a template and one built in Rust write numbers alike — and
//! `css_string`, which makes text safe inside a CSS string (the printed pages' running header).

use std::collections::HashMap;

use chrono::NaiveDate;
use tera::{Tera, Value};

use crate::format;
use crate::metrics::model::Prop;

/// Registers every filter.
pub fn register(tera: &mut Tera) {
    tera.register_filter("thousands", thousands);
    tera.register_filter("pct", pct);
    tera.register_filter("share", share);
    tera.register_filter("long_date", long_date);
    tera.register_filter("short_date", short_date);
    tera.register_filter("money", money);
    tera.register_filter("working_days", working_days);
    tera.register_filter("decimal", decimal);
    tera.register_filter("abs", abs);
    tera.register_filter("css_string", css_string);
}

type Args = HashMap<String, Value>;

fn bad(filter: &str, v: &Value) -> tera::Error {
    tera::Error::msg(format!("filter {filter}: cannot format {v}"))
}

fn count(filter: &str, v: &Value) -> tera::Result<u64> {
    v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64)).ok_or_else(|| bad(filter, v))
}

fn thousands(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(format::thousands(count("thousands", v)?)))
}

/// A proportion object `{num, den, pct}`, or a bare percentage, or null.
fn prop_pct(v: &Value) -> Option<Option<f64>> {
    match v {
        Value::Null => Some(None),
        Value::Number(n) => Some(n.as_f64()),
        Value::Object(o) => o.get("pct").map(|p| p.as_f64()),
        _ => None,
    }
}

fn pct(v: &Value, _: &Args) -> tera::Result<Value> {
    let p = prop_pct(v).ok_or_else(|| bad("pct", v))?;
    Ok(Value::String(format::pct_value(p)))
}

fn share(v: &Value, _: &Args) -> tera::Result<Value> {
    let p: Prop = serde_json::from_value(v.clone()).map_err(|_| bad("share", v))?;
    Ok(Value::String(format::share(&p)))
}

fn date(filter: &str, v: &Value) -> tera::Result<NaiveDate> {
    v.as_str().and_then(|s| s.parse().ok()).ok_or_else(|| bad(filter, v))
}

fn long_date(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(format::long_date(date("long_date", v)?)))
}

fn short_date(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(format::short_date(date("short_date", v)?)))
}

fn money(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(format::money(v.as_f64().ok_or_else(|| bad("money", v))?)))
}

fn working_days(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(format::working_days(count("working_days", v)?)))
}

fn decimal(v: &Value, args: &Args) -> tera::Result<Value> {
    let places = args.get("places").and_then(Value::as_u64).unwrap_or(1) as usize;
    let x = v.as_f64().ok_or_else(|| bad("decimal", v))?;
    Ok(Value::String(format!("{x:.places$}")))
}

fn abs(v: &Value, _: &Args) -> tera::Result<Value> {
    let x = v.as_f64().ok_or_else(|| bad("abs", v))?;
    Ok(serde_json::json!(x.abs()))
}

/// Text for inside a CSS `"…"` string: quotes, backslashes, line breaks and `<` written as CSS
/// escapes, so nothing can end the string or the `<style>` element.
fn css_string(v: &Value, _: &Args) -> tera::Result<Value> {
    let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\n' | '\r' => out.push_str(&format!("\\{:X} ", c as u32)),
            c => out.push(c),
        }
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        let out = css_string(&Value::String("A \"B\" </style> C\\".into()), &HashMap::new()).unwrap();
        assert_eq!(out.as_str().unwrap(), "A \\22 B\\22  \\3C /style\\3E  C\\5C ");
    }

    fn render(template: &str, ctx: serde_json::Value) -> String {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", template).unwrap();
        tera.render("t", &tera::Context::from_value(ctx).unwrap()).unwrap()
    }

    #[test]
    fn every_filter() {
        let ctx = serde_json::json!({
            "n": 1234567, "p": {"num": 1, "den": 3, "pct": 33.3}, "z": {"num": 0, "den": 0, "pct": null},
            "d": "2025-03-01", "m": 1234.5, "x": -2.26
        });
        assert_eq!(render("{{ n | thousands }}", ctx.clone()), "1,234,567");
        assert_eq!(render("{{ p | pct }} {{ z | pct }} {{ 12.0 | pct }}", ctx.clone()), "33.3% – 12.0%");
        assert_eq!(render("{{ p | share }}", ctx.clone()), "33.3% (1 of 3)");
        assert_eq!(render("{{ d | long_date }} / {{ d | short_date }}", ctx.clone()), "1 March 2025 / 1 Mar 2025");
        assert_eq!(render("£{{ m | money }}", ctx.clone()), "£1,234.50");
        assert_eq!(
            render("{{ 1 | working_days }}, {{ 10 | working_days }}", ctx.clone()),
            "1 working day, 10 working days"
        );
        assert_eq!(render("{{ x | abs | decimal(places=1) }}", ctx), "2.3");
    }
}
