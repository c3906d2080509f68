import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn, waitForHydration, waitForMail } from './helpers';

// Seed 000's checkpoint, with the messages read from a real SMTP server on
// loopback: a client requests a date on a musician's public profile -> the
// manager gets an email and sees the request pending on the dashboard -> the
// manager records the deposit and confirms -> the client gets the confirmation email.

test('a request on a profile reaches the manager by email and its confirmation reaches the client', async ({ browser }) => {
  const client = await browser.newPage();
  await gotoHydrated(client, '/login');
  await logIn(client, 'client@reservo.test', 'demo-password');
  await expect(client.getByTestId('role-home')).toBeVisible();
  await gotoHydrated(client, '/musicos');
  await client.getByRole('link', { name: 'Trío Sol de Oaxaca' }).click();
  await expect(client).toHaveURL(/\/r\/trio-sol-de-oaxaca$/);
  await waitForHydration(client);

  const calendar = client.getByTestId('calendar-picker');
  await calendar.getByRole('button', { name: 'Mes siguiente' }).click();
  await calendar.getByRole('button', { name: 'Mes siguiente' }).click();
  await calendar.locator('[data-testid=calendar-day][data-free=true]').first().click();
  await calendar.getByTestId('calendar-times').getByRole('radio').first().check();
  const form = client.getByTestId('request-form');
  await form.getByLabel('Tipo de evento').fill('Boda');
  await form.getByLabel('Dirección del evento').fill('Calle Macedonio Alcalá 100, Oaxaca');
  await form.getByRole('button', { name: 'Enviar solicitud' }).click();
  const sent = client.getByTestId('request-sent');
  await expect(sent).toHaveAttribute('data-status', 'pending');
  const number = (await sent.getByTestId('booking-number').textContent())!.trim();

  const toManager = await waitForMail((m) => m.to.includes('manager@reservo.test')
    && m.subject.includes('Trío Sol de Oaxaca') && m.text.includes(number));
  expect(toManager.subject).toContain('Nueva solicitud de reserva de Carla Cliente');

  const manager = await browser.newPage();
  await gotoHydrated(manager, '/login');
  await logIn(manager, 'manager@reservo.test', 'demo-password');
  await expect(manager.getByTestId('role-home')).toBeVisible();
  const request = manager.getByTestId('pending-requests')
    .locator(`[data-testid=booking-line][data-booking-id="${number.slice(1)}"]`);
  await expect(request).toContainText('Carla Cliente');
  // The musician asks a deposit ($2,000.00 of "Evento de 2 horas"): the
  // manager records it (taken by transfer) before confirming.
  await expect(request.getByTestId('payment-status')).toHaveText('Sin pagar');
  const payment = request.getByTestId('record-payment');
  await payment.getByLabel('Monto').fill('2000.00');
  await payment.getByRole('button', { name: 'Registrar pago' }).click();
  await expect(request.getByTestId('payment-status')).toHaveText('Anticipo pagado');
  await request.getByRole('button', { name: 'Confirmar', exact: true }).click();
  await expect(manager.getByTestId('pending-requests')
    .locator(`[data-testid=booking-line][data-booking-id="${number.slice(1)}"]`)).toHaveCount(0);

  const confirmation = await waitForMail((m) => m.to.includes('client@reservo.test')
    && m.subject === 'Reserva confirmada: Trío Sol de Oaxaca' && m.text.includes(number));
  expect(confirmation.text).toContain('America/Mexico_City');
  expect(confirmation.attachments.map((a) => a.type)).toContain('text/calendar');
});
