use domain::document::DocumentStatus;
use domain::ids::{AmendmentId, BallotId};
use domain::paragraph::Provenance;
use serde_json::Value;

use super::*;
use crate::sample;

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("the schema is JSON")
}

/// A small validator for the subset of JSON Schema 2020-12 the schema uses. Any other keyword is
/// an error, so the schema cannot hold a constraint this test does not check.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    let Some(schema) = schema.as_object() else {
        return Err(format!("{path}: schema is not an object"));
    };
    for (keyword, rule) in schema {
        match keyword.as_str() {
            "$schema" | "$id" | "title" | "description" | "$defs" | "format" => {}
            "$ref" => {
                let name = rule
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .ok_or_else(|| format!("{path}: unsupported $ref {rule}"))?;
                let target = root
                    .pointer(&format!("/$defs/{name}"))
                    .ok_or_else(|| format!("{path}: no $defs/{name}"))?;
                validate(root, target, value, path)?;
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => return Err(format!("{path}: bad type")),
                };
                let ok = types.iter().any(|t| match *t {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "null" => value.is_null(),
                    "boolean" => value.is_boolean(),
                    _ => false,
                });
                if !ok {
                    return Err(format!("{path}: {value} is not of type {types:?}"));
                }
            }
            "const" if value != rule => return Err(format!("{path}: {value} is not {rule}")),
            "const" => {}
            "enum" => {
                let options = rule.as_array().ok_or("enum is a list")?;
                if !options.contains(value) {
                    return Err(format!("{path}: {value} not in {rule}"));
                }
            }
            "oneOf" => {
                let options = rule.as_array().ok_or("oneOf is a list")?;
                let passing = options
                    .iter()
                    .filter(|option| validate(root, option, value, path).is_ok())
                    .count();
                if passing != 1 {
                    return Err(format!("{path}: {passing} options of oneOf match {value}"));
                }
            }
            "minimum" | "maximum" => {
                let bound = integer(rule).ok_or("integer bound")?;
                if let Some(n) = integer(value) {
                    let ok = if keyword == "minimum" {
                        n >= bound
                    } else {
                        n <= bound
                    };
                    if !ok {
                        return Err(format!("{path}: {n} out of {keyword} {bound}"));
                    }
                }
            }
            "pattern" => {
                if rule != "^[0-9a-f]{64}$" {
                    return Err(format!("{path}: unsupported pattern {rule}"));
                }
                if let Some(s) = value.as_str() {
                    let hex = s.len() == 64
                        && s.chars()
                            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
                    if !hex {
                        return Err(format!("{path}: {s:?} is not a SHA-256"));
                    }
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for key in rule.as_array().ok_or("required is a list")? {
                        let key = key.as_str().ok_or("required names")?;
                        if !object.contains_key(key) {
                            return Err(format!("{path}: missing {key}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(object) = value.as_object() {
                    let properties = rule.as_object().ok_or("properties is an object")?;
                    for (key, item) in object {
                        if let Some(property) = properties.get(key) {
                            validate(root, property, item, &format!("{path}.{key}"))?;
                        }
                    }
                }
            }
            "additionalProperties" => {
                if rule != &Value::Bool(false) {
                    return Err(format!("{path}: only additionalProperties: false"));
                }
                if let Some(object) = value.as_object() {
                    let properties = schema.get("properties").and_then(Value::as_object);
                    for key in object.keys() {
                        if !properties.is_some_and(|p| p.contains_key(key)) {
                            return Err(format!("{path}: unexpected key {key}"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (index, item) in items.iter().enumerate() {
                        validate(root, rule, item, &format!("{path}[{index}]"))?;
                    }
                }
            }
            "minItems" => {
                let min = rule.as_u64().ok_or("minItems")?;
                if value.as_array().is_some_and(|a| (a.len() as u64) < min) {
                    return Err(format!("{path}: fewer than {min} items"));
                }
            }
            other => {
                return Err(format!(
                    "{path}: keyword {other} not understood by the test"
                ));
            }
        }
    }
    Ok(())
}

fn integer(value: &Value) -> Option<i128> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
}

fn check(value: &Value) -> Result<(), String> {
    let schema = schema();
    validate(&schema, &schema, value, "$")
}

fn to_value(doc: &MotionDocument) -> Value {
    serde_json::from_slice(&render_json(doc)).expect("the output is JSON")
}

/// A document that uses every variant: working status, every provenance, absent options.
fn every_variant() -> MotionDocument {
    let mut doc = sample::motion(12, 8);
    doc.status = DocumentStatus::Working {
        label_fr: "Version de travail du 10 décembre 2026 à 15 h 42 (journal n° 120)".to_owned(),
        date: "2026-12-10".to_owned(),
    };
    let history = &mut doc.sections[0].paragraphs[0].history;
    let base = history[0].clone();
    for (version, provenance) in [
        Provenance::Amendment {
            amendment: AmendmentId(3),
            ballot: Some(BallotId(2)),
        },
        Provenance::Amendment {
            amendment: AmendmentId(4),
            ballot: None,
        },
        Provenance::EditorialFix {
            reason: "coquille".to_owned(),
        },
        Provenance::DraftEdit,
        Provenance::Ballot {
            ballot: BallotId(5),
        },
    ]
    .into_iter()
    .enumerate()
    {
        let mut entry = base.clone();
        entry.version = version as u32 + 2;
        entry.provenance = provenance;
        history.push(entry);
    }
    doc.amendments[0].paragraph_id = None;
    doc.amendments[0].proposed_text = None;
    doc.amendments[0].kind = "delete".to_owned();
    doc.amendments[1].ballot = None;
    doc.ballots[0].outcome = "quorum_not_met".to_owned();
    doc.integrity.log_head_hash = "0".repeat(64);
    doc
}

#[test]
fn json_round_trips_to_an_equal_document() {
    for doc in [sample::motion(30, 20), every_variant()] {
        let bytes = render_json(&doc);
        assert!(bytes.ends_with(b"}\n"));
        let back: MotionDocument = serde_json::from_slice(&bytes).expect("parses back");
        assert_eq!(back, doc);
    }
}

#[test]
fn keys_come_in_the_order_of_the_model() {
    let json = String::from_utf8(render_json(&sample::motion(30, 20))).expect("UTF-8");
    let top: Vec<&str> = json
        .lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split_once('"').map(|(key, _)| key))
        .collect();
    let required: Vec<String> = schema()["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|k| k.as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        top, required,
        "the schema lists the keys in the model's order"
    );
    assert!(json.starts_with("{\n  \"format\": \"hemicycle-motion/1\",\n  \"motion_id\": 1,"));
}

#[test]
fn the_schema_describes_exactly_what_serde_writes() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for doc in [sample::motion(30, 20), every_variant()] {
        check(&to_value(&doc)).expect("the document matches its schema");
    }
    // Every object of the schema closes its keys and requires all of them, as serde writes every
    // field (absent options as null).
    fn walk(schema: &Value, at: &str) {
        if let Some(object) = schema.as_object() {
            if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                assert_eq!(
                    object.get("additionalProperties"),
                    Some(&Value::Bool(false)),
                    "{at}"
                );
                let mut required: Vec<&str> = object["required"]
                    .as_array()
                    .expect("required")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
                required.sort_unstable();
                keys.sort_unstable();
                assert_eq!(required, keys, "{at}: every property is required");
            }
            for (key, child) in object {
                walk(child, &format!("{at}/{key}"));
            }
        } else if let Some(items) = schema.as_array() {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{at}/{index}"));
            }
        }
    }
    walk(&schema, "#");
}

#[test]
fn the_top_level_and_a_paragraph_have_exactly_the_schema_keys() {
    let schema = schema();
    let value = to_value(&sample::motion(30, 20));
    let keys = |v: &Value| -> Vec<String> {
        let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        keys.sort_unstable();
        keys
    };
    let schema_keys = |s: &Value| -> Vec<String> {
        let mut keys: Vec<String> = s["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        keys.sort_unstable();
        keys
    };
    assert_eq!(keys(&value), schema_keys(&schema));
    let paragraph = &value["sections"][0]["paragraphs"][0];
    assert_eq!(keys(paragraph), schema_keys(&schema["$defs"]["paragraph"]));
    assert_eq!(
        keys(&paragraph["history"][0]),
        schema_keys(&schema["$defs"]["version"])
    );
    assert_eq!(
        keys(&value["amendments"][0]),
        schema_keys(&schema["$defs"]["amendment"])
    );
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    // So that the previous test could not pass with a validator that accepts anything.
    let good = to_value(&sample::motion(6, 4));
    type Breaking = fn(&mut Value);
    let broken: [(&str, Breaking); 7] = [
        ("extra key", |v| {
            v["extra"] = Value::Bool(true);
        }),
        ("missing key", |v| {
            v.as_object_mut().map(|o| o.remove("ballots"));
        }),
        ("wrong type", |v| {
            v["motion_id"] = Value::String("1".to_owned());
        }),
        ("unknown status", |v| {
            v["status"]["type"] = Value::String("draft".to_owned());
        }),
        ("bad hash", |v| {
            v["integrity"]["text_sha256"] = Value::String("XYZ".to_owned());
        }),
        ("negative count", |v| {
            v["ballots"][0]["pour"] = Value::from(-1);
        }),
        ("unknown provenance", |v| {
            v["sections"][0]["paragraphs"][0]["history"][0]["provenance"]["type"] =
                Value::String("magic".to_owned());
        }),
    ];
    check(&good).expect("the untouched document passes");
    for (what, breaking) in broken {
        let mut value = good.clone();
        breaking(&mut value);
        assert!(check(&value).is_err(), "{what} is rejected");
    }
}
