//! A real, in-process SMTP server (RFC 5321 subset) for integration tests.
//!
//! It speaks enough plain SMTP for lettre's `AsyncSmtpTransport::builder_dangerous`
//! (no TLS, no AUTH): greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
//! Several messages per connection and several concurrent connections are
//! supported. Every accepted message is parsed with `mailparse` into a
//! [`Received`].
//!
//! Failure simulation:
//! * [`SmtpSink::set_down`]: new connections get `421` and are closed. Sessions
//!   that are already open also answer their *next* command with `421` and
//!   close, so a pooled client (lettre checks a pooled connection with NOOP
//!   before reusing it) sees the outage too instead of silently succeeding.
//! * [`SmtpSink::set_reject_rcpt`]: `RCPT TO` gets `550` (permanent failure).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailparse::{DispositionType, MailHeaderMap, ParsedMail};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// One message accepted by the sink.
#[derive(Debug, Clone)]
pub struct Received {
    /// MAIL FROM address (without angle brackets; "" for the null sender).
    pub from: String,
    /// RCPT TO addresses, in order.
    pub to: Vec<String>,
    /// Decoded (RFC 2047) Subject header.
    pub subject: String,
    /// Decoded first text/plain part (line endings as transmitted, i.e. CRLF).
    pub text: String,
    /// Decoded first text/html part ("" if none).
    pub html: String,
    /// (filename, content type, decoded body) for every attachment-like part.
    pub attachments: Vec<(String, String, String)>,
    /// Top-level headers, decoded values, in order.
    pub headers: Vec<(String, String)>,
    /// The message exactly as received after DATA (dot-stuffing undone).
    pub raw: String,
}

impl Received {
    /// First top-level header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    messages: Vec<Received>,
    down: bool,
    reject_rcpt: bool,
    connections: usize,
}

struct Shared {
    state: Mutex<State>,
    /// Number of accepted messages, for `wait_for`.
    count: watch::Sender<usize>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn is_down(&self) -> bool {
        self.lock().down
    }
}

/// An SMTP server on 127.0.0.1; stops (listener and all sessions) when dropped.
pub struct SmtpSink {
    shared: Arc<Shared>,
    port: u16,
    task: JoinHandle<()>,
}

impl SmtpSink {
    /// Binds 127.0.0.1:0 and starts accepting connections.
    pub async fn start() -> SmtpSink {
        SmtpSink::start_on(0).await
    }

    /// Binds 127.0.0.1:`port` (0: any free port) and starts accepting connections.
    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind SMTP sink");
        let port = listener.local_addr().expect("SMTP sink local addr").port();
        let (count, _) = watch::channel(0usize);
        let shared = Arc::new(Shared { state: Mutex::new(State::default()), count });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        SmtpSink { shared, port, task }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// All messages accepted so far, in order of acceptance.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.lock().messages.clone()
    }

    /// Number of TCP connections accepted so far (including refused ones while down).
    pub fn connection_count(&self) -> usize {
        self.shared.lock().connections
    }

    /// Waits until at least `n` messages have arrived; panics on timeout,
    /// listing what did arrive.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let mut rx = self.shared.count.subscribe();
        let waited = tokio::time::timeout(timeout, rx.wait_for(|c| *c >= n)).await;
        let messages = self.messages();
        if waited.is_err() || messages.len() < n {
            let listing: Vec<String> = messages
                .iter()
                .enumerate()
                .map(|(i, m)| format!("  #{i}: from <{}> to {:?} subject {:?}", m.from, m.to, m.subject))
                .collect();
            panic!(
                "SmtpSink: timed out after {timeout:?} waiting for {n} message(s); {} arrived{}\n{}",
                messages.len(),
                if messages.is_empty() { "" } else { ":" },
                listing.join("\n")
            );
        }
        messages
    }

    /// While down, every new connection is answered with `421` and closed, and
    /// open sessions answer their next command with `421` and close.
    pub fn set_down(&self, down: bool) {
        self.shared.lock().down = down;
    }

    /// While on, `RCPT TO` is answered with `550 mailbox unavailable`.
    pub fn set_reject_rcpt(&self, on: bool) {
        self.shared.lock().reject_rcpt = on;
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every session.
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                shared.lock().connections += 1;
                sessions.spawn(session(stream, Arc::clone(&shared)));
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}

const DOWN: &[u8] = b"421 localhost service not available, closing transmission channel\r\n";

async fn reply(w: &mut (impl AsyncWriteExt + Unpin), line: &str) -> std::io::Result<()> {
    w.write_all(line.as_bytes()).await?;
    w.write_all(b"\r\n").await?;
    w.flush().await
}

/// Extracts the address between `<` and `>` (or the first word) after `MAIL FROM:` / `RCPT TO:`.
fn path_arg(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix('<') {
        let end = r.find('>')?;
        Some(r[..end].to_string())
    } else {
        rest.split_whitespace().next().map(str::to_string)
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let _ = stream.set_nodelay(true);
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);

    if shared.is_down() {
        w.write_all(DOWN).await?;
        w.flush().await?;
        let _ = w.shutdown().await;
        return Ok(());
    }
    reply(&mut w, "220 localhost ESMTP Reservo test sink ready").await?;

    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Ok(()); // client went away
        }
        if shared.is_down() {
            w.write_all(DOWN).await?;
            w.flush().await?;
            let _ = w.shutdown().await;
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let cmd_line = text.trim_end_matches(['\r', '\n']);
        let upper = cmd_line.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("");

        match verb {
            "EHLO" => {
                from = None;
                to.clear();
                w.write_all(b"250-localhost greets you\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n")
                    .await?;
                w.flush().await?;
            }
            "HELO" => {
                from = None;
                to.clear();
                reply(&mut w, "250 localhost").await?;
            }
            "MAIL" if upper.starts_with("MAIL FROM:") => {
                if from.is_some() {
                    reply(&mut w, "503 5.5.1 nested MAIL command").await?;
                    continue;
                }
                match path_arg(&cmd_line["MAIL FROM:".len()..]) {
                    Some(addr) => {
                        from = Some(addr);
                        to.clear();
                        reply(&mut w, "250 2.1.0 OK").await?;
                    }
                    None => reply(&mut w, "501 5.5.4 syntax: MAIL FROM:<address>").await?,
                }
            }
            "RCPT" if upper.starts_with("RCPT TO:") => {
                if from.is_none() {
                    reply(&mut w, "503 5.5.1 need MAIL before RCPT").await?;
                    continue;
                }
                if shared.lock().reject_rcpt {
                    reply(&mut w, "550 5.1.1 mailbox unavailable").await?;
                    continue;
                }
                match path_arg(&cmd_line["RCPT TO:".len()..]) {
                    Some(addr) if !addr.is_empty() => {
                        to.push(addr);
                        reply(&mut w, "250 2.1.5 OK").await?;
                    }
                    _ => reply(&mut w, "501 5.5.4 syntax: RCPT TO:<address>").await?,
                }
            }
            "DATA" => {
                if from.is_none() || to.is_empty() {
                    reply(&mut w, "503 5.5.1 need MAIL and RCPT before DATA").await?;
                    continue;
                }
                reply(&mut w, "354 end data with <CR><LF>.<CR><LF>").await?;
                let mut body: Vec<u8> = Vec::new();
                loop {
                    line.clear();
                    if r.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(()); // connection lost mid-DATA: message not accepted
                    }
                    let content = line.strip_suffix(b"\n").unwrap_or(&line);
                    let content = content.strip_suffix(b"\r").unwrap_or(content);
                    if content == b"." {
                        break;
                    }
                    // Undo dot-stuffing (RFC 5321 4.5.2).
                    let unstuffed = if line.first() == Some(&b'.') { &line[1..] } else { &line[..] };
                    body.extend_from_slice(unstuffed);
                }
                let message = parse_message(from.take().unwrap_or_default(), std::mem::take(&mut to), &body);
                {
                    let mut st = shared.lock();
                    st.messages.push(message);
                    let n = st.messages.len();
                    shared.count.send_replace(n);
                }
                reply(&mut w, "250 2.0.0 OK queued").await?;
            }
            "RSET" => {
                from = None;
                to.clear();
                reply(&mut w, "250 2.0.0 OK").await?;
            }
            "NOOP" => reply(&mut w, "250 2.0.0 OK").await?,
            "QUIT" => {
                reply(&mut w, "221 2.0.0 localhost closing connection").await?;
                let _ = w.shutdown().await;
                return Ok(());
            }
            "VRFY" => reply(&mut w, "252 2.1.5 cannot VRFY user").await?,
            _ => reply(&mut w, "502 5.5.2 command not implemented").await?,
        }
    }
}

fn parse_message(from: String, to: Vec<String>, body: &[u8]) -> Received {
    let raw = String::from_utf8_lossy(body).into_owned();
    let mut received = Received {
        from,
        to,
        subject: String::new(),
        text: String::new(),
        html: String::new(),
        attachments: Vec::new(),
        headers: Vec::new(),
        raw,
    };
    let parsed = match mailparse::parse_mail(body) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("SmtpSink: could not parse message: {e}");
            return received;
        }
    };
    received.subject = parsed.headers.get_first_value("Subject").unwrap_or_default();
    received.headers = parsed.headers.iter().map(|h| (h.get_key(), h.get_value())).collect();
    let (mut seen_text, mut seen_html) = (false, false);
    walk(&parsed, &mut received, &mut seen_text, &mut seen_html);
    received
}

fn walk(part: &ParsedMail<'_>, out: &mut Received, seen_text: &mut bool, seen_html: &mut bool) {
    if !part.subparts.is_empty() {
        for sub in &part.subparts {
            walk(sub, out, seen_text, seen_html);
        }
        return;
    }
    let mime = part.ctype.mimetype.to_ascii_lowercase();
    let disposition = part.get_content_disposition();
    let filename = disposition
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .cloned();
    let body = decoded_body(part);

    if disposition.disposition == DispositionType::Attachment || filename.is_some() || mime == "text/calendar" {
        out.attachments.push((filename.unwrap_or_default(), mime, body));
    } else if mime == "text/plain" && !*seen_text {
        *seen_text = true;
        out.text = body;
    } else if mime == "text/html" && !*seen_html {
        *seen_html = true;
        out.html = body;
    }
}

/// The part's body with transfer encoding and charset undone. A part declared
/// (or defaulted, when there is no Content-Type) as us-ascii whose bytes are
/// valid UTF-8 is read as UTF-8: lettre's `Message::builder().body(String)`
/// sends UTF-8 without any Content-Type header.
fn decoded_body(part: &ParsedMail<'_>) -> String {
    let raw = part.get_body_raw();
    if part.ctype.charset.eq_ignore_ascii_case("us-ascii") {
        if let Ok(Ok(utf8)) = raw.as_ref().map(|b| std::str::from_utf8(b)) {
            return utf8.to_string();
        }
    }
    part.get_body()
        .or_else(|_| raw.map(|b| String::from_utf8_lossy(&b).into_owned()))
        .unwrap_or_default()
}
