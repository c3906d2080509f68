import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { gotoHydrated } from './helpers';

// "Mi cuenta" (/mi-cuenta): download one's data and delete the account.
// UI contract: a header link "Mi cuenta"; a "Descargar mis datos" link
// ([data-testid=download-data]) that downloads reservo-mis-datos.json; a
// [data-testid=delete-account] section with the field "Tu contraseña, para
// confirmar" and the button "Eliminar mi cuenta"; a wrong password is shown
// under the field ("La contraseña no es correcta."); once deleted, the home
// page with the header logged out.
// A fresh account is registered, so the demo accounts other specs use stay.

const PASSWORD = 'privacidad-1234';

test('a client downloads their data and deletes their account', async ({ page }) => {
  const email = `privacidad-${Date.now()}@example.com`;
  await gotoHydrated(page, '/register');
  await page.getByLabel('Nombre', { exact: true }).fill('Paula Privada');
  await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
  await page.getByLabel('Contraseña', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Crear cuenta', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText('Paula Privada');

  await page.getByRole('navigation').getByRole('link', { name: 'Mi cuenta', exact: true }).click();
  await expect(page).toHaveURL(/\/mi-cuenta$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-data').click()]);
  expect(download.suggestedFilename()).toBe('reservo-mis-datos.json');
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.account.email).toBe(email);
  expect(data.bookings).toEqual([]);
  expect(JSON.stringify(data)).not.toContain('argon2');

  const section = page.getByTestId('delete-account');
  const password = section.getByLabel('Tu contraseña, para confirmar');
  await password.fill('no-es-mi-clave');
  await section.getByRole('button', { name: 'Eliminar mi cuenta' }).click();
  await expect(section.getByRole('alert')).toHaveText('La contraseña no es correcta.');
  await expect(password).toHaveAttribute('aria-invalid', 'true');

  await password.fill(PASSWORD);
  await section.getByRole('button', { name: 'Eliminar mi cuenta' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Entrar', exact: true })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await gotoHydrated(page, '/mi-cuenta');
  await expect(page).toHaveURL(/\/login$/);
});
