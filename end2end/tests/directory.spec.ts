import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn, waitForHydration } from './helpers';

// The public side: /musicos with its filters (a GET form, so the URL carries
// them), a profile at /r/:slug, and a booking request through the calendar:
// [data-testid=calendar-day] buttons with data-date and data-free, days
// without free times aria-disabled; the chosen day's times are radios
// name=time; the answer is [data-testid=request-sent] "Solicitud enviada".

test('a client finds a jazz musician and requests a date in the calendar', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'client@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: 'Músicos', exact: true }).click();
  await expect(page).toHaveURL(/\/musicos$/);
  await waitForHydration(page);
  await expect(page.getByTestId('directory-card')).toHaveCount(3);

  await page.getByTestId('directory-filters').getByLabel('Género', { exact: true }).selectOption('jazz');
  await page.getByRole('button', { name: 'Buscar', exact: true }).click();
  await expect(page).toHaveURL(/genero=jazz/);
  await waitForHydration(page);
  await expect(page.getByTestId('directory-card')).toHaveCount(1);

  await page.getByRole('link', { name: 'Lucía Ortega' }).click();
  await expect(page).toHaveURL(/\/r\/lucia-ortega$/);
  await waitForHydration(page);
  await expect(page.getByTestId('profile-name')).toHaveText('Lucía Ortega');
  await expect(page.getByTestId('rate')).toContainText('$8,000.00 MXN');

  const calendar = page.getByTestId('calendar-picker');
  await expect(calendar).toBeVisible();
  // Today is never free (a day's notice): greyed out and disabled.
  const busy = calendar.locator('[data-testid=calendar-day][data-free=false]').first();
  await expect(busy).toBeDisabled();
  // Days are labelled in words for screen readers.
  await expect(busy).toHaveAttribute('aria-label', /\d+ de \p{L}+ de \d{4}/u);

  await calendar.getByRole('button', { name: 'Mes siguiente' }).click();
  const free = calendar.locator('[data-testid=calendar-day][data-free=true]').first();
  await expect(free).toBeEnabled();
  const day = await free.getAttribute('data-date');
  await free.click();
  await expect(free).toHaveAttribute('aria-pressed', 'true');

  // Arrow keys move between days.
  await free.focus();
  await page.keyboard.press('ArrowRight');
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  await expect(page.locator(':focus')).toHaveAttribute('data-date', next.toISOString().slice(0, 10));

  const times = calendar.getByTestId('calendar-times');
  await times.getByRole('radio').first().check();
  const form = page.getByTestId('request-form');
  await form.getByLabel('Tipo de evento').fill('Boda');
  await form.getByLabel('Dirección del evento').fill('Av. Reforma 1, CDMX');
  await form.getByRole('button', { name: 'Enviar solicitud' }).click();

  const sent = page.getByTestId('request-sent');
  await expect(sent).toContainText('Solicitud enviada');
  await expect(sent).toHaveAttribute('data-status', 'pending');
  await expect(sent).toContainText('Pendiente de aprobación');
  await expect(sent.getByTestId('booking-number')).toHaveText(/^#\d+$/);
});

test('a visitor is asked to log in and comes back to the profile', async ({ page }) => {
  await gotoHydrated(page, '/r/lucia-ortega');
  const login = page.getByTestId('login-to-book').getByRole('link', { name: 'Entrar' });
  await expect(login).toHaveAttribute('href', '/login?next=/r/lucia-ortega');
  await login.click();
  await waitForHydration(page);
  await logIn(page, 'client@reservo.test', 'demo-password');
  await expect(page).toHaveURL(/\/r\/lucia-ortega$/);
  await expect(page.getByTestId('request-form').getByRole('button', { name: 'Enviar solicitud' })).toBeVisible();
});

test('an unknown profile is a 404 page', async ({ page }) => {
  const response = await page.goto('/r/nadie-con-este-nombre');
  expect(response?.status()).toBe(404);
  await expect(page.getByText('404')).toBeVisible();
});
