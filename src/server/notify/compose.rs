//! The words of every notification: subject, plain text and HTML email, SMS
//! text and the .ics calendar attachment, in the recipient's language with
//! times in the resource's time zone. Pure: no I/O, no clock.

use crate::domain::account::Lang;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// What happened to the booking that the message tells about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageEvent {
    Requested,
    Confirmed,
    Rejected,
    Cancelled,
    Expired,
    Rescheduled,
    CheckedIn,
    CheckedOut,
    Reminder,
}

impl MessageEvent {
    /// Stored in `outbox_messages.event`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::Requested => "requested",
            MessageEvent::Confirmed => "confirmed",
            MessageEvent::Rejected => "rejected",
            MessageEvent::Cancelled => "cancelled",
            MessageEvent::Expired => "expired",
            MessageEvent::Rescheduled => "rescheduled",
            MessageEvent::CheckedIn => "checked_in",
            MessageEvent::CheckedOut => "checked_out",
            MessageEvent::Reminder => "reminder",
        }
    }
}

/// Who reads the message: the client (or guest) who booked, or a manager of
/// the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Client,
    Manager,
}

/// Links that work without logging in, already signed, as absolute URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub confirm_attendance: Option<String>,
    pub cancel: Option<String>,
    pub reschedule: Option<String>,
    /// The booking in the app (managers: their dashboard).
    pub view: String,
}

/// Everything a message may say about a booking.
#[derive(Debug, Clone)]
pub struct MessageFacts {
    pub event: MessageEvent,
    pub audience: Audience,
    pub lang: Lang,
    pub booking_id: i64,
    pub resource_name: String,
    /// "musician", "venue", "workshop", "room" or a configured kind.
    pub resource_kind: String,
    pub zone: Tz,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Rescheduled: where the booking was before.
    pub previous_start: Option<DateTime<Utc>>,
    /// When the booking got its current time: the calendar file's revision.
    pub timed_at: DateTime<Utc>,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: Option<String>,
    pub party_size: u32,
    pub notes: String,
    pub price_minor: i64,
    pub currency: String,
    /// Why it was cancelled or rejected, as the person wrote it (may be empty).
    pub reason: String,
    pub links: Links,
    /// Address of the app, for the .ics UID domain and the footer.
    pub public_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar (RFC 5545) file for confirmations and reschedules.
    pub ics: Option<String>,
}

/// The whole email for one recipient. The `.ics` file is attached for the
/// client's confirmation and reschedule, and for reminders.
pub fn email(facts: &MessageFacts) -> Email {
    let message = Message::new(facts);
    Email {
        subject: message.subject.clone(),
        text: message.text(),
        html: message.html(facts.lang),
        ics: attaches_ics(facts.event, facts.audience).then(|| super::ics::calendar_event(facts)),
    }
}

/// One plain-text line of at most [`SMS_MAX_CHARS`] characters: what happened,
/// the resource, the local time and the most useful link (cancel, else view).
pub fn sms(facts: &MessageFacts) -> String {
    let p = phrases(facts.lang);
    let head = format!("Reservo #{}: {}. {}.", facts.booking_id, subject(facts), span(p, facts));
    let (label, url) = sms_link(facts);
    fit_line(&head, &format!("{label}: {}", url.trim()), SMS_MAX_CHARS)
}

pub const SMS_MAX_CHARS: usize = 320;

pub use crate::domain::markup::escape as escape_html;

/// Currencies whose minor unit is the major unit (no decimals).
const ZERO_DECIMAL: [&str; 9] = ["JPY", "KRW", "CLP", "VND", "ISK", "PYG", "UGX", "XAF", "XOF"];

/// Minor units as "$1,500.00 MXN" (same style in both languages); zero-decimal
/// currencies as "¥1,500 JPY"; an unknown code gets no symbol: "1,500.00 PEN".
pub fn money(minor: i64, currency: &str) -> String {
    let code = currency.trim().to_ascii_uppercase();
    let decimals = if ZERO_DECIMAL.contains(&code.as_str()) { 0 } else { 2 };
    let scale = 10u64.pow(decimals);
    let abs = minor.unsigned_abs();
    let fraction = if decimals == 0 { String::new() } else { format!(".{:02}", abs % scale) };
    let sign = if minor < 0 { "-" } else { "" };
    let amount = format!("{sign}{}{}{fraction} {code}", currency_symbol(&code), group_thousands(abs / scale));
    amount.trim_end().to_string()
}

fn currency_symbol(code: &str) -> &'static str {
    match code {
        "MXN" | "USD" | "CAD" | "AUD" | "NZD" | "CLP" | "COP" | "ARS" | "UYU" | "HKD" | "SGD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "KRW" => "₩",
        _ => "",
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn attaches_ics(event: MessageEvent, audience: Audience) -> bool {
    match event {
        MessageEvent::Confirmed | MessageEvent::Rescheduled => audience == Audience::Client,
        MessageEvent::Reminder => true,
        _ => false,
    }
}

/// The labelled links present in `facts`, "view" always last.
pub(super) fn link_list(facts: &MessageFacts) -> Vec<(&'static str, &str)> {
    let p = phrases(facts.lang);
    let l = &facts.links;
    let optional = [(p.confirm_attendance, &l.confirm_attendance), (p.cancel, &l.cancel), (p.reschedule, &l.reschedule)];
    let mut links: Vec<_> = optional.into_iter().filter_map(|(label, url)| Some((label, url.as_deref()?))).collect();
    links.push((p.view, l.view.as_str()));
    links
}

/// "Reserva" / "Booking", for the calendar description.
pub(super) fn booking_word(lang: Lang) -> &'static str {
    phrases(lang).booking
}

/// The client of a booking that is still ahead is best served by the cancel
/// link; everyone else by the view link.
fn sms_link(facts: &MessageFacts) -> (&'static str, &str) {
    let p = phrases(facts.lang);
    let ahead = matches!(
        facts.event,
        MessageEvent::Requested | MessageEvent::Confirmed | MessageEvent::Rescheduled | MessageEvent::Reminder
    );
    match (&facts.links.cancel, facts.audience) {
        (Some(cancel), Audience::Client) if ahead => (p.cancel, cancel),
        _ => (p.view, &facts.links.view),
    }
}

/// `head`, a space and `tail` on one line; `head` is shortened with "…" so
/// the whole stays within `max` characters (the link in `tail` is kept whole).
fn fit_line(head: &str, tail: &str, max: usize) -> String {
    let (head, tail) = (one_line(head), one_line(tail));
    let room = max.saturating_sub(tail.chars().count() + 1);
    let head = if head.chars().count() <= room {
        head
    } else {
        let mut short: String = head.chars().take(room.saturating_sub(1)).collect();
        short.push('…');
        short
    };
    let line = format!("{head} {tail}");
    line.chars().take(max).collect()
}

/// Control characters and runs of whitespace as single spaces.
fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = String::with_capacity(spaced.len());
    for word in spaced.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The message before markup: text and HTML are two renderings of it.
struct Message {
    subject: String,
    greeting: String,
    lead: String,
    rows: Vec<(&'static str, String)>,
    links: Vec<(&'static str, String)>,
    footer: (&'static str, String),
}

impl Message {
    fn new(facts: &MessageFacts) -> Message {
        let p = phrases(facts.lang);
        let greeting = match (facts.audience, facts.guest_name.trim()) {
            (Audience::Client, name) if !name.is_empty() => fill(p.hello_name, &[("name", name)]),
            _ => p.hello.to_string(),
        };
        Message {
            subject: subject(facts),
            greeting,
            lead: fill(says(facts).lead, &placeholders(facts).each()),
            rows: rows(p, facts),
            links: link_list(facts).into_iter().map(|(label, url)| (label, url.to_string())).collect(),
            footer: (p.sent_by, facts.public_url.clone()),
        }
    }

    fn text(&self) -> String {
        let mut out = format!("{}\n\n{}\n\n", self.greeting, self.lead);
        for (label, value) in self.rows.iter().chain(&self.links) {
            let value = value.replace("\r\n", "\n").replace('\n', "\n    ");
            out.push_str(&format!("{label}: {value}\n"));
        }
        out.push_str(&format!("\n-- \n{} {}\n", self.footer.0, self.footer.1));
        out
    }

    fn html(&self, lang: Lang) -> String {
        let e = escape_html;
        let rows: String = self.rows.iter().map(|(label, value)| format!(
            "<tr><th style=\"text-align:left;vertical-align:top;padding:4px 16px 4px 0;color:#52525b;font-weight:normal\">{}</th>\
             <td style=\"padding:4px 0;white-space:pre-line\">{}</td></tr>\n", e(label), e(value))).collect();
        let buttons: String = self.links.iter().map(|(label, url)| format!(
            "<a href=\"{}\" style=\"display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:6px;\
             background:#4f46e5;color:#ffffff;text-decoration:none\">{}</a>\n", e(url), e(label))).collect();
        let (sent_by, url) = (&self.footer.0, &self.footer.1);
        format!(
            "<!doctype html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{subject}</title></head>\n\
             <body style=\"margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b\">\n\
             <div style=\"max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px\">\n\
             <p>{greeting}</p>\n<p>{lead}</p>\n\
             <table role=\"presentation\" style=\"border-collapse:collapse;margin:16px 0\">\n{rows}</table>\n\
             <p>\n{buttons}</p>\n\
             <p style=\"margin-top:24px;font-size:12px;color:#71717a\">{sent_by} <a href=\"{url}\" style=\"color:#71717a\">{url}</a></p>\n\
             </div>\n</body>\n</html>\n",
            lang = lang.code(),
            subject = e(&self.subject),
            greeting = e(&self.greeting),
            lead = e(&self.lead),
            sent_by = e(sent_by),
            url = e(url),
        )
    }
}

/// The facts listed under the lead, labelled in the recipient's language.
fn rows(p: &Phrases, facts: &MessageFacts) -> Vec<(&'static str, String)> {
    let manager = facts.audience == Audience::Manager;
    let rescheduled = facts.event == MessageEvent::Rescheduled;
    let reasoned = matches!(facts.event, MessageEvent::Cancelled | MessageEvent::Rejected);
    let phone = facts.guest_phone.as_deref().map(str::trim).unwrap_or("");
    let candidates = [
        (p.booking, Some(format!("#{}", facts.booking_id))),
        (p.what, Some(facts.resource_name.clone())),
        (p.when, Some(span(p, facts))),
        (p.before, facts.previous_start.filter(|_| rescheduled).map(|at| moment(p, facts.zone, at))),
        (p.guest, manager.then(|| facts.guest_name.clone())),
        (p.email, manager.then(|| facts.guest_email.clone())),
        (p.phone, manager.then(|| phone.to_string())),
        (p.party, (facts.party_size > 0).then(|| facts.party_size.to_string())),
        (p.notes, Some(facts.notes.trim().to_string())),
        (p.price, (facts.price_minor > 0).then(|| money(facts.price_minor, &facts.currency))),
        (p.reason, reasoned.then(|| facts.reason.trim().to_string())),
    ];
    candidates
        .into_iter()
        .filter_map(|(label, value)| Some((label, value.filter(|v| !v.trim().is_empty())?)))
        .collect()
}

/// The subject line: never more than one line, whatever the names contain.
fn subject(facts: &MessageFacts) -> String {
    one_line(&fill(says(facts).subject, &placeholders(facts).each()))
}

fn says(facts: &MessageFacts) -> Says {
    (phrases(facts.lang).says)(facts.event, facts.audience)
}

struct Placeholders {
    resource: String,
    guest: String,
    date: String,
}

impl Placeholders {
    fn each(&self) -> [(&'static str, &str); 3] {
        [("resource", &self.resource), ("guest", &self.guest), ("date", &self.date)]
    }
}

fn placeholders(facts: &MessageFacts) -> Placeholders {
    let p = phrases(facts.lang);
    let guest = [facts.guest_name.trim(), facts.guest_email.trim()].into_iter().find(|g| !g.is_empty());
    Placeholders {
        resource: facts.resource_name.trim().to_string(),
        guest: guest.unwrap_or(p.someone).to_string(),
        date: date(p, facts.start.with_timezone(&facts.zone).date_naive()),
    }
}

/// Replaces `{key}` in one pass, so a value that itself contains `{…}` is
/// left as it is. Unknown keys stay verbatim.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let found = values.iter().find(|(key, _)| *key == &after[..close])?;
            Some((found.1, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "sábado 5 de diciembre de 2026" / "Saturday, December 5, 2026".
fn date(p: &Phrases, day: NaiveDate) -> String {
    let (weekday, month) = (p.weekdays[day.weekday().num_days_from_monday() as usize], p.months[day.month0() as usize]);
    let (number, year) = (day.day().to_string(), day.year().to_string());
    fill(p.date, &[("weekday", weekday), ("day", &number), ("month", month), ("year", &year)])
}

/// The booking's start and end in its zone, with the zone's name: one date
/// when both fall on the same local day, both dates otherwise (hotel stays).
fn span(p: &Phrases, facts: &MessageFacts) -> String {
    let (start, end) = (facts.start.with_timezone(&facts.zone), facts.end.with_timezone(&facts.zone));
    let (from, to) = (start.format("%H:%M"), end.format("%H:%M"));
    let times = if start.date_naive() == end.date_naive() {
        format!("{}, {from}–{to}", date(p, start.date_naive()))
    } else {
        format!("{}, {from} – {}, {to}", date(p, start.date_naive()), date(p, end.date_naive()))
    };
    format!("{times} ({})", facts.zone.name())
}

/// One instant in `zone`: "sábado 5 de diciembre de 2026, 14:00 (America/Mexico_City)".
fn moment(p: &Phrases, zone: Tz, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone);
    format!("{}, {} ({})", date(p, local.date_naive()), local.format("%H:%M"), zone.name())
}

/// A subject and the opening sentence; placeholders `{resource}`, `{guest}`
/// (name, else email) and `{date}` (local start date).
#[derive(Debug, Clone, Copy)]
struct Says {
    subject: &'static str,
    lead: &'static str,
}

/// Every word of a language.
struct Phrases {
    /// Monday first.
    weekdays: [&'static str; 7],
    months: [&'static str; 12],
    /// With `{weekday}`, `{day}`, `{month}` and `{year}`.
    date: &'static str,
    says: fn(MessageEvent, Audience) -> Says,
    someone: &'static str,
    hello: &'static str,
    hello_name: &'static str,
    booking: &'static str,
    what: &'static str,
    when: &'static str,
    before: &'static str,
    guest: &'static str,
    email: &'static str,
    phone: &'static str,
    party: &'static str,
    notes: &'static str,
    price: &'static str,
    reason: &'static str,
    confirm_attendance: &'static str,
    cancel: &'static str,
    reschedule: &'static str,
    view: &'static str,
    sent_by: &'static str,
}

fn phrases(lang: Lang) -> &'static Phrases {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

static ES: Phrases = Phrases {
    weekdays: ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    months: [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
        "diciembre",
    ],
    date: "{weekday} {day} de {month} de {year}",
    says: says_es,
    someone: "un cliente",
    hello: "Hola:",
    hello_name: "Hola, {name}:",
    booking: "Reserva",
    what: "Qué",
    when: "Cuándo",
    before: "Antes",
    guest: "Cliente",
    email: "Correo",
    phone: "Teléfono",
    party: "Personas",
    notes: "Notas",
    price: "Precio",
    reason: "Motivo",
    confirm_attendance: "Confirmar asistencia",
    cancel: "Cancelar la reserva",
    reschedule: "Cambiar la fecha",
    view: "Ver la reserva",
    sent_by: "Enviado por Reservo ·",
};

static EN: Phrases = Phrases {
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ],
    date: "{weekday}, {month} {day}, {year}",
    says: says_en,
    someone: "a guest",
    hello: "Hello,",
    hello_name: "Hi {name},",
    booking: "Booking",
    what: "What",
    when: "When",
    before: "Previously",
    guest: "Guest",
    email: "Email",
    phone: "Phone",
    party: "Party size",
    notes: "Notes",
    price: "Price",
    reason: "Reason",
    confirm_attendance: "Confirm attendance",
    cancel: "Cancel the booking",
    reschedule: "Change the date",
    view: "View the booking",
    sent_by: "Sent by Reservo ·",
};

fn says_es(event: MessageEvent, audience: Audience) -> Says {
    use Audience::*;
    use MessageEvent::*;
    let (subject, lead) = match (event, audience) {
        (Requested, Client) => ("Solicitud de reserva recibida: {resource}",
            "Recibimos tu solicitud de reserva de {resource}. Está en espera de que el responsable la confirme; te avisaremos en cuanto responda."),
        (Requested, Manager) => ("Nueva solicitud de reserva de {guest} para {resource}",
            "{guest} solicitó una reserva de {resource}. Confírmala o recházala antes de que venza."),
        (Confirmed, Client) => ("Reserva confirmada: {resource}", "Tu reserva de {resource} está confirmada."),
        (Confirmed, Manager) => ("Reserva confirmada: {resource} ({guest})",
            "La reserva de {guest} para {resource} está confirmada."),
        (Rejected, Client) => ("Solicitud de reserva rechazada: {resource}",
            "Lo sentimos: tu solicitud de reserva de {resource} no fue aceptada."),
        (Rejected, Manager) => ("Solicitud de reserva rechazada: {resource} ({guest})",
            "La solicitud de {guest} para {resource} fue rechazada."),
        (Cancelled, Client) => ("Reserva cancelada: {resource}", "Tu reserva de {resource} fue cancelada."),
        (Cancelled, Manager) => ("Reserva cancelada: {resource} ({guest})",
            "La reserva de {guest} para {resource} fue cancelada."),
        (Expired, Client) => ("Solicitud de reserva vencida: {resource}",
            "Tu solicitud de reserva de {resource} no recibió respuesta a tiempo y venció. Puedes intentarlo con otra fecha."),
        (Expired, Manager) => ("Solicitud vencida sin respuesta: {resource} ({guest})",
            "La solicitud de {guest} para {resource} no se respondió a tiempo y venció."),
        (Rescheduled, Client) => ("Reserva cambiada de fecha: {resource}", "Tu reserva de {resource} cambió de fecha."),
        (Rescheduled, Manager) => ("Reserva cambiada de fecha: {resource} ({guest})",
            "La reserva de {guest} para {resource} cambió de fecha."),
        (CheckedIn, Client) => ("Llegada registrada: {resource}", "Registramos tu llegada a {resource}. ¡Que lo disfrutes!"),
        (CheckedIn, Manager) => ("Llegada registrada: {resource} ({guest})", "{guest} registró su llegada a {resource}."),
        (CheckedOut, Client) => ("Salida registrada: {resource}", "Registramos tu salida de {resource}. ¡Gracias por tu visita!"),
        (CheckedOut, Manager) => ("Salida registrada: {resource} ({guest})", "{guest} registró su salida de {resource}."),
        (Reminder, Client) => ("Recordatorio: {resource} el {date}", "Te recordamos tu reserva de {resource}."),
        (Reminder, Manager) => ("Recordatorio: {resource} el {date} ({guest})",
            "Te recordamos la reserva de {guest} para {resource}."),
    };
    Says { subject, lead }
}

fn says_en(event: MessageEvent, audience: Audience) -> Says {
    use Audience::*;
    use MessageEvent::*;
    let (subject, lead) = match (event, audience) {
        (Requested, Client) => ("Booking request received: {resource}",
            "We received your booking request for {resource}. It is waiting for the manager to confirm it; we will let you know as soon as they answer."),
        (Requested, Manager) => ("New booking request from {guest} for {resource}",
            "{guest} requested a booking of {resource}. Please confirm or decline it before it expires."),
        (Confirmed, Client) => ("Booking confirmed: {resource}", "Your booking of {resource} is confirmed."),
        (Confirmed, Manager) => ("Booking confirmed: {resource} ({guest})", "The booking of {resource} by {guest} is confirmed."),
        (Rejected, Client) => ("Booking request declined: {resource}",
            "We are sorry: your booking request for {resource} was declined."),
        (Rejected, Manager) => ("Booking request declined: {resource} ({guest})",
            "The request from {guest} for {resource} was declined."),
        (Cancelled, Client) => ("Booking cancelled: {resource}", "Your booking of {resource} has been cancelled."),
        (Cancelled, Manager) => ("Booking cancelled: {resource} ({guest})",
            "The booking of {resource} by {guest} has been cancelled."),
        (Expired, Client) => ("Booking request expired: {resource}",
            "Your booking request for {resource} was not answered in time and has expired. You may try another date."),
        (Expired, Manager) => ("Request expired unanswered: {resource} ({guest})",
            "The request from {guest} for {resource} was not answered in time and has expired."),
        (Rescheduled, Client) => ("Booking rescheduled: {resource}", "Your booking of {resource} has moved to a new time."),
        (Rescheduled, Manager) => ("Booking rescheduled: {resource} ({guest})",
            "The booking of {resource} by {guest} has moved to a new time."),
        (CheckedIn, Client) => ("Checked in: {resource}", "You are checked in at {resource}. Enjoy!"),
        (CheckedIn, Manager) => ("Checked in: {resource} ({guest})", "{guest} has checked in at {resource}."),
        (CheckedOut, Client) => ("Checked out: {resource}", "You are checked out of {resource}. Thank you for your visit!"),
        (CheckedOut, Manager) => ("Checked out: {resource} ({guest})", "{guest} has checked out of {resource}."),
        (Reminder, Client) => ("Reminder: {resource} on {date}", "This is a reminder of your booking of {resource}."),
        (Reminder, Manager) => ("Reminder: {resource} on {date} ({guest})",
            "This is a reminder of the booking of {resource} by {guest}."),
    };
    Says { subject, lead }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::America::Mexico_City;

    pub(in crate::server::notify) fn facts(event: MessageEvent, audience: Audience, lang: Lang) -> MessageFacts {
        MessageFacts {
            event,
            audience,
            lang,
            booking_id: 42,
            resource_name: "Estudio Luna".into(),
            resource_kind: "venue".into(),
            zone: Mexico_City,
            start: Utc.with_ymd_and_hms(2026, 12, 5, 20, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 5, 22, 0, 0).unwrap(),
            previous_start: None,
            timed_at: Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap(),
            guest_name: "Ana López".into(),
            guest_email: "ana@example.com".into(),
            guest_phone: Some("+52 55 1234 5678".into()),
            party_size: 3,
            notes: String::new(),
            price_minor: 150_000,
            currency: "MXN".into(),
            reason: String::new(),
            links: Links {
                confirm_attendance: None,
                cancel: Some("https://reservo.example/l/cancel?t=abc".into()),
                reschedule: None,
                view: "https://reservo.example/bookings/42".into(),
            },
            public_url: "https://reservo.example".into(),
        }
    }

    const ALL_EVENTS: [MessageEvent; 9] = [
        MessageEvent::Requested,
        MessageEvent::Confirmed,
        MessageEvent::Rejected,
        MessageEvent::Cancelled,
        MessageEvent::Expired,
        MessageEvent::Rescheduled,
        MessageEvent::CheckedIn,
        MessageEvent::CheckedOut,
        MessageEvent::Reminder,
    ];

    fn every_pair() -> impl Iterator<Item = (MessageEvent, Audience, Lang)> {
        ALL_EVENTS.into_iter().flat_map(|e| {
            [Audience::Client, Audience::Manager].into_iter().flat_map(move |a| [Lang::Es, Lang::En].map(|l| (e, a, l)))
        })
    }

    #[test]
    fn subjects_in_both_languages() {
        let subject = |e, a, l| email(&facts(e, a, l)).subject;
        assert_eq!(subject(MessageEvent::Confirmed, Audience::Client, Lang::Es), "Reserva confirmada: Estudio Luna");
        assert_eq!(subject(MessageEvent::Confirmed, Audience::Client, Lang::En), "Booking confirmed: Estudio Luna");
        assert_eq!(
            subject(MessageEvent::Requested, Audience::Manager, Lang::Es),
            "Nueva solicitud de reserva de Ana López para Estudio Luna"
        );
        assert_eq!(
            subject(MessageEvent::Requested, Audience::Manager, Lang::En),
            "New booking request from Ana López for Estudio Luna"
        );
        assert_eq!(
            subject(MessageEvent::Reminder, Audience::Client, Lang::Es),
            "Recordatorio: Estudio Luna el sábado 5 de diciembre de 2026"
        );
        assert_eq!(
            subject(MessageEvent::Reminder, Audience::Client, Lang::En),
            "Reminder: Estudio Luna on Saturday, December 5, 2026"
        );
        assert!(subject(MessageEvent::Requested, Audience::Client, Lang::Es).starts_with("Solicitud de reserva"));
    }

    #[test]
    fn every_pair_has_distinct_words_in_each_language() {
        for (event, audience, lang) in every_pair() {
            let mail = email(&facts(event, audience, lang));
            assert!(mail.subject.contains("Estudio Luna"), "{event:?} {audience:?} {lang:?}");
            assert!(!mail.subject.contains('{') && !mail.text.contains('{'), "{event:?} {audience:?} {lang:?}");
            let other = email(&facts(event, audience, lang.other()));
            assert_ne!(mail.subject, other.subject);
        }
    }

    #[test]
    fn times_are_local_with_the_zone_name() {
        let es = email(&facts(MessageEvent::Confirmed, Audience::Client, Lang::Es));
        assert!(es.text.contains("Cuándo: sábado 5 de diciembre de 2026, 14:00–16:00 (America/Mexico_City)"), "{}", es.text);
        let en = email(&facts(MessageEvent::Confirmed, Audience::Client, Lang::En));
        assert!(en.text.contains("When: Saturday, December 5, 2026, 14:00–16:00 (America/Mexico_City)"), "{}", en.text);
        assert!(!en.text.contains("20:00"));
        assert!(en.html.contains("14:00–16:00 (America/Mexico_City)"));
    }

    #[test]
    fn a_stay_over_several_days_shows_both_dates() {
        let mut stay = facts(MessageEvent::Confirmed, Audience::Client, Lang::Es);
        stay.start = Utc.with_ymd_and_hms(2026, 12, 5, 21, 0, 0).unwrap();
        stay.end = Utc.with_ymd_and_hms(2026, 12, 8, 18, 0, 0).unwrap();
        let text = email(&stay).text;
        assert!(
            text.contains("sábado 5 de diciembre de 2026, 15:00 – martes 8 de diciembre de 2026, 12:00 (America/Mexico_City)"),
            "{text}"
        );
        stay.lang = Lang::En;
        assert!(email(&stay).text.contains("Saturday, December 5, 2026, 15:00 – Tuesday, December 8, 2026, 12:00"));
    }

    #[test]
    fn rescheduled_shows_the_previous_and_the_new_time() {
        let mut moved = facts(MessageEvent::Rescheduled, Audience::Client, Lang::Es);
        moved.previous_start = Some(Utc.with_ymd_and_hms(2026, 11, 28, 17, 30, 0).unwrap());
        let mail = email(&moved);
        assert!(mail.text.contains("Antes: sábado 28 de noviembre de 2026, 11:30 (America/Mexico_City)"), "{}", mail.text);
        assert!(mail.text.contains("Cuándo: sábado 5 de diciembre de 2026, 14:00–16:00"));
        moved.lang = Lang::En;
        assert!(email(&moved).html.contains("Previously</th>"));
        moved.event = MessageEvent::Confirmed;
        assert!(!email(&moved).text.contains("Previously"));
    }

    #[test]
    fn everything_interpolated_into_html_is_escaped() {
        let mut evil = facts(MessageEvent::Requested, Audience::Manager, Lang::En);
        evil.guest_name = "<script>alert(1)</script>".into();
        evil.notes = "<script>notes</script> & \"more\"".into();
        evil.resource_name = "<script>room</script>".into();
        evil.links.view = "https://x.example/?a=1&b=\"><script>".into();
        let html = email(&evil).html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;script&gt;room&lt;/script&gt;"));
        assert!(html.contains("&lt;script&gt;notes&lt;/script&gt; &amp; &quot;more&quot;"));
        assert!(html.contains("href=\"https://x.example/?a=1&amp;b=&quot;&gt;&lt;script&gt;\""));
        assert_eq!(escape_html("a<b>&'\""), "a&lt;b&gt;&amp;&#39;&quot;");
    }

    #[test]
    fn html_is_a_whole_document_in_the_right_language() {
        let es = email(&facts(MessageEvent::Confirmed, Audience::Client, Lang::Es)).html;
        assert!(es.starts_with("<!doctype html>") && es.contains("<html lang=\"es\">") && es.trim_end().ends_with("</html>"));
        let en = email(&facts(MessageEvent::Confirmed, Audience::Client, Lang::En)).html;
        assert!(en.contains("<html lang=\"en\">"));
    }

    #[test]
    fn managers_see_the_guest_and_clients_do_not_see_themselves() {
        let mut f = facts(MessageEvent::Requested, Audience::Manager, Lang::Es);
        f.notes = "Llegamos temprano\ncon equipo".into();
        let text = email(&f).text;
        for line in ["Reserva: #42", "Cliente: Ana López", "Correo: ana@example.com", "Teléfono: +52 55 1234 5678",
            "Personas: 3", "Notas: Llegamos temprano\n    con equipo", "Precio: $1,500.00 MXN"] {
            assert!(text.contains(line), "{line} in {text}");
        }
        f.audience = Audience::Client;
        let text = email(&f).text;
        assert!(text.starts_with("Hola, Ana López:"));
        assert!(!text.contains("Correo:") && !text.contains("Teléfono:"));
    }

    #[test]
    fn a_free_booking_shows_no_price() {
        let mut free = facts(MessageEvent::Confirmed, Audience::Client, Lang::En);
        free.price_minor = 0;
        assert!(!email(&free).text.contains("Price"));
    }

    #[test]
    fn cancellation_gives_the_reason_when_there_is_one() {
        let mut f = facts(MessageEvent::Cancelled, Audience::Client, Lang::Es);
        assert!(!email(&f).text.contains("Motivo"));
        f.reason = "Se enfermó el músico".into();
        assert!(email(&f).text.contains("Motivo: Se enfermó el músico"));
        f.lang = Lang::En;
        assert!(email(&f).html.contains("Reason</th>"));
    }

    #[test]
    fn links_are_labelled_in_text_and_html() {
        let mut f = facts(MessageEvent::Reminder, Audience::Client, Lang::Es);
        f.links.confirm_attendance = Some("https://reservo.example/l/attend".into());
        f.links.reschedule = Some("https://reservo.example/l/move".into());
        let mail = email(&f);
        for line in ["Confirmar asistencia: https://reservo.example/l/attend", "Cancelar la reserva: https://reservo.example/l/cancel?t=abc",
            "Cambiar la fecha: https://reservo.example/l/move", "Ver la reserva: https://reservo.example/bookings/42"] {
            assert!(mail.text.contains(line), "{line}");
        }
        assert!(mail.html.contains("\">Confirmar asistencia</a>"));
        f.lang = Lang::En;
        f.links.cancel = None;
        let mail = email(&f);
        assert!(mail.html.contains(">Confirm attendance</a>") && mail.html.contains(">Change the date</a>"));
        assert!(!mail.text.contains("Cancel the booking") && mail.text.contains("View the booking: "));
    }

    #[test]
    fn ics_only_for_client_confirmation_and_reschedule_and_for_reminders() {
        for (event, audience, lang) in every_pair() {
            let expected = matches!(
                (event, audience),
                (MessageEvent::Confirmed | MessageEvent::Rescheduled, Audience::Client) | (MessageEvent::Reminder, _)
            );
            assert_eq!(email(&facts(event, audience, lang)).ics.is_some(), expected, "{event:?} {audience:?}");
        }
    }

    #[test]
    fn money_in_minor_units() {
        assert_eq!(money(150_000, "MXN"), "$1,500.00 MXN");
        assert_eq!(money(5, "usd"), "$0.05 USD");
        assert_eq!(money(123_456_789, "EUR"), "€1,234,567.89 EUR");
        assert_eq!(money(1500, "JPY"), "¥1,500 JPY");
        assert_eq!(money(25_000, "CLP"), "$25,000 CLP");
        assert_eq!(money(1_000_000, "KRW"), "₩1,000,000 KRW");
        assert_eq!(money(999, "PEN"), "9.99 PEN");
        assert_eq!(money(-150, "MXN"), "-$1.50 MXN");
    }

    #[test]
    fn sms_is_one_short_line_with_the_useful_link() {
        let client = sms(&facts(MessageEvent::Confirmed, Audience::Client, Lang::Es));
        assert!(client.contains("Estudio Luna") && client.contains("14:00") && client.contains("America/Mexico_City"));
        assert!(client.ends_with("(America/Mexico_City). Cancelar la reserva: https://reservo.example/l/cancel?t=abc"), "{client}");
        assert_eq!(client.lines().count(), 1);
        let manager = sms(&facts(MessageEvent::Requested, Audience::Manager, Lang::En));
        assert!(manager.ends_with("View the booking: https://reservo.example/bookings/42"), "{manager}");
        let mut long = facts(MessageEvent::Cancelled, Audience::Client, Lang::Es);
        long.resource_name = format!("Sala\n{}", "muy ".repeat(200));
        let line = sms(&long);
        assert!(line.chars().count() <= SMS_MAX_CHARS && !line.contains('\n'));
        assert!(line.ends_with("… Ver la reserva: https://reservo.example/bookings/42"), "{line}");
        assert_eq!(line.chars().count(), SMS_MAX_CHARS);
        for (event, audience, lang) in every_pair() {
            assert!(sms(&facts(event, audience, lang)).chars().count() <= SMS_MAX_CHARS);
        }
    }

    #[test]
    fn subjects_stay_on_one_line_and_placeholders_in_values_are_not_expanded() {
        let mut f = facts(MessageEvent::Requested, Audience::Manager, Lang::En);
        f.guest_name = "Eve\r\nBcc: x@y.z {resource}".into();
        let subject = email(&f).subject;
        assert_eq!(subject, "New booking request from Eve Bcc: x@y.z {resource} for Estudio Luna");
        assert_eq!(fill("{a}{b}{", &[("a", "{b}"), ("b", "2")]), "{b}2{");
    }
}
