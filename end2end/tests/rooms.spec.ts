import { test, expect, type APIRequestContext } from '@playwright/test';
import { gotoHydrated, logIn, localInMexico, waitForHydration } from './helpers';

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

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('an administrator uploads room photos, picks the cover and retires the room', async ({ page, request }) => {
  const token = await adminToken(request);
  const created = await request.post('/api/rooms/', { headers: { Authorization: `Bearer ${token}` }, data: { number: 'FOTO' } });
  expect(created.status()).toBe(201);
  const room = await created.json();

  await gotoHydrated(page, '/login');
  await logIn(page, 'admin@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await gotoHydrated(page, '/admin/rooms');
  const tile = () => page.locator(`[data-testid=room-tile][data-room-id="${room.id}"]`);
  const fileField = () => tile().getByLabel('Foto (JPEG, PNG, WebP o GIF; hasta 5 MB)');
  // Each form posts and the page comes back, with the photos closed unless an upload was refused.
  const openPhotos = async () => {
    await waitForHydration(page);
    if (!(await fileField().isVisible())) await tile().getByText(/^Fotos \(\d+\)$/).click();
  };

  // Not an image: the reason shows next to the file field and nothing is added.
  await openPhotos();
  await fileField().setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') });
  await tile().getByRole('button', { name: 'Subir foto' }).click();
  await expect(tile().locator('[role=alert]')).toContainText('Sube una imagen JPEG, PNG, WebP o GIF.');
  await expect(tile().getByTestId('photo')).toHaveCount(0);

  for (const [name, count] of [['frente.png', 1], ['bano.png', 2]] as const) {
    await openPhotos();
    await fileField().setInputFiles({ name, mimeType: 'image/png', buffer: PNG });
    await tile().getByRole('button', { name: 'Subir foto' }).click();
    await expect(tile().getByText(`Fotos (${count})`)).toBeVisible();
  }
  await openPhotos();
  const photos = tile().getByTestId('photo');
  await expect(photos).toHaveCount(2);
  const second = await photos.nth(1).locator('img').getAttribute('src');
  await expect.poll(() => photos.nth(1).locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await photos.nth(1).getByRole('button', { name: 'Usar de portada' }).click();
  await openPhotos();
  await expect(tile().getByTestId('photo').first().locator('img')).toHaveAttribute('src', second!);
  await tile().getByTestId('photo').first().getByRole('button', { name: 'Quitar' }).click();
  await expect(tile().getByText('Fotos (1)')).toBeVisible();

  // Retired, it leaves the board for the retired list, and comes back.
  await waitForHydration(page);
  await tile().getByText('Editar habitación').click();
  await tile().getByRole('button', { name: 'Retirar habitación' }).click();
  await expect(tile()).toHaveCount(0);
  const retired = page.locator(`[data-testid=retired-room][data-room-id="${room.id}"]`);
  await expect(retired).toContainText('Habitación FOTO');
  await retired.getByRole('button', { name: 'Volver a ofrecer' }).click();
  await expect(tile()).toHaveAttribute('data-status', 'available');
  await expect(retired).toHaveCount(0);
});

test('a room with a booking ahead is not retired, and the board says why', async ({ page, request }) => {
  const token = await adminToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const room = await (await request.post('/api/rooms/', { headers, data: { number: 'OCUPADA' } })).json();
  const booked = await request.post('/api/bookings/', {
    headers,
    data: { room_id: room.id, check_in: localInMexico(48), check_out: localInMexico(72), guest_name: 'Luz', number_of_guests: 1 },
  });
  expect(booked.status()).toBe(201);

  await gotoHydrated(page, '/login');
  await logIn(page, 'admin@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await gotoHydrated(page, '/admin/rooms');
  const tile = page.locator(`[data-testid=room-tile][data-room-id="${room.id}"]`);
  await tile.getByText('Editar habitación').click();
  await tile.getByRole('button', { name: 'Retirar habitación' }).click();
  await expect(tile.locator('[role=alert]')).toContainText('Tiene reservas próximas o en curso');
  await expect(tile).toHaveAttribute('data-status', 'reserved');
});
