//! The API described as OpenAPI 3.1 (GET /api/openapi.json) and a small page
//! that reads that description and calls the API from the browser
//! (GET /api/docs). The description is written by hand from the handlers;
//! tests/openapi.rs calls every operation and checks the answers against it.

use axum::Json;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// GET /api/openapi.json
pub async fn serve() -> Json<Value> {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    Json(DOCUMENT.get_or_init(document).clone())
}

/// GET /api/docs, its inline script and style allowed by a nonce.
pub async fn docs() -> axum::response::Response {
    crate::server::http::security::page_with_inline_code(include_str!("docs.html"))
}

const BOOKING_STATUSES: [&str; 8] = ["pending", "confirmed", "in_progress", "completed", "rejected", "cancelled", "no_show", "expired"];
/// What `BookingStatus::parse` reads besides the English names.
const SPANISH_STATUSES: [&str; 14] = [
    "pendiente", "confirmada", "confirmado", "en_progreso", "completada", "completado", "rechazada", "rechazado",
    "cancelada", "cancelado", "no_presentado", "no_presentada", "expirada", "expirado",
];

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn nullable(type_name: &str) -> Value {
    json!({"type": [type_name, "null"]})
}

/// "2025-11-20T14:00:00-06:00", or a wall-clock time read in the resource's zone.
fn instant(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "pattern": "^\\s*\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?\\s*$"}
        ],
        "examples": ["2025-11-20T14:00:00", "2025-11-20T14:00:00-06:00"]
    })
}

/// A date (midnight UTC) or a date-time (UTC unless it carries an offset).
fn bound(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"},
            {"type": "string", "pattern": "^\\s*\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?\\s*$"}
        ],
        "examples": ["2025-11-20", "2025-11-20T14:00:00"]
    })
}

/// A positive id given as a number or as a numeric string ("3").
fn id_or_numeric_string(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": i64::MAX},
            {"type": "string", "pattern": "^\\s*\\+?0*[1-9][0-9]*\\s*$"}
        ],
        "examples": [3, "3"]
    })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn positive_id_query(name: &str, description: &str) -> Value {
    query(name, description, json!({"type": "integer", "minimum": 1, "maximum": i64::MAX}))
}

/// The filters GET /bookings and GET /bookings/stats/summary share.
fn booking_filters() -> Vec<Value> {
    let statuses: Vec<&str> = BOOKING_STATUSES.iter().chain(SPANISH_STATUSES.iter()).copied().collect();
    vec![
        positive_id_query("room_id", "Only this room's bookings. When given, `resource_id` is ignored."),
        positive_id_query("resource_id", "Only this resource's bookings (same as `room_id`)."),
        positive_id_query("user_id", "Only this client's bookings (administrators and managers; a client always sees only their own)."),
        query(
            "status",
            "Only bookings in this status: the English names or the hotel seed's Spanish ones (case-insensitive).",
            json!({"type": "string", "enum": statuses}),
        ),
        query("date_from", "Bookings that end after this instant.", bound("YYYY-MM-DD (midnight UTC) or a date-time")),
        query("date_to", "Bookings that start before this instant.", bound("YYYY-MM-DD (midnight UTC) or a date-time")),
    ]
}

/// One operation, built step by step.
struct Op(Map<String, Value>);

impl Op {
    fn new(id: &str, tag: &str, summary: &str) -> Op {
        let mut op = Map::new();
        op.insert("operationId".into(), json!(id));
        op.insert("tags".into(), json!([tag]));
        op.insert("summary".into(), json!(summary));
        op.insert("responses".into(), json!({}));
        Op(op)
    }

    fn describe(mut self, text: &str) -> Op {
        self.0.insert("description".into(), json!(text));
        self
    }

    /// A bearer token, or the browser's session cookie.
    fn secured(mut self) -> Op {
        self.0.insert("security".into(), json!([{"bearer": []}, {"session": []}]));
        self
    }

    fn bearer_only(mut self) -> Op {
        self.0.insert("security".into(), json!([{"bearer": []}]));
        self
    }

    fn public(mut self) -> Op {
        self.0.insert("security".into(), json!([]));
        self
    }

    fn with_id(self) -> Op {
        self.params(vec![json!({"$ref": "#/components/parameters/Id"})])
    }

    fn params(mut self, mut params: Vec<Value>) -> Op {
        let list = self.0.entry("parameters").or_insert_with(|| json!([]));
        list.as_array_mut().expect("parameters is a list").append(&mut params);
        self
    }

    fn body(mut self, name: &str, required: bool) -> Op {
        self.0.insert(
            "requestBody".into(),
            json!({"required": required, "content": {"application/json": {"schema": schema(name)}}}),
        );
        self
    }

    fn image_body(mut self) -> Op {
        let image = json!({"schema": {"type": "string", "contentMediaType": "image/*"}});
        self.0.insert("requestBody".into(), json!({"required": true, "content": {"image/*": image}}));
        self
    }

    fn answers(mut self, status: u16, description: &str, body: Option<Value>) -> Op {
        let mut response = json!({"description": description});
        if let Some(body) = body {
            response["content"] = json!({"application/json": {"schema": body}});
        }
        self.0["responses"][status.to_string()] = response;
        self
    }

    /// Links from the answer with `status` to operations that take the id it returns.
    fn links(mut self, status: u16, links: Value) -> Op {
        self.0["responses"][status.to_string()]["links"] = links;
        self
    }

    /// Error statuses, each answered with the Error schema.
    fn errors(mut self, statuses: &[u16]) -> Op {
        for status in statuses {
            self.0["responses"][status.to_string()] = json!({"$ref": format!("#/components/responses/E{status}")});
        }
        self
    }

    /// Every route may answer 429: the API is rate-limited per account or address.
    fn done(self) -> Value {
        self.errors(&[429]).0.into()
    }
}

fn booking_schema() -> Value {
    json!({
        "type": "object",
        "description": "A booking. Times are in the resource's zone, with its offset.",
        "additionalProperties": false,
        "required": ["id", "room_id", "resource_id", "user_id", "service_id", "check_in", "check_out", "guest_name",
            "guest_email", "guest_phone", "number_of_guests", "special_requests", "details", "price_minor", "currency",
            "status", "hold_expires_at", "maintenance_until", "attendance_confirmed_at", "timezone", "payment_status",
            "deposit_due_minor"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "room_id": {"type": "integer", "description": "Same as resource_id (the hotel seed's name)."},
            "resource_id": {"type": "integer"},
            "user_id": {"type": ["integer", "null"], "description": "The client's account, if any."},
            "service_id": nullable("integer"),
            "check_in": {"type": "string", "format": "date-time"},
            "check_out": {"type": "string", "format": "date-time"},
            "guest_name": {"type": "string"},
            "guest_email": {"type": "string"},
            "guest_phone": nullable("string"),
            "number_of_guests": {"type": "integer", "minimum": 1},
            "special_requests": {"type": "string"},
            "details": {"description": "Free-form JSON given at creation (an empty object by default)."},
            "price_minor": {"type": "integer", "description": "Price in minor units (centavos)."},
            "currency": {"type": "string"},
            "status": {"type": "string", "enum": BOOKING_STATUSES},
            "hold_expires_at": {"type": ["string", "null"], "format": "date-time", "description": "When a pending request lapses."},
            "maintenance_until": {"type": ["string", "null"], "format": "date-time", "description": "Rooms: cleaning after check-out lasts until then."},
            "attendance_confirmed_at": {"type": ["string", "null"], "format": "date-time", "description": "When the client confirmed they will attend, through the link in a booking email."},
            "timezone": {"type": "string", "examples": ["America/Mexico_City"]},
            "payment_status": {"type": "string", "enum": PAYMENT_STATUSES, "description": "From the payments recorded: paid once they cover the price, deposit_paid once they cover the deposit, refunded when refunds gave it all back."},
            "deposit_due_minor": {"type": "integer", "minimum": 0, "description": "The deposit asked when it was booked, in minor units (0: none). A booking owing one stays pending until it is paid."}
        }
    })
}

const PAYMENT_STATUSES: [&str; 4] = ["unpaid", "deposit_paid", "paid", "refunded"];

/// A payment and the body that records one.
fn payment_schemas() -> (Value, Value) {
    let kind = json!({"type": "string", "enum": ["deposit", "payment", "refund"]});
    let payment = json!({
        "type": "object",
        "description": "Money taken for a booking, or given back (refund). Amounts in minor units (centavos), in the booking's currency.",
        "additionalProperties": false,
        "required": ["id", "booking_id", "kind", "amount_minor", "currency", "provider", "method", "reference", "recorded_by", "created_at"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "booking_id": {"type": "integer", "minimum": 1},
            "kind": kind.clone(),
            "amount_minor": {"type": "integer", "minimum": 1},
            "currency": {"type": "string", "examples": ["MXN"]},
            "provider": {"type": "string", "enum": ["offline", "stripe"], "description": "offline: recorded by hand; stripe: paid on Stripe Checkout."},
            "method": {"type": "string", "enum": ["cash", "transfer", "card"]},
            "reference": {"type": "string", "description": "The transfer's reference, or Stripe's checkout session id."},
            "recorded_by": {"type": ["integer", "null"], "description": "Who recorded it; null for the payment provider."},
            "created_at": {"type": "string", "format": "date-time", "description": "UTC."}
        }
    });
    let new_payment = json!({
        "type": "object",
        "description": "A payment taken by hand, or a refund (at most what was paid, net). Recorded in the booking's currency.",
        "additionalProperties": false,
        "required": ["kind", "amount_minor", "method"],
        "properties": {
            "kind": kind,
            "amount_minor": {"type": "integer", "minimum": 1, "maximum": crate::domain::payment::MAX_TAKEN_MINOR, "description": "Minor units (centavos): 45000 is $450.00."},
            "method": {"type": "string", "enum": ["cash", "transfer", "card"]},
            "reference": {"type": "string", "maxLength": 200}
        },
        "examples": [{"kind": "payment", "amount_minor": 45000, "method": "cash", "reference": "recibo 17"}]
    });
    (payment, new_payment)
}

fn schemas() -> Value {
    let mut all = base_schemas();
    let (payment, new_payment) = payment_schemas();
    all["Payment"] = payment;
    all["NewPayment"] = new_payment;
    let mut changes = all["NewRoom"].clone();
    changes["description"] = json!("The fields to change; the others stay. Photos change through /resources/{id}/photos.");
    changes["properties"].as_object_mut().expect("properties").remove("photos");
    all["RoomChanges"] = changes;
    all
}

fn base_schemas() -> Value {
    let spans = json!({
        "type": "array",
        "items": {
            "type": "object", "additionalProperties": false, "required": ["start", "end"],
            "properties": {"start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"}}
        }
    });
    let mut by_status = Map::new();
    for status in BOOKING_STATUSES {
        by_status.insert(status.into(), json!({"type": "integer", "minimum": 0}));
    }
    json!({
        "Error": {
            "type": "object",
            "additionalProperties": false,
            "required": ["error", "message"],
            "properties": {
                "error": {"type": "string", "description": "A stable code: invalid, unauthorized, forbidden, not_found, bad_credentials, too_many_attempts, conflict, day_full, illegal_transition, cancellation_too_late, start_in_past, end_not_after_start, too_soon, beyond_horizon, outside_hours, party_too_large, unreadable_time, nonexistent_local_time, unknown_resource, unknown_service, method_not_allowed, unsupported_media_type, too_large, internal."},
                "message": {"type": "string", "description": "A sentence for people (English)."},
                "field": {"type": "string", "description": "The request field at fault, when there is one."}
            },
            "examples": [{"error": "invalid", "message": "limit must be a whole number from 0 to 1000", "field": "limit"}]
        },
        "Token": {
            "type": "object",
            "additionalProperties": false,
            "required": ["access_token", "token_type", "user_id", "role", "scope"],
            "properties": {
                "access_token": {"type": "string", "description": "Send it as `Authorization: Bearer <access_token>`."},
                "token_type": {"const": "bearer"},
                "user_id": {"type": "integer"},
                "role": {"type": "string", "enum": ["client", "manager", "admin"]},
                "scope": {"type": "string", "enum": ["full", "read"]}
            }
        },
        "Credentials": {
            "type": "object",
            "required": ["email", "password"],
            "properties": {
                "email": {"type": "string", "examples": ["client@reservo.test"]},
                "password": {"type": "string"},
                "scope": {"type": "string", "enum": ["full", "read"], "default": "full", "description": "\"read\": the token may only make GET requests (and revoke itself)."}
            }
        },
        "Room": {
            "type": "object",
            "description": "A resource of kind room; its status is derived from its bookings right now.",
            "additionalProperties": false,
            "required": ["id", "name", "description", "number", "type", "beds", "guests", "nightly_price_minor", "currency", "photos", "timezone", "status", "retired"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "name": {"type": "string"},
                "description": {"type": "string"},
                "number": nullable("string"),
                "type": nullable("string"),
                "beds": nullable("integer"),
                "guests": nullable("integer"),
                "nightly_price_minor": nullable("integer"),
                "currency": nullable("string"),
                "photos": {"type": "array", "items": {"type": "string"}},
                "timezone": {"type": "string"},
                "status": {"type": "string", "enum": ["available", "reserved", "occupied", "maintenance"]},
                "retired": {"type": "boolean", "description": "Retired rooms take no bookings and leave the lists."}
            }
        },
        "NotificationSettings": {
            "type": "object",
            "required": ["sms_reminders"],
            "additionalProperties": false,
            "properties": {"sms_reminders": {"type": "boolean", "description": "Reminders also by SMS."}},
            "examples": [{"sms_reminders": true}]
        },
        "NewRoom": {
            "type": "object",
            "description": "Every field is optional; the body itself may be left out. The name defaults to \"Habitación <number>\".",
            "additionalProperties": false,
            "properties": {
                "status": {"type": "string", "enum": ["available", "disponible"], "description": "A new room is always available; its status then follows its bookings. Case-insensitive."},
                "name": {"type": "string", "maxLength": 2000},
                "description": {"type": "string", "maxLength": 2000},
                "descripcion": {"type": "string", "maxLength": 2000, "description": "The hotel seed's name for description (used when description is absent)."},
                "number": {"type": ["string", "integer"], "description": "Stored as text, at most 2000 characters.", "examples": ["101"]},
                "type": {"type": "string", "maxLength": 2000, "examples": ["doble"]},
                "beds": {"type": "integer", "minimum": 1, "maximum": 50},
                "guests": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Largest party the room takes."},
                "nightly_price_minor": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "default": "MXN"},
                "photos": {"type": "array", "items": {"type": "string"}},
                "timezone": {"type": "string", "description": "An IANA zone; the server's default zone when absent.", "examples": ["America/Mexico_City"]}
            },
            "examples": [{"number": "104", "type": "doble", "beds": 2, "guests": 2, "descripcion": "Vista al jardín"}]
        },
        "ResourceSummary": {
            "type": "object",
            "additionalProperties": false,
            "required": ["id", "kind", "slug", "name", "description", "timezone", "capacity"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "kind": {"type": "string", "examples": ["room", "musician", "venue", "workshop"]},
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "description": {"type": "string"},
                "timezone": {"type": "string"},
                "capacity": {"type": "integer"}
            }
        },
        "Resource": {
            "type": "object",
            "additionalProperties": false,
            "required": ["id", "kind", "slug", "name", "description", "timezone", "capacity", "attributes", "photos", "retired"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "kind": {"type": "string"},
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "description": {"type": "string"},
                "timezone": {"type": "string"},
                "capacity": {"type": "integer"},
                "attributes": {"type": "object", "description": "Kind-specific fields."},
                "photos": {"type": "array", "items": {"type": "string"}},
                "managers": {"type": "array", "items": {"type": "integer"}, "description": "Ids of the accounts that manage it; shown to administrators and to those managers only."},
                "retired": {"type": "boolean", "description": "Retired resources take no bookings and leave the lists."}
            }
        },
        "Photos": {
            "type": "object",
            "additionalProperties": false,
            "required": ["photos"],
            "properties": {
                "url": {"type": "string", "description": "The uploaded image (POST only).", "examples": ["/media/7"]},
                "photos": {"type": "array", "items": {"type": "string"}, "description": "The photo URLs now, the cover first."}
            }
        },
        "ReviewList": {
            "type": "object",
            "description": "Reviews clients left after a completed booking, newest first, and the average rating of all of them.",
            "additionalProperties": false,
            "required": ["resource_id", "count", "average", "reviews"],
            "properties": {
                "resource_id": {"type": "integer"},
                "count": {"type": "integer", "minimum": 0, "description": "How many reviews the resource has in all."},
                "average": {"type": ["number", "null"], "minimum": 1, "maximum": 5, "description": "The mean rating rounded half up to one decimal; null without reviews.", "examples": [4.3]},
                "reviews": {"type": "array", "items": schema("Review")}
            }
        },
        "Review": {
            "type": "object",
            "additionalProperties": false,
            "required": ["id", "rating", "comment", "reviewer", "created_at", "reply", "replied_at"],
            "properties": {
                "id": {"type": "integer"},
                "rating": {"type": "integer", "minimum": 1, "maximum": 5},
                "comment": {"type": "string", "maxLength": 2000, "description": "Plain text (may be empty); escape it before showing it as HTML."},
                "reviewer": {"type": "string", "description": "The reviewer's first name only."},
                "created_at": {"type": "string", "format": "date-time"},
                "reply": {"type": ["string", "null"], "maxLength": 2000, "description": "The manager's one reply, plain text."},
                "replied_at": {"type": ["string", "null"], "format": "date-time"}
            }
        },
        "Availability": {
            "type": "object",
            "description": "Free times in the resource's zone: `slots` for appointments, `ranges` for stays (mode).",
            "additionalProperties": false,
            "required": ["resource_id", "timezone", "mode", "from", "to", "duration_minutes"],
            "oneOf": [{"required": ["slots"]}, {"required": ["ranges"]}],
            "properties": {
                "resource_id": {"type": "integer"},
                "timezone": {"type": "string"},
                "mode": {"type": "string", "enum": ["slots", "ranges"]},
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "duration_minutes": {"type": "integer"},
                "slots": spans,
                "ranges": spans
            }
        },
        "Booking": booking_schema(),
        "NewBooking": {
            "type": "object",
            "description": "room_id (or resource_id) is required. Times without an offset are read in the room's zone. Guest fields default to the account the booking is for.",
            "additionalProperties": false,
            "required": ["check_in", "check_out"],
            "anyOf": [{"required": ["room_id"]}, {"required": ["resource_id"]}],
            "properties": {
                "room_id": id_or_numeric_string("The room (or any resource). Wins over resource_id."),
                "resource_id": id_or_numeric_string("The resource, when room_id is absent."),
                "user_id": id_or_numeric_string("Book for another account: administrators only (403 otherwise, 422 if no such account)."),
                "service_id": {"type": "integer", "description": "A service of the resource (422 if it is not one)."},
                "check_in": instant("Start."),
                "check_out": instant("End; after check_in."),
                "guest_name": {"type": "string", "maxLength": 200},
                "guest_email": {"type": "string", "format": "email"},
                "guest_phone": {"$ref": "#/components/schemas/Phone"},
                "number_of_guests": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1, "description": "Also at most what the room takes (422 party_too_large)."},
                "special_requests": {"type": "string", "maxLength": 2000},
                "details": {"description": "Free-form JSON kept with the booking."}
            },
            "examples": [{"room_id": 1, "check_in": "2030-01-10T14:00:00", "check_out": "2030-01-12T12:00:00", "guest_name": "Ana López", "number_of_guests": 2}]
        },
        "Changes": {
            "type": "object",
            "description": "Fields to change; absent ones stay. New times and party sizes are checked again (409 on a conflict).",
            "additionalProperties": false,
            "properties": {
                "check_in": instant("New start."),
                "check_out": instant("New end."),
                "guest_name": {"type": "string", "maxLength": 200},
                "guest_email": {"type": "string", "format": "email"},
                "guest_phone": {"$ref": "#/components/schemas/Phone"},
                "number_of_guests": {"type": "integer", "minimum": 1, "maximum": 1000},
                "special_requests": {"type": "string", "maxLength": 2000}
            },
            "examples": [{"guest_name": "Ana López", "special_requests": "Cuna para bebé"}]
        },
        "Phone": {
            "type": "string",
            "description": "7 to 15 digits; spaces, +, -, (, ) and . allowed between them.",
            "pattern": "^[ +\\-().]*([0-9][ +\\-().]*){7,15}$",
            "examples": ["+52 55 5123 4567"]
        },
        "Stats": {
            "type": "object",
            "additionalProperties": false,
            "required": ["total", "active", "by_status"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "active": {"type": "integer", "minimum": 0, "description": "pending + confirmed + in_progress"},
                "by_status": {"type": "object", "additionalProperties": false, "required": BOOKING_STATUSES, "properties": by_status}
            }
        },
        "AuditEntry": {
            "type": "object",
            "description": "One administrator action.",
            "additionalProperties": false,
            "required": ["id", "at", "actor_id", "actor_name", "action", "target", "detail"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "at": {"type": "string", "format": "date-time", "description": "UTC."},
                "actor_id": {"type": ["integer", "null"], "description": "The administrator's account."},
                "actor_name": {"type": ["string", "null"], "description": "Their name now (\"—\" once they deleted their account)."},
                "action": {"type": "string", "enum": crate::domain::audit::AuditAction::ALL.map(|a| a.as_str())},
                "target": {"type": "string", "description": "What it was done to, as kind:id.", "examples": ["booking:12", "resource:3", "message:7", "user:4"]},
                "detail": {"description": "What changed (JSON; depends on the action)."}
            }
        },
        "BookingEvent": {
            "type": "object",
            "additionalProperties": false,
            "required": ["at", "actor_id", "from", "to", "reason"],
            "properties": {
                "at": {"type": "string", "format": "date-time", "description": "UTC."},
                "actor_id": {"type": ["integer", "null"], "description": "null for the system (automatic transitions)."},
                "from": {"anyOf": [{"type": "string", "enum": BOOKING_STATUSES}, {"type": "null"}], "description": "null for the creation."},
                "to": {"type": "string", "enum": BOOKING_STATUSES},
                "reason": {"type": "string"}
            }
        }
    })
}

fn error_responses() -> Value {
    let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": schema("Error")}}});
    json!({
        "E400": error("Malformed request: JSON that does not parse, or a query string that does not (e.g. a parameter given twice)."),
        "E401": error("No credentials, or a bearer token that is unknown or revoked (`unauthorized`); wrong email or password (`bad_credentials`)."),
        "E403": error("Authenticated, but not allowed (`forbidden`), or a read-only token used for a change (`insufficient_scope`)."),
        "E404": error("No such resource (`not_found`, `unknown_resource`), or the route does not exist."),
        "E409": error("The request is fine but the calendar or the booking's state stands in the way (`conflict`, `day_full`, `illegal_transition`, `cancellation_too_late`, `resource_retired`, `has_upcoming_bookings`, `deposit_unpaid`, `booking_closed`)."),
        "E413": error("The body is larger than the route takes (`too_large`)."),
        "E415": error("A body was sent without `Content-Type: application/json` (`unsupported_media_type`)."),
        "E422": error("A field or parameter is wrong (`invalid` and the codes of refused times); `field` names it. Also unknown body fields, where the body forbids them, and path ids that are not positive whole numbers."),
        "E429": error("Too many requests: over the rate limit of this account or address (`rate_limited`), or too many failed logins (`too_many_attempts`). `Retry-After` says in how many seconds to try again.")
    })
}

/// OpenAPI links passing the `id` of the answer to each operation, as their
/// `id` path parameter (or, for createBooking, as the body's room_id).
fn id_links(operations: &[&str]) -> Value {
    let link = |operation: &str| match operation {
        "createBooking" => json!({"operationId": operation, "requestBody": {"room_id": "$response.body#/id"}}),
        _ => json!({"operationId": operation, "parameters": {"path.id": "$response.body#/id"}}),
    };
    Value::Object(operations.iter().map(|operation| (operation.to_string(), link(operation))).collect())
}

/// DELETE of a resource: retiring it.
fn retire(id: &str, tag: &str) -> Value {
    Op::new(id, tag, "Retire")
        .secured()
        .describe("Administrators only. It leaves the lists and takes no new bookings; its past bookings stay. Refused (409 `has_upcoming_bookings`) while bookings are pending, ahead or in progress on it. POST /resources/{id}/restore offers it again.")
        .with_id()
        .answers(204, "Retired.", None)
        .errors(&[401, 403, 404, 409, 422])
        .done()
}

/// The OpenAPI 3.1 description of every route under /api.
pub fn document() -> Value {
    let photo_index = json!({
        "name": "index", "in": "path", "required": true,
        "description": "The photo's position in the list, from 0 (0 is the cover).",
        "schema": {"type": "integer", "minimum": 0}
    });
    let id_param = json!({
        "name": "id", "in": "path", "required": true,
        "description": "A positive whole number (64-bit). Anything else (\"abc\", 0, -1) is answered with 422, not 404.",
        "schema": {"type": "integer", "minimum": 1, "maximum": i64::MAX}
    });
    let availability_params = vec![
        json!({"name": "from", "in": "query", "required": true, "description": "First day (in the resource's zone).", "schema": {"type": "string", "format": "date"}, "example": "2025-11-20"}),
        json!({"name": "to", "in": "query", "required": true, "description": "Last day: on or after `from`, fewer than 62 days later.", "schema": {"type": "string", "format": "date"}, "example": "2025-11-27"}),
        query("duration", "Slot length in minutes (slot resources); the resource's default when absent.", json!({"type": "integer", "minimum": 1, "maximum": 44640})),
    ];
    let availability = |id: &str, tag: &str, summary: &str| {
        Op::new(id, tag, summary)
            .public()
            .describe("Free slots (or free ranges for stays) between two dates, in the resource's zone.")
            .with_id()
            .params(availability_params.clone())
            .answers(200, "Free times.", Some(schema("Availability")))
            .errors(&[400, 404, 422])
            .done()
    };
    let admin_action = |id: &str, summary: &str, description: &str| {
        json!({"post": Op::new(id, "bookings", summary)
            .secured()
            .describe(description)
            .with_id()
            .answers(200, "The booking after the change.", Some(schema("Booking")))
            .errors(&[401, 403, 404, 409, 422])
            .done()})
    };
    let mut docs_page = Op::new("docs", "docs", "Interactive documentation")
        .public()
        .answers(200, "A page that reads /api/openapi.json and sends requests from the browser.", None)
        .done();
    docs_page["responses"]["200"]["content"] = json!({"text/html": {"schema": {"type": "string"}}});
    let actions: Vec<&str> = crate::domain::audit::AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    let audit_params = vec![
        query("action", "Only entries of this action.", json!({"type": "string", "enum": actions})),
        query("skip", "Entries to skip.", json!({"type": "integer", "minimum": 0, "maximum": i32::MAX, "default": 0})),
        query("limit", "Most entries to answer with.", json!({"type": "integer", "minimum": 0, "maximum": 1000, "default": 50})),
    ];
    let mut list_params = booking_filters();
    list_params.push(query("skip", "Bookings to skip.", json!({"type": "integer", "minimum": 0, "maximum": i32::MAX, "default": 0})));
    list_params.push(query("limit", "Most bookings to answer with.", json!({"type": "integer", "minimum": 0, "maximum": 1000, "default": 100})));

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Reservo API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of Reservo: rooms and other resources, their availability, and bookings.\n\n\
                Every path also answers with a trailing slash (`/rooms` and `/rooms/`).\n\n\
                Authenticate with `Authorization: Bearer <token>`: POST /auth/token gives one for any account, \
                GET /get-test-token one for the demo administrator (demo mode only). A browser session cookie works as well.\n\n\
                Errors are `{\"error\": code, \"message\": text, \"field\": name}` (field only when one field is at fault). \
                Besides the statuses listed per operation, any request may be answered 413 (body over 2 MB) or 500 (`internal`); \
                writes sent by a browser from another site are refused with 403 (`cross_site`), and while the database \
                is unreachable requests are answered 503 (`unavailable`)."
        },
        "servers": [{"url": "/api"}],
        "tags": [
            {"name": "auth", "description": "Tokens"},
            {"name": "rooms", "description": "Hotel rooms"},
            {"name": "resources", "description": "Every bookable resource"},
            {"name": "bookings", "description": "Bookings and their life cycle"},
            {"name": "audit", "description": "What administrators did"},
            {"name": "docs", "description": "This description"}
        ],
        "paths": {
            "/get-test-token": {"get": Op::new("getTestToken", "auth", "Token for the demo administrator")
                .public()
                .describe("Demo mode only; 404 in production.")
                .answers(200, "A new token.", Some(schema("Token")))
                .errors(&[404])
                .done()},
            "/auth/token": {
                "post": Op::new("issueToken", "auth", "Token for an account")
                    .public()
                    .describe("Under the same rate limit as the login form.")
                    .body("Credentials", true)
                    .answers(201, "A new token.", Some(schema("Token")))
                    .errors(&[400, 401, 415, 422, 429])
                    .done(),
                "delete": Op::new("revokeToken", "auth", "Revoke the token this request carries")
                    .bearer_only()
                    .describe("Needs `Authorization: Bearer <token>` with that exact capitalisation (422 otherwise, also when the caller is authenticated by a session cookie).")
                    .answers(204, "Revoked.", None)
                    .errors(&[401, 422])
                    .done()
            },
            "/rooms": {
                "get": Op::new("listRooms", "rooms", "List rooms")
                    .public()
                    .answers(200, "Every room with its current status.", Some(json!({"type": "array", "items": schema("Room")})))
                    .done(),
                "post": Op::new("createRoom", "rooms", "Add a room")
                    .secured()
                    .describe("Administrators only. The room is open all day with the booking rules of the kind \"room\".")
                    .body("NewRoom", false)
                    .answers(201, "The new room.", Some(schema("Room")))
                    .links(201, id_links(&["getRoom", "updateRoom", "retireRoom", "roomAvailability", "getResource", "restoreResource",
                        "uploadPhoto", "listReviews", "getNotificationSettings", "setNotificationSettings", "createBooking"]))
                    .errors(&[400, 401, 403, 415, 422])
                    .done()
            },
            "/rooms/{id}": {
                "get": Op::new("getRoom", "rooms", "One room")
                    .public()
                    .with_id()
                    .answers(200, "The room with its current status.", Some(schema("Room")))
                    .errors(&[404, 422])
                    .done(),
                "put": Op::new("updateRoom", "rooms", "Change a room")
                    .secured()
                    .describe("Administrators only. Fields left out stay as they are.")
                    .with_id()
                    .body("RoomChanges", false)
                    .answers(200, "The room as it is now.", Some(schema("Room")))
                    .errors(&[400, 401, 403, 404, 415, 422])
                    .done(),
                "delete": retire("retireRoom", "rooms")
            },
            "/rooms/{id}/availability": {"get": availability("roomAvailability", "rooms", "Free ranges of a room")},
            "/resources": {"get": Op::new("listResources", "resources", "List resources")
                .public()
                .describe("By kind and name. With free_on, only the resources free that day (by name); with free_at too, only those that would take a booking starting then. Dates and times are local: each resource reads them in its own time zone.")
                .params(vec![
                    query("kind", "Only resources of this kind (an unknown kind gives an empty list).", json!({"type": "string", "examples": ["room", "musician", "venue", "workshop"]})),
                    query("free_on", "A local date: free some time that day, for the shortest service (needed with free_at and duration).", json!({"type": "string", "format": "date", "examples": ["2026-12-05"]})),
                    query("free_at", "A local time on free_on (HH:MM): a booking could start then, in each resource's own zone.", json!({"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$", "examples": ["14:30"]})),
                    query("duration", "Minutes from free_at; each resource's shortest service (or its default length) when left out.", json!({"type": "integer", "minimum": 1, "maximum": 44640})),
                ])
                .answers(200, "The resources.", Some(json!({"type": "array", "items": schema("ResourceSummary")})))
                .errors(&[400, 422])
                .done()},
            "/resources/{id}": {
                "get": Op::new("getResource", "resources", "One resource")
                    .public()
                    .with_id()
                    .answers(200, "The resource with its attributes and photos (and its managers, for administrators and those managers).", Some(schema("Resource")))
                    .errors(&[401, 404, 422])
                    .done(),
                "delete": retire("retireResource", "resources")
            },
            "/resources/{id}/restore": {"post": Op::new("restoreResource", "resources", "Offer a retired resource again")
                .secured()
                .describe("Administrators only. Restoring a resource that is offered changes nothing.")
                .with_id()
                .answers(200, "The resource.", Some(schema("Resource")))
                .errors(&[401, 403, 404, 422])
                .done()},
            "/resources/{id}/photos": {"post": Op::new("uploadPhoto", "resources", "Add a photo")
                .secured()
                .describe("The body is the image itself (JPEG, PNG, WebP or GIF, recognised by its content; at most 5 MB; at most 12 photos). The resource's managers and administrators only. Uploaded images are served at /media/{id}.")
                .with_id()
                .image_body()
                .answers(201, "The new photo's URL and the photo list.", Some(schema("Photos")))
                .errors(&[401, 403, 404, 413, 422])
                .done()},
            "/resources/{id}/photos/{index}": {"delete": Op::new("removePhoto", "resources", "Remove a photo")
                .secured()
                .describe("The resource's managers and administrators only; an uploaded image is deleted with it.")
                .with_id()
                .params(vec![photo_index.clone()])
                .answers(200, "The photo list.", Some(schema("Photos")))
                .errors(&[401, 403, 404, 422])
                .done()},
            "/resources/{id}/photos/{index}/cover": {"post": Op::new("makeCover", "resources", "Make a photo the cover")
                .secured()
                .describe("Moves the photo to the front of the list. The resource's managers and administrators only.")
                .with_id()
                .params(vec![photo_index])
                .answers(200, "The photo list.", Some(schema("Photos")))
                .errors(&[401, 403, 404, 422])
                .done()},
            "/resources/{id}/availability": {"get": availability("resourceAvailability", "resources", "Free slots or ranges of a resource")},
            "/resources/{id}/reviews": {"get": Op::new("listReviews", "resources", "A resource's reviews")
                .public()
                .describe("Newest first, paginated; the count and the average cover all of them.")
                .with_id()
                .params(vec![
                    query("skip", "Reviews to skip.", json!({"type": "integer", "minimum": 0, "maximum": i32::MAX, "default": 0})),
                    query("limit", "Most reviews to answer with.", json!({"type": "integer", "minimum": 0, "maximum": 100, "default": 20})),
                ])
                .answers(200, "The reviews and their average.", Some(schema("ReviewList")))
                .errors(&[400, 404, 422])
                .done()},
            "/resources/{id}/notifications": {
                "get": Op::new("getNotificationSettings", "resources", "A resource's notification settings")
                    .secured()
                    .describe("The resource's managers and administrators only.")
                    .with_id()
                    .answers(200, "The settings.", Some(schema("NotificationSettings")))
                    .errors(&[401, 403, 404, 422])
                    .done(),
                "put": Op::new("setNotificationSettings", "resources", "Change a resource's notification settings")
                    .secured()
                    .describe("SMS reminders go to clients who gave a phone number (E.164). The resource's managers and administrators only.")
                    .with_id()
                    .body("NotificationSettings", true)
                    .answers(200, "The new settings.", Some(schema("NotificationSettings")))
                    .errors(&[400, 401, 403, 404, 422])
                    .done()
            },
            "/bookings": {
                "get": Op::new("listBookings", "bookings", "List bookings")
                    .secured()
                    .describe("Filtered and paginated, ordered by start. Clients see only their own bookings, managers those of the resources they manage, administrators all.")
                    .params(list_params)
                    .answers(200, "The bookings.", Some(json!({"type": "array", "items": schema("Booking")})))
                    .errors(&[400, 401, 422])
                    .done(),
                "post": Op::new("createBooking", "bookings", "Book")
                    .secured()
                    .describe("Rooms are confirmed at once; other kinds may wait as pending for approval.")
                    .body("NewBooking", true)
                    .answers(201, "The new booking.", Some(schema("Booking")))
                    .links(201, id_links(&["getBooking", "updateBooking", "cancelBooking", "checkIn", "checkOut", "completeMaintenance",
                        "bookingHistory", "listPayments", "recordPayment"]))
                    .errors(&[400, 401, 403, 404, 409, 415, 422])
                    .done()
            },
            "/bookings/stats/summary": {"get": Op::new("bookingStats", "bookings", "Count bookings by status")
                .secured()
                .describe("Same filters and the same visibility as the list.")
                .params(booking_filters())
                .answers(200, "Counts.", Some(schema("Stats")))
                .errors(&[400, 401, 422])
                .done()},
            "/bookings/{id}": {
                "get": Op::new("getBooking", "bookings", "One booking")
                    .secured()
                    .describe("Its client, the resource's managers and administrators may see it.")
                    .with_id()
                    .answers(200, "The booking.", Some(schema("Booking")))
                    .errors(&[401, 403, 404, 422])
                    .done(),
                "put": Op::new("updateBooking", "bookings", "Change a booking")
                    .secured()
                    .describe("Administrators and the resource's managers; only pending or confirmed bookings (409 otherwise).")
                    .with_id()
                    .body("Changes", true)
                    .answers(200, "The booking after the change.", Some(schema("Booking")))
                    .errors(&[400, 401, 403, 404, 409, 415, 422])
                    .done(),
                "delete": Op::new("cancelBooking", "bookings", "Cancel a booking")
                    .secured()
                    .describe("Its client (until the cancellation cutoff), the resource's managers or administrators; only pending or confirmed bookings.")
                    .with_id()
                    .params(vec![query("reason", "Kept in the booking's history.", json!({"type": "string"}))])
                    .answers(200, "The cancelled booking.", Some(schema("Booking")))
                    .errors(&[400, 401, 403, 404, 409, 422])
                    .done()
            },
            "/bookings/{id}/check-in": admin_action("checkIn", "Check in", "Administrators only; a confirmed booking becomes in_progress."),
            "/bookings/{id}/check-out": admin_action("checkOut", "Check out", "Administrators only; an in_progress booking becomes completed and the room goes into maintenance (cleaning)."),
            "/bookings/{id}/complete-maintenance": admin_action("completeMaintenance", "End of cleaning", "Administrators only; ends the cleaning after a check-out while it lasts (409 otherwise)."),
            "/bookings/{id}/history": {"get": Op::new("bookingHistory", "bookings", "A booking's history")
                .secured()
                .with_id()
                .answers(200, "Its status changes, oldest first.", Some(json!({"type": "array", "items": schema("BookingEvent")})))
                .errors(&[401, 403, 404, 422])
                .done()},
            "/bookings/{id}/payments": {
                "get": Op::new("listPayments", "bookings", "A booking's payments")
                    .secured()
                    .describe("Payments and refunds, oldest first. Whoever may see the booking (its client, the resource's managers, administrators).")
                    .with_id()
                    .answers(200, "The payments.", Some(json!({"type": "array", "items": schema("Payment")})))
                    .errors(&[401, 403, 404, 422])
                    .done(),
                "post": Op::new("recordPayment", "bookings", "Record a payment or refund")
                    .secured()
                    .describe("The resource's managers and administrators (an administrator's is audited). The booking's payment status is computed again; a deposit that is now covered confirms a pending booking whose resource confirms by itself, or holds it again for the manager. Refused: amounts not above 0, a booking taking more than 1,000,000,000.00 in all, or refunds above what was paid (422 `amount_not_positive`, `amount_too_large`, `refund_above_paid`), payments on cancelled, rejected or expired bookings (409 `booking_closed`).")
                    .with_id()
                    .body("NewPayment", true)
                    .answers(201, "The booking after the payment.", Some(schema("Booking")))
                    .errors(&[400, 401, 403, 404, 409, 415, 422])
                    .done()
            },
            "/audit": {"get": Op::new("listAudit", "audit", "The audit log")
                .secured()
                .describe("Administrators only. Every administrator action (rooms and resources, their notification settings and photos, booking changes, check-in and check-out, mail retries, account deletions), newest first.")
                .params(audit_params)
                .answers(200, "The entries.", Some(json!({"type": "array", "items": schema("AuditEntry")})))
                .errors(&[400, 401, 403, 422])
                .done()},
            "/openapi.json": {"get": Op::new("openapi", "docs", "This description")
                .public()
                .answers(200, "OpenAPI 3.1.", Some(json!({"type": "object"})))
                .done()},
            "/docs": {"get": docs_page}
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A token from POST /auth/token or GET /get-test-token."},
                "session": {"type": "apiKey", "in": "cookie", "name": "reservo_session", "description": "The browser session of the web app."}
            },
            "parameters": {"Id": id_param},
            "schemas": schemas(),
            "responses": error_responses()
        }
    })
}
