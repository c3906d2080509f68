import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn, waitForHydration } from './helpers';

// A workshop's services on its settings page (/panel/recursos/:id): each
// [data-testid=service] is a form (name, length, price, currency, deposit
// none/fixed/percent) with its errors next to the field; the public profile's
// "Servicio" list shows the price and the deposit.

test('a manager adds a service with a percentage deposit and the profile offers it', async ({ page }) => {
  const name = `Balanceo ${Date.now() % 100000}`;
  await gotoHydrated(page, '/login');
  await logIn(page, 'manager@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  await page.locator('li').filter({ hasText: 'Taller Hermanos Ruiz' }).getByTestId('edit-resource').click();
  await expect(page).toHaveURL(/\/panel\/recursos\/\d+$/);
  await waitForHydration(page);

  const services = page.getByTestId('services-settings');
  await expect(services.getByTestId('service')).toHaveCount(4); // three offered and the blank one
  const blank = services.getByTestId('service').last();
  await blank.getByLabel('Nombre').fill(name);
  await blank.getByLabel('Duración (minutos)').fill('45');
  await blank.getByLabel('Precio').fill('cuatrocientos');
  await blank.getByLabel('Anticipo', { exact: true }).selectOption('percent');
  await blank.getByLabel('Monto o porcentaje del anticipo').fill('10');
  await blank.getByRole('button', { name: 'Agregar servicio' }).click();
  await expect(blank.getByRole('alert')).toContainText('importe');

  await blank.getByLabel('Precio').fill('400');
  await blank.getByRole('button', { name: 'Agregar servicio' }).click();
  await expect(services.getByTestId('service')).toHaveCount(5);

  await gotoHydrated(page, '/r/taller-hermanos-ruiz');
  const service = page.getByTestId('request-form').getByLabel('Servicio', { exact: true });
  await expect(service.locator('option', { hasText: name })).toHaveText(`${name} · 45 min · $400.00 MXN · anticipo $40.00 MXN`);
});
