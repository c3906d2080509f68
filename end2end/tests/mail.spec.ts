import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn, waitForMail } from './helpers';

// The administrators read every message on the "Sent mail" page. These tests
// run with a real SMTP server on loopback (scripts/test.sh), so messages are
// sent; without one (the demo) they are kept and read there the same way.

test('a booking made through the API shows its emails on the Sent mail page', async ({ page, request }) => {
  const tokenResponse = await request.get('/api/get-test-token');
  expect(tokenResponse.status()).toBe(200);
  const headers = { Authorization: `Bearer ${(await tokenResponse.json()).access_token}` };
  const rooms = await (await request.get('/api/rooms/', { headers })).json();
  const guestEmail = `correo-${Date.now()}@example.com`;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const booked = await request.post('/api/bookings/', {
    headers,
    data: {
      room_id: rooms[rooms.length - 1].id, check_in: `${day(40)}T15:00:00`, check_out: `${day(42)}T12:00:00`,
      guest_name: 'Ana Correo', guest_email: guestEmail, number_of_guests: 1,
    },
  });
  expect(booked.status()).toBe(201);

  await gotoHydrated(page, '/login');
  await logIn(page, 'admin@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Correo' }).click();
  await expect(page.getByRole('heading', { name: 'Correo enviado' })).toBeVisible();

  // The worker renders the message within a couple of seconds.
  // The guest's own message (the manager's also names the guest's address).
  const row = page.locator(`[data-testid=mail-row][data-recipient="${guestEmail}"]`);
  await expect(async () => {
    await page.getByRole('button', { name: 'Actualizar' }).click();
    await expect(row).toHaveAttribute('data-status', 'sent', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(row).toContainText('Enviado');
  const delivered = await waitForMail((m) => m.to.includes(guestEmail));
  expect(delivered.text).toContain('Ana Correo');
  await row.locator('summary').click();
  await expect(row.locator('pre')).toContainText('Ana Correo');

  const text = (await row.locator('pre').textContent()) ?? '';
  // Nothing failed.
  await page.getByLabel('Estado').selectOption('failed');
  await expect(page.getByText('No hay mensajes.')).toBeVisible();

  // The guest's confirmation carries a signed link that works without logging in.
  const link = text.match(/Confirmar asistencia: (\S+)/);
  expect(link, text).not.toBeNull();
  const path = new URL(link![1]).pathname;
  await page.context().clearCookies();
  await gotoHydrated(page, path);
  await expect(page.getByTestId('link-booking')).toContainText('Ana Correo');
  await page.getByRole('button', { name: 'Confirmar mi asistencia' }).click();
  await expect(page.getByTestId('link-done')).toContainText('Tu asistencia quedó confirmada');
  const booking = await (await request.get(`/api/bookings/${(await booked.json()).id}`, { headers })).json();
  expect(booking.attendance_confirmed_at).not.toBeNull();

  // A tampered link is refused with a clear page.
  const response = await page.goto(path.slice(0, -3) + 'AAA');
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId('link-problem')).toBeVisible();
});
