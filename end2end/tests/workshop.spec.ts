import { test, expect, type Browser, type Page, type APIRequestContext } from '@playwright/test';
import { gotoHydrated, logIn, waitForHydration, waitForMail } from './helpers';

// Seed 001 acceptance, tagged @clock: it moves the server's clock forward
// (POST /test/clock, on only with [testing] controllable_clock), so
// scripts/e2e.sh runs it against a server of its own after the others.
//
// A client books a brake check at the demo workshop for a free slot with a
// vehicle, the workshop confirms, the client gets the confirmation and later
// the reminder, the workshop does the job and takes the payment, the client
// leaves a review, and the report for that day counts the revenue.

const WORKSHOP = 'Taller Hermanos Ruiz';
const CLIENT = 'client@reservo.test';
const MANAGER = 'manager@reservo.test';
const PASSWORD = 'demo-password';

async function loggedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await gotoHydrated(page, '/login');
  await logIn(page, email, PASSWORD);
  await expect(page.getByTestId('role-home')).toBeVisible();
  return page;
}

/** "YYYY-MM-DD" in the workshop's zone, `days` from today. */
function mexicoDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date(Date.now() + days * 86_400_000));
}

/** "YYYY-MM" of next month in the workshop's zone. */
function nextMonthInMexico(): string {
  const [year, month] = mexicoDate(0).split('-').map(Number);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** Moves the server's clock to `instant`; returns the server's new "now". */
async function moveClockTo(request: APIRequestContext, instant: Date): Promise<Date> {
  const probe = await request.post('/test/clock', { data: { advance_minutes: 0 } });
  expect(probe.status()).toBe(200);
  const now = new Date((await probe.json()).now);
  const minutes = Math.ceil((instant.getTime() - now.getTime()) / 60_000);
  expect(minutes, `the clock only moves forward (to ${instant.toISOString()})`).toBeGreaterThan(0);
  const moved = await request.post('/test/clock', { data: { advance_minutes: minutes } });
  expect(moved.status()).toBe(200);
  return new Date((await moved.json()).now);
}

test('@clock a brake check from booking to review, reminder and report', async ({ browser, request }) => {
  test.setTimeout(120_000);

  // The client finds the workshop and books a brake check for their car.
  const client = await loggedIn(browser, CLIENT);
  await client.getByRole('navigation').getByRole('link', { name: 'Talleres', exact: true }).click();
  await expect(client).toHaveURL(/\/talleres$/);
  await waitForHydration(client);
  await client.getByRole('link', { name: WORKSHOP }).click();
  await waitForHydration(client);
  const form = client.getByTestId('request-form');
  const service = form.getByLabel('Servicio', { exact: true });
  const brakes = await service.locator('option', { hasText: 'Revisión de frenos' }).getAttribute('value');
  await service.selectOption(brakes!);
  const calendar = client.getByTestId('calendar-picker');
  // Next month: a day far enough ahead for the day-before reminder.
  await calendar.getByRole('button', { name: 'Mes siguiente' }).click();
  const month = nextMonthInMexico();
  const freeDays = calendar.locator(`[data-testid=calendar-day][data-free=true][data-date^="${month}"]`);
  await expect(freeDays.first()).toBeEnabled();
  // At least two days ahead, so the day-before reminder is still to come.
  const dates = await freeDays.evaluateAll((days) => days.map((d) => d.getAttribute('data-date')!));
  const day = dates.find((date) => date >= mexicoDate(2))!;
  const free = calendar.locator(`[data-testid=calendar-day][data-date="${day}"]`);
  await free.click();
  const slot = calendar.getByTestId('calendar-times').getByRole('radio').first();
  const time = (await slot.getAttribute('value'))!;
  await slot.check();
  await form.getByLabel('Marca').fill('Nissan');
  await form.getByLabel('Modelo').fill('Versa');
  await form.getByLabel('Año').fill('2019');
  await form.getByLabel('¿Qué le pasa al vehículo o qué necesitas?').fill('Rechinan los frenos delanteros');
  await form.getByLabel('Teléfono de contacto').fill('+52 55 1234 5678');
  await form.getByRole('button', { name: 'Enviar solicitud' }).click();
  const sent = client.getByTestId('request-sent');
  await expect(sent).toHaveAttribute('data-status', 'pending');
  const id = (await sent.getAttribute('data-booking-id'))!;
  // Mexico City has kept UTC-6 all year since 2022.
  const start = new Date(`${day}T${time}:00-06:00`);

  // The workshop confirms; the client is told by email.
  const manager = await loggedIn(browser, MANAGER);
  await gotoHydrated(manager, `/panel/reservas/${id}`);
  const facts = manager.getByTestId('booking-facts');
  await expect(facts).toContainText('Nissan Versa 2019');
  await expect(facts).toContainText('Rechinan los frenos delanteros');
  await expect(facts).toContainText('+525512345678');
  await gotoHydrated(manager, '/panel');
  const line = manager.locator(`[data-testid=booking-line][data-booking-id="${id}"]`);
  await line.getByRole('button', { name: 'Confirmar', exact: true }).click();
  await expect(line).toHaveAttribute('data-status', 'confirmed');
  await waitForMail((m) => m.to.includes(CLIENT) && m.subject.startsWith(`Reserva confirmada: ${WORKSHOP}`));

  // A day before, the reminder goes out.
  await moveClockTo(request, new Date(start.getTime() - 23 * 3600_000));
  const reminder = await waitForMail((m) => m.to.includes(CLIENT) && m.subject.startsWith(`Recordatorio: ${WORKSHOP}`), 30_000);

  // On the day the workshop starts and completes the job and takes the payment.
  await moveClockTo(request, new Date(start.getTime() + 10 * 60_000));
  const workshop = await loggedIn(browser, MANAGER);
  await gotoHydrated(workshop, '/panel');
  const job = workshop.locator(`[data-testid=booking-line][data-booking-id="${id}"]`);
  await job.getByRole('button', { name: 'Iniciar', exact: true }).click();
  await expect(job).toHaveAttribute('data-status', 'in_progress');
  await job.getByRole('button', { name: 'Completar', exact: true }).click();
  await expect(job).toHaveAttribute('data-status', 'completed');
  const payment = job.getByTestId('record-payment');
  await payment.getByLabel('Monto').fill('450.00');
  await payment.getByRole('button', { name: 'Registrar pago' }).click();
  await expect(job.getByTestId('payment-status')).toHaveText('Pagada');

  // The client rates it.
  const rater = await loggedIn(browser, CLIENT);
  await gotoHydrated(rater, '/mis-reservas');
  const card = rater.locator(`[data-testid=my-booking][data-booking-id="${id}"]`);
  await card.getByText('Valorar', { exact: true }).click();
  await card.getByRole('radio', { name: '5 estrellas' }).check();
  await card.getByLabel('Comentario (opcional)').fill('Quedaron perfectos los frenos');
  await card.getByRole('button', { name: 'Enviar valoración' }).click();
  await expect(card.getByTestId('my-review')).toContainText('Tu valoración');

  // The report for that day counts the booking and its revenue.
  await gotoHydrated(workshop, `/panel/informes?desde=${day}&hasta=${day}`);
  const report = workshop.getByTestId('reports');
  await expect(report.getByTestId('report-chart').locator('svg[role=img]').first()).toBeVisible();
  const revenue = report.locator('[data-testid=report-table][data-table=ingresos]');
  await expect(revenue).toContainText(WORKSHOP);
  await expect(revenue).toContainText('$450.00 MXN');
  const statuses = report.locator('[data-testid=report-table][data-table=estados]');
  await expect(statuses).toContainText('Terminada');
});
