import { test, expect, type APIRequestContext } from '@playwright/test';
import { gotoHydrated, logIn, localInMexico } from './helpers';

// The admin rooms board: statuses follow bookings, refresh by themselves,
// and the check-in button moves a reserved room to occupied.

async function adminToken(request: APIRequestContext): Promise<string> {
  const response = await request.get('/api/get-test-token');
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}


test('the rooms board updates by itself and checks a guest in', async ({ page, request }) => {
  const token = await adminToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const created = await request.post('/api/rooms/', { headers, data: { descripcion: 'Habitación de la prueba e2e', number: 'E2E' } });
  expect(created.status()).toBe(201);
  const room = await created.json();

  await gotoHydrated(page, '/login');
  await logIn(page, 'admin@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Habitaciones' }).click();
  const tile = page.locator(`[data-testid=room-tile][data-room-id="${room.id}"]`);
  await expect(tile).toHaveAttribute('data-status', 'available');

  // A booking made elsewhere shows up without reloading the page.
  const booked = await request.post('/api/bookings/', {
    headers,
    data: { room_id: room.id, check_in: localInMexico(2), check_out: localInMexico(26), guest_name: 'Juan Pérez', number_of_guests: 1 },
  });
  expect(booked.status()).toBe(201);
  await expect(tile).toHaveAttribute('data-status', 'reserved', { timeout: 15_000 });
  await expect(tile).toContainText('Juan Pérez');

  await tile.getByRole('button', { name: 'Registrar entrada' }).click();
  await expect(tile).toHaveAttribute('data-status', 'occupied');
  await expect(tile).toContainText('Ocupada');
  await tile.getByRole('button', { name: 'Registrar salida' }).click();
  await expect(tile).toHaveAttribute('data-status', 'maintenance');
  await tile.getByRole('button', { name: 'Terminar limpieza' }).click();
  await expect(tile).toHaveAttribute('data-status', 'available');
});

test('the rooms board refuses a client', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'client@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await page.goto('/admin/rooms');
  await expect(page.locator('[role=alert]')).toContainText('No tienes permiso');
  await expect(page.getByTestId('room-tile')).toHaveCount(0);
});

test('an administrator adds a room and sees field errors next to the field', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'admin@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await gotoHydrated(page, '/admin/rooms');
  const form = page.getByTestId('add-room');
  await form.getByLabel('Número').fill('707');
  await form.getByLabel('Descripción').fill('Suite con terraza');
  await form.getByLabel('Precio por noche (MXN)').fill('mil pesos');
  await form.getByRole('button', { name: 'Agregar habitación' }).click();
  await expect(form.locator('#new-nightly_price-error')).toContainText('1200.50');
  await form.getByLabel('Precio por noche (MXN)').fill('1850.00');
  await form.getByRole('button', { name: 'Agregar habitación' }).click();
  const tile = page.getByTestId('room-tile').filter({ hasText: 'Habitación 707' });
  await expect(tile).toHaveAttribute('data-status', 'available');

  await tile.getByText('Editar habitación').click();
  const edit = tile.getByTestId('edit-room');
  await expect(edit.getByLabel('Precio por noche (MXN)')).toHaveValue('1850.00');
  await edit.getByLabel('Descripción').fill('Suite renovada');
  await edit.getByRole('button', { name: 'Guardar cambios' }).click();
  await expect(page.getByTestId('room-tile').filter({ hasText: 'Habitación 707' })).toContainText('Suite renovada');
});
