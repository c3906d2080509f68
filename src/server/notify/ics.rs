//! The iCalendar (RFC 5545) file attached to confirmations, reschedules and
//! reminders: one VEVENT in UTC. Pure: no I/O, no clock.

use super::compose::{booking_word, link_list, MessageFacts};
use chrono::{DateTime, Utc};

/// Longest physical line, in octets, without its CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// A VCALENDAR with one VEVENT for the booking, lines ended by CRLF and
/// folded at 75 octets.
///
/// * `UID` is `booking-<id>@<host of public_url>`: the same for every file
///   about one booking, so calendars update the event instead of adding one.
/// * `SEQUENCE` is the Unix time at which the booking got its current time,
///   so the file sent after a reschedule (earlier or later) supersedes the
///   earlier one.
/// * `DTSTAMP` is that same instant: no clock may be read here and the file
///   must be the same whenever it is rendered (outbox retries).
pub fn calendar_event(facts: &MessageFacts) -> String {
    let start = utc_stamp(facts.start);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Reservo//Reservo//ES".into(),
        "METHOD:PUBLISH".into(),
        "CALSCALE:GREGORIAN".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", escape_text(&format!("booking-{}@{}", facts.booking_id, host_of(&facts.public_url)))),
        format!("DTSTAMP:{}", utc_stamp(facts.timed_at)),
        format!("DTSTART:{start}"),
        format!("DTEND:{}", utc_stamp(facts.end)),
        format!("SEQUENCE:{}", facts.timed_at.timestamp().max(0)),
        format!("SUMMARY:{}", escape_text(facts.resource_name.trim())),
        format!("DESCRIPTION:{}", escape_text(&description(facts))),
    ];
    if !facts.links.view.trim().is_empty() {
        lines.push(format!("URL:{}", facts.links.view.trim()));
    }
    lines.extend(["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"].map(String::from));
    lines.iter().map(|line| fold(line)).collect()
}

/// "Reserva #42 – Estudio Luna" and one "Label: URL" line per link.
fn description(facts: &MessageFacts) -> String {
    let title = format!("{} #{} – {}", booking_word(facts.lang), facts.booking_id, facts.resource_name.trim());
    let links = link_list(facts).into_iter().filter(|(_, url)| !url.trim().is_empty());
    std::iter::once(title).chain(links.map(|(label, url)| format!("{label}: {url}"))).collect::<Vec<_>>().join("\n")
}

/// `YYYYMMDDTHHMMSSZ`.
fn utc_stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// "https://user@Reservo.example:8443/x" -> "reservo.example"; a URL
/// without a host gives "reservo.invalid".
fn host_of(url: &str) -> String {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().map(|h| format!("[{h}]")),
        None => host_port.split(':').next().map(str::to_string),
    };
    host.filter(|h| !h.is_empty() && h != "[]").map_or_else(|| "reservo.invalid".to_string(), |h| h.to_ascii_lowercase())
}

/// TEXT value escaping (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks;
/// other control characters (forbidden in content lines) are dropped.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no physical line exceeds 75 octets (never
/// inside a UTF-8 character), each ended by CRLF; continuations start with
/// a space.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / MAX_LINE_OCTETS * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Lang;
    use crate::server::notify::compose::tests::facts;
    use crate::server::notify::compose::{Audience, MessageEvent};

    fn event() -> MessageFacts {
        facts(MessageEvent::Confirmed, Audience::Client, Lang::Es)
    }

    fn unfolded(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn a_calendar_with_one_event_in_utc_and_crlf() {
        let ics = calendar_event(&event());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Reservo//Reservo//ES\r\nMETHOD:PUBLISH\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert_eq!(ics.matches("\r\n").count(), ics.matches('\n').count(), "every line ends with CRLF");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        for line in ["UID:booking-42@reservo.example", "DTSTART:20261205T200000Z", "DTEND:20261205T220000Z",
            "DTSTAMP:20261120T093000Z", "SUMMARY:Estudio Luna", "STATUS:CONFIRMED", "SEQUENCE:1795167000"] {
            assert!(ics.contains(&format!("{line}\r\n")), "{line} in {ics}");
        }
    }

    #[test]
    fn text_is_escaped_and_long_lines_are_folded() {
        let mut f = event();
        f.resource_name = "Sala; grande, \\ «ñandú» ".to_string() + &"ñ".repeat(60);
        let ics = calendar_event(&f);
        for line in ics.split("\r\n") {
            assert!(line.len() <= MAX_LINE_OCTETS, "{} octets: {line}", line.len());
        }
        let ics = unfolded(&ics);
        assert!(ics.contains(&format!("SUMMARY:Sala\\; grande\\, \\\\ «ñandú» {}\r\n", "ñ".repeat(60))), "{ics}");
        assert!(ics.contains("DESCRIPTION:Reserva #42 – Sala\\; grande"));
        assert!(ics.contains("\\nCancelar la reserva: https://reservo.example/l/cancel?t=abc\\nVer la reserva: "));
    }

    #[test]
    fn folding_keeps_characters_whole() {
        let folded = fold(&format!("X:{}", "é".repeat(100)));
        assert!(folded.split("\r\n").all(|l| l.len() <= MAX_LINE_OCTETS));
        assert_eq!(folded.replace("\r\n ", ""), format!("X:{}\r\n", "é".repeat(100)));
        assert_eq!(fold("SHORT:1"), "SHORT:1\r\n");
    }

    #[test]
    fn escaping_rules() {
        assert_eq!(escape_text("a\\b;c,d\r\ne\nf\rg\u{7}"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
    }

    #[test]
    fn uid_host_comes_from_the_public_url() {
        assert_eq!(host_of("https://Reservo.Example:8443/app?x=1"), "reservo.example");
        assert_eq!(host_of("http://user:pw@localhost:3000"), "localhost");
        assert_eq!(host_of("reservo.mx"), "reservo.mx");
        assert_eq!(host_of("http://[::1]:3000/"), "[::1]");
        assert_eq!(host_of(""), "reservo.invalid");
    }

    #[test]
    fn a_reschedule_supersedes_the_earlier_file_even_to_an_earlier_time() {
        let first = calendar_event(&event());
        let mut moved = event();
        moved.start -= chrono::Duration::days(1);
        moved.end -= chrono::Duration::days(1);
        moved.timed_at += chrono::Duration::hours(1);
        let sequence = |ics: &str| -> i64 {
            ics.lines().find_map(|l| l.strip_prefix("SEQUENCE:")).unwrap().trim().parse().unwrap()
        };
        assert!(sequence(&calendar_event(&moved)) > sequence(&first));
    }
}
