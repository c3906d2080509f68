import { test, expect, type APIRequestContext } from '@playwright/test';
import { gotoHydrated, logIn, localInMexico } from './helpers';

// "Mis reservas" (/mis-reservas): the demo client's own bookings, upcoming
// and past, with a cancel form while the cancellation policy allows it.
// UI contract: [data-testid=upcoming] and [data-testid=past] sections, each
// booking an [data-testid=my-booking][data-booking-id][data-status] card; a
// "Cancelar" button opens a reason field and "Confirmar cancelación".

const CLIENT = { email: 'client@reservo.test', password: 'demo-password' };

async function token(request: APIRequestContext, email?: string, password?: string): Promise<string> {
  const response = email
    ? await request.post('/api/auth/token', { data: { email, password } })
    : await request.get('/api/get-test-token');
  expect(response.status()).toBeLessThan(300);
  return (await response.json()).access_token;
}


/** A new room (so runs never collide) booked by the demo client from `inHours` for a day. */
async function clientBooking(request: APIRequestContext, inHours: number): Promise<{ id: number; room: string }> {
  const admin = { Authorization: `Bearer ${await token(request)}` };
  const number = `MB${Date.now() % 100000}`;
  const created = await request.post('/api/rooms/', { headers: admin, data: { descripcion: 'Habitación de Mis reservas', number } });
  expect(created.status()).toBe(201);
  const room = await created.json();
  const client = { Authorization: `Bearer ${await token(request, CLIENT.email, CLIENT.password)}` };
  const booked = await request.post('/api/bookings/', {
    headers: client,
    data: { room_id: room.id, check_in: localInMexico(inHours), check_out: localInMexico(inHours + 24), guest_name: 'Carla Cliente', number_of_guests: 1 },
  });
  expect(booked.status()).toBe(201);
  const booking = await booked.json();
  expect(booking.status).toBe('confirmed');
  return { id: booking.id, room: `Habitación ${number}` };
}

test('the client sees an upcoming booking and cancels it', async ({ page, request }) => {
  const booking = await clientBooking(request, 24 * 5);

  await gotoHydrated(page, '/login');
  await logIn(page, CLIENT.email, CLIENT.password);
  await expect(page.getByTestId('role-home')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Mis reservas', exact: true }).click();
  await expect(page).toHaveURL(/\/mis-reservas$/);
  await expect(page.getByRole('heading', { name: 'Próximas' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Pasadas' })).toBeVisible();

  const card = page.getByTestId('upcoming').locator(`[data-testid=my-booking][data-booking-id="${booking.id}"]`);
  await expect(card).toHaveAttribute('data-status', 'confirmed');
  await expect(card).toContainText(booking.room);
  await expect(card).toContainText('Confirmada');
  await expect(card).toContainText('America/Mexico_City');
  await expect(card.getByTestId('cancel-until')).toContainText('Puedes cancelar hasta');

  await card.getByText('Cancelar', { exact: true }).click();
  await card.getByLabel('Motivo (opcional)').fill('Cambio de planes');
  await card.getByRole('button', { name: 'Confirmar cancelación' }).click();

  await expect(page.getByTestId('cancel-done')).toContainText('Tu reserva quedó cancelada');
  const after = page.getByTestId('upcoming').locator(`[data-testid=my-booking][data-booking-id="${booking.id}"]`);
  await expect(after).toHaveAttribute('data-status', 'cancelled');
  await expect(after.getByTestId('status-badge')).toHaveText('Cancelada');
  await expect(after.getByRole('button', { name: 'Confirmar cancelación' })).toHaveCount(0);
});

test('a booking inside the cutoff says why it can no longer be cancelled', async ({ page, request }) => {
  const booking = await clientBooking(request, 3);

  await gotoHydrated(page, '/login');
  await logIn(page, CLIENT.email, CLIENT.password);
  await expect(page.getByTestId('role-home')).toBeVisible();
  await page.getByTestId('see-my-bookings').click();
  const card = page.locator(`[data-testid=my-booking][data-booking-id="${booking.id}"]`);
  await expect(card).toHaveAttribute('data-status', 'confirmed');
  await expect(card.getByTestId('cancel-closed')).toHaveText('Ya no se puede cancelar: faltan menos de 24 h para el inicio.');
  await expect(card.getByText('Cancelar', { exact: true })).toHaveCount(0);
});

test('logged-out visitors are sent to log in', async ({ page }) => {
  await page.goto('/mis-reservas');
  await expect(page).toHaveURL(/\/login$/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the cancel form still works', async ({ page, request }) => {
    const booking = await clientBooking(request, 24 * 6);
    await page.goto('/login');
    await logIn(page, CLIENT.email, CLIENT.password);
    await expect(page.getByTestId('role-home')).toBeVisible();
    await page.goto('/mis-reservas');
    const card = page.locator(`[data-testid=my-booking][data-booking-id="${booking.id}"]`);
    await expect(card).toHaveAttribute('data-status', 'confirmed');
    await card.getByText('Cancelar', { exact: true }).click();
    await card.getByRole('button', { name: 'Confirmar cancelación' }).click();
    // The server sends the form back to the page it came from.
    await expect(page).toHaveURL(/\/mis-reservas\??$/);
    await expect(page.locator(`[data-testid=my-booking][data-booking-id="${booking.id}"]`)).toHaveAttribute('data-status', 'cancelled');
  });
});
