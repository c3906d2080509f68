import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn } from './helpers';

// Live updates: a manager's dashboard learns of a new booking request the
// moment it is made elsewhere, without a reload.

/** "YYYY-MM-DD" in Mexico City, `days` from today. */
function dayInMexico(days: number): string {
  const instant = new Date(Date.now() + days * 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(instant);
}

test('a manager sees a new booking request appear on the dashboard', async ({ page, request }) => {
  const issued = await request.post('/api/auth/token', { data: { email: 'client@reservo.test', password: 'demo-password' } });
  expect(issued.status()).toBe(201);
  const headers = { Authorization: `Bearer ${(await issued.json()).access_token}` };
  const musicians = await request.get('/api/resources/?kind=musician', { headers });
  expect(musicians.status()).toBe(200);
  const musician = (await musicians.json())[0];

  await gotoHydrated(page, '/login');
  await logIn(page, 'manager@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toHaveAttribute('data-role', 'manager');
  // The stream is open: from now on no change can slip by.
  await expect(page.locator('[data-testid=latest-bookings][data-live=true]')).toBeVisible();
  await expect(page.getByTestId('new-request-alert')).toHaveCount(0);

  // Musicians take requests that wait for the manager; a random day keeps reruns apart.
  const day = dayInMexico(30 + Math.floor(Math.random() * 300));
  const guest = `Invitada ${Date.now() % 100000}`;
  const booked = await request.post('/api/bookings/', {
    headers,
    data: { resource_id: musician.id, check_in: `${day}T14:00:00`, check_out: `${day}T16:00:00`, guest_name: guest },
  });
  expect(booked.status()).toBe(201);
  const booking = await booked.json();
  expect(booking.status).toBe('pending');

  const alert = page.getByRole('alert').filter({ hasText: 'Nueva solicitud de reserva' });
  await expect(alert).toContainText(`Nueva solicitud de reserva: ${musician.name} — ${guest}`);
  await expect(alert).toHaveAttribute('data-booking-id', String(booking.id));
  // The list of upcoming bookings followed too.
  const line = page.locator(`[data-testid=booking-line][data-booking-id="${booking.id}"]`);
  await expect(line).toContainText(guest);
  await expect(line).toHaveAttribute('data-status', 'pending');

  await alert.getByRole('button', { name: 'Cerrar aviso' }).click();
  await expect(page.getByTestId('new-request-alert')).toHaveCount(0);
});
