//! Managing rooms and photos over real HTTP, on both engines: changing a room,
//! retiring it (refused while bookings are ahead) and offering it again,
//! photo uploads through the API and through the page forms, and who may
//! see a resource's managers.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::api::Api;
use common::{on_both_engines, spawn_app, TestApp};
use reqwest::{Method, StatusCode};
use reservo::domain::photo::MAX_PHOTOS;
use reservo::server::storage::{resources, Engine};
use serde_json::{json, Value};

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 9, 9, 9];

on_both_engines!(
    admins_change_rooms_and_the_rest_stays,
    retiring_waits_for_the_bookings_ahead,
    photos_are_uploaded_served_ordered_and_removed,
    a_photo_too_large_gets_its_413_every_time,
    photo_forms_work_without_javascript,
    only_admins_and_managers_see_who_manages
);

fn day(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

async fn new_room(admin: &Api<'_>, number: &str) -> Value {
    let (status, room) = admin.post("/api/rooms", json!({"number": number, "type": "doble", "beds": 2, "guests": 2, "nightly_price_minor": 150000})).await;
    assert_eq!(status, 201, "{room}");
    room
}

async fn book(api: &Api<'_>, room: &Value, first_day: i64) -> (StatusCode, Value) {
    api.post(
        "/api/bookings",
        json!({"room_id": room["id"], "check_in": format!("{}T15:00:00", day(first_day)), "check_out": format!("{}T11:00:00", day(first_day + 2)),
               "guest_name": "Ana", "guest_email": "ana@example.com", "number_of_guests": 1}),
    )
    .await
}

async fn listed(api: &Api<'_>, room: &Value) -> bool {
    let (_, rooms) = api.get("/api/rooms").await;
    rooms.as_array().unwrap().iter().any(|r| r["id"] == room["id"])
}

async fn admins_change_rooms_and_the_rest_stays(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = Api::admin(&app).await;
    let room = new_room(&admin, "301").await;
    let path = format!("/api/rooms/{}", room["id"]);

    let (status, changed) = admin.call(Method::PUT, &path, Some(json!({"number": "302", "beds": 3}))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!((changed["number"].clone(), changed["beds"].clone()), (json!("302"), json!(3)));
    assert_eq!((changed["type"].clone(), changed["guests"].clone(), changed["nightly_price_minor"].clone()), (json!("doble"), json!(2), json!(150000)));
    assert_eq!(changed["name"], "Habitación 302", "a name derived from the number follows it");

    let (status, refused) = admin.call(Method::PUT, &path, Some(json!({"beds": 0}))).await;
    assert_eq!((status.as_u16(), refused["field"].clone()), (422, json!("beds")), "{refused}");
    let (status, refused) = admin.call(Method::PUT, &path, Some(json!({"photos": ["https://example.com/a.jpg"]}))).await;
    assert_eq!((status.as_u16(), refused["field"].clone()), (422, json!("photos")), "{refused}");
    assert_eq!(admin.get(&path).await.1["beds"], 3, "refused changes write nothing");

    let client = Api::user(&app, "client@reservo.test").await;
    assert_eq!(client.call(Method::PUT, &path, Some(json!({"beds": 1}))).await.0, 403);
    assert_eq!(Api::anonymous(&app).call(Method::PUT, &path, Some(json!({"beds": 1}))).await.0, 401);
    assert_eq!(admin.call(Method::PUT, "/api/rooms/999999", Some(json!({"beds": 1}))).await.0, 404);
}

async fn retiring_waits_for_the_bookings_ahead(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = Api::admin(&app).await;
    let client = Api::user(&app, "client@reservo.test").await;
    let room = new_room(&admin, "401").await;
    let path = format!("/api/rooms/{}", room["id"]);
    let (status, booking) = book(&client, &room, 3).await;
    assert_eq!(status, 201, "{booking}");

    assert_eq!(client.call(Method::DELETE, &path, None).await.0, 403);
    let (status, refused) = admin.call(Method::DELETE, &path, None).await;
    assert_eq!((status.as_u16(), refused["error"].clone()), (409, json!("has_upcoming_bookings")), "{refused}");
    assert!(listed(&admin, &room).await, "a refused retirement changes nothing");

    let (status, _) = client.call(Method::DELETE, &format!("/api/bookings/{}", booking["id"]), None).await;
    assert_eq!(status, 200);
    assert_eq!(admin.call(Method::DELETE, &path, None).await.0, 204);
    assert!(!listed(&admin, &room).await);
    assert_eq!(admin.get(&path).await.1["retired"], true, "its record stays");
    let (status, refused) = book(&client, &room, 5).await;
    assert_eq!((status.as_u16(), refused["error"].clone()), (409, json!("resource_retired")), "{refused}");
    let (_, free) = client.get(&format!("/api/rooms/{}/availability?from={}&to={}", room["id"], day(5), day(9))).await;
    assert_eq!(free["ranges"], json!([]), "{free}");
    let (status, history) = client.get(&format!("/api/bookings/{}", booking["id"])).await;
    assert_eq!((status.as_u16(), history["status"].clone()), (200, json!("cancelled")), "past bookings stay readable");

    let (status, restored) = admin.post(&format!("/api/resources/{}/restore", room["id"]), json!({})).await;
    assert_eq!((status.as_u16(), restored["retired"].clone()), (200, json!(false)), "{restored}");
    assert!(listed(&admin, &room).await);
    assert_eq!(book(&client, &room, 5).await.0, 201);
}

/// The server stops reading at the limit; the rest is still read before the
/// answer, so the sender gets the 413 and its message, not a reset connection
/// (30 MB: without that the sender is still writing when the connection closes).
async fn a_photo_too_large_gets_its_413_every_time(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = Api::admin(&app).await;
    let room = new_room(&admin, "502").await;
    let photos = format!("/api/resources/{}/photos", room["id"]);
    for attempt in 0..10 {
        let (status, refused) = admin.upload(&photos, "image/png", vec![0; 30 * 1024 * 1024]).await;
        assert_eq!((status.as_u16(), refused["error"].clone()), (413, json!("too_large")), "attempt {attempt}: {refused}");
    }
    assert_eq!(admin.get(&format!("/api/rooms/{}", room["id"])).await.1["photos"], json!([]));
}

async fn photos_are_uploaded_served_ordered_and_removed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = Api::admin(&app).await;
    let room = new_room(&admin, "501").await;
    let photos = format!("/api/resources/{}/photos", room["id"]);

    let (status, first) = admin.upload(&photos, "image/png", PNG.to_vec()).await;
    assert_eq!(status, 201, "{first}");
    let url = first["url"].as_str().unwrap().to_string();
    let image = reqwest::get(app.url(&url)).await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(image.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);

    // The type comes from the bytes, not from what the sender says.
    let (status, second) = admin.upload(&photos, "image/png", JPEG.to_vec()).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(reqwest::get(app.url(second["url"].as_str().unwrap())).await.unwrap().headers()["content-type"], "image/jpeg");
    let (status, refused) = admin.upload(&photos, "image/png", b"<svg onload=alert(1)>".to_vec()).await;
    assert_eq!((status.as_u16(), refused["field"].clone()), (422, json!("photo")), "{refused}");

    let (status, covered) = admin.post(&format!("{photos}/1/cover"), json!({})).await;
    assert_eq!(status, 200, "{covered}");
    assert_eq!(covered["photos"], json!([second["url"], first["url"]]));
    assert_eq!(admin.get(&format!("/api/rooms/{}", room["id"])).await.1["photos"], covered["photos"]);
    assert_eq!(admin.call(Method::DELETE, &format!("{photos}/7"), None).await.0, 422, "no photo 7");

    let (status, removed) = admin.call(Method::DELETE, &format!("{photos}/1"), None).await;
    assert_eq!((status.as_u16(), removed["photos"].clone()), (200, json!([second["url"]])));
    assert_eq!(reqwest::get(app.url(&url)).await.unwrap().status(), 404, "the removed image is gone");

    for _ in 1..MAX_PHOTOS {
        assert_eq!(admin.upload(&photos, "image/png", PNG.to_vec()).await.0, 201);
    }
    let (status, refused) = admin.upload(&photos, "image/png", PNG.to_vec()).await;
    assert_eq!((status.as_u16(), refused["field"].clone()), (422, json!("photo")), "at most {MAX_PHOTOS}: {refused}");

    // A client may not; a manager may for the resources they manage only.
    let client = Api::user(&app, "client@reservo.test").await;
    assert_eq!(client.upload(&photos, "image/png", PNG.to_vec()).await.0, 403);
    let manager = Api::user(&app, "manager@reservo.test").await;
    assert_eq!(manager.upload(&photos, "image/png", PNG.to_vec()).await.0, 403);
    let musician = musician_of_the_demo_manager(&app).await;
    let (status, own) = manager.upload(&format!("/api/resources/{musician}/photos"), "image/png", PNG.to_vec()).await;
    assert_eq!(status, 201, "{own}");
    let huge = vec![0u8; 6 * 1024 * 1024];
    assert_eq!(manager.upload(&format!("/api/resources/{musician}/photos"), "image/png", huge).await.0, 413);
}

async fn musician_of_the_demo_manager(app: &TestApp) -> i64 {
    resources::list_of_kind(&app.db, "musician").await.unwrap()[0].id
}

async fn photo_forms_work_without_javascript(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = Api::admin(&app).await;
    let room = new_room(&admin, "601").await;
    let id = room["id"].as_i64().unwrap();
    let browser = app.logged_in_client("admin@reservo.test").await;
    let upload = |bytes: &'static [u8]| {
        let form = reqwest::multipart::Form::new()
            .text("back", "/admin/rooms")
            .part("photo", reqwest::multipart::Part::bytes(bytes).file_name("foto.png").mime_str("image/png").unwrap());
        browser.post(app.url(&format!("/fotos/{id}"))).multipart(form).send()
    };

    let sent = upload(PNG).await.unwrap();
    assert_eq!((sent.status().as_u16(), sent.headers()["location"].to_str().unwrap()), (303, "/admin/rooms"));
    let refused = upload(b"not an image").await.unwrap();
    assert_eq!(refused.headers()["location"].to_str().unwrap(), format!("/admin/rooms?foto_de={id}&foto_error=not_an_image"));
    let (status, page) = common::get_page(&browser, &app.url(&format!("/admin/rooms?foto_de={id}&foto_error=not_an_image")), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Sube una imagen JPEG, PNG, WebP o GIF."), "the reason is shown next to the field");
    let photos = resources::find(&app.db, id).await.unwrap().unwrap().photos;
    assert_eq!(photos.len(), 1, "the refused upload added nothing");
    assert!(page.contains(&format!("src=\"{}\"", photos[0])), "the board shows the photo");

    let removed = browser.post(app.url(&format!("/fotos/{id}/0/quitar"))).form(&[("back", "/admin/rooms")]).send().await.unwrap();
    assert_eq!(removed.status(), 303);
    assert!(resources::find(&app.db, id).await.unwrap().unwrap().photos.is_empty());

    // Another client's session may not; an anonymous one is sent to log in;
    // a post from another site is refused before anything happens.
    let client = app.logged_in_client("client@reservo.test").await;
    let form = reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(PNG));
    assert_eq!(client.post(app.url(&format!("/fotos/{id}"))).multipart(form).send().await.unwrap().status(), 403);
    let anonymous = app.client().post(app.url(&format!("/fotos/{id}/0/portada"))).form(&[("back", "/admin/rooms")]).send().await.unwrap();
    assert!(anonymous.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    let cross_site = browser
        .post(app.url(&format!("/fotos/{id}")))
        .header("sec-fetch-site", "cross-site")
        .multipart(reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(PNG)))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert!(resources::find(&app.db, id).await.unwrap().unwrap().photos.is_empty());

    // A manager changes the photos of their musician from the dashboard.
    let musician = musician_of_the_demo_manager(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let form = reqwest::multipart::Form::new()
        .text("back", "/panel")
        .part("photo", reqwest::multipart::Part::bytes(PNG).file_name("escenario.png"));
    let sent = manager.post(app.url(&format!("/fotos/{musician}"))).multipart(form).send().await.unwrap();
    assert_eq!(sent.headers()["location"], "/panel");
    let url = resources::find(&app.db, musician).await.unwrap().unwrap().photos.last().cloned().unwrap();
    let (_, panel) = common::get_page(&manager, &app.url("/panel"), &[]).await;
    assert!(panel.contains(&format!("src=\"{url}\"")), "the dashboard shows the new photo");
}

async fn only_admins_and_managers_see_who_manages(engine: Engine) {
    let app = spawn_app(engine).await;
    let musician = musician_of_the_demo_manager(&app).await;
    let path = format!("/api/resources/{musician}");
    let (status, public) = Api::anonymous(&app).get(&path).await;
    assert_eq!(status, 200);
    assert!(public.get("managers").is_none(), "{public}");
    assert!(Api::user(&app, "client@reservo.test").await.get(&path).await.1.get("managers").is_none());
    let managers = Api::user(&app, "manager@reservo.test").await.get(&path).await.1["managers"].clone();
    assert_eq!(managers.as_array().map(Vec::len), Some(1));
    assert_eq!(Api::admin(&app).await.get(&path).await.1["managers"], managers);
}
