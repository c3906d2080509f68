//! /admin/mail: the outbox as administrators see it — what was written, to
//! whom, whether it went out, the last error, and a retry for failures.

use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::i18n::{t, use_lang, Key};
use crate::server_fns::mail::{sent_mail, MailRow, RetryMail};
use leptos::prelude::*;
use leptos_meta::Title;

fn status_key(status: &str) -> Key {
    match status {
        "sent" => Key::MailSent,
        "failed" => Key::MailFailed,
        "kept" => Key::MailKept,
        _ => Key::MailPending,
    }
}

const CELL: &str = "px-3 py-2 align-top";

#[component]
pub fn SentMailPage() -> impl IntoView {
    let lang = use_lang();
    let retry = ServerAction::<RetryMail>::new();
    let status = RwSignal::new(String::new());
    let (refreshed, set_refreshed) = signal(0u32);
    let mail = json_resource(
        move || (status.get(), retry.version().get(), refreshed.get()),
        |(status, _, _)| sent_mail(Some(status)),
    );
    let retry_error = move || retry.value().get().and_then(Result::err);
    view! {
        <Title text=t(lang, Key::SentMail)/>
        <section class="space-y-6" data-testid="sent-mail">
            <div>
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::SentMail)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(lang, Key::SentMailHelp)}</p>
            </div>
            <div class="flex items-end gap-3">
                <label class="text-sm font-medium text-slate-700" for="mail-status">{t(lang, Key::Status)}</label>
                <select id="mail-status" class="rounded border border-slate-300 px-2 py-1"
                    on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{t(lang, Key::AllStatuses)}</option>
                    {["pending", "sent", "failed", "kept"].into_iter().map(|s| view! {
                        <option value=s>{t(lang, status_key(s))}</option>
                    }).collect_view()}
                </select>
                <button type="button" class="rounded bg-slate-700 px-3 py-1 text-sm text-white"
                    on:click=move |_| set_refreshed.update(|n| *n += 1)>{t(lang, Key::Refresh)}</button>
            </div>
            {move || retry_error().map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match mail.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{t(lang, Key::NoMail)}</p> }.into_any(),
                        Ok(rows) => view! { <MailTable rows retry/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MailTable(rows: Vec<MailRow>, retry: ServerAction<RetryMail>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full text-left text-sm">
                <thead class="bg-slate-50 text-slate-600">
                    <tr>
                        <th class=CELL>{t(lang, Key::MailWhen)}</th>
                        <th class=CELL>{t(lang, Key::Recipient)}</th>
                        <th class=CELL>{t(lang, Key::MailEvent)}</th>
                        <th class=CELL>{t(lang, Key::Subject)}</th>
                        <th class=CELL>{t(lang, Key::Status)}</th>
                        <th class=CELL>{t(lang, Key::Attempts)}</th>
                        <th class=CELL>{t(lang, Key::LastError)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <MailLine row retry/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MailLine(row: MailRow, retry: ServerAction<RetryMail>) -> impl IntoView {
    let lang = use_lang();
    let failed = row.status == "failed";
    let id = row.id;
    let status_class = match row.status.as_str() {
        "failed" => "font-semibold text-red-700",
        "pending" => "text-amber-700",
        _ => "text-emerald-700",
    };
    view! {
        <tr class="border-t border-slate-100" data-testid="mail-row" data-status=row.status.clone()
            data-recipient=row.recipient.clone() data-event=row.event.clone()>
            <td class=CELL>{row.created.clone()}</td>
            <td class=CELL>{row.recipient.clone()}<span class="ml-1 text-xs uppercase text-slate-500">{row.channel.clone()}</span></td>
            <td class=CELL>{row.event.clone()}{row.booking_id.map(|b| format!(" · #{b}"))}</td>
            <td class=CELL>
                <details>
                    <summary class="cursor-pointer">{if row.subject.is_empty() { t(lang, Key::ShowMessage).to_string() } else { row.subject.clone() }}</summary>
                    <pre class="mt-2 max-w-xl whitespace-pre-wrap text-xs text-slate-700">{row.body_text.clone()}</pre>
                </details>
            </td>
            <td class=CELL><span class=status_class>{t(lang, status_key(&row.status))}</span></td>
            <td class=CELL>{row.attempts}</td>
            <td class=CELL>
                <span class="text-xs text-red-700">{row.last_error.clone()}</span>
                {failed.then(|| view! {
                    <button type="button" class="ml-2 rounded bg-indigo-600 px-2 py-1 text-xs text-white"
                        on:click=move |_| { retry.dispatch(RetryMail { id }); }>{t(lang, Key::RetryMail)}</button>
                })}
            </td>
        </tr>
    }
}
