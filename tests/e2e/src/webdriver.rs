//! A minimal W3C WebDriver client over HTTP: sessions, finding elements, clicking, typing,
//! reading text and attributes, running scripts and taking screenshots.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug)]
pub struct WebDriverError(pub String);

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WebDriverError {}

pub type Result<T> = std::result::Result<T, WebDriverError>;

fn request(method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let req = ureq::request(method, url).timeout(Duration::from_secs(45));
    let response = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let value: Value = match response {
        Ok(r) => r.into_json().map_err(|e| WebDriverError(format!("{method} {url}: {e}")))?,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(WebDriverError(format!("{method} {url}: HTTP {code}: {text}")));
        }
        Err(e) => return Err(WebDriverError(format!("{method} {url}: {e}"))),
    };
    Ok(value.get("value").cloned().unwrap_or(Value::Null))
}

/// One WebDriver session.
pub struct Session {
    base: String,
    id: String,
}

/// An element of the page.
#[derive(Clone)]
pub struct Element {
    id: String,
}

impl Session {
    pub fn new(server: &str, capabilities: Value) -> Result<Self> {
        let value = request("POST", &format!("{server}/session"), Some(json!({ "capabilities": capabilities })))?;
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| WebDriverError(format!("no session id in {value}")))?
            .to_owned();
        Ok(Self { base: format!("{server}/session/{id}"), id })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        request("POST", &format!("{}{path}", self.base), Some(body))
    }

    fn get(&self, path: &str) -> Result<Value> {
        request("GET", &format!("{}{path}", self.base), None)
    }

    pub fn find(&self, css: &str) -> Result<Element> {
        let v = self.post("/element", json!({"using": "css selector", "value": css}))?;
        element_of(&v).ok_or_else(|| WebDriverError(format!("no element {css}")))
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let v = self.post("/elements", json!({"using": "css selector", "value": css}))?;
        Ok(v.as_array().map(|a| a.iter().filter_map(element_of).collect()).unwrap_or_default())
    }

    /// The first element matching `css` inside `parent`.
    pub fn find_in(&self, parent: &Element, css: &str) -> Result<Element> {
        let v = self.post(&format!("/element/{}/element", parent.id), json!({"using": "css selector", "value": css}))?;
        element_of(&v).ok_or_else(|| WebDriverError(format!("no element {css} in its parent")))
    }

    /// Waits until `css` matches an element, up to `timeout`.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.find(css) {
                Ok(e) => return Ok(e),
                Err(e) if Instant::now() >= deadline => return Err(WebDriverError(format!("waited {timeout:?} for {css}: {e}"))),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Waits until `check` holds, up to `timeout`; `what` names it in the error.
    pub fn wait_until(&self, what: &str, timeout: Duration, mut check: impl FnMut() -> bool) -> Result<()> {
        let deadline = Instant::now() + timeout;
        while !check() {
            if Instant::now() >= deadline {
                return Err(WebDriverError(format!("waited {timeout:?} for {what}")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": args}))
    }

    /// Runs an asynchronous script; it finishes by calling its last argument.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/async", json!({"script": script, "args": args}))
    }

    pub fn screenshot_png(&self) -> Result<Vec<u8>> {
        let v = self.get("/screenshot")?;
        let data = v.as_str().ok_or_else(|| WebDriverError("screenshot: no data".to_owned()))?;
        base64::engine::general_purpose::STANDARD.decode(data).map_err(|e| WebDriverError(format!("screenshot: {e}")))
    }

    pub fn click(&self, e: &Element) -> Result<()> {
        self.post(&format!("/element/{}/click", e.id), json!({})).map(|_| ())
    }

    pub fn type_text(&self, e: &Element, text: &str) -> Result<()> {
        self.post(&format!("/element/{}/value", e.id), json!({"text": text})).map(|_| ())
    }

    pub fn clear(&self, e: &Element) -> Result<()> {
        self.post(&format!("/element/{}/clear", e.id), json!({})).map(|_| ())
    }

    pub fn text(&self, e: &Element) -> Result<String> {
        Ok(self.get(&format!("/element/{}/text", e.id))?.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Result<Option<String>> {
        Ok(self.get(&format!("/element/{}/attribute/{name}", e.id))?.as_str().map(str::to_owned))
    }

    /// Selects the option with `value` in a <select>, as a user picking it would.
    pub fn select(&self, select: &Element, value: &str) -> Result<()> {
        self.execute(
            "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true})); return s.value;",
            vec![element_json(select), json!(value)],
        )
        .map(|_| ())
    }

    pub fn element_arg(&self, e: &Element) -> Value {
        element_json(e)
    }

    pub fn close(&self) -> Result<()> {
        request("DELETE", &self.base, None).map(|_| ())
    }
}

fn element_of(v: &Value) -> Option<Element> {
    v.get(ELEMENT).and_then(Value::as_str).map(|id| Element { id: id.to_owned() })
}

fn element_json(e: &Element) -> Value {
    json!({ ELEMENT: e.id })
}
