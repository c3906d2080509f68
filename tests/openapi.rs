//! The OpenAPI description at /api/openapi.json against the real API: the
//! same paths as the router, every documented method routed (and no other),
//! every operation answering with a documented status and a body that fits
//! the documented schema. And the docs page that reads it.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::{on_both_engines, spawn_app, TestApp};
use reqwest::{Client, Method, StatusCode};
use reservo::server::api::{openapi, route_paths};
use reservo::server::storage::{seed, Engine};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// "YYYY-MM-DD" of the local date `days` from today in Mexico City.
fn day(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

struct Reply {
    status: StatusCode,
    content_type: String,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

/// What an operation is sent: JSON, or an image for the upload.
enum Payload {
    Json(Value),
    Image,
}

/// A small PNG, as the upload takes it.
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

async fn send(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
    send_payload(app, method, path, token, body.map(|b| Payload::Json(b.clone())).as_ref()).await
}

async fn send_payload(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<&Payload>) -> Reply {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut request = Client::new().request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    match body {
        Some(Payload::Json(body)) => request = request.json(body),
        Some(Payload::Image) => request = request.header("content-type", "image/png").body(PNG),
        None => {}
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    Reply { status, content_type, text: response.text().await.unwrap() }
}

/// Follows `$ref`s inside the document.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("external $ref {reference}"));
        value = doc.pointer(pointer).unwrap_or_else(|| panic!("$ref {reference} leads nowhere"));
    }
    value
}

/// A small JSON Schema check: the keywords the document uses, except `pattern`.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    let type_fits = |name: &str| match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown type {other}"),
    };
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type at {at}"),
        };
        if !types.iter().any(|t| type_fits(t)) {
            problems.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            problems.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let Some(constant) = schema.get("const") {
        if constant != value {
            problems.push(format!("{at}: {value} is not {constant}"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema.get("minimum").and_then(Value::as_f64).is_some_and(|min| n < min) {
            problems.push(format!("{at}: {n} is below the minimum"));
        }
        if schema.get("maximum").and_then(Value::as_f64).is_some_and(|max| n > max) {
            problems.push(format!("{at}: {n} is above the maximum"));
        }
    }
    if let (Some(format), Some(text)) = (schema.get("format").and_then(Value::as_str), value.as_str()) {
        let fits = match format {
            "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            "date" => text.parse::<chrono::NaiveDate>().is_ok(),
            _ => true,
        };
        if !fits {
            problems.push(format!("{at}: {text:?} is not a {format}"));
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !object.contains_key(name.as_str().unwrap()) {
                problems.push(format!("{at}: {name} is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, item) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(property) => check(doc, property, item, &format!("{at}.{name}"), problems),
                None if schema.get("additionalProperties") == Some(&json!(false)) => problems.push(format!("{at}: {name} is not documented")),
                None => {}
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (n, item) in list.iter().enumerate() {
            check(doc, items, item, &format!("{at}[{n}]"), problems);
        }
    }
    let fitting = |options: &Vec<Value>| {
        options.iter().filter(|option| {
            let mut none = Vec::new();
            check(doc, option, value, at, &mut none);
            none.is_empty()
        }).count()
    };
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        if fitting(options) == 0 {
            problems.push(format!("{at}: {value} fits none of anyOf"));
        }
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        if fitting(options) != 1 {
            problems.push(format!("{at}: {value} fits {} of oneOf, not exactly one", fitting(options)));
        }
    }
}

/// Checks a reply against the response the document gives for its status.
fn check_reply(doc: &Value, op: &Value, label: &str, reply: &Reply) {
    let documented = op["responses"].as_object().unwrap();
    let Some(response) = documented.get(reply.status.as_str()) else {
        panic!("{label}: {} is not documented ({:?}): {}", reply.status, documented.keys().collect::<Vec<_>>(), reply.text);
    };
    let response = resolve(doc, response);
    match response.get("content").and_then(|c| c.as_object()).and_then(|c| c.iter().next()) {
        None => assert!(reply.text.is_empty(), "{label}: {} documented without a body: {}", reply.status, reply.text),
        Some((media, content)) => {
            assert!(reply.content_type.starts_with(media.as_str()), "{label}: {} instead of {media}", reply.content_type);
            if media == "application/json" {
                let mut problems = Vec::new();
                check(doc, &content["schema"], &reply.json(), label, &mut problems);
                assert!(problems.is_empty(), "{label} {}: {problems:#?}\n{}", reply.status, reply.text);
            }
        }
    }
}

/// (path, method, operation), in the document's (sorted) order.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(METHODS.contains(&method.as_str()), "{method} {path}");
            all.push((path.clone(), method.clone(), op.clone()));
        }
    }
    all
}

fn parameters(doc: &Value, op: &Value) -> Vec<Value> {
    op["parameters"].as_array().into_iter().flatten().map(|p| resolve(doc, p).clone()).collect()
}

fn success(op: &Value) -> u16 {
    op["responses"].as_object().unwrap().keys().filter_map(|k| k.parse::<u16>().ok()).find(|s| (200..300).contains(s)).expect("a success status")
}

fn walk_refs(doc: &Value, value: &Value) {
    match value {
        Value::Object(map) => {
            resolve(doc, value);
            map.values().for_each(|v| walk_refs(doc, v));
        }
        Value::Array(list) => list.iter().for_each(|v| walk_refs(doc, v)),
        _ => {}
    }
}

#[test]
fn the_documented_paths_are_the_routes() {
    let doc = openapi::document();
    let documented: BTreeSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    let routed: BTreeSet<&str> = route_paths().into_iter().collect();
    assert_eq!(documented, routed);
    assert!(documented.iter().all(|p| p.starts_with('/') && !p.ends_with('/')));
    assert_eq!(doc["openapi"], "3.1.0");
    walk_refs(&doc, &doc);
    let ids: Vec<String> = operations(&doc).iter().map(|(_, _, op)| op["operationId"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "operationIds are unique");
    for (path, method, op) in operations(&doc) {
        let in_path: BTreeSet<String> =
            parameters(&doc, &op).iter().filter(|p| p["in"] == "path").map(|p| p["name"].as_str().unwrap().to_string()).collect();
        let named: BTreeSet<String> = path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).map(str::to_string).collect();
        assert_eq!(in_path, named, "{method} {path}: path parameters");
        for (status, response) in op["responses"].as_object().unwrap() {
            assert!(status.parse::<u16>().is_ok(), "{method} {path}: {status}");
            assert!(resolve(&doc, response)["description"].is_string(), "{method} {path} {status}");
        }
        let public = op["security"].as_array().is_some_and(|s| s.is_empty());
        assert!(public || op["responses"].get("401").is_some(), "{method} {path}: a secured operation may answer 401");
    }
}

/// Values for every documented query parameter, valid for the fixtures.
fn query_value(name: &str, room: i64, user: i64) -> String {
    match name {
        "room_id" | "resource_id" => room.to_string(),
        "user_id" => user.to_string(),
        "status" => "confirmada".into(),
        "date_from" => day(0),
        "date_to" => format!("{}T23:00:00", day(30)),
        "skip" => "0".into(),
        "limit" => "10".into(),
        "from" => day(1),
        "to" => day(5),
        "duration" => "60".into(),
        "free_on" => day(1),
        "free_at" => "12:00".into(),
        "reason" => "prueba".into(),
        "kind" => "room".into(),
        "action" => "booking.check_in".into(),
        other => panic!("no test value for the query parameter {other}: add one"),
    }
}

on_both_engines!(every_operation_answers_as_documented, the_docs_page_reads_the_description);

async fn every_operation_answers_as_documented(engine: Engine) {
    let app = spawn_app(engine).await;
    let served = send(&app, "get", "/api/openapi.json", None, None).await;
    assert_eq!(served.status, 200);
    assert!(served.content_type.starts_with("application/json"));
    let doc = served.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc, openapi::document());

    let admin = send(&app, "get", "/api/get-test-token", None, None).await.json();
    let (token, user) = (admin["access_token"].as_str().unwrap().to_string(), admin["user_id"].as_i64().unwrap());
    let new_room = doc.pointer("/components/schemas/NewRoom/examples/0").unwrap().clone();
    let room = send(&app, "post", "/api/rooms", Some(&token), Some(&new_room)).await.json()["id"].as_i64().unwrap();
    let booking_at = |first: i64| {
        let mut body = doc.pointer("/components/schemas/NewBooking/examples/0").unwrap().clone();
        body["room_id"] = json!(room);
        body["check_in"] = json!(format!("{}T14:00:00", day(first)));
        body["check_out"] = json!(format!("{}T12:00:00", day(first + 1)));
        body
    };
    let booking = send(&app, "post", "/api/bookings", Some(&token), Some(&booking_at(1))).await.json()["id"].as_i64().unwrap();
    // Photos to make a cover of and to remove.
    for _ in 0..2 {
        let uploaded = send_payload(&app, "post", &format!("/api/resources/{room}/photos"), Some(&token), Some(&Payload::Image)).await;
        assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    }

    // Every operation once, set up to succeed. Sorted order matters: the
    // booking is changed (PUT) before check-in, check-out and end of cleaning.
    let mut next_day = 10;
    for (path, method, op) in operations(&doc) {
        let label = format!("{} {path}", method.to_uppercase());
        let mut url = format!("/api{path}");
        if path.contains("{id}") {
            let id = if path.starts_with("/bookings") && method == "delete" {
                next_day += 3;
                send(&app, "post", "/api/bookings", Some(&token), Some(&booking_at(next_day))).await.json()["id"].as_i64().unwrap()
            } else if method == "delete" && !path.contains("/photos") {
                // Retiring: a room with nothing booked on it.
                send(&app, "post", "/api/rooms", Some(&token), Some(&new_room)).await.json()["id"].as_i64().unwrap()
            } else if path.starts_with("/bookings") {
                booking
            } else {
                room
            };
            url = url.replace("{id}", &id.to_string());
        }
        let path = path.replace("{index}", "0");
        url = url.replace("{index}", "0");
        let query: Vec<String> = parameters(&doc, &op)
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| format!("{}={}", p["name"].as_str().unwrap(), query_value(p["name"].as_str().unwrap(), room, user)))
            .collect();
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        url.push_str(&query);
        let image = op["requestBody"]["content"].get("image/*").is_some();
        let body = op.get("requestBody").filter(|_| !image).map(|b| {
            let schema = resolve(&doc, &b["content"]["application/json"]["schema"]);
            match op["operationId"].as_str().unwrap() {
                "issueToken" => json!({"email": "client@reservo.test", "password": seed::DEMO_PASSWORD}),
                "createBooking" => {
                    next_day += 3;
                    booking_at(next_day)
                }
                _ => schema["examples"][0].clone(),
            }
        });
        if let Some(body) = &body {
            let mut problems = Vec::new();
            check(&doc, &op["requestBody"]["content"]["application/json"]["schema"], body, &label, &mut problems);
            assert!(problems.is_empty(), "{label}: the body sent does not fit: {problems:?}");
        }
        let public = op["security"].as_array().is_some_and(|s| s.is_empty());
        let fresh;
        let bearer = if public {
            None
        } else if op["operationId"] == "revokeToken" {
            fresh = send(&app, "get", "/api/get-test-token", None, None).await.json()["access_token"].as_str().unwrap().to_string();
            Some(fresh.as_str())
        } else {
            Some(token.as_str())
        };
        let payload = if image { Some(Payload::Image) } else { body.clone().map(Payload::Json) };
        let reply = send_payload(&app, &method, &url, bearer, payload.as_ref()).await;
        assert_eq!(reply.status.as_u16(), success(&op), "{label} ({url}): {}", reply.text);
        check_reply(&doc, &op, &label, &reply);

        // The refusals the description promises are the ones given.
        if !public {
            let anonymous = send(&app, &method, &url, None, body.as_ref()).await;
            assert_eq!(anonymous.status, 401, "{label} without a token");
            check_reply(&doc, &op, &format!("{label} without a token"), &anonymous);
        }
        if path.contains("{id}") {
            let bad = send(&app, &method, &format!("/api{}{query}", path.replace("{id}", "abc")), bearer, body.as_ref()).await;
            assert_eq!(bad.status, 422, "{label} with the id abc: {}", bad.text);
            check_reply(&doc, &op, &format!("{label} with the id abc"), &bad);
            if op["responses"].get("404").is_some() {
                let missing = send(&app, &method, &format!("/api{}{query}", path.replace("{id}", "999999")), bearer, body.as_ref()).await;
                assert_eq!(missing.status, 404, "{label} with an unknown id: {}", missing.text);
                check_reply(&doc, &op, &format!("{label} with an unknown id"), &missing);
            }
        }
        if body.is_some() {
            let malformed = Client::new()
                .request(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), app.url(&url))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{not json")
                .send()
                .await
                .unwrap();
            assert_eq!(malformed.status(), 400, "{label} with malformed JSON");
            assert!(op["responses"].get("400").is_some(), "{label}: 400 is documented");
        }
    }

    // Each path, with and without the trailing slash, routes exactly the
    // documented methods: the others are 405, never the router's 404.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", &room.to_string()).replace("{index}", "0");
        for url in [format!("/api{concrete}"), format!("/api{concrete}/")] {
            for method in METHODS {
                let reply = send(&app, method, &url, None, None).await;
                match item.get(method) {
                    Some(op) => {
                        assert_ne!(reply.status, 405, "{method} {url}");
                        check_reply(&doc, op, &format!("anonymous {method} {url}"), &reply);
                    }
                    None => {
                        assert_eq!(reply.status, 405, "{method} {url} is not documented: {}", reply.text);
                        assert_eq!(reply.json()["error"], "method_not_allowed");
                    }
                }
            }
        }
    }
    let unknown = send(&app, "get", "/api/no-such-route", None, None).await;
    assert_eq!((unknown.status.as_u16(), unknown.json()["error"].clone()), (404, json!("not_found")));
}

async fn the_docs_page_reads_the_description(engine: Engine) {
    let app = spawn_app(engine).await;
    for path in ["/api/docs", "/api/docs/"] {
        let reply = send(&app, "get", path, None, None).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.content_type.starts_with("text/html"), "{path}: {}", reply.content_type);
        assert!(reply.text.contains("/api/openapi.json"), "{path}");
        assert!(!reply.text.contains("http://") && !reply.text.contains("https://"), "no external resources");
    }
    let by_tag: BTreeMap<String, usize> = operations(&openapi::document()).iter().fold(BTreeMap::new(), |mut acc, (_, _, op)| {
        *acc.entry(op["tags"][0].as_str().unwrap().to_string()).or_default() += 1;
        acc
    });
    let tags: BTreeSet<String> = openapi::document()["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(by_tag.keys().cloned().collect::<BTreeSet<_>>(), tags, "every tag is declared and used");
}
