//! UI text in Spanish (default) and English. Every text is a `Key`, so a
//! missing translation is a compile error, not a blank on screen.

use crate::domain::account::{Lang, Problem, Role};
use crate::domain::booking::BookingError;
use crate::error::AppError;
use leptos::prelude::*;

/// The page language, provided as context by the app shell.
#[derive(Clone, Copy)]
pub struct PageLang(pub Lang);

pub fn use_lang() -> Lang {
    use_context::<PageLang>().map(|l| l.0).unwrap_or_default()
}

/// The language of the current request: the `lang` cookie if the person chose
/// one, else their account's language, else Spanish.
#[cfg(feature = "ssr")]
pub fn request_lang() -> Lang {
    use_context::<http::request::Parts>()
        .map(|parts| crate::server::auth::lang_of_request(&parts))
        .unwrap_or_default()
}

/// In the browser the server's choice is read back from `<html lang>`, so
/// hydration renders exactly what the server did.
#[cfg(not(feature = "ssr"))]
pub fn request_lang() -> Lang {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| Lang::parse(&code))
        .unwrap_or_default()
}

pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    PaymentLabel,
    DepositLabel,
    DepositOwedLabel,
    PayDeposit,
    PayDepositHelp,
    DepositPaidInPerson,
    PaymentReturnedOk,
    PaymentReturnedCancelled,
    PaymentReturnedError,
    RecordPayment,
    PaymentKindLabel,
    PaymentKindDeposit,
    PaymentKindPayment,
    PaymentKindRefund,
    AmountLabel,
    PaymentMethodLabel,
    PaymentMethodCash,
    PaymentMethodTransfer,
    StartJob,
    CompleteJob,
    MarkNoShowAction,
    EditResource,
    ViewPublicProfile,
    BackToPanel,
    ProfileSection,
    GenresCommaSeparated,
    SaveProfile,
    WeeklyHours,
    HoursHelp,
    ClosedDay,
    Opens,
    Closes,
    AndAgain,
    SaveHours,
    DateExceptions,
    NoDateExceptions,
    ClosedAllDay,
    AddException,
    RemoveException,
    BookingRules,
    ApprovalLabel,
    ApprovalManual,
    ApprovalAuto,
    DefaultDuration,
    MinNoticeHours,
    CancelCutoffHours,
    BufferMinutes,
    PendingExpiryHours,
    SaveRules,
    Conflicts,
    ConflictsHelp,
    ChangesSaved,
    Tagline,
    HeroTitle,
    HeroBody,
    NavLogin,
    NavRegister,
    NavPanel,
    Logout,
    SwitchToOther,
    Email,
    Password,
    Name,
    PhoneOptional,
    LoginTitle,
    LoginSubmit,
    NoAccountYet,
    HaveAccount,
    RegisterTitle,
    RegisterSubmit,
    BadCredentials,
    ClientHomeTitle,
    ManagerHomeTitle,
    BookingCalendar,
    MonthView,
    WeekView,
    Today,
    AdminHomeTitle,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    ErrorTitle,
    Loading,
    NoBookingsYet,
    Explore,
    YourResources,
    NoResources,
    Users,
    Resources,
    Kinds,
    Capacity,
    TimeZone,
    Role,
    KindMusician,
    KindVenue,
    KindWorkshop,
    KindRoom,
    NeedLogin,
    Forbidden,
    SkipToContent,
    MainNav,
    RoomsBoard,
    RoomsBoardHelp,
    SentMail,
    SentMailHelp,
    NavMail,
    Recipient,
    MailWhen,
    MailEvent,
    Subject,
    Attempts,
    LastError,
    RetryMail,
    AllStatuses,
    NoMail,
    MailPending,
    MailSent,
    MailFailed,
    MailKept,
    Refresh,
    ShowMessage,
    NavRooms,
    Guest,
    CheckIn,
    CheckOut,
    FinishCleaning,
    CleaningUntil,
    NoRooms,
    AddRoom,
    EditRoom,
    SaveRoom,
    Photos,
    PhotoFile,
    UploadPhoto,
    RemovePhoto,
    MakeCover,
    CoverPhoto,
    RetireRoom,
    RetireRoomHelp,
    RetiredRooms,
    RestoreRoom,
    RoomNumber,
    Description,
    RoomType,
    Beds,
    Guests,
    NightlyPrice,
    LinkTitle,
    BookingNumber,
    BookedWhat,
    DateAndTime,
    BookingName,
    Status,
    LinkConfirmIntro,
    LinkConfirmButton,
    AttendanceConfirmedAt,
    AttendanceRecorded,
    LinkCancelIntro,
    CancelUntil,
    LinkCancelButton,
    BookingIsCancelled,
    BookingCancelledNow,
    LinkRescheduleIntro,
    LinkRescheduleStayIntro,
    NewTime,
    LinkRescheduleButton,
    NoFreeTimes,
    BookingRescheduled,
    LinkExpiredTitle,
    LinkExpiredBody,
    LinkInvalidTitle,
    LinkInvalidBody,
    BookingGoneTitle,
    BookingGoneBody,
    LatestBookings,
    NoUpcomingBookings,
    Resource,
    Starts,
    NewBookingRequest,
    DismissAlert,
    LiveUpdates,
    PendingRequests,
    NoPendingRequests,
    OtherUpcomingBookings,
    BookingActions,
    ConfirmBookingAction,
    RejectBookingAction,
    CancelBookingAction,
    ReasonLabel,
    ConfirmReject,
    NavMusicians,
    NavVenues,
    NavWorkshops,
    MusiciansIntro,
    VenuesIntro,
    WorkshopsIntro,
    SearchText,
    SearchButton,
    Genre,
    Genres,
    City,
    AnyOption,
    AvailableOn,
    FreeAt,
    FreeAtHint,
    MinPrice,
    MaxPrice,
    ClearFilters,
    NoResults,
    Results,
    PageWord,
    PreviousPage,
    NextPage,
    Pagination,
    FromPrice,
    NoPhotos,
    PhotoOf,
    Rates,
    NoRates,
    ManagedBy,
    Seats,
    Address,
    RequestBookingTitle,
    RequestDuration,
    EventType,
    EventAddress,
    RequestNotes,
    // Workshop requests (seed 001).
    ServiceWord,
    VehicleWord,
    ProblemWord,
    MakesServiced,
    ChangeDateLink,
    ClientWord,
    BookingWord,
    HistoryWord,
    MoveBookingTitle,
    CapacityLabel,
    MoveBooking,
    ConflictReason,
    ServicesSection,
    AddService,
    SaveService,
    RemoveService,
    DurationMinutes,
    PriceWord,
    CurrencyCode,
    DepositPolicyLabel,
    DepositNone,
    DepositFixed,
    DepositPercent,
    DepositAmount,
    MaxPerDay,
    DepositWord,
    YourVehicle,
    OtherVehicle,
    VehicleMake,
    VehicleModel,
    VehicleYear,
    VehicleProblem,
    ContactPhone,
    ContactPhoneHint,
    ChooseDay,
    ChooseTime,
    NoDaySelected,
    PreviousMonth,
    NextMonth,
    DateWord,
    TimeWord,
    TimesInZone,
    SendRequest,
    RequestSent,
    LoginToBook,
    Minutes,
    Unavailable,
    NavMyBookings,
    SeeMyBookings,
    UpcomingSection,
    PastSection,
    NoOwnUpcomingBookings,
    NoOwnPastBookings,
    BookSomething,
    Price,
    PartySize,
    Notes,
    CancelBookingOpen,
    CancelReasonOptional,
    ConfirmCancel,
    ReviewsTitle,
    NoReviewsYet,
    AverageRating,
    ManagerReply,
    MoreReviews,
    RateBooking,
    RatingLabel,
    ReviewCommentOptional,
    SendReview,
    ReviewThanks,
    YourReview,
    ReviewsToReply,
    NoReviewsToReply,
    ReplyLabel,
    SendReply,
    NavMyAccount,
    MyDataTitle,
    MyDataHelp,
    DownloadMyData,
    DeleteAccountTitle,
    DeleteAccountHelp,
    ConfirmWithPassword,
    NavAudit,
    AuditTitle,
    AuditHelp,
    AuditWhen,
    AuditActor,
    AuditActionLabel,
    AuditTarget,
    AuditDetail,
    AllActions,
    NoAuditEntries,
    FilterButton,
    // Reports and booking history.
    NavReports,
    NavHistory,
    ReportsTitle,
    ReportsHelpManager,
    ReportsHelpAdmin,
    RangeFrom,
    RangeTo,
    ShowReport,
    BookingsByStatus,
    BookingsWord,
    TotalWord,
    Revenue,
    RevenuePerResource,
    CurrencyWord,
    Collected,
    OfWhichDeposits,
    CompletedValue,
    Utilization,
    UtilizationPerResource,
    BookedHours,
    OpenHours,
    CancellationsTitle,
    CancelledWord,
    CancellationRate,
    NoShows,
    NoShowRate,
    DownloadCsv,
    NoRowsInPeriod,
    HistoryTitle,
    HistoryHelp,
    AllResources,
    ClientFilter,
    NoHistory,
    ViewBooking,
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    let (es, en) = texts(key);
    match lang {
        Lang::Es => es,
        Lang::En => en,
    }
}

fn texts(key: Key) -> (&'static str, &'static str) {
    use Key::*;
    match key {
        PaymentLabel => ("Pago", "Payment"),
        DepositLabel => ("Anticipo", "Deposit"),
        DepositOwedLabel => ("Anticipo pendiente", "Deposit owed"),
        PayDeposit => ("Pagar anticipo", "Pay the deposit"),
        PayDepositHelp => ("Paga el anticipo para que tu reserva se confirme; si no se paga a tiempo, el horario se libera.", "Pay the deposit to have your booking confirmed; unpaid in time, the time is released."),
        DepositPaidInPerson => ("El anticipo se paga en el taller; tu reserva se confirma cuando lo recibamos.", "The deposit is paid at the workshop; your booking is confirmed once it is received."),
        PaymentReturnedOk => ("Gracias: recibimos tu pago. La reserva se actualiza en cuanto el banco lo confirma.", "Thank you: your payment was received. The booking updates as soon as the bank confirms it."),
        PaymentReturnedCancelled => ("Pago cancelado: no se cobró nada. Puedes intentarlo de nuevo.", "Payment cancelled: nothing was charged. You can try again."),
        PaymentReturnedError => ("No se pudo iniciar el pago. Inténtalo de nuevo en un momento.", "The payment could not be started. Try again in a moment."),
        RecordPayment => ("Registrar pago", "Record a payment"),
        PaymentKindLabel => ("Tipo", "Kind"),
        PaymentKindDeposit => ("Anticipo", "Deposit"),
        PaymentKindPayment => ("Pago", "Payment"),
        PaymentKindRefund => ("Devolución", "Refund"),
        AmountLabel => ("Monto (p. ej. 450.00)", "Amount (e.g. 450.00)"),
        PaymentMethodLabel => ("Forma de pago", "Method"),
        PaymentMethodCash => ("Efectivo", "Cash"),
        PaymentMethodTransfer => ("Transferencia", "Bank transfer"),
        StartJob => ("Iniciar", "Start"),
        CompleteJob => ("Completar", "Complete"),
        MarkNoShowAction => ("No se presentó", "No-show"),
        EditResource => ("Editar", "Edit"),
        ViewPublicProfile => ("Ver perfil público", "View public profile"),
        BackToPanel => ("Volver al panel", "Back to the dashboard"),
        ProfileSection => ("Perfil", "Profile"),
        GenresCommaSeparated => ("Géneros (separados por comas)", "Genres (comma-separated)"),
        SaveProfile => ("Guardar perfil", "Save profile"),
        WeeklyHours => ("Horario semanal", "Weekly hours"),
        HoursHelp => (
            "Escribe las horas como HH:MM en la zona horaria del recurso; 24:00 (o 00:00 al cerrar) es medianoche. Para un descanso, como la comida, usa el segundo horario del día.",
            "Write times as HH:MM in the resource's time zone; 24:00 (or 00:00 as the closing time) is midnight. For a break, such as lunch, use the day's second period.",
        ),
        ClosedDay => ("Cerrado", "Closed"),
        Opens => ("Desde", "From"),
        Closes => ("Hasta", "To"),
        AndAgain => ("y de nuevo", "and again"),
        SaveHours => ("Guardar horario", "Save hours"),
        DateExceptions => ("Días con otro horario", "Date exceptions"),
        NoDateExceptions => ("No hay días con otro horario próximamente.", "No upcoming date exceptions."),
        ClosedAllDay => ("Cerrado todo el día", "Closed all day"),
        AddException => ("Añadir fecha", "Add date"),
        RemoveException => ("Quitar", "Remove"),
        BookingRules => ("Reglas de reserva", "Booking rules"),
        ApprovalLabel => ("Aprobación de solicitudes", "Approving requests"),
        ApprovalManual => ("Manual: confirmo cada solicitud", "Manual: I confirm each request"),
        ApprovalAuto => ("Automática: se confirman al momento", "Automatic: confirmed at once"),
        DefaultDuration => ("Duración por defecto (minutos)", "Default booking duration (minutes)"),
        MinNoticeHours => ("Antelación mínima (horas)", "Minimum notice (hours)"),
        CancelCutoffHours => ("El cliente puede cancelar hasta (horas antes del inicio)", "Clients may cancel until (hours before the start)"),
        BufferMinutes => ("Margen entre reservas (minutos)", "Buffer between bookings (minutes)"),
        PendingExpiryHours => ("Las solicitudes sin respuesta vencen tras (horas)", "Unanswered requests expire after (hours)"),
        SaveRules => ("Guardar reglas", "Save rules"),
        Conflicts => ("Reservas fuera del horario", "Bookings outside the hours"),
        ConflictsHelp => ("Estas reservas siguen en pie: no se movieron ni cancelaron. Habla con el cliente y decide qué hacer.", "These bookings still stand: nothing was moved or cancelled. Talk to the client and decide what to do."),
        ChangesSaved => ("Cambios guardados.", "Changes saved."),
        Tagline => ("Reservas sin complicaciones", "Bookings made simple"),
        HeroTitle => (
            "Reserva músicos, recintos, talleres y habitaciones en un solo lugar",
            "Book musicians, venues, workshops and hotel rooms in one place",
        ),
        HeroBody => (
            "Elige un horario libre en el calendario y recibe la confirmación por correo.",
            "Pick a free time in the calendar and get the confirmation by email.",
        ),
        NavLogin => ("Entrar", "Log in"),
        NavRegister => ("Crear cuenta", "Sign up"),
        NavPanel => ("Mi panel", "My dashboard"),
        Logout => ("Salir", "Log out"),
        SwitchToOther => ("English", "Español"),
        Email => ("Correo electrónico", "Email"),
        Password => ("Contraseña", "Password"),
        Name => ("Nombre", "Name"),
        PhoneOptional => ("Teléfono (opcional, formato +52…)", "Phone (optional, format +1…)"),
        LoginTitle => ("Entrar a Reservo", "Log in to Reservo"),
        LoginSubmit => ("Entrar", "Log in"),
        NoAccountYet => ("¿Aún no tienes cuenta?", "No account yet?"),
        HaveAccount => ("¿Ya tienes cuenta?", "Already have an account?"),
        RegisterTitle => ("Crear una cuenta", "Create an account"),
        RegisterSubmit => ("Crear cuenta", "Create account"),
        BadCredentials => ("Correo o contraseña incorrectos.", "Wrong email or password."),
        ClientHomeTitle => ("Mis reservas", "My bookings"),
        ManagerHomeTitle => ("Panel del manager", "Manager dashboard"),
        BookingCalendar => ("Calendario de reservas", "Booking calendar"),
        MonthView => ("Mes", "Month"),
        WeekView => ("Semana", "Week"),
        Today => ("Hoy", "Today"),
        AdminHomeTitle => ("Administración", "Administration"),
        NotFoundTitle => ("Página no encontrada", "Page not found"),
        NotFoundBody => (
            "La dirección que buscas no existe o ya no está disponible.",
            "The address you are looking for does not exist or is no longer available.",
        ),
        BackHome => ("Volver al inicio", "Back to the home page"),
        ErrorTitle => ("Algo salió mal", "Something went wrong"),
        Loading => ("Cargando…", "Loading…"),
        NoBookingsYet => (
            "Aún no tienes reservas. Elige a quién o qué quieres reservar:",
            "You have no bookings yet. Choose whom or what to book:",
        ),
        Explore => ("Explora", "Explore"),
        YourResources => ("Tus recursos", "Your resources"),
        NoResources => ("Todavía no administras ningún recurso.", "You do not manage any resource yet."),
        Users => ("Usuarios", "Users"),
        Resources => ("Recursos", "Resources"),
        Kinds => ("Tipos", "Kinds"),
        Capacity => ("Capacidad", "Capacity"),
        TimeZone => ("Zona horaria", "Time zone"),
        Role => ("Rol", "Role"),
        KindMusician => ("Músicos", "Musicians"),
        KindVenue => ("Recintos", "Venues"),
        KindWorkshop => ("Talleres mecánicos", "Mechanic workshops"),
        KindRoom => ("Habitaciones", "Hotel rooms"),
        NeedLogin => ("Inicia sesión para continuar.", "Log in to continue."),
        Forbidden => ("No tienes permiso para ver esto.", "You are not allowed to see this."),
        SkipToContent => ("Saltar al contenido", "Skip to content"),
        MainNav => ("Navegación principal", "Main navigation"),
        RoomsBoard => ("Tablero de habitaciones", "Rooms board"),
        RoomsBoardHelp => (
            "El estado de cada habitación se actualiza solo en cuanto cambia una reserva.",
            "Each room's status refreshes by itself as soon as a booking changes.",
        ),
        NavRooms => ("Habitaciones", "Rooms"),
        SentMail => ("Correo enviado", "Sent mail"),
        SentMailHelp => (
            "Cada correo y SMS que Reservo escribe, con su estado de envío. Sin servidor SMTP configurado se guardan aquí sin enviarse.",
            "Every email and SMS Reservo writes, with its delivery status. With no SMTP server configured they are kept here unsent.",
        ),
        NavMail => ("Correo", "Mail"),
        Recipient => ("Para", "To"),
        MailWhen => ("Escrito", "Written"),
        MailEvent => ("Motivo", "Reason"),
        Subject => ("Asunto", "Subject"),
        Attempts => ("Intentos", "Attempts"),
        LastError => ("Último error", "Last error"),
        RetryMail => ("Reintentar", "Retry"),
        AllStatuses => ("Todos los estados", "All statuses"),
        NoMail => ("No hay mensajes.", "There are no messages."),
        MailPending => ("En cola", "Queued"),
        MailSent => ("Enviado", "Sent"),
        MailFailed => ("Falló", "Failed"),
        MailKept => ("Guardado sin enviar", "Kept, not sent"),
        Refresh => ("Actualizar", "Refresh"),
        ShowMessage => ("Ver mensaje", "Show message"),
        Guest => ("Huésped", "Guest"),
        CheckIn => ("Registrar entrada", "Check in"),
        CheckOut => ("Registrar salida", "Check out"),
        FinishCleaning => ("Terminar limpieza", "Finish cleaning"),
        CleaningUntil => ("Limpieza hasta", "Cleaning until"),
        NoRooms => ("Todavía no hay habitaciones.", "There are no rooms yet."),
        AddRoom => ("Agregar habitación", "Add a room"),
        EditRoom => ("Editar habitación", "Edit room"),
        SaveRoom => ("Guardar cambios", "Save changes"),
        Photos => ("Fotos", "Photos"),
        PhotoFile => ("Foto (JPEG, PNG, WebP o GIF; hasta 5 MB)", "Photo (JPEG, PNG, WebP or GIF; up to 5 MB)"),
        UploadPhoto => ("Subir foto", "Upload photo"),
        RemovePhoto => ("Quitar", "Remove"),
        MakeCover => ("Usar de portada", "Make cover"),
        CoverPhoto => ("Portada", "Cover"),
        RetireRoom => ("Retirar habitación", "Retire room"),
        RetireRoomHelp => (
            "Deja de ofrecerse y de aceptar reservas; su historial se conserva y puedes volver a ofrecerla.",
            "It stops being offered and taking bookings; its history stays and you can offer it again.",
        ),
        RetiredRooms => ("Habitaciones retiradas", "Retired rooms"),
        RestoreRoom => ("Volver a ofrecer", "Offer again"),
        RoomNumber => ("Número", "Number"),
        Description => ("Descripción", "Description"),
        RoomType => ("Tipo (sencilla, doble, suite…)", "Type (single, double, suite…)"),
        Beds => ("Camas", "Beds"),
        Guests => ("Huéspedes como máximo", "Guests at most"),
        NightlyPrice => ("Precio por noche (MXN)", "Price per night (MXN)"),
        LinkTitle => ("Tu reserva", "Your booking"),
        BookingNumber => ("Número de reserva", "Booking number"),
        BookedWhat => ("Reservaste", "You booked"),
        DateAndTime => ("Fecha y hora", "Date and time"),
        BookingName => ("A nombre de", "In the name of"),
        Status => ("Estado", "Status"),
        LinkConfirmIntro => (
            "Con este enlace nos confirmas que asistirás. Así mantenemos tu lugar.",
            "With this link you confirm that you will attend, so we keep your place.",
        ),
        LinkConfirmButton => ("Confirmar mi asistencia", "Confirm my attendance"),
        AttendanceConfirmedAt => ("Asistencia confirmada el", "Attendance confirmed on"),
        AttendanceRecorded => ("¡Gracias! Tu asistencia quedó confirmada.", "Thank you! Your attendance is confirmed."),
        LinkCancelIntro => (
            "Con este enlace puedes cancelar tu reserva. Una cancelación no se puede deshacer.",
            "With this link you can cancel your booking. A cancellation cannot be undone.",
        ),
        CancelUntil => ("Puedes cancelar hasta el", "You can cancel until"),
        LinkCancelButton => ("Cancelar mi reserva", "Cancel my booking"),
        BookingIsCancelled => ("Esta reserva está cancelada.", "This booking is cancelled."),
        BookingCancelledNow => ("Tu reserva quedó cancelada.", "Your booking has been cancelled."),
        LinkRescheduleIntro => (
            "Elige un nuevo horario de la misma duración en los próximos 14 días.",
            "Choose a new time of the same length within the next 14 days.",
        ),
        LinkRescheduleStayIntro => (
            "Elige un nuevo día de llegada en los próximos 14 días; tu estancia conserva su duración.",
            "Choose a new arrival day within the next 14 days; your stay keeps its length.",
        ),
        NewTime => ("Nuevo horario", "New time"),
        LinkRescheduleButton => ("Cambiar al horario elegido", "Move to the chosen time"),
        NoFreeTimes => (
            "No hay horarios libres en los próximos 14 días. Entra a tu cuenta o escríbenos para buscar otra fecha.",
            "There are no free times in the next 14 days. Log in or write to us to find another date.",
        ),
        BookingRescheduled => ("Listo: tu reserva se cambió al nuevo horario.", "Done: your booking was moved to the new time."),
        LinkExpiredTitle => ("Este enlace ya venció", "This link has expired"),
        LinkExpiredBody => (
            "Por seguridad, los enlaces de los correos funcionan solo por un tiempo. Usa el enlace de un correo más reciente o entra a tu cuenta para ver y cambiar tu reserva.",
            "For security, links in emails only work for a while. Use the link in a more recent email, or log in to see and change your booking.",
        ),
        LinkInvalidTitle => ("Este enlace no es válido", "This link is not valid"),
        LinkInvalidBody => (
            "Quizá se copió incompleto. Ábrelo directamente desde el correo o entra a tu cuenta para ver tu reserva.",
            "It may have been copied incompletely. Open it straight from the email, or log in to see your booking.",
        ),
        BookingGoneTitle => ("Esta reserva ya no existe", "This booking no longer exists"),
        BookingGoneBody => (
            "Entra a tu cuenta para ver tus reservas actuales.",
            "Log in to see your current bookings.",
        ),
        LatestBookings => ("Próximas reservas", "Upcoming bookings"),
        NoUpcomingBookings => ("Tus recursos no tienen reservas próximas.", "Your resources have no upcoming bookings."),
        Resource => ("Recurso", "Resource"),
        Starts => ("Inicio", "Start"),
        NewBookingRequest => ("Nueva solicitud de reserva", "New booking request"),
        DismissAlert => ("Cerrar aviso", "Dismiss"),
        LiveUpdates => ("Actualización en vivo", "Live updates"),
        PendingRequests => ("Solicitudes pendientes", "Pending requests"),
        NoPendingRequests => ("No hay solicitudes pendientes.", "There are no pending requests."),
        OtherUpcomingBookings => ("Otras reservas próximas", "Other upcoming bookings"),
        BookingActions => ("Acciones", "Actions"),
        ConfirmBookingAction => ("Confirmar", "Confirm"),
        RejectBookingAction => ("Rechazar", "Reject"),
        CancelBookingAction => ("Cancelar", "Cancel"),
        ReasonLabel => ("Motivo", "Reason"),
        ConfirmReject => ("Confirmar rechazo", "Confirm rejection"),
        NavMusicians => ("Músicos", "Musicians"),
        NavVenues => ("Salones", "Venues"),
        NavWorkshops => ("Talleres", "Workshops"),
        MusiciansIntro => ("Encuentra músicos para tu evento y solicita una fecha.", "Find musicians for your event and request a date."),
        VenuesIntro => ("Encuentra el salón para tu evento y solicita una fecha.", "Find the venue for your event and request a date."),
        WorkshopsIntro => (
            "Talleres mecánicos con sus servicios, precios y horarios libres: elige el servicio y la hora para tu vehículo.",
            "Mechanic workshops with their services, prices and free times: choose the service and the time for your vehicle.",
        ),
        SearchText => ("Nombre o descripción", "Name or description"),
        SearchButton => ("Buscar", "Search"),
        Genre => ("Género", "Genre"),
        Genres => ("Géneros", "Genres"),
        City => ("Ciudad", "City"),
        AnyOption => ("Todos", "All"),
        AvailableOn => ("Disponible el día", "Available on"),
        FreeAt => ("Libre a las", "Free at"),
        FreeAtHint => (
            "Con el día: la hora local de cada uno, en su zona horaria, por lo que dura su servicio más corto.",
            "With the date: each one's local time, in its own time zone, for as long as its shortest service.",
        ),
        MinPrice => ("Precio desde", "Price from"),
        MaxPrice => ("Precio hasta", "Price up to"),
        ClearFilters => ("Quitar filtros", "Clear filters"),
        NoResults => ("No encontramos resultados con estos filtros.", "Nothing matches these filters."),
        Results => ("resultados", "results"),
        PageWord => ("Página", "Page"),
        PreviousPage => ("Anterior", "Previous"),
        NextPage => ("Siguiente", "Next"),
        Pagination => ("Paginación", "Pagination"),
        FromPrice => ("Desde", "From"),
        NoPhotos => ("Sin fotos todavía", "No photos yet"),
        PhotoOf => ("Foto de", "Photo of"),
        Rates => ("Tarifas", "Rates"),
        NoRates => ("Precio a consultar.", "Price on request."),
        ManagedBy => ("Representación", "Managed by"),
        Seats => ("Aforo", "Seats"),
        Address => ("Dirección", "Address"),
        RequestBookingTitle => ("Solicitar una reserva", "Request a booking"),
        RequestDuration => ("Duración", "Duration"),
        EventType => ("Tipo de evento", "Event type"),
        EventAddress => ("Dirección del evento", "Event address"),
        RequestNotes => ("Notas para el manager", "Notes for the manager"),
        ServiceWord => ("Servicio", "Service"),
        VehicleWord => ("Vehículo", "Vehicle"),
        ProblemWord => ("Problema o servicio pedido", "Problem or service asked for"),
        MakesServiced => ("Marcas que atiende", "Makes serviced"),
        ChangeDateLink => ("Cambiar fecha u hora", "Change date or time"),
        ClientWord => ("Cliente", "Client"),
        BookingWord => ("Reserva", "Booking"),
        HistoryWord => ("Historial", "History"),
        MoveBookingTitle => ("Mover a otra fecha u hora (se avisa al cliente)", "Move to another date or time (the client is told)"),
        CapacityLabel => ("Reservas a la vez (bahías, mesas…)", "Bookings at once (bays, tables…)"),
        MoveBooking => ("Mover a esta fecha", "Move to this date"),
        ConflictReason => ("Motivo de la cancelación", "Reason for cancelling"),
        ServicesSection => ("Servicios y precios", "Services and prices"),
        AddService => ("Agregar servicio", "Add service"),
        SaveService => ("Guardar servicio", "Save service"),
        RemoveService => ("Quitar servicio", "Remove service"),
        DurationMinutes => ("Duración (minutos)", "Length (minutes)"),
        PriceWord => ("Precio", "Price"),
        CurrencyCode => ("Moneda (ISO, p. ej. MXN)", "Currency (ISO, e.g. MXN)"),
        DepositPolicyLabel => ("Anticipo", "Deposit"),
        DepositNone => ("Sin anticipo", "No deposit"),
        DepositFixed => ("Monto fijo", "Fixed amount"),
        DepositPercent => ("Porcentaje del precio", "Percentage of the price"),
        DepositAmount => ("Monto o porcentaje del anticipo", "Deposit amount or percentage"),
        MaxPerDay => ("Máximo de citas por día (vacío: sin límite)", "Most bookings a day (empty: no limit)"),
        DepositWord => ("anticipo", "deposit"),
        YourVehicle => ("Tu vehículo", "Your vehicle"),
        OtherVehicle => ("Otro vehículo (escríbelo abajo)", "Another vehicle (type it below)"),
        VehicleMake => ("Marca", "Make"),
        VehicleModel => ("Modelo", "Model"),
        VehicleYear => ("Año", "Year"),
        VehicleProblem => ("¿Qué le pasa al vehículo o qué necesitas?", "What is wrong with the vehicle, or what do you need?"),
        ContactPhone => ("Teléfono de contacto", "Contact phone"),
        ContactPhoneHint => ("Vacío: el de tu cuenta.", "Empty: your account's."),
        ChooseDay => ("Elige un día", "Choose a day"),
        ChooseTime => ("Elige una hora", "Choose a time"),
        NoDaySelected => ("Elige un día con horarios libres en el calendario.", "Choose a day with free times in the calendar."),
        PreviousMonth => ("Mes anterior", "Previous month"),
        NextMonth => ("Mes siguiente", "Next month"),
        DateWord => ("Fecha", "Date"),
        TimeWord => ("Hora", "Time"),
        TimesInZone => ("Horarios en la zona horaria", "Times in the time zone"),
        SendRequest => ("Enviar solicitud", "Send request"),
        RequestSent => ("Solicitud enviada", "Request sent"),
        LoginToBook => ("Entra con tu cuenta para solicitar una reserva.", "Log in to request a booking."),
        Minutes => ("min", "min"),
        Unavailable => ("sin horarios libres", "no free times"),
        NavMyBookings => ("Mis reservas", "My bookings"),
        SeeMyBookings => ("Ver mis reservas", "See my bookings"),
        UpcomingSection => ("Próximas", "Upcoming"),
        PastSection => ("Pasadas", "Past"),
        NoOwnUpcomingBookings => ("No tienes reservas próximas.", "You have no upcoming bookings."),
        NoOwnPastBookings => ("Todavía no tienes reservas pasadas.", "You have no past bookings yet."),
        BookSomething => ("Buscar qué reservar", "Find something to book"),
        Price => ("Precio", "Price"),
        PartySize => ("Personas", "People"),
        Notes => ("Notas", "Notes"),
        CancelBookingOpen => ("Cancelar", "Cancel"),
        CancelReasonOptional => ("Motivo (opcional)", "Reason (optional)"),
        ConfirmCancel => ("Confirmar cancelación", "Confirm cancellation"),
        ReviewsTitle => ("Reseñas", "Reviews"),
        NoReviewsYet => ("Todavía no hay reseñas.", "No reviews yet."),
        AverageRating => ("Calificación media", "Average rating"),
        ManagerReply => ("Respuesta", "Reply"),
        MoreReviews => ("Ver más reseñas", "More reviews"),
        RateBooking => ("Valorar", "Rate"),
        RatingLabel => ("Calificación", "Rating"),
        ReviewCommentOptional => ("Comentario (opcional)", "Comment (optional)"),
        SendReview => ("Enviar valoración", "Send review"),
        ReviewThanks => ("¡Gracias por tu valoración!", "Thank you for your review!"),
        YourReview => ("Tu valoración", "Your review"),
        ReviewsToReply => ("Reseñas sin responder", "Reviews awaiting a reply"),
        NoReviewsToReply => ("No hay reseñas pendientes de respuesta.", "No reviews are waiting for a reply."),
        ReplyLabel => ("Tu respuesta", "Your reply"),
        SendReply => ("Responder", "Reply"),
        NavMyAccount => ("Mi cuenta", "My account"),
        MyDataTitle => ("Mis datos", "My data"),
        MyDataHelp => (
            "Descarga en un archivo JSON lo que guardamos de ti: tu cuenta, tus reservas con su historial y los mensajes que te enviamos sobre ellas.",
            "Download what we keep about you as a JSON file: your account, your bookings with their history and the messages we sent you about them.",
        ),
        DownloadMyData => ("Descargar mis datos", "Download my data"),
        DeleteAccountTitle => ("Eliminar mi cuenta", "Delete my account"),
        DeleteAccountHelp => (
            "Tu cuenta se cierra y ya no podrás entrar con ella. Tus reservas próximas se cancelan y se avisa a quien las gestiona; las pasadas se conservan en sus registros, pero sin tu nombre ni tus datos de contacto. Las que ya no se pueden cancelar siguen en pie y se anonimizan cuando terminan.",
            "Your account is closed and you can no longer log in with it. Your upcoming bookings are cancelled and their managers are told; past ones stay in their records, without your name or contact details. Those that can no longer be cancelled go ahead and are anonymized once they end.",
        ),
        ConfirmWithPassword => ("Tu contraseña, para confirmar", "Your password, to confirm"),
        NavAudit => ("Auditoría", "Audit log"),
        AuditTitle => ("Registro de auditoría", "Audit log"),
        AuditHelp => ("Cada acción de un administrador, la más reciente primero.", "Every administrator action, newest first."),
        AuditWhen => ("Cuándo", "When"),
        AuditActor => ("Quién", "Who"),
        AuditActionLabel => ("Acción", "Action"),
        AuditTarget => ("Sobre", "On"),
        AuditDetail => ("Detalle", "Detail"),
        AllActions => ("Todas las acciones", "All actions"),
        NoAuditEntries => ("No hay acciones registradas.", "No actions recorded."),
        FilterButton => ("Filtrar", "Filter"),
        NavReports => ("Informes", "Reports"),
        NavHistory => ("Historial", "History"),
        ReportsTitle => ("Informes", "Reports"),
        ReportsHelpManager => ("Cifras de tus recursos en el periodo elegido; cada reserva cuenta en la fecha local en que empieza.", "Figures for your resources in the chosen period; each booking counts on the local date it starts."),
        ReportsHelpAdmin => ("Cifras de todos los recursos en el periodo elegido; cada reserva cuenta en la fecha local en que empieza.", "Figures for every resource in the chosen period; each booking counts on the local date it starts."),
        RangeFrom => ("Desde", "From"),
        RangeTo => ("Hasta", "To"),
        ShowReport => ("Ver informe", "Show report"),
        BookingsByStatus => ("Reservas por estado", "Bookings by status"),
        BookingsWord => ("Reservas", "Bookings"),
        TotalWord => ("Total", "Total"),
        Revenue => ("Ingresos", "Revenue"),
        RevenuePerResource => ("Cobrado por recurso", "Collected per resource"),
        CurrencyWord => ("Moneda", "Currency"),
        Collected => ("Cobrado", "Collected"),
        OfWhichDeposits => ("De ello, anticipos", "Of which deposits"),
        CompletedValue => ("Valor de las reservas terminadas", "Value of completed bookings"),
        Utilization => ("Ocupación", "Utilization"),
        UtilizationPerResource => ("Ocupación por recurso (% de las horas abiertas)", "Utilization per resource (% of open hours)"),
        BookedHours => ("Horas reservadas", "Booked hours"),
        OpenHours => ("Horas abiertas", "Open hours"),
        CancellationsTitle => ("Cancelaciones y ausencias", "Cancellations and no-shows"),
        CancelledWord => ("Canceladas", "Cancelled"),
        CancellationRate => ("Tasa de cancelación", "Cancellation rate"),
        NoShows => ("No se presentaron", "No-shows"),
        NoShowRate => ("Tasa de ausencias", "No-show rate"),
        DownloadCsv => ("Descargar CSV", "Download CSV"),
        NoRowsInPeriod => ("Nada en este periodo.", "Nothing in this period."),
        HistoryTitle => ("Historial de reservas", "Booking history"),
        HistoryHelp => ("Las reservas de tus recursos, la más reciente primero.", "Your resources' bookings, newest first."),
        AllResources => ("Todos los recursos", "All resources"),
        ClientFilter => ("Cliente (nombre o correo)", "Client (name or email)"),
        NoHistory => ("No hay reservas con estos filtros.", "No bookings match these filters."),
        ViewBooking => ("Ver reserva", "View booking"),
    }
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    let (es, en) = match role {
        Role::Client => ("Cliente", "Client"),
        Role::Manager => ("Manager", "Manager"),
        Role::Admin => ("Administrador", "Administrator"),
    };
    if lang == Lang::Es { es } else { en }
}

pub fn kind_name(lang: Lang, kind: &str) -> String {
    let key = match kind {
        "musician" => Key::KindMusician,
        "venue" => Key::KindVenue,
        "workshop" => Key::KindWorkshop,
        "room" => Key::KindRoom,
        other => return other.to_string(),
    };
    t(lang, key).to_string()
}

pub fn problem_text(lang: Lang, problem: Problem) -> &'static str {
    use Problem::*;
    let (es, en) = match problem {
        Required => ("Este campo es obligatorio.", "This field is required."),
        TooLong => ("Es demasiado largo.", "It is too long."),
        EmailInvalid => (
            "Escribe un correo válido, por ejemplo ana@ejemplo.com.",
            "Enter a valid email, for example ana@example.com.",
        ),
        EmailTaken => (
            "Ya existe una cuenta con este correo; entra con ella.",
            "An account with this email already exists; log in with it.",
        ),
        PasswordTooShort => (
            "La contraseña debe tener al menos 10 caracteres.",
            "The password must have at least 10 characters.",
        ),
        PasswordTooLong => (
            "La contraseña puede tener como máximo 128 caracteres.",
            "The password may have at most 128 characters.",
        ),
        PhoneInvalid => (
            "Escribe el teléfono con código de país, por ejemplo +525512345678.",
            "Enter the phone with its country code, for example +15551234567.",
        ),
        LangInvalid => ("Elige español o inglés.", "Choose Spanish or English."),
        RoleInvalid => ("Rol desconocido.", "Unknown role."),
        NotAWholeNumber => ("Escribe un número entero, por ejemplo 2.", "Enter a whole number, for example 2."),
        OutOfRange => ("El valor está fuera del rango permitido.", "The value is outside the allowed range."),
        MoneyInvalid => ("Escribe un importe como 1200 o 1200.50.", "Enter an amount such as 1200 or 1200.50."),
        CurrencyInvalid => ("Usa un código de moneda ISO como MXN o EUR.", "Use an ISO currency code such as MXN or EUR."),
        TimezoneInvalid => ("Usa una zona horaria IANA como America/Mexico_City.", "Use an IANA time zone such as America/Mexico_City."),
        StatusDerived => (
            "Una habitación nueva está disponible; después su estado sigue a sus reservas.",
            "A new room is available; afterwards its status follows its bookings.",
        ),
        NotAnImage => ("Sube una imagen JPEG, PNG, WebP o GIF.", "Upload a JPEG, PNG, WebP or GIF image."),
        PhotoTooLarge => ("La imagen pesa más de 5 MB; redúcela.", "The image is larger than 5 MB; make it smaller."),
        TooManyPhotos => ("Ya tiene 12 fotos; quita alguna antes de subir otra.", "It already has 12 photos; remove one before adding another."),
        PasswordWrong => ("La contraseña no es correcta.", "The password is not correct."),
        LastAdmin => (
            "Eres el único administrador: nombra a otro antes de eliminar tu cuenta.",
            "You are the only administrator: make someone else one before deleting your account.",
        ),
        TimeInvalid => ("Escribe la hora como HH:MM, por ejemplo 09:30.", "Write the time as HH:MM, for example 09:30."),
        ClosesBeforeOpens => ("La hora de cierre debe ser posterior a la de apertura.", "The closing time must be after the opening time."),
        DateInvalid => ("Escribe la fecha como AAAA-MM-DD, por ejemplo 2026-12-24.", "Write the date as YYYY-MM-DD, for example 2026-12-24."),
        DateInPast => ("Esa fecha ya pasó; elige hoy o una fecha futura.", "That date has passed; choose today or a later date."),
        PeriodsOverlap => ("El segundo horario del día debe empezar cuando termina el primero o después.", "The day's second period must start when the first ends or later."),
        RatingOutOfRange => ("Elige de 1 a 5 estrellas.", "Choose from 1 to 5 stars."),
        ReviewTooLong => ("Puede tener como máximo 2000 caracteres.", "It may have at most 2000 characters."),
        BelowBookings => (
            "Ya hay más reservas a la misma hora: mueve o cancela alguna antes de bajar la capacidad.",
            "More bookings than that already overlap: move or cancel some before lowering the capacity.",
        ),
        EndsBeforeStart => ("La fecha final debe ser igual o posterior a la inicial.", "The end date must be on or after the start date."),
        RangeTooLong => ("El periodo puede abarcar como máximo 366 días.", "The period may span at most 366 days."),
    };
    if lang == Lang::Es { es } else { en }
}

/// The sentence shown to a person for an error that is not about one field.
pub fn error_text(lang: Lang, error: &AppError) -> String {
    let es = lang == Lang::Es;
    match error {
        AppError::Invalid(e) => problem_text(lang, e.problem).to_string(),
        AppError::BadCredentials => t(lang, Key::BadCredentials).to_string(),
        AppError::TooManyAttempts { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60).max(1);
            if es {
                format!("Demasiados intentos. Vuelve a intentarlo en {minutes} min.")
            } else {
                format!("Too many attempts. Try again in {minutes} min.")
            }
        }
        AppError::Booking(refusal) => booking_error_text(lang, refusal).to_string(),
        AppError::Unauthorized => t(lang, Key::NeedLogin).to_string(),
        AppError::Forbidden => t(lang, Key::Forbidden).to_string(),
        AppError::NotFound => t(lang, Key::NotFoundTitle).to_string(),
        AppError::LinkInvalid => t(lang, Key::LinkInvalidTitle).to_string(),
        AppError::LinkExpired => t(lang, Key::LinkExpiredTitle).to_string(),
        AppError::Review(refusal) => review_refusal_text(lang, *refusal).to_string(),
        AppError::Unavailable => {
            if es {
                "El servicio no está disponible en este momento. Inténtalo de nuevo en unos segundos.".to_string()
            } else {
                "The service is unavailable at the moment. Please try again in a few seconds.".to_string()
            }
        }
        AppError::Internal | AppError::Transport(_) => {
            if es {
                "Error del servidor. Inténtalo de nuevo en un momento.".to_string()
            } else {
                "Server error. Please try again in a moment.".to_string()
            }
        }
    }
}

pub fn booking_error_text(lang: Lang, error: &BookingError) -> &'static str {
    use crate::domain::availability::SlotProblem::*;
    use crate::domain::time::TimeProblem;
    let (es, en) = match error {
        BookingError::Slot(EndNotAfterStart) => ("El final debe ser posterior al inicio.", "The end must be after the start."),
        BookingError::Slot(StartInPast) => ("El inicio ya pasó; elige una fecha futura.", "The start is in the past; choose a future date."),
        BookingError::Slot(TooSoon) => ("Falta muy poco para esa hora; elige una más adelante.", "That time is too soon; choose a later one."),
        BookingError::Slot(BeyondHorizon) => ("Esa fecha está demasiado lejos para reservar todavía.", "That date is too far ahead to book yet."),
        BookingError::Slot(OutsideHours) => ("Está fuera del horario de atención.", "It is outside the opening hours."),
        BookingError::Slot(PartyTooLarge) => ("Son más personas de las que caben.", "That is more people than fit."),
        BookingError::Slot(Conflict) => ("Ese horario ya está reservado; elige otro.", "That time is already booked; choose another."),
        BookingError::Slot(DayFull) => ("Ese día ya no admite más reservas.", "That day takes no more bookings."),
        BookingError::Transition(_) => ("La reserva no admite ese cambio en su estado actual.", "The booking cannot make that change in its current state."),
        BookingError::Cancel(crate::domain::booking::CancelRefusal::TooLate { .. }) => (
            "Ya no se puede cancelar: el plazo de cancelación terminó.",
            "It can no longer be cancelled: the cancellation period is over.",
        ),
        BookingError::Cancel(_) => ("La reserva no se puede cancelar en su estado actual.", "The booking cannot be cancelled in its current state."),
        BookingError::Time { problem: TimeProblem::DoesNotExist, .. } => (
            "Esa hora no existe en la zona horaria (cambio de horario); elige otra.",
            "That time does not exist in the time zone (clock change); choose another.",
        ),
        BookingError::Time { .. } => ("Escribe la fecha y hora como 2025-11-20T14:00:00.", "Write the date and time as 2025-11-20T14:00:00."),
        BookingError::UnknownResource => ("Ese recurso no existe.", "That resource does not exist."),
        BookingError::ResourceRetired => ("Ya no se ofrece: no admite reservas nuevas.", "It is no longer offered: it takes no new bookings."),
        BookingError::ResourceHasUpcoming(_) => (
            "Tiene reservas próximas o en curso: cancélalas o termínalas antes de retirarlo.",
            "It has upcoming or ongoing bookings: cancel or finish them before retiring it.",
        ),
        BookingError::UnknownService => ("Ese servicio no existe para este recurso.", "That service does not exist for this resource."),
        BookingError::UnknownBooking => ("Esa reserva no existe.", "That booking does not exist."),
        BookingError::AttendanceNotConfirmable(_) => (
            "Solo se puede confirmar la asistencia de una reserva confirmada, y esta no lo está.",
            "Attendance can only be confirmed for a confirmed booking, and this one is not.",
        ),
        BookingError::DepositUnpaid => (
            "El anticipo no está pagado: la reserva se confirma cuando se paga.",
            "The deposit is not paid: the booking is confirmed once it is.",
        ),
        BookingError::Payment(refusal) => return payment_refusal_text(lang, *refusal),
    };
    if lang == Lang::Es { es } else { en }
}

pub fn payment_refusal_text(lang: Lang, refusal: crate::domain::payment::PaymentRefusal) -> &'static str {
    use crate::domain::payment::PaymentRefusal::*;
    let (es, en) = match refusal {
        AmountNotPositive => ("Escribe un importe mayor que cero, como 450.00.", "Enter an amount above zero, such as 450.00."),
        AmountTooLarge => ("El importe es demasiado grande: revisa la cifra.", "The amount is too large: check the figure."),
        CurrencyMismatch => ("El pago debe ser en la moneda de la reserva.", "The payment must be in the booking's currency."),
        RefundAboveNet => ("No se puede devolver más de lo pagado.", "You cannot refund more than was paid."),
        BookingClosed(_) => (
            "La reserva está cancelada, rechazada o vencida: ya no recibe pagos (solo devoluciones).",
            "The booking is cancelled, rejected or expired: it takes no more payments (only refunds).",
        ),
        NothingOwed => ("Esta reserva no debe anticipo.", "This booking owes no deposit."),
        OnlinePaymentsOff => ("Los pagos en línea no están disponibles.", "Online payments are not available."),
    };
    if lang == Lang::Es { es } else { en }
}

pub fn payment_status_name(lang: Lang, status: crate::domain::payment::PaymentStatus) -> &'static str {
    use crate::domain::payment::PaymentStatus::*;
    let (es, en) = match status {
        Unpaid => ("Sin pagar", "Unpaid"),
        DepositPaid => ("Anticipo pagado", "Deposit paid"),
        Paid => ("Pagada", "Paid"),
        Refunded => ("Reembolsada", "Refunded"),
    };
    if lang == Lang::Es { es } else { en }
}

pub fn booking_status_name(lang: Lang, status: crate::domain::booking::BookingStatus) -> &'static str {
    use crate::domain::booking::BookingStatus::*;
    let (es, en) = match status {
        Pending => ("Pendiente de aprobación", "Waiting for approval"),
        Confirmed => ("Confirmada", "Confirmed"),
        InProgress => ("En curso", "In progress"),
        Completed => ("Terminada", "Completed"),
        Rejected => ("Rechazada", "Rejected"),
        Cancelled => ("Cancelada", "Cancelled"),
        NoShow => ("No se presentó", "No-show"),
        Expired => ("Vencida sin aprobar", "Expired unapproved"),
    };
    if lang == Lang::Es { es } else { en }
}

/// Why an upcoming booking shows no cancel button: the client's cutoff
/// (`hours` before the start) has passed.
pub fn cancel_closed_text(lang: Lang, hours: i64) -> String {
    match lang {
        Lang::Es => format!("Ya no se puede cancelar: faltan menos de {hours} h para el inicio."),
        Lang::En => format!("It can no longer be cancelled: less than {hours} h remain before the start."),
    }
}

/// A refused cancellation, naming the cutoff when that is the reason.
pub fn cancel_refusal_text(lang: Lang, refusal: &crate::domain::booking::CancelRefusal) -> String {
    use crate::domain::booking::CancelRefusal;
    match (refusal, lang) {
        (CancelRefusal::TooLate { hours }, Lang::Es) => format!("Solo puedes cancelar hasta {hours} h antes del inicio."),
        (CancelRefusal::TooLate { hours }, Lang::En) => format!("You can only cancel until {hours} h before the start."),
        (other, _) => booking_error_text(lang, &BookingError::Cancel(*other)).to_string(),
    }
}

/// "viernes 21 de noviembre de 2025, 14:00": an instant as read in `zone`.
pub fn local_moment(lang: Lang, instant: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> String {
    let local = instant.with_timezone(&zone);
    format!("{}, {}", long_date(lang, local.date_naive()), local.format("%H:%M"))
}

/// A start and end in `zone`; the end's date is repeated only when it is another day.
pub fn local_period(lang: Lang, start: chrono::DateTime<chrono::Utc>, end: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> String {
    if start.with_timezone(&zone).date_naive() == end.with_timezone(&zone).date_naive() {
        format!("{} – {}", local_moment(lang, start, zone), end.with_timezone(&zone).format("%H:%M"))
    } else {
        format!("{} – {}", local_moment(lang, start, zone), local_moment(lang, end, zone))
    }
}

const DAYS_ES: [&str; 7] = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"];
const DAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS_ES: [&str; 12] =
    ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// "diciembre de 2026", "December 2026": the title of a month view.
pub fn month_title(lang: Lang, year: i32, month0: u32) -> String {
    let month = month0.min(11) as usize;
    match lang {
        Lang::Es => format!("{} de {year}", MONTHS_ES[month]),
        Lang::En => format!("{} {year}", MONTHS_EN[month]),
    }
}

/// A weekday's short name, Monday first (0): "lu", "Mo".
pub fn weekday_short(lang: Lang, monday0: usize) -> &'static str {
    const SHORT_ES: [&str; 7] = ["lu", "ma", "mi", "ju", "vi", "sá", "do"];
    const SHORT_EN: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
    let i = monday0.min(6);
    if lang == Lang::Es { SHORT_ES[i] } else { SHORT_EN[i] }
}

/// A weekday's full name, Monday first (0), for screen readers.
pub fn weekday_name(lang: Lang, monday0: usize) -> &'static str {
    let i = monday0.min(6);
    if lang == Lang::Es { DAYS_ES[i] } else { DAYS_EN[i] }
}

/// The label of a resource attribute on its profile; unknown ones show their name.
pub fn attribute_label(lang: Lang, name: &str) -> String {
    let key = match name {
        "genres" => Key::Genres,
        "city" => Key::City,
        "seats" => Key::Seats,
        "address" => Key::Address,
        "type" => Key::RoomType,
        "beds" => Key::Beds,
        "guests" => Key::Guests,
        "number" => Key::RoomNumber,
        "makes" => Key::MakesServiced,
        other => return other.replace('_', " "),
    };
    t(lang, key).to_string()
}

/// A date as people read it: "viernes 21 de noviembre de 2025", "Friday, 21 November 2025".
pub fn long_date(lang: Lang, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let weekday = date.weekday().num_days_from_monday() as usize;
    let month = date.month0() as usize;
    match lang {
        Lang::Es => format!("{} {} de {} de {}", DAYS_ES[weekday], date.day(), MONTHS_ES[month], date.year()),
        Lang::En => format!("{}, {} {} {}", DAYS_EN[weekday], date.day(), MONTHS_EN[month], date.year()),
    }
}

pub fn room_status_name(lang: Lang, status: crate::domain::room::RoomStatus) -> &'static str {
    use crate::domain::room::RoomStatus::*;
    let (es, en) = match status {
        Available => ("Disponible", "Available"),
        Reserved => ("Reservada", "Reserved"),
        Occupied => ("Ocupada", "Occupied"),
        Maintenance => ("Mantenimiento", "Maintenance"),
    };
    if lang == Lang::Es { es } else { en }
}

pub fn review_refusal_text(lang: Lang, refusal: crate::domain::review::ReviewRefusal) -> &'static str {
    use crate::domain::review::ReviewRefusal::*;
    let (es, en) = match refusal {
        NotCompleted => ("Solo se puede valorar una reserva completada.", "Only a completed booking can be reviewed."),
        AlreadyReviewed => ("Ya valoraste esta reserva.", "You already reviewed this booking."),
        AlreadyReplied => ("Esta reseña ya tiene respuesta.", "This review already has a reply."),
    };
    if lang == Lang::Es { es } else { en }
}

/// "1 estrella", "4 estrellas"; "1 star", "4 stars".
pub fn stars_text(lang: Lang, stars: u8) -> String {
    match (lang, stars) {
        (Lang::Es, 1) => "1 estrella".to_string(),
        (Lang::Es, n) => format!("{n} estrellas"),
        (Lang::En, 1) => "1 star".to_string(),
        (Lang::En, n) => format!("{n} stars"),
    }
}

/// "4,3 de 5 (3 reseñas)", "4.3 out of 5 (3 reviews)": an average in tenths.
pub fn rating_summary(lang: Lang, tenths: u32, count: u64) -> String {
    let average = crate::domain::review::format_tenths(tenths, lang == Lang::Es);
    match (lang, count) {
        (Lang::Es, 1) => format!("{average} de 5 (1 reseña)"),
        (Lang::Es, n) => format!("{average} de 5 ({n} reseñas)"),
        (Lang::En, 1) => format!("{average} out of 5 (1 review)"),
        (Lang::En, n) => format!("{average} out of 5 ({n} reviews)"),
    }
}
