import { test, expect, type APIRequestContext } from '@playwright/test';
import { gotoHydrated, logIn, localInMexico } from './helpers';

// Reviews: on "Mis reservas" a completed booking offers "Valorar" (1 to 5
// stars as radio inputs and an optional comment, once); the resource's
// profile (/r/:slug) shows the average and the reviews.
// UI contract: [data-testid=review-form] inside the booking's card, then
// [data-testid=my-review]; on the profile [data-testid=profile-reviews] with
// [data-testid=rating-average] and one [data-testid=review] per review.

const CLIENT = { email: 'client@reservo.test', password: 'demo-password' };

async function token(request: APIRequestContext, email?: string, password?: string): Promise<string> {
  const response = email
    ? await request.post('/api/auth/token', { data: { email, password } })
    : await request.get('/api/get-test-token');
  expect(response.status()).toBeLessThan(300);
  return (await response.json()).access_token;
}

/** A new room (so runs never collide) with a stay of the demo client taken through check-in and check-out. */
async function completedStay(request: APIRequestContext): Promise<{ id: number; slug: string }> {
  const admin = { Authorization: `Bearer ${await token(request)}` };
  const number = `RV${Date.now() % 100000}`;
  const created = await request.post('/api/rooms/', { headers: admin, data: { descripcion: 'Habitación de reseñas', number } });
  expect(created.status()).toBe(201);
  const room = await created.json();
  const client = { Authorization: `Bearer ${await token(request, CLIENT.email, CLIENT.password)}` };
  const booked = await request.post('/api/bookings/', {
    headers: client,
    data: { room_id: room.id, check_in: localInMexico(24 * 5), check_out: localInMexico(24 * 6), guest_name: 'Carla Cliente', number_of_guests: 1 },
  });
  expect(booked.status()).toBe(201);
  const booking = await booked.json();
  for (const step of ['check-in', 'check-out']) {
    expect((await request.post(`/api/bookings/${booking.id}/${step}`, { headers: admin })).status()).toBe(200);
  }
  const resource = await (await request.get(`/api/resources/${room.id}`)).json();
  return { id: booking.id, slug: resource.slug };
}

test('the client rates a completed stay once and the profile shows it', async ({ page, request }) => {
  const stay = await completedStay(request);

  await gotoHydrated(page, '/login');
  await logIn(page, CLIENT.email, CLIENT.password);
  await expect(page.getByTestId('role-home')).toBeVisible();
  await gotoHydrated(page, '/mis-reservas');
  const card = page.locator(`[data-testid=my-booking][data-booking-id="${stay.id}"]`);
  await expect(card).toHaveAttribute('data-status', 'completed');

  await card.getByText('Valorar', { exact: true }).click();
  await card.getByRole('button', { name: 'Enviar valoración' }).click();
  await expect(card.getByRole('alert')).toHaveText('Elige de 1 a 5 estrellas.');

  await card.getByRole('radio', { name: '4 estrellas' }).check();
  await card.getByLabel('Comentario (opcional)').fill('<b>Muy tranquila</b>');
  await card.getByRole('button', { name: 'Enviar valoración' }).click();
  await expect(card.getByTestId('my-review')).toContainText('Tu valoración');
  await expect(card.getByTestId('review-form')).toHaveCount(0);

  await gotoHydrated(page, `/r/${stay.slug}`);
  const reviews = page.getByTestId('profile-reviews');
  await expect(reviews.getByTestId('rating-average')).toContainText('4,0 de 5 (1 reseña)');
  await expect(reviews.getByTestId('review-comment')).toHaveText('<b>Muy tranquila</b>');
  await expect(reviews.getByTestId('reviewer')).toHaveText('Carla');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the review form still works', async ({ page, request }) => {
    const stay = await completedStay(request);
    await page.goto('/login');
    await logIn(page, CLIENT.email, CLIENT.password);
    await expect(page.getByTestId('role-home')).toBeVisible();
    await page.goto('/mis-reservas');
    const card = page.locator(`[data-testid=my-booking][data-booking-id="${stay.id}"]`);
    await card.getByText('Valorar', { exact: true }).click();
    await card.getByRole('radio', { name: '5 estrellas' }).check();
    await card.getByRole('button', { name: 'Enviar valoración' }).click();
    await expect(page).toHaveURL(/\/mis-reservas\??$/);
    await expect(page.locator(`[data-testid=my-booking][data-booking-id="${stay.id}"]`).getByTestId('my-review')).toBeVisible();
  });
});
