//! The in-process SMTP sink (tests/common/smtp.rs) against lettre's async
//! SMTP transport, configured the way the app uses it.
#![cfg(feature = "ssr")]

#[allow(unused_macros, unused_imports)] // this file uses only common::smtp
mod common;
use common::smtp::SmtpSink;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn transport(port: u16) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .timeout(Some(Duration::from_secs(5)))
        .build()
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Reservo//ES\r\nMETHOD:REQUEST\r\n\
BEGIN:VEVENT\r\nUID:abc-123@reservo\r\nSUMMARY:Sala Ñandú\r\nDTSTART:20300101T100000Z\r\n\
DTEND:20300101T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn confirmation() -> Message {
    let text = "Hola Ana,\n\nTu reserva de la Sala Ñandú está confirmada.\n.Línea que empieza con punto\n";
    let html = "<p>Hola Ana,</p><p>Tu reserva de la <b>Sala Ñandú</b> está confirmada.</p>";
    Message::builder()
        .from("Reservo <no-reply@reservo.test>".parse().unwrap())
        .to("Ana Pérez <ana@example.com>".parse().unwrap())
        .subject("Reserva confirmada: Sala Ñandú")
        .multipart(
            MultiPart::mixed()
                .multipart(MultiPart::alternative_plain_html(text.to_string(), html.to_string()))
                .singlepart(
                    Attachment::new("reserva.ics".to_string()).body(
                        ICS.to_string(),
                        ContentType::parse("text/calendar; charset=utf-8; method=REQUEST").unwrap(),
                    ),
                ),
        )
        .unwrap()
}

fn simple(n: u32) -> Message {
    Message::builder()
        .from("no-reply@reservo.test".parse().unwrap())
        .to("bob@example.com".parse().unwrap())
        .subject(format!("Mensaje {n}"))
        .body(format!("Cuerpo número {n}"))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_with_ics_is_decoded() {
    let sink = SmtpSink::start().await;
    let mailer = transport(sink.port());
    mailer.send(confirmation()).await.expect("send confirmation");

    let got = sink.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.from, "no-reply@reservo.test");
    assert_eq!(m.to, vec!["ana@example.com".to_string()]);
    assert_eq!(m.subject, "Reserva confirmada: Sala Ñandú");
    assert_eq!(m.header("subject"), Some("Reserva confirmada: Sala Ñandú"));
    assert!(m.header("To").unwrap().contains("Ana Pérez"), "To header: {:?}", m.header("To"));
    // lettre normalises text bodies to CRLF line endings.
    assert!(m.text.contains("Tu reserva de la Sala Ñandú está confirmada."), "text: {:?}", m.text);
    assert!(m.text.contains("\r\n.Línea que empieza con punto"), "dot-stuffing undone: {:?}", m.text);
    assert!(m.html.contains("<b>Sala Ñandú</b> está confirmada"), "html: {:?}", m.html);
    assert_eq!(m.attachments.len(), 1, "attachments: {:?}", m.attachments);
    let (name, ctype, body) = &m.attachments[0];
    assert_eq!(name, "reserva.ics");
    assert_eq!(ctype, "text/calendar");
    assert_eq!(body, ICS);
    assert!(m.raw.contains("Content-Type: multipart/mixed"), "raw: {}", m.raw);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outage_gives_transient_error_then_recovers() {
    let sink = SmtpSink::start().await;

    // A fresh transport during an outage: the 421 greeting is a transient error.
    sink.set_down(true);
    let err = transport(sink.port()).send(simple(0)).await.expect_err("send must fail while down");
    assert!(err.is_transient(), "expected transient, got {err:?}");
    assert!(!err.is_permanent());
    assert_eq!(err.status().map(|c| c.to_string()), Some("421".to_string()));

    sink.set_down(false);
    let mailer = transport(sink.port());
    mailer.send(simple(1)).await.expect("send after recovery");
    sink.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await; // let lettre park the connection
    assert_eq!(sink.connection_count(), 2);

    // A pooled transport holding an idle open connection also sees the outage:
    // lettre NOOPs the pooled connection, gets 421, drops it, reconnects, gets 421.
    sink.set_down(true);
    let err = mailer.send(simple(2)).await.expect_err("pooled send must fail while down");
    assert!(err.is_transient(), "expected transient, got {err:?}");

    sink.set_down(false);
    mailer.send(simple(3)).await.expect("pooled send after recovery");
    let got = sink.wait_for(2, WAIT).await;
    let subjects: Vec<_> = got.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Mensaje 1", "Mensaje 3"]);
    // refused fresh one, the pooled one, the refused reconnect, the one after recovery
    assert_eq!(sink.connection_count(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_recipient_is_permanent() {
    let sink = SmtpSink::start().await;
    let mailer = transport(sink.port());
    sink.set_reject_rcpt(true);
    let err = mailer.send(simple(1)).await.expect_err("send must fail with 550");
    assert!(err.is_permanent(), "expected permanent, got {err:?}");
    assert_eq!(err.status().map(|c| c.to_string()), Some("550".to_string()));
    assert!(sink.messages().is_empty());

    sink.set_reject_rcpt(false);
    mailer.send(simple(2)).await.expect("send after accepting again");
    assert_eq!(sink.wait_for(1, WAIT).await[0].subject, "Mensaje 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_messages_over_one_transport_reuse_the_connection() {
    let sink = SmtpSink::start().await;
    let mailer = transport(sink.port());
    mailer.send(simple(1)).await.expect("first send");
    // lettre hands a used connection back to its pool in a spawned task, so a
    // send issued immediately afterwards may still open a second connection.
    tokio::time::sleep(Duration::from_millis(200)).await;
    mailer.send(simple(2)).await.expect("second send");
    let got = sink.wait_for(2, WAIT).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].subject, "Mensaje 1");
    assert_eq!(got[1].subject, "Mensaje 2");
    assert_eq!(got[1].text.trim_end(), "Cuerpo número 2");
    assert_eq!(got[1].to, vec!["bob@example.com".to_string()]);
    // lettre's pool keeps the connection open and reuses it for the second message.
    assert_eq!(sink.connection_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_all_arrive() {
    let sink = SmtpSink::start().await;
    let mailer = transport(sink.port());
    let sends = (0..5).map(|i| {
        let mailer = mailer.clone();
        tokio::spawn(async move { mailer.send(simple(i)).await })
    });
    for s in sends.collect::<Vec<_>>() {
        s.await.unwrap().expect("concurrent send");
    }
    let got = sink.wait_for(5, WAIT).await;
    let mut subjects: Vec<_> = got.iter().map(|m| m.subject.clone()).collect();
    subjects.sort();
    assert_eq!(subjects, (0..5).map(|i| format!("Mensaje {i}")).collect::<Vec<_>>());
}

#[tokio::test]
#[should_panic(expected = "waiting for 1 message(s); 0 arrived")]
async fn wait_for_times_out_with_a_clear_message() {
    let sink = SmtpSink::start().await;
    sink.wait_for(1, Duration::from_millis(100)).await;
}
