//! A REST API client for tests: bearer token, JSON in and out.

use super::TestApp;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

pub struct Api<'a> {
    pub app: &'a TestApp,
    pub http: Client,
    pub token: Option<String>,
}

impl<'a> Api<'a> {
    pub fn anonymous(app: &'a TestApp) -> Self {
        Api { app, http: Client::new(), token: None }
    }

    pub async fn admin(app: &'a TestApp) -> Api<'a> {
        let mut api = Api::anonymous(app);
        let (status, body) = api.call(Method::GET, "/api/get-test-token", None).await;
        assert_eq!(status, 200, "{body}");
        api.token = Some(body["access_token"].as_str().unwrap().to_string());
        api
    }

    pub async fn user(app: &'a TestApp, email: &str) -> Api<'a> {
        let mut api = Api::anonymous(app);
        let (status, body) = api.call(Method::POST, "/api/auth/token", Some(json!({"email": email, "password": "demo-password"}))).await;
        assert_eq!(status, 201, "{body}");
        api.token = Some(body["access_token"].as_str().unwrap().to_string());
        api
    }

    /// A request with the bearer token, if there is one.
    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, self.app.url(path));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        Self::reply(request).await
    }

    /// The status and the body as JSON (a JSON string when it is not JSON).
    async fn reply(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn room_status(&self, room: &Value) -> String {
        let (status, body) = self.get(&format!("/api/rooms/{}", room["id"])).await;
        assert_eq!(status, 200, "{body}");
        body["status"].as_str().unwrap().to_string()
    }
}

impl Api<'_> {
    /// Sends raw bytes (an image upload) with the given content type.
    pub async fn upload(&self, path: &str, content_type: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        Self::reply(self.request(Method::POST, path).header("content-type", content_type).body(bytes)).await
    }
}
