//! Live updates in the browser: the stream of booking changes the server
//! sends the logged-in person (GET /events, see `server::http::events`).

use crate::domain::live::BookingChange;
use leptos::prelude::*;

/// After the server refused or ended the stream for good (the browser retries
/// dropped connections by itself, but not a refusal), try again this late.
#[cfg(feature = "hydrate")]
const REOPEN: std::time::Duration = std::time::Duration::from_secs(30);

/// Calls `on_change` for each booking change streamed to this person. The
/// stream opens in the browser only, once the page is interactive, and closes
/// when the calling component goes away. The returned signal tells whether it
/// is open: changes made while it was not are not replayed, so a page should
/// reload its data when it turns `true`, and keep a slow poll as a fallback.
pub fn use_booking_events(on_change: impl Fn(BookingChange) + 'static) -> Signal<bool> {
    let (open, set_open) = signal(false);
    #[cfg(feature = "hydrate")]
    client::subscribe(std::rc::Rc::new(on_change), set_open);
    #[cfg(not(feature = "hydrate"))]
    let _ = (on_change, set_open);
    open.into()
}

#[cfg(feature = "hydrate")]
mod client {
    use super::REOPEN;
    use crate::domain::live::{BookingChange, BOOKING_EVENT};
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, EventSource, MessageEvent};

    /// What must live as long as the stream is open.
    struct Stream {
        source: EventSource,
        _on_booking: Closure<dyn FnMut(MessageEvent)>,
        _on_open: Closure<dyn FnMut(Event)>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    pub fn subscribe(on_change: Rc<dyn Fn(BookingChange)>, set_open: WriteSignal<bool>) {
        // Bumped to open a new stream after the last one closed for good.
        let attempt = RwSignal::new(0u32);
        Effect::new(move |_| {
            attempt.track();
            let Ok(source) = EventSource::new("/events") else { return };
            let handler = on_change.clone();
            let on_booking = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                match event.data().as_string().map(|data| serde_json::from_str::<BookingChange>(&data)) {
                    Some(Ok(change)) => handler(change),
                    _ => leptos::logging::warn!("unreadable booking change"),
                }
            });
            let _ = source.add_event_listener_with_callback(BOOKING_EVENT, on_booking.as_ref().unchecked_ref());
            let on_open = Closure::<dyn FnMut(Event)>::new(move |_| {
                set_open.try_set(true);
            });
            source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            let watched = source.clone();
            let on_error = Closure::<dyn FnMut(Event)>::new(move |_| {
                set_open.try_set(false);
                if watched.ready_state() == EventSource::CLOSED {
                    set_timeout(move || { attempt.try_update(|n| *n += 1); }, REOPEN);
                }
            });
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let stream = SendWrapper::new(Stream { source, _on_booking: on_booking, _on_open: on_open, _on_error: on_error });
            on_cleanup(move || {
                stream.source.close();
                set_open.try_set(false);
            });
        });
    }
}
