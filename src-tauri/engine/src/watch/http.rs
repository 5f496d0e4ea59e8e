//! The webhook receiver's HTTP side: one HTTP/1.1 request per connection, read against a
//! deadline in short slices that notice a stop, with caps on the head and body sizes.
//!
//! Why our own: the receiver must bound how long one client can hold a request open, and
//! tiny_http exposes no socket timeouts. GitHub sends small POSTs with Content-Length (or
//! chunked, through forwarders), so this needs far less than a general server.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// GitHub caps webhook payloads at 25 MB.
pub(super) const MAX_BODY: usize = 25 * 1024 * 1024;
/// Largest request line plus headers; and, separately, chunk-size lines plus trailers.
const MAX_HEAD: usize = 64 * 1024;
const MAX_CHUNK_LINES: usize = 1024 * 1024;
/// How often a blocked read looks at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// Writes the whole answer and closes our side; one request per connection.
pub(super) fn answer(mut stream: &TcpStream, status: u16, text: &str) {
    let reason = match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        text.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(text.as_bytes())).and_then(|()| stream.flush());
    let _ = stream.shutdown(Shutdown::Write);
}

/// A request as read: method, headers, body.
pub(super) struct Request {
    pub(super) method: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Request {
    /// The first header of that name (names compare without regard to case).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why a request could not be read.
pub(super) enum Unreadable {
    /// The receiver is stopping.
    Stopped,
    /// The client closed the connection or broke it.
    Gone,
    /// Answer with this status and reason.
    Answer(u16, String),
}

/// Socket reads against the request's deadline, in slices of at most a [`TICK`], so neither a
/// silent nor a trickling client holds its thread past the deadline or a stop.
struct DeadlineReader<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
    stop: &'a AtomicBool,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return Err(ErrorKind::ConnectionAborted.into());
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(ErrorKind::TimedOut.into());
            }
            self.stream.set_read_timeout(Some(left.min(TICK)))?;
            let mut stream = self.stream;
            match stream.read(buf) {
                // The slice ran out (Unix says WouldBlock, Windows TimedOut): look again.
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => continue,
                other => return other,
            }
        }
    }
}

/// Reading one HTTP/1.1 request.
pub(super) struct Incoming<'a> {
    reader: BufReader<DeadlineReader<'a>>,
    stop: &'a AtomicBool,
    limit: Duration,
}

impl<'a> Incoming<'a> {
    pub(super) fn new(stream: &'a TcpStream, deadline: Instant, stop: &'a AtomicBool) -> Self {
        let limit = deadline.saturating_duration_since(Instant::now());
        Self { reader: BufReader::new(DeadlineReader { stream, deadline, stop }), stop, limit }
    }

    fn failure(&self, e: std::io::Error) -> Unreadable {
        if self.stop.load(Ordering::SeqCst) {
            Unreadable::Stopped
        } else if e.kind() == ErrorKind::TimedOut {
            Unreadable::Answer(408, format!("the request did not arrive whole within {} s", self.limit.as_secs_f32()))
        } else {
            Unreadable::Gone
        }
    }

    /// One line without its CRLF, counted against `budget`.
    fn line(&mut self, budget: &mut usize, too_long: &str) -> Result<String, Unreadable> {
        let mut line = Vec::new();
        let read = (&mut self.reader).take(*budget as u64 + 1).read_until(b'\n', &mut line);
        let n = read.map_err(|e| self.failure(e))?;
        if n > *budget {
            return Err(Unreadable::Answer(431, too_long.to_owned()));
        }
        *budget -= n;
        if !line.ends_with(b"\n") {
            return Err(Unreadable::Gone);
        }
        line.pop();
        if line.ends_with(b"\r") {
            line.pop();
        }
        String::from_utf8(line).map_err(|_| Unreadable::Answer(400, "a request line or header is not UTF-8".to_owned()))
    }

    pub(super) fn read_request(mut self) -> Result<Request, Unreadable> {
        let bad = |reason: &str| Unreadable::Answer(400, reason.to_owned());
        let mut budget = MAX_HEAD;
        let too_long = "request headers larger than 64 KB";
        let request_line = self.line(&mut budget, too_long)?;
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or("").to_owned();
        if method.is_empty() || !parts.nth(1).is_some_and(|v| v.starts_with("HTTP/1.")) {
            return Err(bad("not an HTTP/1.x request"));
        }
        let mut headers = Vec::new();
        loop {
            let line = self.line(&mut budget, too_long)?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').ok_or_else(|| bad("a header without a colon"))?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let mut request = Request { method, headers, body: Vec::new() };
        if request.method != "POST" {
            return Ok(request);
        }
        let chunked = match request.header("Transfer-Encoding") {
            Some(te) if te.eq_ignore_ascii_case("chunked") => true,
            Some(te) => return Err(Unreadable::Answer(501, format!("transfer encoding {te:?} is not supported"))),
            None => false,
        };
        let lengths: Vec<&str> = request.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("Content-Length")).map(|(_, v)| v.as_str()).collect();
        let length = match lengths.first() {
            _ if chunked => None,
            None => Some(0),
            Some(first) if lengths.iter().all(|l| l == first) => Some(first.parse::<usize>().map_err(|_| bad("Content-Length is not a number"))?),
            Some(_) => return Err(bad("conflicting Content-Length headers")),
        };
        let too_large = || Unreadable::Answer(413, "payload larger than 25 MB".to_owned());
        if length.is_some_and(|n| n > MAX_BODY) {
            return Err(too_large());
        }
        if request.header("Expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
            let mut stream = self.reader.get_ref().stream;
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").map_err(|_| Unreadable::Gone)?;
        }
        request.body = match length {
            Some(n) => self.exactly(Vec::with_capacity(n.min(1 << 20)), n)?,
            None => {
                let mut body = Vec::new();
                let mut budget = MAX_CHUNK_LINES;
                loop {
                    let size_line = self.line(&mut budget, "too many chunks")?;
                    let size = size_line.split(';').next().map(str::trim).and_then(|s| usize::from_str_radix(s, 16).ok());
                    let size = size.ok_or_else(|| bad("a malformed chunk size"))?;
                    if size == 0 {
                        while !self.line(&mut budget, "trailers too large")?.is_empty() {}
                        break body;
                    }
                    if body.len() + size > MAX_BODY {
                        return Err(too_large());
                    }
                    body = self.exactly(body, size)?;
                    if !self.line(&mut budget, "too many chunks")?.is_empty() {
                        return Err(bad("a chunk longer than its size"));
                    }
                }
            }
        };
        Ok(request)
    }

    /// Appends exactly `n` more bytes to `buf`.
    fn exactly(&mut self, mut buf: Vec<u8>, n: usize) -> Result<Vec<u8>, Unreadable> {
        let start = buf.len();
        let read = (&mut self.reader).take(n as u64).read_to_end(&mut buf);
        read.map_err(|e| self.failure(e))?;
        if buf.len() - start < n {
            return Err(Unreadable::Gone);
        }
        Ok(buf)
    }
}
